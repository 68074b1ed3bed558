"""The filter form's counts: stored per data revision, read with the revision, never stale."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from directory.models import FacetCounts
from partnerships.models import FocusArea
from tests.factories import (
    CharacteristicFactory,
    CommunityPlanFactory,
    FocusAreaFactory,
    PartnershipFactory,
    PriorityFactory,
)

COUNTING = "COUNT(DISTINCT"


def _world() -> tuple[FocusArea, str]:
    housing = FocusAreaFactory(slug="housing-test", name="Housing test", name_fr="Logement test")
    PartnershipFactory(focus_areas=[housing])
    trait = CharacteristicFactory(slug="trait-test", name="Trait", name_fr="Trait en français")
    PriorityFactory(plan=CommunityPlanFactory()).characteristics.add(trait)
    return housing, trait.name_fr


def _list(client, language: str = "en"):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("directory:partnership-list"), HTTP_ACCEPT_LANGUAGE=language)
    counting = [q["sql"] for q in captured.captured_queries if COUNTING in q["sql"].upper()]
    return response, counting


def test_counts_are_computed_and_not_stored_inside_a_transaction(client, db):
    _world()
    _response, counting = _list(client)
    assert counting
    assert not FacetCounts.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_first_list_stores_the_counts_and_the_next_reads_them_without_counting(client):
    _world()
    first, counting = _list(client)
    assert counting
    second, counting = _list(client)
    assert not counting
    assert "Housing test (1)" in second.text
    assert first.text == second.text


@pytest.mark.django_db(transaction=True)
def test_a_data_change_recounts_at_once(client):
    housing, _trait = _world()
    _list(client)
    PartnershipFactory(focus_areas=[housing])
    response, counting = _list(client)
    assert counting
    assert "Housing test (2)" in response.text


@pytest.mark.django_db(transaction=True)
def test_stored_counts_are_labelled_in_the_page_language(client):
    _trait_name = _world()[1]
    _list(client, "en")
    with translation.override("fr"):
        response = client.get(reverse("directory:partnership-list"))
    assert f"{_trait_name} (1)" in response.text
    assert "Logement test (1)" in response.text


def test_the_api_list_never_counts_plan_priorities(client, db):
    _world()
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/partnerships/")
    assert response.status_code == 200
    assert not [q for q in captured.captured_queries if "plans_characteristic" in q["sql"]]


@pytest.mark.django_db(transaction=True)
def test_counts_stored_part_by_part_are_kept_together(client):
    _world()
    client.get("/api/partnerships/")  # stores the focus part only
    assert set(FacetCounts.objects.get().data) == {"focus"}
    _list(client)
    assert set(FacetCounts.objects.get().data) == {"focus", "plan_priority"}
    _response, counting = _list(client)
    assert not counting

"""The site admin's freshness review: which real records need checking, sortable and filterable."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from partnerships.models import Partnership
from partnerships.realdata import load_real_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:partnerships_partnership_changelist")


@pytest.fixture(scope="module")
def _rows(shared_rows):
    return shared_rows.build(load_real_data)


@pytest.fixture
def real_data(_rows, shared_rows, db):
    return shared_rows.fresh(_rows)


def _listed(admin_client, **params) -> set[str]:
    response = admin_client.get(CHANGELIST, params)
    assert response.status_code == 200
    return {p.slug for p in response.context["cl"].result_list}


def test_the_sql_filter_and_the_page_rule_flag_the_same_records(real_data):
    by_rule = {
        p.slug for p in Partnership.objects.prefetch_related("sources") if p.verification_reasons()
    }
    assert by_rule == set(Partnership.objects.unverified().values_list("slug", flat=True))
    assert "quinte-local-immigration-partnership" in by_rule


def test_unverified_filter_lists_the_flagged_records(real_data, admin_client):
    listed = _listed(admin_client, freshness="unverified", all="")
    assert listed == set(Partnership.objects.unverified().values_list("slug", flat=True))


def test_no_contact_filter_lists_records_without_a_public_channel(real_data, admin_client):
    listed = _listed(admin_client, freshness="no_contact", all="")
    assert listed
    assert (
        not Partnership.objects.filter(slug__in=listed)
        .exclude(email="", phone="", contact_url="")
        .exists()
    )


def test_estimated_filter_lists_records_with_estimated_places(real_data, admin_client):
    listed = _listed(admin_client, freshness="estimated", all="")
    assert "southern-alberta-zonal-immigration-partnership" in listed
    assert "calgary-local-immigration-partnership" not in listed


def test_confirmation_filter_separates_never_stale_and_recent(real_data, admin_client):
    today = datetime.date.today()
    Partnership.objects.filter(slug="calgary-local-immigration-partnership").update(
        last_confirmed=today - datetime.timedelta(days=400)
    )
    Partnership.objects.filter(slug="edmonton-local-immigration-partnership").update(
        last_confirmed=today
    )
    assert _listed(admin_client, confirmed="stale", all="") == {
        "calgary-local-immigration-partnership"
    }
    assert _listed(admin_client, confirmed="recent", all="") == {
        "edmonton-local-immigration-partnership"
    }
    never = _listed(admin_client, confirmed="never", all="")
    assert "calgary-local-immigration-partnership" not in never
    assert len(never) == Partnership.objects.count() - 2


def test_freshness_columns_sort(real_data, admin_client):
    response = admin_client.get(CHANGELIST, {"o": "9", "all": ""})  # newest source, ascending
    years = [p.newest_source_year for p in response.context["cl"].result_list]
    known = [y for y in years if y is not None]
    assert known == sorted(known)
    response = admin_client.get(CHANGELIST, {"o": "-10", "all": ""})  # most estimated places
    counts = [p.estimated_places for p in response.context["cl"].result_list]
    assert counts == sorted(counts, reverse=True)

"""The funder page asks "has an active plan" once: the directory's ``has_plan`` (its old
``has_active_plan`` links still work)."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from funders.filters import FunderFilter, renamed_params
from partnerships.models import Partnership
from tests.funders.world import TODAY, build_world
from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import funder

URL = "/admin/funders/"


@pytest.fixture(scope="module")
def _world(shared_rows):
    return shared_rows.build(build_world)


@pytest.fixture
def world(_world, shared_rows, db, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    return shared_rows.fresh(_world)


@pytest.fixture
def funder_client(client, world):
    client.force_login(funder(), backend=MODEL_BACKEND)
    return client


def filtered(query: str) -> list[str]:
    qs = FunderFilter(QueryDict(query), queryset=Partnership.objects.all(), today=TODAY).qs
    return [p.slug for p in qs]


def slugs(response) -> list[str]:
    return re.findall(r'<tr data-partnership="([^"]+)"', response.content.decode())


def test_the_form_has_one_plan_question():
    fields = FunderFilter(QueryDict(""), queryset=Partnership.objects.none()).form.fields
    assert "has_plan" in fields
    assert "has_active_plan" not in fields


@pytest.mark.parametrize(
    ("value", "expected"), [("yes", ["alpha-lip"]), ("no", ["beta-zip", "gamma-lip"])]
)
def test_has_plan_and_its_old_name_filter_alike(world, value, expected):
    assert filtered(f"has_plan={value}") == expected
    assert filtered(f"has_active_plan={value}") == expected


def test_the_new_name_wins_over_the_old_one(world):
    assert filtered("has_plan=no&has_active_plan=yes") == ["beta-zip", "gamma-lip"]


def test_old_name_is_renamed_and_other_parameters_are_kept():
    data = renamed_params(QueryDict(urlencode({"has_active_plan": "yes", "province": "AB"})))
    assert data.getlist("has_plan") == ["yes"]
    assert "has_active_plan" not in data
    assert data["province"] == "AB"


def test_page_shows_the_question_once_as_a_group_of_radios(funder_client):
    html = funder_client.get(URL).content.decode()
    assert 'name="has_active_plan"' not in html
    assert html.count('name="has_plan"') == 3  # Any, Yes, No
    legends = re.findall(r"<legend>([^<]*)</legend>", html)
    assert "Has an active community plan" in legends
    assert 'for=""' not in html  # radio groups are labelled by their legend, not a bare label


def test_page_filters_and_checks_the_chosen_answer(funder_client):
    response = funder_client.get(URL, {"has_plan": "yes"})
    assert response.status_code == 200
    assert slugs(response) == ["alpha-lip"]
    assert re.search(
        r'<input type="radio" name="has_plan" value="yes"[^>]*checked', response.content.decode()
    )


def test_old_link_still_filters_the_page(funder_client):
    response = funder_client.get(URL, {"has_active_plan": "no"})
    assert response.status_code == 200
    assert slugs(response) == ["beta-zip", "gamma-lip"]


def test_invalid_answer_is_a_400_naming_the_question(funder_client):
    response = funder_client.get(URL, {"has_plan": "maybe"})
    assert response.status_code == 400
    assert "Has an active community plan" in response.content.decode()
    assert slugs(response) == []


def test_export_links_carry_the_filter(funder_client):
    html = funder_client.get(URL, {"has_plan": "yes"}).content.decode()
    links = re.findall(r'href="(/admin/funders/export/[^"]+)"', html)
    assert links
    assert all("has_plan=yes" in link for link in links)

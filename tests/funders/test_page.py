"""The funder page: filters, permissions, sorting, charts and constant queries."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.urls import reverse

from funders.filters import FunderFilter
from partnerships.models import Partnership
from tests.factories import UserFactory
from tests.funders.world import RECOMMENDED, TODAY, build_world
from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import build_tree, coordinator_of, funder

URL = "/admin/funders/"


@pytest.fixture(scope="module")
def _world(shared_rows):
    return shared_rows.build(build_world)


@pytest.fixture
def world(_world, shared_rows, db, monkeypatch):
    # The page computes staleness and plan progress for "today": pin it to the world's day.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    return shared_rows.fresh(_world)


def signed_in(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def slugs(response) -> list[str]:
    return re.findall(r'<tr data-partnership="([^"]+)"', response.content.decode())


def filtered(**params: str) -> list[str]:
    data = QueryDict(urlencode(params))
    qs = FunderFilter(data, queryset=Partnership.objects.all(), today=TODAY).qs
    return [p.slug for p in qs]


# -- filters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["alpha-lip", "beta-zip", "gamma-lip"]),
        ({"has_active_plan": "yes"}, ["alpha-lip"]),
        ({"has_active_plan": "no"}, ["beta-zip", "gamma-lip"]),
        ({"missing_sector": "yes"}, ["alpha-lip", "beta-zip"]),
        ({"missing_sector": "no"}, ["gamma-lip"]),
        ({"stale": "yes"}, ["beta-zip", "gamma-lip"]),
        ({"stale": "no"}, ["alpha-lip"]),
        ({"province": "ab", "kind": "LIP"}, ["alpha-lip"]),
        ({"stale": "yes", "missing_sector": "yes"}, ["beta-zip"]),
    ],
)
def test_filters(world, params, expected):
    assert filtered(**params) == expected


@pytest.mark.parametrize("param", ["has_active_plan", "missing_sector", "stale"])
def test_invalid_filter_value_is_an_error_and_an_empty_result(world, client, param):
    assert filtered(**{param: "maybe"}) == []
    response = signed_in(client, funder()).get(URL, {param: "maybe"})
    assert response.status_code == 400
    assert 'id="funders-errors"' in response.content.decode()
    assert "maybe" in response.content.decode()
    assert slugs(response) == []


def test_filters_on_the_page(world, client):
    response = signed_in(client, funder()).get(URL, {"province": "AB", "missing_sector": "yes"})
    assert response.status_code == 200
    assert slugs(response) == ["alpha-lip", "beta-zip"]


# -- permissions --------------------------------------------------------------------------


def test_funder_sees_every_partnership(world, client):
    response = signed_in(client, funder()).get(URL)
    assert response.status_code == 200
    assert slugs(response) == ["alpha-lip", "beta-zip", "gamma-lip"]


def test_superuser_sees_every_partnership(world, client):
    admin = UserFactory(is_superuser=True, password=None)
    assert slugs(signed_in(client, admin).get(URL)) == ["alpha-lip", "beta-zip", "gamma-lip"]


def test_coordinator_sees_only_own_partnerships(world, client):
    response = signed_in(client, coordinator_of(world["p3"])).get(URL)
    assert response.status_code == 200
    assert slugs(response) == ["gamma-lip"]
    assert "Alpha LIP" not in response.content.decode()


def test_anonymous_gets_the_admin_login(world, client):
    response = client.get(URL + "?province=AB")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_user_without_group_is_refused(world, client):
    response = signed_in(client, UserFactory(password=None)).get(URL)
    assert response.status_code == 403


def test_admin_home_links_to_the_page_for_those_who_may_see_it(world, client):
    page = reverse("funders:page")
    assert page == URL
    assert page in signed_in(client, funder()).get("/admin/").content.decode()
    client.logout()
    nobody = UserFactory(password=None)  # staff, in no group
    assert page not in signed_in(client, nobody).get("/admin/").content.decode()


def test_export_links_carry_the_filters(world, client):
    html = signed_in(client, funder()).get(URL, {"province": "AB", "stale": "yes"}).content
    html = html.decode()
    for name in ("export-summary", "export-composition", "export-plan-progress"):
        for fmt in ("csv", "xlsx"):
            link = reverse(f"funders:{name}", kwargs={"fmt": fmt}) + "?province=AB&amp;stale=yes"
            assert link in html


# -- sorting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("name", ["alpha-lip", "beta-zip", "gamma-lip"]),
        ("-name", ["gamma-lip", "beta-zip", "alpha-lip"]),
        ("-members", ["gamma-lip", "alpha-lip", "beta-zip"]),
        ("missing", ["gamma-lip", "alpha-lip", "beta-zip"]),
        ("seats", ["alpha-lip", "beta-zip", "gamma-lip"]),  # no seats recorded: last
        ("-actions", ["alpha-lip", "beta-zip", "gamma-lip"]),
        ("-confidence", ["alpha-lip", "gamma-lip", "beta-zip"]),
        ("confirmed", ["gamma-lip", "alpha-lip", "beta-zip"]),  # never confirmed: last
    ],
)
def test_sorting(world, client, order, expected):
    response = signed_in(client, funder()).get(URL, {"o": order})
    assert response.status_code == 200
    assert slugs(response) == expected


@pytest.mark.parametrize("order", ["bogus", "--name", "person_name", "email"])
def test_unknown_sort_is_refused(world, client, order):
    response = signed_in(client, funder()).get(URL, {"o": order})
    assert response.status_code == 400
    assert "is not a column this table sorts on" in response.content.decode()


def test_sorted_column_is_announced(world, client):
    html = signed_in(client, funder()).get(URL, {"o": "-members"}).content.decode()
    assert 'aria-sort="descending"><a href="?o=members"' in html


# -- figures, totals and charts -----------------------------------------------------------


def _text(cell: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()


def test_row_shows_the_hand_computed_figures(world, client):
    html = signed_in(client, funder()).get(URL).content.decode()
    row = html.split('<tr data-partnership="alpha-lip">')[1].split("</tr>")[0]
    cells = [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
    assert cells[2:6] == ["10", "6", "4", "3"]
    assert cells[6] == (
        "4 Settlement service providers; Municipal and regional government; Newcomers; "
        "Indigenous representatives"
    )
    assert cells[7].startswith(f"{RECOMMENDED - 4} ")
    assert "Police services" in cells[7]
    assert cells[8:10] == ["2", "1"]
    assert cells[10] == "3 Housing; Employment"
    assert cells[11] == "Active 2024–2027"
    assert cells[12] == "25&nbsp;% 1/4"
    assert cells[13] == "43&nbsp;% 3/7"
    assert cells[14] == "2025-09-23"
    assert cells[15] == "High"


def _table(html: str, table_id: str) -> list[list[str]]:
    body = html.split(f'<table id="{table_id}">')[1].split("</table>")[0]
    body = body.split("<tbody>")[1].split("</tbody>")[0]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S):
        rows.append(
            [
                re.sub(r"<[^>]+>", "", c).strip()
                for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
            ]
        )
    return rows  # fmt: skip


def test_totals_per_province_and_kind(world, client):
    html = signed_in(client, funder()).get(URL).content.decode()
    assert _table(html, "totals-province") == [
        ["Alberta", "2", "6", "3", "25", "1", "2"],
        ["British Columbia", "1", "17", "17", "–", "0", "0"],
    ]
    assert _table(html, "totals-kind")[0][:4] == [
        "Local Immigration Partnership",
        "2",
        "23",
        "11.5",
    ]


def test_charts_are_accessible_and_their_tables_carry_the_numbers(world, client):
    html = signed_in(client, funder()).get(URL).content.decode()
    for chart in ("chart-missing-sectors", "chart-plan-status"):
        assert f'<svg role="img" aria-labelledby="{chart}-title {chart}-desc" id="{chart}"' in html
        assert f'<title id="{chart}-title">' in html
    sectors = dict(_table(html, "chart-missing-sectors-table"))
    assert len(sectors) == RECOMMENDED
    assert sectors["Police services"] == "2"  # Alpha (steering seat only) and Beta
    assert sectors["Settlement service providers"] == "1"  # Beta only
    assert sectors["Newcomers"] == "1"
    # The bars say the same: a bar's value label follows each sector's name.
    svg = html.split('id="chart-missing-sectors"')[1].split("</svg>")[0]
    for name, count in sectors.items():
        assert re.search(rf">{re.escape(name)}</text>.*?<text [^>]+>{count}</text>", svg, re.S)
    assert _table(html, "chart-plan-status-table") == [
        ["Alberta", "1", "0", "0", "1"],
        ["British Columbia", "0", "1", "0", "0"],
    ]


# -- queries ------------------------------------------------------------------------------

#: 19 measured: session, user, the reader's scope (2), the admin's permissions (2), focus
#: areas (the form) and how many partnerships' focus areas are known, the plan-priority
#: choices (the form), recommended sectors (summary and chart), every sector, partnerships,
#: main councils' current seats per sector, their organizations, working groups, plans,
#: actions, the shown rows' indicators with their latest measurement, and whether sample
#: data is loaded (the banner).
MAX_PAGE_QUERIES = 19


@pytest.mark.django_db
def test_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    counts = []
    for size in (3, 30):
        while Partnership.objects.count() < size:
            build_tree()
        client.force_login(funder(), backend=MODEL_BACKEND)
        with django_assert_max_num_queries(MAX_PAGE_QUERIES) as queries:
            response = client.get(URL, {"o": "-members"})
        assert len(slugs(response)) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]

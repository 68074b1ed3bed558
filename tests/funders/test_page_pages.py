"""The funder page's table comes in pages; totals, charts and sorting cover every partnership."""

from __future__ import annotations

import re

import pytest

from tests.funders.test_page import URL, _table, signed_in, slugs
from tests.funders.world import TODAY, build_world
from tests.partnerships.factories_admin import funder


@pytest.fixture(scope="module")
def _world(shared_rows):
    return shared_rows.build(build_world)


@pytest.fixture
def world(_world, shared_rows, db, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    monkeypatch.setattr("funders.views.PAGE_SIZE", 2)  # three partnerships: two pages
    return shared_rows.fresh(_world)


def page_links(html: str) -> list[str]:
    nav = html.split('<nav class="funders-pages"')[1].split("</nav>")[0]
    return [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]+)"', nav)]


def test_the_table_shows_one_page_and_the_totals_every_partnership(world, client):
    html = signed_in(client, funder()).get(URL).content.decode()
    assert slugs(client.get(URL)) == ["alpha-lip", "beta-zip"]
    assert "3 partnerships match these filters." in html
    assert [row[1] for row in _table(html, "totals-province")] == ["2", "1"]
    assert "Partnerships 1 to 2 of 3 (page 1 of 2)." in html


def test_the_second_page_holds_the_rest(world, client):
    response = signed_in(client, funder()).get(URL, {"page": "2"})
    assert response.status_code == 200
    assert slugs(response) == ["gamma-lip"]
    assert 'aria-current="page"' in response.content.decode()


def test_sorting_covers_every_partnership_before_the_page_is_cut(world, client):
    response = signed_in(client, funder()).get(URL, {"o": "-members"})
    assert slugs(response) == ["gamma-lip", "alpha-lip"]
    assert slugs(client.get(URL, {"o": "-members", "page": "2"})) == ["beta-zip"]


def test_page_links_keep_the_filters_and_the_sort(world, client):
    params = {"kind": ["LIP", "ZIP"], "o": "name"}
    html = signed_in(client, funder()).get(URL, params).content.decode()
    links = page_links(html)
    assert "?kind=LIP&kind=ZIP&o=name&page=2" in links
    assert all("kind=LIP&kind=ZIP&o=name" in link for link in links)
    assert slugs(client.get(URL + links[-1])) == ["gamma-lip"]  # "Next page"


def test_a_new_sort_starts_on_the_first_page(world, client):
    html = signed_in(client, funder()).get(URL, {"o": "name", "page": "2"}).content.decode()
    assert 'aria-sort="ascending"><a href="?o=-name"' in html


def test_one_page_has_no_page_links(world, client):
    html = signed_in(client, funder()).get(URL, {"province": "BC"}).content.decode()
    assert 'class="funders-pages"' not in html


def test_an_empty_page_number_is_the_first_page(world, client):
    assert slugs(signed_in(client, funder()).get(URL, {"page": ""})) == ["alpha-lip", "beta-zip"]


@pytest.mark.parametrize("page", ["abc", "0", "-1", "3", "1.5"])
def test_a_bad_page_number_is_refused_with_the_reason(world, client, page):
    response = signed_in(client, funder()).get(URL, {"page": page})
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not a page of this table" in html
    assert "Choose a page number from 1 to 2." in html
    assert slugs(response) == []


def test_sorting_on_indicators_counts_them_for_every_partnership(world, client):
    response = signed_in(client, funder()).get(URL, {"o": "indicators", "page": "1"})
    assert slugs(response) == ["alpha-lip", "beta-zip"]  # the only one with indicators first
    row = response.content.decode().split('<tr data-partnership="alpha-lip">')[1]
    assert "43&nbsp;%" in row.split("</tr>")[0]

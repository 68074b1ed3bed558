"""HTTP behaviour of the API: validators and 304s, CORS, and query counts that do not grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    CommunityFactory,
    CouncilFactory,
    CouncilMembershipFactory,
    PartnershipFactory,
    WorkingGroupFactory,
)

DATA_URLS = [
    "/api/partnerships/",
    "/api/partnerships/?province=AB",
    "/api/partnerships/calgary-lip/",
    "/api/partnerships.geojson",
    "/api/focus-areas/",
    "/api/sectors/",
]


@pytest.mark.parametrize("url", DATA_URLS)
def test_responses_carry_etag_and_last_modified(client, directory, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["ETag"] and response["Last-Modified"]


@pytest.mark.parametrize("url", DATA_URLS)
def test_same_etag_answers_304(client, directory, url):
    etag = client.get(url)["ETag"]
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


@pytest.mark.parametrize("url", DATA_URLS)
def test_unchanged_since_last_modified_answers_304(client, directory, url):
    modified = client.get(url)["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304


def test_a_change_to_the_data_changes_the_etag(client, directory):
    url = "/api/partnerships/calgary-lip/"
    etag = client.get(url)["ETag"]
    directory.calgary.acronym = "CLIP2"
    directory.calgary.save()
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["acronym"] == "CLIP2"


def test_get_is_allowed_from_any_origin_without_credentials(client, directory):
    response = client.get("/api/partnerships/", HTTP_ORIGIN="https://maps.example.net")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_preflight_allows_get_only(client, directory):
    response = client.options(
        "/api/partnerships.geojson",
        HTTP_ORIGIN="https://maps.example.net",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_cors_stays_off_the_pages(client, directory):
    response = client.get("/partnerships/", HTTP_ORIGIN="https://maps.example.net")
    assert "Access-Control-Allow-Origin" not in response


def test_validators_are_readable_cross_origin(client, directory):
    response = client.get("/api/sectors/", HTTP_ORIGIN="https://maps.example.net")
    exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"etag", "last-modified"} <= exposed


# -- query counts -------------------------------------------------------------------------


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def add_partnerships(count: int) -> None:
    """``count`` more Alberta partnerships, each with two communities and a source."""
    for n in range(count):
        PartnershipFactory(
            slug=f"extra-{n}",
            communities=[CommunityFactory(), CommunityFactory()],
        )


def test_list_queries_do_not_grow_with_page_size(client, directory):
    add_partnerships(100)
    small = queries(client, "/api/partnerships/?page_size=1")
    large = queries(client, "/api/partnerships/?page_size=100")
    # revision, the page cache's sample flag (cached a minute outside tests), the focus
    # filter's coverage note, count, page, focus areas
    assert small == large <= 6


def test_near_list_queries_do_not_grow_with_page_size(client, directory):
    add_partnerships(60)
    small = queries(client, "/api/partnerships/?near=Calgary&radius=500&page_size=1")
    large = queries(client, "/api/partnerships/?near=Calgary&radius=500&page_size=100")
    assert small == large <= 8


def test_geojson_queries_do_not_grow_with_partnerships(client, directory):
    add_partnerships(2)  # 10 partnerships
    ten = queries(client, "/api/partnerships.geojson")
    for n in range(190):
        PartnershipFactory(slug=f"more-{n}", communities=[CommunityFactory()])
    two_hundred = queries(client, "/api/partnerships.geojson")
    # revision, sample flag, the focus filter's coverage note, partnerships, their places
    assert ten == two_hundred <= 5


def test_detail_queries_do_not_grow_with_the_roster(client, directory):
    council = CouncilFactory(partnership=directory.edmonton)
    CouncilMembershipFactory(council=council)
    WorkingGroupFactory(partnership=directory.edmonton)
    small = queries(client, "/api/partnerships/edmonton-lip/")
    for n in range(30):
        CouncilMembershipFactory(council=council, publish_consent=n % 2 == 0)
    for _n in range(5):
        WorkingGroupFactory(partnership=directory.edmonton)
    assert queries(client, "/api/partnerships/edmonton-lip/") == small


def test_detail_query_budget(client, directory):
    assert queries(client, "/api/partnerships/calgary-lip/") <= 14

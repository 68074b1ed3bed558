"""Unchanged public pages come from the page cache, keyed on the data revision."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import caches
from django.urls import reverse

from partnerships.models import Council
from tests.factories import CouncilFactory, PartnershipFactory, UserFactory

LIST = "/partnerships/"


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The production page cache (off in the test settings), empty for each test."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"pages-{uuid.uuid4().hex}",
        },
    }
    settings.PAGE_CACHE_SECONDS = 300
    yield caches["pages"]
    caches["pages"].clear()


@pytest.fixture
def partnership(db):
    return PartnershipFactory(name="Brooks Local Immigration Partnership", slug="brooks-lip")


def test_second_anonymous_visit_is_served_from_the_cache(client, partnership):
    first = client.get(LIST)
    second = client.get(LIST)
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_cached_page_costs_only_the_revision_and_sample_flag_queries(
    client, partnership, django_assert_max_num_queries
):
    client.get(LIST)
    with django_assert_max_num_queries(2):
        assert client.get(LIST)["X-Page-Cache"] == "hit"


def test_a_change_shows_at_once(client, partnership):
    client.get(LIST)
    partnership.name = "Renamed Partnership"
    partnership.save()  # bumps the revision, as an admin save does
    response = client.get(LIST)
    assert response["X-Page-Cache"] == "miss"
    assert "Renamed Partnership" in response.text


def test_languages_are_cached_apart(client, partnership):
    client.get(LIST)
    french = client.get("/fr/partnerships/")
    assert french["X-Page-Cache"] == "miss"
    assert '<html lang="fr">' in french.text
    again = client.get("/fr/partnerships/")
    assert again["X-Page-Cache"] == "hit"
    assert '<html lang="fr">' in again.text
    assert '<html lang="en">' in client.get(LIST).text


def test_the_sample_data_notice_never_leaks_between_entries(client, partnership):
    council = CouncilFactory(partnership=partnership)
    before = client.get(LIST)
    assert "sample-banner" not in before.text
    # Flag a row without any signal: the revision does not move, only the notice's flag.
    Council.objects.filter(pk=council.pk).update(is_sample=True)
    with_notice = client.get(LIST)
    assert with_notice["X-Page-Cache"] == "miss"
    assert "sample-banner" in with_notice.text
    Council.objects.filter(pk=council.pk).update(is_sample=False)
    after = client.get(LIST)
    assert after["X-Page-Cache"] == "hit"
    assert "sample-banner" not in after.text


def test_query_strings_are_cached_apart(client, partnership):
    client.get(LIST)
    response = client.get(LIST, {"province": "ON"})
    assert response["X-Page-Cache"] == "miss"
    assert "Brooks Local Immigration Partnership" not in response.text


def test_hosts_are_cached_apart(client, partnership):
    client.get(LIST, HTTP_HOST="localhost")
    response = client.get(LIST, HTTP_HOST="127.0.0.1")
    assert response["X-Page-Cache"] == "miss"
    assert "http://127.0.0.1/partnerships/" in response.text  # its own canonical address


def test_signed_in_users_always_get_a_fresh_page(client, partnership):
    client.get(LIST)
    client.force_login(UserFactory())
    response = client.get(LIST)
    assert response.status_code == 200
    assert "X-Page-Cache" not in response


def test_errors_are_not_cached(client, partnership):
    client.get(LIST, {"province": "XX"})
    response = client.get(LIST, {"province": "XX"})
    assert response.status_code == 400
    assert "X-Page-Cache" not in response


def test_a_detail_page_is_cached_too(client, partnership):
    url = reverse("directory:partnership-detail", args=[partnership.slug])
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_a_cached_page_still_answers_conditional_requests(client, partnership):
    etag = client.get(LIST)["ETag"]
    assert client.get(LIST)["ETag"] == etag
    assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_cache_can_be_turned_off(client, partnership, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(LIST)
    assert "X-Page-Cache" not in client.get(LIST)


def test_a_miss_costs_no_more_queries_than_no_cache(client, partnership, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0
    client.get(LIST)  # warm the per-process lookups
    with CaptureQueriesContext(connection) as uncached:
        client.get(LIST)
    settings.PAGE_CACHE_SECONDS = 300
    with CaptureQueriesContext(connection) as miss:
        assert client.get(LIST)["X-Page-Cache"] == "miss"
    assert len(miss) == len(uncached)


def test_api_answers_are_cached_with_their_headers(client, partnership):
    url = reverse("api:partnership-list")
    first = client.get(url, HTTP_ORIGIN="https://example.net")
    second = client.get(url, HTTP_ORIGIN="https://example.net")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.json() == first.json()
    assert second["Content-Type"] == first["Content-Type"] == "application/json"
    assert second["Access-Control-Allow-Origin"] == "*"  # added by middleware on every answer


def test_every_header_the_view_set_is_kept_on_a_hit(client, partnership):
    url = reverse("api:partnership-list")
    first = client.get(url)
    second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    for name in ("Allow", "Content-Type", "Vary"):
        assert second[name] == first[name], name

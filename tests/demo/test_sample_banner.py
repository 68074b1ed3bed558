"""The site-wide sample-data notice: on every public and admin page while sample rows exist."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo.flags import SAMPLE_FLAG_KEY, sample_data_present
from demo.generator import load_demo_data
from demo.removal import remove_sample_data
from partnerships.models import Council
from tests.demo.helpers import TODAY
from tests.factories import CouncilFactory, PartnershipFactory, UserFactory
from tests.partnerships.admin_helpers import MODEL_BACKEND

BANNER = 'class="sample-banner"'
PUBLIC = ["/", "/partnerships/", "/partnerships/map/", "/fr/partnerships/"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sample_council(db):
    return CouncilFactory(is_sample=True)


@pytest.fixture
def superuser_client(client, db):
    user = UserFactory(is_superuser=True)
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def flag_queries(queries) -> list[str]:
    """The flag's own query, or the revision's when it reads the flag too (EXISTS … OR …)."""
    return [
        q["sql"]
        for q in queries
        if ("UNION ALL" in q["sql"] or "EXISTS" in q["sql"]) and "is_sample" in q["sql"]
    ]


@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages_carry_the_notice_while_sample_rows_exist(client, sample_council, url):
    body = client.get(url).content.decode()
    assert BANNER in body
    assert 'aria-labelledby="sample-banner-title"' in body


def test_the_detail_page_carries_the_notice(client, sample_council):
    body = client.get(sample_council.partnership.get_absolute_url()).content.decode()
    assert BANNER in body


def test_no_notice_without_sample_rows(client, db):
    CouncilFactory(is_sample=False)
    for url in [*PUBLIC, "/admin/login/"]:
        assert BANNER not in client.get(url).content.decode(), url


def test_the_notice_is_in_english_and_french(client, sample_council):
    english = client.get("/partnerships/").content.decode()
    french = client.get("/fr/partnerships/").content.decode()
    assert "Demonstration site: sample data" in english
    assert "are generated sample data, not real" in english
    assert "Site de démonstration\u00a0: données d’exemple" in french
    assert "sont des données d’exemple générées, et non réelles" in french


def test_the_admin_login_page_carries_the_notice(client, sample_council):
    assert BANNER in client.get("/admin/login/").content.decode()


@pytest.mark.parametrize("url", ["/admin/", "/admin/funders/", "/admin/partnerships/council/"])
def test_admin_pages_carry_the_notice(superuser_client, sample_council, url):
    response = superuser_client.get(url)
    assert response.status_code == 200
    assert BANNER in response.content.decode()


def test_a_change_form_carries_the_notice(superuser_client, sample_council):
    response = superuser_client.get(f"/admin/partnerships/council/{sample_council.pk}/change/")
    assert BANNER in response.content.decode()


def test_the_flag_costs_one_query_per_request_whatever_the_page_renders(client, sample_council):
    for _ in range(3):
        CouncilFactory(is_sample=True)
    with CaptureQueriesContext(connection) as queries:
        client.get(sample_council.partnership.get_absolute_url())
    assert len(flag_queries(queries.captured_queries)) == 1


def test_a_sample_row_of_any_kind_turns_the_flag_on(db):
    from tests.factories import MeasurementFactory

    MeasurementFactory()
    assert not sample_data_present()
    MeasurementFactory(is_sample=True)
    assert sample_data_present()


def test_loading_the_demo_forgets_the_cached_answer(db):
    cache.set(SAMPLE_FLAG_KEY, False)
    load_demo_data(today=TODAY)  # no partnership: nothing to generate, but bulk writes ran
    assert cache.get(SAMPLE_FLAG_KEY) is None


def test_removing_the_demo_forgets_the_cached_answer(db):
    cache.set(SAMPLE_FLAG_KEY, True)
    remove_sample_data()
    assert cache.get(SAMPLE_FLAG_KEY) is None


def test_saving_or_deleting_a_sample_row_forgets_the_cached_answer(db):
    partnership = PartnershipFactory()
    cache.set(SAMPLE_FLAG_KEY, False)
    council = Council.objects.create(partnership=partnership, name="Sample", is_sample=True)
    assert cache.get(SAMPLE_FLAG_KEY) is None
    cache.set(SAMPLE_FLAG_KEY, True)
    council.delete()
    assert cache.get(SAMPLE_FLAG_KEY) is None


def test_saving_a_real_row_keeps_the_cached_answer(db):
    cache.set(SAMPLE_FLAG_KEY, False)
    CouncilFactory(is_sample=False)
    assert cache.get(SAMPLE_FLAG_KEY) is False


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_answer_is_cached_until_a_sample_row_changes(client):
    partnership = PartnershipFactory()
    with CaptureQueriesContext(connection) as first:
        assert BANNER not in client.get("/partnerships/").content.decode()
    with CaptureQueriesContext(connection) as second:
        client.get("/partnerships/")
    assert len(flag_queries(first.captured_queries)) == 1
    assert flag_queries(second.captured_queries) == []

    council = Council.objects.create(partnership=partnership, name="Sample", is_sample=True)
    assert BANNER in client.get("/partnerships/").content.decode()
    council.delete()
    assert BANNER not in client.get("/partnerships/").content.decode()

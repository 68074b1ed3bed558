"""The data revision moves on with every change, once per transaction, and drives 304s."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from directory.revision import bump_revision, current_revision
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def test_saving_a_partnership_moves_the_revision_on():
    before = current_revision().number
    PartnershipFactory()
    assert current_revision().number > before


def test_many_saves_in_one_atomic_block_bump_once():
    before = current_revision().number
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        for _ in range(5):
            bump_revision()
    updates = [q for q in captured.captured_queries if "directory_revision" in q["sql"]]
    assert len(updates) == 1
    assert current_revision().number == before + 1


def test_the_commit_bumps_again_so_pages_cached_mid_transaction_go_stale(
    django_capture_on_commit_callbacks,
):
    before = current_revision().number
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        bump_revision()
    assert current_revision().number == before + 2


def test_unchanged_detail_page_answers_304_to_its_etag(client):
    partnership = PartnershipFactory()
    url = partnership.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


def test_a_change_makes_the_old_etag_stale(client):
    partnership = PartnershipFactory()
    url = partnership.get_absolute_url()
    etag = client.get(url)["ETag"]
    partnership.name = "Renamed partnership"
    partnership.save()
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "Renamed partnership" in response.content.decode()


def test_each_language_has_its_own_etag(client):
    partnership = PartnershipFactory()
    english = client.get(partnership.get_absolute_url())["ETag"]
    french = client.get("/fr" + partnership.get_absolute_url())["ETag"]
    assert english != french


def test_unchanged_list_answers_304_after_its_last_modified(client):
    PartnershipFactory()
    first = client.get("/partnerships/")
    again = client.get("/partnerships/", headers={"if-modified-since": first["Last-Modified"]})
    assert again.status_code == 304


def test_rows_in_released_savepoints_bump_once_per_transaction():
    """An import saves each row in its own savepoint: still one bump, not one per row."""
    before = current_revision().number
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        for _ in range(5):
            with transaction.atomic():
                bump_revision()
    updates = [q for q in captured.captured_queries if "directory_revision" in q["sql"]]
    assert len(updates) == 1
    assert current_revision().number == before + 1


def test_a_rolled_back_bump_is_made_again():
    before = current_revision().number
    with transaction.atomic():
        try:
            with transaction.atomic():
                bump_revision()
                raise RuntimeError("row failed")
        except RuntimeError:
            pass
        bump_revision()
    assert current_revision().number == before + 1

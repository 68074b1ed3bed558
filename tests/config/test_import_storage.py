"""The roster import's upload lives in the shared database cache, not on one server's disk."""

from __future__ import annotations

import tempfile

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.urls import reverse

from config.import_storage import SharedCacheStorage
from partnerships.models import CouncilMembership
from tests.factories import CouncilFactory, PartnershipFactory
from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import coordinator_of
from tests.partnerships.roster_import.helpers import CSV_FORMAT, PROCESS_URL, upload

pytestmark = pytest.mark.django_db

ROWS = b"partnership,council,organization,person_name,title,phone,role\n" + (
    b"testville-a,Main Council,,Ana,,,member\n"
)


@pytest.fixture
def coordinator_client(client):
    partnership = PartnershipFactory(slug="testville-a", province="AB")
    CouncilFactory(partnership=partnership, name="Main Council")
    client.force_login(coordinator_of(partnership), backend=MODEL_BACKEND)
    return client


def test_imports_use_the_shared_storage():
    assert settings.IMPORT_EXPORT_TMP_STORAGE_CLASS == "config.import_storage.SharedCacheStorage"
    assert settings.CACHES["imports"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_migrate_creates_the_cache_table():
    assert settings.CACHES["imports"]["LOCATION"] in connection.introspection.table_names()


def test_confirmation_works_on_another_server(coordinator_client, monkeypatch, tmp_path):
    """Preview on one server; confirm on one with an empty memory cache and temp folder."""
    preview = upload(coordinator_client, "one.csv", CSV_FORMAT, ROWS)
    form = preview.context["confirm_form"]
    data = {key: form.initial[key] for key in form.initial}
    # "Another server": nothing of the first process's memory or disk is there.
    caches["default"].clear()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    response = coordinator_client.post(reverse(PROCESS_URL), data)
    assert response.status_code == 302
    assert CouncilMembership.objects.get().person_name == "Ana"
    assert not list(tmp_path.iterdir()), "nothing was written to the local disk"


def test_an_upload_is_claimed_once():
    storage = SharedCacheStorage()
    storage.save("a,b\n1,2\n")
    first = SharedCacheStorage(name=storage.name)
    first.claim()
    assert first.read() == "a,b\n1,2\n"
    with pytest.raises(FileNotFoundError):
        SharedCacheStorage(name=storage.name).claim()


def test_binary_uploads_are_kept_as_bytes():
    storage = SharedCacheStorage(read_mode="rb")
    storage.save(b"PK\x03\x04 xlsx bytes")
    assert SharedCacheStorage(name=storage.name).read() == b"PK\x03\x04 xlsx bytes"


def test_removed_uploads_are_gone():
    storage = SharedCacheStorage()
    storage.save("x")
    storage.remove()
    assert SharedCacheStorage(name=storage.name).read() is None

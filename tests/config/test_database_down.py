"""The database is unreachable: pages answer 503 with a short translated page, no traceback.

These tests simulate the failure inside one process (on both databases);
``tests/reliability/test_database_down.py`` stops a real PostgreSQL server.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def revision_fails(error: Exception):
    return mock.patch("directory.revision.current_revision", side_effect=error)


@pytest.mark.parametrize("error", [OperationalError("server closed"), InterfaceError("closed")])
def test_public_page_answers_503_with_retry_after(client, error):
    with revision_fails(error):
        response = client.get("/partnerships/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "temporarily unavailable" in response.text
    assert "Traceback" not in response.text
    assert "server closed" not in response.text


def test_the_503_page_is_in_french_under_fr(client):
    with revision_fails(OperationalError("down")):
        response = client.get("/fr/partnerships/")
    assert response.status_code == 503
    assert '<html lang="fr">' in response.text
    assert "temporairement indisponible" in response.text


def test_the_503_page_is_never_cached(client):
    with revision_fails(OperationalError("down")):
        response = client.get("/")
    assert response["Cache-Control"] == "no-store"


def test_admin_answers_503_when_the_session_cannot_be_read(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=OperationalError("down"),
    ):
        response = client.get("/admin/")
    assert response.status_code == 503
    assert "temporarily unavailable" in response.text


def test_an_error_raised_in_a_middleware_also_answers_503(client, settings):
    """Outside a view, Django's handler500 (config.middleware.server_error) decides."""
    settings.DEBUG = False
    client.raise_request_exception = False
    with mock.patch(
        "config.middleware.RequestSanityMiddleware.__call__",
        side_effect=OperationalError("down"),
        autospec=True,
    ):
        response = client.get("/partnerships/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


def test_other_errors_still_answer_500_without_a_traceback(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    with mock.patch("directory.revision.current_revision", side_effect=ValueError("bug")):
        response = client.get("/partnerships/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "bug" not in response.text


def test_connections_are_health_checked_before_reuse(settings):
    """After a database restart, a kept connection is replaced instead of failing a request."""
    from django.conf import settings as live

    assert live.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True

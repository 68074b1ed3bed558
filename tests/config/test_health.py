"""``/healthz``: the database answers (200) or not (503), without session, host check or cache."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def broken_cursor():
    return mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("connection refused"),
    )


def test_healthy_database_answers_200_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}


def test_unreachable_database_answers_503_without_details(client):
    with broken_cursor():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "database": "unavailable"}
    assert response["Retry-After"]
    assert b"refused" not in response.content


def test_health_is_never_cached(client):
    cache_control = client.get("/healthz")["Cache-Control"]
    assert "no-store" in cache_control
    assert "no-cache" in cache_control


def test_health_sets_no_cookie_and_reads_no_session(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1, nothing else
        response = client.get("/healthz")
    assert not response.cookies


def test_health_answers_any_host_and_plain_http(client, settings):
    """Probes use the server's own address and speak HTTP to it behind the proxy."""
    settings.ALLOWED_HOSTS = ["directory.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200


def test_health_has_no_language_prefix(client):
    assert reverse("healthz") == "/healthz"
    assert client.get("/fr/healthz").status_code == 404


def test_head_answers_without_a_body(client):
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""

"""Structured logs: one JSON line per request and per error, without personal data."""

from __future__ import annotations

import json
import logging

import pytest

from config.logging import JSONFormatter
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def request_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "site.requests"]


def as_json(record: logging.LogRecord) -> dict:
    line = JSONFormatter().format(record)
    assert "\n" not in line
    return json.loads(line)


def test_one_line_per_request_with_method_path_status_duration(client, caplog):
    with caplog.at_level(logging.INFO, logger="site.requests"):
        response = client.get("/partnerships/")
    (record,) = request_records(caplog)
    line = as_json(record)
    assert line["method"] == "GET"
    assert line["path"] == "/partnerships/"
    assert line["status"] == response.status_code == 200
    assert isinstance(line["duration_ms"], float)
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] is None


def test_query_values_are_never_logged_only_their_names(client, caplog):
    """near= holds a postal code and q= may hold a name: both stay out of the logs."""
    with caplog.at_level(logging.INFO):
        client.get("/partnerships/", {"near": "T1R 0A1", "q": "Jane Doe"})
    (record,) = request_records(caplog)
    line = as_json(record)
    assert line["params"] == ["near", "q"]
    everything = "\n".join(JSONFormatter().format(r) for r in caplog.records)
    assert "T1R" not in everything
    assert "Jane" not in everything


def test_the_proxy_request_id_is_kept(client, caplog):
    with caplog.at_level(logging.INFO, logger="site.requests"):
        response = client.get("/", HTTP_X_REQUEST_ID="proxy-1234.abc")
    assert response["X-Request-ID"] == "proxy-1234.abc"
    assert as_json(request_records(caplog)[0])["request_id"] == "proxy-1234.abc"


def test_a_malformed_request_id_is_replaced(client):
    response = client.get("/", HTTP_X_REQUEST_ID='bad id"\n{}')
    assert response["X-Request-ID"] != 'bad id"\n{}'
    assert len(response["X-Request-ID"]) == 32


def test_the_signed_in_users_id_is_logged(client, caplog):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="site.requests"):
        client.get("/admin/")
    assert as_json(request_records(caplog)[0])["user_id"] == user.pk


def test_errors_carry_the_request_id_and_their_traceback(client, caplog, settings, monkeypatch):
    settings.DEBUG = False
    client.raise_request_exception = False

    def boom(*args, **kwargs):
        raise ValueError("broken view")

    monkeypatch.setattr("directory.revision.current_revision", boom)
    with caplog.at_level(logging.INFO):
        response = client.get("/partnerships/")
    assert response.status_code == 500
    error = next(r for r in caplog.records if r.name == "django.request")
    line = as_json(error)
    assert line["level"] == "ERROR"
    assert line["request_id"] == response["X-Request-ID"]
    assert "ValueError: broken view" in line["exception"]


def test_production_logs_are_json_on_stdout(settings):
    from django.conf import settings as live

    handler = live.LOGGING["handlers"]["console"]
    assert handler["stream"] == "ext://sys.stdout"
    assert live.LOGGING["formatters"]["json"]["()"] == "config.logging.JSONFormatter"

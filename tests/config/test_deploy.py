"""Production settings and the gunicorn configuration, each read in a fresh process.

``tests/test_settings.py::test_deploy_checks_pass_with_production_environment`` runs
``manage.py check --deploy --fail-level WARNING`` with the same environment.
"""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
STRONG_KEY = "k3y-" + "x7Qp9vR2mW4tY6uZ8aB1cD3eF5gH7jK9LmN0pQ2rS4tU6vW8yZ"
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "directory.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://directory.example.org",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}
DUMP = """
import json
from django.conf import settings
print(json.dumps({
    "csp": getattr(settings, "CONTENT_SECURITY_POLICY", None),
    "csp_report_only": getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None),
    "redirect_exempt": settings.SECURE_REDIRECT_EXEMPT,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "log_format": settings.LOG_FORMAT,
    "health_checks": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
    "tmp_storage": settings.IMPORT_EXPORT_TMP_STORAGE_CLASS,
    "middleware": settings.MIDDLEWARE,
}))
"""
GUNICORN_VARIABLES = (
    "GUNICORN_BIND",
    "GUNICORN_WORKERS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_MAX_REQUESTS",
    "FORWARDED_ALLOW_IPS",
    "GUNICORN_ACCESS_LOG",
)


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "DATABASE_URL"}
    return subprocess.run(
        args, cwd=BASE_DIR, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def production_settings(**extra: str) -> dict:
    code = "import django; django.setup()\n" + DUMP
    result = run([sys.executable, "-c", code], **PRODUCTION, **extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_has_the_content_security_policy():
    csp = production_settings()["csp"]["DIRECTIVES"]
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["style-src"]


def test_a_new_policy_can_be_tried_in_report_only_mode():
    dumped = production_settings(CSP_REPORT_ONLY="true")
    assert dumped["csp"] is None
    assert dumped["csp_report_only"]["DIRECTIVES"]["default-src"] == ["'self'"]


def test_another_tile_server_is_allowed_for_images():
    dumped = production_settings(MAP_TILE_URL="https://{s}.tiles.example.net/{z}/{x}/{y}.png")
    assert "https://*.tiles.example.net" in dumped["csp"]["DIRECTIVES"]["img-src"]


def test_production_redirects_to_https_except_the_health_check():
    dumped = production_settings()
    assert dumped["ssl_redirect"] is True
    assert dumped["redirect_exempt"] == [r"^healthz/?$"]


def test_production_logs_json_and_checks_connections():
    dumped = production_settings()
    assert dumped["log_format"] == "json"
    assert dumped["health_checks"] is True
    assert dumped["tmp_storage"] == "config.import_storage.SharedCacheStorage"
    assert dumped["middleware"][:2] == [
        "config.health.HealthCheckMiddleware",
        "config.logging.RequestLogMiddleware",
    ]


def test_an_unknown_log_format_is_refused():
    code = "import django; django.setup()"
    result = run([sys.executable, "-c", code], **PRODUCTION, LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT" in result.stderr


# -- gunicorn.conf.py -----------------------------------------------------------------------


def gunicorn_conf(monkeypatch, **env: str) -> dict:
    for name in GUNICORN_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))


def test_gunicorn_defaults(monkeypatch):
    conf = gunicorn_conf(monkeypatch)
    assert conf["bind"] == "127.0.0.1:8000"
    assert conf["workers"] == min(2 * os.cpu_count() + 1, 8)
    assert conf["timeout"] == 30
    assert conf["graceful_timeout"] == 30
    assert conf["max_requests"] == 1000
    assert conf["max_requests_jitter"] == 100
    assert conf["preload_app"] is True
    assert conf["forwarded_allow_ips"] == "127.0.0.1"
    assert conf["errorlog"] == "-"
    assert conf["accesslog"] is None


def test_gunicorn_workers_are_capped(monkeypatch):
    conf = gunicorn_conf(monkeypatch)
    assert conf["default_workers"](cores=2) == 5
    assert conf["default_workers"](cores=16) == 8


def test_gunicorn_reads_the_environment(monkeypatch):
    conf = gunicorn_conf(
        monkeypatch,
        GUNICORN_BIND="0.0.0.0:9000",
        GUNICORN_WORKERS="3",
        GUNICORN_TIMEOUT="60",
        FORWARDED_ALLOW_IPS="10.0.0.2",
        GUNICORN_ACCESS_LOG="1",
    )
    assert conf["bind"] == "0.0.0.0:9000"
    assert conf["workers"] == 3
    assert conf["timeout"] == 60
    assert conf["forwarded_allow_ips"] == "10.0.0.2"
    assert conf["accesslog"] == "-"


def test_gunicorn_accepts_the_configuration_and_loads_the_app():
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if not gunicorn.exists():
        pytest.skip("gunicorn is not installed in this environment")
    result = run(
        [str(gunicorn), "-c", "gunicorn.conf.py", "--check-config", "config.wsgi"], **PRODUCTION
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_gunicorn_access_lines_are_json_without_the_query_string(monkeypatch):
    import datetime
    from types import SimpleNamespace

    from gunicorn.config import Config

    conf = gunicorn_conf(monkeypatch, GUNICORN_ACCESS_LOG="1")
    logger = conf["JSONAccessLogger"](Config())
    lines = []
    monkeypatch.setattr(logger.access_log, "info", lines.append)
    response = SimpleNamespace(status="200 OK", sent=512, headers=[("X-Request-ID", "abc-1")])
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": '/partnerships/"x', "QUERY_STRING": "near=T1R"}
    logger.access(response, None, environ, datetime.timedelta(milliseconds=12.34))
    (line,) = lines
    data = json.loads(line)
    assert data["path"] == '/partnerships/"x'
    assert data["status"] == 200
    assert data["duration_ms"] == 12.3
    assert data["request_id"] == "abc-1"
    assert "T1R" not in line

"""Settings come from the environment: each case imports the settings in a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
STRONG_KEY = "k3y-" + "x7Qp9vR2mW4tY6uZ8aB1cD3eF5gH7jK9LmN0pQ2rS4tU6vW8yZ"
# Variables the settings read; cleared so the developer's shell cannot leak into a case.
SETTINGS_VARIABLES = (
    "DATABASE_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "DJANGO_SETTINGS_MODULE",
)

DUMP_SETTINGS = """
import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
from django.conf import settings

db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"],
    "name": str(db["NAME"]),
    "host": db.get("HOST", ""),
    "port": str(db.get("PORT", "")),
    "settings_module": settings.SETTINGS_MODULE,
    "debug": settings.DEBUG,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "csrf_trusted_origins": settings.CSRF_TRUSTED_ORIGINS,
}))
"""


def run_python(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def load_settings(**env: str) -> dict:
    result = run_python(["-c", DUMP_SETTINGS], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_default_database_is_sqlite_file_in_the_project():
    loaded = load_settings()
    # These cases check the real settings, not the test settings pytest runs on.
    assert loaded["settings_module"] == "config.settings"
    assert loaded["engine"] == "django.db.backends.sqlite3"
    assert Path(loaded["name"]) == BASE_DIR / "db.sqlite3"
    assert loaded["debug"] is True


def test_postgres_url_selects_postgresql():
    loaded = load_settings(DATABASE_URL="postgres://app:secret@db.example.org:5433/directory")
    assert loaded["engine"] == "django.db.backends.postgresql"
    assert loaded["name"] == "directory"
    assert loaded["host"] == "db.example.org"
    assert loaded["port"] == "5433"


def test_production_without_secret_key_refuses_to_start():
    result = run_python(["-c", DUMP_SETTINGS], DEBUG="false", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "weak_key",
    ["short-key", "django-insecure-" + "a" * 60],
    ids=["too-short", "django-insecure-prefix"],
)
def test_production_with_weak_secret_key_refuses_to_start(weak_key):
    result = run_python(
        ["-c", DUMP_SETTINGS], DEBUG="false", SECRET_KEY=weak_key, ALLOWED_HOSTS="example.org"
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_allowed_hosts_and_csrf_origins_are_comma_lists():
    loaded = load_settings(
        DEBUG="false",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS=" directory.example.org, www.example.org ,,",
        CSRF_TRUSTED_ORIGINS="https://directory.example.org",
    )
    assert loaded["debug"] is False
    assert loaded["allowed_hosts"] == ["directory.example.org", "www.example.org"]
    assert loaded["csrf_trusted_origins"] == ["https://directory.example.org"]


def test_production_has_no_default_allowed_hosts():
    loaded = load_settings(DEBUG="false", SECRET_KEY=STRONG_KEY)
    assert loaded["allowed_hosts"] == []


def test_deploy_checks_pass_with_production_environment():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="false",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="directory.example.org",
        CSRF_TRUSTED_ORIGINS="https://directory.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr


def test_pytest_runs_on_the_real_settings_plus_speed_ups_only():
    """config.settings_test changes nothing a test could observe but the hasher and cache."""
    from django.conf import settings

    import config.settings as real
    import config.settings_test as testing

    assert os.environ["DJANGO_SETTINGS_MODULE"] == "config.settings_test"
    assert settings.PASSWORD_HASHERS == testing.PASSWORD_HASHERS
    names = {name for name in dir(real) + dir(testing) if name.isupper()}
    differing = {
        name for name in names if getattr(real, name, None) != getattr(testing, name, None)
    }
    assert differing == {"PASSWORD_HASHERS", "CACHES"}

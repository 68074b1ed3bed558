"""PostgreSQL stops under a running gunicorn, then comes back: 503s, then 200s by themselves.

A throwaway PostgreSQL cluster of its own (``scripts/with_postgres.py``'s ``Cluster``) is
migrated and served by gunicorn with ``gunicorn.conf.py`` and production settings (persistent
connections, ``CONN_HEALTH_CHECKS``). The cluster is stopped with ``pg_ctl``: a public page,
the admin (signed in) and ``/healthz`` answer 503 with the friendly page or JSON and no
traceback. It is started again: every worker answers 200 again without a restart.

PostgreSQL only: on SQLite there is no server to stop (``tests/config/test_database_down.py``
simulates the failure on both databases).
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.reliability.db_down_settings"
SESSION_SCRIPT = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
user = get_user_model().objects.create_superuser("ops", "ops@example.org", "Ops-password-2026")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def load_with_postgres():
    spec = importlib.util.spec_from_file_location(
        "with_postgres", ROOT / "scripts/with_postgres.py"
    )
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def pg_ctl(cluster, *args: str) -> None:
    cluster._run([str(cluster.bindir / "pg_ctl"), *args, "--pgdata", str(cluster.data)], timeout=90)


def start_again(cluster) -> None:
    options = f"-p {cluster.port} -k {cluster.sockets} -c listen_addresses=127.0.0.1 -F"
    pg_ctl(cluster, "start", "--wait", "--log", str(cluster.logfile), "-o", options)


def get(port: int, path: str, session: str | None = None) -> tuple[int, dict, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": "localhost"}
    )
    if session:
        request.add_header("Cookie", f"sessionid={session}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def environment() -> dict[str, str]:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: it stops a real database server (SQLite has none)")
    return {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "localhost",
        "SECURE_SSL_REDIRECT": "false",
        "CONN_MAX_AGE": "600",
        "PYTHONPATH": str(ROOT),
    }


@pytest.fixture
def cluster(environment) -> Iterator:
    with_postgres = load_with_postgres()
    bindir = with_postgres.find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found")
    with with_postgres.Cluster(bindir) as cluster:
        environment["DATABASE_URL"] = cluster.url
        manage = [sys.executable, "manage.py"]
        subprocess.run(
            [*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=environment, check=True
        )
        yield cluster


@pytest.fixture
def server(cluster, environment, tmp_path) -> Iterator[dict]:
    session = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SESSION_SCRIPT],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    port = load_with_postgres().free_port()
    env = {**environment, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"}
    log = (tmp_path / "gunicorn.log").open("wb")
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen(
        [gunicorn, "-c", "gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
            time.sleep(0.5)
        yield {"port": port, "session": session, "log": tmp_path / "gunicorn.log"}
    finally:
        process.terminate()
        process.wait(timeout=60)
        log.close()


def pages(server) -> list[tuple[str, str | None]]:
    return [("/partnerships/", None), ("/fr/", None), ("/admin/", server["session"])]


def test_pages_answer_503_while_postgresql_is_down_and_recover_by_themselves(cluster, server):
    port = server["port"]
    # Up: every worker holds a persistent connection after a few requests.
    for _ in range(4):
        for path, session in pages(server):
            assert get(port, path, session)[0] == 200, path

    pg_ctl(cluster, "stop", "--wait", "--mode", "fast")
    for _ in range(3):  # several requests: both workers, with their dead connections
        for path, session in pages(server):
            status, headers, body = get(port, path, session)
            assert status == 503, (path, status, body[:500])
            assert headers.get("Retry-After") == "30"
            assert "Traceback" not in body and "psycopg" not in body
        status, _, body = get(port, "/healthz")
        assert status == 503
        assert json.loads(body) == {"status": "error", "database": "unavailable"}
    status, _, body = get(port, "/fr/partnerships/")
    assert "temporairement indisponible" in body

    start_again(cluster)
    deadline = time.monotonic() + 30
    while get(port, "/healthz")[0] != 200:
        assert time.monotonic() < deadline, "the health check did not recover"
        time.sleep(0.5)
    for _ in range(4):  # no stuck connection in any worker
        for path, session in pages(server):
            status, _, body = get(port, path, session)
            assert status == 200, (path, status, body[:500])
    assert '"status": 500' not in server["log"].read_text()

"""Data safety: a backup restored gives back exactly the same data, read through the exports.

Two backup paths, each compared through every funder export (CSV bytes, XLSX cell values)
and the public CSV, which between them read every partnership, council, membership, plan,
indicator and measurement:

- ``dumpdata`` then ``flush`` and ``loaddata`` (both databases);
- ``pg_dump -Fc`` then ``pg_restore`` into a new database (PostgreSQL run only), the
  procedure the README gives for backups.
"""

from __future__ import annotations

import io
import os
import subprocess
import uuid

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from partnerships.models import CouncilMembership
from tests.directory.data import build_directory
from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import build_tree, funder

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EXPORTS = ["summary", "composition", "plan-progress", "roster"]


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _xlsx_cells(content: bytes) -> list[list[tuple]]:
    """Every sheet's cell values (the file's own timestamps differ between two downloads)."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets]


def exports(client, user) -> dict[str, object]:
    """Every export's content, read as the funder (and the public CSV anonymously)."""
    for cache in caches.all():
        cache.clear()
    client.force_login(user, backend=MODEL_BACKEND)
    files: dict[str, object] = {}
    for slug in EXPORTS:
        for fmt in ("csv", "xlsx"):
            response = client.get(reverse(f"funders:export-{slug}", kwargs={"fmt": fmt}))
            assert response.status_code == 200, (slug, fmt, response.status_code)
            content = _body(response)
            files[f"{slug}.{fmt}"] = _xlsx_cells(content) if fmt == "xlsx" else content
    client.logout()
    files["public.csv"] = _body(client.get(reverse("directory:partnership-export")))
    return files


@pytest.fixture
def data():
    """A directory with councils, groups and plans in several partnerships, and a funder."""
    build_directory()
    build_tree()
    build_tree()
    return funder()


def test_dumpdata_and_loaddata_reproduce_every_export(client, data, tmp_path):
    before = exports(client, data)
    assert before["roster.csv"].count(b"\n") > CouncilMembership.objects.count() > 0
    dump = tmp_path / "backup.json"
    call_command(
        "dumpdata",
        natural_foreign=True,
        natural_primary=True,
        exclude=["contenttypes", "auth.permission", "sessions", "admin.logentry"],
        output=str(dump),
        verbosity=0,
    )

    call_command("flush", interactive=False, verbosity=0)
    assert not CouncilMembership.objects.exists()
    call_command("loaddata", str(dump), verbosity=0)

    from django.contrib.auth import get_user_model

    restored_funder = get_user_model().objects.get(username=data.username)
    assert exports(client, restored_funder) == before


def _pg(tool: str) -> str:
    from scripts.with_postgres import find_bindir

    bindir = find_bindir()
    if bindir is None or not (bindir / tool).exists():
        pytest.skip(f"{tool} not found")
    return str(bindir / tool)


def _pg_args(name: str) -> tuple[list[str], dict[str, str]]:
    settings = connection.settings_dict
    args = ["--host", settings["HOST"] or "127.0.0.1", "--username", settings["USER"]]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    return [*args, "--dbname", name], {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}


def test_pg_dump_and_pg_restore_reproduce_every_export(client, data, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore: the PostgreSQL run only")
    pg_dump, pg_restore = _pg("pg_dump"), _pg("pg_restore")
    before = exports(client, data)
    original = connection.settings_dict["NAME"]
    restored = f"{original}_restored_{uuid.uuid4().hex[:8]}"
    backup = tmp_path / "backup.dump"
    args, env = _pg_args(original)
    subprocess.run([pg_dump, "-Fc", "--file", str(backup), *args], env=env, check=True)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        args, env = _pg_args(restored)
        subprocess.run(
            [pg_restore, "--no-owner", "--exit-on-error", *args, str(backup)], env=env, check=True
        )
        connection.close()
        connection.settings_dict["NAME"] = restored
        try:
            after = exports(client, data)
        finally:
            connection.close()
            connection.settings_dict["NAME"] = original
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')

    assert after == before

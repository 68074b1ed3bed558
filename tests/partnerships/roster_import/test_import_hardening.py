"""Roster import/export hardening: the holes an outside review found, one section each.

1. the row limit is checked while streaming, before any dataset is built;
2. the confirm step accepts only the file reference this server signed for this user;
3. a value longer than its field is a row error, never cut;
4. a new organization named twice is created once, and a database refusal is a row error in
   words (nothing written);
5. control characters: refused on import, dropped on export;
6. export → re-import gives back the same values (the formula escaping is undone).

The suite runs on SQLite and PostgreSQL (``scripts/with_postgres.py``).
"""

from __future__ import annotations

import io
import os
import tempfile
import time
import zipfile
from unittest import mock

import pytest
import tablib
from django.contrib import admin
from django.core import signing
from django.db import IntegrityError
from django.urls import reverse
from import_export.formats.base_formats import CSV, XLSX
from openpyxl import Workbook, load_workbook

from partnerships import rosters
from partnerships.admin_import import sign_upload
from partnerships.models import CouncilMembership, Organization
from partnerships.resources import (
    CouncilMembershipResource,
    escape_dataset,
    escape_formula,
    unescape_formula,
)
from tests.factories import CouncilMembershipFactory
from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import coordinator_of
from tests.partnerships.roster_import.helpers import (
    CSV_FORMAT,
    PROCESS_URL,
    XLSX_FORMAT,
    confirm,
    export,
    file_bytes,
    row_errors,
    upload,
)

pytestmark = pytest.mark.django_db

HEADER = "partnership,council,organization,person_name,title,phone,role\n"


def csv_rows(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def form_errors(response) -> str:
    return str(response.context["form"].errors)


def page_text(response) -> str:
    return response.content.decode()


# -- 1. the row limit, while streaming ---------------------------------------------------


def xlsx_of(rows: int) -> bytes:
    """An .xlsx of ``rows`` one-cell rows, written as a stream (about 1 MB for 200,000)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["person_name"])
    for _ in range(rows):
        sheet.append([1])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def no_full_dataset(monkeypatch):
    """Records any dataset built from an upload (the limit must refuse before that)."""
    built = []
    for format_class in (CSV, XLSX):
        original = format_class.create_dataset

        def spy(self, *args, _original=original, **kwargs):
            built.append(type(self).__name__)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(format_class, "create_dataset", spy)
    return built


def test_huge_xlsx_is_refused_before_a_dataset_is_built(client_a, world, no_full_dataset):
    response = upload(client_a, "huge.xlsx", XLSX_FORMAT, xlsx_of(200_000))
    assert "more than 2000 rows; the limit is 2000" in form_errors(response)
    assert no_full_dataset == [], "the limit is checked while streaming, not on a dataset"
    assert not CouncilMembership.objects.exists()


def test_long_csv_is_refused_before_a_dataset_is_built(client_a, world, no_full_dataset, settings):
    settings.IMPORT_MAX_ROWS = 50
    content = csv_rows(*(f"testville-a,Main Council,,P{i},,," for i in range(500)))
    response = upload(client_a, "long.csv", CSV_FORMAT, content)
    assert "more than 50 rows; the limit is 50" in form_errors(response)
    assert no_full_dataset == []


def test_a_file_at_the_limit_is_accepted(client_a, world, settings):
    settings.IMPORT_MAX_ROWS = 3
    content = csv_rows(*(f"testville-a,Main Council,,P{i},,," for i in range(3)), "", "")
    preview = upload(client_a, "three.csv", CSV_FORMAT, content)
    assert not preview.context["form"].errors
    assert "confirm_form" in preview.context


def rewrite_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """The .xlsx ``data`` with ``parts`` (path in the zip: content) replaced or added."""
    parts = dict(parts)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, parts.pop(info.filename, source.read(info.filename)))
        for name, part in parts.items():
            target.writestr(name, part)
    return out.getvalue()


def test_xlsx_that_unpacks_to_a_huge_workbook_is_refused(client_a, world, no_full_dataset):
    bomb = rewrite_parts(xlsx_of(1), {"xl/padding.xml": b" " * (70 * 1024 * 1024)})  # 70 KB packed
    response = upload(client_a, "bomb.xlsx", XLSX_FORMAT, bomb)
    assert "unpacks to more than 64 MB" in form_errors(response)
    assert no_full_dataset == []


def test_xlsx_with_a_few_enormous_rows_is_refused(client_a, world, no_full_dataset):
    sheet = zipfile.ZipFile(io.BytesIO(xlsx_of(1))).read("xl/worksheets/sheet1.xml")
    huge = b'<c t="inlineStr"><is><t>' + b"x" * (70 * 1024 * 1024) + b"</t></is></c>"
    sheet = sheet.replace(b"</row></sheetData>", b"</row><row>" + huge + b"</row></sheetData>")
    response = upload(
        client_a,
        "wide.xlsx",
        XLSX_FORMAT,
        rewrite_parts(xlsx_of(1), {"xl/worksheets/sheet1.xml": sheet}),
    )
    assert "unpacks to more than 64 MB" in form_errors(response)
    assert no_full_dataset == []


def test_xlsx_row_numbered_far_down_counts_the_rows_before_it(client_a, world, no_full_dataset):
    """openpyxl fills the gap before row 900000 with empty rows: they count."""
    sheet = zipfile.ZipFile(io.BytesIO(xlsx_of(1))).read("xl/worksheets/sheet1.xml")
    assert b'<row r="2">' in sheet
    sheet = sheet.replace(b'<row r="2">', b'<row r="900000">').replace(b'r="A2"', b'r="A900000"')
    response = upload(
        client_a,
        "far.xlsx",
        XLSX_FORMAT,
        rewrite_parts(xlsx_of(1), {"xl/worksheets/sheet1.xml": sheet}),
    )
    assert "more than 2000 rows" in form_errors(response)
    assert no_full_dataset == []


# -- 2. the confirm step accepts only what this server issued to this user ---------------


def confirm_data(preview) -> dict[str, str]:
    form = preview.context["confirm_form"]
    return {k: form.initial[k] for k in form.initial}


def good_preview(client):
    preview = upload(
        client, "one.csv", CSV_FORMAT, csv_rows("testville-a,Main Council,,Ana,,,member")
    )
    assert "confirm_form" in preview.context, form_errors(preview)
    return preview


@pytest.fixture
def victim_file():
    """A file in the server's temporary folder that no import issued."""
    handle, path = tempfile.mkstemp(prefix="not-an-upload-")
    with os.fdopen(handle, "w") as file:
        file.write("partnership,council,person_name\ntestville-a,Main Council,Injected\n")
    yield path
    if os.path.exists(path):
        os.remove(path)


def test_preview_page_shows_no_server_path(client_a, world):
    preview = good_preview(client_a)
    assert tempfile.gettempdir() not in page_text(preview)
    assert os.sep not in confirm_data(preview)["import_file_name"]


def test_confirm_with_a_name_the_server_did_not_issue_is_refused(client_a, world, victim_file):
    data = confirm_data(good_preview(client_a))
    for forged in (os.path.basename(victim_file), victim_file, "../../etc/passwd"):
        response = client_a.post(reverse(PROCESS_URL), {**data, "import_file_name": forged})
        assert response.status_code == 400
        assert "not prepared for you" in page_text(response)
    assert os.path.exists(victim_file), "a forged name is neither read nor deleted"
    assert not CouncilMembership.objects.exists()


def test_confirm_signed_for_another_file_name_by_hand_is_refused(client_a, world, victim_file):
    data = confirm_data(good_preview(client_a))
    forged = signing.dumps(
        {"file": os.path.basename(victim_file), "format": "0", "resource": "0", "name": "x"},
        salt="some other salt",
    )
    response = client_a.post(reverse(PROCESS_URL), {**data, "import_file_name": forged})
    assert response.status_code == 400
    assert os.path.exists(victim_file)


def test_another_users_confirmation_is_refused(client, world, victim_file):
    coordinator_b = coordinator_of(world["b"])
    client.force_login(coordinator_b, backend=MODEL_BACKEND)
    preview = upload(
        client, "b.csv", CSV_FORMAT, csv_rows("otherville-b,Main Council,,Bea,,,member")
    )
    data_b = confirm_data(preview)
    client.force_login(coordinator_of(world["a"]), backend=MODEL_BACKEND)
    response = client.post(reverse(PROCESS_URL), data_b)
    assert response.status_code == 400
    assert "not prepared for you" in page_text(response)
    assert not CouncilMembership.objects.exists()
    # ... and B's preview is still there for B.
    client.force_login(coordinator_b, backend=MODEL_BACKEND)
    assert client.post(reverse(PROCESS_URL), data_b).status_code == 302
    assert CouncilMembership.objects.get().person_name == "Bea"


def test_expired_confirmation_is_refused(client_a, world, coordinator):
    data = confirm_data(good_preview(client_a))
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 2 * 3600):
        old = sign_upload(coordinator.pk, file="tmpold", format="0", resource="0", name="a.csv")
    response = client_a.post(reverse(PROCESS_URL), {**data, "import_file_name": old})
    assert response.status_code == 400
    assert "more than an hour old" in page_text(response)


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("format", "7", "Unknown file format"),
        ("format", "x", "Unknown file format"),
        ("format", "-1", "Unknown file format"),
        ("format", "1", "does not match its preview"),  # xlsx, but the preview read CSV
        ("resource", "3", "Unknown import type"),
        ("resource", "zero", "Unknown import type"),
    ],
)
def test_unknown_format_or_resource_is_a_400(client_a, world, field, value, message):
    data = confirm_data(good_preview(client_a))
    response = client_a.post(reverse(PROCESS_URL), {**data, field: value})
    assert response.status_code == 400
    assert message in page_text(response)
    assert not CouncilMembership.objects.exists()


def test_a_confirmation_imports_once(client_a, world):
    data = confirm_data(good_preview(client_a))
    assert client_a.post(reverse(PROCESS_URL), data).status_code == 302
    again = client_a.post(reverse(PROCESS_URL), data)
    assert again.status_code == 400
    assert "already imported" in page_text(again)
    assert CouncilMembership.objects.count() == 1


def test_a_preview_with_errors_leaves_no_temporary_file(client_a, world, monkeypatch):
    model_admin = admin.site._registry[CouncilMembership]
    saved = []
    original = type(model_admin).write_to_tmp_storage

    def spy(self, *args, **kwargs):
        storage = original(self, *args, **kwargs)
        saved.append(storage)
        return storage

    monkeypatch.setattr(type(model_admin), "write_to_tmp_storage", spy)
    preview = upload(client_a, "bad.csv", CSV_FORMAT, csv_rows("testville-a,Nowhere,,Ana,,,"))
    assert row_errors(preview)
    assert saved
    fresh = type(saved[0])(name=saved[0].name)  # the shared store, not the saved object
    assert fresh.read() is None


# -- 3. over-long values are row errors --------------------------------------------------


@pytest.mark.parametrize(
    "column,limit", [("organization", 200), ("person_name", 200), ("title", 200), ("phone", 40)]
)
def test_over_long_value_is_a_row_error_naming_field_and_limit(client_a, world, column, limit):
    values = {"organization": "", "person_name": "Ana", "title": "", "phone": ""}
    values[column] = "x" * (limit + 1)
    row = "testville-a,Main Council,{organization},{person_name},{title},{phone},".format(**values)
    preview = upload(client_a, "long.csv", CSV_FORMAT, csv_rows(row))
    messages = " ".join(row_errors(preview)[1][column])
    label = {"organization": "Organization", "person_name": "Person"}.get(column, column.title())
    assert f"“{label}” has {limit + 1} characters; the limit is {limit}" in messages
    assert not CouncilMembership.objects.exists() and not Organization.objects.exists()


def test_value_at_the_limit_is_kept_whole(client_a, world):
    name = "É" * 200
    preview = upload(
        client_a, "edge.csv", CSV_FORMAT, csv_rows(f"testville-a,Main Council,{name},,,,")
    )
    assert not row_errors(preview)
    confirm(client_a, preview)
    assert CouncilMembership.objects.get().organization.name == name


# -- 4. new organizations named twice; database refusals in words ------------------------


def test_new_organization_named_twice_in_any_case_is_created_once(client_a, world):
    content = csv_rows(
        "testville-a,Main Council,École X,Ana,,,",
        "testville-a,Main Council,ÉCOLE X,Bo,,,",
        "testville-a,Main Council,école x,Cy,,,",
    )
    preview = upload(client_a, "orgs.csv", CSV_FORMAT, content)
    assert not row_errors(preview)
    assert not preview.context["result"].has_errors()
    assert confirm(client_a, preview).status_code == 302
    organization = Organization.objects.get()
    assert organization.name == "École X"
    assert CouncilMembership.objects.filter(organization=organization).count() == 3


@pytest.mark.parametrize("written", ["École X", "ÉCOLE X", "école x"])
def test_existing_organization_is_found_whatever_the_case_of_its_accents(client_a, world, written):
    existing = Organization.objects.create(name="École X", province="AB")
    preview = upload(
        client_a, "org.csv", CSV_FORMAT, csv_rows(f"testville-a,Main Council,{written},Ana,,,")
    )
    assert not preview.context["result"].has_errors()
    assert not row_errors(preview)
    confirm(client_a, preview)
    assert CouncilMembership.objects.get().organization == existing
    assert Organization.objects.count() == 1


@pytest.fixture
def concurrent_save(monkeypatch):
    """Runs ``make()`` right after the importer has loaded the rosters: a save by someone
    else that the file's checks cannot see, and that only the database refuses."""

    def install(make):
        original = CouncilMembershipResource.before_import

        def before_import(self, dataset, **kwargs):
            original(self, dataset, **kwargs)
            make()

        monkeypatch.setattr(CouncilMembershipResource, "before_import", before_import)

    return install


def test_organization_created_meanwhile_is_used(coordinator, world, concurrent_save):
    made = []
    concurrent_save(lambda: made.append(Organization.objects.create(name="NEW ORG", province="AB")))
    dataset = tablib.Dataset(headers=["partnership", "council", "organization", "person_name"])
    dataset.append(["testville-a", "Main Council", "New Org", "Ana"])
    result = CouncilMembershipResource(user=coordinator).import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert CouncilMembership.objects.get().organization == made[0]
    assert Organization.objects.count() == 1


def test_concurrent_chair_is_a_row_error_in_words(client_a, world, concurrent_save):
    concurrent_save(lambda: CouncilMembershipFactory(council=world["council_a"], role="chair"))
    content = csv_rows(
        "testville-a,Main Council,,Ana,,,member", "testville-a,Main Council,,Bo,,,chair"
    )
    preview = upload(client_a, "chair.csv", CSV_FORMAT, content)
    result = preview.context["result"]
    assert not result.has_errors(), "no raw database error"
    assert row_errors(preview) == {2: {"role": [rosters.chair_rule_error(["chair", "chair"])]}}
    assert "confirm_form" not in preview.context
    assert not CouncilMembership.objects.exists(), "nothing written"


def test_a_refused_row_leaves_no_phantom_organization_to_the_next(
    coordinator, world, concurrent_save, monkeypatch
):
    """Row 1 creates "École X" and is then refused: its organization is rolled back with it,
    so row 2 ("ÉCOLE X") must create it again rather than point at a row that is gone."""
    concurrent_save(lambda: CouncilMembershipFactory(council=world["council_a"], role="chair"))
    exists_when_saved = []
    original = CouncilMembershipResource.after_save_instance

    def spy(self, instance, row, **kwargs):
        exists_when_saved.append(Organization.objects.filter(pk=instance.organization_id).exists())
        return original(self, instance, row, **kwargs)

    monkeypatch.setattr(CouncilMembershipResource, "after_save_instance", spy)
    dataset = tablib.Dataset(
        headers=["partnership", "council", "organization", "person_name", "role"]
    )
    dataset.append(["testville-a", "Main Council", "École X", "Bo", "chair"])
    dataset.append(["testville-a", "Main Council", "ÉCOLE X", "Cy", "member"])
    result = CouncilMembershipResource(user=coordinator).import_data(dataset, dry_run=True)
    assert exists_when_saved == [True]
    assert not result.has_errors()
    assert [row.number for row in result.invalid_rows] == [1]


def test_every_caller_gets_all_or_nothing(coordinator, world, concurrent_save):
    concurrent_save(lambda: CouncilMembershipFactory(council=world["council_a"], role="chair"))
    dataset = tablib.Dataset(headers=["partnership", "council", "person_name", "role"])
    dataset.append(["testville-a", "Main Council", "Ana", "member"])
    dataset.append(["testville-a", "Main Council", "Bo", "chair"])
    result = CouncilMembershipResource(user=coordinator).import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    assert not CouncilMembership.objects.filter(person_name__in=["Ana", "Bo"]).exists()


def test_concurrent_duplicate_is_a_row_error_in_words(client_a, world, concurrent_save):
    concurrent_save(
        lambda: CouncilMembershipFactory(
            council=world["council_a"], organization=None, person_name="ANA"
        )
    )
    preview = upload(client_a, "dup.csv", CSV_FORMAT, csv_rows("testville-a,Main Council,,Ana,,,"))
    assert not preview.context["result"].has_errors()
    assert row_errors(preview) == {1: {"person_name": [rosters.duplicate_error_message()]}}


def test_other_database_refusal_is_a_row_error_in_words(client_a, world, monkeypatch):
    def refuse(self, instance, is_create):
        raise IntegrityError("some_constraint_nobody_knows")

    monkeypatch.setattr(CouncilMembershipResource, "do_instance_save", refuse)
    preview = upload(client_a, "x.csv", CSV_FORMAT, csv_rows("testville-a,Main Council,,Ana,,,"))
    assert not preview.context["result"].has_errors()
    messages = " ".join(row_errors(preview)[1]["__all__"])
    assert "conflicts with a change saved at the same time" in messages
    assert "some_constraint" not in page_text(preview)


def test_change_between_preview_and_confirm_writes_nothing(client_a, world):
    content = csv_rows(
        "testville-a,Main Council,New Org,Ana,,,member", "testville-a,Main Council,,Bo,,,chair"
    )
    preview = upload(client_a, "late.csv", CSV_FORMAT, content)
    assert not row_errors(preview)
    other_chair = CouncilMembershipFactory(council=world["council_a"], role="chair")
    response = confirm(client_a, preview)
    assert response.status_code == 200
    assert "Nothing was imported" in page_text(response)
    assert "A council has one chair" in page_text(response)
    assert list(CouncilMembership.objects.all()) == [other_chair]
    assert not Organization.objects.filter(name="New Org").exists()


def test_import_rules_come_from_the_roster_service(coordinator, world, monkeypatch):
    calls = []
    original = rosters.seat_errors

    def spy(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr("partnerships.resources.seat_errors", spy)
    dataset = tablib.Dataset(headers=["partnership", "council", "person_name"])
    dataset.append(["testville-a", "Main Council", "Ana"])
    CouncilMembershipResource(user=coordinator).import_data(dataset, dry_run=True)
    assert [seat.person_name for seat in calls] == ["Ana"]


# -- 5. control characters ---------------------------------------------------------------


def test_nul_in_a_csv_cell_is_a_row_error_and_nothing_is_written(client_a, world):
    content = csv_rows("testville-a,Main Council,,Ana\x00Bo,,,", "testville-a,Main Council,,Cy,,,")
    preview = upload(client_a, "nul.csv", CSV_FORMAT, content)
    assert not preview.context["result"].has_errors(), "no raw database error"
    errors = row_errors(preview)
    assert set(errors) == {1}
    assert "control character (U+0000) at position 4" in " ".join(errors[1]["person_name"])
    assert not CouncilMembership.objects.exists()


def test_control_character_in_a_lookup_cell_is_reported_on_it(client_a, world):
    preview = upload(
        client_a, "ctl.csv", CSV_FORMAT, csv_rows("testville-a,Main\x01 Council,,Ana,,,")
    )
    errors = row_errors(preview)[1]
    assert "U+0001" in " ".join(errors["council"])
    assert not CouncilMembership.objects.exists()


def test_word_line_break_in_a_title_becomes_a_space(client_a, world):
    preview = upload(
        client_a, "vt.csv", CSV_FORMAT, csv_rows("testville-a,Main Council,,Ana,Co\x0bchair,,")
    )
    assert not row_errors(preview)
    confirm(client_a, preview)
    assert CouncilMembership.objects.get().title == "Co chair"


def test_stored_control_characters_never_break_an_xlsx_export(client_a, world):
    member = CouncilMembershipFactory(council=world["council_a"], person_name="Ana")
    # Saved before the rule existed (straight to the database, no validation).
    CouncilMembership.objects.filter(pk=member.pk).update(title="Co\x0bchair\x01")
    response = export(client_a, "xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "Co\nchair" in values


def test_export_drops_control_characters_before_escaping_formulae():
    raw = tablib.Dataset(["\x01=cmd()", "\x0b-x", "ok"], headers=["a", "b", "c"])
    assert list(escape_dataset(raw)[0]) == ["'=cmd()", "\n-x", "ok"]


# -- 6. export → re-import gives the same values -----------------------------------------


def test_unescape_formula_undoes_escape_formula():
    for value in ["=SUM(A1)", "+1 403 555 0100", "-Lead", "@cmd", "\tx", "\rx", "Plain", "'", ""]:
        assert unescape_formula(escape_formula(value)) == value
    assert unescape_formula("'quoted") == "'quoted", "only the export's own escape is undone"
    assert unescape_formula(5) == 5


@pytest.mark.parametrize("file_format,name", [(CSV_FORMAT, "roster.csv"), (XLSX_FORMAT, "r.xlsx")])
def test_export_then_reimport_changes_nothing(client_a, world, file_format, name):
    """An escaped formula comes back as it was stored (see test_round_trip for the rest)."""
    member = CouncilMembershipFactory(
        council=world["council_a"],
        person_name="=Ana",
        title="-Lead",
        phone="+1 403 555 0100",
        email="ana@example.org",
    )
    before = CouncilMembership.objects.values().get(pk=member.pk)
    exported = file_bytes(export(client_a, "csv" if file_format == CSV_FORMAT else "xlsx"))
    preview = upload(client_a, name, file_format, exported)
    assert not row_errors(preview) and not preview.context["result"].has_errors()
    assert "confirm_form" in preview.context
    after = CouncilMembership.objects.values().get(pk=member.pk)
    changed = {k for k in before if before[k] != after[k] and k != "updated_at"}
    assert not changed, {k: (before[k], after[k]) for k in changed}
    assert (after["phone"], after["title"], after["person_name"]) == (
        "+1 403 555 0100",
        "-Lead",
        "=Ana",
    )

"""Roster import (CSV with BOM, XLSX, bad rows, limits, scoping) and export (escaping, consent)."""

from __future__ import annotations

import csv
import io

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from partnerships.models import CouncilMembership, Organization
from partnerships.resources import CouncilMembershipResource, escape_formula
from tests.factories import CouncilMembershipFactory
from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import coordinator_of, funder
from tests.partnerships.roster_import.helpers import (
    CSV_FORMAT,
    IMPORT_URL,
    XLSX_FORMAT,
    confirm,
    export,
    file_bytes,
    row_errors,
    upload,
)

pytestmark = pytest.mark.django_db

# -- happy paths ---------------------------------------------------------------------------


def test_csv_with_bom_preview_then_confirm(client_a, world):
    preview = upload(client_a, "roster_bom.csv", CSV_FORMAT)
    assert preview.status_code == 200
    assert not row_errors(preview)
    assert "confirm_form" in preview.context
    assert not CouncilMembership.objects.exists(), "the preview writes nothing"
    done = confirm(client_a, preview)
    assert done.status_code == 302
    zoe = CouncilMembership.objects.get(person_name="Zoë Bélanger")
    assert zoe.council == world["council_a"]
    assert zoe.role == "chair" and zoe.publish_consent and zoe.consent_date
    assert zoe.organization.name == "Centre d'accueil francophone"
    assert zoe.sector.slug == "francophone"
    assert zoe.title == "Directrice générale"
    assert CouncilMembership.objects.get(person_name="Amani Nkurunziza").organization is None
    assert CouncilMembership.objects.get(person_name="Cheyenne Wolfleg").voting is False
    assert CouncilMembership.objects.count() == 3
    assert zoe.history.count() == 1, "every imported row has its history record"


def test_xlsx_import_keeps_accents_and_dates(client_a, world):
    preview = upload(client_a, "roster.xlsx", XLSX_FORMAT)
    assert not row_errors(preview)
    assert confirm(client_a, preview).status_code == 302
    helene = CouncilMembership.objects.get(person_name="Hélène Côté")
    assert helene.role == "co_chair"
    assert str(helene.term_start) == "2025-01-01"
    assert CouncilMembership.objects.get(person_name="Łukasz Żółć").term_start.isoformat() == (
        "2025-02-01"
    )
    assert CouncilMembership.objects.filter(person_name="Nguyễn Thị Ánh").exists()
    # both co-chairs share one organization, created once
    assert Organization.objects.filter(name="Société de l'Île").count() == 1


def test_blank_rows_from_excel_are_ignored(client_a, world):
    content = b"partnership,council,person_name\r\ntestville-a,Main Council,Ana\r\n,,\r\n,,\r\n"
    preview = upload(client_a, "blank.csv", CSV_FORMAT, content)
    assert not row_errors(preview)
    confirm(client_a, preview)
    assert CouncilMembership.objects.count() == 1


def test_updating_an_existing_member_by_id(client_a, world):
    member = CouncilMembershipFactory(council=world["council_a"], person_name="Old Name")
    content = (
        "id,partnership,council,person_name,role\n"
        f"{member.pk},testville-a,Main Council,New Name,vice-chair\n"
    ).encode()
    preview = upload(client_a, "update.csv", CSV_FORMAT, content)
    assert not row_errors(preview)
    confirm(client_a, preview)
    member.refresh_from_db()
    assert (member.person_name, member.role) == ("New Name", "vice_chair")


# -- unhappy paths -------------------------------------------------------------------------


def test_bad_rows_are_all_reported_and_nothing_is_written(client_a, world):
    preview = upload(client_a, "roster_bad.csv", CSV_FORMAT)
    assert preview.status_code == 200
    errors = row_errors(preview)
    assert set(errors) == {2, 3, 4, 5, 6}, errors
    assert "term_start" in errors[2]
    assert "role" in errors[3]
    assert "Unknown council" in " ".join(errors[4]["council"])
    assert "email" in errors[5]
    assert "own partnerships" in " ".join(errors[6]["council"])
    assert "confirm_form" not in preview.context
    assert not CouncilMembership.objects.exists()


def test_row_naming_another_partnership_member_is_rejected(client_a, world):
    other = CouncilMembershipFactory(council=world["council_b"], person_name="Not Yours")
    content = f"id,partnership,council,person_name\n{other.pk},testville-a,Main Council,Mine\n"
    preview = upload(client_a, "steal.csv", CSV_FORMAT, content.encode())
    assert "id" in row_errors(preview)[1]
    other.refresh_from_db()
    assert other.person_name == "Not Yours" and other.council == world["council_b"]


def test_second_chair_in_file_is_rejected(client_a, world):
    content = (
        b"partnership,council,person_name,role\n"
        b"testville-a,Main Council,First,chair\n"
        b"testville-a,Main Council,Second,chair\n"
    )
    errors = row_errors(upload(client_a, "chairs.csv", CSV_FORMAT, content))
    assert set(errors) == {2} and "role" in errors[2]


def test_duplicate_of_current_member_is_rejected(client_a, world):
    CouncilMembershipFactory(council=world["council_a"], organization=None, person_name="Ana")
    content = b"partnership,council,person_name\ntestville-a,Main Council,Ana\n"
    assert "person_name" in row_errors(upload(client_a, "dup.csv", CSV_FORMAT, content))[1]


def test_confirmed_import_is_all_or_nothing(coordinator, world):
    dataset = tablib.Dataset(headers=["partnership", "council", "person_name", "term_end"])
    dataset.append(["testville-a", "Main Council", "Fine", "2026-01-01"])
    dataset.append(["testville-a", "Main Council", "Broken", "soon"])
    resource = CouncilMembershipResource(user=coordinator)
    result = resource.import_data(
        dataset, dry_run=False, raise_errors=False, rollback_on_validation_errors=True
    )
    assert result.has_validation_errors()
    assert not CouncilMembership.objects.exists()


def test_non_utf8_csv_gets_a_clear_message(client_a, world):
    response = upload(client_a, "roster_cp1252.csv", CSV_FORMAT)
    assert "CSV UTF-8" in str(response.context["form"].errors)


def test_row_limit(client_a, world, settings):
    settings.IMPORT_MAX_ROWS = 2
    response = upload(client_a, "roster_bom.csv", CSV_FORMAT)
    assert "the limit is 2" in str(response.context["form"].errors)
    assert not CouncilMembership.objects.exists()


def test_file_size_limit(client_a, world, settings):
    settings.IMPORT_MAX_FILE_SIZE = 100
    response = upload(client_a, "roster_bom.csv", CSV_FORMAT)
    assert "the limit is 0 KB" in str(response.context["form"].errors)


def test_funder_cannot_import(client, world):
    client.force_login(funder(), backend=MODEL_BACKEND)
    assert client.get(reverse(IMPORT_URL)).status_code == 403
    response = upload(client, "roster_bom.csv", CSV_FORMAT)
    assert response.status_code == 403
    assert not CouncilMembership.objects.exists()


def test_import_does_not_query_per_row(coordinator, world):
    def run(n: int) -> int:
        dataset = tablib.Dataset(
            headers=["partnership", "council", "organization", "person_name", "sector"]
        )
        for i in range(n):
            dataset.append(["testville-a", "Main Council", "Shared Org", f"P{n}-{i}", "health"])
        resource = CouncilMembershipResource(user=coordinator)
        with CaptureQueriesContext(connection) as ctx:
            result = resource.import_data(dataset, dry_run=True, raise_errors=True)
        assert not result.has_validation_errors()
        return len(ctx.captured_queries)

    Organization.objects.create(name="Shared Org", province="AB")
    small, large = run(10), run(30)
    # Per row only its INSERT: history records are written in bulk at the end, and a row is
    # put in a savepoint of its own only when the file is imported again after a database
    # refusal (see CouncilMembershipResource.import_data).
    assert (large - small) / 20 <= 1


# -- export --------------------------------------------------------------------------------


def _rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(file_bytes(response).decode("utf-8-sig"))))


def test_export_escapes_formulae():
    for value in ["=SUM(A1)", "+1 403", "-2", "@cmd", "\tx", "\rx"]:
        assert escape_formula(value) == "'" + value
    assert escape_formula("Plain") == "Plain"
    assert escape_formula(5) == 5


def test_export_cells_are_escaped_end_to_end(client_a, world):
    CouncilMembershipFactory(
        council=world["council_a"], person_name='=HYPERLINK("x")', phone="+1 403 555 0100"
    )
    rows = _rows(export(client_a))
    assert rows[0]["Person"] == '\'=HYPERLINK("x")'
    assert rows[0]["Phone"] == "'+1 403 555 0100"


def test_export_contact_details_follow_consent_except_own_partnership(client, world):
    own_private = CouncilMembershipFactory(
        council=world["council_a"], email="own@example.org", publish_consent=False
    )
    CouncilMembershipFactory(council=world["council_b"], email="private@example.org")
    CouncilMembershipFactory(
        council=world["council_b"], email="public@example.org", publish_consent=True
    )
    client.force_login(funder(), backend=MODEL_BACKEND)
    emails = {r["Email"] for r in _rows(export(client))}
    assert "public@example.org" in emails
    assert "private@example.org" not in emails and "own@example.org" not in emails
    names = {r["Person"] for r in _rows(export(client))}
    assert own_private.person_name not in names

    client.force_login(coordinator_of(world["a"]), backend=MODEL_BACKEND)
    rows = _rows(export(client))
    assert {r["Email"] for r in rows} == {"own@example.org"}, "own partnership only, all details"


def test_xlsx_export_opens(client_a, world):
    CouncilMembershipFactory(council=world["council_a"], person_name="Zoë")
    response = export(client_a, "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "Zoë" in values

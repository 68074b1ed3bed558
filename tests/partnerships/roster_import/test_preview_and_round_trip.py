"""The roster file people open and the import that says what it will do.

* the file: BOM, readable headers and values in the reader's language, partnership name, kind
  and province; real dates and numbers in XLSX;
* the preview: each row named, an update's changes field by field, problems on their row in
  words with the allowed values;
* unchanged rows: skipped, with no write, no history record and no log entry;
* labels (English or French) and codes import alike, and an exported file imports back with
  no change, in both languages and both formats.
"""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import tablib
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from import_export.formats.base_formats import CSV
from openpyxl import load_workbook

from funders.files import csv_chunks, xlsx_bytes
from partnerships.forms import PaddedXLSX
from partnerships.models import CouncilMembership, Role, Sector
from partnerships.resources import ROSTER_COLUMNS, CouncilMembershipResource
from tests.factories import CouncilFactory, CouncilMembershipFactory, OrganizationFactory
from tests.partnerships.roster_import.helpers import (
    CSV_FORMAT,
    confirm,
    export,
    file_bytes,
    row_errors,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(world):
    """A full roster row of partnership A, with accents and a formula-like phone."""
    return CouncilMembershipFactory(
        council=world["council_a"],
        organization=OrganizationFactory(name="Réseau d'accueil", province="AB"),
        person_name="Amélie Côté",
        title="Directrice",
        email="amelie@example.org",
        phone="+1 403 555 0100",
        role=Role.CO_CHAIR,
        voting=False,
        sector=Sector.objects.get(slug="francophone"),
        term_start=datetime.date(2025, 1, 1),
        term_end=datetime.date(2027, 6, 30),
        publish_consent=True,
    )


def preview_of(response) -> dict[int, object]:
    """Row number -> what the preview says of it."""
    return {row.preview.number: row.preview for row in response.context["result"].rows}


def page(response) -> str:
    return response.content.decode()


def csv_of(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


# -- the file -----------------------------------------------------------------------------


def test_csv_starts_with_a_byte_order_mark(client_a, member):
    assert file_bytes(export(client_a)).startswith(b"\xef\xbb\xbf")


def test_csv_keeps_accents_readable(client_a, member):
    text = file_bytes(export(client_a)).decode("utf-8-sig")
    assert "Amélie Côté" in text and "Réseau d'accueil" in text


def test_headers_and_values_are_readable_labels(client_a, member, world):
    rows = list(csv.DictReader(io.StringIO(file_bytes(export(client_a)).decode("utf-8-sig"))))
    row = rows[0]
    assert row["Role"] == "Co-chair" and row["Voting"] == "no"
    assert row["Consents to publish"] == "yes"
    assert row["Sector"] == Sector.objects.get(slug="francophone").name
    assert row["Partnership"] == world["a"].name
    assert row["Partnership code"] == "testville-a"
    assert row["Kind"] == "Local Immigration Partnership"
    assert row["Province or territory"] == "Alberta"
    assert row["Term end"] == "2027-06-30" and row["Member ID"] == str(member.pk)


def test_headers_and_values_are_in_french_for_a_french_reader(coordinator, member):
    resource = CouncilMembershipResource(user=coordinator)
    with translation.override("fr"):
        dataset = resource.export()
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["Rôle"] == "Coprésidence" and row["Droit de vote"] == "non"
    assert row["Consent à la publication"] == "oui"
    assert row["Secteur"] == Sector.objects.get(slug="francophone").name_fr
    assert row["Province ou territoire"] == "Alberta"


def test_xlsx_cells_hold_real_dates_and_numbers(client_a, member):
    sheet = load_workbook(io.BytesIO(file_bytes(export(client_a, "xlsx")))).active
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    cells = [cell.value for cell in next(sheet.iter_rows(min_row=2))]
    values = dict(zip(header, cells, strict=True))
    assert values["Member ID"] == member.pk
    assert isinstance(values["Term start"], datetime.datetime)
    assert values["Term start"].date() == datetime.date(2025, 1, 1)
    assert values["Phone"] == "'+1 403 555 0100", "formulae stay escaped"


def test_export_of_one_council_holds_only_its_roster(client_a, member, world):
    other = CouncilFactory(partnership=world["a"], name="Steering Committee")
    CouncilMembershipFactory(council=other, person_name="Elsewhere")
    response = export(client_a, council__id__exact=member.council_id)
    text = file_bytes(response).decode("utf-8-sig")
    assert "Amélie Côté" in text and "Elsewhere" not in text
    assert "roster-testville-a-Main-Council" in response["Content-Disposition"]


def test_export_never_holds_another_partnerships_council(client_a, world):
    CouncilMembershipFactory(council=world["council_b"], person_name="Not Yours")
    response = export(client_a, council__id__exact=world["council_b"].pk)
    assert "Not Yours" not in file_bytes(response).decode("utf-8-sig")


@pytest.mark.parametrize(
    "params", [{"format": "pdf"}, {"format": "csv", "council__id__exact": "abc"}]
)
def test_export_with_a_bad_format_or_filter_is_a_400_in_words(client_a, world, params):
    response = client_a.get(reverse("admin:partnerships_councilmembership_export"), params)
    assert response.status_code == 400
    assert "errornote" in page(response)


def test_export_page_without_a_format_offers_both_files(client_a, world):
    response = client_a.get(reverse("admin:partnerships_councilmembership_export"))
    assert response.status_code == 200
    assert "format=csv" in page(response) and "format=xlsx" in page(response)


def test_export_runs_constant_queries(client_a, world):
    def run() -> int:
        with CaptureQueriesContext(connection) as ctx:
            file_bytes(export(client_a))
        return len(ctx.captured_queries)

    CouncilMembershipFactory.create_batch(3, council=world["council_a"])
    few = run()
    CouncilMembershipFactory.create_batch(30, council=world["council_a"])
    assert run() == few


# -- one click from the council page and the landing page ---------------------------------


def test_council_page_links_its_roster_import_and_export(client_a, world):
    council = world["council_a"]
    response = client_a.get(reverse("admin:partnerships_council_change", args=[council.pk]))
    html = page(response)
    assert reverse("admin:partnerships_councilmembership_import") in html
    assert f"council__id__exact={council.pk}&amp;format=csv" in html
    assert f"council__id__exact={council.pk}&amp;format=xlsx" in html


def test_landing_page_links_roster_import_and_export(client_a, world):
    html = page(client_a.get(reverse("admin:index")))
    assert 'id="roster-files"' in html
    assert reverse("admin:partnerships_councilmembership_import") in html
    assert "?format=csv" in html and "?format=xlsx" in html


def test_memberships_list_exports_in_one_click_with_its_filters(client_a, world):
    url = reverse("admin:partnerships_councilmembership_changelist")
    html = page(client_a.get(url, {"partnership": world["a"].pk}))
    assert f"partnership={world['a'].pk}&amp;format=csv" in html


# -- the preview --------------------------------------------------------------------------


def test_preview_names_each_new_row(client_a, world):
    content = csv_of(
        "partnership,council,organization,person_name,role,sector",
        "testville-a,Main Council,Centre Ouest,Zoë Bélanger,chair,francophone",
    )
    preview = upload(client_a, "new.csv", CSV_FORMAT, content)
    row = preview_of(preview)[1]
    assert (row.action, row.person, row.organization, row.role) == (
        "new",
        "Zoë Bélanger",
        "Centre Ouest",
        "Chair",
    )
    assert row.council.startswith("Main Council") and row.new_organization
    html = page(preview)
    assert "Zoë Bélanger" in html and "Centre Ouest" in html and "new organization" in html


def test_preview_shows_an_updates_changes_field_by_field(client_a, member):
    content = csv_of(
        "id,partnership,council,organization,person_name,role,title",
        f"{member.pk},testville-a,Main Council,Réseau d'accueil,Amélie Côté,Chair,Directrice",
    )
    preview = upload(client_a, "update.csv", CSV_FORMAT, content)
    row = preview_of(preview)[1]
    assert row.action == "update"
    assert row.changes == [("Role", "Co-chair", "Chair")], "only what changes is listed"
    assert "“Co-chair” becomes “Chair”" in page(preview)


def test_preview_errors_are_on_their_row_in_words(client_a, world):
    content = csv_of(
        "partnership,council,person_name,role,sector,voting",
        "testville-a,Main Council,Ana,president,nowhere,maybe",
    )
    preview = upload(client_a, "bad.csv", CSV_FORMAT, content)
    errors = dict(preview_of(preview)[1].errors)
    assert "Chair; Co-chair; Vice-chair; Member; Ex-officio; Observer" in errors["Role"]
    assert "is not yes or no" in errors["Voting"]
    html = page(preview)
    assert "Unknown role “president”" in html and "validation-error-container" not in html


def test_unknown_sector_names_the_sectors_that_exist(client_a, world):
    content = csv_of("partnership,council,person_name,sector", "testville-a,Main Council,Ana,xyz")
    message = " ".join(row_errors(upload(client_a, "s.csv", CSV_FORMAT, content))[1]["sector"])
    assert "Unknown sector “xyz”" in message
    for sector in Sector.objects.all():
        assert sector.name in message


def test_unknown_council_names_the_councils_of_the_partnership(client_a, world):
    content = csv_of("partnership,council,person_name", "testville-a,Board,Ana")
    message = " ".join(row_errors(upload(client_a, "c.csv", CSV_FORMAT, content))[1]["council"])
    assert "Unknown council “Board”" in message and "Main Council" in message


def test_a_column_named_twice_is_a_file_error(client_a, world):
    content = csv_of("council,Council,person_name", "Main Council,Main Council,Ana")
    preview = upload(client_a, "twice.csv", CSV_FORMAT, content)
    assert "are the same column" in page(preview)
    assert "confirm_form" not in preview.context


# -- unchanged rows -----------------------------------------------------------------------


def test_unchanged_row_is_skipped_without_write_history_or_log(client_a, member):
    updated_at = member.updated_at
    history = member.history.count()
    preview = upload(client_a, "same.csv", CSV_FORMAT, file_bytes(export(client_a)))
    assert preview.context["result"].totals["skip"] == 1
    assert preview_of(preview)[1].action == "skip"
    done = confirm(client_a, preview)
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.updated_at == updated_at, "no write"
    assert member.history.count() == history, "no history record"
    assert not LogEntry.objects.exists(), "no log entry"


def test_success_message_counts_unchanged_rows(client_a, member):
    preview = upload(client_a, "same.csv", CSV_FORMAT, file_bytes(export(client_a)))
    done = confirm(client_a, preview)
    text = page(client_a.get(done["Location"]))
    assert "0 new, 0 updated, 1 unchanged" in text


def test_a_real_change_still_writes_history_and_a_log_entry(client_a, member):
    history = member.history.count()
    content = csv_of("id,partnership,council,title", f"{member.pk},testville-a,Main Council,Chef")
    confirm(client_a, upload(client_a, "chg.csv", CSV_FORMAT, content))
    member.refresh_from_db()
    assert member.title == "Chef" and member.history.count() == history + 1
    assert LogEntry.objects.count() == 1


# -- labels and codes ---------------------------------------------------------------------

CODES = (
    "partnership,council,organization,person_name,role,voting,sector,publish_consent",
    "testville-a,Main Council,Org A,Ana,co_chair,no,francophone,yes",
)
ENGLISH = (
    "Partnership code,Council,Organization,Person,Role,Voting,Sector,Consents to publish",
    "testville-a,Main Council,Org A,Ana,Co-chair,no,{sector},yes",
)
FRENCH = (
    "Code du partenariat,Conseil,Organisme,Personne,Rôle,Droit de vote,Secteur,"
    "Consent à la publication",
    "testville-a,Main Council,Org A,Ana,Coprésidence,non,{sector_fr},oui",
)


@pytest.mark.parametrize("lines", [CODES, ENGLISH, FRENCH], ids=["codes", "english", "french"])
def test_labels_in_either_language_and_codes_import_alike(client_a, world, lines):
    sector = Sector.objects.get(slug="francophone")
    content = csv_of(*(line.format(sector=sector.name, sector_fr=sector.name_fr) for line in lines))
    preview = upload(client_a, "roster.csv", CSV_FORMAT, content)
    assert not row_errors(preview)
    confirm(client_a, preview)
    ana = CouncilMembership.objects.get(person_name="Ana")
    assert (ana.role, ana.voting, ana.sector, ana.publish_consent) == (
        Role.CO_CHAIR,
        False,
        sector,
        True,
    )
    assert ana.council == world["council_a"] and ana.organization.name == "Org A"


def test_partnership_may_be_named_instead_of_coded(client_a, world):
    content = csv_of("Partnership,Council,Person", f"{world['a'].name},Main Council,Ana")
    preview = upload(client_a, "named.csv", CSV_FORMAT, content)
    assert not row_errors(preview)


# -- round trip ---------------------------------------------------------------------------


def _file(resource: CouncilMembershipResource, file_format: str) -> tablib.Dataset:
    """The file the export view writes, read back as the import reads it."""
    rows = list(resource.file_rows())
    if file_format == "csv":
        data = b"".join(csv_chunks(ROSTER_COLUMNS, rows)).decode("utf-8-sig")
        return CSV(encoding="utf-8-sig").create_dataset(data)
    return PaddedXLSX().create_dataset(xlsx_bytes(ROSTER_COLUMNS, rows, title="Rosters"))


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(coordinator, world, member, language, file_format):
    CouncilMembershipFactory(
        council=world["council_a"], organization=None, person_name="=Sans Org", voting=True,
        sector=None, term_start=None, term_end=None, left_on=datetime.date(2025, 3, 1),
    )  # fmt: skip
    before = list(CouncilMembership.objects.order_by("pk").values())
    history = CouncilMembership.history.count()
    with translation.override(language):
        dataset = _file(CouncilMembershipResource(user=coordinator), file_format)
        result = CouncilMembershipResource(user=coordinator).import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 2 and result.totals["update"] == 0
    assert list(CouncilMembership.objects.order_by("pk").values()) == before
    assert CouncilMembership.history.count() == history


# -- fewer things to get right --------------------------------------------------------------


def test_format_follows_the_file_extension_when_none_is_chosen(client_a, member):
    exported = file_bytes(export(client_a, "xlsx"))
    preview = upload(client_a, "roster.xlsx", "", exported)
    assert "confirm_form" in preview.context, preview.context["form"].errors
    assert preview.context["result"].totals["skip"] == 1


def test_council_may_be_left_out_when_the_partnership_has_only_one(client_a, world):
    preview = upload(client_a, "short.csv", CSV_FORMAT, csv_of("person_name", "Ana"))
    assert not row_errors(preview)
    assert preview_of(preview)[1].council.startswith("Main Council")


def test_council_must_be_named_when_the_partnership_has_several(client_a, world):
    CouncilFactory(partnership=world["a"], name="Steering Committee")
    preview = upload(client_a, "short.csv", CSV_FORMAT, csv_of("person_name", "Ana"))
    message = " ".join(row_errors(preview)[1]["council"])
    assert "Name the council: one of Main Council; Steering Committee." in message


def test_a_long_preview_lists_every_problem_and_counts_the_rest(client_a, world, monkeypatch):
    monkeypatch.setattr("partnerships.admin_import.PREVIEW_ROWS", 1)
    content = csv_of("person_name,role", "Ana,member", "Bob,member", "Cy,president")
    preview = upload(client_a, "long.csv", CSV_FORMAT, content)
    html = page(preview)
    assert "Ana" in html and "Cy" in html, "the first row and every row with problems"
    assert "…and 1 more row that adds or updates a member" in html


def test_french_admin_exports_french_and_takes_it_back_unchanged(client_a, member):
    with translation.override("fr"):
        exported = file_bytes(export(client_a))
        text = exported.decode("utf-8-sig")
        assert text.splitlines()[0].startswith("Identifiant du membre,Partenariat,")
        assert "Coprésidence" in text
        preview = upload(client_a, "liste.csv", CSV_FORMAT, exported)
        assert preview.context["result"].totals["skip"] == 1
        assert "1 ligne ne change rien et sera laissée telle quelle" in page(preview)
        done = confirm(client_a, preview)
    assert done.status_code == 302
    assert member.history.count() == 1


def test_unchanged_rows_cost_no_query_of_their_own_but_the_rows_savepoint(coordinator, world):
    def run(n: int) -> int:
        CouncilMembership.objects.all().delete()
        CouncilMembershipFactory.create_batch(n, council=world["council_a"])
        resource = CouncilMembershipResource(user=coordinator)
        dataset = _file(resource, "csv")
        with CaptureQueriesContext(connection) as ctx:
            result = CouncilMembershipResource(user=coordinator).import_data(dataset, dry_run=True)
        assert result.totals["skip"] == n
        return len(ctx.captured_queries)

    small, large = run(5), run(25)
    assert (large - small) / 20 <= 2, "only the library's SAVEPOINT and RELEASE per row"


def test_preview_names_the_columns_it_does_not_read(client_a, world):
    preview = upload(client_a, "typo.csv", CSV_FORMAT, csv_of("person_name,Rol", "Ana,chair"))
    assert preview.context["result"].ignored_columns == ["Rol"]
    assert "Columns not read:" in page(preview) and "Rol" in page(preview)

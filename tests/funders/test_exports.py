"""The funder exports and the public directory export, against the database.

A small world: Alberta LIP "A" (coordinated by ``coordinator``), Ontario ZIP "B", each with a
main council, a working group and an active plan. Funder views are called directly (the page
helper mounts them under ``/admin/funders/``); the public export through its URL.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from funders import export_views
from funders.exports import (
    COMPOSITION_COLUMNS,
    PLAN_PROGRESS_COLUMNS,
    PUBLIC_COLUMNS,
    ROSTER_COLUMNS,
    SUMMARY_COLUMNS,
)
from funders.files import BOM
from partnerships.models import Partnership, Sector
from plans.models import CommunityPlan, Indicator
from tests.factories import (
    CommunityPlanFactory,
    CouncilFactory,
    CouncilMembershipFactory,
    FocusAreaFactory,
    IndicatorFactory,
    MeasurementFactory,
    OrganizationFactory,
    PartnershipFactory,
    PriorityFactory,
    UserFactory,
    WorkingGroupFactory,
)
from tests.partnerships.factories_admin import coordinator_of, funder

VIEWS = {
    "summary": export_views.export_summary,
    "composition": export_views.export_composition,
    "plan-progress": export_views.export_plan_progress,
}
# The roster is the one export with people in it (as the scoping rule shows them): apart.
ALL_VIEWS = {**VIEWS, "roster": export_views.export_roster}
VIEW_COLUMNS = {
    "summary": SUMMARY_COLUMNS,
    "composition": COMPOSITION_COLUMNS,
    "plan-progress": PLAN_PROGRESS_COLUMNS,
}
PERSONAL = ("Person ", "@example.org", "403-555")  # the factories' names, emails, phones


@pytest.fixture
def world(db):
    sector = {s.slug: s for s in Sector.objects.all()}
    focus = FocusAreaFactory(slug="housing-x", name="Housing X", name_fr="Logement X")
    a = PartnershipFactory(
        name="Alpha LIP",
        name_fr="PLI Alpha",
        slug="alpha-lip",
        province="AB",
        kind=Partnership.Kind.LIP,
        last_confirmed=datetime.date(2026, 1, 15),
        website="https://alpha.example.ca",
        focus_areas=[focus],
    )
    b = PartnershipFactory(
        name='=HYPERLINK("x") Beta',
        slug="beta-zip",
        province="ON",
        kind=Partnership.Kind.ZIP,
    )
    council_a = CouncilFactory(partnership=a, seats=10, name="Alpha council")
    settle = OrganizationFactory(name="Settle Co", sector=sector["settlement"])
    CouncilMembershipFactory(council=council_a, organization=settle, sector=sector["settlement"])
    CouncilMembershipFactory(
        council=council_a, organization=settle, sector=sector["settlement"], voting=False
    )
    CouncilMembershipFactory(
        council=council_a,
        organization=OrganizationFactory(name="+Newcomer Voices", sector=sector["newcomers"]),
        sector=sector["newcomers"],
        publish_consent=True,
    )
    CouncilMembershipFactory(  # left: not counted
        council=council_a, sector=sector["police"], left_on=datetime.date(2025, 1, 1)
    )
    CouncilMembershipFactory(council=council_a, sector=sector["housing"])  # not recommended
    council_b = CouncilFactory(partnership=b, seats=None, name="Beta council")
    CouncilMembershipFactory(council=council_b, sector=sector["municipal"])
    WorkingGroupFactory(partnership=a, focus_area=focus, name="Housing table")
    plan_a = CommunityPlanFactory(partnership=a, start_year=2025, end_year=2029, title="Plan A")
    priority = PriorityFactory(plan=plan_a, title="@Housing first", focus_area=focus)
    ind_a = IndicatorFactory(
        priority=priority,
        name="Landlords engaged",
        unit="landlords",
        baseline_value=Decimal("10"),
        baseline_year=2024,
        target_value=Decimal("30.5"),
        target_year=2029,
    )
    MeasurementFactory(indicator=ind_a, year=2024, value=Decimal("12"))
    MeasurementFactory(indicator=ind_a, year=2025, value=Decimal("31"))  # latest: met
    IndicatorFactory(
        priority=priority,
        name="-Wait weeks",
        polarity=Indicator.Polarity.LOWER,
        baseline_value=Decimal("30"),
        target_value=Decimal("10"),
    )
    plan_b = CommunityPlanFactory(partnership=b, start_year=2024, end_year=2027)
    IndicatorFactory(priority=PriorityFactory(plan=plan_b), name="B indicator")
    CommunityPlanFactory(  # a draft plan's indicators are not in the export
        partnership=b, start_year=2028, end_year=2030, status=CommunityPlan.Status.DRAFT
    )
    return {
        "a": a,
        "b": b,
        "funder": funder(),
        "coordinator": coordinator_of(a),
        "superuser": UserFactory(is_superuser=True, password=None),
    }


def call(name, user, fmt="csv", **params):
    request = RequestFactory().get("/admin/funders/export/x", params)
    request.user = user or AnonymousUser()
    return ALL_VIEWS[name](request, fmt)


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8")
    assert text.startswith(BOM)
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text.removeprefix(BOM), newline="")))


def as_dicts(rows):
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    return list(sheet.iter_rows(values_only=True))


# -- header rows: pinned ------------------------------------------------------------------


def test_summary_header_is_pinned(world):
    assert [c.code for c in SUMMARY_COLUMNS] == [
        "partnership", "partnership_slug", "kind", "kind_code", "province", "province_code",
        "council_seats", "current_members", "vacant_seats", "member_organizations",
        "sectors_represented", "sectors_represented_count", "missing_sectors",
        "missing_sector_codes", "missing_sectors_count", "newcomer_seats", "indigenous_seats",
        "working_groups", "working_group_themes", "plan_start_year", "plan_end_year",
        "plan_status", "plan_status_code", "actions_total", "actions_done", "actions_done_pct",
        "indicators_total", "indicators_on_track", "indicators_on_track_pct", "last_confirmed",
        "stale", "confidence", "confidence_code",
    ]  # fmt: skip
    rows = csv_rows(call("summary", world["funder"]))
    assert rows[0] == [
        "Partnership", "Partnership code", "Kind", "Kind code", "Province or territory",
        "Province code", "Council seats", "Current council members", "Vacant seats",
        "Member organizations", "Sectors represented", "Number of sectors represented",
        "Recommended sectors missing", "Recommended sectors missing (codes)",
        "Number of recommended sectors missing", "Newcomer seats", "Indigenous seats",
        "Working groups", "Working group themes", "Plan start year", "Plan end year",
        "Plan status", "Plan status code", "Actions", "Actions done", "Actions done (%)",
        "Indicators", "Indicators on track or met", "Indicators on track or met (%)",
        "Last confirmed", "Not confirmed in 12 months", "Record confidence",
        "Record confidence code",
    ]  # fmt: skip


def test_composition_header_is_pinned(world):
    rows = csv_rows(call("composition", world["funder"]))
    assert [c.code for c in COMPOSITION_COLUMNS] == [
        "partnership", "partnership_slug", "kind_code", "province_code", "sector",
        "sector_code", "recommended", "seats_held", "voting_seats",
    ]  # fmt: skip
    assert rows[0] == [
        "Partnership", "Partnership code", "Kind code", "Province code", "Sector",
        "Sector code", "Recommended by IRCC", "Seats held", "Voting seats",
    ]  # fmt: skip


def test_plan_progress_header_is_pinned(world):
    rows = csv_rows(call("plan-progress", world["funder"]))
    assert [c.code for c in PLAN_PROGRESS_COLUMNS] == [
        "partnership", "partnership_slug", "kind_code", "province_code", "plan",
        "plan_start_year", "plan_end_year", "priority", "focus_area", "indicator", "unit",
        "polarity", "polarity_code", "baseline_value", "baseline_year", "target_value",
        "target_year", "latest_value", "latest_year", "status", "status_code",
    ]  # fmt: skip
    assert rows[0][:5] == ["Partnership", "Partnership code", "Kind code", "Province code", "Plan"]
    assert len(rows[0]) == len(PLAN_PROGRESS_COLUMNS)


def test_public_header_is_pinned(world, client):
    rows = csv_rows(client.get(reverse("directory:partnership-export")))
    assert [c.code for c in PUBLIC_COLUMNS] == [
        "partnership", "acronym", "partnership_slug", "kind", "kind_code", "province",
        "province_code", "main_community", "communities", "province_wide", "languages",
        "website", "focus_areas", "working_groups", "plan_start_year", "plan_end_year",
        "last_confirmed",
    ]  # fmt: skip
    assert rows[0] == [str(c.label) for c in PUBLIC_COLUMNS]


def test_headers_follow_the_language(world):
    from django.utils import translation

    with translation.override("fr"):
        rows = csv_rows(call("summary", world["funder"]))
    assert rows[0][0] != "" and len(rows[0]) == len(SUMMARY_COLUMNS)


# -- content ------------------------------------------------------------------------------


def test_summary_content(world):
    rows = as_dicts(csv_rows(call("summary", world["funder"])))
    assert [r["partnership_slug".replace("_", " ").title()] if False else r["Partnership code"]
            for r in rows] == ["alpha-lip", "beta-zip"]  # fmt: skip
    a = rows[0]
    assert a["Kind code"] == "LIP" and a["Province code"] == "AB"
    assert a["Province or territory"] == "Alberta"
    assert a["Council seats"] == "10"
    assert a["Current council members"] == "4"  # the member who left is not counted
    assert a["Vacant seats"] == "6"
    assert a["Newcomer seats"] == "1"
    assert a["Indigenous seats"] == "0"
    missing = a["Recommended sectors missing (codes)"].split("; ")
    assert "settlement" not in missing and "newcomers" not in missing
    assert "police" in missing and "indigenous" in missing
    assert a["Number of recommended sectors missing"] == str(len(missing))
    assert a["Working groups"] == "1" and a["Working group themes"] == "Housing X"
    assert (a["Plan start year"], a["Plan end year"]) == ("2025", "2029")
    assert a["Plan status code"] == "active"
    assert a["Indicators"] == "2"
    assert a["Last confirmed"] == "2026-01-15"
    b = rows[1]
    assert b["Partnership"] == '\'=HYPERLINK("x") Beta'  # escaped
    assert b["Council seats"] == "" and b["Vacant seats"] == ""


def test_composition_content(world):
    rows = as_dicts(csv_rows(call("composition", world["funder"])))
    a = {r["Sector code"]: r for r in rows if r["Partnership code"] == "alpha-lip"}
    recommended = Sector.objects.filter(recommended=True).count()
    assert len(a) == recommended + 1  # every recommended sector, plus housing (held)
    assert (a["settlement"]["Seats held"], a["settlement"]["Voting seats"]) == ("2", "1")
    assert a["settlement"]["Recommended by IRCC"] == "yes"
    assert (a["newcomers"]["Seats held"], a["police"]["Seats held"]) == ("1", "0")
    assert a["housing"]["Recommended by IRCC"] == "no"
    assert a["housing"]["Seats held"] == "1"
    b = [r for r in rows if r["Partnership code"] == "beta-zip"]
    assert sum(int(r["Seats held"]) for r in b) == 1


def test_plan_progress_content(world):
    rows = as_dicts(csv_rows(call("plan-progress", world["funder"])))
    assert [r["Indicator"] for r in rows] == ["Landlords engaged", "'-Wait weeks", "B indicator"]
    landlords = rows[0]
    assert landlords["Priority"] == "'@Housing first"
    assert landlords["Focus area"] == "Housing X"
    assert (landlords["Plan start year"], landlords["Plan end year"]) == ("2025", "2029")
    assert (landlords["Baseline value"], landlords["Baseline year"]) == ("10", "2024")
    assert (landlords["Target value"], landlords["Target year"]) == ("30.50", "2029")
    assert (landlords["Latest value"], landlords["Latest year"]) == ("31", "2025")
    assert landlords["Status code"] == "met" and landlords["Status"] == "Target met"
    assert landlords["Polarity code"] == "higher"
    assert rows[1]["Polarity code"] == "lower"
    assert rows[1]["Status code"] == "no_data" and rows[1]["Latest value"] == ""


def test_xlsx_exports_hold_numbers_and_dates(world):
    rows = xlsx_rows(call("summary", world["funder"], fmt="xlsx"))
    header, a = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[0] == "Partnership"
    assert a["Council seats"] == 10 and a["Vacant seats"] == 6
    assert a["Last confirmed"] == datetime.datetime(2026, 1, 15)
    assert rows[2][0] == '\'=HYPERLINK("x") Beta'
    progress = xlsx_rows(call("plan-progress", world["funder"], fmt="xlsx"))
    first = dict(zip(progress[0], progress[1], strict=True))
    assert first["Target value"] == 30.5 and first["Latest value"] == 31
    assert first["Priority"] == "'@Housing first"
    composition = xlsx_rows(call("composition", world["funder"], fmt="xlsx"))
    assert isinstance(composition[1][7], int)


@pytest.mark.parametrize("name", list(VIEWS))
def test_file_names_carry_date_and_filters(world, name):
    response = call(name, world["funder"], fmt="xlsx", province="ab", kind="LIP")
    disposition = response["Content-Disposition"]
    today = datetime.date.today().isoformat()
    assert f"_{today}_kind-LIP_province-AB.xlsx" in disposition


# -- filters ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(VIEWS))
def test_filters_apply(world, name):
    rows = as_dicts(csv_rows(call(name, world["funder"], province="ON")))
    assert rows and {r["Partnership code"] for r in rows} == {"beta-zip"}
    rows = as_dicts(csv_rows(call(name, world["funder"], kind="LIP", has_active_plan="yes")))
    assert {r["Partnership code"] for r in rows} == {"alpha-lip"}


@pytest.mark.parametrize("name", list(VIEWS))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "params", [{"province": "ZZ"}, {"kind": "LIP", "has_active_plan": "maybe"}, {"radius": "x"}]
)
def test_invalid_filter_is_400_not_a_file(world, name, fmt, params):
    response = call(name, world["funder"], fmt=fmt, **params)
    assert response.status_code == 400
    assert not response.has_header("Content-Disposition")
    assert "not valid" in response.content.decode()


def test_unknown_format_is_404(world):
    from django.http import Http404

    with pytest.raises(Http404):
        call("summary", world["funder"], fmt="pdf")


# -- escaping -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["=1+1", "+1", "-1", "@SUM(1)", "\tx", "\rx", "＝1", "＋1", "－1", "＠x", "  =1+1"]
)
def test_each_dangerous_first_character_is_escaped_in_csv_and_xlsx(world, name):
    Partnership.objects.filter(pk=world["a"].pk).update(name=name)
    cell = csv_rows(call("summary", world["funder"], province="AB"))[1][0]
    assert cell.startswith("'") and cell[1:].lstrip(" ")[0] not in "'"
    xcell = xlsx_rows(call("summary", world["funder"], fmt="xlsx", province="AB"))[1][0]
    assert xcell.startswith("'")


# -- personal data ------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(VIEWS))
@pytest.mark.parametrize("who", ["funder", "coordinator", "superuser"])
def test_no_personal_data_in_any_export(world, name, who):
    for column in VIEW_COLUMNS[name]:
        assert not {"person", "email", "phone", "contact"} & set(column.code.split("_"))
    text = "\n".join(",".join(r) for r in csv_rows(call(name, world[who])))
    for needle in PERSONAL:
        assert needle not in text
    for fmt_rows in xlsx_rows(call(name, world[who], fmt="xlsx")):
        joined = " ".join(str(v) for v in fmt_rows if v is not None)
        for needle in PERSONAL:
            assert needle not in joined


# -- permissions --------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(VIEWS))
def test_anonymous_is_sent_to_the_admin_login(world, name):
    response = call(name, None, province="AB")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login") + "?next=")


@pytest.mark.parametrize("name", list(VIEWS))
def test_staff_without_a_role_is_refused(world, name):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        call(name, UserFactory(password=None))


@pytest.mark.parametrize("name", list(VIEWS))
def test_coordinator_exports_only_their_own_partnerships(world, name):
    rows = as_dicts(csv_rows(call(name, world["coordinator"])))
    assert rows and {r["Partnership code"] for r in rows} == {"alpha-lip"}
    both = as_dicts(csv_rows(call(name, world["superuser"])))
    assert {r["Partnership code"] for r in both} == {"alpha-lip", "beta-zip"}


# -- the public export --------------------------------------------------------------------


def test_public_export_needs_no_login_and_holds_public_columns_only(world, client):
    response = client.get(reverse("directory:partnership-export"), {"province": "AB"})
    assert response.status_code == 200
    assert response.streaming
    rows = as_dicts(csv_rows(response))
    assert [r["Partnership code"] for r in rows] == ["alpha-lip"]
    a = rows[0]
    assert a["Website"] == "https://alpha.example.ca"
    assert a["Focus areas"] == "Housing X"
    assert a["Working groups"] == "1"
    assert (a["Active plan start year"], a["Active plan end year"]) == ("2025", "2029")
    text = ",".join(",".join(r.values()) for r in rows)
    for needle in PERSONAL:
        assert needle not in text
    assert "Settle Co" not in text  # no roster
    assert 'filename="partnerships_' in response["Content-Disposition"]


def test_public_export_in_french(world, client):
    response = client.get("/fr/partnerships/export.csv", {"kind": "lip"})
    assert response.status_code == 200
    rows = as_dicts(csv_rows(response))
    assert [r[next(iter(r))] for r in rows] == ["PLI Alpha"]


def test_public_export_invalid_filter_is_400(world, client):
    response = client.get(reverse("directory:partnership-export"), {"province": "ZZ"})
    assert response.status_code == 400
    assert not response.has_header("Content-Disposition")


def test_public_list_links_to_the_export_with_its_filters(world, client):
    response = client.get(reverse("directory:partnership-list"), {"province": "AB"})
    assert f"{reverse('directory:partnership-export')}?province=AB" in response.content.decode()


# -- streaming: several thousand rows, constant queries -----------------------------------


def _indicators(plan, count, start=0):
    priority = PriorityFactory(plan=plan)
    Indicator.objects.bulk_create(
        Indicator(priority=priority, name=f"Indicator {i:05d}", unit="=x")
        for i in range(start, start + count)
    )


def _stream_count(user, django_assert_max_num_queries, limit):
    user = type(user).objects.get(pk=user.pk)  # no scope cached on the object
    with django_assert_max_num_queries(limit) as captured:
        rows = csv_rows(call("plan-progress", user))
    return rows, len(captured.captured_queries)


def test_streamed_csv_of_thousands_of_rows_reads_back_whole_in_constant_queries(
    world, django_assert_max_num_queries
):
    plan = CommunityPlan.objects.get(partnership=world["a"], status="active")
    _indicators(plan, 50)
    small, small_queries = _stream_count(world["funder"], django_assert_max_num_queries, 12)
    _indicators(plan, 4500, start=50)
    big, big_queries = _stream_count(world["funder"], django_assert_max_num_queries, 12)
    assert len(small) == 1 + 3 + 50
    assert len(big) == 1 + 3 + 4550
    assert big_queries == small_queries
    names = {r[9] for r in big[1:]}
    assert len(names) == 3 + 4550
    assert all(r[10] == "'=x" for r in big[1:] if r[9].startswith("Indicator 0"))


def test_xlsx_over_the_row_cap_is_refused_before_reading_rows(
    world, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(export_views, "XLSX_MAX_ROWS", 2)
    user = type(world["funder"]).objects.get(pk=world["funder"].pk)
    with django_assert_max_num_queries(6):
        response = call("plan-progress", user, fmt="xlsx")
    assert response.status_code == 400
    assert "CSV" in response.content.decode()
    assert not response.has_header("Content-Disposition")
    assert call("plan-progress", user, fmt="csv").status_code == 200  # CSV has no cap
    assert call("plan-progress", user, fmt="xlsx", province="ON").status_code == 200


@pytest.mark.parametrize("name", ["summary", "composition", "plan-progress"])
def test_funder_export_urls(world, client, name):
    url = reverse(f"funders:export-{name}", kwargs={"fmt": "csv"})
    response = client.get(url, {"province": "AB"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    client.force_login(world["funder"])
    response = client.get(url, {"province": "AB"})
    assert response.status_code == 200
    assert {r["Partnership code"] for r in as_dicts(csv_rows(response))} == {"alpha-lip"}
    assert client.get(url, {"province": "ZZ"}).status_code == 400
    assert client.get(url.replace(".csv", ".pdf")).status_code == 404


# -- roster: the same filters, contacts only as the scoping rule shows them ---------------


def test_roster_header_is_pinned(world):
    rows = csv_rows(call("roster", world["funder"]))
    assert [c.code for c in ROSTER_COLUMNS] == [
        "partnership", "partnership_slug", "kind", "kind_code", "province", "province_code",
        "council", "organization", "person", "title", "email", "phone", "role", "role_code",
        "voting", "sector", "sector_code", "term_start", "term_end", "left_on",
        "publish_consent",
    ]  # fmt: skip
    assert rows[0] == [str(c.label) for c in ROSTER_COLUMNS]


def test_roster_shows_funders_contacts_only_with_consent(world):
    rows = as_dicts(csv_rows(call("roster", world["funder"])))
    assert len(rows) == 6  # five seats on Alpha's council (one who left), one on Beta's
    assert sum(r["Consents to publish"] == "yes" for r in rows) == 1
    for row in rows:
        if row["Consents to publish"] == "yes":
            assert row["Person"].startswith("Person ") and "@example.org" in row["Email"]
        else:
            assert (row["Person"], row["Email"], row["Phone"]) == ("", "", "")


def test_roster_shows_a_coordinator_their_own_contacts_and_nothing_else(world):
    rows = as_dicts(csv_rows(call("roster", world["coordinator"])))
    assert {r["Partnership code"] for r in rows} == {"alpha-lip"}
    assert all(r["Person"].startswith("Person ") for r in rows)


def test_roster_takes_the_page_filters(world):
    rows = as_dicts(csv_rows(call("roster", world["funder"], province="ON")))
    assert {r["Partnership code"] for r in rows} == {"beta-zip"}
    assert call("roster", world["funder"], province="ZZ").status_code == 400


def test_roster_xlsx_has_real_dates(world):
    rows = xlsx_rows(call("roster", world["funder"], fmt="xlsx"))
    column = [str(c.label) for c in ROSTER_COLUMNS].index("Term end")
    assert isinstance(rows[1][column], datetime.datetime | datetime.date)


@pytest.mark.parametrize("name", ["summary", "composition", "plan-progress", "roster"])
def test_every_export_runs_the_same_queries_for_more_partnerships(world, name):
    """No query per partnership (a deferred field read per row was one)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        user = type(world["funder"]).objects.get(pk=world["funder"].pk)
        with CaptureQueriesContext(connection) as captured:
            csv_rows(call(name, user))
        return len(captured.captured_queries)

    before = queries()
    for _ in range(5):
        CouncilMembershipFactory(council=CouncilFactory(partnership=PartnershipFactory()))
    assert queries() == before

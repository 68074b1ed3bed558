"""The exports' fast paths give exactly what the rules they stand in for give.

At 10,000 partnerships the exports read plain values instead of model instances and write
CSV a row at a time: each shortcut here is checked against the one rule it must follow
(``csv_cell``, ``visible_to`` masking, ``localized``, ``partnership_cells``,
``indicator_status``) on the same data.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from funders import export_views
from funders.exports import (
    localizer,
    partnership_cells,
    partnership_cells_by_id,
    partnership_code_cells,
    plan_progress_queryset,
    plan_progress_rows,
)
from funders.files import BOM, Column, csv_cell, csv_chunks, xlsx_bytes
from funders.summary import indicator_status
from partnerships.models import CouncilMembership, Partnership, localized
from plans.models import Indicator, Measurement
from tests.factories import (
    CommunityPlanFactory,
    CouncilFactory,
    CouncilMembershipFactory,
    IndicatorFactory,
    MeasurementFactory,
    PartnershipFactory,
    PriorityFactory,
    UserFactory,
)
from tests.partnerships.factories_admin import coordinator_of, funder

TRICKY = [
    "plain",
    "",
    "   ",
    "=1+1",
    "+1",
    "-2",
    "@cmd",
    "\tx",
    "\rx",
    "a\r\nb",
    "line\nbreak",
    "line\n=SUM(A1)",
    "\uff1dx",
    "  =1",
    "\u00a0@x",
    "\u3000\uff0bx",
    "\x00=cmd()",
    "a\x0bb",
    "soft\u00adhyphen",
    'Zoë, "quoted"',
    "'already",
    mark_safe("=safe"),
    gettext_lazy("Partnership"),
    -2,
    0,
    7,
    1.25,
    Decimal("-1.50"),
    Decimal("3"),
    datetime.date(2025, 1, 31),
    datetime.datetime(2025, 1, 31, 8, 30),
    True,
    False,
    None,
]


def _read(columns, rows) -> list[list[str]]:
    text = b"".join(csv_chunks(columns, rows)).decode("utf-8")
    return list(csv.reader(io.StringIO(text.removeprefix(BOM), newline="")))[1:]


def test_csv_rows_hold_exactly_what_csv_cell_gives_each_value():
    columns = [Column("v", "V"), Column("w", "W")]
    rows = [["safe", value] for value in TRICKY] + [[value, "safe"] for value in TRICKY]
    expected = [[csv_cell(a, "text"), csv_cell(b, "text")] for a, b in rows]
    assert _read(columns, rows) == [[cell.replace("\r\n", "\n").replace("\r", "\n")
                                     for cell in row] for row in expected]  # fmt: skip


def test_csv_row_of_every_kind_of_value_at_once_matches_csv_cell():
    columns = [Column(f"c{i}", f"C{i}") for i in range(len(TRICKY))]
    expected = [csv_cell(value, "text").replace("\r\n", "\n").replace("\r", "\n")
                for value in TRICKY]  # fmt: skip
    assert _read(columns, [TRICKY]) == [expected]


def test_csv_row_of_the_wrong_width_is_refused():
    with pytest.raises(ValueError):
        _read([Column("a", "A")], [["x", "y"]])


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    ("name", "name_fr"), [("Alpha", "Alpha FR"), ("Alpha", ""), ("", "Seul FR"), ("", "")]
)
def test_localizer_gives_what_localized_gives(language, name, name_fr):
    with translation.override(language):
        expected = localized(Partnership(name=name, name_fr=name_fr), "name")
        assert localizer()(name, name_fr) == expected


@pytest.mark.parametrize("language", ["en", "fr"])
def test_partnership_cells_by_id_are_partnership_cells(db, language):
    PartnershipFactory(name="Alpha", name_fr="Alpha FR", province="AB", kind="LIP")
    PartnershipFactory(name="Beta", name_fr="", province="QC", kind="RIF")
    with translation.override(language):
        full = partnership_cells_by_id(Partnership.objects.all())
        codes = partnership_cells_by_id(Partnership.objects.all(), codes_only=True)
        for p in Partnership.objects.all():
            assert list(full[p.pk]) == partnership_cells(p)
            assert list(codes[p.pk]) == partnership_code_cells(p)


@pytest.fixture
def rosters(db):
    a, b = PartnershipFactory(), PartnershipFactory()
    for partnership in (a, b):
        council = CouncilFactory(partnership=partnership)
        CouncilMembershipFactory(council=council, publish_consent=True)
        CouncilMembershipFactory(council=council, publish_consent=False)
    return {"a": a, "b": b}


@pytest.mark.parametrize("who", ["funder", "coordinator", "superuser", "public"])
def test_visible_values_mask_contacts_exactly_as_visible_to(rosters, who):
    user = {
        "funder": funder,
        "coordinator": lambda: coordinator_of(rosters["a"]),
        "superuser": lambda: UserFactory(is_superuser=True, password=None),
        "public": lambda: None,
    }[who]()
    fields = ("pk", "person_name", "email", "phone", "title")
    instances = CouncilMembership.objects.visible_to(user).order_by("pk")
    expected = [tuple(getattr(m, f) for f in fields) for m in instances]
    got = list(CouncilMembership.objects.order_by("pk").visible_values(user, *fields))
    assert got == expected
    assert len(got) == (2 if who == "coordinator" else 4)
    if who in ("funder", "public"):
        assert sum(1 for row in got if row[2] == "") == 2  # the two without consent


def test_plan_progress_status_is_indicator_status_on_instances(db):
    p = PartnershipFactory()
    plan = CommunityPlanFactory(partnership=p, start_year=2024, end_year=2027)
    priority = PriorityFactory(plan=plan)
    cases = [
        (Decimal("10"), Decimal("20"), Indicator.Polarity.HIGHER, [(2024, "12"), (2025, "21")]),
        (Decimal("10"), Decimal("20"), Indicator.Polarity.HIGHER, [(2025, "11")]),
        (Decimal("10"), Decimal("20"), Indicator.Polarity.HIGHER, [(2024, "19")]),
        (Decimal("30"), Decimal("10"), Indicator.Polarity.LOWER, [(2025, "25")]),
        (Decimal("30"), Decimal("10"), Indicator.Polarity.LOWER, []),
        (None, Decimal("10"), Indicator.Polarity.LOWER, [(2025, "5")]),
    ]
    for baseline, target, polarity, measured in cases:
        indicator = IndicatorFactory(
            priority=priority, baseline_value=baseline, target_value=target, polarity=polarity
        )
        for year, value in measured:
            MeasurementFactory(indicator=indicator, year=year, value=Decimal(value))
    today = datetime.date(2026, 6, 1)
    user = funder()
    partnerships = Partnership.objects.all()
    statuses = [row[-1] for row in plan_progress_rows(partnerships, user, today=today)]
    expected = []
    for indicator in plan_progress_queryset(partnerships, user):
        latest = Measurement.objects.filter(indicator=indicator).order_by("-year").first()
        expected.append(indicator_status(indicator, latest, today=today))
    assert statuses == expected
    assert len(set(statuses)) >= 3


def test_xlsx_rows_written_as_xml_read_back_as_the_values_openpyxl_would_write():
    columns = [Column("t", "T"), Column("n", "N", "integer"), Column("d", "D", "date")]
    rows = [
        ['<b> & "x"', 3, datetime.date(2025, 1, 31)],
        ["two\nlines ", -2, datetime.datetime(2025, 2, 1, 12, 0)],
        ["=cmd()", Decimal("2.5"), None],
        [True, None, None],
    ] * 150  # past the rows sampled for the widths
    sheet = load_workbook(io.BytesIO(xlsx_bytes(columns, rows, title="T"))).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 601
    assert values[1:5] == [
        ('<b> & "x"', 3, datetime.datetime(2025, 1, 31)),
        ("two\nlines ", -2, datetime.datetime(2025, 2, 1, 12, 0)),
        ("'=cmd()", 2.5, None),
        ("yes", None, None),
    ]
    assert values[-1] == ("yes", None, None)
    assert sheet["C2"].is_date and sheet["C598"].is_date
    assert sheet["B2"].number_format == "0"


def test_composition_xlsx_over_the_cap_is_refused_before_reading_seats(
    db, monkeypatch, django_assert_max_num_queries
):
    PartnershipFactory()  # one partnership: a row per recommended sector, more than 2
    monkeypatch.setattr(export_views, "XLSX_MAX_ROWS", 2)
    request = RequestFactory().get("/admin/funders/export/council-composition.xlsx")
    request.user = funder()
    request.user = type(request.user).objects.get(pk=request.user.pk)
    with django_assert_max_num_queries(6) as captured:
        response = export_views.export_composition(request, "xlsx")
    assert response.status_code == 400
    assert "CSV" in response.content.decode()
    seats = '"partnerships_councilmembership"."voting"'
    assert not any(seats in q["sql"] for q in captured.captured_queries)

"""funders.files: the CSV and XLSX writers every export uses (no database needed)."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from funders.files import (
    BOM,
    DATE,
    DECIMAL,
    INTEGER,
    TEXT,
    Column,
    TooManyRows,
    csv_chunks,
    csv_response,
    export_filename,
    xlsx_bytes,
    xlsx_response,
)
from partnerships.resources import unescape_formula
from partnerships.text import escape_formula

COLUMNS = [
    Column("name", "Name"),
    Column("count", "Count", INTEGER),
    Column("share", "Share", DECIMAL),
    Column("day", "Day", DATE),
]
DANGEROUS = [
    "=SUM(A1)",
    "+1 403",
    "-2+3",
    "@cmd",
    "\tx",
    "\rx",
    "\uff1dSUM(A1)",  # full-width =
    "\uff0b1",
    "\uff0d2",
    "\uff20cmd",
    "  =1+1",  # after leading spaces
    "\u00a0@x",
    "\u3000\uff1dx",
]


def _csv_text(columns, rows) -> str:
    return b"".join(csv_chunks(columns, rows)).decode("utf-8")


@pytest.mark.parametrize("value", DANGEROUS)
def test_escape_formula_each_dangerous_first_character(value):
    assert escape_formula(value) == "'" + value
    assert unescape_formula(escape_formula(value)) == value


def test_escape_formula_leaves_safe_values():
    for value in ["Plain", "a=b", "Éducation", "", "   ", "'quoted", "\n-x"]:
        assert escape_formula(value) == value
    assert escape_formula(-2) == -2
    assert escape_formula(Decimal("-1.5")) == Decimal("-1.5")


def test_csv_has_bom_crlf_and_rfc4180_quoting():
    text = _csv_text(COLUMNS, [['Say "hi", Zoë', 3, Decimal("2.50"), datetime.date(2025, 1, 31)]])
    assert text.startswith(BOM)
    assert text == BOM + 'Name,Count,Share,Day\r\n"Say ""hi"", Zoë",3,2.50,2025-01-31\r\n'


@pytest.mark.parametrize("value", DANGEROUS)
def test_csv_escapes_each_dangerous_text_cell(value):
    text = _csv_text([Column("v", "V")], [[value]])
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM), newline="")))
    cleaned = value.replace("\r", "\n")  # strip_for_file: a lone CR is a line break
    assert rows[1] == ["'" + cleaned]


def test_csv_escapes_formulae_revealed_by_dropping_control_characters():
    text = _csv_text([Column("v", "V")], [["\x00=cmd()"], ["\x00\x01 +1"]])
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM), newline="")))
    assert rows[1:] == [["'=cmd()"], ["' +1"]]


def test_csv_numbers_are_not_escaped_and_controls_are_dropped():
    text = _csv_text(COLUMNS, [["a\x00b\x0bc", -2, Decimal("-1.5"), None]])
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM), newline="")))
    assert rows[1] == ["ab\nc", "-2", "-1.5", ""]


def test_csv_streams_in_chunks():
    chunks = list(csv_chunks(COLUMNS, ([f"row {i}", i, None, None] for i in range(1234))))
    assert len(chunks) == 3  # header + 500 + 500, then the last 234 rows
    text = b"".join(chunks).decode("utf-8")
    assert text.count("\r\n") == 1235


def test_csv_response_is_streamed_with_filename():
    response = csv_response(COLUMNS, iter([]), "summary_2026-01-01")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="summary_2026-01-01.csv"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).decode("utf-8").startswith(BOM + "Name")


def test_xlsx_numbers_dates_frozen_header_widths_and_escaping():
    rows = [
        ["=cmd()", 3, Decimal("2.50"), datetime.date(2025, 1, 31)],
        ["\uff0b1", -2, Decimal("7"), None],
        ["A much longer name than the header", 0, None, None],
    ]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(COLUMNS, rows, title="Summary"))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Name", "Count", "Share", "Day")
    assert values[1][0] == "'=cmd()"
    assert values[2][0] == "'\uff0b1"
    assert values[1][1] == 3 and isinstance(values[1][1], int)
    assert values[2][1] == -2
    assert values[1][2] == 2.5 and isinstance(values[1][2], float)
    assert values[2][2] == 7
    assert values[1][3] == datetime.datetime(2025, 1, 31)  # a real date cell
    assert sheet["D2"].is_date
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["A"].width == len("A much longer name than the header") + 2
    assert sheet.column_dimensions["B"].width == 7  # "Count" + 2


def test_xlsx_row_cap_is_a_400_in_words():
    rows = ([f"r{i}", i, None, None] for i in range(11))
    with pytest.raises(TooManyRows):
        xlsx_bytes(COLUMNS, rows, title="x", max_rows=10)
    response = xlsx_response(COLUMNS, [["a", 1, None, None]] * 11, "f", title="x", max_rows=10)
    assert response.status_code == 400
    assert "CSV" in response.content.decode()
    ok = xlsx_response(COLUMNS, [["a", 1, None, None]] * 10, "f", title="x", max_rows=10)
    assert ok.status_code == 200
    assert 'filename="f.xlsx"' in ok["Content-Disposition"]


def test_export_filename_carries_date_and_filters():
    name = export_filename(
        "partnership-summary",
        [("province", ["AB"]), ("kind", ["LIP"]), ("q", ["Réseau / été"]), ("focus", [""])],
        today=datetime.date(2026, 11, 22),
    )
    assert name == "partnership-summary_2026-11-22_province-AB_kind-LIP_q-Reseau-ete"
    long = export_filename("x", [("q", ["a" * 500])], today=datetime.date(2026, 1, 1))
    assert len(long) <= 150


def test_text_column_kind_is_default():
    assert Column("a", "A").kind == TEXT

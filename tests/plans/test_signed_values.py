"""A fall is printed with the minus sign (U+2212), never "– -3": in the chart's numbers, the
plan page's change, the annual report's change, in English and French."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.utils import translation

from plans.charts import MINUS, format_number, indicator_chart
from plans.templatetags.plan_tags import signed
from tests.factories import MeasurementFactory
from tests.plans.plan_data import build_plans

PLAN = "/partnerships/riverton/plan/"
REPORT = "/partnerships/riverton/plan/report/2025/"


@pytest.fixture(scope="module")
def _plans(shared_rows):
    return shared_rows.build(build_plans)


@pytest.fixture
def d(_plans, shared_rows, db):
    return shared_rows.fresh(_plans)


def text_of(response) -> str:
    content = response.content.decode()
    main = content[content.index("<main") : content.index("</main>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def test_negative_numbers_take_the_minus_sign():
    assert format_number(Decimal("-3.00")) == MINUS + "3"
    assert format_number(Decimal("-12500")) == MINUS + "12,500"


def test_negative_numbers_take_the_minus_sign_in_french():
    with translation.override("fr"):
        assert format_number(Decimal("-1.50")) == MINUS + "1,5"


def test_negative_zero_is_plain_zero():
    assert format_number(Decimal("-0.00")) == "0"


def test_signed_change_has_a_plus_or_a_minus_sign():
    assert [signed(Decimal(v)) for v in ("3", "-1.5", "0")] == ["+3", MINUS + "1.5", "0"]


def test_chart_table_and_labels_print_negative_values_with_the_minus_sign():
    chart = indicator_chart(
        chart_id="c",
        title="Net change",
        unit="",
        baseline=(2022, Decimal("-5")),
        target=(2026, Decimal("10")),
        measurements=[(2024, Decimal("-12.50"), False)],
    )
    labels = {p.kind: p.label for p in chart.rows}
    assert labels["baseline"] == MINUS + "5"
    assert labels["measurement"] == MINUS + "12.5"
    assert "-" not in "".join(t.label for t in chart.y_ticks)


def test_plan_page_prints_a_fall_with_the_minus_sign(client, d):
    MeasurementFactory(indicator=d.waiting, year=2025, value=Decimal("150"))
    text = text_of(client.get(PLAN))
    assert f"150 (2025) – {MINUS}40 since 2024" in text
    assert "– -" not in text


def test_report_prints_a_fall_with_the_minus_sign(client, d):
    MeasurementFactory(indicator=d.waiting, year=2025, value=Decimal("150"))
    text = text_of(client.get(REPORT))
    assert f"150 190 {MINUS}40 – improved" in text
    assert " -40" not in text

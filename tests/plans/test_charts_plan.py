"""The indicator chart's geometry, number formatting and text alternative."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from plans.charts import (
    HEIGHT,
    LEFT,
    PLOT_WIDTH,
    TOP,
    format_number,
    indicator_chart,
    nice_step,
)


def chart(**kwargs):
    values = {
        "chart_id": "c",
        "title": "Employment rate",
        "unit": "%",
        "baseline": (2022, Decimal("40.00")),
        "target": (2026, Decimal("60.00")),
        "measurements": [(2024, Decimal("50.50"), False), (2023, Decimal("45.00"), True)],
    }
    values.update(kwargs)
    return indicator_chart(**values)


def test_numbers_drop_trailing_zeros():
    assert format_number(Decimal("12.00")) == "12"
    assert format_number(Decimal("62.50")) == "62.5"
    assert format_number(Decimal("-3.25")) == "\u22123.25"
    assert format_number(None) == "—"


def test_numbers_use_the_french_decimal_comma():
    with translation.override("fr"):
        assert format_number(Decimal("62.50")) == "62,5"


def test_table_rows_and_svg_points_are_the_same_numbers_by_year():
    c = chart()
    assert [(p.kind, p.year, p.label) for p in c.rows] == [
        ("baseline", 2022, "40"),
        ("measurement", 2023, "45"),
        ("measurement", 2024, "50.5"),
        ("target", 2026, "60"),
    ]
    assert sorted(p.label for p in c.points) == sorted(p.label for p in c.rows)


def test_years_span_the_width_and_higher_values_sit_higher():
    c = chart()
    baseline, target = c.baseline, c.target
    assert baseline.x == LEFT and target.x == LEFT + PLOT_WIDTH
    measured = c.measured
    assert measured[0].y > measured[1].y > target.y  # 45 below 50.5 below 60
    assert all(TOP <= p.y <= HEIGHT for p in c.points)


def test_axis_starts_at_zero_for_positive_values_with_round_ticks():
    c = chart()
    assert [t.label for t in c.y_ticks] == ["0", "20", "40", "60"]
    assert [t.label for t in c.x_ticks] == ["2022", "2023", "2024", "2025", "2026"]


def test_sample_measurements_are_flagged_in_the_rows():
    c = chart()
    assert [p.is_sample for p in c.measured] == [True, False]


def test_description_carries_every_number():
    assert chart().description == (
        "Baseline 40 % in 2022. Measured: 2023: 45; 2024: 50.5. Target 60 % by 2026."
    )


def test_chart_without_measurements_says_so():
    c = chart(measurements=[])
    assert "No measurement yet." in c.description
    assert c.polyline == ""


def test_empty_chart_has_no_points_and_a_plain_description():
    c = chart(baseline=None, target=None, measurements=[])
    assert c.is_empty
    assert c.description == "No baseline, target or measurement is recorded."


def test_single_point_sits_in_the_middle():
    c = chart(baseline=None, target=None, measurements=[(2024, Decimal("7"), False)])
    assert c.points[0].x == LEFT + PLOT_WIDTH / 2


def test_long_spans_label_fewer_years():
    c = chart(baseline=(2010, Decimal("1")), target=(2030, Decimal("2")), measurements=[])
    assert len(c.x_ticks) <= 8
    assert c.x_ticks[0].label == "2010"


def test_nice_steps_are_round():
    assert nice_step(60) == 20
    assert nice_step(7) == 2
    assert nice_step(0.9) == 0.25


def test_negative_values_extend_the_axis_below_zero():
    c = chart(
        baseline=(2022, Decimal("-5")),
        target=(2026, Decimal("10")),
        measurements=[(2024, Decimal("-12.5"), False)],
    )
    labels = [t.label for t in c.y_ticks]
    assert labels == ["\u221220", "\u221210", "0", "10"]
    assert all(TOP <= p.y <= HEIGHT for p in c.points)


def test_large_values_are_grouped():
    assert format_number(Decimal("12500.00")) == "12,500"

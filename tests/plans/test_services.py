"""Progress and status of an indicator: one rule, polarity respected (plans/services.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from plans.models import Polarity
from plans.services import (
    BEHIND,
    MET,
    NO_DATA,
    ON_TRACK,
    indicator_status,
    measurement_years,
)
from tests.factories import CommunityPlanFactory, IndicatorFactory, PriorityFactory
from tests.factories import MeasurementFactory as M

pytestmark = pytest.mark.django_db

LATE_2026 = datetime.date(2026, 11, 1)


def higher(**kwargs):
    """Plan 2025–2029, baseline 10 (2024) → target 30 (2029)."""
    return IndicatorFactory(**kwargs)


def lower(**kwargs):
    """Plan 2025–2029, baseline 40 → target 20: lower is better."""
    return IndicatorFactory(
        polarity=Polarity.LOWER,
        baseline_value=Decimal("40"),
        target_value=Decimal("20"),
        **kwargs,
    )


def series(indicator, *points):
    """Measurements of ``indicator`` from (year, value) pairs, in the order given."""
    return [M(indicator=indicator, year=year, value=value) for year, value in points]


# -- Indicator.progress -------------------------------------------------------------------------


def test_progress_counts_up_when_higher_is_better():
    assert higher().progress(Decimal("20")) == 0.5


def test_progress_counts_down_when_lower_is_better():
    assert lower().progress(Decimal("30")) == 0.5


def test_a_lower_is_better_indicator_moving_up_makes_no_progress():
    assert lower().progress(Decimal("45")) == 0.0


def test_progress_is_complete_at_or_beyond_the_target():
    assert higher().progress(Decimal("31")) == 1.0
    assert lower().progress(Decimal("19")) == 1.0


def test_progress_without_a_value_is_unknown():
    assert higher().progress(None) is None


def test_progress_without_a_baseline_or_target_is_unknown():
    assert higher(baseline_value=None).progress(Decimal("20")) is None
    assert higher(target_value=None).progress(Decimal("20")) is None


def test_a_target_equal_to_the_baseline_is_met_when_held():
    held = IndicatorFactory(baseline_value=Decimal("10"), target_value=Decimal("10"))
    assert held.progress(Decimal("10")) == 1.0
    assert held.progress(Decimal("9")) == 0.0


# -- indicator_status --------------------------------------------------------------------------


def test_status_without_measurements_has_no_data():
    status = indicator_status(higher(), [], today=LATE_2026)
    assert (status.state, status.latest, status.change, status.percent) == (
        NO_DATA,
        None,
        None,
        None,
    )


def test_status_reads_the_latest_year_whatever_the_order():
    indicator = higher()
    rows = [
        M(indicator=indicator, year=2026, value=18),
        M(indicator=indicator, year=2025, value=12),
    ]
    status = indicator_status(indicator, rows, today=LATE_2026)
    assert status.latest.year == 2026
    assert status.change == Decimal("6")
    assert status.improved is True


def test_a_drop_is_an_improvement_when_lower_is_better():
    indicator = lower()
    rows = [
        M(indicator=indicator, year=2025, value=38),
        M(indicator=indicator, year=2026, value=33),
    ]
    status = indicator_status(indicator, rows, today=LATE_2026)
    assert (status.change, status.improved) == (Decimal("-5"), True)


def test_no_change_is_given_when_the_year_before_was_not_measured():
    indicator = higher()
    rows = [
        M(indicator=indicator, year=2025, value=12),
        M(indicator=indicator, year=2027, value=20),
    ]
    status = indicator_status(indicator, rows, today=datetime.date(2028, 3, 1))
    assert (status.previous, status.change, status.improved) == (None, None, None)


def test_a_report_year_ignores_later_measurements():
    indicator = higher()
    rows = [
        M(indicator=indicator, year=2025, value=12),
        M(indicator=indicator, year=2026, value=29),
    ]
    status = indicator_status(indicator, rows, year=2025, today=LATE_2026)
    assert status.latest.year == 2025 and status.change is None


def test_a_value_at_the_target_is_met():
    indicator = lower()
    status = indicator_status(indicator, [M(indicator=indicator, year=2025, value=20)])
    assert status.state == MET and status.on_track


def test_on_track_compares_progress_with_the_time_elapsed_by_the_end_of_the_measured_year():
    # 2025 is the first fifth of 2025–2029: 25% of the way is on track, 10% is behind.
    on_time = higher()
    late = higher()
    assert indicator_status(on_time, [M(indicator=on_time, year=2025, value=15)]).state == ON_TRACK
    assert indicator_status(late, [M(indicator=late, year=2025, value=12)]).state == BEHIND


def test_a_lower_is_better_indicator_going_the_wrong_way_is_behind():
    indicator = lower()
    status = indicator_status(indicator, [M(indicator=indicator, year=2025, value=44)])
    assert (status.state, status.percent) == (BEHIND, 0)


def test_status_runs_no_query_with_the_plan_selected(django_assert_num_queries):
    indicator = higher()
    rows = [M(indicator=indicator, year=2025, value=15)]
    indicator.priority.plan  # noqa: B018 - select the plan first, as pages do
    with django_assert_num_queries(0):
        indicator_status(indicator, rows, today=LATE_2026)


def test_funders_summary_uses_the_same_rule():
    from funders.summary import indicator_status as funder_status

    indicator = lower()
    latest = M(indicator=indicator, year=2025, value=44)
    assert funder_status(indicator, latest) == indicator_status(indicator, [latest]).state


# -- measurement years -------------------------------------------------------------------------


def test_measurement_years_start_at_a_baseline_year_before_the_plan():
    plan = CommunityPlanFactory(start_year=2025, end_year=2028)
    indicator = IndicatorFactory(priority=PriorityFactory(plan=plan), baseline_year=2022)
    assert measurement_years(indicator) == (2022, 2028)


def test_measurement_years_are_the_plan_span_without_an_earlier_baseline():
    plan = CommunityPlanFactory(start_year=2025, end_year=2028)
    indicator = IndicatorFactory(
        priority=PriorityFactory(plan=plan), baseline_year=None, target_year=None
    )
    assert measurement_years(indicator) == (2025, 2028)

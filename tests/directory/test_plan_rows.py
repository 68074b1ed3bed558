"""The detail page's plan in one query gives exactly what the prefetched chain gave."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Count, Prefetch, Q

from directory.plan_rows import current_plan
from partnerships.models import FocusArea
from plans.models import Action, CommunityPlan, Indicator, Measurement, Polarity, Priority
from plans.services import indicator_status
from tests.factories import (
    ActionFactory,
    CommunityPlanFactory,
    IndicatorFactory,
    MeasurementFactory,
    PartnershipFactory,
    PriorityFactory,
)

pytestmark = pytest.mark.django_db


def prefetched_plan(partnership):
    """The four-query chain the page used before (the reference)."""
    measurements = Measurement.objects.order_by("-year", "-pk")
    indicators = Indicator.objects.prefetch_related(Prefetch("measurements", measurements))
    priorities = Priority.objects.select_related("focus_area").prefetch_related(
        Prefetch("indicators", queryset=indicators)
    )
    done = Q(priorities__actions__status=Action.Status.DONE)
    plan = (
        CommunityPlan.objects.current()
        .filter(partnership=partnership)
        .annotate(
            actions_total=Count("priorities__actions", distinct=True),
            actions_done=Count("priorities__actions", filter=done, distinct=True),
        )
        .order_by("-start_year", "-pk")
        .prefetch_related(Prefetch("priorities", queryset=priorities))
        .first()
    )
    if plan is None:
        return None
    rows = []
    for priority in plan.priorities.all():
        items = []
        for indicator in priority.indicators.all():
            status = indicator_status(indicator, indicator.measurements.all())
            items.append((indicator.pk, status.latest and status.latest.pk, status.percent))
        rows.append((priority.pk, priority.focus_area_id, items))
    return plan.pk, plan.actions_total, plan.actions_done, rows


def one_query_plan(partnership):
    plan = current_plan(partnership)
    if plan is None:
        return None
    rows = [
        (
            row["priority"].pk,
            row["priority"].focus_area_id,
            [
                (i["indicator"].pk, i["latest"] and i["latest"].pk, i["percent"])
                for i in row["indicators"]
            ],
        )
        for row in plan.priority_rows
    ]
    return plan.pk, plan.actions_total, plan.actions_done, rows


def rich_plan():
    partnership = PartnershipFactory()
    plan = CommunityPlanFactory(partnership=partnership, start_year=2025)
    housing = FocusArea.objects.get(slug="housing")
    first = PriorityFactory(plan=plan, order=2, focus_area=housing, title="B")
    second = PriorityFactory(plan=plan, order=1, title="A")
    PriorityFactory(plan=plan, order=3, title="No indicator")
    rising = IndicatorFactory(priority=first, name="Rising")
    for year, value in [(2024, "12"), (2025, "20"), (2026, "18")]:
        MeasurementFactory(indicator=rising, year=year, value=Decimal(value))
    falling = IndicatorFactory(
        priority=first,
        name="Falling",
        polarity=Polarity.LOWER,
        baseline_value=Decimal("40"),
        target_value=Decimal("5"),
    )
    MeasurementFactory(indicator=falling, year=2025, value=Decimal("22.5"))
    IndicatorFactory(priority=second, name="Never measured")
    ActionFactory(priority=first, status=Action.Status.DONE)
    ActionFactory(priority=first)
    ActionFactory(priority=second, status=Action.Status.DONE)
    return partnership


def test_one_query_plan_equals_the_prefetched_chain():
    partnership = rich_plan()
    expected = prefetched_plan(partnership)
    assert expected[1:3] == (3, 2)
    assert one_query_plan(partnership) == expected


def test_plan_without_priorities_has_its_counts_and_no_rows():
    partnership = PartnershipFactory()
    CommunityPlanFactory(partnership=partnership)
    assert one_query_plan(partnership) == prefetched_plan(partnership)
    assert one_query_plan(partnership)[1:] == (0, 0, [])


def test_no_current_plan_is_none():
    partnership = PartnershipFactory()
    CommunityPlanFactory(partnership=partnership, status=CommunityPlan.Status.DRAFT)
    assert current_plan(partnership) is None


def test_the_plan_and_its_rows_cost_one_query(django_assert_num_queries):
    partnership = rich_plan()
    with django_assert_num_queries(1):
        plan = current_plan(partnership)
        for row in plan.priority_rows:
            assert row["priority"].plan is plan
            for item in row["indicators"]:
                assert item["indicator"].priority.plan.end_year == plan.end_year

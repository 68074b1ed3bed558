"""A small world of three partnerships whose summary figures are computed by hand below."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from partnerships.models import Council, FocusArea, Organization, Partnership, Sector
from plans.models import Action, CommunityPlan, Indicator
from tests.factories import (
    ActionFactory,
    CommunityPlanFactory,
    CouncilFactory,
    CouncilMembershipFactory,
    IndicatorFactory,
    MeasurementFactory,
    OrganizationFactory,
    PartnershipFactory,
    PriorityFactory,
    WorkingGroupFactory,
)

#: The day the figures are computed for. Values measured for 2025 are judged at the end of
#: 2025: 730 of the 1,460 days of a 2024–2027 plan, so on track from 50% of the way.
TODAY = datetime.date(2026, 1, 1)
RECOMMENDED = 17  # IRCC-recommended sectors seeded by the migrations, newcomers included


def sector(slug: str) -> Sector:
    return Sector.objects.get(slug=slug)


def org(slug: str) -> Organization:
    return OrganizationFactory(sector=sector(slug))


def indicator(priority: Any, polarity: str, baseline: str, target: str | None, *values: Any):
    """An indicator with measurements ``(year, value)``."""
    made = IndicatorFactory(
        priority=priority,
        polarity=polarity,
        baseline_value=Decimal(baseline),
        target_value=Decimal(target) if target is not None else None,
    )
    for year, value in values:
        MeasurementFactory(indicator=made, year=year, value=Decimal(value))
    return made


def build_world() -> dict[str, Any]:
    """P1 (AB LIP): the detailed one. P2 (AB ZIP): nothing recorded. P3 (BC LIP): full council.

    P1's main council has 10 seats and 6 current members (one more has left): settlement
    (twice, same organization), municipal, two newcomers in their own name, one Indigenous
    representative. Its steering committee's police member does not count. Active plan
    2024–2027: 4 actions, 1 done; 7 indicators: 3 on track or met, 2 behind, 2 without data.
    """
    housing = FocusArea.objects.get(slug="housing")
    employment = FocusArea.objects.get(slug="employment")
    p1 = PartnershipFactory(
        name="Alpha LIP",
        slug="alpha-lip",
        province="AB",
        kind=Partnership.Kind.LIP,
        last_confirmed=TODAY - datetime.timedelta(days=100),
        confidence=Partnership.Confidence.HIGH,
    )
    main = CouncilFactory(partnership=p1, kind=Council.Kind.MAIN, seats=10, name="Alpha Council")
    settlement = org("settlement")
    CouncilMembershipFactory(council=main, organization=settlement)
    CouncilMembershipFactory(council=main, organization=settlement)
    CouncilMembershipFactory(council=main, organization=org("municipal"))
    CouncilMembershipFactory(council=main, organization=None, sector=sector("newcomers"))
    CouncilMembershipFactory(council=main, organization=None, sector=sector("newcomers"))
    CouncilMembershipFactory(council=main, organization=org("indigenous"))
    CouncilMembershipFactory(
        council=main, organization=org("libraries"), left_on=datetime.date(2025, 6, 30)
    )
    steering = CouncilFactory(partnership=p1, kind=Council.Kind.STEERING, name="Alpha Steering")
    CouncilMembershipFactory(council=steering, organization=org("police"))
    WorkingGroupFactory(partnership=p1, name="A housing table", focus_area=housing)
    WorkingGroupFactory(partnership=p1, name="B employment table", focus_area=employment)
    WorkingGroupFactory(partnership=p1, name="C research table", focus_area=None)
    plan = CommunityPlanFactory(
        partnership=p1, start_year=2024, end_year=2027, status=CommunityPlan.Status.ACTIVE
    )
    old = CommunityPlanFactory(
        partnership=p1, start_year=2019, end_year=2022, status=CommunityPlan.Status.ARCHIVED
    )
    for status in ["done", "planned", "in_progress", "deferred"]:
        ActionFactory(plan=plan, year=2025, status=status)
    ActionFactory.create_batch(2, plan=old, year=2020, status=Action.Status.DONE)
    priority = PriorityFactory(plan=plan)
    higher, lower = Indicator.Polarity.HIGHER, Indicator.Polarity.LOWER
    indicators = {
        # 15 of 20 = 75% of the way: on track (the older 2024 value is not the latest).
        "higher_on_track": indicator(priority, higher, "10", "30", (2024, "5"), (2025, "25")),
        "higher_behind": indicator(priority, higher, "10", "30", (2025, "12")),  # 10%
        "lower_on_track": indicator(priority, lower, "100", "50", (2025, "70")),  # 60%
        "lower_behind": indicator(priority, lower, "100", "50", (2025, "90")),  # 20%
        "lower_met": indicator(priority, lower, "100", "50", (2025, "45")),
        "no_measurement": indicator(priority, higher, "10", "30"),
        "no_target": indicator(priority, higher, "10", None, (2025, "40")),
    }
    # An old plan's indicator is not counted.
    indicator(PriorityFactory(plan=old), higher, "1", "2", (2020, "5"))

    p2 = PartnershipFactory(
        name="Beta ZIP",
        slug="beta-zip",
        province="AB",
        kind=Partnership.Kind.ZIP,
        last_confirmed=None,
        confidence=Partnership.Confidence.LOW,
    )

    p3 = PartnershipFactory(
        name="Gamma LIP",
        slug="gamma-lip",
        province="BC",
        kind=Partnership.Kind.LIP,
        last_confirmed=TODAY - datetime.timedelta(days=400),
        confidence=Partnership.Confidence.MEDIUM,
    )
    full = CouncilFactory(partnership=p3, kind=Council.Kind.MAIN, seats=None, name="Gamma Council")
    for each in Sector.objects.filter(recommended=True):
        CouncilMembershipFactory(council=full, organization=None, sector=each)
    CommunityPlanFactory(
        partnership=p3, start_year=2026, end_year=2030, status=CommunityPlan.Status.DRAFT
    )
    return {"p1": p1, "p2": p2, "p3": p3, "plan": plan, "indicators": indicators}

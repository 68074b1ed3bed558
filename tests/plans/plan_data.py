"""A partnership with a current plan, an earlier one, a draft and two peers (B's plan pages)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

from partnerships.models import FocusArea
from plans.models import Action, CommunityPlan, Polarity
from tests.factories import (
    ActionFactory,
    CharacteristicFactory,
    CommunityPlanFactory,
    IndicatorDefinitionFactory,
    IndicatorFactory,
    MeasurementFactory,
    OrganizationFactory,
    PartnershipFactory,
    PriorityFactory,
    WorkingGroupFactory,
)


def build_plans() -> SimpleNamespace:
    """Riverton (the plan under test), two peers working on affordable housing, one that is not."""
    housing_focus = FocusArea.objects.get(slug="housing")
    housing = CharacteristicFactory(
        slug="affordable-housing",
        name="Affordable and suitable housing",
        name_fr="Logement abordable et convenable",
        order=3,
    )
    employment_rate = IndicatorDefinitionFactory(
        name="Newcomer employment rate (test)",
        name_fr="Taux d’emploi des nouveaux arrivants (essai)",
        unit="%",
        unit_fr="%",
        polarity=Polarity.HIGHER,
        source="Statistics Canada, Labour Force Survey",
        source_url="https://www.statcan.gc.ca/",
    )
    riverton = PartnershipFactory(name="Riverton Local Immigration Partnership", slug="riverton")
    plan = CommunityPlanFactory(
        partnership=riverton,
        title="Community Plan 2023–2026",
        title_fr="Plan communautaire 2023–2026",
        start_year=2023,
        end_year=2026,
        vision="A community where newcomers belong.",
        vision_fr="Une communauté où les nouveaux arrivants ont leur place.",
        approved_on=datetime.date(2023, 3, 14),
        document_url="https://riverton.example/plan.pdf",
    )
    earlier = CommunityPlanFactory(
        partnership=riverton,
        title="Strategic Plan",
        start_year=2018,
        end_year=2022,
        status=CommunityPlan.Status.COMPLETED,
    )
    draft = CommunityPlanFactory(
        partnership=riverton,
        title="Draft Plan",
        start_year=2027,
        end_year=2030,
        status=CommunityPlan.Status.DRAFT,
    )
    priority = PriorityFactory(
        plan=plan,
        title="Affordable homes",
        title_fr="Logements abordables",
        focus_area=housing_focus,
        order=1,
    )
    priority.characteristics.add(housing)
    empty_priority = PriorityFactory(plan=plan, title="Welcoming spaces", order=2)
    lead = OrganizationFactory(name="Riverton Housing Society")
    group = WorkingGroupFactory(partnership=riverton, name="Housing Table")
    done_2023 = ActionFactory(
        priority=priority,
        year=2023,
        title="Map rental supply",
        status=Action.Status.DONE,
        lead_organization=lead,
        working_group=group,
    )
    done_2024 = ActionFactory(
        priority=priority, year=2024, title="Landlord workshop", status=Action.Status.DONE
    )
    open_2024 = ActionFactory(
        priority=priority,
        year=2024,
        title="Rent bank pilot",
        status=Action.Status.IN_PROGRESS,
        lead_organization=lead,
    )
    employment = IndicatorFactory(
        priority=priority,
        definition=employment_rate,
        baseline_value=Decimal("40"),
        baseline_year=2022,
        target_value=Decimal("60"),
        target_year=2026,
        data_source="",
    )
    MeasurementFactory(indicator=employment, year=2023, value=Decimal("45"))
    MeasurementFactory(indicator=employment, year=2024, value=Decimal("50.5"))
    waiting = IndicatorFactory(
        priority=priority,
        name="Households on the waiting list",
        unit="households",
        polarity=Polarity.LOWER,
        baseline_value=Decimal("200"),
        baseline_year=2022,
        target_value=Decimal("100"),
        target_year=2026,
        data_source="Riverton Housing Authority",
    )
    MeasurementFactory(indicator=waiting, year=2023, value=Decimal("180"))
    MeasurementFactory(indicator=waiting, year=2024, value=Decimal("190"))
    no_data = IndicatorFactory(
        priority=empty_priority,
        name="Visits to the welcome centre",
        unit="visits",
        baseline_value=None,
        baseline_year=None,
        target_value=None,
        target_year=None,
    )

    def peer(name: str, slug: str, value: str, year: int, tagged: bool = True):
        partnership = PartnershipFactory(name=name, slug=slug)
        peer_plan = CommunityPlanFactory(partnership=partnership, start_year=2022, end_year=2026)
        peer_priority = PriorityFactory(plan=peer_plan, title="Housing first")
        if tagged:
            peer_priority.characteristics.add(housing)
        indicator = IndicatorFactory(
            priority=peer_priority,
            definition=employment_rate,
            baseline_value=Decimal("30"),
            baseline_year=2022,
            target_value=Decimal("70"),
            target_year=2026,
        )
        MeasurementFactory(indicator=indicator, year=year - 1, value=Decimal("1"))
        MeasurementFactory(indicator=indicator, year=year, value=Decimal(value))
        return partnership

    lakeside = peer("Lakeside Local Immigration Partnership", "lakeside", "55", 2024)
    hilltop = peer("Hilltop Local Immigration Partnership", "hilltop", "30", 2025)
    untagged = peer("Quiet Valley Partnership", "quiet-valley", "48", 2024, tagged=False)
    # A draft plan never counts as a peer.
    drafty = PartnershipFactory(name="Drafty Partnership", slug="drafty")
    draft_priority = PriorityFactory(
        plan=CommunityPlanFactory(partnership=drafty, status=CommunityPlan.Status.DRAFT)
    )
    draft_priority.characteristics.add(housing)
    return SimpleNamespace(**locals())

"""Plan integrity held by the database and by model validation (issue 11)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plans.models import (
    Action,
    Characteristic,
    CommunityPlan,
    Indicator,
    IndicatorDefinition,
    Polarity,
)
from tests.factories import (
    ActionFactory,
    CommunityPlanFactory,
    IndicatorDefinitionFactory,
    IndicatorFactory,
    MeasurementFactory,
    PartnershipFactory,
    PriorityFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db


# -- one active plan per partnership ----------------------------------------------------------


def test_a_second_active_plan_is_refused_by_the_database():
    plan = CommunityPlanFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CommunityPlanFactory(partnership=plan.partnership, start_year=2030, end_year=2033)


def test_a_second_active_plan_is_a_validation_error():
    plan = CommunityPlanFactory()
    second = CommunityPlan(
        partnership=plan.partnership,
        title="Next plan",
        start_year=2030,
        end_year=2033,
        status=CommunityPlan.Status.ACTIVE,
    )
    with pytest.raises(ValidationError, match="already has an active plan"):
        second.full_clean()


def test_completed_and_draft_plans_sit_beside_the_active_one():
    plan = CommunityPlanFactory()
    CommunityPlanFactory(
        partnership=plan.partnership,
        start_year=2020,
        end_year=2024,
        status=CommunityPlan.Status.COMPLETED,
    )
    CommunityPlanFactory(
        partnership=plan.partnership,
        start_year=2030,
        end_year=2033,
        status=CommunityPlan.Status.DRAFT,
    )
    assert plan.partnership.plans.count() == 3


def test_two_partnerships_each_have_an_active_plan():
    CommunityPlanFactory()
    CommunityPlanFactory()
    assert CommunityPlan.objects.current().count() == 2


# -- actions belong to a priority of their plan ---------------------------------------------


def test_an_action_without_a_priority_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(year=2025, title="Orphan")


def test_an_action_has_no_plan_of_its_own_to_disagree_with():
    assert "plan" not in {f.name for f in Action._meta.get_fields()}


def test_an_actions_plan_is_its_prioritys():
    priority = PriorityFactory()
    action = ActionFactory(priority=priority)
    assert action.plan == priority.plan


def test_an_action_year_outside_the_plan_is_a_validation_error():
    action = ActionFactory.build(priority=PriorityFactory(), year=2040)
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "year" in error.value.message_dict


def test_an_action_with_another_partnerships_working_group_is_a_validation_error():
    action = ActionFactory.build(priority=PriorityFactory(), working_group=WorkingGroupFactory())
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "working_group" in error.value.message_dict


def test_deleting_a_priority_deletes_its_actions():
    action = ActionFactory()
    action.priority.delete()
    assert not Action.objects.filter(pk=action.pk).exists()


# -- indicator targets --------------------------------------------------------------------------


def test_a_target_year_before_the_baseline_year_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(baseline_year=2026, target_year=2024)


def test_a_target_year_before_the_baseline_year_is_a_validation_error():
    indicator = IndicatorFactory.build(
        priority=PriorityFactory(), baseline_year=2026, target_year=2024
    )
    with pytest.raises(ValidationError, match="target year cannot be before"):
        indicator.full_clean()


@pytest.mark.parametrize(
    ("polarity", "baseline", "target"),
    [(Polarity.HIGHER, "30", "10"), (Polarity.LOWER, "10", "30")],
)
def test_a_target_on_the_worse_side_of_the_baseline_is_refused(polarity, baseline, target):
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(
            polarity=polarity, baseline_value=Decimal(baseline), target_value=Decimal(target)
        )


def test_a_polarity_inconsistent_target_is_a_validation_error():
    indicator = IndicatorFactory.build(
        priority=PriorityFactory(),
        polarity=Polarity.LOWER,
        baseline_value=Decimal("10"),
        target_value=Decimal("30"),
    )
    with pytest.raises(ValidationError, match="target must be better than the baseline"):
        indicator.full_clean()


def test_a_lower_is_better_target_below_the_baseline_is_accepted():
    indicator = IndicatorFactory(
        polarity=Polarity.LOWER, baseline_value=Decimal("35"), target_value=Decimal("20")
    )
    indicator.full_clean()


def test_an_indicator_without_a_target_needs_no_direction():
    IndicatorFactory(target_value=None, target_year=None).full_clean()


# -- measurement years ----------------------------------------------------------------------------


def test_a_measurement_after_the_plan_is_a_validation_error():
    measurement = MeasurementFactory.build(indicator=IndicatorFactory(), year=2031)
    with pytest.raises(ValidationError) as error:
        measurement.full_clean()
    assert "year" in error.value.message_dict


def test_a_measurement_of_the_baseline_year_before_the_plan_is_accepted():
    indicator = IndicatorFactory(baseline_year=2023)  # plan 2025–2029
    MeasurementFactory.build(indicator=indicator, year=2023).full_clean()


def test_a_measurement_before_the_baseline_year_is_a_validation_error():
    indicator = IndicatorFactory(baseline_year=2023)
    with pytest.raises(ValidationError):
        MeasurementFactory.build(indicator=indicator, year=2022).full_clean()


# -- the catalogue copy rule ------------------------------------------------------------------


def test_an_indicator_takes_name_unit_and_polarity_from_its_catalogue_entry():
    entry = IndicatorDefinitionFactory(
        name="Core housing need", name_fr="Besoin impérieux", unit="%", polarity=Polarity.LOWER
    )
    indicator = IndicatorFactory(
        definition=entry,
        name="My own words",
        unit="households",
        polarity=Polarity.HIGHER,
        baseline_value=Decimal("30"),
        target_value=Decimal("20"),
    )
    indicator.refresh_from_db()
    assert (indicator.name, indicator.name_fr, indicator.unit, indicator.polarity) == (
        "Core housing need",
        "Besoin impérieux",
        "%",
        Polarity.LOWER,
    )


def test_the_copy_rule_applies_in_validation_before_the_constraints():
    entry = IndicatorDefinitionFactory(polarity=Polarity.LOWER)
    indicator = Indicator(
        priority=PriorityFactory(),
        definition=entry,
        baseline_value=Decimal("10"),
        target_value=Decimal("30"),
    )
    with pytest.raises(ValidationError, match="target must be better"):
        indicator.full_clean()
    assert indicator.name == entry.name


def test_an_indicator_needs_a_name_or_a_catalogue_entry():
    indicator = Indicator(priority=PriorityFactory(), name="")
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert "name" in error.value.message_dict


def test_renaming_a_catalogue_entry_renames_its_indicators():
    entry = IndicatorDefinitionFactory()
    indicator = IndicatorFactory(definition=entry)
    entry.name, entry.unit_fr = "Renamed", "pourcentage"
    entry.save()
    indicator.refresh_from_db()
    assert (indicator.name, indicator.unit_fr) == ("Renamed", "pourcentage")


def test_a_used_catalogue_entry_cannot_change_direction():
    entry = IndicatorDefinitionFactory()
    IndicatorFactory(definition=entry)
    entry.polarity = Polarity.LOWER
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert "polarity" in error.value.message_dict


def test_a_used_catalogue_entry_cannot_be_deleted():
    entry = IndicatorDefinitionFactory()
    IndicatorFactory(definition=entry)
    with pytest.raises(Exception, match="protected"), transaction.atomic():
        entry.delete()


# -- seeded reference tables ------------------------------------------------------------------


def test_the_seventeen_welcoming_community_characteristics_are_seeded_in_both_languages():
    rows = list(Characteristic.objects.all())
    assert len(rows) == 17
    assert all(r.name_fr and r.description and r.description_fr for r in rows)


def test_the_catalogue_is_seeded_with_sources_in_both_languages():
    entries = list(IndicatorDefinition.objects.all())
    assert 20 <= len(entries) <= 30
    assert all(e.name_fr and e.unit_fr and e.definition_fr and e.source for e in entries)


def test_priorities_are_tagged_with_characteristics():
    priority = PriorityFactory()
    housing = Characteristic.objects.get(slug="affordable-housing")
    priority.characteristics.add(housing)
    assert list(housing.priorities.all()) == [priority]


def test_partnership_factory_still_builds_a_plan_tree():
    plan = CommunityPlanFactory(partnership=PartnershipFactory())
    ActionFactory(plan=plan)
    assert Action.objects.filter(priority__plan=plan).count() == 1


def test_every_seeded_catalogue_entry_and_characteristic_passes_validation():
    for row in [*IndicatorDefinition.objects.all(), *Characteristic.objects.all()]:
        row.full_clean()

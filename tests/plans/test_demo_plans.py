"""The demo generator's community plans follow the plan rules (issue 11)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Q

from plans.models import Action, CommunityPlan, Indicator, Measurement, Priority
from plans.services import measurement_years
from tests.demo.conftest import _demo, demo  # noqa: F401 - the shared demo data set


def test_each_partnership_has_at_most_one_active_sample_plan(demo):  # noqa: F811
    active = Counter(
        CommunityPlan.objects.current()
        .filter(is_sample=True)
        .values_list("partnership_id", flat=True)
    )
    assert active and max(active.values()) == 1


def test_every_generated_plan_row_passes_model_validation(demo):  # noqa: F811
    rows = [
        *Action.objects.filter(is_sample=True).select_related("priority__plan", "working_group"),
        *Indicator.objects.filter(is_sample=True).select_related("priority__plan", "definition"),
    ]
    for row in rows:
        row.full_clean()


def test_measurement_years_stay_within_the_plan_or_its_baseline(demo):  # noqa: F811
    measurements = Measurement.objects.filter(is_sample=True).select_related(
        "indicator__priority__plan"
    )
    assert measurements
    for m in measurements:
        first, last = measurement_years(m.indicator)
        assert first <= m.year <= last


def test_most_sample_indicators_come_from_the_catalogue(demo):  # noqa: F811
    indicators = Indicator.objects.filter(is_sample=True)
    from_catalogue = indicators.filter(definition__isnull=False)
    assert from_catalogue.count() > indicators.count() / 2
    assert indicators.filter(definition__isnull=True).exists(), "some custom ones too"
    for indicator in from_catalogue.select_related("definition")[:50]:
        assert (indicator.name, indicator.unit, indicator.polarity) == (
            indicator.definition.name,
            indicator.definition.unit,
            indicator.definition.polarity,
        )


def test_sample_priorities_are_tagged_with_characteristics(demo):  # noqa: F811
    priorities = Priority.objects.filter(is_sample=True)
    assert priorities.filter(characteristics__isnull=False).distinct().count() == (
        priorities.count()
    )


def test_generated_plans_have_their_french_fields(demo):  # noqa: F811
    empty = Q(title_fr="")
    assert not CommunityPlan.objects.filter(is_sample=True).filter(empty | Q(vision_fr="")).exists()
    assert not Priority.objects.filter(is_sample=True).filter(empty).exists()
    assert not Action.objects.filter(is_sample=True).filter(empty).exists()
    assert (
        not Indicator.objects.filter(is_sample=True).filter(Q(name_fr="") | Q(unit_fr="")).exists()
    )

"""Reloading or removing demo data never deletes or changes a row that is not sample data."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from demo import removal as removal_module
from demo.generator import load_demo_data
from demo.removal import remove_sample_data, sample_models
from partnerships.models import Council, CouncilMembership, Organization, Partnership, WorkingGroup
from plans.models import Action, CommunityPlan, Indicator, Measurement, Priority
from tests.demo.helpers import TODAY, real_rows, sample_rows
from tests.factories import (
    ActionFactory,
    CommunityPlanFactory,
    CouncilMembershipFactory,
    IndicatorFactory,
    MeasurementFactory,
    PriorityFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db

CALGARY = "calgary-local-immigration-partnership"
EDMONTON = "edmonton-local-immigration-partnership"


def sample_council(slug: str = CALGARY) -> Council:
    return Council.objects.get(partnership__slug=slug, is_sample=True)


def sample_council_count() -> int:
    """Sample councils a load makes: one per partnership without a real council."""
    with_real = Council.objects.filter(is_sample=False).values("partnership").distinct()
    return Partnership.objects.exclude(pk__in=with_real).count()


def sample_organization(council: Council) -> Organization:
    return council.memberships.exclude(organization=None).first().organization


def test_every_flagged_model_is_removed_before_the_models_it_points_at():
    ordered = sample_models()
    assert set(ordered) == {
        Organization,
        Council,
        CouncilMembership,
        WorkingGroup,
        CommunityPlan,
        Priority,
        Action,
        Indicator,
        Measurement,
    }
    for model in ordered:
        for field in model._meta.concrete_fields:
            target = field.related_model
            if field.is_relation and target in ordered and target is not model:
                assert ordered.index(model) < ordered.index(target), field


def test_a_real_member_under_a_sample_council_survives_with_its_council_and_history(demo):
    council = sample_council()
    organization = sample_organization(council)
    expected = sample_council_count()
    member = CouncilMembershipFactory(council=council, organization=organization)
    history = list(member.history.values())
    assert len(history) == 1

    report = load_demo_data(today=TODAY)

    member.refresh_from_db()
    assert member.council_id == council.pk
    assert member.organization_id == organization.pk
    assert Council.objects.filter(pk=council.pk, is_sample=True).exists()
    assert Organization.objects.filter(pk=organization.pk).exists()
    # The council's sample members went; no second council was generated beside it.
    assert list(council.memberships.all()) == [member]
    assert list(Council.objects.filter(partnership__slug=CALGARY)) == [council]
    assert f"{CALGARY}: kept its sample council: real rows depend on it" in report.skipped
    assert "1 council" in report.kept
    assert list(member.history.values()) == history
    # Other partnerships are regenerated as usual.
    assert Council.objects.filter(is_sample=True).count() == expected


def test_a_real_action_keeps_its_sample_working_group(demo):
    calgary = Partnership.objects.get(slug=CALGARY)
    group = WorkingGroup.objects.filter(partnership=calgary, is_sample=True).first()
    members = set(group.organizations.values_list("pk", flat=True))
    lead = group.lead_organization_id
    plan = CommunityPlanFactory(partnership=calgary, status=CommunityPlan.Status.DRAFT)
    action = ActionFactory(plan=plan, working_group=group)

    report = load_demo_data(today=TODAY)

    action.refresh_from_db()
    assert action.working_group_id == group.pk
    group.refresh_from_db()
    assert group.lead_organization_id == lead
    assert set(group.organizations.values_list("pk", flat=True)) == members
    assert list(WorkingGroup.objects.filter(partnership=calgary)) == [group]
    assert f"{CALGARY}: kept sample working groups: real rows depend on them" in report.skipped
    assert f"{CALGARY}: has a real plan" in report.skipped
    assert list(calgary.plans.all()) == [plan]


def test_a_sample_organization_used_by_any_real_row_stays(demo):
    host = sample_organization(sample_council(CALGARY))
    lead = sample_organization(sample_council(EDMONTON))
    calgary = Partnership.objects.get(slug=CALGARY)
    calgary.host_organizations.add(host)
    WorkingGroupFactory(partnership=calgary, lead_organization=lead)

    load_demo_data(today=TODAY)

    assert host in calgary.host_organizations.all()
    assert Organization.objects.filter(pk=lead.pk, is_sample=True).exists()
    assert WorkingGroup.objects.get(partnership=calgary, lead_organization=lead)


def test_every_real_row_of_every_table_is_identical_after_a_reload(demo):
    calgary = Partnership.objects.get(slug=CALGARY)
    council = sample_council()
    organization = sample_organization(council)
    plan = CommunityPlan.objects.get(partnership=calgary, is_sample=True)
    priority = plan.priorities.first()
    indicator = priority.indicators.first()
    group = WorkingGroup.objects.filter(partnership=calgary, is_sample=True).first()
    # Real rows hanging off sample rows, through every kind of relation.
    CouncilMembershipFactory(council=council, organization=organization)
    ActionFactory(plan=plan, priority=priority, working_group=group, lead_organization=organization)
    IndicatorFactory(priority=priority)
    MeasurementFactory(indicator=indicator, year=1999)
    PriorityFactory(plan=plan)
    real_group = WorkingGroupFactory(partnership=Partnership.objects.get(slug=EDMONTON))
    real_group.organizations.add(organization)
    calgary.host_organizations.add(organization)
    before = real_rows()
    expected = sample_council_count()

    load_demo_data(today=TODAY)
    load_demo_data(today=TODAY)

    assert real_rows() == before
    assert Council.objects.filter(is_sample=True).count() == expected


def test_reloading_gives_the_same_sample_rows(demo):
    """The fixture's load is the first; a reload removes every sample row and writes them again."""
    first = {model: sample_rows(model) for model in sample_models()}
    load_demo_data(today=TODAY)
    second = {model: sample_rows(model) for model in sample_models()}
    assert first == second
    assert all(first.values())


def test_loading_and_removing_sample_data_writes_no_history(demo):
    load_demo_data(today=TODAY)
    remove_sample_data()
    for model in sample_models():
        assert not model.history.filter(is_sample=True).exists(), model.__name__
        assert not model.objects.filter(is_sample=True).exists(), model.__name__


def test_removal_leaves_real_rows_and_reports_what_it_kept(demo):
    council = sample_council()
    CouncilMembershipFactory(council=council, organization=sample_organization(council))
    before = real_rows()
    councils = sample_council_count()

    removal = remove_sample_data()

    assert real_rows() == before
    assert removal.kept_summary() == "1 council, 1 organization"
    assert f"{councils - 1} councils" in removal.deleted_summary()
    assert list(Council.objects.filter(is_sample=True)) == [council]


def test_a_relation_the_check_missed_rolls_everything_back(demo, monkeypatch):
    """The database's foreign keys are the last line: no cascade can hide a missed relation."""
    council = sample_council()
    member = CouncilMembershipFactory(council=council, organization=None)
    counts = {model: model.objects.count() for model in sample_models()}
    monkeypatch.setattr(removal_module, "_pointers", lambda target: iter(()))

    with pytest.raises(IntegrityError):
        load_demo_data(today=TODAY)

    assert {model: model.objects.count() for model in sample_models()} == counts
    member.refresh_from_db()
    assert member.council_id == council.pk


def test_remove_command_deletes_only_sample_rows(demo, capsys):
    council = sample_council()
    members = CouncilMembership.objects.filter(is_sample=True).count()
    councils = sample_council_count()
    real_members = CouncilMembership.objects.filter(is_sample=False).count()
    CouncilMembershipFactory(council=council, organization=None)
    call_command("load_demo_data", "--i-understand-this-is-sample-data", "--remove")
    out = capsys.readouterr().out
    assert f"Sample data removed: {members} council memberships, " in out
    assert f" {councils - 1} councils, " in out
    assert "Kept sample rows that real rows depend on: 1 council." in out
    assert CouncilMembership.objects.count() == real_members + 1
    assert not CouncilMembership.objects.filter(is_sample=True).exists()

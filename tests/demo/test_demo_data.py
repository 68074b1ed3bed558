"""The demo data set: generated, deterministic, flagged as sample, never mixed with real rows."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from demo.generator import load_demo_data
from partnerships.models import (
    Council,
    CouncilMembership,
    Organization,
    Partnership,
    WorkingGroup,
)
from partnerships.realdata import read_fixture
from plans.models import Action, CommunityPlan, Indicator, Measurement, Priority
from tests.demo.helpers import TODAY, real_rows
from tests.factories import CouncilFactory, CouncilMembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

SAMPLE_MODELS = [
    Organization,
    Council,
    CouncilMembership,
    WorkingGroup,
    CommunityPlan,
    Priority,
    Action,
    Indicator,
    Measurement,
]


def counts():
    models = [
        Organization,
        Council,
        CouncilMembership,
        WorkingGroup,
        WorkingGroup.organizations.through,
        CommunityPlan,
        Priority,
        Action,
        Indicator,
        Measurement,
    ]
    return {model.__name__: model.objects.count() for model in models}


def real_council_slugs() -> set[str]:
    """Partnerships whose fixture record lists its council's member organizations."""
    return {r["slug"] for r in read_fixture() if r.get("council")}


def sample_councils():
    return Council.objects.filter(is_sample=True)


def sample_members():
    return CouncilMembership.objects.filter(is_sample=True)


def test_every_partnership_gets_a_main_council_working_groups_and_an_active_plan(demo):
    for partnership in Partnership.objects.all():
        assert partnership.councils.count() == 1
        if partnership.slug not in real_council_slugs():
            assert partnership.councils.filter(kind=Council.Kind.MAIN, is_sample=True).exists()
        assert 2 <= partnership.working_groups.count() <= 5
        plans = partnership.plans.filter(status=CommunityPlan.Status.ACTIVE)
        assert plans.count() == 1
        plan = plans.get()
        assert 3 <= plan.end_year - plan.start_year <= 4
        assert plan.start_year <= TODAY.year <= plan.end_year
        assert 3 <= plan.priorities.count() <= 5


def test_every_generated_row_is_marked_sample(demo):
    real = real_rows()
    load_demo_data(today=TODAY)
    assert real_rows() == real
    for model in SAMPLE_MODELS:
        assert model.objects.filter(is_sample=True).exists(), model.__name__


def test_the_only_real_councils_are_the_published_member_lists(demo):
    real = Council.objects.filter(is_sample=False)
    assert {c.partnership.slug for c in real} == real_council_slugs()
    assert all(c.source.startswith("http") for c in real)
    people = CouncilMembership.objects.filter(is_sample=False).exclude(person_name="")
    assert not people.exists()


def test_a_partnership_with_a_real_council_gets_no_sample_council(demo):
    slugs = real_council_slugs()
    assert slugs
    assert not sample_councils().filter(partnership__slug__in=slugs).exists()
    assert sample_councils().count() == Partnership.objects.count() - len(slugs)


def test_contacts_use_example_domains_and_fictional_phone_numbers(demo):
    for email, phone in sample_members().values_list("email", "phone"):
        assert email.endswith(("@example.org", "@example.com"))
        assert phone[4:].startswith("555-01")


def test_council_sizes_follow_community_size(demo):
    seats = list(sample_councils().values_list("seats", flat=True))
    assert min(seats) >= 10
    assert max(seats) <= 35
    pei = Council.objects.get(partnership__slug="pei-immigration-partnership")
    assert pei.seats == 35


def test_some_councils_have_newcomer_seats_and_some_do_not(demo):
    with_newcomers = (
        sample_councils()
        .filter(memberships__sector__slug="newcomers", memberships__organization__isnull=True)
        .distinct()
    )
    assert 0 < with_newcomers.count() < sample_councils().count()


def test_some_councils_have_indigenous_representatives_and_some_do_not(demo):
    with_indigenous = sample_councils().filter(memberships__sector__slug="indigenous").distinct()
    assert 0 < with_indigenous.count() < sample_councils().count()


def test_some_members_consent_to_publish_but_most_do_not(demo):
    share = sample_members().filter(publish_consent=True).count() / sample_members().count()
    assert 0.15 <= share <= 0.35
    assert not sample_members().filter(publish_consent=True, consent_date__isnull=True).exists()


def test_rosters_have_vacancies_expiring_terms_past_terms_and_leavers(demo):
    memberships = sample_members()
    assert memberships.expiring_within(90, today=TODAY).exists()
    assert memberships.past_term(today=TODAY).exists()
    assert memberships.filter(left_on__isnull=False).exists()
    vacant = [
        c for c in sample_councils() if c.seats > c.memberships.filter(left_on__isnull=True).count()
    ]
    assert vacant


def test_every_council_has_a_chair_or_two_co_chairs(demo):
    for council in sample_councils():
        current = council.memberships.filter(left_on__isnull=True)
        chairs = current.filter(role="chair").count()
        co_chairs = current.filter(role="co_chair").count()
        assert (chairs, co_chairs) in {(1, 0), (0, 2)}, council.partnership.slug


def test_rif_councils_and_organizations_are_in_french(demo):
    council = Council.objects.get(partnership__acronym="RIFA")
    assert council.name == "Table de concertation"
    names = council.memberships.exclude(organization=None).values_list(
        "organization__name", flat=True
    )
    assert any(name.startswith("Réseau santé communautaire") for name in names)


def test_shared_organizations_are_not_duplicated(demo):
    federal = Organization.objects.get(name="Federal Office of Settlement Liaison")
    assert federal.council_memberships.values("council").distinct().count() > 10


def test_reloading_demo_data_does_not_duplicate_anything(demo):
    before = counts()
    load_demo_data(today=TODAY)
    assert counts() == before


def test_demo_load_leaves_real_rows_untouched(demo):
    partnership = Partnership.objects.get(slug="calgary-local-immigration-partnership")
    real_org = OrganizationFactory(name="Real Settlement Agency")
    real_council = CouncilFactory(partnership=partnership, name="Real Council")
    real_member = CouncilMembershipFactory(council=real_council, organization=real_org)

    load_demo_data(today=TODAY)

    assert Organization.objects.filter(pk=real_org.pk, is_sample=False).exists()
    real_member.refresh_from_db()
    assert real_member.council_id == real_council.pk
    assert real_member.organization_id == real_org.pk
    assert list(partnership.councils.all()) == [real_council]
    assert Partnership.objects.count() == 101


def test_command_refuses_without_debug_or_flag(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="sample"):
        call_command("load_demo_data")
    assert not Council.objects.exists()


def test_command_runs_with_the_flag_when_debug_is_off(settings, capsys):
    settings.DEBUG = False
    call_command("load_demo_data", "--i-understand-this-is-sample-data")
    assert Partnership.objects.count() == 101
    assert Council.objects.filter(is_sample=True).count() == 101 - len(real_council_slugs())
    assert "SAMPLE DATA" in capsys.readouterr().out

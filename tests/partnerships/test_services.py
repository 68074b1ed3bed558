"""Representation and freshness rules."""

from __future__ import annotations

import datetime

import pytest

from partnerships.models import Council, Partnership, Sector
from partnerships.services import (
    council_representation,
    is_stale,
    organization_editable_by,
    partnership_statuses,
    representation_for_councils,
)
from tests.factories import (
    CouncilFactory,
    CouncilMembershipFactory,
    OrganizationFactory,
    PartnershipFactory,
    WorkingGroupFactory,
)
from tests.partnerships.factories_admin import coordinator_of

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def member(council, sector_slug, **kwargs):
    sector = Sector.objects.get(slug=sector_slug)
    return CouncilMembershipFactory(
        council=council, organization=OrganizationFactory(sector=sector), sector=sector, **kwargs
    )


def test_missing_recommended_sectors_and_seats():
    council = CouncilFactory(seats=5)
    member(council, "settlement")
    member(council, "health")
    member(council, "police", left_on=datetime.date(2026, 1, 1))  # left: does not count
    member(council, "housing")  # not a recommended sector
    rep = council_representation(council, today=TODAY)
    missing = {s.slug for s in rep.missing_sectors}
    assert "settlement" not in missing and "health" not in missing
    assert "police" in missing
    assert "housing" not in missing
    assert missing == set(
        Sector.objects.filter(recommended=True).values_list("slug", flat=True)
    ) - {"settlement", "health"}
    assert rep.current_count == 3
    assert rep.vacant_seats == 2


def test_newcomers_and_indigenous_presence():
    council = CouncilFactory()
    rep = council_representation(council, today=TODAY)
    assert not rep.has_newcomers and not rep.has_indigenous
    member(council, Sector.NEWCOMERS)
    member(council, Sector.INDIGENOUS)
    rep = council_representation(council, today=TODAY)
    assert rep.has_newcomers and rep.has_indigenous


def test_unfixed_seats_and_overfull_council():
    assert council_representation(CouncilFactory(seats=None), today=TODAY).vacant_seats is None
    council = CouncilFactory(seats=1)
    member(council, "settlement")
    member(council, "health")
    assert council_representation(council, today=TODAY).vacant_seats == 0


def test_terms_ending_within_90_days_and_past_term():
    council = CouncilFactory()
    soon = member(council, "health", term_end=TODAY + datetime.timedelta(days=90))
    later = member(council, "police", term_end=TODAY + datetime.timedelta(days=91))
    past = member(council, "libraries", term_end=TODAY - datetime.timedelta(days=1))
    member(council, "federal", term_end=TODAY, left_on=TODAY)
    rep = council_representation(council, today=TODAY)
    assert rep.expiring == [soon]
    assert later not in rep.expiring
    assert rep.past_term == [past]


def test_representation_runs_constant_queries(django_assert_num_queries):
    partnership = PartnershipFactory()
    for _ in range(6):
        council = CouncilFactory(partnership=partnership)
        member(council, "health")
        member(council, "newcomers")
    with django_assert_num_queries(3):  # sectors, councils, memberships
        reps = representation_for_councils(Council.objects.all(), today=TODAY)
    assert len(reps) == 6 and all(r.has_newcomers for r in reps)


def test_partnership_statuses_constant_queries(django_assert_num_queries):
    for _ in range(4):
        council = CouncilFactory()
        member(council, "health")
    with django_assert_num_queries(4):  # sectors, partnerships, councils, memberships
        statuses = partnership_statuses(Partnership.objects.all(), today=TODAY)
    assert len(statuses) == 4 and all(s.is_stale for s in statuses)


def test_freshness():
    partnership = PartnershipFactory()
    assert is_stale(partnership, TODAY)
    partnership.confirm_current(TODAY - datetime.timedelta(days=30))
    assert not is_stale(partnership, TODAY)
    partnership.confirm_current(TODAY - datetime.timedelta(days=400))
    assert is_stale(partnership, TODAY)


def test_organization_editable_only_when_unshared():
    mine, theirs = PartnershipFactory(), PartnershipFactory()
    user = coordinator_of(mine)
    unused = OrganizationFactory()
    own = CouncilMembershipFactory(council=CouncilFactory(partnership=mine)).organization
    shared = CouncilMembershipFactory(council=CouncilFactory(partnership=mine)).organization
    CouncilMembershipFactory(council=CouncilFactory(partnership=theirs), organization=shared)
    led = OrganizationFactory()
    WorkingGroupFactory(partnership=theirs, lead_organization=led)
    assert organization_editable_by(unused, user)
    assert organization_editable_by(own, user)
    assert not organization_editable_by(shared, user)
    assert not organization_editable_by(led, user)

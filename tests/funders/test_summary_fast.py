"""The summary's figures are counted in SQL: they must equal what the roster rule
(:func:`partnerships.services.council_representation`) and :func:`summarize` say on rows."""

from __future__ import annotations

import datetime

import pytest

from funders.summary import count_indicators, iter_summaries, summarize
from partnerships.models import Council, Partnership, Sector
from partnerships.services import council_representation, councils_with_roster
from tests.factories import (
    CouncilFactory,
    CouncilMembershipFactory,
    OrganizationFactory,
    PartnershipFactory,
)
from tests.funders.world import TODAY, build_world
from tests.partnerships.factories_admin import build_tree, coordinator_of, funder


def sector(slug: str) -> Sector:
    return Sector.objects.get(slug=slug)


def build_councils() -> list[Partnership]:
    """Partnerships whose main councils hold every kind of seat the rule tells apart."""
    made = []
    # Past members, a future term, seats without sector and without organization.
    p = PartnershipFactory(name="Delta LIP", slug="delta-lip")
    main = CouncilFactory(partnership=p, kind=Council.Kind.MAIN, seats=6)
    shared = OrganizationFactory(sector=sector("settlement"))
    CouncilMembershipFactory(council=main, organization=shared)
    CouncilMembershipFactory(council=main, organization=shared, sector=sector("employers"))
    CouncilMembershipFactory(council=main, organization=None, sector=sector("newcomers"))
    CouncilMembershipFactory(council=main, organization=OrganizationFactory(sector=None))
    CouncilMembershipFactory(
        council=main,
        organization=OrganizationFactory(sector=sector("health")),
        term_start=TODAY + datetime.timedelta(days=60),
        term_end=TODAY + datetime.timedelta(days=800),
    )
    CouncilMembershipFactory(
        council=main,
        organization=OrganizationFactory(sector=sector("police")),
        left_on=TODAY - datetime.timedelta(days=10),
    )
    CouncilMembershipFactory(
        council=main,
        organization=None,
        sector=sector("indigenous"),
        left_on=TODAY - datetime.timedelta(days=300),
    )
    made.append(p)
    # Two main councils, one over its seats (vacancies never negative); a steering
    # committee that does not count.
    p = PartnershipFactory(name="Epsilon ZIP", slug="epsilon-zip")
    first = CouncilFactory(partnership=p, kind=Council.Kind.MAIN, seats=1)
    second = CouncilFactory(partnership=p, kind=Council.Kind.MAIN, seats=4)
    CouncilMembershipFactory(council=first, organization=shared)
    CouncilMembershipFactory(council=first, organization=OrganizationFactory(sector=None))
    CouncilMembershipFactory(council=second, organization=shared)
    CouncilMembershipFactory(council=second, organization=None, sector=sector("indigenous"))
    steering = CouncilFactory(partnership=p, kind=Council.Kind.STEERING)
    CouncilMembershipFactory(council=steering, organization=OrganizationFactory())
    made.append(p)
    # A main council whose every member has left, and one without a fixed number of seats.
    p = PartnershipFactory(name="Zeta RIF", slug="zeta-rif", kind=Partnership.Kind.RIF)
    empty = CouncilFactory(partnership=p, kind=Council.Kind.MAIN, seats=3)
    CouncilMembershipFactory(council=empty, left_on=TODAY - datetime.timedelta(days=1))
    open_ended = CouncilFactory(partnership=p, kind=Council.Kind.MAIN, seats=None)
    CouncilMembershipFactory(council=open_ended, organization=shared)
    made.append(p)
    return made


@pytest.fixture
def councils(db) -> list[Partnership]:
    return build_councils()


def by_rule(p: Partnership) -> dict:
    """The figures, from model rows and the roster rule (what the summary once computed)."""
    mains = councils_with_roster(p.councils.filter(kind=Council.Kind.MAIN))
    reps = [council_representation(c, today=TODAY) for c in mains]
    members = [m for rep in reps for m in rep.members]
    present = {m.sector_id for m in members if m.sector_id}
    seats = vacant = None
    if reps and all(rep.council.seats is not None for rep in reps):
        seats = sum(rep.council.seats for rep in reps)
        vacant = sum(rep.vacant_seats for rep in reps)
    missing = set.intersection(*[{s.pk for s in rep.missing_sectors} for rep in reps])
    return {
        "current_members": sum(rep.current_count for rep in reps),
        "council_seats": seats,
        "vacant_seats": vacant,
        "member_organizations": len({m.organization_id for m in members if m.organization_id}),
        "sectors_represented": sorted(present),
        "missing_sectors": sorted(missing),
        "newcomer_seats": sum(1 for m in members if m.sector_id == sector("newcomers").pk),
        "indigenous_seats": sum(1 for m in members if m.sector_id == sector("indigenous").pk),
    }


def counted(s) -> dict:
    return {
        "current_members": s.current_members,
        "council_seats": s.council_seats,
        "vacant_seats": s.vacant_seats,
        "member_organizations": s.member_organizations,
        "sectors_represented": sorted(x.pk for x in s.sectors_represented),
        "missing_sectors": sorted(x.pk for x in s.missing_sectors),
        "newcomer_seats": s.newcomer_seats,
        "indigenous_seats": s.indigenous_seats,
    }


def test_counted_council_figures_equal_the_roster_rule(councils):
    summaries = {s.partnership.slug: s for s in summarize(Partnership.objects.all(), user=funder())}
    for p in councils:
        assert counted(summaries[p.slug]) == by_rule(p), p.slug


def test_the_hand_checked_figures_of_the_councils(councils):
    s = {x.partnership.slug: x for x in summarize(Partnership.objects.all(), user=funder())}
    delta = s["delta-lip"]
    # Five sitting (the future term included), two who left are not counted.
    assert (delta.current_members, delta.vacant_seats, delta.member_organizations) == (5, 1, 3)
    assert (delta.newcomer_seats, delta.indigenous_seats) == (1, 0)
    assert "police" in {x.slug for x in delta.missing_sectors}
    epsilon = s["epsilon-zip"]
    assert (epsilon.council_seats, epsilon.current_members, epsilon.vacant_seats) == (5, 4, 2)
    assert epsilon.member_organizations == 2  # the shared organization counts once
    zeta = s["zeta-rif"]
    assert zeta.has_main_council and (zeta.council_seats, zeta.vacant_seats) == (None, None)
    assert zeta.current_members == 1


def test_batches_give_the_same_summaries_in_the_same_order(councils):
    build_world()
    order = Partnership.objects.order_by("-name")
    whole = summarize(order, user=funder(), today=TODAY)
    batched = list(iter_summaries(order, user=funder(), today=TODAY, chunk_size=2))
    assert [s.partnership.pk for s in batched] == [s.partnership.pk for s in whole]
    for one, other in zip(whole, batched, strict=True):
        assert {**vars(one), "partnership": None} == {**vars(other), "partnership": None}


def test_batches_read_only_what_the_reader_may_read(councils):
    coordinator = coordinator_of(councils[1])
    slugs = [
        s.partnership.slug for s in iter_summaries(Partnership.objects.all(), user=coordinator)
    ]
    assert slugs == ["epsilon-zip"]


#: Read once: the ids, recommended sectors, every sector, the reader's scope (two); then per
#: batch: partnerships, main councils' seats, organizations, working groups, plans, actions,
#: indicators.
ONCE, PER_BATCH = 5, 7


@pytest.mark.django_db
def test_batched_queries_grow_with_batches_only(django_assert_max_num_queries):
    for size in (4, 8):
        while Partnership.objects.count() < size:
            build_tree()
        user = funder()
        batches = size // 2
        with django_assert_max_num_queries(ONCE + PER_BATCH * batches):
            rows = list(iter_summaries(Partnership.objects.all(), user=user, chunk_size=2))
        assert len(rows) == size


def test_indicators_counted_later_equal_those_counted_at_once(db):
    build_world()
    whole = summarize(Partnership.objects.all(), user=funder(), today=TODAY)
    later = summarize(Partnership.objects.all(), user=funder(), today=TODAY, indicators=False)
    assert not any(s.indicators_counted for s in later)
    count_indicators(later, user=funder(), today=TODAY)
    for one, other in zip(whole, later, strict=True):
        assert {**vars(one), "partnership": None} == {**vars(other), "partnership": None}

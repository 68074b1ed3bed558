"""The list and detail pages run a constant number of SQL queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import FocusArea, Sector
from tests.factories import (
    CommunityFactory,
    CouncilFactory,
    CouncilMembershipFactory,
    OrganizationFactory,
    PartnershipFactory,
    WorkingGroupFactory,
)

# The list (at most 10): data revision, sample-data flag, focus choices with their counts and
# "focus areas known for N of M" (one query, directory.filters.FocusFacets), "plan priority"
# choices (one UNION query, plans.peers), count, page, the page's focus areas; on a near
# search: the geocoded place, the ranked ids (count and page: one query) then the page's
# rows, the page's nearest places, and "covers me" (one query). Both facet queries are kept
# per data revision in the process cache outside transactions (directory.filters), never
# in tests, so the budget here is the uncached one.
# The detail page: revision with the sample flag (one query), partnership, served places,
# sources, focus areas, hosts, councils, memberships, working groups, and the plan with its
# priorities, indicators and measurements (one query, directory.plan_rows).
LIST_MAX = 10
DETAIL_MAX = 10

LIST_URLS = [
    "/partnerships/?per_page=100",
    "/partnerships/?per_page=10&kind=LIP&focus=housing&q=test&language=en",
    "/partnerships/?near=Town&radius=1000&per_page=100",
    "/fr/partnerships/?province=AB&per_page=50",
    "/partnerships/map/?province=AB",
    "/partnerships/?has_plan=no&plan_priority=focus:housing&per_page=100",
]


def make_partnerships(count: int) -> None:
    housing = FocusArea.objects.get(slug="housing")
    employment = FocusArea.objects.get(slug="employment")
    towns = [CommunityFactory(name="Town") for _ in range(3)]
    for index in range(count):
        PartnershipFactory(
            name=f"Test partnership {index}",
            communities=[towns[index % 3], CommunityFactory()],
            focus_areas=[housing, employment],
        )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("url", LIST_URLS)
def test_list_queries_do_not_grow_with_partnerships(client, db, url, django_assert_max_num_queries):
    make_partnerships(10)
    small = count_queries(client, url)
    make_partnerships(190)
    with django_assert_max_num_queries(LIST_MAX):
        response = client.get(url)
    assert response.status_code == 200
    assert count_queries(client, url) == small


@pytest.mark.parametrize("size", [10, 200])
def test_list_at_10_and_200_partnerships(client, db, size, django_assert_max_num_queries):
    make_partnerships(size)
    with django_assert_max_num_queries(LIST_MAX):
        client.get("/partnerships/?per_page=100")


def build_detail(members: int):
    partnership = PartnershipFactory(
        communities=[CommunityFactory() for _ in range(5)],
        focus_areas=list(FocusArea.objects.all()[:5]),
    )
    council = CouncilFactory(partnership=partnership)
    sector = Sector.objects.get(slug="settlement")
    for index in range(members):
        CouncilMembershipFactory(
            council=council,
            organization=OrganizationFactory(sector=sector),
            publish_consent=index % 2 == 0,
        )
    for _ in range(3):
        WorkingGroupFactory(partnership=partnership, lead_organization=OrganizationFactory())
    return partnership


def test_detail_queries_do_not_grow_with_council_size(client, db, django_assert_max_num_queries):
    from tests.factories import IndicatorFactory, MeasurementFactory, PriorityFactory

    small = build_detail(members=3)
    big = build_detail(members=100)
    for partnership in (small, big):
        priority = PriorityFactory(plan__partnership=partnership)
        MeasurementFactory(indicator=IndicatorFactory(priority=priority))
    small_count = count_queries(client, small.get_absolute_url())
    with django_assert_max_num_queries(DETAIL_MAX):
        response = client.get(big.get_absolute_url())
    assert response.content.decode().count("<tr>") >= 100
    assert count_queries(client, big.get_absolute_url()) == small_count

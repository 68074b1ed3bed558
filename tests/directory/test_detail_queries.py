"""The detail page costs the same queries with 10 members or 1,000, sample data or not, and
still hides the contacts of members who did not consent."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import CouncilMembership, FocusArea, Organization, Sector
from tests.directory.test_queries import DETAIL_MAX
from tests.factories import (
    CommunityFactory,
    CouncilFactory,
    IndicatorFactory,
    MeasurementFactory,
    PartnershipFactory,
    PriorityFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db


def partnership_with(members: int, *, sample: bool = False):
    partnership = PartnershipFactory(
        communities=[CommunityFactory() for _ in range(3)],
        focus_areas=list(FocusArea.objects.all()[:3]),
    )
    council = CouncilFactory(partnership=partnership, is_sample=sample)
    sector = Sector.objects.get(slug="settlement")
    organizations = Organization.objects.bulk_create(
        Organization(name=f"Org {partnership.pk}-{n}", province=partnership.province, sector=sector)
        for n in range(members)
    )
    CouncilMembership.objects.bulk_create(
        CouncilMembership(
            council=council,
            organization=organization,
            sector=sector,
            person_name=f"Person {n}",
            email=f"person{n}@example.org",
            publish_consent=n % 2 == 0,
        )
        for n, organization in enumerate(organizations)
    )
    WorkingGroupFactory(partnership=partnership)
    priority = PriorityFactory(plan__partnership=partnership)
    MeasurementFactory(indicator=IndicatorFactory(priority=priority))
    return partnership


def queries(client, partnership) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(partnership.get_absolute_url())
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_detail_queries_are_the_same_for_10_and_1000_members(client):
    small, _ = queries(client, partnership_with(10))
    large, body = queries(client, partnership_with(1000, sample=True))
    assert small == large <= DETAIL_MAX
    assert body.count("<tr>") >= 1000


def test_detail_shows_contacts_only_with_consent(client):
    _, body = queries(client, partnership_with(10))
    assert "person0@example.org" in body and "Person 0" in body
    assert "person1@example.org" not in body and "Person 1<" not in body


def test_the_revision_and_the_sample_flag_are_one_query(client):
    partnership = partnership_with(3, sample=True)
    with CaptureQueriesContext(connection) as captured:
        body = client.get(partnership.get_absolute_url()).content.decode()
    flag = [q["sql"] for q in captured if "is_sample" in q["sql"] and "EXISTS" in q["sql"]]
    assert len(flag) == 1 and "directory_revision" in flag[0]
    assert not [q for q in captured if "UNION ALL" in q["sql"]], "no separate flag query"
    assert 'aria-labelledby="sample-banner-title"' in body, "the notice still shows"

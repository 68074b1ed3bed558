"""Near-me is matched and ranked in SQL: the query does not grow with the number of matches."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from directory.filters import PartnershipFilter
from directory.geocoding import haversine_km
from partnerships.models import Community, Partnership
from tests.factories import CommunityFactory, PartnershipFactory

HOME = (45.42153, -75.69719)  # the searched town


def spread(count: int) -> None:
    """``count`` partnerships, each serving one place 1 to ``count`` tenths of a degree east."""
    CommunityFactory(
        name="Hometown",
        province="ON",
        latitude=Decimal(f"{HOME[0]:.5f}"),
        longitude=Decimal(f"{HOME[1]:.5f}"),
        population=900000,
    )
    for index in range(count):
        place = CommunityFactory(
            name=f"Place {index:03d}",
            province="ON",
            latitude=Decimal(f"{HOME[0]:.5f}"),
            longitude=Decimal(f"{HOME[1] + 0.1 * (count - index):.5f}"),
        )
        PartnershipFactory(slug=f"p{index:03d}", province="ON", communities=[place])


def run(query: str) -> PartnershipFilter:
    return PartnershipFilter(QueryDict(query), queryset=Partnership.objects.all())


def listed_sql(query: str) -> tuple[list[str], str]:
    filterset = run(query)
    with CaptureQueriesContext(connection) as captured:
        slugs = [p.slug for p in filterset.qs]
    return slugs, captured.captured_queries[-1]["sql"]


@pytest.mark.django_db
def test_near_query_has_no_clause_per_match():
    spread(5)
    _, few = listed_sql("near=Hometown&radius=1000")
    Partnership.objects.all().delete()
    Community.objects.all().delete()
    spread(40)
    slugs, many = listed_sql("near=Hometown&radius=1000")
    assert len(slugs) == 40
    assert len(re.findall(r"\bWHEN\b", many, re.I)) == len(re.findall(r"\bWHEN\b", few, re.I))
    assert len(many) == len(few)


@pytest.mark.django_db
def test_near_orders_by_distance_in_sql():
    spread(12)
    slugs, _ = listed_sql("near=Hometown&radius=1000")
    assert slugs == [f"p{index:03d}" for index in reversed(range(12))]


@pytest.mark.django_db
def test_near_radius_keeps_only_places_within_it():
    spread(12)
    # Places are 0.1° of longitude apart: about 7.8 km at this latitude.
    radius = 40
    slugs, _ = listed_sql(f"near=Hometown&radius={radius}")
    kept = {
        f"p{index:03d}"
        for index in range(12)
        if haversine_km(*HOME, HOME[0], HOME[1] + 0.1 * (12 - index)) <= radius
    }
    assert set(slugs) == kept
    assert 0 < len(kept) < 12


@pytest.mark.django_db
def test_distances_of_a_page_are_found_in_one_query():
    spread(20)
    filterset = run("near=Hometown&radius=1000")
    page = list(filterset.qs[:10])
    with CaptureQueriesContext(connection) as captured:
        filterset.load_near_matches(page)
        matches = [filterset.near_match(p) for p in page]
    assert len(captured) == 1
    assert [m.community for m in matches] == [f"Place {i:03d}" for i in range(19, 9, -1)]
    assert matches[0].distance_km == pytest.approx(
        haversine_km(*HOME, HOME[0], HOME[1] + 0.1), abs=0.06
    )


@pytest.mark.django_db
def test_a_row_outside_the_radius_has_no_near_match():
    spread(3)
    filterset = run("near=Hometown&radius=5")
    far = Partnership.objects.get(slug="p000")
    assert list(filterset.qs) == []
    assert filterset.near_match(far) is None

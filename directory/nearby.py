"""Near-me in SQL: which partnerships serve a place within a radius, and how far they are.

Why in SQL: at 10,000 partnerships a 1,000 km search matches thousands of them. Ranking
them in Python meant loading every served place in the box and sending the order back as
one ``CASE WHEN pk = ...`` clause per match (7,000 clauses, seconds per page). Here the
database does it: a bounding box on the latitude/longitude columns prunes first,
the haversine distance is an SQL expression (SQLite's built-in math functions, or the
Python ones Django registers when SQLite lacks them; PostgreSQL's own), the match is a
semi-join and the rank a correlated ``MIN`` per listed partnership. Only the rows of the
page shown get their nearest place's name, in Python (:func:`near_matches`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Expression,
    F,
    FloatField,
    Func,
    Min,
    Q,
    QuerySet,
)
from django.db.models.functions import Cast, Round

from partnerships.models import Community, Partnership, ServedCommunity

from .geocoding import EARTH_RADIUS_KM, Place, bounding_box, haversine_km


@dataclass(frozen=True)
class NearMatch:
    """How a partnership relates to the searched point."""

    distance_km: float | None  # None when it covers the point's whole province
    community: str = ""
    estimated: bool = False  # the community is estimated, not named by the partnership

    @property
    def covers_province(self) -> bool:
        return self.distance_km is None


class DistanceKm(Func):
    """Great-circle distance (km) from ``place`` to a point: one expression node.

    The same haversine formula as :func:`directory.geocoding.haversine_km`, in the same
    order of operations as a tree of ``Sin``/``Power``/``ASin`` nodes would write it, with
    the searched point's terms computed once in Python. One node rather than twenty: the
    near-me page uses the distance in several subqueries, and copying and resolving those
    trees cost more Python time than the SQL (30 ms a page at 101 partnerships).
    """

    output_field = FloatField()

    def __init__(self, latitude: Any, longitude: Any, place: Place) -> None:
        super().__init__(Cast(latitude, FloatField()), Cast(longitude, FloatField()))
        self.place = place

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        latitude, latitude_params = compiler.compile(self.source_expressions[0])
        longitude, longitude_params = compiler.compile(self.source_expressions[1])
        lat0 = math.radians(self.place.latitude)
        lon0 = math.radians(self.place.longitude)
        cos0 = math.cos(lat0)
        sin_lat = f"POWER(SIN(((RADIANS({latitude}) - %s) / %s)), 2)"
        sin_lon = f"POWER(SIN(((RADIANS({longitude}) - %s) / %s)), 2)"
        sql = f"(%s * ASIN(SQRT(({sin_lat} + ((%s * COS(RADIANS({latitude}))) * {sin_lon})))))"
        params = [
            2 * EARTH_RADIUS_KM,
            *latitude_params,
            lat0,
            2.0,
            cos0,
            *latitude_params,
            *longitude_params,
            lon0,
            2.0,
        ]
        return sql, params


def distance_km(place: Place, prefix: str = "community__") -> Expression:
    """Great-circle distance (km) from ``place`` to a community, as an SQL expression."""
    return DistanceKm(F(f"{prefix}latitude"), F(f"{prefix}longitude"), place)


def in_box(place: Place, radius: float, prefix: str = "community__") -> Q:
    """The bounding box of the circle: cheap comparisons that prune before the distance."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(place.latitude, place.longitude, radius)
    return Q(
        **{
            f"{prefix}latitude__gte": Decimal(f"{min_lat:.5f}"),
            f"{prefix}latitude__lte": Decimal(f"{max_lat:.5f}"),
            f"{prefix}longitude__gte": Decimal(f"{min_lon:.5f}"),
            f"{prefix}longitude__lte": Decimal(f"{max_lon:.5f}"),
        }
    )


def served_within(place: Place, radius: float) -> QuerySet:
    """Served-community rows within ``radius`` km of ``place``, each annotated ``km``."""
    return (
        ServedCommunity.objects.filter(in_box(place, radius))
        .annotate(km=distance_km(place))
        .filter(km__lte=radius)
    )


def communities_within(place: Place, radius: float) -> QuerySet:
    """Communities within ``radius`` km of ``place``, with their distance annotated as ``km``."""
    return (
        Community.objects.filter(in_box(place, radius, prefix=""))
        .annotate(km=distance_km(place, prefix=""))
        .filter(km__lte=radius)
    )


def partnerships_within(place: Place, radius: float) -> QuerySet:
    """Ids of partnerships serving a place within ``radius`` km (for ``pk__in``).

    The distance is computed once per community (a few thousand rows), then the served
    rows are found by community through its index, not scanned.
    """
    close = communities_within(place, radius).values("pk")
    return ServedCommunity.objects.filter(community__in=close).values("partnership_id")


def partnerships_near(place: Place, radius: float) -> QuerySet:
    """Ids of the partnerships near-me lists: serving a place within ``radius`` km, or
    covering the point's whole province (for ``pk__in``).

    One ``UNION ALL`` of two index reads rather than ``pk IN (...) OR is_province_wide``,
    which PostgreSQL can only answer by reading every partnership row (25 ms at 10,000).
    """
    covering = Partnership.objects.filter(is_province_wide=True, province=place.province).values(
        "pk"
    )
    return partnerships_within(place, radius).union(covering.order_by(), all=True)


def nearest_km(place: Place, radius: float) -> Round:
    """For each partnership: the distance to its nearest served place, to 0.1 km.

    Rounded as the page shows it, so partnerships at the same shown distance are then
    ordered by name. An aggregate over a join (one hash join and grouping for every
    listed partnership) rather than a correlated ``MIN`` subquery run once per partnership
    (100 ms for 3,000 matches at 10,000 partnerships). Only the places in the radius's
    box are measured: for a partnership serving a place within the radius, its nearest
    place is one of them.
    """
    prefix = "served__community__"
    return Round(
        Min(distance_km(place, prefix=prefix), filter=in_box(place, radius, prefix=prefix)),
        1,
    )


def near_matches(place: Place, radius: float, partnership_ids: list[int]) -> dict[int, NearMatch]:
    """The nearest served place within ``radius`` of each listed partnership (one query).

    For the rows of one page: ties in distance go to the name that sorts first.
    """
    rows = (
        ServedCommunity.objects.filter(in_box(place, radius), partnership_id__in=partnership_ids)
        .values_list(
            "partnership_id",
            "community__name",
            "community__latitude",
            "community__longitude",
            "basis",
        )
        .order_by()
    )
    matches: dict[int, NearMatch] = {}
    best: dict[int, tuple[float, str]] = {}
    for partnership_id, community, latitude, longitude, basis in rows:
        km = haversine_km(place.latitude, place.longitude, float(latitude), float(longitude))
        if km > radius:
            continue
        if partnership_id not in best or (km, community) < best[partnership_id]:
            best[partnership_id] = (km, community)
            matches[partnership_id] = NearMatch(
                round(km, 1), community, basis != ServedCommunity.Basis.NAMED
            )
    return matches

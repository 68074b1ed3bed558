"""Where each partnership sits on a map: the one placement rule, as GeoJSON (RFC 7946).

The directory's map and the open data API both read :func:`feature_collection` (the map
fetches ``/api/partnerships.geojson``), so a partnership is never drawn in two places. A
point sits on the served community nearest the searched point, else the most populous one; a
province-wide partnership without communities sits at its province's centre; a partnership
with neither is left off (it is still in the list).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation

from directory.geocoding import PROVINCE_CENTROIDS, Place, haversine_km
from partnerships.models import Partnership, ServedCommunity

#: The most features one response carries (the whole directory is about a hundred).
MAX_FEATURES = 10_000
#: Decimal places kept in coordinates (about one metre).
PRECISION = 5


@dataclass(frozen=True)
class PlacedPartnership:
    """A partnership and the point that stands for it on a map."""

    slug: str
    name: str
    name_fr: str
    kind: str
    province: str
    latitude: float
    longitude: float
    place: str  # the served community the point sits on ("" at a province's centre)
    province_wide: bool  # sits at its province's centre because it covers the whole province
    estimated: bool  # the community is estimated, not named by the partnership


def place_partnerships(
    queryset: QuerySet[Partnership], near: Place | None = None
) -> list[PlacedPartnership]:
    """One point per partnership of ``queryset`` (kept in its order), in two queries."""
    rows = list(
        queryset.values("pk", "slug", "name", "name_fr", "kind", "province", "is_province_wide")[
            :MAX_FEATURES
        ]
    )
    links = ServedCommunity.objects.filter(
        partnership__in=queryset.order_by().values("pk")
    ).values_list(
        "partnership_id",
        "community__name",
        "community__latitude",
        "community__longitude",
        "community__population",
        "basis",
    )
    best: dict[int, tuple[float, str, float, float, bool]] = {}
    for partnership_id, name, latitude, longitude, population, basis in links:
        lat, lon = float(latitude), float(longitude)
        if near is not None:
            score = haversine_km(near.latitude, near.longitude, lat, lon)
        else:
            score = -float(population or 0)
        current = best.get(partnership_id)
        if current is None or (score, name) < current[:2]:
            best[partnership_id] = (score, name, lat, lon, basis != ServedCommunity.Basis.NAMED)
    placed = []
    for row in rows:
        if row["pk"] in best:
            _score, community, lat, lon, estimated = best[row["pk"]]
            province_wide = False
        elif row["province"] in PROVINCE_CENTROIDS:
            community, estimated = "", False
            lat, lon = PROVINCE_CENTROIDS[row["province"]]
            province_wide = bool(row["is_province_wide"])
        else:
            continue
        placed.append(
            PlacedPartnership(
                slug=row["slug"],
                name=row["name"],
                name_fr=row["name_fr"],
                kind=row["kind"],
                province=row["province"],
                latitude=round(lat, PRECISION),
                longitude=round(lon, PRECISION),
                place=community,
                province_wide=province_wide,
                estimated=estimated,
            )
        )
    return placed


_SLUG = "slug-placeholder"


def page_url(slug: str, language: str, name: str = "directory:partnership-detail") -> str:
    """The partnership's public page in ``language`` (English unprefixed, French under /fr/)."""
    with translation.override(language):
        return reverse(name, kwargs={"slug": slug})


def url_makers(build_uri: Any) -> dict[str, Any]:
    """Functions slug -> URL for the three links of a feature, each reversed only once."""
    templates = {
        "url": build_uri(page_url(_SLUG, "en")),
        "url_fr": build_uri(page_url(_SLUG, "fr")),
        "api_url": build_uri(reverse("api:partnership-detail", kwargs={"slug": _SLUG})),
        "plan_url": build_uri(page_url(_SLUG, "en", "directory:plan-detail")),
        "plan_url_fr": build_uri(page_url(_SLUG, "fr", "directory:plan-detail")),
    }
    return {
        key: (lambda slug, template=template: template.replace(_SLUG, slug))
        for key, template in templates.items()
    }


def feature(item: PlacedPartnership, urls: dict[str, Any]) -> dict[str, Any]:
    """One RFC 7946 Feature: a Point in [longitude, latitude] order."""
    return {
        "type": "Feature",
        "id": item.slug,
        "geometry": {"type": "Point", "coordinates": [item.longitude, item.latitude]},
        "properties": {
            "slug": item.slug,
            "name": item.name,
            "name_fr": item.name_fr,
            "kind": item.kind,
            "province": item.province,
            "place": item.place or None,
            "province_wide": item.province_wide,
            "estimated": item.estimated,
            "url": urls["url"](item.slug),
            "url_fr": urls["url_fr"](item.slug),
            "api_url": urls["api_url"](item.slug),
        },
    }


def feature_collection(
    queryset: QuerySet[Partnership], near: Place | None = None, build_uri: Any = str
) -> dict[str, Any]:
    """The partnerships of ``queryset`` as a FeatureCollection (``build_uri`` makes URLs)."""
    urls = url_makers(build_uri)
    return {
        "type": "FeatureCollection",
        "features": [feature(item, urls) for item in place_partnerships(queryset, near)],
    }


def geojson_url(params: QueryDict) -> str:
    """``/api/partnerships.geojson`` with the filters of ``params`` (a page's query string).

    Only filter parameters are kept (not ``page``, ``per_page``...), so the list and the map
    with the same filters fetch the same URL and share its cache.
    """
    from directory.filters import PartnershipFilter

    kept = QueryDict(mutable=True)
    for name in PartnershipFilter.base_filters:
        if name in params:
            kept.setlist(name, params.getlist(name))
    query = kept.urlencode()
    url = reverse("api:partnership-geojson")
    return f"{url}?{query}" if query else url


def map_list(queryset: QuerySet[Partnership], near: Place | None = None) -> list[dict[str, Any]]:
    """The map's partnerships as the page lists them for everyone (the no-JS answer).

    Names in the page's language (with their own language when it differs), links to the
    page in that language, kind abbreviations as that language writes them.
    """
    from directory.labels import kind_abbreviation, localized_text

    kind_names = dict(Partnership.Kind.choices)
    page = Partnership()
    entries = []
    url_template = page_url(_SLUG, translation.get_language() or "en")
    for item in place_partnerships(queryset, near):
        page.name, page.name_fr = item.name, item.name_fr
        name = localized_text(page, "name")
        entries.append(
            {
                "name": str(name),
                "lang": name.lang if name.foreign else "",
                "kind": kind_abbreviation(item.kind),
                "kindName": str(kind_names.get(item.kind, item.kind)),
                "url": url_template.replace(_SLUG, item.slug),
                "place": item.place,
                "provinceWide": item.province_wide,
                "estimated": item.estimated,
            }
        )
    return entries

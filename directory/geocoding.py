"""Place a postal code, Forward Sortation Area or place name on the map, offline.

Postal codes are placed at the centroid of their Forward Sortation Area (the first three
characters), read from the ``pypostalcode`` package's bundled database; place names come from
the ``Community`` table (GeoNames). Nothing here calls the network.
"""

from __future__ import annotations

import difflib
import math
import re
import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Q
from django.db.models.functions import Left
from django.utils.translation import gettext as _

from partnerships.models import Community, Province

from .search import ACCENTED, LIGATURES, PLAIN, fold

EARTH_RADIUS_KM = 6371.0088

# Letters Canada Post uses as the first character of a postal code.
POSTAL_CODE_RE = re.compile(r"^([ABCEGHJKLMNPRSTVXY]\d[A-Z])[\s-]*(\d[A-Z]\d)?$")

# pypostalcode spells a few province names its own way.
_PROVINCE_ALIASES = {
    "northwest territory": "NT",
    "nunavut territory": "NU",
    "québec": "QC",
    "pei": "PE",
    "p.e.i.": "PE",
    "nfld": "NL",
}

# Approximate geographic centres of population, for province-wide partnerships on the map.
PROVINCE_CENTROIDS: dict[str, tuple[float, float]] = {
    "AB": (53.93, -116.58),
    "BC": (53.73, -127.65),
    "MB": (53.76, -98.81),
    "NB": (46.57, -66.46),
    "NL": (53.14, -57.66),
    "NS": (44.68, -63.74),
    "NT": (64.83, -124.85),
    "NU": (70.30, -83.11),
    "ON": (51.25, -85.32),
    "PE": (46.51, -63.42),
    "QC": (52.94, -73.55),
    "SK": (52.94, -106.45),
    "YT": (64.28, -135.00),
}


@dataclass(frozen=True)
class Place:
    """A geocoded point and how it was found."""

    label: str
    latitude: float
    longitude: float
    province: str
    kind: str  # "postal_code", "fsa" or "place"
    alternatives: tuple[str, ...] = field(default=())


class PlaceNotFound(ValueError):
    """The text is not a known postal code, FSA or place; carries close matches."""

    def __init__(self, query: str, suggestions: list[str]):
        super().__init__(query)
        self.query = query
        self.suggestions = suggestions


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(
    latitude: float, longitude: float, radius_km: float
) -> tuple[float, float, float, float]:
    """A (min_lat, max_lat, min_lon, max_lon) box that contains the circle of ``radius_km``."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = max(math.cos(math.radians(latitude)), 0.01)
    dlon = min(180.0, dlat / cos_lat)
    return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon


def province_code(name: str) -> str | None:
    """Two-letter code of a province given by code, English or French name."""
    value = name.strip().lower()
    if not value:
        return None
    if value.upper() in Province.values:
        return value.upper()
    if value in _PROVINCE_ALIASES:
        return _PROVINCE_ALIASES[value]
    for code, label in Province.choices:
        if fold(str(label)) == fold(value):
            return code
    french = {
        "colombie-britannique": "BC",
        "nouveau-brunswick": "NB",
        "terre-neuve-et-labrador": "NL",
        "nouvelle-ecosse": "NS",
        "territoires du nord-ouest": "NT",
        "ile-du-prince-edouard": "PE",
    }
    return french.get(fold(value))


@lru_cache(maxsize=1)
def _fsa_table() -> dict[str, tuple[float, float, str, str]]:
    """Every FSA's centroid, loaded once from pypostalcode's bundled SQLite file."""
    from pypostalcode.settings import db_location

    with sqlite3.connect(f"file:{db_location}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT fsa, city, province, latitude, longitude FROM PostalCodes"
        ).fetchall()
    table = {}
    for fsa, city, province, latitude, longitude in rows:
        code = province_code(province) or ""
        table[fsa.upper()] = (float(latitude), float(longitude), city or "", code)
    return table


def normalize_postal_code(text: str) -> tuple[str, str] | None:
    """Split ``text`` into (FSA, local delivery unit or "") when it looks like a postal code."""
    match = POSTAL_CODE_RE.match(text.strip().upper())
    if not match:
        return None
    return match.group(1), match.group(2) or ""


def _geocode_postal(fsa: str, ldu: str) -> Place | None:
    found = _fsa_table().get(fsa)
    if not found:
        return None
    latitude, longitude, city, province = found
    if ldu:
        label = _("%(code)s (area %(fsa)s, %(city)s)") % {
            "code": f"{fsa} {ldu}",
            "fsa": fsa,
            "city": city,
        }
        kind = "postal_code"
    else:
        label = _("%(fsa)s (%(city)s)") % {"fsa": fsa, "city": city}
        kind = "fsa"
    return Place(label, latitude, longitude, province, kind)


def _split_place(text: str) -> tuple[str, str | None]:
    """``"Canmore, AB"`` → ("Canmore", "AB"); an unknown province part stays in the name."""
    if "," in text:
        name, _sep, tail = text.rpartition(",")
        code = province_code(tail)
        if code and name.strip():
            return name.strip(), code
    parts = text.rsplit(None, 1)
    if len(parts) == 2 and len(parts[1]) == 2 and parts[1].upper() in Province.values:
        return parts[0].strip(), parts[1].upper()
    return text.strip(), None


@lru_cache(maxsize=64)
def _first_characters(letter: str) -> tuple[str, ...]:
    """Every character a stored name can start with when its folded name starts with
    ``letter`` (an ASCII letter or digit): itself, its capital, its accented forms and the
    ligatures that spell it out, as the SQL ``__folded`` lookup folds them."""
    table = str.maketrans(ACCENTED, PLAIN)
    found = set()
    for code in list(range(0x20, 0x250)) + [0x2018, 0x2019, 0x02BC, 0x2010, 0x2011, 0x2013]:
        char = chr(code)
        folded = char.lower().translate(table)
        for ligature, spelled in LIGATURES.items():
            folded = folded.replace(ligature, spelled)
        if folded[:1] == letter:
            found.add(char)
    return tuple(sorted(found))


def _named(folded_name: str) -> Q:
    """Communities whose folded name is ``folded_name``.

    Folding every name in SQL costs a ``translate`` per row (3,250 of them); a cheap test
    of the first character goes first, so only a few dozen names are folded.
    """
    match = Q(name__folded=folded_name)
    first = folded_name[:1]
    if first.isascii() and first.isalnum():
        match = Q(name_first__in=_first_characters(first)) & match
    return match


def _geocode_place(text: str) -> Place | None:
    name, province = _split_place(text)
    if not name:
        return None
    matches = Community.objects.annotate(name_first=Left("name", 1)).filter(_named(fold(name)))
    if province:
        matches = matches.filter(province=province)
    rows = sorted(matches, key=lambda c: (-(c.population or 0), c.province, c.pk))
    if not rows:
        return None
    best = rows[0]
    alternatives = tuple(f"{c.name}, {c.province}" for c in rows[1:6])
    return Place(
        f"{best.name}, {best.province}",
        float(best.latitude),
        float(best.longitude),
        best.province,
        "place",
        alternatives,
    )


def _close_fsas(prefix: str, limit: int) -> list[str]:
    """Real FSAs of the same region letter, closest first (shared prefix, then digit)."""
    prefix = prefix.ljust(3, "0")

    def distance(fsa: str) -> tuple[int, int, int]:
        shared = 2 if fsa[:2] == prefix[:2] else 0
        digit = abs(int(fsa[1]) - int(prefix[1])) if prefix[1].isdigit() else 9
        letter = abs(ord(fsa[2]) - ord(prefix[2]))
        return (-shared, digit, letter)

    same_region = [fsa for fsa in _fsa_table() if fsa[0] == prefix[0]]
    return sorted(same_region, key=lambda fsa: (*distance(fsa), fsa))[:limit]


def suggestions_for(text: str, limit: int = 5) -> list[str]:
    """Close matches for an unknown place name or FSA (difflib over names and FSA codes)."""
    postal = normalize_postal_code(text)
    compact = re.sub(r"[\s-]+", "", text.strip().upper())
    if postal or re.match(r"^[A-Z]\d[A-Z]", compact) or re.match(r"^[A-Z]\d", compact):
        return _close_fsas(compact[:3], limit)
    name, province = _split_place(text)
    communities = Community.objects.all()
    if province:
        communities = communities.filter(province=province)
    labels: dict[str, str] = {}
    for community_name, community_province in communities.values_list("name", "province"):
        labels.setdefault(fold(community_name), f"{community_name}, {community_province}")
    close = difflib.get_close_matches(fold(name), list(labels), n=limit, cutoff=0.7)
    return [labels[key] for key in close]


def geocode(text: str) -> Place:
    """Place ``text`` (postal code, FSA or place name); raise :class:`PlaceNotFound` otherwise."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise PlaceNotFound(text, [])
    postal = normalize_postal_code(cleaned)
    place = _geocode_postal(*postal) if postal else _geocode_place(cleaned)
    if place is None:
        raise PlaceNotFound(cleaned, suggestions_for(cleaned))
    return place

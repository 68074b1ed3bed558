"""Turn the raw research CSVs into the reviewed `fixtures/partnerships.json`.

The research folder lives outside the repository and is passed to ``build_real_fixture`` as
``--source DIR``; nothing here assumes where it is.

Only ``build_real_fixture`` uses this module: the app itself reads the committed fixture, so the
rules below (name splitting, slugs, region-to-place mapping, host types) are applied once, written
out, and can be reviewed line by line in the JSON before they reach a database.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from django.conf import settings
from django.utils.text import slugify

# --- Names ---------------------------------------------------------------------------------

FORMERLY_RE = re.compile(r"\s*\(formerly ([^)]+)\)")
IN_DEVELOPMENT_RE = re.compile(r"\s*\(in development\)", re.IGNORECASE)
FRENCH_MARKERS = re.compile(
    r"\b(Partenariat|Réseau|LIP des|en matière|des cinq|de l'|du |de la |francophone)",
)

# Rows whose CSV name carries an alternate name or a descriptor rather than a former name.
# Key: the CSV name. Value: (display name, extra aliases).
NAME_OVERRIDES: dict[str, tuple[str, list[str]]] = {
    "Toronto Newcomer Office / Toronto Newcomer Strategy (City of Toronto municipal LIP)": (
        "Toronto Newcomer Office",
        ["Toronto Newcomer Strategy", "City of Toronto municipal LIP"],
    ),
    "North Bay Newcomer Network (North Bay Local Immigration Partnership)": (
        "North Bay Newcomer Network",
        ["North Bay Local Immigration Partnership"],
    ),
}

# --- Host types (only where the CSV text says it clearly; blank otherwise) -------------------

MUNICIPAL_RE = re.compile(
    r"^(City of|Town of|Municipality of|Region of|Regional Municipality|County of|"
    r"District Municipality|Halifax Regional Municipality|Halton Region|Oxford County|"
    r"Grey County and Bruce County)",
)
CONSORTIUM_RE = re.compile(r"(consortium|shared secretariat|co-sponsored)", re.IGNORECASE)
UNCLEAR_RE = re.compile(
    r"(not confirmed|not explicitly confirmed|^Independent table|^Initiated by)", re.IGNORECASE
)
# Decisions the regexes cannot make; the value is written to the fixture as is.
HOST_TYPE_OVERRIDES: dict[str, str] = {
    # "City of St. John's with Association for New Canadians": a joint arrangement.
    "st-johns-local-immigration-partnership": "consortium",
    # "Ignite Fredericton (on behalf of the City of Fredericton)": arm's-length agency; unclear.
    "newcomer-partnership-council": "",
}

# --- Focus areas stated in partnerships_notes.md section 6 ---------------------------------
# slug -> (focus-area slugs, what the notes say)
NOTES_FOCUS_AREAS: dict[str, tuple[list[str], str]] = {
    "durham-local-immigration-partnership": (
        ["employment", "settlement-services", "social-inclusion"],
        "Community Plan 2020-2024 priorities: Economic Prosperity; Service Co-ordination; "
        "Community Belonging (durhamimmigration.ca)",
    ),
    "bow-valley-immigration-partnership": (
        ["employment", "social-inclusion", "civic-engagement"],
        "2019-2023 priorities: Workforce Development; Welcoming Attitudes & Behaviours; "
        "Civic & Political Engagement; Community Readiness (bvipartnership.com)",
    ),
    "five-eastern-counties-local-immigration-partnership": (
        ["employment", "social-inclusion", "anti-racism", "settlement-services"],
        "2012 strategy action areas: Employment; Community Connection & Social Integration; "
        "Racism & Discrimination; Newcomer Integration (5eo.ca)",
    ),
    "grande-prairie-local-immigration-partnership": (
        [
            "housing",
            "education",
            "language",
            "employment",
            "health",
            "settlement-services",
            "social-inclusion",
        ],
        "priorities: housing; education/language; employment; health & wellness; settlement "
        "services; inclusion (panow.com 2021)",
    ),
    "medicine-hat-local-immigration-partnership": (
        ["social-inclusion", "employment"],
        "priorities: community connections; employment; bringing newcomers and long-time "
        "residents together (medicinehatnews.com 2023)",
    ),
    "local-immigration-partnership-lanark-renfrew": (
        ["social-inclusion", "employment"],
        "'No Wrong Door' priorities: connections; trust; employer outreach; integrated learning "
        "(pembrokeobserver.com)",
    ),
    "south-okanagan-similkameen-local-immigration-partnership": (
        ["employment", "settlement-services", "public-education"],
        "conditions for change: workforce fit; programs and networks; two-way awareness "
        "(soslip.ca)",
    ),
    "richmond-community-collaboration-table": (
        ["employment", "settlement-services", "social-inclusion"],
        "2016-2019 priorities: Employment; Settlement Services; Community Experience; Daily "
        "Living (iamrichmond.ca)",
    ),
    "brantford-immigration-partnership": (
        ["social-inclusion"],
        "themes of Connection and Inclusion (brantford.ca)",
    ),
    "pei-immigration-partnership": (
        ["retention"],
        "7 retention priorities (smu.ca blog)",
    ),
    "east-central-saskatchewan-local-immigration-partnership": (
        ["settlement-services", "employment", "social-inclusion"],
        "stated aims: close service gaps; coordinate resources; address labour shortages; "
        "community readiness (eastcentralnewcomercentre.ca)",
    ),
    "london-middlesex-local-immigration-partnership": (
        ["education", "employment", "health", "civic-engagement", "justice", "settlement-services"],
        "sub-councils: Education; Employment; Health & Wellbeing; Inclusion & Civic Engagement; "
        "Justice & Protection Services; Settlement (LMLIP Strategic Plan 2019-2022)",
    ),
    "toronto-north-local-immigration-partnership": (
        ["employment", "health", "settlement-services", "language"],
        "working groups: Employment & Labour Market; Health & Wellbeing; Settlement, "
        "Orientation & Language (TNLIP strategy)",
    ),
    "halton-newcomer-strategy": (
        ["settlement-services", "employment"],
        "working groups: Service Coordination; Equity; Employment (welcometohalton.ca)",
    ),
    "saint-john-local-immigration-partnership": (
        ["social-inclusion", "language", "employment", "health"],
        "2018 working groups: Welcoming Community; Language Inclusion; Employment & Training; "
        "Health Care (sjlip.ca)",
    ),
    "sarnia-lambton-local-immigration-partnership": (
        ["employment", "settlement-services", "language", "research", "public-education"],
        "pillars: Employment; Settlement & Language; Coordination of Services; Research; "
        "Public Awareness (liveinlambton.ca)",
    ),
    "north-shore-immigrant-inclusion-partnership": (
        ["settlement-services", "social-inclusion", "employment", "civic-engagement"],
        "2016-2019 themes: Access to Information & Services; Community Connection & "
        "Intercultural Relationships; Employment; Representation (nsiip.ca)",
    ),
    "burnaby-intercultural-planning-table": (
        ["settlement-services", "employment", "social-inclusion", "civic-engagement"],
        "themes: Access to Information & Services; Employment; Intercultural Connections; "
        "Cultural Representation & Civic Engagement (bipt.ca)",
    ),
    "vancouver-local-immigration-partnership": (
        ["settlement-services", "social-inclusion", "civic-engagement", "employment"],
        "VIP focus areas: Access to Services; Intercultural & Civic Engagement; Welcoming & "
        "Inclusive Workplaces; Governments & Public Institutions (vancouver.ca)",
    ),
    "ottawa-local-immigration-partnership": (
        ["health"],
        "sector tables, e.g. Health & Wellbeing (olip-plio.ca)",
    ),
    "cape-breton-local-immigration-partnership": (
        ["settlement-services", "public-education", "research", "social-inclusion"],
        "themes: coordination of services; awareness; research & planning; welcoming "
        "communities (newtocapebreton.com)",
    ),
    "reseau-en-immigration-francophone-de-lalberta": (
        [
            "francophone-immigration",
            "settlement-services",
            "education",
            "employment",
            "health",
            "justice",
        ],
        "RIFA sectors: reception/settlement/integration; education; employment & economic "
        "development; health & wellness; socio-cultural development; justice (acfa.ab.ca)",
    ),
}

# --- Served places --------------------------------------------------------------------------
# Rows not listed in the region table use the names in `communities_served` and `main_community`
# that match a place of the same province exactly. Rows listed there use its place names instead
# (regions expanded to their member places; "#<geonameid>" picks one of two places with the same
# name). The table is data, not code: fixtures/region_places.json (see fixtures/README.md). Every
# name must exist in places_ca.csv: the build fails otherwise.
REGION_PLACES_FILE = Path(settings.BASE_DIR) / "fixtures" / "region_places.json"
REGION_KEYS = {"slug", "province", "note", "places", "place_notes"}

PROVINCE_WIDE_HINT = "province-wide"
PROVINCE_NAMES = {
    "Alberta",
    "British Columbia",
    "Manitoba",
    "Saskatchewan",
    "Northwest Territories",
    "Yukon",
    "New Brunswick",
    "Nova Scotia",
    "Prince Edward Island",
    "Newfoundland and Labrador",
}


class BuildError(ValueError):
    """The raw data cannot be turned into a consistent fixture."""


def _looks_french(text: str) -> bool:
    return bool(FRENCH_MARKERS.search(text))


def parse_name(raw: str, kind: str) -> dict[str, Any]:
    """Split a CSV name into display name, French name, aliases and an in-development flag."""
    aliases: list[str] = []
    in_development = bool(IN_DEVELOPMENT_RE.search(raw))
    name = IN_DEVELOPMENT_RE.sub("", raw).strip()
    if name in NAME_OVERRIDES:
        name, extra = NAME_OVERRIDES[name]
        aliases.extend(extra)
    for former in FORMERLY_RE.findall(name):
        aliases.append(former.strip())
    name = FORMERLY_RE.sub("", name).strip()
    name_fr = ""
    if " / " in name:
        english, french = (part.strip() for part in name.split(" / ", 1))
        if _looks_french(french) and not _looks_french(english):
            name, name_fr = english, french
    if not name_fr and (kind == "RIF" or name.startswith(("Partenariat", "Réseau"))):
        name_fr = name  # French-only name: keep it as the display name too
    return {"name": name, "name_fr": name_fr, "aliases": aliases, "in_development": in_development}


def languages_for(kind: str, name: str, name_fr: str, acronym: str) -> str:
    """RIFs and French-only names work in French; explicitly bilingual names in both."""
    if kind == "RIF" or (name_fr and name == name_fr):
        return "fr"
    if name_fr or " / " in acronym:
        return "en-fr"
    return "en"


def host_type_for(slug: str, host: str) -> str:
    """Municipal, consortium or community host, only when the recorded text says so."""
    if slug in HOST_TYPE_OVERRIDES:
        return HOST_TYPE_OVERRIDES[slug]
    if not host or UNCLEAR_RE.search(host):
        return ""
    if CONSORTIUM_RE.search(host):
        return "consortium"
    if MUNICIPAL_RE.search(host):
        return "municipal"
    return "community"


def read_places(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class Region(NamedTuple):
    """One region-table entry: the province its names are looked up in, and the names."""

    province: str
    places: tuple[str, ...]


@functools.cache
def region_places(path: Path = REGION_PLACES_FILE) -> Mapping[str, Region]:
    """The region table by slug, read once from its data file (read-only, file order kept).

    Validated strictly so a typo in the hand-edited JSON fails the build instead of silently
    dropping a region or a place.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BuildError(f"cannot read region table {path}: {exc}") from exc
    entries = data.get("regions") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise BuildError(f"{path}: expected an object with a 'regions' list")
    table: dict[str, Region] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"{path} region #{number}"
        if not isinstance(entry, dict) or not {"slug", "province", "places"} <= entry.keys():
            raise BuildError(f"{where}: needs 'slug', 'province' and 'places'")
        if extra := entry.keys() - REGION_KEYS:
            raise BuildError(f"{where}: unknown keys {sorted(extra)}")
        slug, places = entry["slug"], entry["places"]
        if not isinstance(slug, str) or not slug:
            raise BuildError(f"{where}: 'slug' must be a non-empty string")
        if slug in table:
            raise BuildError(f"{where}: duplicate slug {slug}")
        if not isinstance(places, list) or not places:
            raise BuildError(f"{where} ({slug}): 'places' must be a non-empty list")
        if not all(isinstance(name, str) and name for name in places):
            raise BuildError(f"{where} ({slug}): every place must be a non-empty string")
        if unknown := set(entry.get("place_notes", {})) - set(places):
            raise BuildError(f"{where} ({slug}): notes for unlisted places {sorted(unknown)}")
        table[slug] = Region(province=entry["province"], places=tuple(places))
    return MappingProxyType(table)


class PlaceIndex:
    """Exact (name, province) and geonameid look-ups over places_ca.csv."""

    def __init__(self, places: list[dict[str, str]]) -> None:
        self.by_id = {row["geonameid"]: row for row in places}
        self.by_name: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
        for row in places:
            self.by_name[(row["name"].lower(), row["province"])].append(row)

    def find(self, name: str, province: str) -> dict[str, str] | None:
        if name.startswith("#"):
            return self.by_id.get(name[1:])
        matches = self.by_name.get((name.lower(), province), [])
        if len(matches) > 1:
            raise BuildError(f"{name} ({province}) is ambiguous: use #<geonameid>")
        return matches[0] if matches else None


def served_places(
    slug: str, row: dict[str, str], index: PlaceIndex
) -> tuple[list[dict[str, str]], str]:
    """The places a row serves, and how they were found (for reviewers)."""
    province = row["province"]
    region = region_places().get(slug)
    if region is not None:
        if region.province != province:
            raise BuildError(f"{slug}: region table says {region.province}, the CSV {province}")
        found = []
        for name in region.places:
            place = index.find(name, province)
            if place is None:
                raise BuildError(f"{slug}: no place {name!r} in {province}")
            found.append(place)
        # The label keeps the table's old name so the committed fixture stays byte-identical.
        return found, "region mapped to member places (REGION_PLACES)"
    names = [part.strip() for part in row["communities_served"].split(";") if part.strip()]
    names.append(row["main_community"].strip())
    found, seen = [], set()
    for name in names:
        place = index.find(name, province) if not name.startswith("#") else None
        if place and place["geonameid"] not in seen:
            seen.add(place["geonameid"])
            found.append(place)
    return found, "exact place-name match on communities served and main community"


def build_records(partnerships_csv: Path, places_csv: Path) -> list[dict[str, Any]]:
    """Every partnership as a fixture record, validated (unique slugs, mapped places)."""
    index = PlaceIndex(read_places(places_csv))
    with partnerships_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    records: list[dict[str, Any]] = []
    slugs: set[str] = set()
    for row in rows:
        parsed = parse_name(row["name"].strip(), row["kind"])
        slug = slugify(parsed["name"])[:100].strip("-")
        if slug in slugs:
            raise BuildError(f"slug collision: {slug}")
        slugs.add(slug)
        served_text = row["communities_served"].strip()
        main = row["main_community"].strip()
        province_wide = (PROVINCE_WIDE_HINT in main or PROVINCE_WIDE_HINT in served_text) or (
            row["kind"] == "RIF" and served_text in PROVINCE_NAMES
        )
        places, how = served_places(slug, row, index)
        if not province_wide and not places:
            raise BuildError(f"{slug}: serves no mapped place")
        focus, basis = NOTES_FOCUS_AREAS.get(slug, ([], ""))
        host = row["host_organization"].strip()
        records.append(
            {
                "slug": slug,
                "kind": row["kind"],
                "name": parsed["name"],
                "name_fr": parsed["name_fr"],
                "acronym": row["acronym"].strip(),
                "aliases": parsed["aliases"],
                "province": row["province"],
                "is_province_wide": province_wide,
                "main_community": main,
                "communities_served_text": served_text,
                "communities": [
                    {
                        "geonames_id": int(p["geonameid"]),
                        "name": p["name"],
                        "province": p["province"],
                    }
                    for p in places
                ],
                "communities_rule": how if places else "province-wide: no single place",
                "host_organization": host,
                "host_type": host_type_for(slug, host),
                "website": row["website"].strip(),
                "languages": languages_for(
                    row["kind"], parsed["name"], parsed["name_fr"], row["acronym"]
                ),
                "status": "in_development" if parsed["in_development"] else "active",
                "source": [s.strip() for s in row["source"].split(" | ") if s.strip()],
                "confidence": row["confidence"].strip(),
                "focus_areas": focus,
                "focus_areas_basis": f"partnerships_notes.md section 6: {basis}" if basis else "",
            }
        )
    unused = set(region_places()) - slugs
    if unused:
        raise BuildError(f"{REGION_PLACES_FILE.name} names unknown slugs: {sorted(unused)}")
    unused_focus = set(NOTES_FOCUS_AREAS) - slugs
    if unused_focus:
        raise BuildError(f"NOTES_FOCUS_AREAS names unknown slugs: {sorted(unused_focus)}")
    return records

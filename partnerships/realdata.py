"""Load the committed real data set (fixtures/) into the database, idempotently and fast.

The loader reads only files inside the repository, so a fresh checkout can seed itself with no
access to the research folder. Re-running it converges on the fixture: places are upserted by
GeoNames id, partnerships by slug, served places (with how each is known) and sources are *set*
(not added).

What a reload leaves alone (so coordinators' work survives):
- ``coordinators``, ``last_confirmed`` and ``host_organizations`` are never written;
- a partnership whose ``last_confirmed`` is set (a coordinator has confirmed it) is not
  overwritten at all unless ``overwrite_confirmed=True``;
- an empty value in the fixture never blanks a field (public contact, descriptions, notes);
- focus areas are written only when the fixture lists some (or the row is new);
- a council from a public member list is added once; its memberships are never removed;
- partnerships that are not in the fixture are neither changed nor deleted.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction

from config.database import refresh_statistics

from .models import (
    Community,
    Council,
    CouncilMembership,
    FocusArea,
    Organization,
    Partnership,
    Sector,
    ServedCommunity,
    Source,
)

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"
PARTNERSHIPS_FIXTURE = FIXTURE_DIR / "partnerships.json"
PLACES_FIXTURE = FIXTURE_DIR / "places_ca.csv"

COORDINATE = Decimal("0.00001")

# Fixture keys copied onto Partnership as they are (lists are joined one per line).
SCALAR_FIELDS = [
    "kind",
    "name",
    "name_fr",
    "acronym",
    "province",
    "is_province_wide",
    "main_community",
    "communities_served_text",
    "host_organization",
    "host_type",
    "website",
    "languages",
    "status",
    "confidence",
]
LINE_FIELDS = ["aliases"]
# Written only when the fixture has a value (never blanked by an empty one).
FILL_FIELDS = [
    "email",
    "phone",
    "contact_url",
    "description",
    "description_fr",
    "focus_areas_basis",
    "verification_note",
]
COUNCIL_NOTE = (
    "Member organizations as published on the source page (organizations only: no personal "
    "names are recorded). The list may be out of date; see its year."
)
SOURCE_FIELDS = ["url", "title", "publisher", "year", "kind", "topic"]


@dataclass
class LoadReport:
    """What a load did, for the command's output and for tests."""

    places_created: int = 0
    places_total: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_confirmed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Places: {self.places_total} ({self.places_created} new). "
            f"Partnerships: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.kept_confirmed)} kept "
            "(confirmed by a coordinator)."
        )


def read_fixture(path: Path = PARTNERSHIPS_FIXTURE) -> list[dict[str, Any]]:
    """The reviewed partnership records."""
    return json.loads(path.read_text(encoding="utf-8"))


def load_places(path: Path = PLACES_FIXTURE) -> tuple[int, int]:
    """Upsert every GeoNames place as a Community in a few bulk queries; (created, total)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    before = Community.objects.filter(geonames_id__isnull=False).count()
    objects = [
        Community(
            geonames_id=int(row["geonameid"]),
            name=row["name"],
            province=row["province"],
            latitude=Decimal(row["latitude"]).quantize(COORDINATE),
            longitude=Decimal(row["longitude"]).quantize(COORDINATE),
            population=int(row["population"]) if row["population"] else None,
        )
        for row in rows
    ]
    Community.objects.bulk_create(
        objects,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["geonames_id"],
        update_fields=["name", "province", "latitude", "longitude", "population"],
    )
    total = Community.objects.filter(geonames_id__isnull=False).count()
    return total - before, total


def _values(record: dict[str, Any]) -> dict[str, Any]:
    values = {name: record[name] for name in SCALAR_FIELDS}
    for name in LINE_FIELDS:
        values[name] = "\n".join(record[name])
    for name in FILL_FIELDS:
        if record.get(name):
            values[name] = record[name]
    return values


def _set_served(partnership: Partnership, wanted: dict[int, str]) -> None:
    """Make the served places (community id -> basis) exactly ``wanted``, keeping history."""
    current = {
        row.community_id: row for row in ServedCommunity.objects.filter(partnership=partnership)
    }
    for community_id, row in current.items():
        if community_id not in wanted:
            row.delete()
        elif row.basis != wanted[community_id]:
            row.basis = wanted[community_id]
            row.save(update_fields=["basis"])
    for community_id, basis in wanted.items():
        if community_id not in current:
            ServedCommunity.objects.create(
                partnership=partnership, community_id=community_id, basis=basis
            )


def _set_sources(partnership: Partnership, records: list[dict[str, Any]]) -> None:
    """Make the sources exactly the fixture's, in its order (unchanged rows are not written)."""
    current = list(Source.objects.filter(partnership=partnership).order_by("order", "pk"))
    for order, record in enumerate(records):
        values = {
            name: record.get(name) or Source._meta.get_field(name).get_default()
            for name in SOURCE_FIELDS
        }
        values["year"] = record.get("year")
        values["order"] = order
        if order < len(current):
            source = current[order]
            if any(getattr(source, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(source, key, value)
                source.full_clean(exclude=["partnership"])
                source.save()
        else:
            source = Source(partnership=partnership, **values)
            source.full_clean(exclude=["partnership"])
            source.save()
    for source in current[len(records) :]:
        source.delete()


def _add_council(partnership: Partnership, record: dict[str, Any]) -> None:
    """A council whose member organizations a public page lists: organizations only, no people."""
    council, _created = Council.objects.get_or_create(
        partnership=partnership,
        name=record["name"],
        defaults={
            "kind": record.get("kind", Council.Kind.MAIN),
            "source": record["source"],
            "description": COUNCIL_NOTE,
            "is_sample": False,
        },
    )
    if council.is_sample:
        return  # a sample council already has this name: the demo removal handles it
    sectors = dict(Sector.objects.values_list("slug", "pk"))
    present = set(
        council.memberships.filter(person_name="").values_list("organization__name", flat=True)
    )
    for entry in record["organizations"]:
        if entry["name"] in present:
            continue
        # One organization per name and province (a database constraint). A published member
        # is real: a sample row that happens to carry its name becomes the real one.
        organization = (
            Organization.objects.filter(name__iexact=entry["name"], province=partnership.province)
            .order_by("is_sample")
            .first()
        )
        if organization is not None and organization.is_sample:
            organization.is_sample = False
            organization.save(update_fields=["is_sample", "updated_at"])
        if organization is None:
            organization = Organization.objects.create(
                name=entry["name"],
                sector_id=sectors.get(entry.get("sector", "")),
                province=partnership.province,
            )
        CouncilMembership.objects.create(
            council=council,
            organization=organization,
            sector_id=sectors.get(entry.get("sector", "")) or organization.sector_id,
            is_sample=False,
        )


def load_partnerships(
    records: list[dict[str, Any]], *, overwrite_confirmed: bool = False, report: LoadReport
) -> None:
    """Create or update each partnership by slug and set its served places and focus areas."""
    community_ids = dict(
        Community.objects.filter(geonames_id__isnull=False).values_list("geonames_id", "pk")
    )
    focus_ids = dict(FocusArea.objects.values_list("slug", "pk"))
    existing = {
        p.slug: p for p in Partnership.objects.filter(slug__in=[r["slug"] for r in records])
    }
    for record in records:
        values = _values(record)
        partnership = existing.get(record["slug"])
        created = partnership is None
        if created:
            partnership = Partnership.objects.create(slug=record["slug"], **values)
            report.created.append(partnership.slug)
        elif partnership.last_confirmed and not overwrite_confirmed:
            report.kept_confirmed.append(partnership.slug)
            continue
        else:
            changed = [k for k, v in values.items() if getattr(partnership, k) != v]
            if changed:
                for key in changed:
                    setattr(partnership, key, values[key])
                partnership.save()
                report.updated.append(partnership.slug)
            else:
                report.unchanged.append(partnership.slug)
        missing = [
            c["geonames_id"] for c in record["communities"] if c["geonames_id"] not in community_ids
        ]
        if missing:
            raise ValueError(f"{record['slug']}: places {missing} are not loaded")
        _set_served(
            partnership,
            {community_ids[c["geonames_id"]]: c["basis"] for c in record["communities"]},
        )
        _set_sources(partnership, record["sources"])
        if record["focus_areas"] or created:
            partnership.focus_areas.set([focus_ids[slug] for slug in record["focus_areas"]])
        if record.get("council"):
            _add_council(partnership, record["council"])


def load_real_data(*, overwrite_confirmed: bool = False) -> LoadReport:
    """Load places then partnerships from fixtures/, in one transaction."""
    report = LoadReport()
    with transaction.atomic():
        report.places_created, report.places_total = load_places()
        load_partnerships(read_fixture(), overwrite_confirmed=overwrite_confirmed, report=report)
        from directory.revision import bump_revision  # bulk writes send no signal

        bump_revision()
        refresh_statistics(list(apps.get_app_config("partnerships").get_models()))
    return report

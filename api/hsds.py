"""The public directory as an Open Referral HSDS 3.1 tabular data package (``/api/hsds.zip``).

**Mapping.** Each partnership is an HSDS *organization* (the partnership itself: it has its own
name, website and public channels) running one *service* (the partnership's work for its
communities). Its host organizations are organizations too, linked by the extension table
``x_partnership_host`` (HSDS has no "hosted by" relation; ``parent_organization_id`` would
claim ownership). Served communities are *service areas* with a GeoJSON Point extent; the
point the map draws the partnership on (:func:`api.geojson.place_partnerships`, the one
placement rule) is its *location*. Kind, focus areas, record confidence and sectors are
*taxonomy terms* linked through *attributes*. Public channels are the service's email, a
*phone* row and *url* rows; a council member is a *contact* only where they consented.

**What HSDS cannot express** travels in extension tables named ``x_*``, declared in
``datapackage.json`` with their keys: councils, memberships (roles, sectors, terms), working
groups, current plans, sources, the directory's own fields of a partnership, how each
served place is known, and every French text (``x_translation``). See docs/hsds.md.

**Privacy.** Council members are read through ``CouncilMembership.objects.visible_to(None)``,
the public's scope: a person's name, email and phone are already blanked there unless they
consented (:mod:`partnerships.scoping`); their title is written only with their contact.

**Ids** are UUID 5 derived from natural keys (slugs, names), so they are the same in every
build; rows with no public natural key (memberships, sources, plans) use their database id.

**Cost.** A constant number of queries whatever the number of partnerships; the zip is
built in memory (a few hundred kB for the real directory) and cached per data revision.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.cache import cache
from django.db.models import Prefetch
from django.utils import translation

from directory.models import Revision
from directory.revision import current_revision
from partnerships.models import (
    Council,
    CouncilMembership,
    FocusArea,
    Organization,
    Partnership,
    Province,
    Role,
    Sector,
    ServedCommunity,
    Source,
    WorkingGroup,
)
from partnerships.text import escape_formula, strip_for_file
from plans.models import CommunityPlan

from .geojson import page_url, place_partnerships
from .hsds_spec import (
    EXTENSION_PREFIX,
    HSDS_DOCS_URL,
    HSDS_SCHEMA_URL,
    HSDS_TABLES,
    HSDS_VERSION,
    HsdsTable,
)

_SLUG = "slug-placeholder"
#: Namespace of every id in the package: uuid5(NAMESPACE, "<table>:<natural key>").
NAMESPACE = uuid.UUID("6f2d7f5e-3c1b-5a47-9e0a-5d1c2b8e4a10")
_NAMESPACE_BYTES = NAMESPACE.bytes
ZIP_NAME = "partnership-directory-hsds.zip"
CACHE_SECONDS = 24 * 3600
#: Partnerships read (with everything under them) per round of queries: the package costs a
#: constant number of queries up to this many partnerships, and memory stays bounded beyond.
CHUNK = 500
#: Rows buffered as text before they go to a resource's temporary file.
FLUSH_ROWS = 1000
#: A resource's CSV stays in memory up to this size, then spills to a temporary file.
SPOOL_BYTES = 2 * 1024 * 1024
CHUNK_BYTES = 256 * 1024
#: A phone value that no spreadsheet reads as a formula once its leading "+" is accepted.
_PHONE_RE = re.compile(r"^\+?[0-9 ()./x-]*(ext\.?)?[0-9 ]*$", re.IGNORECASE)


def hsds_id(table: str, *key: Any) -> str:
    """The stable UUID of a row: the same natural key gives the same id in every build.

    ``uuid.uuid5(NAMESPACE, "<table>:<key>...")``, computed without building UUID objects
    (a quarter of a million of them at 2,000 partnerships); a test checks it is the same.
    """
    name = ":".join([table, *(str(part) for part in key)])
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name.encode()).digest()[:16])  # noqa: S324
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# -- columns and resources ------------------------------------------------------------------

# How a column's values are written: free text passes the spreadsheet formula escape.
TEXT, CODE, PHONE = "text", "code", "phone"


@dataclass(frozen=True)
class Column:
    """One column of a resource: a Table Schema field plus how its values are written."""

    name: str
    type: str = "string"
    format: str = ""
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()
    writes: str = CODE

    def descriptor(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.format:
            data["format"] = self.format
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            data["constraints"] = constraints
        return data


@dataclass
class Resource:
    """One CSV file of the package and its Table Schema.

    Rows are written as CSV as they are added, into a temporary file that stays in memory up
    to :data:`SPOOL_BYTES` and goes to disk beyond, so a large directory does not hold every
    row as Python objects.
    """

    name: str
    path: str
    description: str
    columns: list[Column]
    foreign_keys: list[tuple[str, str]] = field(default_factory=list)  # (column, resource)
    count: int = 0

    def __post_init__(self) -> None:
        self._names = frozenset(c.name for c in self.columns)
        self._pending = io.StringIO()
        self._writer = csv.writer(self._pending, lineterminator="\r\n")
        self._file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - copy_to closes it
        self._writer.writerow([c.name for c in self.columns])

    def add(self, **row: Any) -> None:
        if not row.keys() <= self._names:
            raise KeyError(f"{self.name}: no column {sorted(row.keys() - self._names)}")
        self._writer.writerow([cell(c, row.get(c.name)) for c in self.columns])
        self.count += 1
        if self.count % FLUSH_ROWS == 0:
            self._flush()

    def _flush(self) -> None:
        self._file.write(self._pending.getvalue().encode("utf-8"))
        self._pending.seek(0)
        self._pending.truncate()

    def copy_to(self, out: IO[bytes]) -> None:
        """Write the CSV file (header and rows) to ``out``, then let go of it."""
        self._flush()
        self._file.seek(0)
        shutil.copyfileobj(self._file, out, CHUNK_BYTES)
        self._file.close()

    def descriptor(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [c.descriptor() for c in self.columns],
            "primaryKey": [self.columns[0].name],
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": [column], "reference": {"resource": resource, "fields": ["id"]}}
                for column, resource in self.foreign_keys
            ]
        return {
            "name": self.name,
            "path": self.path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "description": self.description,
            "schema": schema,
        }


def cell(column: Column, value: Any) -> str:
    """``value`` as CSV text: empty for none, ISO dates, true/false, free text made safe for
    spreadsheets (control characters out, a leading ``'`` before a would-be formula)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if not isinstance(value, str):
        return str(value)
    if not value.isprintable():  # a fast test first: most cells have no control character
        value = strip_for_file(value)
    if column.writes == TEXT or (column.writes == PHONE and not _PHONE_RE.match(value)):
        return escape_formula(value)
    return value


def hsds_resource(
    table: str, used: dict[str, str], description: str, foreign_keys: Iterable[tuple[str, str]]
) -> Resource:
    """A resource for an HSDS table: the columns ``used`` (name -> how written), typed and
    constrained as the standard says (:data:`api.hsds_spec.HSDS_TABLES`)."""
    spec: HsdsTable = HSDS_TABLES[table]
    enums = dict(spec.enums)
    columns = []
    for name, writes in used.items():
        spec_field = spec.fields[name]
        columns.append(
            Column(
                name,
                spec_field.type,
                spec_field.format,
                required=name in spec.required or name in spec.tabular_required,
                unique=name in spec.unique,
                enum=enums.get(name, ()),
                writes=writes,
            )
        )
    return Resource(table, spec.path, description, columns, list(foreign_keys))


def extension_resource(
    name: str,
    columns: list[Column],
    description: str,
    foreign_keys: Iterable[tuple[str, str]] = (),
) -> Resource:
    """A resource for what HSDS cannot express (``x_<name>.csv``)."""
    name = f"{EXTENSION_PREFIX}{name}"
    return Resource(name, f"{name}.csv", description, columns, list(foreign_keys))


def _id(name: str = "id", required: bool = True, unique: bool = False) -> Column:
    return Column(name, "string", "uuid", required=required, unique=unique)


def _text(name: str, required: bool = False) -> Column:
    return Column(name, required=required, writes=TEXT)


def _code(name: str, required: bool = False, enum: Iterable[str] = ()) -> Column:
    return Column(name, required=required, enum=tuple(enum))


# -- the package ------------------------------------------------------------------------------


def empty_package() -> dict[str, Resource]:
    """Every resource of the package, in file order, with no rows yet."""
    svc, org = ("service_id", "service"), ("organization_id", "organization")
    resources = [
        hsds_resource(
            "organization",
            {
                "id": CODE,
                "name": TEXT,
                "alternate_name": TEXT,
                "description": TEXT,
                "email": CODE,
                "website": CODE,
            },
            "Partnerships (each one an organization) and the organizations that host them or "
            "sit on their councils.",
            [],
        ),
        hsds_resource(
            "service",
            {
                "id": CODE,
                "organization_id": CODE,
                "name": TEXT,
                "alternate_name": TEXT,
                "description": TEXT,
                "url": CODE,
                "email": CODE,
                "status": CODE,
                "assured_date": CODE,
                "last_modified": CODE,
            },
            "One service per partnership: its community planning work. assured_date is the "
            "date a coordinator last confirmed the record.",
            [org],
        ),
        hsds_resource(
            "service_area",
            {
                "id": CODE,
                "service_id": CODE,
                "name": TEXT,
                "description": TEXT,
                "extent": CODE,
                "extent_type": CODE,
                "uri": CODE,
            },
            "The communities each partnership serves, each a GeoJSON Point (longitude, "
            "latitude) with its GeoNames URI; a province-wide partnership also has its province "
            "as an area without extent. x_service_area says how each place is known.",
            [svc],
        ),
        hsds_resource(
            "location",
            {
                "id": CODE,
                "location_type": CODE,
                "organization_id": CODE,
                "name": TEXT,
                "description": TEXT,
                "latitude": CODE,
                "longitude": CODE,
            },
            "Where the directory's map places each partnership: its main served community "
            "(or its province's centre). An approximate point, not a street address.",
            [org],
        ),
        hsds_resource(
            "service_at_location",
            {"id": CODE, "service_id": CODE, "location_id": CODE},
            "Links each partnership's service to its location.",
            [svc, ("location_id", "location")],
        ),
        hsds_resource(
            "contact",
            {
                "id": CODE,
                "organization_id": CODE,
                "service_id": CODE,
                "name": TEXT,
                "title": TEXT,
                "department": TEXT,
                "email": CODE,
            },
            "Each partnership's published general channel (email, with its phone in phones; "
            "no person named), and council members who consented to publication of their name "
            "and contact details (and only they; department is the council they sit on).",
            [svc, org],
        ),
        hsds_resource(
            "phone",
            {
                "id": CODE,
                "service_id": CODE,
                "organization_id": CODE,
                "contact_id": CODE,
                "number": PHONE,
                "type": CODE,
                "description": TEXT,
            },
            "The partnership's published general line, and consented council members' phones.",
            [svc, org, ("contact_id", "contact")],
        ),
        hsds_resource(
            "language",
            {"id": CODE, "service_id": CODE, "name": CODE, "code": CODE, "note": TEXT},
            "Languages each partnership works in (ISO 639-1): francophone networks work in "
            "French; others as their record says.",
            [svc],
        ),
        hsds_resource(
            "url",
            {"id": CODE, "label": CODE, "url": CODE, "organization_id": CODE, "service_id": CODE},
            "Each partnership's website, public contact page and pages in the directory.",
            [svc, org],
        ),
        hsds_resource(
            "taxonomy",
            {"id": CODE, "name": TEXT, "description": TEXT},
            "The directory's classifications: kind, focus areas, sectors, record confidence.",
            [],
        ),
        hsds_resource(
            "taxonomy_term",
            {
                "id": CODE,
                "code": CODE,
                "name": TEXT,
                "description": TEXT,
                "taxonomy_id": CODE,
                "language": CODE,
            },
            "Terms of the directory's taxonomies, in English (French names: x_translation).",
            [("taxonomy_id", "taxonomy")],
        ),
        hsds_resource(
            "attribute",
            {
                "id": CODE,
                "link_id": CODE,
                "taxonomy_term_id": CODE,
                "link_entity": CODE,
                "label": TEXT,
            },
            "Links services (kind, focus areas, confidence) and organizations (sector) to "
            "taxonomy terms.",
            [("taxonomy_term_id", "taxonomy_term")],
        ),
        extension_resource(
            "partnership",
            [
                _id("service_id", unique=True),
                _code("slug", required=True),
                _code("kind", required=True, enum=Partnership.Kind.values),
                _code("province", required=True, enum=Province.values),
                Column("is_province_wide", "boolean", required=True),
                _code("status", required=True, enum=Partnership.Status.values),
                _text("acronym"),
                _code("host_type", enum=Partnership.HostType.values),
                _text("host_organization_text"),
                _text("communities_served_text"),
                _text("focus_areas_basis"),
                _code("confidence", required=True, enum=Partnership.Confidence.values),
                _text("verification_note"),
                Column("last_confirmed", "date"),
                Column("page_url", "string", "uri"),
                Column("page_url_fr", "string", "uri"),
            ],
            "The directory's own fields of each partnership (one row per service).",
            [svc],
        ),
        extension_resource(
            "partnership_host",
            [_id(), _id("service_id"), _id("organization_id")],
            "Host organizations of each partnership (who convenes it or holds its agreement).",
            [svc, org],
        ),
        extension_resource(
            "service_area",
            [
                _id("service_area_id", unique=True),
                _code(
                    "basis",
                    required=True,
                    enum=[*ServedCommunity.Basis.values, "province"],
                ),
                Column("geonames_id", "integer"),
            ],
            "How each served place is known: named by the partnership or its sources, or "
            "estimated (from a region's name, or by a rule); 'province' for a whole province.",
            [("service_area_id", "service_area")],
        ),
        extension_resource(
            "source",
            [
                _id(),
                _id("service_id"),
                _text("title", required=True),
                _text("publisher"),
                Column("year", "integer"),
                Column("url", "string", "uri"),
                _code("kind", enum=Source.Kind.values),
                _code("topic", enum=Source.Topic.values),
            ],
            "The public documents each partnership's record rests on.",
            [svc],
        ),
        extension_resource(
            "council",
            [
                _id(),
                _id("service_id"),
                _text("name", required=True),
                _code("kind", enum=Council.Kind.values),
                Column("seats", "integer"),
                _text("description"),
                Column("source_url", "string", "uri"),
                Column("is_sample", "boolean", required=True),
            ],
            "Each partnership's councils and committees. is_sample marks generated demo rows.",
            [svc],
        ),
        extension_resource(
            "council_membership",
            [
                _id(),
                _id("council_id"),
                _id("organization_id", required=False),
                _id("contact_id", required=False),
                _code("role", enum=Role.values),
                Column("voting", "boolean"),
                _id("sector_term_id", required=False),
                Column("term_start", "date"),
                Column("term_end", "date"),
                Column("is_sample", "boolean", required=True),
            ],
            "Current council seats: organization, sector, role, voting and term. The person is "
            "named (through contact_id) only where they consented to publication.",
            [
                ("council_id", "x_council"),
                org,
                ("contact_id", "contact"),
                ("sector_term_id", "taxonomy_term"),
            ],
        ),
        extension_resource(
            "working_group",
            [
                _id(),
                _id("service_id"),
                _text("name", required=True),
                _text("name_fr"),
                _id("focus_area_term_id", required=False),
                _code("status", enum=WorkingGroup.Status.values),
                _text("description"),
                _text("description_fr"),
                _text("how_to_join"),
                _text("how_to_join_fr"),
                _text("meeting_frequency"),
                _text("meeting_frequency_fr"),
                _id("lead_organization_id", required=False),
                Column("is_sample", "boolean", required=True),
            ],
            "Each partnership's working groups and how to join them.",
            [
                svc,
                ("focus_area_term_id", "taxonomy_term"),
                ("lead_organization_id", "organization"),
            ],
        ),
        extension_resource(
            "plan",
            [
                _id(),
                _id("service_id"),
                _text("title", required=True),
                _text("title_fr"),
                Column("start_year", "integer"),
                Column("end_year", "integer"),
                _code("status"),
                Column("document_url", "string", "uri"),
                Column("approved_on", "date"),
                Column("is_sample", "boolean", required=True),
            ],
            "Each partnership's current community plan (summary).",
            [svc],
        ),
        extension_resource(
            "translation",
            [
                _id(),
                _code("link_entity", required=True),
                _id("link_id"),
                _code("field", required=True),
                _code("language", required=True),
                _text("value", required=True),
            ],
            "French text of HSDS rows: the value of field of the row link_id of table "
            "link_entity, in language.",
            [],
        ),
    ]
    return {r.name: r for r in resources}


@dataclass
class Package:
    """The built package: its resources and the descriptor's own fields."""

    resources: dict[str, Resource]
    created: datetime.datetime
    homepage: str

    def descriptor(self) -> dict[str, Any]:
        return {
            "profile": "tabular-data-package",
            "name": "partnership-directory-hsds",
            "title": "Partnership Directory: Canada's immigration partnerships (Open Referral "
            f"HSDS {HSDS_VERSION})",
            "description": (
                "Local Immigration Partnerships, Zonal Immigration Partnerships and "
                "Francophone Immigration Networks as an Open Referral Human Services Data "
                f"Specification {HSDS_VERSION} tabular data package. Tables named x_* "
                "carry what HSDS cannot express (councils, memberships, working groups, "
                "plans, sources, French text). People are named only with their consent."
            ),
            "homepage": self.homepage,
            "created": self.created.isoformat(),
            "keywords": ["Open Referral", "HSDS", "immigration", "Canada"],
            "hsds": {"version": HSDS_VERSION, "schema": HSDS_SCHEMA_URL, "docs": HSDS_DOCS_URL},
            "sources": [
                {
                    "title": "GeoNames (geonames.org): place names and coordinates, CC BY 4.0",
                    "path": "https://www.geonames.org/",
                }
            ],
            "resources": [r.descriptor() for r in self.resources.values()],
        }

    def zip_bytes(self) -> bytes:
        """The zip, byte for byte the same for the same data (entries dated at ``created``).

        Call it once: each CSV file is released as it goes into the zip.
        """
        stamp = self.created.astimezone(datetime.UTC).timetuple()[:6]
        stamp = max(stamp, (1980, 1, 1, 0, 0, 0))

        def entry(name: str) -> zipfile.ZipInfo:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            return info

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            descriptor = json.dumps(self.descriptor(), ensure_ascii=False, indent=2)
            archive.writestr(entry("datapackage.json"), descriptor.encode("utf-8"))
            for resource in self.resources.values():
                with archive.open(entry(resource.path), "w") as out:
                    resource.copy_to(out)
        return buffer.getvalue()


# -- reading the directory --------------------------------------------------------------------


def public_partnerships() -> Any:
    """Every partnership as the public reads it, with what the package needs prefetched.

    Council members come through ``visible_to(None)``: the public pages' scope, so names and
    contact details are already blank where there is no consent.
    """
    memberships = (
        CouncilMembership.objects.visible_to(None)
        .current()
        .select_related("organization")
        .order_by("pk")
    )
    return (
        Partnership.objects.visible_to(None)
        .order_by("slug")
        .prefetch_related(
            Prefetch(
                "served",
                queryset=ServedCommunity.objects.select_related("community").order_by(
                    "community__name", "pk"
                ),
            ),
            Prefetch("sources", queryset=Source.objects.order_by("order", "pk")),
            Prefetch("focus_areas", queryset=FocusArea.objects.order_by("order", "name")),
            Prefetch(
                "host_organizations",
                queryset=Organization.objects.order_by("name", "pk"),
            ),
            Prefetch(
                "councils",
                queryset=Council.objects.visible_to(None)
                .order_by("kind", "name")
                .prefetch_related(Prefetch("memberships", queryset=memberships)),
            ),
            Prefetch(
                "working_groups",
                queryset=WorkingGroup.objects.visible_to(None)
                .select_related("lead_organization")
                .order_by("name"),
            ),
            Prefetch(
                "plans",
                queryset=CommunityPlan.objects.visible_to(None)
                .current()
                .order_by("-start_year", "-pk"),
                to_attr="current_plans",
            ),
        )
    )


def _french(label: Any) -> str:
    """A lazy label (a choice's label) in French."""
    with translation.override("fr"):
        return str(label)


class Builder:
    """Fills an :func:`empty_package` from the database (call :meth:`build`)."""

    def __init__(self, base_url: str = "") -> None:
        self.base_url = base_url.rstrip("/")
        self.r = empty_package()
        self.organizations: set[str] = set()
        self.terms: dict[tuple[str, str | None], str] = {}
        # Taxonomies by database id: rows name them by id, so no join is needed.
        self.sector_slugs: dict[int, str] = {}
        self.sector_names: dict[int, str] = {}
        self.focus_slugs: dict[int, str] = {}
        # Each partnership's pages, reversed once (reverse() per row is slow at scale).
        self.page_templates = {
            language: self.absolute(page_url(_SLUG, language)) for language in ("en", "fr")
        }

    def pages(self, slug: str) -> tuple[str, str]:
        """The partnership's public page in English and in French (absolute, or empty)."""
        return tuple(self.page_templates[lang].replace(_SLUG, slug) for lang in ("en", "fr"))

    # helpers
    def translate(self, entity: str, link_id: str, field_name: str, value: str) -> None:
        if value:
            self.r["x_translation"].add(
                id=hsds_id("translation", entity, link_id, field_name, "fr"),
                link_entity=entity,
                link_id=link_id,
                field=field_name,
                language="fr",
                value=value,
            )

    def taxonomy(self, code: str, name: str, description: str) -> str:
        taxonomy_id = hsds_id("taxonomy", code)
        self.r["taxonomy"].add(id=taxonomy_id, name=name, description=description)
        return taxonomy_id

    def term(
        self, taxonomy_code: str, taxonomy_id: str, code: str, name: str, name_fr: str, about: str
    ) -> str:
        term_id = hsds_id("taxonomy_term", taxonomy_code, code)
        self.r["taxonomy_term"].add(
            id=term_id,
            code=f"{taxonomy_code}:{code}",
            name=name,
            # HSDS requires a description: the term's name where nothing more is known.
            description=about or name,
            taxonomy_id=taxonomy_id,
            language="en",
        )
        self.translate("taxonomy_term", term_id, "name", name_fr)
        self.terms[(taxonomy_code, code)] = term_id
        return term_id

    def attribute(self, entity: str, link_id: str, taxonomy_code: str, code: str) -> None:
        term_id = self.terms.get((taxonomy_code, code))
        if term_id is None:
            return
        self.r["attribute"].add(
            id=hsds_id("attribute", entity, link_id, taxonomy_code, code),
            link_id=link_id,
            taxonomy_term_id=term_id,
            link_entity=entity,
            label=taxonomy_code.replace("_", " "),
        )

    def organization(self, org: Organization | None) -> str | None:
        """The id of a shared organization, added to organizations.csv on first sight."""
        if org is None:
            return None
        org_id = hsds_id("organization", org.province, org.name.lower())  # as the DB key
        if org_id in self.organizations:
            return org_id
        self.organizations.add(org_id)
        where = ", ".join(part for part in (org.city, org.province) if part)
        about = "; ".join(
            part for part in (self.sector_names.get(org.sector_id, ""), where) if part
        )
        self.r["organization"].add(
            id=org_id,
            name=org.name,
            alternate_name=org.name_fr,
            description=about or "Organization taking part in an immigration partnership.",
            website=org.website,
        )
        self.translate("organization", org_id, "name", org.name_fr)
        if org.sector_id:
            self.attribute("organization", org_id, "sector", self.sector_slugs[org.sector_id])
        return org_id

    def absolute(self, path: str) -> str:
        return f"{self.base_url}{path}" if self.base_url else ""

    # the build
    def build(self, revision: Revision | None = None) -> Package:
        """Read the directory (a constant number of queries) and fill every resource."""
        with translation.override("en"):
            revision = revision or current_revision()
            self.taxonomies()
            placed = {p.slug: p for p in place_partnerships(Partnership.objects.all())}
            ids = list(
                Partnership.objects.visible_to(None).order_by("slug").values_list("pk", flat=True)
            )
            for start in range(0, len(ids), CHUNK):
                for partnership in public_partnerships().filter(pk__in=ids[start : start + CHUNK]):
                    self.partnership(partnership, placed.get(partnership.slug))
        return Package(self.r, revision.changed_at, self.absolute("/"))

    def taxonomies(self) -> None:
        kinds = self.taxonomy(
            "kind",
            "Partnership kind",
            "LIP, ZIP or RIF: the three kinds of immigration partnership in Canada.",
        )
        for kind in Partnership.Kind:
            self.term("kind", kinds, kind.value, str(kind.label), _french(kind.label), "")
        focus = self.taxonomy(
            "focus_area", "Focus areas", "Themes a partnership works on (its plan's priorities)."
        )
        for area in FocusArea.objects.order_by("order", "name"):
            self.term("focus_area", focus, area.slug, area.name, area.name_fr, "")
            self.focus_slugs[area.pk] = area.slug
        sectors = self.taxonomy(
            "sector",
            "Sectors",
            "Sectors an organization or a council seat represents; some are recommended by "
            "IRCC for a partnership's council.",
        )
        for sector in Sector.objects.order_by("order", "name"):
            about = "Recommended by IRCC for a council." if sector.recommended else ""
            self.term("sector", sectors, sector.slug, sector.name, sector.name_fr, about)
            self.sector_slugs[sector.pk], self.sector_names[sector.pk] = sector.slug, sector.name
        confidence = self.taxonomy(
            "confidence",
            "Record confidence",
            "How well the directory's public sources support a partnership's record.",
        )
        for level in Partnership.Confidence:
            self.term(
                "confidence",
                confidence,
                level.value,
                str(level.label),
                _french(level.label),
                "",
            )

    def partnership(self, p: Partnership, place: Any) -> None:
        org_id = hsds_id("organization", "partnership", p.slug)
        service_id = hsds_id("service", p.slug)
        kind_label = p.get_kind_display()
        fallback = f"{kind_label}, {p.get_province_display()}."
        self.organizations.add(org_id)
        self.r["organization"].add(
            id=org_id,
            name=p.name,
            alternate_name=p.name_fr or p.acronym,
            description=p.description or fallback,
            email=p.email,
            website=p.website,
        )
        self.translate("organization", org_id, "name", p.name_fr)
        self.translate("organization", org_id, "description", p.description_fr)
        active = p.status == Partnership.Status.ACTIVE
        self.r["service"].add(
            id=service_id,
            organization_id=org_id,
            name=p.name,
            alternate_name=p.name_fr or p.acronym,
            description=p.description or fallback,
            url=p.website,
            email=p.email,
            status="active" if active else "inactive",
            assured_date=p.last_confirmed,
            last_modified=p.updated_at,
        )
        self.translate("service", service_id, "name", p.name_fr)
        self.translate("service", service_id, "description", p.description_fr)
        self.attribute("service", service_id, "kind", p.kind)
        self.attribute("service", service_id, "confidence", p.confidence)
        for area in p.focus_areas.all():
            self.attribute("service", service_id, "focus_area", area.slug)
        self.extras(p, service_id)
        self.areas(p, service_id)
        self.location(p, org_id, service_id, place)
        self.channels(p, org_id, service_id)
        for host in p.host_organizations.all():
            host_id = self.organization(host)
            self.r["x_partnership_host"].add(
                id=hsds_id("partnership_host", p.slug, host_id),
                service_id=service_id,
                organization_id=host_id,
            )
        for source in p.sources.all():
            self.r["x_source"].add(
                id=hsds_id("source", p.slug, source.pk),
                service_id=service_id,
                title=source.title,
                publisher=source.publisher,
                year=source.year,
                url=source.url,
                kind=source.kind,
                topic=source.topic,
            )
        self.councils(p, service_id)
        self.working_groups(p, service_id)
        for plan in p.current_plans[:1]:
            self.r["x_plan"].add(
                id=hsds_id("plan", p.slug, plan.pk),
                service_id=service_id,
                title=plan.title,
                title_fr=plan.title_fr,
                start_year=plan.start_year,
                end_year=plan.end_year,
                status=plan.status,
                document_url=plan.document_url,
                approved_on=plan.approved_on,
                is_sample=plan.is_sample,
            )

    def extras(self, p: Partnership, service_id: str) -> None:
        page, page_fr = self.pages(p.slug)
        self.r["x_partnership"].add(
            service_id=service_id,
            slug=p.slug,
            kind=p.kind,
            province=p.province,
            is_province_wide=p.is_province_wide,
            status=p.status,
            acronym=p.acronym,
            host_type=p.host_type,
            host_organization_text=p.host_organization,
            communities_served_text=p.communities_served_text,
            focus_areas_basis=p.focus_areas_basis,
            confidence=p.confidence,
            verification_note=p.verification_note,
            last_confirmed=p.last_confirmed,
            page_url=page,
            page_url_fr=page_fr,
        )

    def areas(self, p: Partnership, service_id: str) -> None:
        if p.is_province_wide:
            area_id = hsds_id("service_area", p.slug, "province", p.province)
            self.r["service_area"].add(
                id=area_id,
                service_id=service_id,
                name=p.get_province_display(),
                description="The whole province.",
            )
            self.r["x_service_area"].add(service_area_id=area_id, basis="province")
        for served in p.served.all():
            community = served.community
            # Without a GeoNames id, a place is its name, province and point (two "Richmond").
            c = community
            key = c.geonames_id or f"{c.name}|{c.province}|{c.latitude}|{c.longitude}"
            area_id = hsds_id("service_area", p.slug, key)
            point = {
                "type": "Point",
                "coordinates": [float(community.longitude), float(community.latitude)],
            }
            uri = f"https://sws.geonames.org/{community.geonames_id}/"
            self.r["service_area"].add(
                id=area_id,
                service_id=service_id,
                name=f"{community.name}, {community.province}",
                description=f"Served community, {served.get_basis_display()}.",
                extent=json.dumps(point),
                extent_type="geojson",
                uri=uri if community.geonames_id else "",
            )
            self.r["x_service_area"].add(
                service_area_id=area_id, basis=served.basis, geonames_id=community.geonames_id
            )

    def location(self, p: Partnership, org_id: str, service_id: str, place: Any) -> None:
        if place is None:
            return
        location_id = hsds_id("location", p.slug)
        if place.place:
            about = "The partnership's main community served (approximate, not an address)."
        else:
            about = "The centre of the province the partnership covers (not an address)."
        self.r["location"].add(
            id=location_id,
            location_type="physical",
            organization_id=org_id,
            name=place.place or p.get_province_display(),
            description=about,
            latitude=place.latitude,
            longitude=place.longitude,
        )
        self.r["service_at_location"].add(
            id=hsds_id("service_at_location", p.slug),
            service_id=service_id,
            location_id=location_id,
        )

    def channels(self, p: Partnership, org_id: str, service_id: str) -> None:
        """The partnership's published channels: phone, website, contact page, languages."""
        general = None
        if p.email or p.phone:  # the partnership's own channel: no person is named
            general = hsds_id("contact", p.slug, "general")
            self.r["contact"].add(
                id=general, organization_id=org_id, service_id=service_id, email=p.email
            )
        if p.phone:
            self.r["phone"].add(
                id=hsds_id("phone", p.slug),
                service_id=service_id,
                organization_id=org_id,
                contact_id=general,
                number=p.phone,
                type="voice",
                description="The partnership's published general line.",
            )
        page, page_fr = self.pages(p.slug)
        links = [
            ("website", "Website", p.website),
            ("contact", "Contact page", p.contact_url),
            ("page", "Partnership Directory page", page),
            ("page_fr", "Partnership Directory page (French)", page_fr),
        ]
        for code, label, url in links:
            if url:
                self.r["url"].add(
                    id=hsds_id("url", p.slug, code),
                    label=label,
                    url=url,
                    organization_id=org_id,
                    service_id=service_id,
                )
        codes = []
        if p.languages in (Partnership.Languages.ENGLISH, Partnership.Languages.BILINGUAL):
            codes.append(("en", "English", ""))
        if p.languages in (Partnership.Languages.FRENCH, Partnership.Languages.BILINGUAL):
            codes.append(("fr", "French", ""))
        elif p.kind == Partnership.Kind.RIF:
            codes.append(("fr", "French", "A francophone immigration network."))
        for code, name, note in codes:
            self.r["language"].add(
                id=hsds_id("language", p.slug, code),
                service_id=service_id,
                name=name,
                code=code,
                note=note,
            )

    def councils(self, p: Partnership, service_id: str) -> None:
        for council in p.councils.all():
            council_id = hsds_id("council", p.slug, council.name)
            self.r["x_council"].add(
                id=council_id,
                service_id=service_id,
                name=council.name,
                kind=council.kind,
                seats=council.seats,
                description=council.description,
                source_url=council.source,
                is_sample=council.is_sample,
            )
            for member in council.memberships.all():
                self.membership(p, council, council_id, service_id, member)

    def membership(
        self,
        p: Partnership,
        council: Council,
        council_id: str,
        service_id: str,
        member: CouncilMembership,
    ) -> None:
        org_id = self.organization(member.organization)
        contact_id = None
        # Blank unless the member consented: visible_to(None) masked the row already.
        withheld = getattr(member, "contacts_withheld", False)
        if not withheld and (member.person_name or member.email or member.phone):
            contact_id = hsds_id("contact", p.slug, "membership", member.pk)
            self.r["contact"].add(
                id=contact_id,
                organization_id=org_id,
                service_id=service_id,
                name=member.person_name,
                title=member.title,
                department=council.name,
                email=member.email,
            )
            if member.phone:
                self.r["phone"].add(
                    id=hsds_id("phone", p.slug, "membership", member.pk),
                    contact_id=contact_id,
                    number=member.phone,
                    type="voice",
                )
        sector_id = None
        if member.sector_id:
            sector_id = self.terms.get(("sector", self.sector_slugs.get(member.sector_id)))
        self.r["x_council_membership"].add(
            id=hsds_id("council_membership", p.slug, member.pk),
            council_id=council_id,
            organization_id=org_id,
            contact_id=contact_id,
            role=member.role,
            voting=member.voting,
            sector_term_id=sector_id,
            term_start=member.term_start,
            term_end=member.term_end,
            is_sample=member.is_sample,
        )

    def working_groups(self, p: Partnership, service_id: str) -> None:
        for group in p.working_groups.all():
            focus_id = None
            if group.focus_area_id:
                focus_id = self.terms.get(("focus_area", self.focus_slugs.get(group.focus_area_id)))
            self.r["x_working_group"].add(
                id=hsds_id("working_group", p.slug, group.name),
                service_id=service_id,
                name=group.name,
                name_fr=group.name_fr,
                focus_area_term_id=focus_id,
                status=group.status,
                description=group.description,
                description_fr=group.description_fr,
                how_to_join=group.how_to_join,
                how_to_join_fr=group.how_to_join_fr,
                meeting_frequency=group.meeting_frequency,
                meeting_frequency_fr=group.meeting_frequency_fr,
                lead_organization_id=self.organization(group.lead_organization),
                is_sample=group.is_sample,
            )


def build_package(base_url: str = "", revision: Revision | None = None) -> Package:
    """The package as it stands now (``base_url`` makes the page links absolute)."""
    return Builder(base_url).build(revision)


def package_zip(base_url: str = "", revision: Revision | None = None) -> bytes:
    """The zip for the current data revision, built once per revision and base URL.

    One cache entry per base URL holds the newest package with its revision number, so a
    day of edits replaces the package rather than piling up one per revision.
    """
    revision = revision or current_revision()
    key = f"api:hsds-zip:{base_url}"
    cached = cache.get(key)
    if cached is not None and cached[0] == revision.number:
        return cached[1]
    data = build_package(base_url, revision).zip_bytes()
    cache.set(key, (revision.number, data), CACHE_SECONDS)
    return data

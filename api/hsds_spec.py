"""The Open Referral HSDS tables and fields the directory's package relies on.

Source: Human Services Data Specification (HSDS) 3.1, tabular data package form, as published
by Open Referral: the per-table schema files ``schema/<table>.json`` of
https://github.com/openreferral/specification (read on the 3.x branches, whose files for these
tables carry the same names; ``url`` is the table 3.1 added) and the reference at
https://docs.openreferral.org/en/latest/hsds/schema_reference.html.

The field names, types, formats, file names and required fields below are facts of the
standard, written out here by hand (not copied files) for the tables the package uses. Array
and object fields of the JSON form (``phones``, ``service_areas``...) have no column in the
tabular form and are left out. The builder (:mod:`api.hsds`) declares which of these columns it
fills; a test checks that every column it writes is one of these, with the same type.
"""

from __future__ import annotations

from dataclasses import dataclass

HSDS_VERSION = "3.1"
HSDS_SCHEMA_URL = "https://github.com/openreferral/specification/tree/3.1/schema"
HSDS_DOCS_URL = "https://docs.openreferral.org/en/latest/hsds/schema_reference.html"

STRING, NUMBER = "string", "number"
UUID, EMAIL, URI = "uuid", "email", "uri"


@dataclass(frozen=True)
class HsdsField:
    """One tabular column of an HSDS table: its type and, for strings, its format."""

    type: str = STRING
    format: str = ""


@dataclass(frozen=True)
class HsdsTable:
    """One HSDS table: the CSV file name the standard gives it and its columns."""

    path: str
    fields: dict[str, HsdsField]
    #: Required in every form of HSDS.
    required: tuple[str, ...] = ("id",)
    #: Required in the tabular form only (the link a nested JSON object carries implicitly).
    tabular_required: tuple[str, ...] = ()
    enums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Columns whose values are unique in the table.
    unique: tuple[str, ...] = ("id",)


def _f(type_: str = STRING, format_: str = "") -> HsdsField:
    return HsdsField(type_, format_)


_ID = _f(STRING, UUID)
_TEXT = _f()

HSDS_TABLES: dict[str, HsdsTable] = {
    "organization": HsdsTable(
        path="organizations.csv",
        fields={
            "id": _ID,
            "name": _TEXT,
            "alternate_name": _TEXT,
            "description": _TEXT,
            "email": _f(STRING, EMAIL),
            "website": _f(STRING, URI),
            "tax_status": _TEXT,
            "tax_id": _TEXT,
            "year_incorporated": _f(NUMBER),
            "legal_status": _TEXT,
            "logo": _TEXT,
            "uri": _f(STRING, URI),
            "parent_organization_id": _ID,
        },
        required=("id", "name", "description"),
    ),
    "service": HsdsTable(
        path="services.csv",
        fields={
            "id": _ID,
            "organization_id": _ID,
            "program_id": _ID,
            "name": _TEXT,
            "alternate_name": _TEXT,
            "description": _TEXT,
            "url": _f(STRING, URI),
            "email": _f(STRING, EMAIL),
            "status": _TEXT,
            "interpretation_services": _TEXT,
            "application_process": _TEXT,
            "fees_description": _TEXT,
            "wait_time": _TEXT,
            "fees": _TEXT,
            "accreditations": _TEXT,
            "eligibility_description": _TEXT,
            "minimum_age": _f(NUMBER),
            "maximum_age": _f(NUMBER),
            "assured_date": _TEXT,
            "assurer_email": _f(STRING, EMAIL),
            "licenses": _TEXT,
            "alert": _TEXT,
            # "date-time" in the standard; a string in ISO 8601 here (frictionless knows no
            # date-time format for strings).
            "last_modified": _TEXT,
        },
        required=("id", "name", "status"),
        tabular_required=("organization_id",),
        enums=(("status", ("active", "inactive", "defunct", "temporarily closed")),),
    ),
    "service_area": HsdsTable(
        path="service_areas.csv",
        fields={
            "id": _ID,
            "service_id": _ID,
            "service_at_location_id": _ID,
            "name": _TEXT,
            "description": _TEXT,
            "extent": _TEXT,
            "extent_type": _TEXT,
            "uri": _TEXT,
        },
    ),
    "location": HsdsTable(
        path="locations.csv",
        fields={
            "id": _ID,
            "location_type": _TEXT,
            "url": _f(STRING, URI),
            "organization_id": _ID,
            "name": _TEXT,
            "alternate_name": _TEXT,
            "description": _TEXT,
            "transportation": _TEXT,
            "latitude": _f(NUMBER),
            "longitude": _f(NUMBER),
            "external_identifier": _TEXT,
            "external_identifier_type": _TEXT,
        },
        required=("id", "location_type"),
        enums=(("location_type", ("physical", "postal", "virtual")),),
    ),
    "service_at_location": HsdsTable(
        path="service_at_location.csv",
        fields={"id": _ID, "service_id": _ID, "location_id": _ID, "description": _TEXT},
        tabular_required=("service_id", "location_id"),
    ),
    "phone": HsdsTable(
        path="phones.csv",
        fields={
            "id": _ID,
            "location_id": _ID,
            "service_id": _ID,
            "organization_id": _ID,
            "contact_id": _ID,
            "service_at_location_id": _ID,
            "number": _TEXT,
            "extension": _f(NUMBER),
            "type": _TEXT,
            "description": _TEXT,
        },
        required=("id", "number"),
    ),
    "contact": HsdsTable(
        path="contacts.csv",
        fields={
            "id": _ID,
            "organization_id": _ID,
            "service_id": _ID,
            "service_at_location_id": _ID,
            "location_id": _ID,
            "name": _TEXT,
            "title": _TEXT,
            "department": _TEXT,
            "email": _f(STRING, EMAIL),
        },
    ),
    "language": HsdsTable(
        path="languages.csv",
        fields={
            "id": _ID,
            "service_id": _ID,
            "location_id": _ID,
            "phone_id": _ID,
            "name": _TEXT,
            "code": _TEXT,
            "note": _TEXT,
        },
    ),
    "url": HsdsTable(
        path="url.csv",
        fields={
            "id": _ID,
            "label": _TEXT,
            "url": _f(STRING, URI),
            "organization_id": _ID,
            "service_id": _ID,
        },
        required=("id", "url"),
    ),
    "attribute": HsdsTable(
        path="attributes.csv",
        fields={
            "id": _ID,
            "link_id": _ID,
            "taxonomy_term_id": _ID,
            "link_type": _TEXT,
            "link_entity": _TEXT,
            "value": _TEXT,
            "label": _TEXT,
        },
        tabular_required=("link_id", "taxonomy_term_id", "link_entity"),
    ),
    "taxonomy": HsdsTable(
        path="taxonomies.csv",
        fields={
            "id": _ID,
            "name": _TEXT,
            "description": _TEXT,
            "uri": _f(STRING, URI),
            "version": _TEXT,
        },
        required=("id", "name", "description"),
    ),
    "taxonomy_term": HsdsTable(
        path="taxonomy_terms.csv",
        fields={
            "id": _ID,
            "code": _TEXT,
            "name": _TEXT,
            "description": _TEXT,
            "parent_id": _ID,
            "taxonomy": _TEXT,
            "language": _TEXT,
            "taxonomy_id": _ID,
            "term_uri": _f(STRING, URI),
        },
        required=("id", "name", "description"),
        unique=("id", "code"),
    ),
}

#: Tables of the package that are not HSDS: what the standard cannot express. Their names
#: start with this prefix so that no HSDS tool mistakes them for HSDS tables.
EXTENSION_PREFIX = "x_"

"""Council roster import and export (django-import-export).

**The file.** One row per council member, columns :data:`ROSTER_COLUMNS`: readable headers
and values in the reader's language (role and sector names, yes/no), the partnership's name,
kind and province so that it pivots, real dates and numbers in XLSX. It is written by
:mod:`funders.files` like every other file people open (CSV with a BOM, streamed; formulae
escaped; control characters dropped); a person's name, email and phone appear only with their
consent, except in the coordinator's own partnerships.

**Reading it back.** A header is recognized by its code (``person_name``), or its English or
French label, in any case and with or without accents; so is a value (``co_chair``,
``Co-chair``, ``Coprésidence``; ``yes``, ``oui``; a sector's code or either name). An exported
file therefore imports back unchanged, in either language. Columns that only describe
(kind, province, consent date) are ignored.

**Import rules.** A row names a council by partnership (code or name) and council name; only
councils of the importing coordinator's own partnerships are accepted, and an ``id`` must be
a member of one of them. Each row's problems are reported together on that row, in words,
with the allowed values when a value is unknown. A row that changes nothing is skipped: no
write, no history record, no log entry. Any row error means nothing is written. The roster
rules (:mod:`partnerships.rosters`) apply to every row against the roster as the file leaves
it. Lookups of partnerships, councils, organizations, sectors and current rosters are loaded
once per file (only the partnerships the file names: a site admin may edit 10,000), so a row
costs only its own INSERT/UPDATE; the history records, one per written row with the importing
user, are written in bulk at the end (see ``import_data`` for what happens when the database
refuses a row). Every text cell is read through :func:`unescape_formula` and
:func:`partnerships.text.clean_text`; a value longer than its field is a row error, never cut.
"""

from __future__ import annotations

import copy
import datetime
import functools
import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources
from import_export.results import RowResult

from funders.exports import PARTNERSHIP_COLUMNS, partnership_cells
from funders.files import BOOLEAN, DATE, INTEGER, Column, text_cell

from .models import Council, CouncilMembership, Organization, Partnership, Role, Sector
from .rosters import (
    Seat,
    duplicate_error_message,
    integrity_message,
    membership_errors,
    seat_errors,
)
from .scoping import scope_rows
from .text import clean_text, escape_formula, starts_like_formula, strip_for_file

logger = logging.getLogger("partnerships.import")
#: History records written per INSERT (SQLite's limit on an INSERT's parameters is the bound).
HISTORY_BATCH = 500

#: The roster file's columns, in order: a stable code, the header people read, how it is
#: written. The partnership columns are the funder exports' own.
ROSTER_COLUMNS: list[Column] = [
    Column("id", gettext_lazy("Member ID"), INTEGER),
    *PARTNERSHIP_COLUMNS,
    Column("council", gettext_lazy("Council")),
    Column("organization", gettext_lazy("Organization")),
    Column("person_name", gettext_lazy("Person")),
    Column("title", gettext_lazy("Title")),
    Column("email", gettext_lazy("Email")),
    Column("phone", gettext_lazy("Phone")),
    Column("role", gettext_lazy("Role")),
    Column("voting", gettext_lazy("Voting"), BOOLEAN),
    Column("sector", gettext_lazy("Sector")),
    Column("term_start", gettext_lazy("Term start"), DATE),
    Column("term_end", gettext_lazy("Term end"), DATE),
    Column("left_on", gettext_lazy("Left on"), DATE),
    Column("publish_consent", gettext_lazy("Consents to publish"), BOOLEAN),
    Column("consent_date", gettext_lazy("Consent recorded on"), DATE),
]
COLUMNS_BY_CODE = {column.code: column for column in ROSTER_COLUMNS}
#: Columns the importer reads (the others only describe the row).
IMPORTED = (
    "id", "partnership", "partnership_slug", "council", "organization", "person_name",
    "title", "email", "phone", "role", "voting", "sector", "term_start", "term_end", "left_on",
    "publish_consent",
)  # fmt: skip
#: Other names a header may have: the funder roster export's and the first importer's.
HEADER_ALIASES = {
    "person": "person_name",
    "member_id": "id",
    "role_code": "role",
    "sector_code": "sector",
}
#: What a row changes, in the order the preview lists it.
TRACKED = (
    "council", "organization", "person_name", "title", "email", "phone", "role", "voting",
    "sector", "term_start", "term_end", "left_on", "publish_consent",
)  # fmt: skip
#: Shown in their own preview columns, so not repeated in a new row's list of values.
NAMING = ("council", "organization", "person_name", "role")

TRUE_WORDS = {"1", "true", "yes", "y", "oui", "o", "x", "vrai"}
FALSE_WORDS = {"0", "false", "no", "n", "non", "faux"}
LANGUAGES = ("en", "fr")
#: Columns stored as typed, with the field that sets their length limit.
STORED_TEXT = {
    "organization": (Organization, "name"),
    "person_name": (CouncilMembership, "person_name"),
    "title": (CouncilMembership, "title"),
    "email": (CouncilMembership, "email"),
    "phone": (CouncilMembership, "phone"),
}


def key(value: Any) -> str:
    """How a header or a value is compared: case, accents, spaces and punctuation ignored
    (``"Co-chair"``, ``"co_chair"`` and ``"CO CHAIR"`` are one key; so are "Réseau" and
    "reseau")."""
    return _key(_text(value))


#: Runs of characters that are not letters or digits (``\w`` is ``str.isalnum()`` plus ``_``).
_NOT_ALNUM = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=16384)
def _key(text: str) -> str:
    # Remembered: a file repeats its partnerships, councils, roles and yes/no thousands of
    # times; and a site admin's import keys the names of every partnership once.
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return "_".join(part for part in _NOT_ALNUM.split(text.casefold()) if part)


def in_each_language(func: Any) -> list[Any]:
    """``func()`` evaluated in English and in French."""
    found = []
    for language in LANGUAGES:
        with translation.override(language):
            found.append(func())
    return found


def header_codes() -> dict[str, str]:
    """Every accepted header (by :func:`key`) -> its column code."""
    codes: dict[str, str] = {}
    for column in ROSTER_COLUMNS:
        codes[key(column.code)] = column.code
        for label in in_each_language(lambda c=column: str(c.label)):
            codes.setdefault(key(label), column.code)
    for alias, code in HEADER_ALIASES.items():
        codes.setdefault(alias, code)
    return codes


def role_codes() -> dict[str, str]:
    """Every accepted role word (by :func:`key`) -> the role's code."""
    codes = {key(role.value): role.value for role in Role}
    for labels in in_each_language(lambda: [(str(r.label), r.value) for r in Role]):
        for label, value in labels:
            codes.setdefault(key(label), value)
    return codes


def bool_words() -> dict[str, bool]:
    """Every accepted yes/no word (by :func:`key`) -> its value."""
    words = {key(w): True for w in TRUE_WORDS} | {key(w): False for w in FALSE_WORDS}
    for yes, no in in_each_language(lambda: (_("yes"), _("no"))):
        words.setdefault(key(yes), True)
        words.setdefault(key(no), False)
    return words


def unescape_formula(value: Any) -> Any:
    """Undo :func:`escape_formula`: drop the ``'`` it put before ``=+-@``, tab or CR.

    An exported phone ``'+1 403 555 0100`` or title ``'-Lead`` re-imports as it was stored.
    """
    if isinstance(value, str) and value.startswith("'") and starts_like_formula(value[1:]):
        return value[1:]
    return value


def escape_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of ``dataset`` safe to open: control characters dropped, formulae escaped."""
    escaped = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        escaped.append([escape_formula(strip_for_file(cell)) for cell in row])
    return escaped


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _label(code: str) -> str:
    """A column's header in the active language (the code for an unknown column)."""
    column = COLUMNS_BY_CODE.get(code)
    return str(column.label) if column is not None else code


def _list(values: Iterable[str]) -> str:
    return "; ".join(values)


def _conflict_message() -> str:
    return _(
        "This row could not be saved: it conflicts with a change saved at the "
        "same time. Check the roster and upload the file again."
    )


def length_error(column: str, value: str) -> str | None:
    """The row error for a value longer than its field (values are never cut)."""
    model, name = STORED_TEXT[column]
    limit = model._meta.get_field(name).max_length
    if limit is None or len(value) <= limit:
        return None
    return _("“%(column)s” has %(length)d characters; the limit is %(limit)d.") % {
        "column": _label(column),
        "length": len(value),
        "limit": limit,
    }


def parse_date(value: Any) -> datetime.date | None:
    """A date from an Excel cell (date/datetime) or ISO text; ``ValueError`` otherwise."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    if " " in text:  # "2025-01-31 00:00:00" from some spreadsheets
        text = text.split(" ", 1)[0]
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": text}
        ) from None


def parse_bool(value: Any, default: bool, words: dict[str, bool] | None = None) -> bool:
    """Yes or no in either language (or 1/0, true/false); ``ValueError`` otherwise."""
    if isinstance(value, bool):
        return value
    text = _text(value)
    if not text:
        return default
    found = (words if words is not None else bool_words()).get(key(text))
    if found is None:
        raise ValueError(
            _("“%(value)s” is not yes or no: write %(yes)s or %(no)s.")
            % {"value": text, "yes": _("yes"), "no": _("no")}
        )
    return found


def parse_role(value: Any, codes: dict[str, str] | None = None) -> str:
    """A role's code from its code or its label in either language; ``ValueError`` otherwise."""
    text = _text(value)
    if not text:
        return Role.MEMBER
    found = (codes if codes is not None else role_codes()).get(key(text))
    if found is None:
        raise ValueError(
            _("Unknown role “%(value)s”: use one of %(roles)s.")
            % {"value": text, "roles": _list(str(r.label) for r in Role)}
        )
    return found


class RosterIndex:
    """A council's current seats, indexed so that checking a row reads only the seats the
    roster rules compare it with (the same person for the same organization; chairs and
    co-chairs): a file of n rows costs n look-ups, not n² comparisons. The rules themselves
    stay in :func:`partnerships.rosters.seat_errors`."""

    def __init__(self) -> None:
        self.seats: dict[int | None, Seat] = {}
        self.by_identity: dict[Any, set[int | None]] = defaultdict(set)
        self.leaders: set[int | None] = set()

    def add(self, seat: Seat) -> None:
        self.seats[seat.pk] = seat
        if seat.identity is not None:
            self.by_identity[seat.identity].add(seat.pk)
        if seat.role in (Role.CHAIR, Role.CO_CHAIR):
            self.leaders.add(seat.pk)

    def remove(self, pk: int) -> None:
        seat = self.seats.pop(pk, None)
        if seat is None:
            return
        if seat.identity is not None:
            self.by_identity[seat.identity].discard(pk)
        self.leaders.discard(pk)

    def compared_with(self, seat: Seat) -> list[Seat]:
        """The seats the rules compare ``seat`` with."""
        pks = set(self.leaders)
        if seat.identity is not None:
            pks |= self.by_identity.get(seat.identity, set())
        return [self.seats[pk] for pk in pks]


@dataclass
class RowPreview:
    """What the preview says of one row: whom it names and what it changes, in words."""

    number: int
    action: str = ""
    council: str = ""
    person: str = ""
    organization: str = ""
    role: str = ""
    new_organization: bool = False
    #: (label, before, after); ``before`` is empty for a new member.
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    #: (label, message); the label is empty for a problem of the whole row.
    errors: list[tuple[str, str]] = field(default_factory=list)


class CouncilMembershipResource(resources.ModelResource):
    """One row per council member (columns: :data:`ROSTER_COLUMNS`)."""

    id = fields.Field(attribute="id", column_name="id")
    partnership = fields.Field(column_name="partnership")
    partnership_slug = fields.Field(column_name="partnership_slug")
    council = fields.Field(column_name="council")
    organization = fields.Field(column_name="organization")
    person_name = fields.Field(column_name="person_name")
    title = fields.Field(column_name="title")
    email = fields.Field(column_name="email")
    phone = fields.Field(column_name="phone")
    role = fields.Field(column_name="role")
    voting = fields.Field(column_name="voting")
    sector = fields.Field(column_name="sector")
    term_start = fields.Field(column_name="term_start")
    term_end = fields.Field(column_name="term_end")
    left_on = fields.Field(column_name="left_on")
    publish_consent = fields.Field(column_name="publish_consent")

    class Meta:
        model = CouncilMembership
        fields = IMPORTED
        import_id_fields = ("id",)
        use_transactions = True
        clean_model_instances = False  # the rules are checked row by row in import_instance
        # Unchanged rows are skipped (skip_row compares what the row would store); the
        # preview describes each row itself (RowPreview), so the library's diff is not built.
        skip_unchanged = True
        report_skipped = True
        skip_diff = True
        # Set only to drop the library's savepoint around every row: save_instance below
        # still writes each row at once, in a savepoint of its own that covers all the row
        # writes (so one savepoint a row, not two). Nothing is left to the library's bulk
        # calls, whose lists stay empty.
        use_bulk = True

    #: How rows are written (see import_data): carefully, each in a savepoint of its own;
    #: or fast, until the database refuses one.
    _careful = True
    _refused = False

    def __init__(self, user: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user

    # -- export -----------------------------------------------------------------------
    def get_queryset(self) -> Any:
        """What the user may read, with contacts masked by the one rule (partnerships.scoping)."""
        if self.user is None:
            return CouncilMembership.objects.none()
        return CouncilMembership.objects.visible_to(self.user)

    def file_queryset(self, queryset: Any = None) -> Any:
        """``queryset`` (or all the user may read), scoped again whoever calls, in file order."""
        if queryset is None:
            queryset = self.get_queryset()
        elif self.user is not None:
            queryset = scope_rows(queryset, self.user)
        else:
            queryset = queryset.none()
        return queryset.select_related("council__partnership", "organization", "sector").order_by(
            "council__partnership__name",
            "council__name",
            F("left_on").asc(nulls_first=True),
            "role",
            "organization__name",
            "person_name",
            "pk",
        )

    def file_rows(self, queryset: Any = None) -> Iterator[list[Any]]:
        """The cells of :data:`ROSTER_COLUMNS`, one list per member, streamed in chunks."""
        roles = dict(Role.choices)
        for m in self.file_queryset(queryset).iterator(chunk_size=2000):
            yield [
                m.pk,
                *partnership_cells(m.council.partnership),
                m.council.name,
                m.organization.name if m.organization_id else "",
                m.person_name,
                m.title,
                m.email,
                m.phone,
                str(roles.get(m.role, m.role)),
                m.voting,
                m.sector.display_name if m.sector_id else "",
                m.term_start,
                m.term_end,
                m.left_on,
                m.publish_consent,
                m.consent_date,
            ]

    def export(self, queryset: Any = None, **kwargs: Any) -> tablib.Dataset:
        """The roster file as a dataset (labels as headers, text cells made safe)."""
        dataset = tablib.Dataset(headers=[str(c.label) for c in ROSTER_COLUMNS])
        yes, no = _("yes"), _("no")
        for row in self.file_rows(queryset):
            dataset.append(
                [
                    (yes if cell else no) if isinstance(cell, bool) else text_cell(cell)
                    for cell in row
                ]
            )
        return dataset

    # -- import: headers, then lookups loaded once per file -----------------------------
    def import_data(
        self,
        dataset: tablib.Dataset,
        dry_run: bool = False,
        raise_errors: bool = False,
        use_transactions: bool | None = None,
        collect_failed_rows: bool = False,
        rollback_on_validation_errors: bool = True,
        **kwargs: Any,
    ) -> Any:
        """Any row error means nothing is written, whoever calls: the library commits the valid
        rows of a file with invalid ones unless told otherwise (it has no Meta option for it),
        so ``rollback_on_validation_errors`` is always on.

        The file is first written at full speed, a row costing its INSERT alone. The rules
        are checked in Python before each write, so the database refuses a row only when
        someone else saved a conflicting one meanwhile; then, as the transaction (on
        PostgreSQL) cannot go on, everything is rolled back and the file is imported again
        *carefully*: each row in a savepoint of its own, so that the refusal becomes that
        row's error in the rules' words and the other rows are still checked.
        """

        def run(careful: bool) -> Any:
            self._careful, self._refused = careful, False
            return super(CouncilMembershipResource, self).import_data(
                dataset,
                dry_run=dry_run,
                raise_errors=raise_errors,
                use_transactions=use_transactions,
                collect_failed_rows=collect_failed_rows,
                rollback_on_validation_errors=True,
                **kwargs,
            )

        connection = connections[self.get_db_connection_name()]
        transactions = use_transactions if use_transactions is not None else True
        if not ((transactions or dry_run) and connection.features.supports_transactions):
            return run(careful=True)  # nothing to roll a fast attempt back with
        # The file as given (its cells are strings, numbers and dates: copying rows will do).
        headers = list(dataset.headers) if dataset.headers else dataset.headers
        rows = [tuple(row) for row in dataset]
        try:
            result = run(careful=False)
        except Exception:
            if not self._refused:
                raise
        else:
            if not self._refused:
                return result
        logger.info("Roster import: a row was refused by the database; importing row by row.")
        dataset.wipe()  # as the caller gave it: the first attempt renamed and cleaned it
        dataset.headers = headers
        for row in rows:
            dataset.append(row)
        return run(careful=True)

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        if len(dataset) > settings.IMPORT_MAX_ROWS:
            raise ValidationError(
                _("This file has %(rows)d rows; the limit is %(limit)d.")
                % {"rows": len(dataset), "limit": settings.IMPORT_MAX_ROWS}
            )
        self._read_headers(dataset)
        for index in reversed(range(len(dataset))):  # Excel leaves rows of empty cells
            if all(_text(cell) == "" for cell in dataset[index]):
                del dataset[index]
        self._clean_cells(dataset)
        if "id" not in (dataset.headers or []):
            dataset.append_col([""] * len(dataset), header="id")  # new members only
        headers = dataset.headers or []
        column = {h: i for i, h in enumerate(headers)}

        def values(name: str) -> set[str]:
            if name not in column:
                return set()
            return {_text(row[column[name]]) for row in dataset if _text(row[column[name]])}

        self.history_records: list[tuple[CouncilMembership, bool]] = []
        self.role_codes = role_codes()
        self.bool_words = bool_words()
        self._load_councils(values("partnership") | values("partnership_slug"))
        self.sectors: dict[str, Sector] = {}
        self.sectors_by_pk: dict[int, Sector] = {}
        for sector in Sector.objects.all():
            self.sectors_by_pk[sector.pk] = sector
            for name in (sector.slug, sector.name, sector.name_fr):
                if name:
                    self.sectors.setdefault(key(name), sector)
        # The database folds case its own way (SQLite's LOWER() only ASCII, as does the
        # unique constraint there), so it compares each name in the file as it would compare
        # the constraint; the upper and lower forms also find "ÉCOLE X" for "École X".
        variants = {v for n in values("organization") for v in (n, n.lower(), n.upper())}
        self.organizations: dict[str, list[Organization]] = defaultdict(list)
        if variants:
            for org in Organization.objects.annotate(lname=Lower("name")).filter(
                lname__in=[Lower(Value(v)) for v in sorted(variants)]
            ):
                self.organizations[org.name.lower()].append(org)
        ids = []
        for raw in values("id"):
            try:
                ids.append(int(float(raw)))
            except ValueError:
                continue
        self.existing = {
            m.pk: m
            for m in CouncilMembership.objects.editable_by(self.user)
            .filter(pk__in=ids)
            .select_related("council__partnership", "organization", "sector")
        }
        # Current rosters of the councils the user may import into: duplicates and chairs.
        self.rosters: dict[int, RosterIndex] = defaultdict(RosterIndex)
        self.seat_council: dict[int, int] = {}
        for pk, council_id, org_id, name, role in CouncilMembership.objects.filter(
            council__in=list(self.councils.values()), left_on__isnull=True
        ).values_list("pk", "council_id", "organization_id", "person_name", "role"):
            self.rosters[council_id].add(Seat(pk, org_id, name, role))
            self.seat_council[pk] = council_id

    def after_import(self, dataset: tablib.Dataset, result: Any, **kwargs: Any) -> None:
        """The rows' history records (unless the import is rolled back: a dry run or an
        error), and the preview names the columns it did not read (a misspelled header is
        not silent)."""
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            self.history_records = []
        else:
            self._write_history()
        super().after_import(dataset, result, **kwargs)
        result.ignored_columns = [c for c in getattr(self, "ignored_columns", []) if c]

    def _read_headers(self, dataset: tablib.Dataset) -> None:
        """Headers by code or label in either language, renamed to their codes; a column
        named twice is a file error (which of the two would count?)."""
        codes = header_codes()
        renamed, seen = [], {}
        self.ignored_columns: list[str] = []
        for header in dataset.headers or []:
            code = codes.get(key(header))
            if code is None:
                self.ignored_columns.append(_text(header))
                renamed.append(_text(header))
                continue
            if code in seen:
                raise ValidationError(
                    _("The columns “%(first)s” and “%(second)s” are the same column: keep one.")
                    % {"first": seen[code], "second": _text(header)}
                )
            seen[code] = _text(header)
            renamed.append(code)
        if dataset.headers:
            dataset.headers = renamed

    def _load_councils(self, named: set[str]) -> None:
        """The user's councils by (partnership code, council key), their partnerships by code
        or name, and the partnerships the file names that are someone else's.

        Every partnership the user may import into is known by its names (for a site admin,
        all ten thousand), but only those the file names (or the user's only one) are loaded
        with their councils and, in ``before_import``, their rosters: no other can be touched.
        """
        self.councils: dict[tuple[str, str], Council] = {}
        self.council_names: dict[str, list[str]] = defaultdict(list)
        own = Partnership.objects.editable_by(self.user)
        own_names = list(own.values_list("pk", "slug", "name", "name_fr"))
        own_keys: dict[str, int] = {}
        for pk, *names in own_names:
            for name in names:
                if name:
                    own_keys.setdefault(key(name), pk)
        wanted = {own_keys[key(n)] for n in named if key(n) in own_keys}
        if len(own_names) == 1:
            wanted.add(own_names[0][0])
        by_pk = {p.pk: p for p in Partnership.objects.filter(pk__in=wanted)}
        self.partnerships: dict[str, Partnership] = {
            k: by_pk[pk] for k, pk in own_keys.items() if pk in by_pk
        }
        self._own_queryset = own
        self._yours: str | None = None
        for council in Council.objects.filter(partnership__in=list(by_pk.values())):
            council.partnership = by_pk[council.partnership_id]
            self.councils[(council.partnership.slug, key(council.name))] = council
            self.council_names[council.partnership.slug].append(council.name)
        self.default_partnership = by_pk[own_names[0][0]] if len(own_names) == 1 else None
        self.foreign: set[str] = set()
        if named:
            for p in Partnership.objects.filter(
                Q(slug__in=named) | Q(name__in=named) | Q(name_fr__in=named)
            ).exclude(pk__in=own.values("pk")):
                self.foreign.update(key(n) for n in (p.slug, p.name, p.name_fr) if n)

    def _your_partnerships(self) -> str:
        """The user's partnerships, for a row that names none of them (read once, on error)."""
        if self._yours is None:
            self._yours = _list(
                sorted({f"{p.display_name} ({p.slug})" for p in self._own_queryset})
            )
        return self._yours

    def _clean_cells(self, dataset: tablib.Dataset) -> None:
        """Each imported text cell once: export escaping undone, control characters refused.

        A refused cell is kept without its control characters (so the row's other checks
        still say something useful) and its message waits in ``cell_errors`` for its row.
        """
        self.cell_errors: dict[int, dict[str, list[str]]] = {}
        headers = list(dataset.headers or [])
        columns = [(i, h) for i, h in enumerate(headers) if h in IMPORTED]
        for index in range(len(dataset)):
            row = list(dataset[index])
            changed = False
            for column, header in columns:
                cell = row[column] if column < len(row) else None
                if not isinstance(cell, str):
                    continue
                value = unescape_formula(cell)
                try:
                    value = clean_text(value, multiline=False)
                except ValidationError as error:
                    found = self.cell_errors.setdefault(index + 1, {})
                    found.setdefault(header, []).extend(error.messages)
                    value = strip_for_file(value)
                if value != cell:
                    row[column] = value
                    changed = True
            if changed:
                dataset[index] = row

    # -- import: one row ----------------------------------------------------------------
    def get_instance(self, instance_loader: Any, row: dict) -> CouncilMembership | None:
        raw = _text(row.get("id"))
        if not raw:
            return None
        try:
            pk = int(float(raw))
        except ValueError:
            raise ValidationError(
                {"id": _("“%(value)s” is not a member id.") % {"value": raw}}
            ) from None
        if pk not in self.existing:
            raise ValidationError(
                {"id": _("Member %(id)s is not on one of your councils.") % {"id": pk}}
            )
        return self.existing[pk]

    def import_row(self, row: dict, instance_loader: Any, **kwargs: Any) -> RowResult:
        """The library's row import, plus what the preview says of the row."""
        self._instance: CouncilMembership | None = None
        self._before: dict[str, Any] | None = None
        row_result = super().import_row(row, instance_loader, **kwargs)
        row_result.preview = self._preview(row, row_result, kwargs.get("row_number", 0))
        return row_result

    def after_init_instance(
        self, instance: CouncilMembership, new: bool, row: dict, **kwargs: Any
    ) -> None:
        self._instance = instance
        instance._pending_organization = None
        instance._new_organization = False
        if not new:
            self._before = self._state(instance)
            self._shown_before = {code: self._shown(instance, code) for code in TRACKED}

    def skip_row(
        self,
        instance: CouncilMembership,
        original: Any,
        row: dict,
        import_validation_errors: Any = None,
    ) -> bool:
        """An existing member whose row would store exactly what is stored: no write, no
        history record, no log entry."""
        if import_validation_errors or self._before is None:
            return False
        return self._state(instance) == self._before

    def _council(self, row: dict) -> Council:
        """The row's council among the user's own. The partnership may be left out when the
        user has only one, and the council when that partnership has only one."""
        text = _text(row.get("partnership_slug")) or _text(row.get("partnership"))
        partnership = self.partnerships.get(key(text)) if text else self.default_partnership
        if partnership is None:
            if key(text) in self.foreign:
                raise ValueError(_("You can only import into your own partnerships' councils."))
            yours = self._your_partnerships()
            if not text:
                raise ValueError(_("Name the partnership: one of %(yours)s.") % {"yours": yours})
            raise ValueError(
                _("Unknown partnership “%(value)s”: yours are %(yours)s.")
                % {"value": text, "yours": yours}
            )
        names = sorted(self.council_names[partnership.slug])
        name = _text(row.get("council")) or (names[0] if len(names) == 1 else "")
        if not name:
            raise ValueError(
                _("Name the council: one of %(councils)s.")
                % {"councils": _list(names) or _("none yet")}
            )
        council = self.councils.get((partnership.slug, key(name)))
        if council is None:
            raise ValueError(
                _("Unknown council “%(name)s” in %(partnership)s: its councils are %(councils)s.")
                % {
                    "name": name,
                    "partnership": partnership.display_name,
                    "councils": _list(names) or _("none yet"),
                }
            )
        return council

    def _organization(self, name: str, council: Council | None) -> Organization | None:
        candidates = self.organizations.get(name.lower(), [])
        if not candidates:
            return None
        province = council.partnership.province if council else ""
        for org in candidates:
            if org.province == province:
                return org
        return candidates[0]

    def _sector(self, text: str) -> Sector:
        sector = self.sectors.get(key(text))
        if sector is None:
            names = sorted({s.display_name for s in self.sectors_by_pk.values()})
            raise ValueError(
                _("Unknown sector “%(value)s”: use one of %(sectors)s.")
                % {"value": text, "sectors": _list(names)}
            )
        return sector

    def import_instance(self, instance: CouncilMembership, row: dict, **kwargs: Any) -> None:
        errors: dict[str, list[str]] = defaultdict(list)
        for column, messages in self.cell_errors.get(kwargs.get("row_number", 0), {}).items():
            errors[column].extend(messages)

        def attempt(column: str, func: Any, *args: Any) -> Any:
            try:
                return func(*args)
            except ValueError as exc:
                errors[column].append(str(exc))
                return None

        council = attempt("council", self._council, row)
        if council is not None:
            instance.council = council
        instance._pending_organization = None
        if "organization" in row:
            org_name = _text(row.get("organization"))
            if org_name:
                message = length_error("organization", org_name)
                if message:
                    errors["organization"].append(message)
                org = self._organization(org_name, council)
                if org is None:
                    instance.organization = None
                    instance._pending_organization = org_name
                    instance._new_organization = True  # for the preview, even once created
                else:
                    instance.organization = org
            else:
                instance.organization = None
        for name in ("person_name", "title", "phone"):
            if name in row:
                value = _text(row.get(name))
                message = length_error(name, value)
                if message:
                    errors[name].append(message)
                setattr(instance, name, value)
        if "email" in row:
            email = _text(row.get("email"))
            message = length_error("email", email)
            if message:
                errors["email"].append(message)
            elif email:
                try:
                    validate_email(email)
                except ValidationError:
                    errors["email"].append(
                        _("“%(value)s” is not a valid email address.") % {"value": email}
                    )
            instance.email = email
        if "role" in row:
            role = attempt("role", parse_role, row.get("role"), self.role_codes)
            if role:
                instance.role = role
        if "voting" in row:
            voting = attempt("voting", parse_bool, row.get("voting"), True, self.bool_words)
            if voting is not None:
                instance.voting = voting
        if "sector" in row:
            sector_text = _text(row.get("sector"))
            if sector_text:
                instance.sector = attempt("sector", self._sector, sector_text)
            elif instance.organization is not None:
                instance.sector = self.sectors_by_pk.get(instance.organization.sector_id)
            else:
                instance.sector = None
        for name in ("term_start", "term_end", "left_on"):
            if name in row:
                value = attempt(name, parse_date, row.get(name))
                if name not in errors:
                    setattr(instance, name, value)
        if "publish_consent" in row:
            consent = attempt(
                "publish_consent", parse_bool, row.get("publish_consent"), False, self.bool_words
            )
            if consent is not None:
                instance.publish_consent = consent
        self._check_rules(instance, errors)
        if errors:
            raise ValidationError(dict(errors))

    def _check_rules(self, instance: CouncilMembership, errors: dict[str, list[str]]) -> None:
        """The roster rules (partnerships.rosters) against the roster as the file left it."""
        pending = getattr(instance, "_pending_organization", None) or ""
        seat = Seat.of(instance, pending)
        roster = self.rosters[instance.council_id] if instance.council_id else None
        others = roster.compared_with(seat) if roster is not None else []
        found = seat_errors(
            seat,
            others,
            term_start=instance.term_start,
            term_end=instance.term_end,
            roster_wide=instance.council_id is not None,
        )
        for field_name, messages in found.items():
            errors[field_name].extend(m for m in messages if m not in errors[field_name])

    def save_instance(
        self, instance: CouncilMembership, is_create: bool, row: dict, **kwargs: Any
    ) -> None:
        """Save in a savepoint of its own, so that a database refusal (a concurrent save broke
        a roster rule, say) undoes only this row and becomes its error in the rules' words.

        The history record is not written with the row but kept, as the row stands once
        saved, and written with the others by :meth:`_write_history` at the end of the file:
        one INSERT per row instead of two.
        """
        if not self._is_using_transactions(kwargs) and self._is_dry_run(kwargs):
            return  # no transaction to roll a dry run back: write nothing (as the library)
        if self._refused:
            return  # the fast attempt is over (see import_data): the file is imported again
        if self._careful:
            try:
                with transaction.atomic(using=self.get_db_connection_name()):
                    self._write(instance, is_create, row, **kwargs)
            except IntegrityError as error:
                logger.info("Roster import row refused by the database: %s", error)
                raise ValidationError(self._refusal_errors(instance, error)) from None
        else:
            try:
                self._write(instance, is_create, row, **kwargs)
            except DatabaseError:
                # No query may follow on PostgreSQL: import_data starts again, carefully.
                self._refused = True
                raise ValidationError({NON_FIELD_ERRORS: [_conflict_message()]}) from None
        record = copy.copy(instance)
        record._history_date = timezone.now()  # the order the rows were written in
        self.history_records.append((record, is_create))

    def _write(
        self, instance: CouncilMembership, is_create: bool, row: dict, **kwargs: Any
    ) -> None:
        """The row's writes: a new organization if it names one, then the member (the
        history record is kept for later, see :meth:`save_instance`)."""
        self.before_save_instance(instance, row, **kwargs)
        instance.skip_history_when_saving = True
        try:
            self.do_instance_save(instance, is_create)
        finally:
            del instance.skip_history_when_saving
        self.after_save_instance(instance, row, **kwargs)

    def _write_history(self) -> None:
        """The kept history records, in bulk, each with the importing user
        (``before_save_instance``) and the time its row was saved."""
        records, self.history_records = self.history_records, []
        for update in (False, True):
            CouncilMembership.history.bulk_history_create(
                [record for record, is_create in records if is_create != update],
                batch_size=HISTORY_BATCH,
                update=update,
                default_user=self.user,
                default_change_reason=None,
            )

    def _refusal_errors(
        self, instance: CouncilMembership, error: IntegrityError
    ) -> dict[str, list[str]]:
        message = integrity_message(error)
        if message:  # the one-seat rule is about the person, the other about the chair
            return {"person_name" if message == duplicate_error_message() else "role": [message]}
        found = membership_errors(instance)
        if found:
            return found
        return {NON_FIELD_ERRORS: [_conflict_message()]}

    def _create_organization(self, name: str, province: str, sector: Sector | None) -> Organization:
        """The new organization, or the one saved meanwhile under the same name (the unique
        constraint compares names with the database's own LOWER())."""
        try:
            with transaction.atomic(using=self.get_db_connection_name()):
                return Organization.objects.create(name=name, province=province, sector=sector)
        except IntegrityError:
            existing = (
                Organization.objects.annotate(lname=Lower("name"))
                .filter(lname=Lower(Value(name)), province=province)
                .first()
            )
            if existing is None:
                raise
            return existing

    def before_save_instance(self, instance: CouncilMembership, row: dict, **kwargs: Any) -> None:
        pending = getattr(instance, "_pending_organization", None)
        if pending:
            instance.organization = self._create_organization(
                pending, instance.council.partnership.province, instance.sector
            )
        if self.user is not None:
            instance._history_user = self.user

    def after_save_instance(self, instance: CouncilMembership, row: dict, **kwargs: Any) -> None:
        pending = getattr(instance, "_pending_organization", None)
        if pending:  # known only once saved: a refused row's organization is rolled back
            self.organizations[pending.lower()].append(instance.organization)
            instance._pending_organization = None
        council_id = self.seat_council.pop(instance.pk, None)
        if council_id is not None:
            self.rosters[council_id].remove(instance.pk)
        if instance.left_on is None:
            self.rosters[instance.council_id].add(Seat.of(instance))
            self.seat_council[instance.pk] = instance.council_id

    # -- import: what the preview says ------------------------------------------------
    @staticmethod
    def _state(instance: CouncilMembership) -> dict[str, Any]:
        """What a row stores, to compare before and after (never a query)."""
        pending = getattr(instance, "_pending_organization", None)
        return {
            "council": instance.council_id,
            "organization": ("new", pending.lower()) if pending else instance.organization_id,
            "person_name": instance.person_name,
            "title": instance.title,
            "email": instance.email,
            "phone": instance.phone,
            "role": instance.role,
            "voting": instance.voting,
            "sector": instance.sector_id,
            "term_start": instance.term_start,
            "term_end": instance.term_end,
            "left_on": instance.left_on,
            "publish_consent": instance.publish_consent,
        }

    def _shown(self, instance: CouncilMembership, code: str) -> str:
        """One tracked value in words, from objects already loaded."""
        if code == "council":
            return str(instance.council) if instance.council_id else ""
        if code == "organization":
            pending = getattr(instance, "_pending_organization", None)
            if pending:
                return pending
            return instance.organization.name if instance.organization_id else ""
        if code == "sector":
            sector = self.sectors_by_pk.get(instance.sector_id) if instance.sector_id else None
            return sector.display_name if sector else ""
        if code == "role":
            return str(Role(instance.role).label) if instance.role in Role.values else ""
        value = getattr(instance, code)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value or ""

    def _preview(self, row: dict, row_result: RowResult, number: int) -> RowPreview:
        preview = RowPreview(number=number, action=row_result.import_type or "")
        instance = self._instance
        if instance is not None:
            preview.council = self._shown(instance, "council")
            preview.organization = self._shown(instance, "organization")
            preview.person = instance.person_name
            preview.role = self._shown(instance, "role")
            preview.new_organization = getattr(instance, "_new_organization", False)
        preview.council = preview.council or _text(row.get("council"))
        preview.person = preview.person or _text(row.get("person_name"))
        preview.organization = preview.organization or _text(row.get("organization"))
        if row_result.validation_error is not None:
            error = row_result.validation_error
            found = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            for code, messages in found.items():
                label = "" if code in ("", NON_FIELD_ERRORS) else _label(code)
                preview.errors.extend((label, str(m)) for m in messages)
            # A refused value is shown as the file wrote it, not as a default.
            for code in ("council", "organization", "role"):
                if code in found and _text(row.get(code)):
                    setattr(preview, code, _text(row.get(code)))
        elif row_result.errors:
            preview.errors.extend(("", str(e.error)) for e in row_result.errors)
        elif instance is not None and row_result.import_type == RowResult.IMPORT_TYPE_UPDATE:
            after = self._state(instance)
            before = self._before or {}
            for code in TRACKED:
                if before.get(code) != after[code]:
                    preview.changes.append(
                        (_label(code), self._shown_before[code], self._shown(instance, code))
                    )
        elif instance is not None and row_result.import_type == RowResult.IMPORT_TYPE_NEW:
            for code in TRACKED:
                if code not in NAMING:
                    shown = self._shown(instance, code)
                    if shown:
                        preview.changes.append((_label(code), "", shown))
        return preview

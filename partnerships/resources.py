"""Council roster import and export (django-import-export).

Import rules: a row names a council by ``partnership`` (slug) and ``council`` (name); only
councils of the importing coordinator's own partnerships are accepted, and an ``id`` must be
a member of one of them. Each row's problems (bad date, unknown role, unknown council,
invalid email, a second chair, a duplicate member...) are reported together on that row.
Lookups of councils, organizations, sectors and current rosters are loaded once per file, so
a row costs only its own INSERT/UPDATE and the history record simple-history writes with it.

Every text cell is read through :func:`unescape_formula` (so a file this export wrote comes
back unchanged) and :func:`partnerships.text.clean_text` (a control character is a row error);
a value longer than its field is a row error, never cut. A row the database refuses (a roster
constraint broken by a concurrent save, say) is a row error in the rules' own words, and any
row error means nothing is written.

Export rules: cells that a spreadsheet would run as a formula are escaped with a leading
``'``; control characters are dropped (:func:`partnerships.text.strip_for_file`) so that a row
saved before the rule never breaks a file; a person's name, email and phone appear only with
their consent, except in the coordinator's own partnerships.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from typing import Any

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from import_export import fields, resources

from .models import Council, CouncilMembership, Organization, Role, Sector
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

TRUE_WORDS = {"1", "true", "yes", "y", "oui", "o", "x"}
FALSE_WORDS = {"0", "false", "no", "n", "non"}
#: Columns stored as typed, with the field that sets their length limit.
STORED_TEXT = {
    "organization": (Organization, "name"),
    "person_name": (CouncilMembership, "person_name"),
    "title": (CouncilMembership, "title"),
    "email": (CouncilMembership, "email"),
    "phone": (CouncilMembership, "phone"),
}


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


def length_error(column: str, value: str) -> str | None:
    """The row error for a value longer than its field (values are never cut)."""
    model, name = STORED_TEXT[column]
    limit = model._meta.get_field(name).max_length
    if limit is None or len(value) <= limit:
        return None
    return _("“%(column)s” has %(length)d characters; the limit is %(limit)d.") % {
        "column": column,
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


def parse_bool(value: Any, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if not text:
        return default
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(_("“%(value)s” is not yes or no.") % {"value": text})


def parse_role(value: Any) -> str:
    text = _text(value)
    if not text:
        return Role.MEMBER
    wanted = text.lower().replace("-", "_").replace(" ", "_")
    for choice in Role:
        if wanted in (choice.value, str(choice.label).lower().replace("-", "_").replace(" ", "_")):
            return choice.value
    raise ValueError(
        _("Unknown role “%(value)s”: use one of %(roles)s.")
        % {"value": text, "roles": ", ".join(r.value for r in Role)}
    )


class CouncilMembershipResource(resources.ModelResource):
    """One row per council member."""

    id = fields.Field(attribute="id", column_name="id")
    partnership = fields.Field(column_name="partnership")
    council = fields.Field(column_name="council")
    organization = fields.Field(column_name="organization")
    person_name = fields.Field(column_name="person_name")
    title = fields.Field(attribute="title", column_name="title")
    email = fields.Field(column_name="email")
    phone = fields.Field(column_name="phone")
    role = fields.Field(attribute="role", column_name="role")
    voting = fields.Field(column_name="voting")
    sector = fields.Field(column_name="sector")
    term_start = fields.Field(attribute="term_start", column_name="term_start")
    term_end = fields.Field(attribute="term_end", column_name="term_end")
    left_on = fields.Field(attribute="left_on", column_name="left_on")
    publish_consent = fields.Field(column_name="publish_consent")
    consent_date = fields.Field(attribute="consent_date", column_name="consent_date", readonly=True)

    class Meta:
        model = CouncilMembership
        fields = (
            "id", "partnership", "council", "organization", "person_name", "title", "email",
            "phone", "role", "voting", "sector", "term_start", "term_end", "left_on",
            "publish_consent", "consent_date",
        )  # fmt: skip
        import_id_fields = ("id",)
        use_transactions = True
        clean_model_instances = False  # the rules are checked row by row in import_instance
        skip_unchanged = False
        report_skipped = True

    def __init__(self, user: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user

    # -- export -----------------------------------------------------------------------
    def get_queryset(self) -> Any:
        """What the user may read, with contacts masked by the one rule (partnerships.scoping)."""
        if self.user is None:
            return CouncilMembership.objects.none()
        return CouncilMembership.objects.visible_to(self.user).select_related(
            "council__partnership", "organization", "sector"
        )

    def dehydrate_partnership(self, obj: CouncilMembership) -> str:
        return obj.council.partnership.slug if obj.council_id else ""

    def dehydrate_council(self, obj: CouncilMembership) -> str:
        return obj.council.name if obj.council_id else ""

    def dehydrate_organization(self, obj: CouncilMembership) -> str:
        return obj.organization.name if obj.organization_id else ""

    def dehydrate_sector(self, obj: CouncilMembership) -> str:
        return obj.sector.slug if obj.sector_id else ""

    def dehydrate_person_name(self, obj: CouncilMembership) -> str:
        return obj.person_name

    def dehydrate_email(self, obj: CouncilMembership) -> str:
        return obj.email

    def dehydrate_phone(self, obj: CouncilMembership) -> str:
        return obj.phone

    def dehydrate_voting(self, obj: CouncilMembership) -> str:
        return "yes" if obj.voting else "no"

    def dehydrate_publish_consent(self, obj: CouncilMembership) -> str:
        return "yes" if obj.publish_consent else "no"

    def export(self, queryset: Any = None, **kwargs: Any) -> tablib.Dataset:
        if queryset is not None:  # the admin's change list: scoped again, whoever calls
            queryset = scope_rows(queryset, self.user).select_related(
                "council__partnership", "organization", "sector"
            )
        return escape_dataset(super().export(queryset, **kwargs))

    # -- import: lookups loaded once per file -----------------------------------------
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
        so ``rollback_on_validation_errors`` is always on."""
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=use_transactions,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        if len(dataset) > settings.IMPORT_MAX_ROWS:
            raise ValidationError(
                _("This file has %(rows)d rows; the limit is %(limit)d.")
                % {"rows": len(dataset), "limit": settings.IMPORT_MAX_ROWS}
            )
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

        slugs = {s.lower() for s in values("partnership")}
        own_councils = Council.objects.editable_by(self.user).select_related("partnership")
        self.councils: dict[tuple[str, str], Council] = {
            (c.partnership.slug.lower(), c.name.lower()): c for c in own_councils
        }
        self.own_slugs = {slug for slug, _name in self.councils}
        self.default_slug = next(iter(self.own_slugs)) if len(self.own_slugs) == 1 else None
        self.foreign_slugs = {
            s.lower()
            for s in Council.objects.filter(partnership__slug__in=slugs)
            .exclude(pk__in=[c.pk for c in self.councils.values()])
            .values_list("partnership__slug", flat=True)
        }
        self.sectors: dict[str, Sector] = {}
        for sector in Sector.objects.all():
            self.sectors[sector.slug.lower()] = sector
            self.sectors[sector.name.lower()] = sector
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
        self.rosters: dict[int, dict[int, Seat]] = defaultdict(dict)
        for pk, council_id, org_id, name, role in CouncilMembership.objects.filter(
            council__in=list(self.councils.values()), left_on__isnull=True
        ).values_list("pk", "council_id", "organization_id", "person_name", "role"):
            self.rosters[council_id][pk] = Seat(pk, org_id, name, role)

    def _clean_cells(self, dataset: tablib.Dataset) -> None:
        """Each imported text cell once: export escaping undone, control characters refused.

        A refused cell is kept without its control characters (so the row's other checks
        still say something useful) and its message waits in ``cell_errors`` for its row.
        """
        self.cell_errors: dict[int, dict[str, list[str]]] = {}
        headers = list(dataset.headers or [])
        imported = {field.column_name for field in self.get_import_fields()}
        columns = [(i, h) for i, h in enumerate(headers) if h in imported]
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

    def _council(self, row: dict) -> Council:
        slug = _text(row.get("partnership")).lower() or self.default_slug or ""
        name = _text(row.get("council")).lower()
        if not name:
            raise ValueError(_("Name the council."))
        council = self.councils.get((slug, name))
        if council is not None:
            return council
        if not slug:
            raise ValueError(_("Name the partnership (its slug)."))
        if slug in self.foreign_slugs:
            raise ValueError(_("You can only import into your own partnerships' councils."))
        if slug not in self.own_slugs:
            raise ValueError(_("Unknown partnership “%(slug)s”.") % {"slug": slug})
        raise ValueError(_("Unknown council “%(name)s”.") % {"name": _text(row.get("council"))})

    def _organization(self, name: str, council: Council | None) -> Organization | None:
        candidates = self.organizations.get(name.lower(), [])
        if not candidates:
            return None
        province = council.partnership.province if council else ""
        for org in candidates:
            if org.province == province:
                return org
        return candidates[0]

    def import_instance(self, instance: CouncilMembership, row: dict, **kwargs: Any) -> None:
        errors: dict[str, list[str]] = defaultdict(list)
        for column, messages in self.cell_errors.get(kwargs.get("row_number", 0), {}).items():
            errors[column].extend(messages)

        def attempt(field: str, func: Any, *args: Any) -> Any:
            try:
                return func(*args)
            except ValueError as exc:
                errors[field].append(str(exc))
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
            role = attempt("role", parse_role, row.get("role"))
            if role:
                instance.role = role
        if "voting" in row:
            voting = attempt("voting", parse_bool, row.get("voting"), True)
            if voting is not None:
                instance.voting = voting
        if "sector" in row:
            sector_text = _text(row.get("sector")).lower()
            if sector_text:
                sector = self.sectors.get(sector_text)
                if sector is None:
                    errors["sector"].append(
                        _("Unknown sector “%(value)s”.") % {"value": row.get("sector")}
                    )
                instance.sector = sector
            elif instance.organization is not None:
                instance.sector_id = instance.organization.sector_id
            else:
                instance.sector = None
        for name in ("term_start", "term_end", "left_on"):
            if name in row:
                value = attempt(name, parse_date, row.get(name))
                if name not in errors:
                    setattr(instance, name, value)
        if "publish_consent" in row:
            consent = attempt("publish_consent", parse_bool, row.get("publish_consent"), False)
            if consent is not None:
                instance.publish_consent = consent
        self._check_rules(instance, errors)
        if errors:
            raise ValidationError(dict(errors))

    def _check_rules(self, instance: CouncilMembership, errors: dict[str, list[str]]) -> None:
        """The roster rules (partnerships.rosters) against the roster as the file left it."""
        pending = getattr(instance, "_pending_organization", None) or ""
        others = self.rosters[instance.council_id].values() if instance.council_id else []
        found = seat_errors(
            Seat.of(instance, pending),
            others,
            term_start=instance.term_start,
            term_end=instance.term_end,
            roster_wide=instance.council_id is not None,
        )
        for field, messages in found.items():
            errors[field].extend(m for m in messages if m not in errors[field])

    def save_instance(
        self, instance: CouncilMembership, is_create: bool, row: dict, **kwargs: Any
    ) -> None:
        """Save in a savepoint of its own, so that a database refusal (a concurrent save broke
        a roster rule, say) undoes only this row and becomes its error in the rules' words."""
        try:
            with transaction.atomic(using=self.get_db_connection_name()):
                super().save_instance(instance, is_create, row, **kwargs)
        except IntegrityError as error:
            logger.info("Roster import row refused by the database: %s", error)
            raise ValidationError(self._refusal_errors(instance, error)) from None

    def _refusal_errors(
        self, instance: CouncilMembership, error: IntegrityError
    ) -> dict[str, list[str]]:
        message = integrity_message(error)
        if message:  # the one-seat rule is about the person, the other about the chair
            return {"person_name" if message == duplicate_error_message() else "role": [message]}
        found = membership_errors(instance)
        if found:
            return found
        return {
            NON_FIELD_ERRORS: [
                _(
                    "This row could not be saved: it conflicts with a change saved at the "
                    "same time. Check the roster and upload the file again."
                )
            ]
        }

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
        for roster in self.rosters.values():
            roster.pop(instance.pk, None)
        if instance.left_on is None:
            self.rosters[instance.council_id][instance.pk] = Seat.of(instance)

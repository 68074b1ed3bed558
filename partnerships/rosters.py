"""Roster rules: the one place that says what a council's roster may hold.

* a term ends on or after the day it starts;
* a seat names a person, an organization, or both;
* a person sits once per organization on a council (names compared case-insensitively; a seat
  whose person is not named is not a person and may repeat);
* a council has at most one chair, and a council led by co-chairs has no sole chair.

Only current seats (no ``left_on``) count for the last two. Every entry point calls these
functions: model validation (:meth:`CouncilMembership.clean`, hence the stand-alone admin
form), the council page's roster formset (:func:`roster_errors`, the whole roster at once)
and the importer (:func:`seat_errors` against a roster it loaded once per file). The database
holds the same rules where a constraint can (one chair, one seat per person and organization)
so that concurrent saves cannot break them; :func:`integrity_message` turns such a refusal
back into these messages.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .models import CouncilMembership, Role

#: Database constraints that back these rules (see ``CouncilMembership.Meta``).
ONE_CHAIR_CONSTRAINT = "membership_one_chair"
ONE_SEAT_CONSTRAINT = "membership_unique_active_person_org"
ROSTER_CONSTRAINTS = frozenset({ONE_CHAIR_CONSTRAINT, ONE_SEAT_CONSTRAINT})


def term_error_message() -> str:
    return _("A term must end after it starts.")


def identity_error_message() -> str:
    return _("Name the person, or choose the organization they represent.")


def duplicate_error_message() -> str:
    return _("This person already sits on this council for this organization.")


@dataclass(frozen=True)
class Seat:
    """What the rules need to know of one roster row.

    ``organization`` is the organization's id, or the name of an organization an import is
    about to create (so two rows naming the same new organization are compared too).
    """

    pk: int | None
    organization: int | str | None
    person_name: str
    role: str
    left_on: datetime.date | None = None

    @property
    def is_current(self) -> bool:
        return self.left_on is None

    @property
    def identity(self) -> tuple[Any, str] | None:
        """Who the seat is, for the one-seat rule; ``None`` when no person is named."""
        name = (self.person_name or "").strip().lower()
        if not name:
            return None
        organization = self.organization
        if isinstance(organization, str):
            organization = f"new:{organization.strip().lower()}"
        return (organization, name)

    @classmethod
    def of(cls, membership: Any, pending_organization: str = "") -> Seat:
        return cls(
            pk=membership.pk,
            organization=membership.organization_id or pending_organization or None,
            person_name=membership.person_name or "",
            role=membership.role,
            left_on=membership.left_on,
        )


def chair_rule_error(roles: Iterable[str]) -> str | None:
    """The chair rule for a council's current roles, or ``None`` when they respect it."""
    roles = list(roles)
    chairs = roles.count(Role.CHAIR)
    co_chairs = roles.count(Role.CO_CHAIR)
    if chairs > 1:
        return _("A council has one chair; make them co-chairs if they share the role.")
    if chairs and co_chairs:
        return _("A council led by co-chairs has no sole chair: choose chair or co-chairs.")
    return None


def term_error(start: datetime.date | None, end: datetime.date | None) -> str | None:
    if start and end and end < start:
        return term_error_message()
    return None


def seat_errors(
    seat: Seat,
    others: Iterable[Seat],
    *,
    term_start: datetime.date | None = None,
    term_end: datetime.date | None = None,
    roster_wide: bool = True,
) -> dict[str, list[str]]:
    """Every rule for one seat against the rest of its council's roster, by field.

    ``others`` are the council's other rows (current or not); ``roster_wide=False`` skips the
    rules that need the whole roster, for a caller that checks them with :func:`roster_errors`.
    """
    errors: dict[str, list[str]] = {}
    message = term_error(term_start, term_end)
    if message:
        errors["term_end"] = [message]
    if not seat.organization and not (seat.person_name or "").strip():
        errors["person_name"] = [identity_error_message()]
    if not roster_wide or not seat.is_current:
        return errors
    current = [o for o in others if o.is_current and (o.pk is None or o.pk != seat.pk)]
    identity = seat.identity
    if identity is not None and any(o.identity == identity for o in current):
        errors.setdefault("person_name", []).append(duplicate_error_message())
    if seat.role in (Role.CHAIR, Role.CO_CHAIR):
        message = chair_rule_error([*(o.role for o in current), seat.role])
        if message:
            errors["role"] = [message]
    return errors


def roster_errors(seats: Iterable[Seat]) -> list[str]:
    """The rules that concern a whole roster (the council page saves all rows at once)."""
    current = [s for s in seats if s.is_current]
    errors = []
    identities = [s.identity for s in current if s.identity is not None]
    if len(identities) != len(set(identities)):
        errors.append(_("The same person appears twice for the same organization on this council."))
    message = chair_rule_error(s.role for s in current)
    if message:
        errors.append(message)
    return errors


def council_seats(council_id: int | None, *, exclude_pk: int | None = None) -> list[Seat]:
    """The current seats of a council as stored (one query)."""
    if council_id is None:
        return []
    rows = CouncilMembership.objects.filter(council_id=council_id, left_on__isnull=True)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return [
        Seat(pk=pk, organization=org, person_name=name, role=role)
        for pk, org, name, role in rows.values_list("pk", "organization_id", "person_name", "role")
    ]


def membership_errors(membership: Any, *, roster_wide: bool = True) -> dict[str, list[str]]:
    """Every rule for a membership against its council's stored roster."""
    others = council_seats(membership.council_id, exclude_pk=membership.pk) if roster_wide else []
    return seat_errors(
        Seat.of(membership),
        others,
        term_start=membership.term_start,
        term_end=membership.term_end,
        roster_wide=roster_wide,
    )


def integrity_message(error: Exception) -> str | None:
    """The rule's own message for a database refusal of a roster constraint, if it is one."""
    text = str(error)
    # SQLite names a column-only index by its columns: the chair index is the only one on
    # the council column alone.
    if ONE_CHAIR_CONSTRAINT in text or text.endswith("councilmembership.council_id"):
        return chair_rule_error([Role.CHAIR, Role.CHAIR])
    if ONE_SEAT_CONSTRAINT in text:
        return duplicate_error_message()
    return None

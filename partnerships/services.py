"""Representation and freshness rules for councils and partnerships.

These rules answer the questions IRCC's guidelines ask of a main council (which recommended
sectors are missing, do newcomers and Indigenous representatives sit on it, how many seats are
vacant, whose term ends soon) and whether a partnership's record is still current. They work
on prefetched memberships, so a page listing many councils runs a constant number of queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone

from .models import Council, CouncilMembership, Organization, Partnership, Sector
from .scoping import scope_of, used_by_other_partnerships

EXPIRY_WINDOW_DAYS = 90
#: A record not confirmed for this long is flagged as stale on the coordinator's landing page.
FRESHNESS_DAYS = 365


@dataclass
class CouncilRepresentation:
    """What a council's current roster covers and lacks."""

    council: Council
    members: list[CouncilMembership]
    missing_sectors: list[Sector]
    has_newcomers: bool
    has_indigenous: bool
    vacant_seats: int | None
    expiring: list[CouncilMembership] = field(default_factory=list)
    past_term: list[CouncilMembership] = field(default_factory=list)

    @property
    def current_count(self) -> int:
        return len(self.members)


@dataclass
class PartnershipStatus:
    """A partnership's councils' representation and the freshness of its record."""

    partnership: Partnership
    councils: list[CouncilRepresentation]
    last_confirmed: datetime.date | None
    is_stale: bool


def recommended_sectors() -> list[Sector]:
    """The sectors IRCC expects on a main council, plus the newcomer and Indigenous sectors
    (one query; :func:`council_representation` tells them apart)."""
    return list(
        Sector.objects.filter(
            Q(recommended=True) | Q(slug__in=[Sector.NEWCOMERS, Sector.INDIGENOUS])
        ).order_by("order", "name")
    )


def current_members(memberships: Iterable[CouncilMembership]) -> list[CouncilMembership]:
    """Members still sitting, including those past their term until replaced."""
    return [m for m in memberships if m.left_on is None]


def council_representation(
    council: Council,
    *,
    recommended: Sequence[Sector] | None = None,
    today: datetime.date | None = None,
    window_days: int = EXPIRY_WINDOW_DAYS,
) -> CouncilRepresentation:
    """Representation of one council, computed from ``council.memberships.all()``.

    Prefetch ``memberships`` (see :func:`councils_with_roster`) to keep this query-free.
    """
    today = today or timezone.localdate()
    if recommended is None:
        recommended = recommended_sectors()
    members = current_members(council.memberships.all())
    present = {m.sector_id for m in members if m.sector_id}
    present_slugs = {s.slug for s in recommended if s.pk in present}
    missing = [s for s in recommended if s.recommended and s.pk not in present]
    horizon = today + datetime.timedelta(days=window_days)
    expiring = sorted(
        (m for m in members if m.term_end and today <= m.term_end <= horizon),
        key=lambda m: m.term_end,
    )
    past = sorted(
        (m for m in members if m.term_end and m.term_end < today), key=lambda m: m.term_end
    )
    vacant = None
    if council.seats is not None:
        vacant = max(council.seats - len(members), 0)
    return CouncilRepresentation(
        council=council,
        members=members,
        missing_sectors=missing,
        has_newcomers=Sector.NEWCOMERS in present_slugs,
        has_indigenous=Sector.INDIGENOUS in present_slugs,
        vacant_seats=vacant,
        expiring=expiring,
        past_term=past,
    )


def councils_with_roster(councils: Any, *, viewer: Any = None) -> Any:
    """Prefetch what :func:`council_representation` reads (memberships with sector and org).

    With ``viewer``, members come as that user may see them (contact details masked).
    A caller with no user at hand (a management command) passes none and reads everything.
    """
    memberships = CouncilMembership.objects.select_related("sector", "organization")
    if viewer is not None:
        memberships = memberships.visible_to(viewer)
    return councils.prefetch_related(Prefetch("memberships", queryset=memberships))


def representation_for_councils(
    councils: Any, *, today: datetime.date | None = None
) -> list[CouncilRepresentation]:
    """Representation of many councils in a constant number of queries."""
    recommended = recommended_sectors()
    return [
        council_representation(c, recommended=recommended, today=today)
        for c in councils_with_roster(councils)
    ]


def is_stale(partnership: Partnership, today: datetime.date | None = None) -> bool:
    """A record never confirmed, or confirmed more than a year ago, needs a coordinator's look."""
    if partnership.last_confirmed is None:
        return True
    today = today or timezone.localdate()
    return (today - partnership.last_confirmed).days > FRESHNESS_DAYS


def partnership_statuses(
    partnerships: Any, *, today: datetime.date | None = None
) -> list[PartnershipStatus]:
    """Each partnership with its councils' representation: the coordinator's landing page."""
    recommended = recommended_sectors()
    partnerships = list(
        partnerships.prefetch_related(
            Prefetch(
                "councils",
                queryset=councils_with_roster(Council.objects.order_by("kind", "name")),
            )
        )
    )
    return [
        PartnershipStatus(
            partnership=p,
            councils=[
                council_representation(c, recommended=recommended, today=today)
                for c in p.councils.all()
            ],
            last_confirmed=p.last_confirmed,
            is_stale=is_stale(p, today),
        )
        for p in partnerships
    ]


def organization_editable_by(organization: Organization, user: Any) -> bool:
    """Organizations are shared: a coordinator edits only those no other partnership uses."""
    scope = scope_of(user)
    if scope.edits_all:
        return True
    return not used_by_other_partnerships(organization, scope.own_ids)

"""Peers of a community plan: who works on the same priorities, and how an indicator compares.

Two questions a coordinator or a funder asks on a plan page, each answered in one query
whatever the number of partnerships:

* :func:`priority_peers`: other partnerships whose *active* plan has a priority tagged with
  the same welcoming-community characteristic or focus area, grouped by that tag;
* :func:`indicator_standings`: for each indicator linked to the shared catalogue, the latest
  value of every other partnership's active-plan indicator of the same catalogue entry, this
  partnership's rank among them (polarity respected: first is best) and the median.

Only active plans count (drafts are not public, completed plans are history). Sample rows are
flagged so that pages can mark them as everywhere else.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext as _

from directory.labels import LocalizedText, localized_text
from partnerships.models import FocusArea

from .models import Characteristic, CommunityPlan, Indicator, Measurement, Polarity, Priority

#: Partnerships listed under one tag; the rest are reached through the directory filter.
PEER_LIMIT = 8
#: Rows of a standing table listed in full; longer ones keep the best, this partnership's
#: neighbourhood and the last.
STANDING_ROWS = 12
STANDING_TOP = 5
CHARACTERISTIC = "characteristic"
FOCUS = "focus"


def tag_value(kind: str, slug: str) -> str:
    """A tag as ``plan_priority`` writes it: ``characteristic:<slug>`` or ``focus:<slug>``."""
    return f"{kind}:{slug}"


# -- the directory's plan filters (directory.filters.PartnershipFilter calls these) ------------


def has_active_plan_q() -> Q:
    """Partnerships with an active community plan (drafts and completed plans do not count)."""
    active = CommunityPlan.objects.filter(
        partnership=OuterRef("pk"), status=CommunityPlan.Status.ACTIVE
    )
    return Q(Exists(active))


def plan_priority_q(value: str) -> Q:
    """Partnerships whose active plan has a priority with the tag ``value``
    (``characteristic:<slug>`` or ``focus:<slug>``, as :func:`plan_priority_choices` offers)."""
    kind, _sep, slug = value.partition(":")
    priorities = Priority.objects.filter(plan__status=CommunityPlan.Status.ACTIVE)
    if kind == CHARACTERISTIC:
        priorities = priorities.filter(characteristics__slug=slug)
    elif kind == FOCUS:
        priorities = priorities.filter(focus_area__slug=slug)
    else:
        priorities = priorities.none()
    return Q(pk__in=priorities.values("plan__partnership_id"))


#: One ``plan_priority`` choice as counted: kind, slug, name, French name, order, partnerships.
PriorityTagRow = tuple[str, str, str, str, int, int]


def plan_priority_rows() -> list[PriorityTagRow]:
    """Every characteristic and focus area with how many partnerships' active plans work on
    it, in display order. One query (a UNION); plain values, so they can be stored."""
    active = Q(priorities__plan__status=CommunityPlan.Status.ACTIVE)
    count = Count("priorities__plan__partnership", filter=active, distinct=True)
    columns = ("kind", "slug", "name", "name_fr", "order", "partnership_count")
    characteristics = Characteristic.objects.annotate(
        kind=Value(CHARACTERISTIC, output_field=CharField()), partnership_count=count
    ).values_list(*columns)
    focus_areas = FocusArea.objects.annotate(
        kind=Value(FOCUS, output_field=CharField()), partnership_count=count
    ).values_list(*columns)
    return sorted(
        (tuple(row) for row in characteristics.order_by().union(focus_areas.order_by(), all=True)),
        key=lambda row: (row[0] != CHARACTERISTIC, row[4], row[2]),
    )


def plan_priority_choices(
    rows: Iterable[Sequence[Any]] | None = None,
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The ``plan_priority`` choices, grouped: characteristics, then focus areas, each labelled
    in the page's language with its count (``rows``: :func:`plan_priority_rows`, read when not
    given)."""
    groups: dict[str, list[tuple[str, str]]] = {CHARACTERISTIC: [], FOCUS: []}
    for kind, slug, name, name_fr, _order, partnerships in (
        plan_priority_rows() if rows is None else rows
    ):
        label = localized_text(FocusArea(name=name, name_fr=name_fr), "name")
        groups[kind].append((tag_value(kind, slug), f"{label} ({partnerships})"))
    return [
        (_("Welcoming-community characteristics"), groups[CHARACTERISTIC]),
        (_("Focus areas"), groups[FOCUS]),
    ]


class PlanPriorityChoices(BaseChoiceIterator):
    """:func:`plan_priority_choices`, queried on first use and then remembered: a form that is
    validated, rendered and turned into chips runs the query once (and never when unused)."""

    def __init__(self) -> None:
        self._choices: list[tuple[str, list[tuple[str, str]]]] | None = None

    def __iter__(self) -> Iterator[tuple[str, list[tuple[str, str]]]]:
        if self._choices is None:
            self._choices = plan_priority_choices()
        return iter(self._choices)

    def label(self, value: str) -> str:
        """A chip's words for ``value``: the choice's label without its count."""
        for _group, options in self:
            for option, label in options:
                if option == value:
                    return label.rsplit(" (", 1)[0]
        return value


@dataclass(frozen=True)
class Peer:
    """Another partnership, as a peer list names it."""

    slug: str
    name: LocalizedText
    is_sample: bool = False
    province: str = ""

    @property
    def url(self) -> str:
        return reverse("directory:plan-detail", kwargs={"slug": self.slug})


@dataclass
class PeerGroup:
    """The partnerships working on one tag of this plan's priorities (bounded list)."""

    kind: str  # CHARACTERISTIC or FOCUS
    slug: str
    label: str
    order: tuple[int, int, str]
    peers: list[Peer] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return max(self.total - len(self.peers), 0)

    @property
    def filter_url(self) -> str:
        """The directory list filtered by this tag (every peer, not only the first few)."""
        value = tag_value(self.kind, self.slug)
        return f"{reverse('directory:partnership-list')}?plan_priority={value}"


def _named(row_name: str, row_name_fr: str) -> LocalizedText:
    """A partnership's name in the page's language from a values() row (no model instance:
    a peer query can return thousands of rows)."""
    return localized_text(SimpleNamespace(name=row_name, name_fr=row_name_fr), "name")


def priority_peers(
    plan: CommunityPlan, priorities: Sequence[Priority], *, limit: int = PEER_LIMIT
) -> list[PeerGroup]:
    """Other partnerships whose active plan shares a characteristic or focus area with
    ``priorities`` (this plan's, characteristics prefetched), grouped by tag.

    Four queries at most (for characteristics and for focus areas: how many partnerships
    per tag, and the first few of each), whatever the number of partnerships: each group
    lists at most ``limit`` partnerships, those of the same province first, then by name,
    and counts the rest.
    """
    groups: dict[tuple[str, int], PeerGroup] = {}
    for priority in priorities:
        for characteristic in priority.characteristics.all():
            key = (CHARACTERISTIC, characteristic.pk)
            if key not in groups:
                groups[key] = PeerGroup(
                    CHARACTERISTIC,
                    characteristic.slug,
                    characteristic.display_name,
                    (0, characteristic.order, characteristic.slug),
                )
        focus = priority.focus_area
        if focus is not None and (FOCUS, focus.pk) not in groups:
            groups[(FOCUS, focus.pk)] = PeerGroup(
                FOCUS, focus.slug, focus.display_name, (1, focus.order, focus.slug)
            )
    if not groups:
        return []
    home = plan.partnership.province  # peers in the same province are listed first
    found: dict[tuple[str, int], list[Peer]] = {}
    totals: dict[tuple[str, int], int] = {}
    characteristic_ids = [pk for kind, pk in groups if kind == CHARACTERISTIC]
    if characteristic_ids:
        through = Priority.characteristics.through.objects.filter(
            characteristic_id__in=characteristic_ids,
            priority__plan__status=CommunityPlan.Status.ACTIVE,
        ).exclude(priority__plan__partnership_id=plan.partnership_id)
        _collect(
            CHARACTERISTIC,
            through,
            "characteristic_id",
            "priority__plan__partnership",
            ("priority__plan__is_sample", "priority__is_sample"),
            home,
            limit,
            found,
            totals,
        )
    focus_ids = [pk for kind, pk in groups if kind == FOCUS]
    if focus_ids:
        same_focus = Priority.objects.filter(
            focus_area_id__in=focus_ids, plan__status=CommunityPlan.Status.ACTIVE
        ).exclude(plan__partnership_id=plan.partnership_id)
        _collect(
            FOCUS,
            same_focus,
            "focus_area_id",
            "plan__partnership",
            ("plan__is_sample", "is_sample"),
            home,
            limit,
            found,
            totals,
        )
    result = []
    for key, group in groups.items():
        group.total = totals.get(key, 0)
        group.peers = found.get(key, [])[:limit]
        result.append(group)
    result.sort(key=lambda g: (g.total == 0, g.order))
    return result


def _collect(
    kind: str,
    queryset: QuerySet,
    tag: str,
    partnership: str,
    sample_fields: tuple[str, str],
    home: str,
    limit: int,
    found: dict[tuple[str, int], list[Peer]],
    totals: dict[tuple[str, int], int],
) -> None:
    """Count the partnerships of each tag, and read the first ``limit`` of each (two queries).

    The first few are picked in SQL by a window function, so a tag shared by a thousand
    partnerships reads a handful of rows. A partnership tagged by two priorities appears
    twice in the ranking: a few extra rows are read and repeats are dropped here.
    """
    counts = queryset.values_list(tag).annotate(n=Count(partnership, distinct=True)).order_by()
    for tag_id, count in counts:
        totals[(kind, tag_id)] = count
    away = Case(
        When(**{f"{partnership}__province": home}, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    ranked = (
        queryset.annotate(
            position=Window(
                RowNumber(),
                partition_by=[F(tag)],
                order_by=[
                    away.asc(),
                    F(f"{partnership}__name").asc(),
                    F(f"{partnership}_id").asc(),
                ],
            )
        )
        .filter(position__lte=limit * 3)
        .order_by(tag, "position")
        .values_list(
            tag,
            f"{partnership}__slug",
            f"{partnership}__name",
            f"{partnership}__name_fr",
            f"{partnership}__province",
            *sample_fields,
        )
    )
    for tag_id, slug, name, name_fr, province, plan_sample, priority_sample in ranked:
        peers = found.setdefault((kind, tag_id), [])
        sample = bool(plan_sample or priority_sample)
        known = next((i for i, peer in enumerate(peers) if peer.slug == slug), None)
        if known is None:
            peers.append(Peer(slug, _named(name, name_fr), sample, province))
        elif peers[known].is_sample and not sample:
            # A partnership tagged by a real and a sample priority counts as real.
            peers[known] = Peer(slug, peers[known].name, False, province)


@dataclass(frozen=True)
class PeerValue:
    """One partnership's latest value of a catalogue indicator."""

    slug: str
    name: LocalizedText
    year: int
    value: Decimal
    is_sample: bool
    is_self: bool = False

    @property
    def url(self) -> str:
        return reverse("directory:plan-detail", kwargs={"slug": self.slug})


@dataclass
class Standing:
    """How this partnership's latest value sits among its peers for one catalogue entry."""

    polarity: str
    values: list[PeerValue]  # best first, this partnership included
    own: PeerValue | None

    @property
    def total(self) -> int:
        return len(self.values)

    @property
    def peer_count(self) -> int:
        return sum(1 for v in self.values if not v.is_self)

    @property
    def rank(self) -> int | None:
        """1 + the number of partnerships strictly better (ties share a rank)."""
        if self.own is None:
            return None
        own = self.own.value
        if self.polarity == Polarity.LOWER:
            return 1 + sum(1 for v in self.values if v.value < own)
        return 1 + sum(1 for v in self.values if v.value > own)

    @property
    def median(self) -> Decimal | None:
        if not self.values:
            return None
        return Decimal(statistics.median(v.value for v in self.values))

    @property
    def has_sample(self) -> bool:
        return any(v.is_sample for v in self.values)

    @property
    def shown(self) -> list[tuple[int, PeerValue, bool]]:
        """The rows a page lists, as ``(position, value, gap_before)``: every row up to
        :data:`STANDING_ROWS`, else the best few, this partnership with its neighbours and
        the last one, so the table stays short with a thousand peers."""
        count = len(self.values)
        if count <= STANDING_ROWS:
            keep = set(range(count))
        else:
            keep = set(range(STANDING_TOP)) | {count - 1}
            own = next((i for i, v in enumerate(self.values) if v.is_self), None)
            if own is not None:
                keep |= set(range(max(own - 2, 0), min(own + 3, count)))
        rows, previous = [], -1
        for index in sorted(keep):
            rows.append((index + 1, self.values[index], index != previous + 1))
            previous = index
        return rows

    @property
    def is_abridged(self) -> bool:
        return len(self.values) > STANDING_ROWS


def rank_values(values: Iterable[PeerValue], polarity: str) -> list[PeerValue]:
    """Best first: highest first when higher is better, lowest first otherwise."""
    lower = polarity == Polarity.LOWER
    return sorted(
        values,
        key=lambda v: (v.value if lower else -v.value, not v.is_self, str(v.name).casefold()),
    )


def indicator_standings(
    plan: CommunityPlan,
    indicators: Sequence[Indicator],
    latest: dict[int, Measurement | None],
) -> dict[int, Standing]:
    """For each catalogue-linked indicator of ``plan``, its :class:`Standing` among peers.

    ``latest`` maps an indicator's pk to its latest measurement (from
    :func:`plans.services.indicator_status`). A peer is a partnership whose active plan has an
    indicator of the same catalogue entry with at least one measurement; a partnership with
    several such indicators counts once, with its most recent value. One query.
    """
    definitions = {i.definition_id for i in indicators if i.definition_id is not None}
    if not definitions:
        return {}
    newest = (
        Measurement.objects.filter(indicator=OuterRef("indicator"))
        .order_by("-year", "-pk")
        .values("pk")[:1]
    )
    partnership = "indicator__priority__plan__partnership"
    rows = (
        Measurement.objects.filter(
            indicator__definition_id__in=definitions,
            indicator__priority__plan__status=CommunityPlan.Status.ACTIVE,
            pk=Subquery(newest),
        )
        .exclude(**{f"{partnership}_id": plan.partnership_id})
        .order_by("indicator__definition_id", f"{partnership}_id", "-year", "-pk")
        .values_list(
            "indicator__definition_id",
            f"{partnership}_id",
            f"{partnership}__slug",
            f"{partnership}__name",
            f"{partnership}__name_fr",
            "year",
            "value",
            "is_sample",
            "indicator__is_sample",
        )
    )
    peers: dict[int, dict[int, PeerValue]] = {}
    for definition_id, partner_id, slug, name, name_fr, year, value, *samples in rows:
        by_partnership = peers.setdefault(definition_id, {})
        if partner_id not in by_partnership:  # rows come newest first per partnership
            by_partnership[partner_id] = PeerValue(
                slug, _named(name, name_fr), year, value, any(samples)
            )
    own_partnership = plan.partnership
    standings: dict[int, Standing] = {}
    for indicator in indicators:
        if indicator.definition_id is None:
            continue
        measurement = latest.get(indicator.pk)
        own = None
        if measurement is not None:
            own = PeerValue(
                own_partnership.slug,
                localized_text(own_partnership, "name"),
                measurement.year,
                measurement.value,
                bool(measurement.is_sample or indicator.is_sample),
                is_self=True,
            )
        values = list(peers.get(indicator.definition_id, {}).values())
        if own is not None:
            values.append(own)
        standings[indicator.pk] = Standing(
            indicator.polarity, rank_values(values, indicator.polarity), own
        )
    return standings

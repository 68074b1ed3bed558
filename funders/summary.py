"""One summary per partnership: the figures funders compare and the exports report.

The funder page and every export build their rows here, so a figure means the same thing on
screen and in a file. Everything is read through ``visible_to(user)`` (the scoping rule) and
in a constant number of queries, whatever the number of partnerships.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.models import (
    Council,
    FocusArea,
    MembershipQuerySet,
    Partnership,
    Sector,
    WorkingGroup,
)
from partnerships.services import is_stale, recommended_sectors
from plans import services as plan_rules
from plans.models import Action, CommunityPlan, Indicator, Measurement, Priority

# -- indicator status ---------------------------------------------------------------------
# The rule lives in plans.services (one place for the directory, the plan pages and here);
# these names stay importable from this module.

MET, ON_TRACK, BEHIND, NO_DATA = (
    plan_rules.MET,
    plan_rules.ON_TRACK,
    plan_rules.BEHIND,
    plan_rules.NO_DATA,
)
STATUS_LABELS = plan_rules.STATUS_LABELS
ON_TRACK_RULE = plan_rules.ON_TRACK_RULE
plan_elapsed_share = plan_rules.plan_elapsed_share


def indicator_status(
    indicator: Indicator, latest: Measurement | None, *, today: datetime.date | None = None
) -> str:
    """``met``, ``on_track``, ``behind`` or ``no_data`` for one indicator, by the plans'
    rule (:func:`plans.services.indicator_state`, stated in :data:`ON_TRACK_RULE`).

    Reads ``indicator.priority.plan`` for the period: select it with the indicator.
    """
    return plan_rules.indicator_state(indicator, latest, today=today)


def latest_measurements(indicators: Iterable[Indicator | int]) -> dict[int, Measurement]:
    """The most recent measurement (by year) of each indicator, in one query.

    Pass indicators already read through ``visible_to(user)``: their measurements belong to
    the same partnership, so they are visible too.
    """
    ids = [i if isinstance(i, int) else i.pk for i in indicators]
    latest: dict[int, Measurement] = {}
    if not ids:
        return latest
    rows = Measurement.objects.filter(indicator_id__in=ids).order_by("indicator_id", "-year")
    for measurement in rows:
        latest.setdefault(measurement.indicator_id, measurement)
    return latest


# -- plan status --------------------------------------------------------------------------

PLAN_ACTIVE = "active"
PLAN_DRAFT = "draft"
PLAN_ENDED = "ended"
PLAN_NONE = "none"

#: The plan states the page's chart counts per province, in display order.
PLAN_STATE_LABELS = {
    PLAN_ACTIVE: gettext_lazy("Active plan"),
    PLAN_DRAFT: gettext_lazy("Draft plan only"),
    PLAN_ENDED: gettext_lazy("Plan ended, none active"),
    PLAN_NONE: gettext_lazy("No plan recorded"),
}


def _plan_labels() -> dict[str, str]:
    """The plan status labels in the active language (asked once per batch, not per row)."""
    return {
        PLAN_ACTIVE: _("Active %(period)s"),
        PLAN_DRAFT: _("No active plan (draft %(period)s)"),
        PLAN_ENDED: _("No active plan (last %(period)s)"),
        PLAN_NONE: _("No active plan"),
    }


def _plan_state(
    plans: Sequence[CommunityPlan], labels: dict[str, str] | None = None
) -> tuple[CommunityPlan | None, str, str]:
    """(active plan, state code, label) from a partnership's plans."""
    labels = labels or _plan_labels()
    ordered = sorted(plans, key=lambda p: (p.start_year, p.pk), reverse=True)
    active = [p for p in ordered if p.status == CommunityPlan.Status.ACTIVE]
    if active:
        plan = active[0]
        return plan, PLAN_ACTIVE, labels[PLAN_ACTIVE] % {"period": plan.period}
    drafts = [p for p in ordered if p.status == CommunityPlan.Status.DRAFT]
    if drafts:
        label = labels[PLAN_DRAFT] % {"period": drafts[0].period}
        return None, PLAN_DRAFT, label
    if ordered:
        label = labels[PLAN_ENDED] % {"period": ordered[0].period}
        return None, PLAN_ENDED, label
    return None, PLAN_NONE, labels[PLAN_NONE]


# -- the summary --------------------------------------------------------------------------


@dataclass
class PartnershipSummary:
    """What a funder compares about one partnership (main council, groups, plan, record)."""

    partnership: Partnership
    kind: str
    province: str
    council_seats: int | None
    current_members: int
    vacant_seats: int | None
    member_organizations: int
    sectors_represented: list[Sector]
    missing_sectors: list[Sector]
    newcomer_seats: int
    indigenous_seats: int
    working_groups: int
    working_group_themes: list[str]
    plan: CommunityPlan | None
    plan_status: str
    actions_total: int
    actions_done: int
    actions_done_pct: float | None
    indicators_total: int
    indicators_on_track: int
    indicators_on_track_pct: float | None
    last_confirmed: datetime.date | None
    is_stale: bool
    confidence: str
    #: Whether a main council is recorded (without one, every recommended sector is missing).
    has_main_council: bool = False
    #: ``active``, ``draft``, ``ended`` or ``none`` (see :data:`PLAN_STATE_LABELS`).
    plan_state: str = PLAN_NONE
    #: Indicators by status code (``met`` counts as on track in ``indicators_on_track``).
    indicator_statuses: dict[str, int] = field(default_factory=dict)
    #: False until the indicator figures are counted (see :func:`count_indicators`).
    indicators_counted: bool = True
    kind_label: str = ""
    province_label: str = ""
    confidence_label: str = ""

    @property
    def has_active_plan(self) -> bool:
        return self.plan is not None

    @property
    def missing_any_sector(self) -> bool:
        return bool(self.missing_sectors)


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


#: Partnerships summarized per batch by :func:`iter_summaries` (the exports): each batch
#: runs the same seven queries, so a file of N partnerships takes about 7 × N / CHUNK_SIZE.
CHUNK_SIZE = 2000


def among(ids: Sequence[int] | QuerySet) -> Any:
    """The right-hand side of an ``__in`` filter on ``ids``: a list of ids is sent to
    PostgreSQL as one array parameter (``IN (SELECT unnest(%s))``) rather than thousands of
    parameters, which Django and the driver would prepare one by one (about 14 ms of CPU per
    query for 2,000 ids, against 2). A query, or another database, passes through as is."""
    if isinstance(ids, QuerySet) or connection.vendor != "postgresql":
        return ids
    return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))


class _Latest(NamedTuple):
    """The two fields of a measurement the status rule reads (no model instance per row)."""

    value: Any
    year: int


@dataclass
class _Reference:
    """What every batch shares: read once per summary or export, not per partnership."""

    user: Any
    today: datetime.date
    recommended: list[Sector]
    sectors: dict[int, Sector]
    kinds: dict[str, str]
    provinces: dict[str, str]
    confidences: dict[str, str]
    #: Whether to count the indicators now (else :func:`count_indicators` does, later).
    indicators: bool = True
    #: The recommended sectors (flag set) with their ids, and each sector's display order.
    expected: list[tuple[int, Sector]] = field(default_factory=list)
    rank: dict[int, tuple[int, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.expected = [(s.pk, s) for s in self.recommended if s.recommended]
        self.rank = {pk: (s.order, s.name) for pk, s in self.sectors.items()}

    @classmethod
    def read(cls, user: Any, today: datetime.date | None, indicators: bool = True) -> _Reference:
        return cls(
            indicators=indicators,
            user=user,
            today=today or timezone.localdate(),
            recommended=recommended_sectors(),
            sectors={s.pk: s for s in Sector.objects.all()},
            kinds={k: str(v) for k, v in Partnership.Kind.choices},
            provinces={k: str(v) for k, v in Partnership._meta.get_field("province").choices},
            confidences={k: str(v) for k, v in Partnership.Confidence.choices},
        )


def main_council_seats(
    partnership_ids: Sequence[int] | QuerySet, user: Any
) -> tuple[dict[int, dict[int, tuple[int | None, dict[int | None, int]]]], dict[int, int]]:
    """The main councils of these partnerships and their current seats, counted in SQL:
    ``({partnership: {council: (seats, {sector: current members})}}, {partnership: distinct
    member organizations})``. Two grouped queries, no row per member.

    "Current" is :meth:`MembershipQuerySet.current_q`, the filter ``.current()`` applies
    (:func:`partnerships.services.current_members` says the same of rows; a test keeps the
    figures equal to :func:`council_representation`'s). Memberships belong to their
    council's partnership, so reading the councils through ``visible_to`` scopes them too.
    """
    current = MembershipQuerySet.current_q("memberships__")
    mains = (
        Council.objects.visible_to(user)
        .filter(kind=Council.Kind.MAIN, partnership_id__in=among(partnership_ids))
        .order_by()
    )
    councils: dict[int, dict[int, tuple[int | None, dict[int | None, int]]]] = defaultdict(dict)
    rows = mains.values_list("pk", "partnership_id", "seats", "memberships__sector_id").annotate(
        n=Count("memberships", filter=current)
    )
    for pk, partnership_id, seats, sector_id, count in rows:
        _seats, by_sector = councils[partnership_id].setdefault(pk, (seats, {}))
        if count:
            by_sector[sector_id] = count
    organizations = dict(
        mains.values_list("partnership_id").annotate(
            n=Count("memberships__organization", filter=current, distinct=True)
        )
    )
    return councils, organizations


def summarize(
    partnerships: QuerySet,
    *,
    user: Any,
    today: datetime.date | None = None,
    indicators: bool = True,
) -> list[PartnershipSummary]:
    """A :class:`PartnershipSummary` per partnership of ``partnerships`` the user may read,
    in the queryset's order, in a constant number of queries (nine, and the scope).

    The main council is every council of kind "main" (normally one): its current members
    count, a sector is missing when none of them represents it, vacant seats need a fixed
    number of seats. Actions and indicators are those of the active plan. The figures are
    counted in SQL (no model instance per member, group or action), so 10,000 partnerships
    take about a second; pass ``partnerships.only(...)`` when the caller reads few fields.
    For files, :func:`iter_summaries` holds one batch at a time. ``indicators=False`` leaves
    the indicator figures to :func:`count_indicators` (for the few rows a page shows).
    """
    reference = _Reference.read(user, today, indicators)
    scoped = partnerships.visible_to(user)
    # The related rows are read "where the partnership is in this query" (a subquery): with
    # thousands of partnerships that is cheaper than a list of thousands of ids.
    return _summaries(list(scoped), reference, scoped.order_by().values("pk"))


def partnership_batches(
    partnerships: QuerySet, *, user: Any, chunk_size: int = CHUNK_SIZE
) -> Iterator[tuple[list[Partnership], list[int]]]:
    """The partnerships the user may read, in the queryset's order, ``chunk_size`` at a
    time, each batch with its ids (to read its related rows with ``__in=ids``). One query
    for the ids, then one per batch: a file of any size holds one batch at a time."""
    scoped = partnerships.visible_to(user)
    ids = list(dict.fromkeys(scoped.values_list("pk", flat=True)))
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        by_pk = {p.pk: p for p in scoped.order_by().filter(pk__in=among(chunk))}
        yield [by_pk[pk] for pk in chunk if pk in by_pk], chunk


def iter_summaries(
    partnerships: QuerySet,
    *,
    user: Any,
    today: datetime.date | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[PartnershipSummary]:
    """The summaries of :func:`summarize`, in the same order, computed ``chunk_size``
    partnerships at a time (:func:`partnership_batches`): memory stays that of one batch
    whatever the number of partnerships. Queries: a constant few (ids, sectors, the
    reader's scope), then seven per batch, so they grow with rows / ``chunk_size`` only."""
    reference = _Reference.read(user, today)
    for rows, ids in partnership_batches(partnerships, user=user, chunk_size=chunk_size):
        yield from _summaries(rows, reference, ids)


def plan_choices(
    partnership_ids: Sequence[int] | QuerySet, user: Any
) -> dict[int, tuple[CommunityPlan | None, str, str]]:
    """Each partnership's (active plan, state code, label) by :func:`_plan_state`, for the
    partnerships that have a plan (the others have none: ``_plan_state([])``). One query,
    plans read with only the fields the rule and the files use."""
    plans: dict[int, list[CommunityPlan]] = defaultdict(list)
    for plan in (
        CommunityPlan.objects.visible_to(user)
        .filter(partnership_id__in=among(partnership_ids))
        .only("pk", "partnership", "start_year", "end_year", "status")
    ):
        plans[plan.partnership_id].append(plan)
    labels = _plan_labels()
    return {pk: _plan_state(found, labels) for pk, found in plans.items()}


def working_group_counts(partnership_ids: Sequence[int] | QuerySet, user: Any) -> dict[int, int]:
    """Working groups per partnership (those with none are absent): one grouped query."""
    groups = WorkingGroup.objects.visible_to(user).filter(partnership_id__in=among(partnership_ids))
    return dict(groups.values_list("partnership_id").annotate(n=Count("pk")).order_by())


def indicator_counts(
    plans: Sequence[CommunityPlan], *, user: Any, today: datetime.date
) -> dict[int, dict[str, int]]:
    """The indicators of these (active) plans by status, per plan id, judged by the plans'
    rule (:func:`indicator_status`) on lean rows: one query, the latest measurement read
    with each indicator, no model instance per row."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUS_LABELS, 0))
    by_pk = {plan.pk: plan for plan in plans}
    if not by_pk:
        return counts
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-year")
    indicators = (
        Indicator.objects.visible_to(user)
        .filter(priority__plan_id__in=among(list(by_pk)))
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_year=Subquery(latest.values("year")[:1]),
        )
        .order_by()
        .values_list(
            "priority__plan_id",
            "baseline_value",
            "target_value",
            "polarity",
            "latest_value",
            "latest_year",
        )
    )
    # The status rule reads an indicator, its plan and its latest measurement: one scratch
    # indicator takes each row's values in turn.
    scratch = Indicator(priority=Priority())
    for plan_id, baseline, target, polarity, value, year in indicators:
        scratch.priority.plan = by_pk[plan_id]
        scratch.baseline_value, scratch.target_value = baseline, target
        scratch.polarity = polarity
        measured = _Latest(value, year) if year is not None else None
        status = indicator_status(scratch, measured, today=today)  # type: ignore[arg-type]
        counts[plan_id][status] += 1
    return counts


def _set_indicators(summary: PartnershipSummary, counts: dict[str, int] | None) -> None:
    """The indicator figures of ``summary`` from its active plan's counts by status."""
    plan_counts = dict(counts or dict.fromkeys(STATUS_LABELS, 0)) if summary.plan else {}
    total = sum(plan_counts.values())
    on_track = plan_counts.get(MET, 0) + plan_counts.get(ON_TRACK, 0)
    summary.indicators_total = total
    summary.indicators_on_track = on_track
    summary.indicators_on_track_pct = _pct(on_track, total)
    summary.indicator_statuses = plan_counts
    summary.indicators_counted = True


def count_indicators(
    summaries: Iterable[PartnershipSummary], *, user: Any, today: datetime.date | None = None
) -> None:
    """Fill in the indicator figures of summaries made without them
    (``summarize(..., indicators=False)``): one query for all of them. The funder page
    counts only the rows it shows, unless it sorts on indicators."""
    todo = [s for s in summaries if not s.indicators_counted]
    if not todo:
        return
    plans = [s.plan for s in todo if s.plan is not None]
    counts = indicator_counts(plans, user=user, today=today or timezone.localdate())
    for summary in todo:
        _set_indicators(summary, counts.get(summary.plan.pk) if summary.plan else None)


def _summaries(
    rows: list[Partnership], ref: _Reference, ids: Sequence[int] | QuerySet
) -> list[PartnershipSummary]:
    """The summaries of ``rows`` (already read through ``visible_to``), whose ids are ``ids``
    (a list or a ``values("pk")`` query): six grouped or lean queries whatever their number."""
    if not rows:
        return []
    user, today = ref.user, ref.today

    councils, organizations = main_council_seats(ids, user)

    # Theme names, looked up once per focus area (``localized`` asks for the language).
    themes: dict[int, list[str | None]] = defaultdict(list)
    focus_names: dict[int, str] = {}
    groups = WorkingGroup.objects.visible_to(user).filter(partnership_id__in=among(ids))
    for partnership_id, focus_id, name, name_fr in groups.order_by("name", "pk").values_list(
        "partnership_id", "focus_area_id", "focus_area__name", "focus_area__name_fr"
    ):
        if focus_id is not None and focus_id not in focus_names:
            focus_names[focus_id] = FocusArea(name=name, name_fr=name_fr).display_name
        themes[partnership_id].append(focus_names[focus_id] if focus_id is not None else None)

    found = plan_choices(ids, user)
    no_plan = _plan_state([])
    chosen = {p.pk: found.get(p.pk) or no_plan for p in rows}
    active_ids = [plan.pk for plan, _state, _label in chosen.values() if plan is not None]

    action_counts: dict[int, tuple[int, int]] = {}
    statuses: dict[int, dict[str, int]] = {}
    if active_ids:
        counted = (
            Action.objects.visible_to(user)
            .filter(priority__plan_id__in=among(active_ids))
            .values("priority__plan_id")
            .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=Action.Status.DONE)))
            .order_by()
        )
        action_counts = {row["priority__plan_id"]: (row["total"], row["done"]) for row in counted}
        if ref.indicators:
            statuses = indicator_counts(
                [plan for plan, _state, _label in chosen.values() if plan is not None],
                user=user,
                today=today,
            )

    summaries = []
    for p in rows:
        found = councils.get(p.pk, {}).values()
        by_sector: dict[int | None, int] = defaultdict(int)
        for _seats, counts in found:
            for sector_id, count in counts.items():
                by_sector[sector_id] += count
        summary = _summary(
            p,
            [(seats, sum(counts.values())) for seats, counts in found],
            dict(by_sector),
            organizations.get(p.pk, 0),
            themes.get(p.pk, []),
            chosen[p.pk],
            action_counts,
            statuses,
            ref,
        )
        summary.kind_label = ref.kinds.get(p.kind, p.kind)
        summary.province_label = ref.provinces.get(p.province, p.province)
        summary.confidence_label = ref.confidences.get(p.confidence, p.confidence)
        summaries.append(summary)
    return summaries


def _summary(
    p: Partnership,
    mains: list[tuple[int | None, int]],
    by_sector: dict[int | None, int],
    organizations: int,
    groups: list[str | None],
    chosen: tuple[CommunityPlan | None, str, str],
    action_counts: dict[int, tuple[int, int]],
    statuses: dict[int, dict[str, int]],
    ref: _Reference,
) -> PartnershipSummary:
    """One summary from counted figures: ``mains`` is (seats, current members) per main
    council, ``by_sector`` the current members of all of them per sector id."""
    present = {pk for pk, count in by_sector.items() if pk is not None and count}
    slugs = {ref.sectors[pk].slug: by_sector[pk] for pk in present}
    seats: int | None = None
    vacant: int | None = None
    if mains and all(fixed is not None for fixed, _count in mains):
        seats = sum(fixed or 0 for fixed, _count in mains)
        # council_representation's rule: a council's vacant seats are never negative.
        vacant = sum(max((fixed or 0) - count, 0) for fixed, count in mains)
    themes: list[str] = []
    for theme in groups:
        if theme is not None and theme not in themes:
            themes.append(theme)
    plan, state, label = chosen
    total, done = action_counts.get(plan.pk, (0, 0)) if plan else (0, 0)
    summary = PartnershipSummary(
        partnership=p,
        kind=p.kind,
        province=p.province,
        council_seats=seats,
        current_members=sum(count for _fixed, count in mains),
        vacant_seats=vacant,
        member_organizations=organizations,
        sectors_represented=[ref.sectors[pk] for pk in sorted(present, key=ref.rank.__getitem__)],
        missing_sectors=[s for pk, s in ref.expected if pk not in present],
        newcomer_seats=slugs.get(Sector.NEWCOMERS, 0),
        indigenous_seats=slugs.get(Sector.INDIGENOUS, 0),
        working_groups=len(groups),
        working_group_themes=themes,
        plan=plan,
        plan_status=label,
        actions_total=total,
        actions_done=done,
        actions_done_pct=_pct(done, total),
        indicators_total=0,
        indicators_on_track=0,
        indicators_on_track_pct=None,
        last_confirmed=p.last_confirmed,
        is_stale=is_stale(p, today=ref.today),
        confidence=p.confidence,
        has_main_council=bool(mains),
        plan_state=state,
        indicators_counted=False,
    )
    if ref.indicators:
        _set_indicators(summary, statuses.get(plan.pk) if plan else None)
    return summary


# -- totals per group ---------------------------------------------------------------------


@dataclass
class GroupTotal:
    """Totals and medians over the summaries sharing one value (a province, a kind)."""

    key: str
    label: str
    count: int
    council_members_total: int
    council_members_median: float | None
    council_seats_total: int
    actions_done_pct_median: float | None
    with_active_plan: int
    missing_a_sector: int


def _median(values: list[float]) -> float | None:
    return round(float(statistics.median(values)), 1) if values else None


def group_totals(
    summaries: Sequence[PartnershipSummary], key: str | Callable[[PartnershipSummary], str]
) -> list[GroupTotal]:
    """Totals per value of ``key`` (``"province"``, ``"kind"`` or a function), sorted by key.

    Council size is the number of current main-council members; the median of actions done
    counts only partnerships whose active plan has actions.
    """
    get = key if callable(key) else (lambda s: getattr(s, key))
    labels: dict[str, str] = {}
    if key == "province":
        labels = {s.province: s.province_label for s in summaries}
    elif key == "kind":
        labels = {s.kind: s.kind_label for s in summaries}
    buckets: dict[str, list[PartnershipSummary]] = defaultdict(list)
    for summary in summaries:
        buckets[get(summary)].append(summary)
    totals = []
    for value in sorted(buckets):
        group = buckets[value]
        sizes = [s.current_members for s in group]
        done = [s.actions_done_pct for s in group if s.actions_done_pct is not None]
        totals.append(
            GroupTotal(
                key=value,
                label=labels.get(value) or value,
                count=len(group),
                council_members_total=sum(sizes),
                council_members_median=_median(sizes),
                council_seats_total=sum(s.council_seats or 0 for s in group),
                actions_done_pct_median=_median(done),
                with_active_plan=sum(1 for s in group if s.has_active_plan),
                missing_a_sector=sum(1 for s in group if s.missing_any_sector),
            )
        )
    return totals


def overall_total(summaries: Sequence[PartnershipSummary], label: str = "") -> GroupTotal:
    """The same figures over every summary (the "All" row)."""
    rows = group_totals(summaries, lambda s: "all")
    if rows:
        rows[0].label = label or _("All")
        return rows[0]
    return GroupTotal("all", label or _("All"), 0, 0, None, 0, None, 0, 0)

"""One summary per partnership: the figures funders compare and the exports report.

The funder page and every export build their rows here, so a figure means the same thing on
screen and in a file. Everything is read through ``visible_to(user)`` (the scoping rule) and
in a constant number of queries, whatever the number of partnerships.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.models import Council, Partnership, Sector, WorkingGroup
from partnerships.services import (
    CouncilRepresentation,
    council_representation,
    councils_with_roster,
    is_stale,
    recommended_sectors,
)
from plans import services as plan_rules
from plans.models import Action, CommunityPlan, Indicator, Measurement

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


def _plan_state(plans: Sequence[CommunityPlan]) -> tuple[CommunityPlan | None, str, str]:
    """(active plan, state code, label) from a partnership's plans."""
    ordered = sorted(plans, key=lambda p: (p.start_year, p.pk), reverse=True)
    active = [p for p in ordered if p.status == CommunityPlan.Status.ACTIVE]
    if active:
        plan = active[0]
        return plan, PLAN_ACTIVE, _("Active %(period)s") % {"period": plan.period}
    drafts = [p for p in ordered if p.status == CommunityPlan.Status.DRAFT]
    if drafts:
        label = _("No active plan (draft %(period)s)") % {"period": drafts[0].period}
        return None, PLAN_DRAFT, label
    if ordered:
        label = _("No active plan (last %(period)s)") % {"period": ordered[0].period}
        return None, PLAN_ENDED, label
    return None, PLAN_NONE, _("No active plan")


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


def _main_councils(
    councils: Iterable[Council], recommended: Sequence[Sector], today: datetime.date
) -> list[CouncilRepresentation]:
    return [
        council_representation(c, recommended=recommended, today=today)
        for c in councils
        if c.kind == Council.Kind.MAIN
    ]


def summarize(
    partnerships: QuerySet, *, user: Any, today: datetime.date | None = None
) -> list[PartnershipSummary]:
    """A :class:`PartnershipSummary` per partnership of ``partnerships`` the user may read,
    in the queryset's order, in a constant number of queries.

    The main council is every council of kind "main" (normally one): its current members
    count, a sector is missing when none of them represents it, vacant seats need a fixed
    number of seats. Actions and indicators are those of the active plan.
    """
    today = today or timezone.localdate()
    recommended = recommended_sectors()
    councils = councils_with_roster(
        Council.objects.visible_to(user).filter(kind=Council.Kind.MAIN).order_by("name", "pk"),
        viewer=user,
    )
    groups = (
        WorkingGroup.objects.visible_to(user).select_related("focus_area").order_by("name", "pk")
    )
    plans = CommunityPlan.objects.visible_to(user).order_by("-start_year", "pk")
    rows = list(
        partnerships.visible_to(user).prefetch_related(
            Prefetch("councils", queryset=councils, to_attr="main_councils"),
            Prefetch("working_groups", queryset=groups, to_attr="summary_groups"),
            Prefetch("plans", queryset=plans, to_attr="summary_plans"),
        )
    )
    chosen = {p.pk: _plan_state(p.summary_plans) for p in rows}
    active_ids = [plan.pk for plan, _state, _label in chosen.values() if plan is not None]

    action_counts: dict[int, tuple[int, int]] = {}
    statuses: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUS_LABELS, 0))
    if active_ids:
        counted = (
            Action.objects.visible_to(user)
            .filter(priority__plan_id__in=active_ids)
            .values("priority__plan_id")
            .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=Action.Status.DONE)))
            .order_by()
        )
        action_counts = {row["priority__plan_id"]: (row["total"], row["done"]) for row in counted}
        indicators = list(
            Indicator.objects.visible_to(user)
            .filter(priority__plan_id__in=active_ids)
            .select_related("priority__plan")
        )
        latest = latest_measurements(indicators)
        for indicator in indicators:
            status = indicator_status(indicator, latest.get(indicator.pk), today=today)
            statuses[indicator.priority.plan_id][status] += 1

    kinds = dict(Partnership.Kind.choices)
    provinces = dict(Partnership._meta.get_field("province").choices)
    confidences = dict(Partnership.Confidence.choices)
    summaries = []
    for p in rows:
        summaries.append(
            _summary(
                p,
                _main_councils(p.main_councils, recommended, today),
                chosen[p.pk],
                action_counts,
                statuses,
                recommended,
                today,
            )
        )
        summaries[-1].kind_label = str(kinds.get(p.kind, p.kind))
        summaries[-1].province_label = str(provinces.get(p.province, p.province))
        summaries[-1].confidence_label = str(confidences.get(p.confidence, p.confidence))
    return summaries


def _summary(
    p: Partnership,
    mains: list[CouncilRepresentation],
    chosen: tuple[CommunityPlan | None, str, str],
    action_counts: dict[int, tuple[int, int]],
    statuses: dict[int, dict[str, int]],
    recommended: Sequence[Sector],
    today: datetime.date,
) -> PartnershipSummary:
    members = [m for rep in mains for m in rep.members]
    present = {m.sector_id for m in members if m.sector_id}
    sectors = {m.sector_id: m.sector for m in members if m.sector_id}
    seats: int | None = None
    vacant: int | None = None
    if mains and all(rep.council.seats is not None for rep in mains):
        seats = sum(rep.council.seats or 0 for rep in mains)
        vacant = sum(rep.vacant_seats or 0 for rep in mains)
    themes: list[str] = []
    for group in p.summary_groups:
        if group.focus_area is not None and group.focus_area.display_name not in themes:
            themes.append(group.focus_area.display_name)
    plan, state, label = chosen
    total, done = action_counts.get(plan.pk, (0, 0)) if plan else (0, 0)
    counts = dict(statuses.get(plan.pk, dict.fromkeys(STATUS_LABELS, 0))) if plan else {}
    indicators_total = sum(counts.values())
    on_track = counts.get(MET, 0) + counts.get(ON_TRACK, 0)
    return PartnershipSummary(
        partnership=p,
        kind=p.kind,
        province=p.province,
        council_seats=seats,
        current_members=len(members),
        vacant_seats=vacant,
        member_organizations=len({m.organization_id for m in members if m.organization_id}),
        sectors_represented=sorted(sectors.values(), key=lambda s: (s.order, s.name)),
        missing_sectors=[s for s in recommended if s.recommended and s.pk not in present],
        newcomer_seats=sum(1 for m in members if m.sector_id and m.sector.slug == Sector.NEWCOMERS),
        indigenous_seats=sum(
            1 for m in members if m.sector_id and m.sector.slug == Sector.INDIGENOUS
        ),
        working_groups=len(p.summary_groups),
        working_group_themes=themes,
        plan=plan,
        plan_status=label,
        actions_total=total,
        actions_done=done,
        actions_done_pct=_pct(done, total),
        indicators_total=indicators_total,
        indicators_on_track=on_track,
        indicators_on_track_pct=_pct(on_track, indicators_total),
        last_confirmed=p.last_confirmed,
        is_stale=is_stale(p, today),
        confidence=p.confidence,
        has_main_council=bool(mains),
        plan_state=state,
        indicator_statuses=counts,
    )


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

"""Public community plan pages: the plan (current or archived) and its annual report.

Thin views over the plan rules: progress, change and "on track" come from
:func:`plans.services.indicator_status`, peers from :mod:`plans.peers`, charts from
:mod:`plans.charts`. Each page runs a constant number of queries whatever the number of
priorities, actions, indicators, measurements or peers. Drafts are never public.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from partnerships.models import Partnership

from .charts import IndicatorChart, format_number, indicator_chart
from .models import Action, CommunityPlan, Indicator, Measurement, Priority
from .peers import PeerGroup, Standing, indicator_standings, priority_peers
from .services import ON_TRACK_RULE, IndicatorStatus, indicator_status


def public_plans(partnership: Partnership) -> list[CommunityPlan]:
    """The partnership's plans the public may read (not drafts), newest first (one query)."""
    plans: QuerySet[CommunityPlan] = (
        CommunityPlan.objects.filter(partnership=partnership)
        .exclude(status=CommunityPlan.Status.DRAFT)
        .order_by("-start_year", "-end_year", "-pk")
    )
    rows = list(plans)
    for plan in rows:
        plan.partnership = partnership
    return rows


def load_priorities(plan: CommunityPlan) -> list[Priority]:
    """The plan's priorities with everything the pages show, in five queries.

    Priorities (with focus area), their characteristics, actions (with lead organization and
    working group), indicators (with catalogue entry) and measurements (oldest first).
    Prefetching from ``plan`` leaves ``indicator.priority.plan`` cached, which the status rule
    reads.
    """
    indicators = Indicator.objects.select_related("definition").prefetch_related(
        Prefetch("measurements", queryset=Measurement.objects.order_by("year", "pk"))
    )
    actions = Action.objects.select_related("lead_organization", "working_group").order_by(
        "year", "due_date", "title", "pk"
    )
    priorities = (
        Priority.objects.filter(plan=plan)
        .select_related("focus_area")
        .prefetch_related(
            "characteristics",
            Prefetch("actions", queryset=actions),
            Prefetch("indicators", queryset=indicators.order_by("name", "pk")),
        )
        .order_by("order", "title", "pk")
    )
    rows = list(priorities)
    for priority in rows:
        priority.plan = plan  # the status rule reads indicator.priority.plan
        for indicator in priority.indicators.all():
            indicator.priority = priority
    return rows


@dataclass
class IndicatorRow:
    """One indicator as a plan page shows it."""

    indicator: Indicator
    status: IndicatorStatus
    measurements: list[Measurement]
    chart: IndicatorChart | None = None
    standing: Standing | None = None
    year: int | None = None  # a report's year: the status is as of the end of that year

    @property
    def measured_in_year(self) -> Measurement | None:
        """The measurement of the report's year itself (``None``: not measured that year)."""
        latest = self.status.latest
        if latest is not None and (self.year is None or latest.year == self.year):
            return latest
        return None

    @property
    def latest_label(self) -> str:
        latest = self.status.latest
        return format_number(latest.value) if latest is not None else ""

    @property
    def baseline_label(self) -> str:
        return format_number(self.indicator.baseline_value)

    @property
    def target_label(self) -> str:
        return format_number(self.indicator.target_value)

    @property
    def change_label(self) -> str:
        change = self.status.change
        if change is None:
            return ""
        return ("+" if change > 0 else "") + format_number(change)


@dataclass
class PriorityRow:
    priority: Priority
    actions: list[Action]
    indicators: list[IndicatorRow] = field(default_factory=list)


def indicator_rows(
    priority: Priority, *, year: int | None = None, charts: bool = False
) -> list[IndicatorRow]:
    """Each indicator of ``priority`` with its status (as of ``year`` when given)."""
    rows = []
    for indicator in priority.indicators.all():
        measurements = list(indicator.measurements.all())
        status = indicator_status(indicator, measurements, year=year)
        row = IndicatorRow(indicator, status, measurements, year=year)
        if charts:
            row.chart = chart_of(indicator, measurements)
        rows.append(row)
    return rows


def chart_of(indicator: Indicator, measurements: Sequence[Measurement]) -> IndicatorChart:
    """The SVG chart of one indicator: baseline, measurements, target."""
    baseline = target = None
    if indicator.baseline_value is not None and indicator.baseline_year is not None:
        baseline = (indicator.baseline_year, indicator.baseline_value)
    if indicator.target_value is not None and indicator.target_year is not None:
        target = (indicator.target_year, indicator.target_value)
    return indicator_chart(
        chart_id=f"chart-indicator-{indicator.pk}",
        title=str(indicator.display_name),
        unit=str(indicator.display_unit),
        baseline=baseline,
        target=target,
        measurements=[(m.year, m.value, m.is_sample or indicator.is_sample) for m in measurements],
    )


def has_sample(plan: CommunityPlan | None, priorities: Sequence[PriorityRow]) -> bool:
    """Whether any row shown is generated sample data (the page then says so)."""
    if plan is None:
        return False
    if plan.is_sample:
        return True
    for row in priorities:
        if row.priority.is_sample or any(a.is_sample for a in row.actions):
            return True
        for item in row.indicators:
            if item.indicator.is_sample or any(m.is_sample for m in item.measurements):
                return True
    return False


class PlanPageMixin:
    """The partnership named in the URL and its public plans (two queries)."""

    request: HttpRequest
    kwargs: dict[str, Any]

    def get_partnership(self) -> Partnership:
        return get_object_or_404(Partnership, slug=self.kwargs["slug"])

    @staticmethod
    def report_years(plan: CommunityPlan) -> list[int]:
        return list(range(plan.start_year, plan.end_year + 1))


class PlanDetailView(PlanPageMixin, TemplateView):
    """A partnership's current plan (or an archived one): priorities, actions, indicators,
    charts, earlier plans and peers."""

    template_name = "plans/plan_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        partnership = self.get_partnership()
        plans = public_plans(partnership)
        start, end = self.kwargs.get("start"), self.kwargs.get("end")
        if start is not None:
            plan = next((p for p in plans if (p.start_year, p.end_year) == (start, end)), None)
            if plan is None:
                raise Http404("No public plan of this partnership covers these years.")
        else:
            plan = next((p for p in plans if p.status == CommunityPlan.Status.ACTIVE), None)
        rows: list[PriorityRow] = []
        peers: list[PeerGroup] = []
        if plan is not None:
            priorities = load_priorities(plan)
            rows = [
                PriorityRow(p, list(p.actions.all()), indicator_rows(p, charts=True))
                for p in priorities
            ]
            if plan.status == CommunityPlan.Status.ACTIVE:
                peers = priority_peers(plan, priorities)
                indicators = [item.indicator for row in rows for item in row.indicators]
                latest = {
                    item.indicator.pk: item.status.latest for row in rows for item in row.indicators
                }
                standings = indicator_standings(plan, indicators, latest)
                for row in rows:
                    for item in row.indicators:
                        item.standing = standings.get(item.indicator.pk)
        actions = [a for row in rows for a in row.actions]
        context.update(
            partnership=partnership,
            plan=plan,
            is_current=plan is not None and plan.status == CommunityPlan.Status.ACTIVE,
            other_plans=[p for p in plans if p != plan],
            priority_rows=rows,
            actions_total=len(actions),
            actions_done=sum(1 for a in actions if a.status == Action.Status.DONE),
            peer_groups=peers,
            report_years=self.report_years(plan) if plan is not None else [],
            has_sample_data=has_sample(plan, rows),
            on_track_rule=ON_TRACK_RULE,
        )
        return context


@dataclass
class ReportActions:
    status: str
    label: str
    actions: list[tuple[Priority, Action]]


class PlanReportView(PlanPageMixin, TemplateView):
    """The annual report of the plan covering ``year``: the year's actions, done and not,
    and each indicator's value that year with its change since the year before."""

    template_name = "plans/plan_report.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        partnership = self.get_partnership()
        year: int = self.kwargs["year"]
        plans = public_plans(partnership)
        covering = [p for p in plans if p.start_year <= year <= p.end_year]
        # The active plan first, then the newest: plans may overlap by a year.
        covering.sort(key=lambda p: p.status != CommunityPlan.Status.ACTIVE)
        if not covering:
            raise Http404("No public plan of this partnership covers this year.")
        plan = covering[0]
        priorities = load_priorities(plan)
        rows = [
            PriorityRow(
                p,
                [a for a in p.actions.all() if a.year == year],
                indicator_rows(p, year=year),
            )
            for p in priorities
        ]
        groups = []
        for status, label in Action.Status.choices:
            listed = [(row.priority, a) for row in rows for a in row.actions if a.status == status]
            groups.append(ReportActions(status, str(label), listed))
        done = next(g for g in groups if g.status == Action.Status.DONE)
        not_done = [g for g in groups if g.status != Action.Status.DONE]
        context.update(
            partnership=partnership,
            plan=plan,
            year=year,
            priority_rows=rows,
            done=done,
            not_done=not_done,
            actions_total=sum(len(g.actions) for g in groups),
            not_done_total=sum(len(g.actions) for g in not_done),
            report_years=self.report_years(plan),
            previous_year=year - 1 if year > plan.start_year else None,
            next_year=year + 1 if year < plan.end_year else None,
            plan_url=plan_url(plan),
            has_indicators=any(row.indicators for row in rows),
            has_sample_data=has_sample(plan, rows),
            on_track_rule=ON_TRACK_RULE,
        )
        return context


def plan_url(plan: CommunityPlan) -> str:
    """The plan's public page: the plain plan address for the active plan, else its years."""
    return plan.get_absolute_url()

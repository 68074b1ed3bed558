"""The detail page's community plan, its priorities, indicators and measurements, in one query.

Prefetching the chain costs four queries (plan, priorities, indicators, measurements), a
third of the page's budget. Here one query LEFT JOINs the chain from the partnership's
current plan, each row carrying every column of each level (``values()``, so with the
database converters applied), and the rows are folded back into model instances with
``Model.from_db``. Each level's relation to its parent is set on the instance, so
:func:`plans.services.indicator_status` (the one rule for latest value and progress) runs on
these instances without a query, exactly as on prefetched ones.

The counts of actions (done and in all, counted through the plan's priorities, as before)
are correlated subqueries of the same query.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, IntegerField, Model, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from partnerships.models import FocusArea, Partnership
from plans.models import Action, CommunityPlan, Indicator, Measurement, Priority
from plans.services import indicator_status

PRIORITY = "priorities__"
FOCUS_AREA = PRIORITY + "focus_area__"
INDICATOR = PRIORITY + "indicators__"
MEASUREMENT = INDICATOR + "measurements__"
#: Each level of the chain: the model and the prefix of its columns in a row.
LEVELS: list[tuple[type[Model], str]] = [
    (CommunityPlan, ""),
    (Priority, PRIORITY),
    (FocusArea, FOCUS_AREA),
    (Indicator, INDICATOR),
    (Measurement, MEASUREMENT),
]


def _columns(model: type[Model], prefix: str) -> list[str]:
    return [prefix + field.name for field in model._meta.concrete_fields]


def _instance(model: type[Model], prefix: str, row: dict[str, Any]) -> Any:
    """The ``model`` instance a row carries under ``prefix`` (``None`` for an empty join)."""
    fields = model._meta.concrete_fields
    values = [row[prefix + field.name] for field in fields]
    if row[prefix + model._meta.pk.name] is None:
        return None
    return model.from_db(DEFAULT_DB_ALIAS, [field.attname for field in fields], values)


def _action_count(**filters: Any) -> Coalesce:
    """Actions of the plan's priorities (as ``Count("priorities__actions")`` counted them)."""
    actions = (
        Action.objects.filter(priority__plan=OuterRef("pk"), **filters)
        .order_by()
        .values("priority__plan")
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(actions, output_field=IntegerField()), Value(0))


def current_plan(partnership: Partnership) -> CommunityPlan | None:
    """The partnership's current plan (the latest by start year), with ``actions_total``,
    ``actions_done`` and ``priority_rows`` (each priority with its indicators' latest value
    and progress), or ``None``; one query."""
    latest = (
        CommunityPlan.objects.current()
        .filter(partnership=partnership)
        .order_by("-start_year", "-pk")
        .values("pk")[:1]
    )
    rows = (
        CommunityPlan.objects.filter(pk=Subquery(latest))
        .annotate(
            actions_total=_action_count(),
            actions_done=_action_count(status=Action.Status.DONE),
        )
        .order_by(
            PRIORITY + "order",
            PRIORITY + "title",
            PRIORITY + "id",
            INDICATOR + "name",
            INDICATOR + "id",
            "-" + MEASUREMENT + "year",
            "-" + MEASUREMENT + "id",
        )
        .values(
            *[column for model, prefix in LEVELS for column in _columns(model, prefix)],
            "actions_total",
            "actions_done",
        )
    )
    plan = None
    priorities: dict[int, Priority] = {}
    indicators: dict[int, Indicator] = {}
    measurements: dict[int, list[Measurement]] = {}
    for row in rows:
        if plan is None:
            plan = _instance(CommunityPlan, "", row)
            plan.actions_total = row["actions_total"]
            plan.actions_done = row["actions_done"]
        priority_id = row[PRIORITY + "id"]
        if priority_id is not None and priority_id not in priorities:
            priority = _instance(Priority, PRIORITY, row)
            priority.plan = plan
            priority.focus_area = _instance(FocusArea, FOCUS_AREA, row)
            priorities[priority_id] = priority
        indicator_id = row[INDICATOR + "id"]
        if indicator_id is not None and indicator_id not in indicators:
            indicator = _instance(Indicator, INDICATOR, row)
            indicator.priority = priorities[priority_id]
            indicators[indicator_id] = indicator
            measurements[indicator_id] = []
        measurement = _instance(Measurement, MEASUREMENT, row)
        if measurement is not None:
            measurement.indicator = indicators[indicator_id]
            measurements[indicator_id].append(measurement)
    if plan is None:
        return None
    plan.priority_rows = [{"priority": p, "indicators": []} for p in priorities.values()]
    by_priority = {row["priority"].pk: row["indicators"] for row in plan.priority_rows}
    for indicator in indicators.values():
        # One rule for latest value and progress (polarity respected).
        status = indicator_status(indicator, measurements[indicator.pk])
        by_priority[indicator.priority_id].append(
            {"indicator": indicator, "latest": status.latest, "percent": status.percent}
        )
    return plan

"""Community plan rules that several pages share: measurement years and indicator status.

The directory's detail page, the public plan and report pages, the funders' summary and the
exports all judge an indicator here, so "on track" or "change since the previous year" means
the same thing everywhere.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .models import CommunityPlan, Indicator, Measurement, Polarity

# -- measurement years --------------------------------------------------------------------


def measurement_years(indicator: Indicator) -> tuple[int, int]:
    """(first, last) year an indicator may be measured: the plan's period, starting earlier
    when the baseline year precedes it (the baseline measurement)."""
    plan = indicator.priority.plan
    first = plan.start_year
    if indicator.baseline_year is not None:
        first = min(first, indicator.baseline_year)
    return first, plan.end_year


def measurement_validate(*, indicator: Indicator, year: int) -> None:
    """Refuse a measurement year outside the indicator's plan (the baseline year allowed).

    Called by ``Measurement.clean``, hence by the admin and by any import that validates;
    a database constraint cannot reach across the plan's table.
    """
    first, last = measurement_years(indicator)
    if not first <= year <= last:
        raise ValidationError(
            {
                "year": gettext_lazy(
                    "The year must fall within the plan's period (%(first)s–%(last)s), or be "
                    "the indicator's baseline year."
                )
                % {"first": first, "last": last}
            }
        )


# -- indicator status ---------------------------------------------------------------------

MET = "met"
ON_TRACK = "on_track"
BEHIND = "behind"
NO_DATA = "no_data"

STATUS_LABELS = {
    MET: gettext_lazy("Target met"),
    ON_TRACK: gettext_lazy("On track"),
    BEHIND: gettext_lazy("Behind"),
    NO_DATA: gettext_lazy("No data"),
}

#: Stated on the funder page, in the exports' column dictionary and on the plan pages.
ON_TRACK_RULE = gettext_lazy(
    "An indicator is on track when its latest value has covered at least the share of the "
    "way from baseline to target that matches the share of the plan period elapsed by the end "
    "of the year it measures (for example half the way for a 2025 value in a 2024–2027 "
    "plan). “Lower is better” indicators count progress downwards. Indicators without a "
    "baseline, a target or a measurement have no data and are not counted as on track."
)


def plan_elapsed_share(plan: CommunityPlan, today: datetime.date) -> float:
    """Share (0..1) of a plan's period, 1 January of its first year to 31 December of its
    last, that has passed on ``today``."""
    start = datetime.date(plan.start_year, 1, 1)
    end = datetime.date(plan.end_year, 12, 31)
    share = (today - start).days / max((end - start).days, 1)
    return max(0.0, min(1.0, share))


@dataclass(frozen=True)
class IndicatorStatus:
    """Where one indicator stands: its latest value, the change since the year before and
    whether it is on track (see :data:`ON_TRACK_RULE`)."""

    indicator: Indicator
    latest: Measurement | None
    previous: Measurement | None
    change: Decimal | None
    improved: bool | None
    progress: float | None
    state: str

    @property
    def percent(self) -> int | None:
        """Progress from baseline to target, in whole percent (``None`` without data)."""
        return None if self.progress is None else round(self.progress * 100)

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.state])

    @property
    def on_track(self) -> bool:
        """Met or on track (what funders count)."""
        return self.state in (MET, ON_TRACK)


def indicator_state(
    indicator: Indicator, latest: Measurement | None, *, today: datetime.date | None = None
) -> str:
    """``met``, ``on_track``, ``behind`` or ``no_data`` for one indicator.

    * no baseline, no target or no measurement: ``no_data``;
    * the latest value is at or beyond the target (on the better side): ``met``;
    * progress (:meth:`Indicator.progress`, polarity respected) at least the share of the
      plan period elapsed at the end of the measured year (or on ``today``, if earlier):
      ``on_track``;
    * otherwise ``behind`` (also when the target equals the baseline and is not reached).

    The value is judged at the end of the year it measures, not on ``today``: values are
    reported once a year, after the year ends, so comparing a 2025 value with the time
    elapsed in late 2026 would call almost every indicator behind.

    Reads ``indicator.priority.plan`` for the period: select it with the indicator.
    """
    if latest is None or indicator.baseline_value is None or indicator.target_value is None:
        return NO_DATA
    value = Decimal(latest.value)
    if indicator.reached(value):
        return MET
    gained, needed = indicator.gain(value)  # type: ignore[misc]
    if needed <= 0:
        return BEHIND
    progress = indicator.progress(value) or 0.0
    today = today or timezone.localdate()
    as_of = min(today, datetime.date(latest.year, 12, 31))
    if progress >= plan_elapsed_share(indicator.priority.plan, as_of):
        return ON_TRACK
    return BEHIND


def indicator_status(
    indicator: Indicator,
    measurements: Iterable[Measurement],
    *,
    year: int | None = None,
    today: datetime.date | None = None,
) -> IndicatorStatus:
    """The :class:`IndicatorStatus` of ``indicator`` from its ``measurements`` (any order).

    ``year`` judges the indicator as it stood at the end of that year (an annual report):
    later measurements are ignored. The change is against the measurement of the year just
    before the latest one; ``None`` when that year was not measured. No query is run beyond
    ``indicator.priority.plan`` (select it with the indicator).
    """
    by_year = {m.year: m for m in measurements if year is None or m.year <= year}
    latest = by_year[max(by_year)] if by_year else None
    previous = by_year.get(latest.year - 1) if latest is not None else None
    change: Decimal | None = None
    improved: bool | None = None
    if latest is not None and previous is not None:
        change = Decimal(latest.value) - Decimal(previous.value)
        if change:
            improved = (change < 0) if indicator.polarity == Polarity.LOWER else (change > 0)
    return IndicatorStatus(
        indicator=indicator,
        latest=latest,
        previous=previous,
        change=change,
        improved=improved,
        progress=indicator.progress(latest.value if latest is not None else None),
        state=indicator_state(indicator, latest, today=today),
    )

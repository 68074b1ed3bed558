"""Server-rendered line charts of an indicator's measurements: geometry here, markup in
``templates/plans/_indicator_chart.html``.

No JavaScript: the chart is an inline SVG (``role="img"`` with a title and a description) and
the very same points, formatted by the same function, fill the table beside it, so that the
picture and its text alternative can never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

WIDTH = 480
HEIGHT = 220
LEFT = 58
RIGHT = 24
TOP = 22
BOTTOM = 34
PLOT_WIDTH = WIDTH - LEFT - RIGHT
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
#: Colours with at least 3:1 contrast on white (WCAG 1.4.11 non-text contrast).
MEASURED_COLOUR = "#0b4f8a"
BASELINE_COLOUR = "#4a4a4a"
TARGET_COLOUR = "#1f6f43"
#: Year labels on the horizontal axis before every other year is skipped.
MAX_YEAR_TICKS = 8


#: The typographic minus sign: a hyphen after a dash reads as "– -3".
MINUS = "\u2212"


def format_number(value: Decimal | float | int | None) -> str:
    """A value as people read it in the page's language: ``12``, ``62.5`` / ``62,5``.

    Stored values carry two decimals (``12.00``); trailing zeros are dropped. A negative
    value takes the minus sign (U+2212, ``−3``), not a hyphen. The chart's labels, its table
    and the plan pages' changes all print numbers through this one function.
    """
    if value is None:
        return "—"
    number = Decimal(str(value))
    if number == 0:
        number = abs(number)  # no "−0" from a negative zero
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    text = number_format(number, use_l10n=True, force_grouping=abs(number) >= 10000)
    return MINUS + text[1:] if text.startswith("-") else text


@dataclass(frozen=True)
class ChartPoint:
    """One point of the chart (and one row of its table)."""

    kind: str  # "baseline", "measurement" or "target"
    year: int
    value: Decimal
    x: float
    y: float
    is_sample: bool = False

    @property
    def label(self) -> str:
        return format_number(self.value)

    @property
    def kind_label(self) -> str:
        return {
            "baseline": _("Baseline"),
            "measurement": _("Measured"),
            "target": _("Target"),
        }[self.kind]

    @property
    def label_y(self) -> float:
        """Labels sit above measured points and below baseline/target markers."""
        return self.y - 9 if self.kind == "measurement" else self.y + 17

    @property
    def box_x(self) -> float:
        """Top-left corner of the square baseline marker."""
        return self.x - 5

    @property
    def box_y(self) -> float:
        return self.y - 5

    @property
    def label_x(self) -> float:
        return min(max(self.x, LEFT + 12), WIDTH - RIGHT - 4)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass
class IndicatorChart:
    """Everything the template needs to draw one indicator's chart and its table."""

    id: str
    title: str
    description: str
    unit: str
    points: list[ChartPoint] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM

    @property
    def measured(self) -> list[ChartPoint]:
        return [p for p in self.points if p.kind == "measurement"]

    @property
    def baseline(self) -> ChartPoint | None:
        return next((p for p in self.points if p.kind == "baseline"), None)

    @property
    def target(self) -> ChartPoint | None:
        return next((p for p in self.points if p.kind == "target"), None)

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.measured)

    @property
    def rows(self) -> list[ChartPoint]:
        """The table alternative: every point, by year (baseline first, target last)."""
        order = {"baseline": 0, "measurement": 1, "target": 2}
        return sorted(self.points, key=lambda p: (p.year, order[p.kind]))

    @property
    def is_empty(self) -> bool:
        return not self.points


def nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about ``ticks`` intervals."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power  # pragma: no cover - the loop always returns


def value_range(values: Iterable[Decimal]) -> tuple[float, float, float]:
    """Axis bounds and step: from zero when every value is positive, rounded outwards."""
    numbers = [float(v) for v in values]
    low, high = min(numbers), max(numbers)
    if low >= 0:
        low = 0.0
    if high == low:
        high = low + (abs(low) or 1.0)
    step = nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def indicator_chart(
    *,
    chart_id: str,
    title: str,
    unit: str,
    baseline: tuple[int, Decimal] | None,
    target: tuple[int, Decimal] | None,
    measurements: Iterable[tuple[int, Decimal, bool]],
) -> IndicatorChart:
    """The chart of one indicator: its baseline, its yearly measurements and its target.

    ``measurements`` are ``(year, value, is_sample)``; years with no measurement are simply
    absent (the line joins the years that have one, and the table lists only those).
    """
    measured = sorted(measurements, key=lambda m: m[0])
    raw: list[tuple[str, int, Decimal, bool]] = []
    if baseline is not None:
        raw.append(("baseline", baseline[0], baseline[1], False))
    raw += [("measurement", year, value, sample) for year, value, sample in measured]
    if target is not None:
        raw.append(("target", target[0], target[1], False))
    chart = IndicatorChart(id=chart_id, title=title, description="", unit=unit)
    if not raw:
        chart.description = _("No baseline, target or measurement is recorded.")
        return chart
    years = [item[1] for item in raw]
    first, last = min(years), max(years)
    low, high, step = value_range(item[2] for item in raw)

    def x_of(year: int) -> float:
        if first == last:
            return LEFT + PLOT_WIDTH / 2
        return LEFT + (year - first) * PLOT_WIDTH / (last - first)

    def y_of(value: float) -> float:
        return TOP + PLOT_HEIGHT - (value - low) * PLOT_HEIGHT / (high - low)

    chart.points = [
        ChartPoint(kind, year, value, x_of(year), y_of(float(value)), sample)
        for kind, year, value, sample in raw
    ]
    every = math.ceil((last - first + 1) / MAX_YEAR_TICKS)
    chart.x_ticks = [Tick(x_of(year), str(year)) for year in range(first, last + 1, every)]
    count = round((high - low) / step)
    chart.y_ticks = [
        Tick(y_of(low + i * step), format_number(Decimal(str(round(low + i * step, 6)))))
        for i in range(count + 1)
    ]
    chart.description = describe(chart)
    return chart


def describe(chart: IndicatorChart) -> str:
    """One sentence saying what the chart shows, numbers included (the SVG's ``<desc>``)."""
    parts = []
    unit = f" {chart.unit}" if chart.unit else ""
    if chart.baseline:
        parts.append(
            _("Baseline %(value)s%(unit)s in %(year)s.")
            % {"value": chart.baseline.label, "unit": unit, "year": chart.baseline.year}
        )
    if chart.measured:
        values = "; ".join(f"{p.year}: {p.label}" for p in chart.measured)
        parts.append(_("Measured: %(values)s.") % {"values": values})
    else:
        parts.append(_("No measurement yet."))
    if chart.target:
        parts.append(
            _("Target %(value)s%(unit)s by %(year)s.")
            % {"value": chart.target.label, "unit": unit, "year": chart.target.year}
        )
    return " ".join(parts)

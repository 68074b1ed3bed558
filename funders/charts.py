"""Server-rendered bar charts for the funder page: geometry here, markup in the template.

No JavaScript: each chart is an SVG (``role="img"`` with a title and description) and its
numbers are also given as a table for screen readers and for copying.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from partnerships.models import Sector

from .summary import PLAN_STATE_LABELS, PartnershipSummary

LABEL_WIDTH = 300
PLOT_WIDTH = 380
BAR_HEIGHT = 18
ROW_HEIGHT = 26
TOP = 8
#: Fills for the plan states, in PLAN_STATE_LABELS order (contrast >= 3:1 on white).
PLAN_STATE_COLOURS = ["#1f6f43", "#8a5a00", "#6b4c9a", "#a12a2a"]
BAR_COLOUR = "#205493"


@dataclass
class Segment:
    value: int
    x: float
    width: float
    colour: str
    label: str


@dataclass
class Bar:
    label: str
    value: int
    y: float
    segments: list[Segment] = field(default_factory=list)

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT - 5

    @property
    def end_x(self) -> float:
        return LABEL_WIDTH + sum(s.width for s in self.segments) + 6


@dataclass
class Chart:
    """One chart: its bars, legend and the numbers for the table alternative."""

    id: str
    title: str
    description: str
    bars: list[Bar]
    columns: list[str]
    legend: list[tuple[str, str]] = field(default_factory=list)
    label_width: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def width(self) -> int:
        return self.label_width + self.plot_width + 60

    @property
    def height(self) -> int:
        return TOP * 2 + ROW_HEIGHT * max(len(self.bars), 1)

    @property
    def rows(self) -> list[list[object]]:
        """The table alternative: a row per bar, the segments' values as columns."""
        return [[bar.label, *[s.value for s in bar.segments]] for bar in self.bars]


def _scale(maximum: int) -> float:
    return PLOT_WIDTH / maximum if maximum else 0.0


def missing_sectors_chart(
    summaries: Sequence[PartnershipSummary], recommended: Sequence[Sector], title: str, desc: str
) -> Chart:
    """How many of the partnerships lack each recommended sector, most often missing first."""
    missing = Counter(m.pk for s in summaries for m in s.missing_sectors)
    counts = [
        (sector.display_name, missing[sector.pk], sector.order)
        for sector in recommended
        if sector.recommended
    ]
    counts.sort(key=lambda item: (-item[1], item[2], item[0]))
    scale = _scale(len(summaries))
    bars = []
    for index, (label, value, _order) in enumerate(counts):
        bar = Bar(label=label, value=value, y=TOP + index * ROW_HEIGHT)
        bar.segments.append(Segment(value, LABEL_WIDTH, value * scale, BAR_COLOUR, label))
        bars.append(bar)
    return Chart("chart-missing-sectors", title, desc, bars, columns=[])


def plan_status_chart(summaries: Sequence[PartnershipSummary], title: str, desc: str) -> Chart:
    """Partnerships per province, stacked by plan state (active, draft only, ended, none)."""
    states = list(PLAN_STATE_LABELS)
    provinces: dict[str, tuple[str, dict[str, int]]] = {}
    for s in summaries:
        label, counts = provinces.setdefault(
            s.province, (s.province_label, dict.fromkeys(states, 0))
        )
        counts[s.plan_state] = counts.get(s.plan_state, 0) + 1
    scale = _scale(max((sum(c.values()) for _l, c in provinces.values()), default=0))
    bars = []
    for index, code in enumerate(sorted(provinces)):
        label, counts = provinces[code]
        bar = Bar(label=label, value=sum(counts.values()), y=TOP + index * ROW_HEIGHT)
        x = float(LABEL_WIDTH)
        for state, colour in zip(states, PLAN_STATE_COLOURS, strict=True):
            width = counts[state] * scale
            bar.segments.append(
                Segment(counts[state], x, width, colour, str(PLAN_STATE_LABELS[state]))
            )
            x += width
        bars.append(bar)
    legend = [
        (str(PLAN_STATE_LABELS[state]), colour)
        for state, colour in zip(states, PLAN_STATE_COLOURS, strict=True)
    ]
    return Chart(
        "chart-plan-status",
        title,
        desc,
        bars,
        columns=[label for label, _colour in legend],
        legend=legend,
    )

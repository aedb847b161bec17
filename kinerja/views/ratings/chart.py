"""The geometry of a unit's distribution chart, drawn as SVG by a Jinja macro
(``kinerja/ratings/chart.html``): one horizontal bar per predikat on a 0–100 % scale, and
the limits of the expected curve as marks across the bars they bound. Server-rendered and
bundled with the app: no script, no external request, and it prints as it shows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kinerja.domain.ratings import Predikat
from kinerja.services.ratings.queries import Distribution, Expectation

LABEL_WIDTH = 170  # the predikat names, left of the bars
SCALE_WIDTH = 400  # 0–100 %
VALUE_WIDTH = 130  # "12 (40 %)" right of a bar
ROW_HEIGHT = 40
BAR_HEIGHT = 18
TOP = 26  # room for the scale's labels
BOTTOM = 14
TICKS = (0, 25, 50, 75, 100)


@dataclass(frozen=True)
class Bar:
    predikat: Predikat
    count: int
    percent: Decimal
    x: float
    y: float
    width: float
    height: float
    text_y: float


@dataclass(frozen=True)
class Mark:
    """An expected limit on one bar's row: at most / at least ``limit`` percent."""

    kind: str
    limit: int
    x: float
    y1: float
    y2: float
    holds: bool


@dataclass(frozen=True)
class Tick:
    percent: int
    x: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    scale_left: int
    scale_right: int
    top: int
    bottom: float
    bars: list[Bar]
    marks: list[Mark]
    ticks: list[Tick]
    combined: list[Expectation]  # expectations counting several predikat together


def _x(percent: Decimal | int) -> float:
    bounded = min(max(Decimal(percent), Decimal(0)), Decimal(100))
    return float(LABEL_WIDTH + bounded * SCALE_WIDTH / 100)


def chart(figures: Distribution) -> Chart:
    """Bars and marks of ``figures`` (a limit of one predikat is marked on its bar; a
    limit on several together is listed under the chart)."""
    bars = []
    rows: dict[Predikat, float] = {}
    for index, share in enumerate(figures.shares):
        top = TOP + index * ROW_HEIGHT
        rows[share.predikat] = top
        y = top + (ROW_HEIGHT - BAR_HEIGHT) / 2
        bars.append(
            Bar(
                predikat=share.predikat,
                count=share.count,
                percent=share.percent,
                x=LABEL_WIDTH,
                y=y,
                width=_x(share.percent) - LABEL_WIDTH,
                height=BAR_HEIGHT,
                text_y=y + BAR_HEIGHT - 5,
            )
        )
    marks = [
        Mark(
            kind=e.kind,
            limit=e.limit,
            x=_x(e.limit),
            y1=rows[e.predikats[0]] + 2,
            y2=rows[e.predikats[0]] + ROW_HEIGHT - 2,
            holds=e.holds,
        )
        for e in figures.expectations
        if len(e.predikats) == 1 and e.kind in ("at_most", "at_least")
    ]
    bottom = TOP + len(bars) * ROW_HEIGHT
    return Chart(
        width=LABEL_WIDTH + SCALE_WIDTH + VALUE_WIDTH,
        height=bottom + BOTTOM,
        scale_left=LABEL_WIDTH,
        scale_right=LABEL_WIDTH + SCALE_WIDTH,
        top=TOP,
        bottom=bottom,
        bars=bars,
        marks=marks,
        ticks=[Tick(t, _x(t)) for t in TICKS],
        combined=[e for e in figures.expectations if len(e.predikats) > 1],
    )

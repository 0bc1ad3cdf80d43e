"""Charts as server-rendered SVG: no script, nothing for the content policy to block.

Every chart is drawn beside a table holding the same figures (ARCHITECTURE rule 10), so the
SVG is a picture of the table and screen readers get its summary and the table itself.
"""

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 760
LABEL = 250
BAR = 22
GAP = 14


@dataclass
class Segment:
    series: str
    value: Decimal
    x: float
    width: float
    colour: str


@dataclass
class Bar:
    label: str
    y: float
    segments: list[Segment]
    total: Decimal


def stacked_bars(rows: list[tuple[str, list[Decimal]]], series: list[tuple[str, str]]) -> dict:
    """Geometry for horizontal stacked bars. `rows` are (label, values in series order);
    `series` are (name, colour)."""
    biggest = max((sum(values, Decimal(0)) for _, values in rows), default=Decimal(0))
    scale = (WIDTH - LABEL - 10) / float(biggest) if biggest > 0 else 0
    bars = []
    for i, (label, values) in enumerate(rows):
        x = float(LABEL)
        segments = []
        for (name, colour), value in zip(series, values, strict=True):
            width = max(float(value), 0) * scale
            segments.append(Segment(name, value, x, width, colour))
            x += width
        bars.append(Bar(label, GAP + i * (BAR + GAP), segments, sum(values, Decimal(0))))
    return {
        "bars": bars,
        "series": [{"name": n, "colour": c} for n, c in series],
        "width": WIDTH,
        "height": GAP + len(rows) * (BAR + GAP),
        "label_width": LABEL - 8,
        "bar": BAR,
    }

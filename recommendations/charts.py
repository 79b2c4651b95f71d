"""Geometry for the dashboard's two charts, drawn as server-side SVG.

No script and no inline style (the Content-Security-Policy allows neither); every chart is
shown with a table holding the same numbers for screen readers and for people who prefer it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from recommendations.models import Rag

RAG_ORDER = [r.value for r in Rag]
BAR_HEIGHT = 28
BAR_GAP = 18
LABEL_HEIGHT = 18
CHART_WIDTH = 640


@dataclass
class Segment:
    rag: str
    label: str
    count: int
    x: float
    width: float


@dataclass
class Bar:
    title: str
    total: int
    y: float
    segments: list[Segment] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    cells: list[tuple[str, int]] = field(default_factory=list)  # (label, count), for the table


def rag_bars(rows: list[dict]) -> dict:
    """Stacked horizontal bars: one per inspection, one segment per RAG category, in the
    words and colours the tables use."""
    bars: dict[int, Bar] = {}
    for row in rows:
        bar = bars.setdefault(
            row["inspection_id"], Bar(title=row["inspection__title"], total=0, y=0)
        )
        bar.counts[row["rag_value"]] = row["count"]
        bar.total += row["count"]
    largest = max((b.total for b in bars.values()), default=0) or 1
    scale = CHART_WIDTH / largest
    step = LABEL_HEIGHT + BAR_HEIGHT + BAR_GAP
    for n, bar in enumerate(bars.values()):
        bar.y = n * step + LABEL_HEIGHT
        x = 0.0
        for rag in RAG_ORDER:
            count = bar.counts.get(rag, 0)
            bar.cells.append((Rag(rag).label, count))
            if count:
                width = count * scale
                bar.segments.append(Segment(rag, Rag(rag).label, count, x, width))
                x += width
    return {
        "bars": list(bars.values()),
        "width": CHART_WIDTH,
        "height": max(len(bars) * step, step),
        "categories": [(r, Rag(r).label) for r in RAG_ORDER],
    }


def line_chart(series: list[dict], *, width: int = CHART_WIDTH, height: int = 220) -> dict:
    """Two lines (open, overdue) over time, with y-axis ticks and x labels."""
    left, bottom, top = 40, 30, 10
    plot_w, plot_h = width - left - 10, height - bottom - top
    highest = max((p["open"] for p in series), default=0) or 1
    step_x = plot_w / max(len(series) - 1, 1)

    def point(n: int, value: int) -> tuple[float, float]:
        return left + n * step_x, top + plot_h - (value / highest) * plot_h

    def polyline(key: str) -> str:
        return " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (point(n, p[key]) for n, p in enumerate(series))
        )

    ticks = sorted({0, highest // 2, highest})
    return {
        "width": width,
        "height": height,
        "left": left,
        "baseline": top + plot_h,
        "right": left + plot_w,
        "open_points": polyline("open"),
        "overdue_points": polyline("overdue"),
        "y_ticks": [{"value": t, "y": point(0, t)[1]} for t in ticks],
        "x_labels": [
            {"x": point(n, 0)[0], "label": _month_label(p["on"])}
            for n, p in enumerate(series)
            if (len(series) - 1 - n) % 2 == 0  # every other month, always the latest
        ],
        "series": series,
    }


def _month_label(day: date) -> str:
    return day.strftime("%b %y")

"""The pack's two charts as PNG images for Word and PDF, drawn with Pillow and the bundled
font (nothing from the operating system). The page draws the same charts as SVG.

Each chart is followed in every format by a table holding the same numbers, for screen
readers and for people who prefer figures; the images carry a text alternative.
"""

from __future__ import annotations

from io import BytesIO
from itertools import pairwise
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from recommendations.models import Rag
from reports.pack import Pack, Progress

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR = FONTS / "DejaVuSans.ttf"
BOLD = FONTS / "DejaVuSans-Bold.ttf"

# Drawn at twice the size they are shown, so they stay sharp when printed.
WIDTH = 1600
MAX_BARS = 15
TEXT = (11, 12, 12)
GRID = (177, 180, 182)
# The RAG categories' fills: GOV.UK's red, orange and green, then white and two greys, the
# colours of the dashboard's chart.
FILLS = {
    Rag.OVERDUE: (212, 53, 28),
    Rag.DUE_SOON: (244, 119, 56),
    Rag.ON_TRACK: (0, 112, 60),
    Rag.NO_DEADLINE: (255, 255, 255),
    Rag.COMPLETE: (133, 134, 134),
    Rag.NO_FURTHER_ACTION: (206, 206, 206),
}
OPEN_LINE = (29, 112, 184)
OVERDUE_LINE = (212, 53, 28)


def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(BOLD if bold else REGULAR), size)


def _png(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format="PNG", compress_level=3)  # flat colours compress well anyway
    return buffer.getvalue()


def _fit(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def chart_rows(pack: Pack) -> list[Progress]:
    """The inspections the RAG chart shows: the largest, in the table's order."""
    largest = sorted(pack.by_inspection, key=lambda p: -p.total)[:MAX_BARS]
    keep = {id(p) for p in largest}
    return [p for p in pack.by_inspection if id(p) in keep]


def bar_label(progress: Progress, several_forces: bool) -> str:
    prefix = f"{progress.force}: " if several_forces else ""
    return f"{prefix}{progress.title} ({progress.total})"


def rag_chart_png(pack: Pack) -> bytes:
    """Stacked horizontal bars: one per inspection, one segment per RAG category."""
    rows = chart_rows(pack)
    font, small = _font(26), _font(24)
    label_h, bar_h, gap, key_h = 38, 44, 26, 70
    height = key_h + max(len(rows), 1) * (label_h + bar_h + gap) + 10
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    x: float = 0
    for rag in Rag:
        draw.rectangle([x, 14, x + 28, 42], fill=FILLS[rag], outline=GRID, width=2)
        draw.text((x + 38, 12), rag.label, font=small, fill=TEXT)
        x += 38 + int(draw.textlength(rag.label, font=small)) + 36
    largest = max((p.total for p in rows), default=0) or 1
    scale = (WIDTH - 20) / largest
    y = key_h
    for progress in rows:
        label = _fit(draw, bar_label(progress, pack.several_forces), font, WIDTH)
        draw.text((0, y), label, font=font, fill=TEXT)
        y += label_h
        x = 0.0
        for rag in Rag:
            count = progress.rag.get(rag.value, 0)
            if count:
                width = count * scale
                draw.rectangle([x, y, x + width, y + bar_h], fill=FILLS[rag], outline=GRID, width=2)
                x += width
        y += bar_h + gap
    if not rows:
        draw.text((0, y), "No items in the period.", font=font, fill=TEXT)
    return _png(image)


def trend_chart_png(series: list[dict]) -> bytes:
    """Open (solid blue) and overdue (dashed red) items at the end of each month."""
    height, left, bottom, top, right = 600, 90, 70, 60, 70
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    font = _font(24)
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    highest = max((p["open"] for p in series), default=0) or 1
    step = plot_w / max(len(series) - 1, 1)

    def point(n: int, value: int) -> tuple[float, float]:
        return left + n * step, top + plot_h - value / highest * plot_h

    for tick in sorted({0, highest // 2, highest}):
        _, y = point(0, tick)
        draw.line([left, y, left + plot_w, y], fill=GRID, width=1)
        text = str(tick)
        draw.text(
            (left - 14 - draw.textlength(text, font=font), y - 14), text, font=font, fill=TEXT
        )
    for n, p in enumerate(series):
        if (len(series) - 1 - n) % 2 == 0:  # every other month, always the last
            x, _ = point(n, 0)
            text = p["on"].strftime("%b %y")
            draw.text(
                (x - draw.textlength(text, font=font) / 2, top + plot_h + 16),
                text,
                font=font,
                fill=TEXT,
            )
    draw.line([left, top + plot_h, left + plot_w, top + plot_h], fill=TEXT, width=2)
    opened = [point(n, p["open"]) for n, p in enumerate(series)]
    overdue = [point(n, p["overdue"]) for n, p in enumerate(series)]
    if len(opened) > 1:
        draw.line(opened, fill=OPEN_LINE, width=6, joint="curve")
        _dashed(draw, overdue, OVERDUE_LINE)
    key_font = _font(26)
    draw.line([left, 24, left + 60, 24], fill=OPEN_LINE, width=6)
    draw.text((left + 72, 10), "Open", font=key_font, fill=TEXT)
    _dashed(draw, [(left + 200, 24), (left + 260, 24)], OVERDUE_LINE)
    draw.text((left + 272, 10), "Overdue (dashed)", font=key_font, fill=TEXT)
    return _png(image)


def _dashed(draw: ImageDraw.ImageDraw, points: list[tuple[float, float]], colour) -> None:
    dash, space = 18.0, 10.0
    for (x1, y1), (x2, y2) in pairwise(points):
        length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 or 1.0
        at = 0.0
        while at < length:
            stop = min(at + dash, length)
            draw.line(
                [
                    x1 + (x2 - x1) * at / length,
                    y1 + (y2 - y1) * at / length,
                    x1 + (x2 - x1) * stop / length,
                    y1 + (y2 - y1) * stop / length,
                ],
                fill=colour,
                width=6,
            )
            at = stop + space


def rag_chart_description(pack: Pack) -> str:
    """The chart's text alternative: what it shows and where the numbers are."""
    return (
        "Bar chart of the RAG of the items in each inspection at the end of the period. "
        "The table after it gives the same numbers."
    )


def trend_chart_description() -> str:
    return (
        "Line chart of the open and overdue items at the end of each month of the year "
        "before the end of the period. The table after it gives the same numbers."
    )

"""The building blocks of the pack's layout: columns, tables, charts and sections, and how
a cell reads in the documents."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

from reports import charts

DOCS, SHEET, BOTH = "docs", "sheet", "both"
# Characters XML (Word, Excel) refuses; text pasted from elsewhere can carry them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    return _CONTROL.sub("", text)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float = 1.0  # relative, in the documents
    kind: str = "text"  # text, long (shortened in the documents), number, date, percent
    where: str = BOTH

    @property
    def numeric(self) -> bool:
        return self.kind in ("number", "percent")


@dataclass
class Table:
    key: str
    title: str  # the caption in the documents; the sheet's title in the workbook
    sheet: str  # at most 31 characters (Excel's limit)
    columns: list[Column]
    rows: list[dict]
    empty: str = "None."

    def columns_for(self, where: str) -> list[Column]:
        return [c for c in self.columns if c.where in (where, BOTH)]


@dataclass
class Chart:
    key: str
    title: str
    description: str
    draw: Callable[[], bytes]  # draws the PNG

    @cached_property
    def png(self) -> bytes:
        return self.draw()


@dataclass
class Section:
    key: str
    heading: str
    blocks: list = field(default_factory=list)  # str (a paragraph) | Table | Chart


@lru_cache(maxsize=1)
def _bold_font():
    from PIL import ImageFont

    return ImageFont.truetype(str(charts.BOLD), 100)


@lru_cache(maxsize=8192)
def _word_em(word: str) -> float:
    return _bold_font().getlength(word) / 100


def _word_mm(word: str, points: float) -> float:
    """The printed width of a word in the bold font at `points` (a slight overestimate for
    regular text, and for Word's Arial)."""
    return _word_em(word) * points * 0.3528


def column_widths(columns: list[Column], rows: list[dict], total: float, points: float) -> list:
    """Each column's width in millimetres: its share, but never narrower than its longest
    word (headers and the first rows), so no word is broken in the middle."""
    padding = 3.0
    least = []
    for column in columns:
        words = column.header.split()
        for row in rows[:50]:
            words += doc_value(column, row.get(column.key)).split()[:40]
        longest = max((_word_mm(w, points) for w in words), default=0) + padding
        least.append(min(longest, total * 0.3))  # a web address may still break
    if sum(least) >= total:
        return [low * total / sum(least) for low in least]
    share = sum(c.width for c in columns)
    widths = [max(total * c.width / share, low) for c, low in zip(columns, least, strict=True)]
    excess = sum(widths) - total
    if excess > 0:  # take it from the columns wider than they need to be
        room = [w - low for w, low in zip(widths, least, strict=True)]
        spare = sum(room) or 1
        widths = [w - excess * r / spare for w, r in zip(widths, room, strict=True)]
    return [w * total / sum(widths) for w in widths]  # exactly the width available


def short(text: str, limit: int = 180) -> str:
    text = " ".join(clean(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def doc_value(column: Column, value) -> str:
    """How a cell reads in Word and PDF."""
    if value is None or value == "":
        return "–" if column.numeric else ""
    if column.kind == "date" and isinstance(value, date):
        return f"{value.day} {value:%b %Y}"
    if column.kind == "percent":
        return f"{value}%"
    if column.kind == "long":
        return short(str(value))
    return clean(str(value))

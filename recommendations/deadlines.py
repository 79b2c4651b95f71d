"""Deadlines stated in HMICFRS recommendations, and the due dates they imply.

A recommendation (or the lead-in to a group of them) states its own deadline: "Within three
months, the force should...", "Cleveland Police should take immediate steps to:", "By 30 September
2024, the service should...". Relative and immediate deadlines run from the anchor date: the date
the report was issued to the force, or failing that its publication date. Areas for improvement
and "should continue to develop" items have no deadline.

Pure functions: no database access.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import overload

from dateutil.relativedelta import relativedelta
from django.db.models import TextChoices


class DeadlineRule(TextChoices):
    RELATIVE = "relative", "Relative (within a period)"
    IMMEDIATE = "immediate", "Immediate"
    ABSOLUTE = "absolute", "By a fixed date"
    NONE = "none", "No deadline"


@dataclass(frozen=True)
class Deadline:
    """A deadline as stated in a recommendation; ``phrase`` is the matched text, verbatim."""

    rule: DeadlineRule
    phrase: str = ""
    months: int = 0
    weeks: int = 0
    days: int = 0
    on: date | None = None

    def due_on(self, anchor: date | None) -> date | None:
        """Due date: a relative period runs from the anchor in calendar months/weeks/days (a
        month end clamps, so 31 Aug + 6 months is 28/29 Feb); immediate means the anchor itself;
        an absolute date ignores the anchor; no deadline means no due date."""
        rule = DeadlineRule(self.rule)
        if rule == DeadlineRule.ABSOLUTE:
            return self.on
        if rule == DeadlineRule.NONE:
            return None
        if anchor is None:
            raise ValueError(
                f"{rule.label} deadline {self.phrase!r} needs an anchor date "
                "(the report's issue or publication date), but none is known."
            )
        if rule == DeadlineRule.IMMEDIATE:
            return anchor
        return anchor + relativedelta(months=self.months, weeks=self.weeks, days=self.days)


NO_DEADLINE = Deadline(DeadlineRule.NONE)

# One-for-one replacements only, so match offsets still index the caller's original text.
_NORMALISE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
    }
)


def _normalised(text: str) -> str:
    """``text.translate(_NORMALISE)``, one C scan a character of the table: translating a long
    non-ASCII text looks each of its characters up in the table, several times slower."""
    for code, replacement in _NORMALISE.items():
        if chr(code) in text:
            text = text.replace(chr(code), replacement)
    return text


_ONES = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORD_VALUES = {
    "a": 1,
    **{word: n for n, word in enumerate(_ONES, start=1)},
    **{word: n for n, word in enumerate(_TEENS, start=10)},
    **{word: 10 * n for n, word in enumerate(_TENS, start=2)},
}
_NUMBER = (
    rf"\d+|(?:{'|'.join(_TENS)})(?:[-\s]+(?:{'|'.join(_ONES)}))?"
    rf"|{'|'.join(_TEENS)}|{'|'.join(_ONES)}|a"
)
# Years are accepted and stored as months; hours and working days are not, because a due date
# is a calendar date and working days depend on bank holidays.
_RELATIVE = re.compile(
    rf"\bwithin\s+(?:the\s+next\s+(?:(?P<next>{_NUMBER})\s+)?|(?P<number>{_NUMBER})\s+)"
    r"(?:calendar\s+)?"
    r"(?P<unit>months?|weeks?|days?|years?)\b",
    re.IGNORECASE,
)
# "within 28 days of arrest" is a service standard, not a deadline; "within three months of
# (the publication of) this report" is a deadline.
_OF_CLAUSE = re.compile(r"\s+of\b")
_OF_REPORT = re.compile(
    r"\s+of\s+(?:[\w']+\s+){0,4}?(?:report|publication|letter|inspection|revisit)\b", re.IGNORECASE
)
# Anything longer than ten years is a typo or not a deadline; also keeps date arithmetic in range.
_MAX_PERIOD = {"month": 120, "week": 522, "day": 3653, "year": 10}

# Every phrasing of "now": "immediately", "immediate steps/action", "with immediate effect",
# "as a matter of urgency" (or "of priority"), "at once", "without delay".
_IMMEDIATE = re.compile(
    r"\b(?:with\s+)?immediate(?:ly\b|\s+(?:steps|actions?|effect)\b)"
    r"|\bas\s+a\s+matter\s+of\s+(?:urgency|priority)\b|\bat\s+once\b|\bwithout\s+delay\b",
    re.IGNORECASE,
)

_MONTH_NUMBERS = {
    name: n
    for n, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}
_ABSOLUTE = re.compile(
    r"\b(?:by|(?:not|no)\s+later\s+than|on\s+or\s+before)\s+(?:(?:the\s+)?end\s+of\s+)?"
    r"(?:(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+)?"
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?,?\s+(?P<year>\d{4})\b",
    re.IGNORECASE,
)

# "immediately" and "by DATE" also occur in narrative ("what is immediately obvious", "by April
# 2023, 60 percent of cases..."), so they only count in the sentence that makes the recommendation.
_RECOMMENDING = re.compile(
    r"\b(?:should|must|needs?\s+to|is\s+to|are\s+to|recommends?)\b", re.IGNORECASE
)
# Matched only from the start of a run of marks, so a long run with no space after it costs
# linear time, not quadratic.
_SENTENCE_BREAK = re.compile(r"(?<![.!?])[.!?]+\s+")

_Candidate = tuple[int, int, Deadline]


def _number_value(number: str | None) -> int:
    if not number:  # "within the next month"
        return 1
    if number.isdigit():
        return int(number)
    return sum(_WORD_VALUES[word] for word in re.split(r"[-\s]+", number.lower()))


def _relative(text: str) -> Iterator[_Candidate]:
    for match in _RELATIVE.finditer(text):
        unit = match["unit"].lower().removesuffix("s")
        count = _number_value(match["number"] or match["next"])
        if not 0 < count <= _MAX_PERIOD[unit]:
            continue
        if _OF_CLAUSE.match(text, match.end()) and not _OF_REPORT.match(text, match.end()):
            continue
        if unit == "year":
            unit, count = "month", count * 12
        period = {f"{unit}s": count}  # months, weeks or days
        yield match.start(), match.end(), Deadline(DeadlineRule.RELATIVE, **period)  # type: ignore[arg-type]


def _immediate(text: str) -> Iterator[_Candidate]:
    for match in _IMMEDIATE.finditer(text):
        yield match.start(), match.end(), Deadline(DeadlineRule.IMMEDIATE)


def _absolute(text: str) -> Iterator[_Candidate]:
    for match in _ABSOLUTE.finditer(text):
        year, month = int(match["year"]), _MONTH_NUMBERS[match["month"][:3].lower()]
        try:
            if match["day"]:
                on = date(year, month, int(match["day"]))
            else:  # "by April 2023" means by the end of April
                on = date(year, month, 1) + relativedelta(day=31)
        except ValueError:  # "31 February" is a typo, not a deadline
            continue
        yield match.start(), match.end(), Deadline(DeadlineRule.ABSOLUTE, on=on)


class _Sentences:
    """The sentences of a text. Each is searched for a recommending word once at most, so
    checking every deadline phrase of a long text costs linear time."""

    def __init__(self, text: str, *, first_recommends: bool = False) -> None:
        self.text = text
        self.breaks = [match.end() for match in _SENTENCE_BREAK.finditer(text)]
        self._recommends = {0: True} if first_recommends else {}

    def index(self, position: int) -> int:
        return bisect.bisect_right(self.breaks, position)

    def start(self, index: int) -> int:
        return self.breaks[index - 1] if index else 0

    def recommends(self, index: int) -> bool:
        if index not in self._recommends:
            end = self.breaks[index] if index < len(self.breaks) else len(self.text)
            found = _RECOMMENDING.search(self.text, self.start(index), end)
            self._recommends[index] = found is not None
        return self._recommends[index]


def _earliest(*candidates: _Candidate | None) -> _Candidate | None:
    return min((c for c in candidates if c is not None), key=lambda c: c[0], default=None)


def _first_candidate(text: str, sentences: _Sentences) -> _Candidate | None:
    """The first deadline phrase of ``text`` (normalised): a period anywhere, "immediately" or
    "by DATE" only in a sentence that recommends."""

    def recommending(candidates: Iterator[_Candidate]) -> _Candidate | None:
        return next((c for c in candidates if sentences.recommends(sentences.index(c[0]))), None)

    return _earliest(
        next(_relative(text), None), recommending(_immediate(text)), recommending(_absolute(text))
    )


def _found(text: str, candidate: _Candidate | None) -> Deadline:
    if candidate is None:
        return NO_DEADLINE
    start, end, deadline = candidate
    return replace(deadline, phrase=text[start:end])


def parse_deadline(text: str, *, lead: DeadlineLead | None = None) -> Deadline:
    """Find the deadline phrase governing a recommendation (or a recommendation lead-in such as
    'Within six months the force should put in place arrangements to ensure that:').
    Returns NO_DEADLINE when there is none.

    Only "within N months/weeks/days", "immediately"/"immediate steps"/"immediate action" and a
    date introduced by "by"/"not later than"/"no later than"/"on or before" count; a bare date or
    one after "in"/"since" is narrative. If several deadline phrases appear, the first wins.

    ``lead``: the lead-in the text is a point of (``deadline_lead``); the result is that of
    ``parse_deadline(f"{lead_text} {text}")``, in time linear in ``text`` alone.
    """
    if lead is not None:
        return lead.deadline_of(text)
    if not text:
        return NO_DEADLINE
    clean = _normalised(text)
    return _found(text, _first_candidate(clean, _Sentences(clean)))


@dataclass(frozen=True)
class DeadlineLead:
    """A lead-in ending in ":" ("Within three months, the force should:"), read once for all
    the points it introduces (``deadline_lead``).

    No phrase reaches across the colon, so the lead's complete sentences give the same phrases
    whatever the point; only its last sentence runs on into the point, and an "immediately" or
    "by DATE" in it counts when that sentence recommends, in the lead or in the point.
    """

    text: str
    found: _Candidate | None  # the lead's first phrase that counts whatever the point
    pending: _Candidate | None  # its first phrase that counts only if the point recommends
    recommends: bool  # the lead's last sentence recommends on its own

    def deadline_of(self, point: str) -> Deadline:
        if not self.text.endswith(":"):  # a phrase could run across: read it all
            return parse_deadline(f"{self.text} {point}")
        clean = _normalised(point)
        sentences = _Sentences(clean, first_recommends=self.recommends)
        found = self.found
        if self.pending is not None and sentences.recommends(0):
            found = _earliest(found, self.pending)
        if found is not None:
            return _found(self.text, found)
        return _found(point, _first_candidate(clean, sentences))


def deadline_lead(text: str) -> DeadlineLead:
    """``text`` read as the lead-in of points, for ``parse_deadline(point, lead=...)``."""
    clean = _normalised(text)
    sentences = _Sentences(clean)
    last = len(sentences.breaks)
    recommends = sentences.recommends(last)
    pending = None
    if not recommends:
        start = sentences.start(last)
        pending = _earliest(
            next((c for c in _immediate(clean) if c[0] >= start), None),
            next((c for c in _absolute(clean) if c[0] >= start), None),
        )
    return DeadlineLead(text, _first_candidate(clean, sentences), pending, recommends)


@overload
def anchor_date(*, issued_on: date | None, published_on: date) -> date: ...
@overload
def anchor_date(*, issued_on: date | None, published_on: None) -> date | None: ...
def anchor_date(*, issued_on: date | None, published_on: date | None) -> date | None:
    """What relative deadlines run from: the date the report was issued to the force when
    known, otherwise its publication date (an inspection's `anchor_on` asks this too)."""
    return issued_on if issued_on is not None else published_on


def due_date_for(
    text: str, *, issued_on: date | None, published_on: date | None
) -> tuple[Deadline, date | None]:
    """Convenience: parse + compute. Raises ValueError, like ``Deadline.due_on``, when a relative
    or immediate deadline has neither an issue nor a publication date to run from."""
    deadline = parse_deadline(text)
    anchor = anchor_date(issued_on=issued_on, published_on=published_on)
    return deadline, deadline.due_on(anchor)

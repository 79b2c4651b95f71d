"""The quarterly pack as data: what the page and the Word, PDF and Excel files all show.

`reports.selectors.pack_build` computes it; the renderers only lay it out, so the figures in
every format are the same by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone

from recommendations.models import Rag


def long_date(day: date | None) -> str:
    """ "1 April 2025", as GOV.UK writes dates."""
    return f"{day.day} {day:%B %Y}" if day else ""


@dataclass(frozen=True)
class Period:
    """From the start of `start` to the end of `end`, local time, both days included."""

    start: date
    end: date

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end, time.max))

    @property
    def label(self) -> str:
        return f"{long_date(self.start)} to {long_date(self.end)}"


@dataclass
class ItemRow:
    """An item as it stood at the end of the period."""

    pk: int
    label: str
    reference: str
    kind: str
    text: str
    force: str
    inspection: str
    inspection_id: int
    status: str
    status_label: str
    due_on: date | None
    rag: Rag
    days_overdue: int
    owner: str
    published_on: date  # the day it came into the tracker's history (its publication)
    since: date | None  # the day it reached its status (completed on, submitted on)


@dataclass
class DueDateChange:
    item: ItemRow
    on: date
    due_from: date | None
    due_to: date | None
    reason: str
    by: str

    @property
    def days(self) -> int:
        """How far the date moved: positive later (an extension), negative earlier."""
        if self.due_from is None or self.due_to is None:
            return 0
        return (self.due_to - self.due_from).days

    @property
    def extended(self) -> bool:
        return self.days > 0

    @property
    def change_label(self) -> str:
        days = abs(self.days)
        unit = "day" if days == 1 else "days"
        if self.days > 0:
            return f"Extended by {days} {unit}"
        return f"Brought forward by {days} {unit}" if days else "Changed"


@dataclass
class Progress:
    """Progress of one inspection, or of one cause of concern, at the end of the period."""

    key: int
    title: str
    force: str
    inspection: str
    inspection_id: int
    published_on: date | None
    national: bool = False  # a national inspection, addressed to every force
    state: str = ""  # causes of concern: open, or closed and when
    recommendations: int = 0
    recommendations_complete: int = 0
    areas_for_improvement: int = 0
    areas_complete: int = 0
    open: int = 0
    overdue: int = 0
    actions_done: int = 0
    actions_total: int = 0
    rag: dict[str, int] = field(default_factory=dict)

    @property
    def percent_complete(self) -> int | None:
        """Recommendations complete, as a whole percentage (None when it has none)."""
        if not self.recommendations:
            return None
        return round(100 * self.recommendations_complete / self.recommendations)

    @property
    def total(self) -> int:
        return self.recommendations + self.areas_for_improvement


@dataclass
class AgeingBand:
    label: str
    low: int
    high: int | None
    count: int = 0

    def holds(self, days: int) -> bool:
        return days >= self.low and (self.high is None or days <= self.high)


def ageing_bands() -> list[AgeingBand]:
    """How long open items have been overdue, in the bands committee papers use."""
    return [
        AgeingBand("0 to 30 days", 1, 30),
        AgeingBand("31 to 90 days", 31, 90),
        AgeingBand("Over 90 days", 91, None),
    ]


@dataclass
class ForceSummary:
    name: str
    slug: str
    stage: str = ""
    stage_since: date | None = None
    judged_inspection: str = ""
    judged_on: date | None = None
    judgments: list[tuple[str, str]] = field(default_factory=list)
    open: int = 0
    overdue: int = 0
    awaiting_review: int = 0
    complete: int = 0


# The headline counts as at the end of the period, in the dashboard's words and order.
COUNT_LABELS = {
    "total": "Items in the tracker",
    "open": "Open",
    "overdue": "Overdue",
    "due_soon": "Due soon",
    "returned": "Returned to the force: more is needed",
    "new": "New: the force to plan its response",
    "awaiting_review": "Submitted, awaiting the inspector",
    "being_progressed": "Being progressed",
    "complete": "Complete",
    "no_further_action": "No further action needed",
}
IN_PERIOD_LABELS = {
    "new": "New in the period",
    "completed": "Completed in the period",
    "stopped": "Tracking stopped in the period",
    "due_changes": "Due dates changed in the period",
    "extensions": "of which extended",
}


@dataclass
class Pack:
    title: str
    scope: str
    forces: list[ForceSummary]
    period: Period
    generated_at: datetime
    due_soon_days: int
    counts: dict[str, int]
    in_period: dict[str, int]
    rag: list[tuple[Rag, int]]
    by_inspection: list[Progress]
    by_cause: list[Progress]
    completed: list[ItemRow]
    new: list[ItemRow]
    overdue: list[ItemRow]
    ageing: list[AgeingBand]
    due_changes: list[DueDateChange]
    awaiting_inspector: list[ItemRow]
    trend: list[dict]

    @property
    def several_forces(self) -> bool:
        return len(self.forces) > 1

    @property
    def subtitle(self) -> str:
        end = long_date(self.period.end)
        return f"Period: {self.period.label}. Figures as at the end of {end}."

    @property
    def generated_label(self) -> str:
        local = timezone.localtime(self.generated_at)
        return f"Produced on {long_date(local.date())} at {local:%H:%M}"

    def count_rows(self) -> list[tuple[str, str, int]]:
        """(key, words, number) of the headline counts, in order."""
        return [(key, words, self.counts[key]) for key, words in COUNT_LABELS.items()]

    def in_period_rows(self) -> list[tuple[str, str, int]]:
        return [(key, words, self.in_period[key]) for key, words in IN_PERIOD_LABELS.items()]

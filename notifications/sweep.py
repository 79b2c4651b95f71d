"""The sweep: plan every reminder, escalation and digest that is due, as ledger rows.

Set-based: each reminder level and the escalation ladder is one `INSERT ... SELECT` built
with the ORM (a UNION over the audiences), so the work and the number of queries do not
grow with the number of items, and memory stays flat.

Windows, not dates: a level is planned when an item is inside its band ("due within 7 days
but not within 1"), so a run after an outage or a weekend catches up. Only the most advanced
level an item has reached is planned, and never one below a level already planned for the
same due date; missed earlier levels are skipped because the later one supersedes them.
A second run plans nothing: the NOT EXISTS filter and the unique constraints see to that.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import DatabaseError, models
from django.db.models import (
    Case,
    CharField,
    Exists,
    Expression,
    F,
    OuterRef,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from notifications.ladder import Ladder, current_ladder
from notifications.models import Kind, Notification, State
from notifications.policy import DUE_REMINDER_AUDIENCE, Audience
from notifications.recipients import audience_querysets
from notifications.sql import DaysSince, insert_select, refresh_statistics
from recommendations.models import OPEN_STATUSES, Item

logger = logging.getLogger(__name__)

# Ledger columns the sweep fills, in the order of the SELECT.
COLUMNS = [
    "recipient",
    "item",
    "kind",
    "key",
    "level",
    "due_on",
    "planned_for",
    "state",
    "attempts",
    "next_attempt_at",
    "last_error",
    "created_at",
    "updated_at",
]
_SELECT = [f"n_{c}" for c in COLUMNS]
PREVIEW_LIMIT = 200


@dataclass
class SweepReport:
    planned_by_kind: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)

    @property
    def planned(self) -> int:
        return sum(self.planned_by_kind.values())

    def add(self, kind: str, count: int) -> None:
        self.planned_by_kind[kind] = self.planned_by_kind.get(kind, 0) + count


def reminder_days() -> list[int]:
    """Lead times before the due date, most distant first (setting, default 30, 7, 1, 0)."""
    return sorted({int(d) for d in settings.NOTIFICATIONS_REMINDER_DAYS}, reverse=True)


def _open_items() -> QuerySet[Item]:
    return Item.objects.filter(status__in=[s.value for s in OPEN_STATUSES]).order_by()


def _ledger_columns(qs: QuerySet, *, kind: str, key, level, today: date, now) -> QuerySet:
    """Annotate the ledger columns onto (item, recipient) pairs and skip pairs that already
    have this level, or a later one, for the same due date."""
    already = Notification.objects.filter(
        recipient_id=OuterRef("n_recipient"),
        item_id=OuterRef("pk"),
        kind=kind,
        due_on=OuterRef("due_on"),
        level__gte=OuterRef("n_level"),
    )
    return (
        qs.annotate(
            n_recipient=F("recipient"),
            n_item=F("pk"),
            n_kind=Value(kind),
            n_key=key,
            n_level=level,
            n_due_on=F("due_on"),
            n_planned_for=Value(today, output_field=models.DateField()),
            n_state=Value(State.PLANNED.value),
            n_attempts=Value(0),
            n_next_attempt_at=Value(now, output_field=models.DateTimeField()),
            n_last_error=Value(""),
            n_created_at=Value(now, output_field=models.DateTimeField()),
            n_updated_at=Value(now, output_field=models.DateTimeField()),
        )
        .filter(~Exists(already))
        .values_list(*_SELECT)
    )


def _due_key(label: str):
    return Concat(Value(f"{label}@"), Cast("due_on", CharField()), output_field=CharField())


def _plan(report: SweepReport, kind: str, parts: list[QuerySet], *, dry_run: bool) -> None:
    if not parts:
        return
    union = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
    # One order for every sweep, so two sweeps at once insert the same rows in the same
    # order and wait for each other instead of deadlocking (PostgreSQL).
    union = union.order_by("n_item", "n_recipient")
    try:
        if dry_run:
            report.add(kind, union.count())
            room = PREVIEW_LIMIT - len(report.preview)
            if room > 0:
                report.preview += [dict(zip(COLUMNS, row, strict=True)) for row in union[:room]]
        else:
            report.add(kind, insert_select(Notification, COLUMNS, union))
    except DatabaseError as error:
        # One failing statement (a deadlock, a timeout) must not stop the rest of the sweep;
        # the next run plans what this one missed.
        logger.exception("Planning %s failed", kind)
        report.errors.append(f"{kind}: {error}")


def plan_due_reminders(report: SweepReport, *, today: date, now, dry_run: bool) -> None:
    """Owners and force leads, at each lead time before the due date and on the day."""
    leads = reminder_days()
    for n, lead in enumerate(leads):
        # The band of this level ends where the next, more urgent level begins.
        nearest = today + timedelta(days=leads[n + 1] + 1) if n + 1 < len(leads) else today
        items = _open_items().filter(due_on__gte=nearest, due_on__lte=today + timedelta(lead))
        label = "on-day" if lead == 0 else f"before-{lead}"
        parts = [
            _ledger_columns(
                qs,
                kind=Kind.DUE_REMINDER,
                key=_due_key(label),
                level=Value(-lead),
                today=today,
                now=now,
            )
            for audience in DUE_REMINDER_AUDIENCE
            for qs in audience_querysets(items, audience)
        ]
        _plan(report, Kind.DUE_REMINDER, parts, dry_run=dry_run)


def _occurrence_expression(ladder: Ladder, today: date) -> Case:
    """SQL for Ladder.occurrence(days overdue): the latest ladder day each item has reached."""
    days = DaysSince(today, "due_on")
    whens = []
    for step, _next_day in reversed(ladder.bands()):
        then: Expression
        if step.repeat_every_days:
            every = Value(step.repeat_every_days)
            then = Value(step.day) + every * ((days - Value(step.day)) / every)
        else:
            then = Value(step.day)
        whens.append(When(due_on__lte=today - timedelta(days=step.day), then=then))
    return Case(*whens, default=Value(None), output_field=models.IntegerField())


def plan_escalations(report: SweepReport, *, today: date, now, dry_run: bool) -> None:
    """Overdue items: the latest step of the ladder each has reached, to everyone the ladder
    has reached so far."""
    ladder = current_ladder()
    level = _occurrence_expression(ladder, today)
    key = Concat(
        Value("day-"),
        Cast(level, CharField()),
        Value("@"),
        Cast("due_on", CharField()),
        output_field=CharField(),
    )
    parts = []
    for audience in Audience.ALL:
        first_day = ladder.first_day(audience)
        if first_day is None:
            continue
        items = _open_items().filter(due_on__lte=today - timedelta(days=first_day))
        parts += [
            _ledger_columns(qs, kind=Kind.OVERDUE, key=key, level=level, today=today, now=now)
            for qs in audience_querysets(items, audience)
        ]
    _plan(report, Kind.OVERDUE, parts, dry_run=dry_run)


def plan_digests(report: SweepReport, *, today: date, now, dry_run: bool) -> None:
    """One digest per person per working day who has notifications held for it."""
    key = today.isoformat()
    already = Notification.objects.filter(
        recipient_id=OuterRef("recipient_id"), kind=Kind.DIGEST, key=key
    )
    rows = (
        Notification.objects.filter(state=State.HELD, digest__isnull=True)
        .filter(~Exists(already))
        .order_by()
        .values_list(
            "recipient_id",
            Value(Kind.DIGEST.value),
            Value(key),
            Value(today, output_field=models.DateField()),
            Value(State.PLANNED.value),
            Value(0),
            Value(now, output_field=models.DateTimeField()),
            Value(""),
            Value(now, output_field=models.DateTimeField()),
            Value(now, output_field=models.DateTimeField()),
        )
        .distinct()
    )
    columns = [c for c in COLUMNS if c not in ("item", "level", "due_on")]
    try:
        if dry_run:
            report.add(Kind.DIGEST, rows.count())
        else:
            report.add(Kind.DIGEST, insert_select(Notification, columns, rows))
    except DatabaseError as error:
        logger.exception("Planning digests failed")
        report.errors.append(f"digest: {error}")


def sweep(*, today: date, dry_run: bool = False) -> SweepReport:
    """Plan the reminders and escalations due on a working day (the caller checks the day)."""
    report = SweepReport()
    now = timezone.now()
    plan_due_reminders(report, today=today, now=now, dry_run=dry_run)
    plan_escalations(report, today=today, now=now, dry_run=dry_run)
    if not dry_run:
        try:
            refresh_statistics()  # SQLite: keeps the next sweep's plans good
        except DatabaseError as error:  # busy: the next run tries again
            logger.warning("Could not refresh SQLite statistics: %s", error)
    return report

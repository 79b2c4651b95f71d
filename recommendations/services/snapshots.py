"""Daily counts of each force's items (ForceSnapshot), recorded by a periodic job.

The dashboard's chart of open and overdue items over twelve months reads these rows; rebuilding
that history from the timeline on every page view took seconds at national scale.
"""

from __future__ import annotations

from datetime import date, datetime, time
from itertools import groupby
from operator import itemgetter

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from recommendations.models import (
    OPEN_STATUSES,
    Force,
    ForceSnapshot,
    Item,
    Rag,
    Status,
    TimelineEntry,
    rag_conditions,
)
from recommendations.models.rag import due_soon_window
from recommendations.selectors import month_ends

_OPEN = [s.value for s in OPEN_STATUSES]
_COUNTS = [
    "open_count",
    "overdue_count",
    "due_soon_count",
    "awaiting_review_count",
    "being_progressed_count",
    "complete_count",
    "no_further_action_count",
]


@transaction.atomic
def snapshot_record(*, on: date | None = None) -> int:
    """Record every force's counts as they stand now as the snapshot of `on` (today), in one
    aggregate query and one upsert; run again the same day, it brings the row up to date.
    Returns how many forces were recorded."""
    on = on or timezone.localdate()
    rag = rag_conditions(today=on)
    counted = {
        row.pop("force_id"): row
        for row in Item.objects.order_by()
        .values("force_id")
        .annotate(
            open_count=Count("pk", filter=Q(status__in=_OPEN)),
            overdue_count=Count("pk", filter=rag[Rag.OVERDUE]),
            due_soon_count=Count("pk", filter=rag[Rag.DUE_SOON]),
            awaiting_review_count=Count("pk", filter=Q(status=Status.AWAITING_REVIEW)),
            being_progressed_count=Count("pk", filter=Q(status=Status.BEING_PROGRESSED)),
            complete_count=Count("pk", filter=Q(status=Status.COMPLETE)),
            no_further_action_count=Count("pk", filter=Q(status=Status.NO_FURTHER_ACTION_NEEDED)),
        )
    }
    rows = [
        ForceSnapshot(force_id=force_id, on=on, **counted.get(force_id, {}))
        for force_id in Force.objects.values_list("pk", flat=True)
    ]
    ForceSnapshot.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["force", "on"],
        update_fields=[*_COUNTS, "recorded_at"],
    )
    return len(rows)


@transaction.atomic
def snapshot_backfill(*, today: date | None = None, months: int = 12) -> int:
    """Rebuild the snapshots of the last `months` month ends that are missing, from the
    timeline: an item's status and due date on a day are those of its latest timeline entry
    on or before that day. Once, for data that predates the snapshot job (and the demo).
    Returns how many snapshots were written."""
    today = today or timezone.localdate()
    points = month_ends(today, months)
    have = set(ForceSnapshot.objects.filter(on__in=points).values_list("force_id", "on"))
    written = 0
    for force_id in Force.objects.values_list("pk", flat=True):
        wanted = [p for p in points if (force_id, p) not in have]
        if wanted:
            rows = _rebuilt(force_id, wanted)
            ForceSnapshot.objects.bulk_create(rows)
            written += len(rows)
    return written


def _rebuilt(force_id: int, points: list[date]) -> list[ForceSnapshot]:
    cutoffs = [timezone.make_aware(datetime.combine(p, time.max)) for p in points]
    window = due_soon_window()
    entries = (
        TimelineEntry.objects.filter(item__force_id=force_id)
        .filter(Q(status_to__gt="") | Q(due_to__isnull=False))
        .order_by("item_id", "occurred_at", "pk")
        .values_list("item_id", "occurred_at", "status_to", "due_to")
    )
    snapshots = [ForceSnapshot(force_id=force_id, on=p) for p in points]
    for _, rows in groupby(entries.iterator(chunk_size=5000), key=itemgetter(0)):
        _count([row[1:] for row in rows], snapshots, cutoffs, window)
    return snapshots


def _count(history: list, snapshots: list[ForceSnapshot], cutoffs: list, window: int) -> None:
    """Add one item, as it stood at each cutoff, to the snapshots' counts."""
    for snapshot, cutoff in zip(snapshots, cutoffs, strict=True):
        status, due = "", None
        for occurred_at, status_to, due_to in history:
            if occurred_at > cutoff:
                break
            status = status_to or status
            due = due_to or due
        on = snapshot.on
        if status == Status.AWAITING_REVIEW:
            snapshot.awaiting_review_count += 1
        elif status == Status.BEING_PROGRESSED:
            snapshot.being_progressed_count += 1
        elif status == Status.COMPLETE:
            snapshot.complete_count += 1
        elif status == Status.NO_FURTHER_ACTION_NEEDED:
            snapshot.no_further_action_count += 1
        if status in _OPEN:
            snapshot.open_count += 1
            if due is not None and due < on:
                snapshot.overdue_count += 1
            elif due is not None and (due - on).days <= window:
                snapshot.due_soon_count += 1

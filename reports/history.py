"""An item as it stood at a past moment, rebuilt from its timeline.

The item's row holds its state now; its timeline says what changed and when. The state at a
moment is the state now with every change recorded after that moment undone: the status
before the first later status change is that change's "from", and so is the due date. An
item whose timeline is incomplete (made outside the services) keeps its current state, so a
pack ending today always shows exactly what the dashboard shows, and a pack for a past
period comes out the same whenever it is produced (the timeline is append-only).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from recommendations.models import (
    DUE_DATE_MOVES,
    OPEN_STATUSES,
    Item,
    ItemKind,
    Status,
    TimelineEntry,
    TimelineKind,
)

_OPEN = frozenset(s.value for s in OPEN_STATUSES)
# What the force does on an item; any of it ends "returned to the force" (services.force_acted).
WORK_KINDS = frozenset(
    {
        TimelineKind.ACTION_ADDED,
        TimelineKind.ACTION_CHANGED,
        TimelineKind.PROGRESS_UPDATE,
        TimelineKind.EVIDENCE_ADDED,
    }
)
# The entries the rebuild reads (comments and assignments change nothing it shows).
HISTORY_KINDS = (
    TimelineKind.CREATED,
    TimelineKind.IMPORTED,
    TimelineKind.STATUS_CHANGED,
    *DUE_DATE_MOVES,
    *WORK_KINDS,
)
# Fields read from each entry, in this order (one values_list query for the whole pack).
ENTRY_FIELDS = ("item_id", "kind", "occurred_at", "status_from", "status_to", "due_from")
ENTRY_FIELDS_WITH_TRANSITION = (*ENTRY_FIELDS, "transition")


@dataclass(frozen=True, slots=True)
class State:
    """An item at a moment: whether it existed, its status and due date, whose turn it was."""

    exists: bool
    status: str
    due_on: date | None
    submitted: bool  # the force had submitted it at least once
    returned: bool  # sent back, and the force had not acted on it since
    status_since: datetime | None  # when it reached that status

    @property
    def is_open(self) -> bool:
        return self.status in _OPEN

    @property
    def is_new(self) -> bool:
        """Published and never submitted: the force's turn to plan its response."""
        return self.status == Status.AWAITING_REVIEW and not self.submitted

    @property
    def awaiting_inspector(self) -> bool:
        return self.status == Status.AWAITING_REVIEW and self.submitted


class ItemHistory:
    """One item and the entries of its timeline that the rebuild reads, oldest first."""

    __slots__ = (
        "_due_from",
        "_due_times",
        "_status_entries",
        "_status_times",
        "_submit_times",
        "_work_times",
        "born_at",
        "item",
    )

    def __init__(self, item: ItemFacts, entries: list[tuple]) -> None:  # or an Item
        """`entries`: (kind, occurred_at, status_from, status_to, due_from, transition)."""
        self.item = item
        entries = sorted(entries, key=lambda e: e[1])
        status = [e for e in entries if e[0] == TimelineKind.STATUS_CHANGED and e[3]]
        due = [e for e in entries if e[0] in DUE_DATE_MOVES]
        self._status_entries = status
        self._status_times = [e[1] for e in status]
        self._due_times = [e[1] for e in due]
        self._due_from = [e[4] for e in due]
        self._submit_times = [e[1] for e in status if e[5] == "submit_for_review"]
        self._work_times = [e[1] for e in entries if e[0] in WORK_KINDS]
        # A published finding exists from its publication (the service backdates its first
        # entry); an item made without one exists from when its row was made.
        first = entries[0][1] if entries else item.created_at
        self.born_at = min(first, item.created_at) if item.created_at else first

    def state_at(self, moment: datetime) -> State:
        item = self.item
        if self.born_at > moment:
            return State(False, "", None, False, False, None)
        later = bisect_right(self._status_times, moment)
        if later < len(self._status_entries):
            # Undo the changes after the moment: the status was the first one's "from" (an
            # imported register's first event has none: it was published, awaiting review).
            status = self._status_entries[later][2] or Status.AWAITING_REVIEW
        else:
            status = item.status
        if later:
            since = self._status_times[later - 1]
        elif later < len(self._status_entries):
            since = self.born_at
        else:
            since = item.status_changed_at  # no status history: the row's own record
        due_later = bisect_right(self._due_times, moment)
        due_on = self._due_from[due_later] if due_later < len(self._due_from) else item.due_on
        return State(
            exists=True,
            status=status,
            due_on=due_on,
            submitted=self._submitted(moment),
            returned=status == Status.BEING_PROGRESSED and self._returned(moment, later),
            status_since=since,
        )

    def open_at(self, moment: datetime) -> tuple[bool, date | None]:
        """Whether it existed and was open at the moment, and its due date then: `state_at`
        cut down to what the open-and-overdue chart needs, as it is asked a dozen times."""
        if self.born_at > moment:
            return False, None
        later = bisect_right(self._status_times, moment)
        if later < len(self._status_entries):
            status = self._status_entries[later][2] or Status.AWAITING_REVIEW
        else:
            status = self.item.status
        if status not in _OPEN:
            return False, None
        due_later = bisect_right(self._due_times, moment)
        return True, (
            self._due_from[due_later] if due_later < len(self._due_from) else self.item.due_on
        )

    def _submitted(self, moment: datetime) -> bool:
        if self._submit_times:
            return self._submit_times[0] <= moment
        submitted_at = self.item.submitted_at
        return submitted_at is not None and submitted_at <= moment

    def _returned(self, moment: datetime, later: int) -> bool:
        if later:
            last = self._status_entries[later - 1]
            if last[5] != "send_back":
                return False
            sent_back = last[1]
        elif later == len(self._status_entries) and self.item.returned_at is not None:
            sent_back = self.item.returned_at  # no status history: the row's own record
            if sent_back > moment:
                return False
        else:
            return False
        # Returned until the force next did any work on it.
        first_work_after = bisect_right(self._work_times, sent_back)
        return not (
            first_work_after < len(self._work_times)
            and self._work_times[first_work_after] <= moment
        )


@dataclass(slots=True)
class ItemFacts:
    """What the pack reads of an item's row (plain values: thousands of model instances, with
    their state machine, would cost more than the rest of the pack)."""

    pk: int
    kind: str
    display_reference: str
    text: str
    status: str
    status_changed_at: datetime | None
    submitted_at: datetime | None
    returned_at: datetime | None
    due_on: date | None
    created_at: datetime
    cause_of_concern_id: int | None
    force_id: int
    force_name: str
    inspection_id: int
    inspection_title: str
    inspection_published_on: date
    inspection_force_id: int | None
    owner_username: str | None
    owner_first_name: str | None
    owner_last_name: str | None

    @property
    def label(self) -> str:
        return f"{ItemKind(self.kind).label} {self.display_reference}"

    @property
    def owner(self) -> str:
        """As `User.__str__` names them."""
        full = f"{self.owner_first_name or ''} {self.owner_last_name or ''}".strip()
        return full or self.owner_username or ""


_ITEM_FIELDS = (
    "pk",
    "kind",
    "display_reference",
    "text",
    "status",
    "status_changed_at",
    "submitted_at",
    "returned_at",
    "due_on",
    "created_at",
    "cause_of_concern_id",
    "force_id",
    "force__name",
    "inspection_id",
    "inspection__title",
    "inspection__published_on",
    "inspection__force_id",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
)


def _items(forces) -> list[ItemFacts]:
    rows = (
        Item.objects.filter(force__in=forces)
        .order_by("inspection__published_on", "inspection_id", "position", "pk")
        .values_list(*_ITEM_FIELDS)
    )
    return [ItemFacts(*row) for row in rows.iterator(chunk_size=2000)]


def histories(forces) -> list[ItemHistory]:
    """Every item of the forces with the entries of its timeline the rebuild reads (two
    queries)."""
    entries: dict[int, list[tuple]] = defaultdict(list)
    rows = (
        TimelineEntry.objects.filter(item__force__in=forces, kind__in=HISTORY_KINDS)
        .order_by()
        .values_list(*ENTRY_FIELDS_WITH_TRANSITION)
    )
    for item_id, *entry in rows.iterator(chunk_size=5000):
        entries[item_id].append(tuple(entry))
    return [ItemHistory(item, entries.get(item.pk, [])) for item in _items(forces)]

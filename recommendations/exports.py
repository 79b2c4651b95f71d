"""The items CSV every list offers: its columns, read as plain values in chunks.

A download of a force's 23,000 items must stream quickly with flat memory, so rows are read
with `values_list` (no model instances, no per-row lookups): the words for kinds, rules,
statuses and RAG come from maps made once, and the RAG is worked out by the database with the
same conditions as the pages (`rag_annotation`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import QuerySet

from recommendations.deadlines import DeadlineRule
from recommendations.models import OPEN_STATUSES, Item, ItemKind, Rag, Status, rag_annotation

ITEM_CSV_HEADER = [
    "Force",
    "Inspection",
    "Published",
    "Kind",
    "Reference",
    "Text",
    "Deadline rule",
    "Due date",
    "Original due date",
    "Extensions",
    "Status",
    "Overdue (days)",
    "RAG",
    "Owner",
    "Submitted for review",
]
CHUNK = 2000


def item_csv_rows(items: QuerySet[Item], *, today: date) -> Iterator[list]:
    """One row of values per item, in the list's order, for `ITEM_CSV_HEADER`."""
    kinds = dict(ItemKind.choices)
    rules = dict(DeadlineRule.choices)
    statuses = dict(Status.choices)
    rags = {rag.value: rag.label for rag in Rag}
    open_statuses = {status.value for status in OPEN_STATUSES}
    rows = items.annotate(rag_value=rag_annotation(today=today)).values_list(
        "force__name",
        "inspection__title",
        "inspection__published_on",
        "kind",
        "display_reference",
        "text",
        "deadline_rule",
        "due_on",
        "original_due_on",
        "extension_count",
        "status",
        "rag_value",
        "owner__first_name",
        "owner__last_name",
        "owner__username",
        "submitted_at",
    )
    for (
        force,
        inspection,
        published_on,
        kind,
        reference,
        text,
        rule,
        due_on,
        original_due_on,
        extensions,
        status,
        rag,
        first_name,
        last_name,
        username,
        submitted_at,
    ) in rows.iterator(chunk_size=CHUNK):
        overdue_days = (
            (today - due_on).days
            if status in open_statuses and due_on is not None and due_on < today
            else ""
        )
        yield [
            force,
            inspection,
            published_on,
            kinds.get(kind, kind),
            reference,
            text,
            rules.get(rule, rule),
            due_on or "",
            original_due_on or "",
            extensions,
            statuses.get(status, status),
            overdue_days,
            rags.get(rag, ""),
            # As User.__str__ names people: the full name, else the user name.
            f"{first_name or ''} {last_name or ''}".strip() or username or "",
            submitted_at.date() if submitted_at else "",
        ]

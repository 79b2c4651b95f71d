"""What the public register shows: only findings of inspections an inspector has published,
and of those only what the public may read. Every register page reads through here.

Items are read with `.only()` the public fields, so a template cannot reach anything else
(owners, actions, evidence) without the query-count tests noticing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from recommendations.models import (
    OPEN_STATUSES,
    Inspection,
    Item,
    ItemKind,
    TimelineEntry,
    TimelineKind,
)
from recommendations.models.timeline import PUBLISHABLE_KINDS

_OPEN = [s.value for s in OPEN_STATUSES]
PUBLIC_ITEM_FIELDS = (
    "pk",
    "kind",
    "display_reference",
    "position",
    "text",
    "deadline_rule",
    "deadline_phrase",
    "due_on",
    "status",
    "status_changed_at",
    "inspection_id",
    "force_id",
    "force__name",
    "force__slug",
    "inspection__title",
    "inspection__short_name",
    "inspection__published_on",
    "inspection__programme",
)
FEED_SIZE = 50


def published_items() -> QuerySet[Item]:
    """Findings of published inspections: recommendations, and areas for improvement when
    TRACKER_REGISTER_AREAS_FOR_IMPROVEMENT is on."""
    items = Item.objects.filter(inspection__register_published_at__isnull=False)
    if not settings.TRACKER_REGISTER_AREAS_FOR_IMPROVEMENT:
        items = items.filter(kind=ItemKind.RECOMMENDATION)
    return items


def public_items() -> QuerySet[Item]:
    """Published items with only their public fields, in the register's order."""
    return (
        published_items()
        .select_related("force", "inspection")
        .only(*PUBLIC_ITEM_FIELDS)
        .order_by("-inspection__published_on", "inspection_id", "force__name", "kind", "position")
    )


def forces_on_register() -> list[dict]:
    """Each force with published findings, with how many and how many are open (one query)."""
    return list(
        published_items()
        .values("force__name", "force__slug")
        .annotate(count=Count("pk"), open=Count("pk", filter=Q(status__in=_OPEN)))
        .order_by("force__name")
    )


def inspections_of_force(slug: str) -> list[dict]:
    """A force's published inspections, newest first, with its findings' counts (one query)."""
    return list(
        published_items()
        .filter(force__slug=slug)
        .values(
            "force__name",
            "inspection_id",
            "inspection__title",
            "inspection__programme",
            "inspection__published_on",
        )
        .annotate(count=Count("pk"), open=Count("pk", filter=Q(status__in=_OPEN)))
        .order_by("-inspection__published_on", "inspection__title")
    )


def published_inspection(pk: int) -> Inspection:
    """Raises Inspection.DoesNotExist unless it is on the register."""
    return (
        Inspection.objects.filter(register_published_at__isnull=False)
        .select_related("force")
        .only(
            "pk", "title", "programme", "published_on", "source_url", "force__name", "force__slug"
        )
        .get(pk=pk)
    )


def search(
    *, text: str = "", force_slug: str = "", inspection_id: int | None = None
) -> QuerySet[Item]:
    items = public_items()
    text = text.strip()
    if text:
        items = items.filter(
            Q(text__icontains=text)
            | Q(display_reference__icontains=text)
            | Q(inspection__title__icontains=text)
        )
    if force_slug:
        items = items.filter(force__slug=force_slug)
    if inspection_id:
        items = items.filter(inspection_id=inspection_id)
    return items


@dataclass(frozen=True)
class HistoryRow:
    on: datetime
    status_from: str
    status_to: str
    comment: str


def public_history(item: Item) -> list[HistoryRow]:
    """The item's dated status changes, oldest first, and the comments an inspector has made
    public; never who did it, and no other entry."""
    public_comment = Q(public=True, kind__in=PUBLISHABLE_KINDS) & ~Q(comment="")
    rows = (
        TimelineEntry.objects.filter(item=item)
        .filter(~Q(status_to="") | public_comment)
        .order_by("occurred_at", "pk")
        .values_list("occurred_at", "status_from", "status_to", "comment", "public", "kind")
    )
    return [
        HistoryRow(
            on=on,
            status_from=status_from,
            status_to=status_to,
            comment=comment if public and kind in PUBLISHABLE_KINDS else "",
        )
        for on, status_from, status_to, comment, public, kind in rows
    ]


def status_changes(*, force_slug: str = "") -> list[TimelineEntry]:
    """The latest status changes of published items, newest first, for the Atom feed."""
    entries = TimelineEntry.objects.filter(
        item__in=published_items().values("pk"), kind=TimelineKind.STATUS_CHANGED
    ).exclude(status_to="")
    if force_slug:
        entries = entries.filter(item__force__slug=force_slug)
    return list(
        entries.select_related("item", "item__force")
        .only(
            "pk",
            "occurred_at",
            "status_from",
            "status_to",
            "comment",
            "public",
            "kind",
            "item__id",
            "item__kind",
            "item__status",  # the status machine reads it when the item is loaded
            "item__display_reference",
            "item__text",
            "item__force__name",
        )
        .order_by("-occurred_at", "-pk")[:FEED_SIZE]
    )

"""Reads: a user's inbox and preferences, and the ledger's health for administrators."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from notifications.models import (
    INBOX_STATES,
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
    State,
)
from notifications.policy import USER_CHOICE_KINDS, policy_for
from recommendations.rules import visible_force_ids

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class PreferenceChoice:
    kind: str
    label: str
    delivery: str
    choices: list[tuple[str, str]]
    escalation: bool


def preferences_for(user: User) -> list[PreferenceChoice]:
    """Every kind the user may choose for, with the current choice (default immediately)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return [
        PreferenceChoice(
            kind=kind,
            label=Kind(kind).label,
            delivery=chosen.get(kind, Delivery.IMMEDIATELY),
            choices=[(d, Delivery(d).label) for d in policy_for(kind).deliveries],
            escalation=policy_for(kind).escalation,
        )
        for kind in USER_CHOICE_KINDS
    ]


def inbox_for(user: User) -> QuerySet[Notification]:
    """The user's own messages, newest first: what was e-mailed to them or held for their
    daily digest (the digest e-mail itself is not repeated: its entries are listed).

    Only about items and causes of concern the user may still see: someone who has moved
    force, or an inspector no longer assigned to one, no longer sees them here.
    """
    rows = Notification.objects.filter(recipient_id=user.pk, state__in=INBOX_STATES).exclude(
        kind=Kind.DIGEST
    )
    force_ids = visible_force_ids(user)
    if force_ids is not None:
        rows = rows.filter(
            Q(item__force_id__in=force_ids) | Q(cause_of_concern__force_id__in=force_ids)
        )
    return rows.order_by("-created_at", "-pk")


def inbox_page_rows(rows: QuerySet[Notification]) -> QuerySet[Notification]:
    """The inbox rows with everything their subject and summary read, in the same query."""
    return rows.select_related(
        "item__force",
        "item__inspection",
        "cause_of_concern__force",
        "cause_of_concern__inspection",
        "timeline_entry",
    )


def unread_count(user: User) -> int:
    """How many of the user's inbox messages they have not opened (one query)."""
    return inbox_for(user).filter(read_at__isnull=True).count()


def ledger_counts() -> dict[str, int]:
    """How many ledger rows are in each state (every state listed, zero included)."""
    counts = dict(Notification.objects.order_by().values_list("state").annotate(n=Count("pk")))
    return {state: counts.get(state, 0) for state in State.values}


def notifications_needing_attention() -> QuerySet[Notification]:
    """Rows an administrator should look at: unknown outcome, or failed for good."""
    return (
        Notification.objects.filter(state__in=[State.UNKNOWN, State.FAILED])
        .select_related("recipient", "item__force")
        .order_by("-updated_at")
    )


def retrying_count() -> int:
    return Notification.objects.filter(state=State.PLANNED, attempts__gt=0).count()

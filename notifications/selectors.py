"""Reads: a user's preferences, and the ledger's health for administrators."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from notifications.models import Delivery, Kind, Notification, NotificationPreference, State
from notifications.policy import USER_CHOICE_KINDS, policy_for


@dataclass(frozen=True)
class PreferenceChoice:
    kind: str
    label: str
    delivery: str
    choices: list[tuple[str, str]]
    escalation: bool


def preferences_for(user) -> list[PreferenceChoice]:
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

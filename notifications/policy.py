"""What each kind of notification allows: turning it off, an unsubscribe link, and what the
sender does when it stopped after the mail server may already have accepted the message.

Escalations (overdue) cannot be turned off and are sent again after such a crash: a
duplicate escalation is better than a lost one. Everything else is routine: after such a
crash the row is marked `unknown` for an administrator to check (docs/operations.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Role
from notifications.models import Delivery, Kind


@dataclass(frozen=True)
class KindPolicy:
    kind: str
    escalation: bool = False
    # Shown on the preferences page; the digest itself is a delivery, not a kind to choose.
    user_choice: bool = True

    @property
    def can_turn_off(self) -> bool:
        return not self.escalation

    @property
    def has_unsubscribe_link(self) -> bool:
        return self.user_choice and self.can_turn_off

    @property
    def resend_if_outcome_unknown(self) -> bool:
        return self.escalation

    @property
    def deliveries(self) -> list[str]:
        choices: list[str] = [Delivery.IMMEDIATELY, Delivery.DIGEST]
        return [*choices, Delivery.OFF] if self.can_turn_off else choices


POLICIES: dict[str, KindPolicy] = {
    Kind.DUE_REMINDER: KindPolicy(Kind.DUE_REMINDER),
    Kind.OVERDUE: KindPolicy(Kind.OVERDUE, escalation=True),
    Kind.ASSIGNED: KindPolicy(Kind.ASSIGNED),
    Kind.SUBMITTED: KindPolicy(Kind.SUBMITTED),
    Kind.REVIEW_DECISION: KindPolicy(Kind.REVIEW_DECISION),
    Kind.DUE_DATE_CHANGED: KindPolicy(Kind.DUE_DATE_CHANGED),
    Kind.CAUSE_OF_CONCERN_CLOSED: KindPolicy(Kind.CAUSE_OF_CONCERN_CLOSED),
    Kind.EXTENSION_REQUESTED: KindPolicy(Kind.EXTENSION_REQUESTED),
    Kind.EXTENSION_DECISION: KindPolicy(Kind.EXTENSION_DECISION),
    Kind.DIGEST: KindPolicy(Kind.DIGEST, user_choice=False),
}

USER_CHOICE_KINDS = [kind for kind, policy in POLICIES.items() if policy.user_choice]
ESCALATION_KINDS = [kind for kind, policy in POLICIES.items() if policy.escalation]
EVENT_KINDS = [
    Kind.ASSIGNED,
    Kind.SUBMITTED,
    Kind.REVIEW_DECISION,
    Kind.DUE_DATE_CHANGED,
    Kind.CAUSE_OF_CONCERN_CLOSED,
    Kind.EXTENSION_REQUESTED,
    Kind.EXTENSION_DECISION,
]


def policy_for(kind: str) -> KindPolicy:
    return POLICIES[kind]


class Audience:
    """Who, relative to an item, a reminder or escalation goes to."""

    OWNERS = "owners"  # the item's owner and the owners of its open actions
    FORCE_LEADS = "force-leads"
    EXECUTIVE_SPONSORS = "executive-sponsors"
    INSPECTORS = "inspectors"  # the inspectors assigned to the item's force

    ALL = (OWNERS, FORCE_LEADS, EXECUTIVE_SPONSORS, INSPECTORS)


# The audiences that are everyone of one role in the item's force (owners are named per item).
AUDIENCE_ROLES = {
    Audience.FORCE_LEADS: Role.FORCE_LEAD,
    Audience.EXECUTIVE_SPONSORS: Role.EXECUTIVE_SPONSOR,
    Audience.INSPECTORS: Role.INSPECTOR,
}


# Before the due date: the owners and the force lead (docs/design.md).
DUE_REMINDER_AUDIENCE = (Audience.OWNERS, Audience.FORCE_LEADS)

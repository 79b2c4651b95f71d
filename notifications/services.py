"""Use cases that write: run the reminders, send rows, set preferences, retry rows.

`reminders_run` and `notifications_send` are deliberately not atomic: each ledger row is
claimed and recorded in its own short transaction and e-mails go out outside any
transaction (see notifications.sender). The others are atomic as usual.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date

import rules
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications.models import Delivery, Notification, NotificationPreference, State
from notifications.policy import USER_CHOICE_KINDS, policy_for
from notifications.selectors import inbox_for
from notifications.sender import SendReport, send_outstanding
from notifications.sweep import SweepReport, plan_digests, sweep
from notifications.tokens import read_unsubscribe_token
from notifications.working_days import is_working_day
from tracker.errors import InvalidInput, NotAllowed


@dataclass
class RunReport:
    as_of: date
    working_day: bool
    dry_run: bool
    planning: str  # "done", "non-working day", "before start hour"
    planned: int = 0
    planned_by_kind: dict[str, int] = field(default_factory=dict)
    sending: SendReport = field(default_factory=SendReport)
    errors: list[str] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(data.pop("sending"))
        data["as_of"] = self.as_of.isoformat()
        data["planned_by_kind"] = {str(k): v for k, v in self.planned_by_kind.items()}
        data["preview"] = [
            {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
            for row in self.preview
        ]
        return data


def reminders_run(
    *, as_of: date | None = None, dry_run: bool = False, scheduled: bool = False
) -> RunReport:
    """Plan the reminders, escalations and digests due on a day, and send what is outstanding.

    Reminders and digests are planned on working days only; on other days nothing is
    planned and the next working day's windows catch up. A scheduled run plans from
    NOTIFICATIONS_START_HOUR and stops starting e-mails after NOTIFICATIONS_RUN_SECONDS.
    A dry run writes nothing and sends nothing, and reports what would be planned.
    """
    today = as_of or timezone.localdate()
    working = is_working_day(today)
    early = scheduled and timezone.localtime().hour < settings.NOTIFICATIONS_START_HOUR
    planning = "done" if working and not early else ("before start hour" if working else "")
    report = RunReport(
        as_of=today,
        working_day=working,
        dry_run=dry_run,
        planning=planning or "non-working day",
    )
    until = time.monotonic() + settings.NOTIFICATIONS_RUN_SECONDS if scheduled else None
    planned = SweepReport()
    if planning == "done":
        planned = sweep(today=today, dry_run=dry_run)
    if not dry_run:
        report.sending.add(send_outstanding(today=today, until=until))
    if planning == "done":
        # Digests collect what the sender has just held for them, so they are planned after.
        plan_digests(planned, today=today, now=timezone.now(), dry_run=dry_run)
        if not dry_run:
            report.sending.add(send_outstanding(today=today, until=until))
    report.planned = planned.planned
    report.planned_by_kind = planned.planned_by_kind
    report.errors = planned.errors
    report.preview = planned.preview
    return report


def notifications_send(*, notification_ids: Sequence[int]) -> SendReport:
    """Send the given rows now if they are still outstanding (after an event's commit)."""
    return send_outstanding(today=timezone.localdate(), ids=notification_ids)


def _check_delivery(kind: str, delivery: str) -> None:
    if kind not in USER_CHOICE_KINDS:
        raise InvalidInput("Choose a kind of e-mail.")
    if delivery not in policy_for(kind).deliveries:
        raise InvalidInput("Escalations of overdue items cannot be turned off.")


@transaction.atomic
def preferences_update(*, user: User, deliveries: Mapping[str, str]) -> None:
    """Set how the user receives each kind of e-mail; escalations cannot be turned off."""
    for kind, delivery in deliveries.items():
        _check_delivery(kind, delivery)
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )


@transaction.atomic
def preference_unsubscribe(*, token: str) -> tuple[User, str]:
    """Turn one kind of e-mail off for the user a signed unsubscribe link names."""
    request = read_unsubscribe_token(token)
    if request is None or request.kind not in USER_CHOICE_KINDS:
        raise InvalidInput("This unsubscribe link is not valid. Sign in to change your e-mails.")
    if not policy_for(request.kind).can_turn_off:
        raise InvalidInput("Escalations of overdue items cannot be turned off.")
    user = User.objects.filter(pk=request.user_id, is_active=True).first()
    if user is None:
        raise InvalidInput("This unsubscribe link is not valid. Sign in to change your e-mails.")
    NotificationPreference.objects.update_or_create(
        user=user, kind=request.kind, defaults={"delivery": Delivery.OFF}
    )
    return user, request.kind


@transaction.atomic
def notifications_retry(*, user: User, notification_ids: Sequence[int]) -> int:
    """An administrator sends failed or unknown rows again (after checking the mail log)."""
    if not rules.has_perm("notifications.manage_ledger", user):
        raise NotAllowed("Only an administrator can send notifications again.")
    now = timezone.now()
    return Notification.objects.filter(
        pk__in=list(notification_ids), state__in=[State.FAILED, State.UNKNOWN]
    ).update(
        state=State.PLANNED,
        attempts=0,
        next_attempt_at=now,
        claim_token=None,
        lease_until=None,
        handed_over_at=None,
        updated_at=now,
    )


@transaction.atomic
def notification_mark_read(*, notification: Notification, user: User) -> Notification:
    """The recipient has opened the message from their inbox; opening it again changes
    nothing (the first time is kept)."""
    if notification.recipient_id != user.pk:
        raise NotAllowed("Only the person a message was sent to can open it.")
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread message of the user's inbox read; returns how many."""
    unread = inbox_for(user).filter(read_at__isnull=True).values("pk")
    return Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())

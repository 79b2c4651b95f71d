"""The ledger's compare-and-set writes for the sender (`notifications.sender`): claiming rows
to send, settling those not to be sent, and failing rows with a doubling back-off.

Every write names a row as the sender read it (state, claim token, attempts), so a row
another sender has taken since is left alone. Why: docs/decisions/0015.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, fields
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from notifications.models import Notification, State

MAX_BACKOFF = timedelta(hours=6)


@dataclass
class SendReport:
    """What a run did with the rows it took, by outcome."""

    sent: int = 0
    failed: int = 0  # gave up after the last attempt
    retrying: int = 0  # failed this time; tried again after a back-off
    cancelled: int = 0
    held: int = 0
    suppressed: int = 0
    unknown: int = 0

    def as_dict(self) -> dict:
        return asdict(self)

    def add(self, other: SendReport) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


def outstanding(now) -> Q:
    """Rows a sender may take: planned and due, or abandoned by a sender whose lease ran out."""
    return Q(state=State.PLANNED, next_attempt_at__lte=now) | Q(
        state=State.SENDING, lease_until__lt=now
    )


def as_read(row: Notification) -> Q:
    """The row exactly as this sender read it: the compare of compare-and-set."""
    return Q(pk=row.pk, state=row.state, claim_token=row.claim_token, attempts=row.attempts)


def settle(rows: list[Notification], state: str) -> int:
    """Move rows to a final (or held) state, unless another sender has taken them since."""
    changes: dict[str, object] = {"state": state, "lease_until": None, "claim_token": None}
    changes["updated_at"] = timezone.now()
    planned = [row.pk for row in rows if row.state == State.PLANNED]
    done = 0
    if planned:
        done += Notification.objects.filter(pk__in=planned, state=State.PLANNED).update(**changes)
    for row in rows:
        if row.state != State.PLANNED:  # abandoned rows are rare: one compare-and-set each
            done += Notification.objects.filter(as_read(row)).update(**changes)
    return done


def claim(rows: list[Notification], *, report: SendReport) -> list[Notification]:
    """Claim the rows to send with one compare-and-set UPDATE (abandoned rows, rare, one
    each): state `sending`, this batch's token, a lease, one more attempt. Rows another
    sender has taken since they were read are left out; rows out of attempts are failed."""
    now = timezone.now()
    worn_out = [row for row in rows if row.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS]
    for row in worn_out:
        give_up(Notification.objects.filter(as_read(row)), report)
    rows = [row for row in rows if row.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS]
    if not rows:
        return []
    token = uuid.uuid4()
    changes = {
        "state": State.SENDING,
        "claim_token": token,
        "lease_until": now + timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS),
        "attempts": F("attempts") + 1,
        "handed_over_at": None,
        "updated_at": now,
    }
    planned = [row.pk for row in rows if row.state == State.PLANNED]
    if planned:
        Notification.objects.filter(
            pk__in=planned, state=State.PLANNED, next_attempt_at__lte=now
        ).update(**changes)
    for row in rows:
        if row.state != State.PLANNED:
            Notification.objects.filter(as_read(row)).update(**changes)
    claimed = set(Notification.objects.filter(claim_token=token).values_list("pk", flat=True))
    mine = [row for row in rows if row.pk in claimed]
    for row in mine:
        row.state, row.claim_token, row.attempts = State.SENDING, token, row.attempts + 1
    return mine


def fail(row: Notification, error: Exception, report: SendReport, *, mine=None) -> None:
    """Try again later with a doubling back-off, or give up after the last attempt."""
    changes = {}
    if mine is None:  # it failed before it could be claimed: that is an attempt too
        mine = Notification.objects.filter(as_read(row))
        row.attempts += 1
        changes["attempts"] = row.attempts
    attempts = row.attempts
    if attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        give_up(mine, report, error=error, **changes)
        return
    delay = timedelta(seconds=settings.NOTIFICATIONS_RETRY_SECONDS * 2 ** (attempts - 1))
    now = timezone.now()
    mine.update(
        **changes,
        state=State.PLANNED,
        next_attempt_at=now + min(delay, MAX_BACKOFF),
        last_error=f"{type(error).__name__}: {error}"[:2000],
        claim_token=None,
        lease_until=None,
        handed_over_at=None,
        updated_at=now,
    )
    report.retrying += 1


def give_up(rows, report: SendReport, *, error: Exception | None = None, **changes) -> None:
    """Mark the rows `failed` (out of attempts), counted in the report."""
    changes.update(state=State.FAILED, claim_token=None, lease_until=None)
    if error is not None:
        changes["last_error"] = f"{type(error).__name__}: {error}"[:2000]
    changes["updated_at"] = timezone.now()
    report.failed += rows.update(**changes)

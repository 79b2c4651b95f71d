"""The sender: deliver planned ledger rows, each at most once, whatever crashes.

For each row: claim it with a compare-and-set UPDATE (state and claim token as read), note
the moment the message is handed to the mail server, send outside any transaction, then
record it sent. A sender that dies leaves its row in `sending` with an expired lease; the
next run decides by kind (`notifications.policy`): a row that never reached the mail server,
or an escalation, is sent again; a routine row that may have been accepted is marked
`unknown` for an administrator. Failures are retried with doubling back-off up to
NOTIFICATIONS_MAX_ATTEMPTS, then marked `failed`. One bad row never stops a run.

Reads are per batch (rows with what the e-mail shows, preferences, inspectors' forces);
writes are a few set-based updates per batch plus three per e-mail sent.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Role, User
from notifications.emails import build_message
from notifications.models import Delivery, Kind, Notification, NotificationPreference, State
from notifications.policy import policy_for
from notifications.recipients import may_see, remember_inspected_forces

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)
SEND = "send"
RELATED = [
    "recipient",
    "item__force",
    "item__inspection",
    "item__owner",
    "cause_of_concern__force",
    "cause_of_concern__inspection",
    "timeline_entry",
]


@dataclass
class SendReport:
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


def send_outstanding(
    *, today: date, ids: Sequence[int] | None = None, until: float | None = None
) -> SendReport:
    """Deliver every outstanding row (or only those with the given ids), batch by batch.

    With `until` (a time.monotonic() value) it stops starting new e-mails at that time and
    leaves the rest planned for the next run, so a task never outlives its runner's timeout.
    """
    report = SendReport()
    connection = get_connection()  # one SMTP session for the run, reopened after an error
    last_pk = 0
    try:
        while True:
            rows = Notification.objects.filter(outstanding(timezone.now()), pk__gt=last_pk)
            if ids is not None:
                rows = rows.filter(pk__in=list(ids))
            batch = list(
                rows.select_related(*RELATED).order_by("pk")[: settings.NOTIFICATIONS_BATCH_SIZE]
            )
            if not batch or _out_of_time(until):
                break
            last_pk = batch[-1].pk
            _send_batch(batch, today=today, report=report, connection=connection, until=until)
    finally:
        connection.close()
    return report


def _out_of_time(until: float | None) -> bool:
    return until is not None and time.monotonic() > until


def _send_batch(
    batch: list[Notification], *, today: date, report: SendReport, connection, until=None
):
    recipients = {row.recipient_id: row.recipient for row in batch}
    for row in batch:  # one object per person, so what is loaded below serves all their rows
        row.recipient = recipients[row.recipient_id]
    preferences = {
        (p.user_id, p.kind): p.delivery
        for p in NotificationPreference.objects.filter(user_id__in=list(recipients))
    }
    _load_inspected_forces(recipients.values())
    by_verdict: dict[str, list[Notification]] = {}
    for row in batch:
        try:
            verdict = _verdict(row, today=today, preferences=preferences)
        except Exception as error:  # a row whose data cannot be read must not stop the run
            logger.exception("Notification %s could not be checked", row.pk)
            _fail(row, error, report)
            continue
        by_verdict.setdefault(verdict, []).append(row)

    for state, counter in [
        (State.CANCELLED, "cancelled"),
        (State.SUPPRESSED, "suppressed"),
        (State.HELD, "held"),
        (State.UNKNOWN, "unknown"),
    ]:
        done = _settle(by_verdict.get(state, []), state)
        setattr(report, counter, getattr(report, counter) + done)
    for row in by_verdict.get(SEND, []):
        if _out_of_time(until):
            break
        _deliver(row, today=today, report=report, connection=connection)


def _load_inspected_forces(users) -> None:
    inspectors = [u for u in users if u.role == Role.INSPECTOR]
    if not inspectors:
        return
    forces: dict[int, set[int]] = {}
    through = User.inspected_forces.through.objects.filter(
        user_id__in=[u.pk for u in inspectors]
    ).values_list("user_id", "force_id")
    for user_id, force_id in through:
        forces.setdefault(user_id, set()).add(force_id)
    remember_inspected_forces(inspectors, forces)


def still_relevant(row: Notification, today: date) -> bool:
    """A reminder or escalation is stale once the item is closed or has a new due date."""
    if row.kind in (Kind.DUE_REMINDER, Kind.OVERDUE):
        item, due_on = row.item, row.due_on
        assert item is not None and due_on is not None  # the sweep always sets both
        if not item.is_open or item.due_on != due_on:
            return False
        return row.kind == Kind.OVERDUE or today <= due_on
    return True


def may_be_told(row: Notification) -> bool:
    user = row.recipient
    if not user.is_active or not user.email:
        return False
    if row.kind == Kind.DIGEST:
        return True
    return may_see(user, row.item if row.item_id else row.cause_of_concern)


def _verdict(row: Notification, *, today: date, preferences: dict) -> str:
    policy = policy_for(row.kind)
    if row.state == State.SENDING and row.handed_over_at and not policy.resend_if_outcome_unknown:
        # The mail server may already have accepted it: do not risk a duplicate.
        return State.UNKNOWN
    if not still_relevant(row, today) or not may_be_told(row):
        return State.CANCELLED
    if not policy.user_choice:
        return SEND
    delivery = preferences.get((row.recipient_id, row.kind), Delivery.IMMEDIATELY)
    if delivery == Delivery.OFF and policy.can_turn_off:
        return State.SUPPRESSED
    if delivery == Delivery.DIGEST:
        return State.HELD
    return SEND


def _as_read(row: Notification) -> Q:
    """The row exactly as this sender read it: the compare of compare-and-set."""
    return Q(pk=row.pk, state=row.state, claim_token=row.claim_token, attempts=row.attempts)


def _settle(rows: list[Notification], state: str) -> int:
    """Move rows to a final (or held) state, unless another sender has taken them since."""
    changes: dict[str, object] = {"state": state, "lease_until": None, "claim_token": None}
    changes["updated_at"] = timezone.now()
    planned = [row.pk for row in rows if row.state == State.PLANNED]
    done = 0
    if planned:
        done += Notification.objects.filter(pk__in=planned, state=State.PLANNED).update(**changes)
    for row in rows:
        if row.state != State.PLANNED:  # abandoned rows are rare: one compare-and-set each
            done += Notification.objects.filter(_as_read(row)).update(**changes)
    return done


def _deliver(row: Notification, *, today: date, report: SendReport, connection) -> None:
    now = timezone.now()
    if row.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        _give_up(Notification.objects.filter(_as_read(row)), report)
        return
    token = uuid.uuid4()
    claimed = Notification.objects.filter(_as_read(row)).update(
        state=State.SENDING,
        claim_token=token,
        lease_until=now + timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS),
        attempts=F("attempts") + 1,
        handed_over_at=None,
        updated_at=now,
    )
    if not claimed:
        return  # another sender has it
    mine = Notification.objects.filter(pk=row.pk, claim_token=token)
    row.attempts += 1
    row.claim_token = token
    try:
        entries = digest_entries(row, today=today) if row.kind == Kind.DIGEST else []
        if row.kind == Kind.DIGEST and not entries:
            mine.update(state=State.CANCELLED, claim_token=None, lease_until=None)
            report.cancelled += 1
            return
        message = build_message(row, today=today, entries=entries, connection=connection)
        connection.open()  # once per run: an open session is reused for every message
        mine.update(handed_over_at=timezone.now())
        message.send()
    except Exception as error:
        logger.warning("Sending notification %s failed: %s", row.pk, error)
        connection.close()  # a broken session must not fail the next message
        _fail(row, error, report, mine=mine)
        return
    sent_at = timezone.now()
    mine.update(
        state=State.SENT, sent_at=sent_at, lease_until=None, last_error="", updated_at=sent_at
    )
    if entries:
        Notification.objects.filter(pk__in=[e.pk for e in entries], digest=row).update(
            state=State.SENT, sent_at=sent_at, updated_at=sent_at
        )
    report.sent += 1


def _fail(row: Notification, error: Exception, report: SendReport, *, mine=None) -> None:
    """Try again later with a doubling back-off, or give up after the last attempt."""
    changes = {}
    if mine is None:  # it failed before it could be claimed: that is an attempt too
        mine = Notification.objects.filter(_as_read(row))
        row.attempts += 1
        changes["attempts"] = row.attempts
    attempts = row.attempts
    if attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        _give_up(mine, report, error=error, **changes)
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


def _give_up(rows, report: SendReport, *, error: Exception | None = None, **changes) -> None:
    changes.update(state=State.FAILED, claim_token=None, lease_until=None)
    if error is not None:
        changes["last_error"] = f"{type(error).__name__}: {error}"[:2000]
    changes["updated_at"] = timezone.now()
    report.failed += rows.update(**changes)


def digest_entries(digest: Notification, *, today: date) -> list[Notification]:
    """Attach the recipient's held notifications to this digest and return those still worth
    telling; stale ones are cancelled. Rows held after this point wait for the next digest."""
    Notification.objects.filter(
        recipient_id=digest.recipient_id, state=State.HELD, digest__isnull=True
    ).update(digest=digest, updated_at=timezone.now())
    entries = list(
        Notification.objects.filter(digest=digest, state=State.HELD)
        .select_related(*RELATED[1:])
        .order_by("kind", "due_on", "pk")
    )
    keep: list[Notification] = []
    stale: list[Notification] = []
    for entry in entries:
        entry.recipient = digest.recipient
        (keep if still_relevant(entry, today) and may_be_told(entry) else stale).append(entry)
    if stale:
        Notification.objects.filter(pk__in=[e.pk for e in stale]).update(
            state=State.CANCELLED, updated_at=timezone.now()
        )
    return keep

"""The sender: deliver planned ledger rows, each at most once, whatever crashes.

Batch by batch: read the outstanding rows and claim those to send with one compare-and-set
UPDATE (state and claim token as read; on PostgreSQL the rows are read FOR UPDATE SKIP
LOCKED). Then send them one after another over one SMTP session; before each message's
final dot goes to the mail server, one short transaction notes its hand-over and records the
previous message sent (`notifications.courier` holds the dot until then). A sender that dies
leaves at most one row handed over without its outcome; the next run decides by kind
(`notifications.policy`): a row that never reached the mail server, or an escalation, is
sent again; a routine row that may have been accepted is marked `unknown` for an
administrator. Failures are retried with doubling back-off up to NOTIFICATIONS_MAX_ATTEMPTS,
then marked `failed`. One bad row never stops a run. Why: docs/decisions/0015.

Reads are per batch (rows with what the e-mail shows, preferences, inspectors' forces);
writes are a few set-based updates per batch plus one per e-mail sent. The compare-and-set
writes that claim, settle and fail rows are in `notifications.claims`.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connections, transaction
from django.db.models import F, Field
from django.utils import timezone

from accounts.models import User
from notifications.claims import SendReport, claim, fail, outstanding, settle
from notifications.courier import Courier, HandOverCancelled
from notifications.emails import build_message
from notifications.models import Delivery, Kind, Notification, NotificationPreference, State
from notifications.policy import policy_for
from notifications.recipients import may_see, remember_inspected_forces
from recommendations.rules import is_inspector

logger = logging.getLogger(__name__)

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


def send_outstanding(
    *, today: date, ids: Sequence[int] | None = None, until: float | None = None
) -> SendReport:
    """Deliver every outstanding row (or only those with the given ids), batch by batch.

    With `until` (a time.monotonic() value) it stops starting new e-mails at that time and
    leaves the rest planned for the next run, so a task never outlives its runner's timeout.
    """
    report = SendReport()
    last_pk = 0
    # One SMTP session for the run, reopened after an error.
    with _quick_handover(), Courier() as courier:
        while not _out_of_time(until):
            batch, last_pk = _claim_batch(today=today, ids=ids, after=last_pk, report=report)
            if batch is None:
                break
            _deliver_claimed(batch, today=today, report=report, courier=courier, until=until)
    return report


# The interpreter's switch interval while any run of this process is sending (the process's
# own value otherwise): the courier thread waits on the mail server and wakes for a few
# microseconds of work; at the default 5 ms it queues behind the rendering thread for the
# interpreter lock (1.49x plain smtplib with it, docs/performance.md). The setting is the
# process's, so runs in several threads of one process share it, counted.
HANDOVER_SWITCH_INTERVAL = 0.0002
_handover_lock = threading.Lock()
_handover_runs = 0
_handover_saved = 0.0


@contextlib.contextmanager
def _quick_handover() -> Iterator[None]:
    global _handover_runs, _handover_saved
    with _handover_lock:
        if _handover_runs == 0:
            _handover_saved = sys.getswitchinterval()
            sys.setswitchinterval(HANDOVER_SWITCH_INTERVAL)
        _handover_runs += 1
    try:
        yield
    finally:
        with _handover_lock:
            _handover_runs -= 1
            if _handover_runs == 0:
                sys.setswitchinterval(_handover_saved)


def _out_of_time(until: float | None) -> bool:
    return until is not None and time.monotonic() > until


def _claim_batch(
    *, today: date, ids: Sequence[int] | None, after: int, report: SendReport
) -> tuple[list[Notification] | None, int]:
    """Read the next batch of outstanding rows, settle those not to be sent, and claim the
    rest, in one short transaction. On PostgreSQL the rows are read FOR UPDATE SKIP LOCKED,
    so senders running at once take different batches; SQLite's writers take turns (the
    transaction takes the write lock at BEGIN). Returns the claimed rows (None: no more)."""
    with transaction.atomic():
        rows = Notification.objects.filter(outstanding(timezone.now()), pk__gt=after)
        if ids is not None:
            rows = rows.filter(pk__in=list(ids))
        batch = list(
            rows.select_related(*RELATED)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")[: settings.NOTIFICATIONS_BATCH_SIZE]
        )
        if not batch:
            return None, after
        to_send = _sort_batch(batch, today=today, report=report)
        return claim(to_send, report=report), batch[-1].pk


def _sort_batch(batch: list[Notification], *, today: date, report: SendReport):
    """Decide each row; settle all but those to send, which are returned."""
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
            fail(row, error, report)
            continue
        by_verdict.setdefault(verdict, []).append(row)

    for state, counter in [
        (State.CANCELLED, "cancelled"),
        (State.SUPPRESSED, "suppressed"),
        (State.HELD, "held"),
        (State.UNKNOWN, "unknown"),
    ]:
        done = settle(by_verdict.get(state, []), state)
        setattr(report, counter, getattr(report, counter) + done)
    return by_verdict.get(SEND, [])


def _load_inspected_forces(users) -> None:
    inspectors = [u for u in users if is_inspector(u)]
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
    subject = row.item if row.item_id else row.cause_of_concern
    if subject is None:  # every other kind is about an item or a cause of concern
        return False
    return may_see(user, subject)


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


def _deliver_claimed(
    rows: list[Notification], *, today: date, report: SendReport, courier: Courier, until=None
) -> None:
    """Send claimed rows one after another over the courier's session.

    One write per e-mail: before a message's final dot goes, one transaction records the
    previous message accepted and notes this one's hand-over. So whenever the sender dies,
    at most one row is handed over without its outcome recorded (docs/decisions/0015). The
    next message is rendered while the server takes this one.
    """
    accepted: _Prepared | None = None  # accepted by the server, not yet recorded
    queue = iter(rows)
    prepared = _prepare_next(queue, today=today, report=report)
    try:
        while prepared is not None:
            if _out_of_time(until):
                break
            handle = courier.hand_over(prepared.message)
            try:
                noted = _note_hand_over(prepared.row, accepted=accepted)
            except BaseException:
                handle.release(go=False)
                raise
            accepted = None
            handle.release(go=noted)
            current, prepared = prepared, _prepare_next(queue, today=today, report=report)
            try:
                handle.result()
            except HandOverCancelled:
                continue  # another sender has the row
            except Exception as error:
                logger.warning("Sending notification %s failed: %s", current.row.pk, error)
                fail(current.row, error, report, mine=current.mine)
                continue
            accepted = current
            report.sent += 1
    finally:
        if accepted is not None:
            _record_sent(accepted)
        _release_unsent(rows)


NOTE_SQL = (
    "UPDATE notifications_notification SET handed_over_at = %s, lease_until = %s"
    " WHERE id = %s AND claim_token = %s"
)
# The same for one row, and the previous one recorded sent, in one statement.
NOTE_AND_RECORD_SQL = (
    "UPDATE notifications_notification SET"
    " handed_over_at = CASE WHEN id = %s THEN %s ELSE handed_over_at END,"
    " lease_until = CASE WHEN id = %s THEN %s ELSE NULL END,"
    " state = CASE WHEN id = %s THEN state ELSE %s END,"
    " sent_at = CASE WHEN id = %s THEN sent_at ELSE %s END,"
    " last_error = CASE WHEN id = %s THEN last_error ELSE '' END,"
    " updated_at = %s"
    " WHERE id IN (%s, %s) AND claim_token = %s"
)


@dataclass
class _Prepared:
    row: Notification
    message: EmailMessage
    entries: list[Notification]

    @property
    def mine(self):
        return Notification.objects.filter(pk=self.row.pk, claim_token=self.row.claim_token)


def _prepare_next(queue, *, today: date, report: SendReport) -> _Prepared | None:
    """The next claimed row's e-mail, built; rows that cannot be built are failed (or, an
    empty digest, cancelled) and skipped."""
    for row in queue:
        try:
            entries = digest_entries(row, today=today) if row.kind == Kind.DIGEST else []
            if row.kind == Kind.DIGEST and not entries:
                Notification.objects.filter(pk=row.pk, claim_token=row.claim_token).update(
                    state=State.CANCELLED, claim_token=None, lease_until=None
                )
                report.cancelled += 1
                continue
            message = build_message(row, today=today, entries=entries)
        except Exception as error:
            logger.warning("Sending notification %s failed: %s", row.pk, error)
            mine = Notification.objects.filter(pk=row.pk, claim_token=row.claim_token)
            fail(row, error, report, mine=mine)
            continue
        return _Prepared(row, message, entries)
    return None


def _note_hand_over(row: Notification, *, accepted: _Prepared | None) -> bool:
    """One statement: note this row's hand-over (a compare-and-set on the claim token, with
    a fresh lease) and record the previous message accepted. False: the row is not ours.

    Hand-written SQL: it runs once per e-mail, and building it with the ORM cost more
    processor time than rendering the e-mail."""
    now = timezone.now()
    lease_until = now + timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)
    if accepted is not None and accepted.entries:
        with transaction.atomic():  # a digest's entries are recorded with it
            _record_sent(accepted, now=now)
            return _note_hand_over(row, accepted=None)
    db = connections[Notification.objects.db]

    def prep(field_name: str, value: object) -> Any:  # what the database driver takes
        field = Notification._meta.get_field(field_name)
        assert isinstance(field, Field)  # a concrete column, not a relation's reverse side
        return field.get_db_prep_value(value, db)

    at, until = prep("handed_over_at", now), prep("lease_until", lease_until)
    token = prep("claim_token", row.claim_token)
    with db.cursor() as cursor:
        if accepted is None:
            cursor.execute(NOTE_SQL, [at, until, row.pk, token])
            return cursor.rowcount == 1
        this = row.pk
        cursor.execute(
            NOTE_AND_RECORD_SQL,
            [
                *[this, at, this, until, this, State.SENT.value, this, at, this, at],
                *[this, accepted.row.pk, token],  # the WHERE
            ],
        )
        updated = cursor.rowcount
    if updated == 2:
        return True
    # Rare: a lease ran out and another sender took one of the two rows.
    return (
        updated == 1
        and Notification.objects.filter(
            pk=row.pk, claim_token=row.claim_token, handed_over_at=now
        ).exists()
    )


def _record_sent(accepted: _Prepared, *, now=None) -> None:
    sent_at = now or timezone.now()
    accepted.mine.update(
        state=State.SENT, sent_at=sent_at, lease_until=None, last_error="", updated_at=sent_at
    )
    if accepted.entries:
        Notification.objects.filter(
            pk__in=[e.pk for e in accepted.entries], digest=accepted.row
        ).update(state=State.SENT, sent_at=sent_at, updated_at=sent_at)


def _release_unsent(rows: list[Notification]) -> None:
    """Rows claimed but never handed over (the run ran out of time) go back to planned, as
    if never claimed: the attempt is given back."""
    tokens = {row.claim_token for row in rows}
    Notification.objects.filter(
        claim_token__in=tokens, state=State.SENDING, handed_over_at__isnull=True
    ).update(
        state=State.PLANNED,
        claim_token=None,
        lease_until=None,
        attempts=F("attempts") - 1,
        updated_at=timezone.now(),
    )


def _deliver(row: Notification, *, today: date, report: SendReport, connection) -> None:
    """Claim and send one row as read (the batch path, for a single row)."""
    with Courier(connection) as courier:
        claimed = claim([row], report=report)
        _deliver_claimed(claimed, today=today, report=report, courier=courier)


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

"""The sender: compare-and-set claims, leases, the per-kind unknown policy, retries."""

import smtplib
import sys
import uuid
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications import emails, sender, services
from notifications.models import Kind, Notification, State
from recommendations.models import Status
from tests import factories
from tracker.errors import NotAllowed

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)
REFUSED: set[str] = set()


class RefusingBackend(EmailBackend):
    """The local outbox, except that the "mail server" refuses some addresses."""

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & REFUSED:
                raise smtplib.SMTPDataError(451, b"Try again later")
        return super().send_messages(messages)


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_sender.RefusingBackend"
    REFUSED.clear()
    yield REFUSED
    REFUSED.clear()


@pytest.fixture
def item(force, owner):
    return factories.ItemFactory(
        inspection__force=force,
        reference="9207/2",
        due_on=TODAY + timedelta(days=7),
        owner=owner,
        status=Status.BEING_PROGRESSED,
    )


def row_for(item, recipient, **extra) -> Notification:
    return factories.NotificationFactory(item=item, recipient=recipient, **extra)


def send() -> sender.SendReport:
    return sender.send_outstanding(today=TODAY)


def test_message_id_is_stable_and_derived_from_the_ledger_key(clock, item, lead, mailoutbox):
    clock(TODAY)
    row = row_for(item, lead)
    first = emails.message_id(row)
    assert first == emails.message_id(Notification.objects.get(pk=row.pk))
    assert first.startswith(f"<notification-{row.pk}-") and first.endswith("@127.0.0.1>")
    assert first != emails.message_id(row_for(item, lead, key="before-1@2026-11-30"))
    send()
    assert mailoutbox[0].extra_headers["Message-ID"] == first


def test_the_claim_is_a_compare_and_set(clock, item, lead, mailoutbox):
    clock(TODAY)
    row = row_for(item, lead)
    stale = Notification.objects.select_related(*sender.RELATED).get(pk=row.pk)
    # Another sender claims it first.
    Notification.objects.filter(pk=row.pk).update(
        state=State.SENDING,
        claim_token=uuid.uuid4(),
        lease_until=timezone.now() + timedelta(minutes=5),
        attempts=1,
    )
    report = sender.SendReport()
    sender._deliver(stale, today=TODAY, report=report, connection=mail.get_connection())
    assert report.sent == 0 and mailoutbox == []
    assert send().sent == 0  # still within the other sender's lease


@pytest.mark.parametrize(
    ("kind", "handed_over", "outcome", "mails"),
    [
        # Never reached the mail server: safe to send.
        (Kind.DUE_REMINDER, False, State.SENT, 1),
        # May have been accepted: a routine reminder is not risked twice.
        (Kind.DUE_REMINDER, True, State.UNKNOWN, 0),
        (Kind.ASSIGNED, True, State.UNKNOWN, 0),
        # An escalation is sent again: a duplicate is better than silence.
        (Kind.OVERDUE, True, State.SENT, 1),
    ],
)
def test_a_row_whose_sender_died_is_decided_by_kind(
    clock, item, lead, mailoutbox, kind, handed_over, outcome, mails
):
    clock(TODAY)
    if kind == Kind.OVERDUE:
        item.due_on = TODAY - timedelta(days=1)
        item.save()
    row = row_for(
        item,
        lead,
        kind=kind,
        due_on=item.due_on,
        state=State.SENDING,
        claim_token=uuid.uuid4(),
        attempts=1,
        lease_until=timezone.now() + timedelta(minutes=5),
        handed_over_at=timezone.now() if handed_over else None,
    )
    assert send().sent == 0  # the lease has not run out
    clock(TODAY, hour=10)
    send()
    row.refresh_from_db()
    assert row.state == outcome
    assert len(mailoutbox) == mails


def test_failures_are_retried_with_backoff_then_marked_failed(
    settings, clock, item, lead, mailoutbox, refusing
):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    settings.NOTIFICATIONS_RETRY_SECONDS = 60
    clock(TODAY)
    row = row_for(item, lead)
    refusing.add(lead.email)
    assert send().retrying == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.PLANNED, 1)
    assert row.next_attempt_at == timezone.now() + timedelta(seconds=60)
    assert "451" in row.last_error
    assert send().retrying == 0  # not before the back-off
    row.next_attempt_at += timedelta(seconds=1)
    clock_at = row.next_attempt_at
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert send().retrying == 1
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.next_attempt_at - timezone.now() == timedelta(seconds=120)  # doubled
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert send().failed == 1
    row.refresh_from_db()
    assert row.state == State.FAILED
    assert mailoutbox == [] and clock_at


def test_one_bad_row_never_stops_a_run(
    clock, item, lead, owner, sponsor, mailoutbox, refusing, monkeypatch
):
    clock(TODAY)
    refused = row_for(item, owner)
    broken = row_for(item, sponsor)
    fine = row_for(item, lead)
    refusing.add(owner.email)
    build = emails.build_message

    def build_or_break(row, **kwargs):
        if row.pk == broken.pk:
            raise ValueError("a template error")
        return build(row, **kwargs)

    monkeypatch.setattr(sender, "build_message", build_or_break)
    report = send()
    assert (report.sent, report.retrying) == (1, 2)
    assert [m.to for m in mailoutbox] == [[lead.email]]
    fine.refresh_from_db()
    broken.refresh_from_db()
    refused.refresh_from_db()
    assert fine.state == State.SENT
    assert "template error" in broken.last_error
    assert refused.state == State.PLANNED


def test_rows_no_longer_relevant_are_cancelled(clock, force, item, lead, owner, other_force):
    clock(TODAY)
    closed = factories.ItemFactory(
        inspection__force=force, due_on=item.due_on, status=Status.COMPLETE
    )
    moved = row_for(item, lead, due_on=item.due_on - timedelta(days=3))
    row_for(closed, lead)
    gone = factories.ForceLeadFactory(force=force, is_active=False)
    row_for(item, gone)
    transferred = factories.ActionOwnerFactory(force=force)
    row_for(item, transferred)
    transferred.force = other_force
    transferred.save()
    report = send()
    assert (report.cancelled, report.sent) == (4, 0)
    assert Notification.objects.get(pk=moved.pk).state == State.CANCELLED


def test_the_sender_needs_one_write_per_email_and_a_few_queries_per_batch(
    clock, force, item, inspector, mailoutbox
):
    clock(TODAY)

    def queries_to_send(n: int) -> int:
        for _ in range(n // 2):
            row_for(item, factories.ActionOwnerFactory(force=force))
            # Inspectors' forces are loaded once per batch, not once per row.
            row_for(
                factories.ItemFactory(inspection=item.inspection, due_on=item.due_on), inspector
            )
        with CaptureQueriesContext(connection) as queries:
            assert send().sent == n
        return len(queries)

    ten, thirty = queries_to_send(10), queries_to_send(30)
    # Noting the hand-over records the previous e-mail sent; claims are one per batch.
    assert thirty - ten == 20
    # + the batch, preferences, inspectors' forces, the claim, the claimed, the last
    # recorded sent, releasing the unsent, the empty batch (and the test's savepoints).
    assert ten <= 10 + 12


def test_administrators_see_and_resend_failed_and_unknown_rows(
    client, clock, item, lead, administrator
):
    clock(TODAY)
    failed = row_for(item, lead, state=State.FAILED, attempts=5, last_error="550 no such user")
    unknown = row_for(item, lead, key="before-1@x", state=State.UNKNOWN, attempts=1)
    client.force_login(administrator)
    page = client.get(reverse("notifications:status"))
    assert page.status_code == 200
    assert "1 with unknown outcome and 1 failed" in page.content.decode()
    changelist = client.get(reverse("admin:notifications_notification_changelist"))
    assert "1 notification(s) with an unknown outcome and 1 failed" in changelist.content.decode()
    client.force_login(lead)
    assert client.get(reverse("notifications:status")).status_code == 403
    with pytest.raises(NotAllowed):
        services.notifications_retry(user=lead, notification_ids=[failed.pk])
    assert (
        services.notifications_retry(user=administrator, notification_ids=[failed.pk, unknown.pk])
        == 2
    )
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == (State.PLANNED, 0)


def test_a_row_that_cannot_be_checked_counts_its_attempts(settings, clock, item, lead, monkeypatch):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    clock(TODAY)
    row = row_for(item, lead)

    def broken(*args, **kwargs):
        raise RuntimeError("unreadable")

    monkeypatch.setattr(sender, "still_relevant", broken)
    assert send().retrying == 1
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert send().failed == 1
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (
        State.FAILED,
        2,
        "RuntimeError: unreadable",
    )


def test_overlapping_runs_leave_the_processes_switch_interval_as_it_was():
    """Runs in two threads of one process overlap: the quick hand-over lasts while either is
    sending, and the process's own setting comes back when the last one ends."""
    own = sys.getswitchinterval()
    first, second = sender._quick_handover(), sender._quick_handover()
    first.__enter__()
    second.__enter__()
    assert sys.getswitchinterval() == pytest.approx(sender.HANDOVER_SWITCH_INTERVAL)
    first.__exit__(None, None, None)  # the second still sends
    assert sys.getswitchinterval() == pytest.approx(sender.HANDOVER_SWITCH_INTERVAL)
    second.__exit__(None, None, None)
    assert sys.getswitchinterval() == own


def test_a_run_restores_the_switch_interval_when_it_fails(monkeypatch):
    own = sys.getswitchinterval()

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(sender, "_claim_batch", broken)
    with pytest.raises(RuntimeError):
        sender.send_outstanding(today=date(2026, 6, 1))
    assert sys.getswitchinterval() == own

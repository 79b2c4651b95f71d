"""Sending in batches against a real SMTP server (aiosmtpd) on 127.0.0.1: one connection per
run, a refusal mid-batch, and a sender that dies mid-batch (docs/decisions/0015)."""

from collections import Counter
from datetime import date, timedelta

import pytest

from notifications import sender
from notifications.emails import message_id
from notifications.models import Kind, Notification, State
from recommendations.models import Status
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


@pytest.fixture
def rows(clock, force, settings):
    """Eight planned reminders, to eight people; batches of five."""
    settings.NOTIFICATIONS_BATCH_SIZE = 5
    clock(TODAY)
    item = factories.ItemFactory(
        inspection__force=force, due_on=TODAY + timedelta(days=7), status=Status.BEING_PROGRESSED
    )
    return [
        factories.NotificationFactory(item=item, recipient=factories.ForceLeadFactory(force=force))
        for _ in range(8)
    ]


def send() -> sender.SendReport:
    return sender.send_outstanding(today=TODAY)


def states() -> Counter:
    return Counter(Notification.objects.values_list("state", flat=True))


def test_every_batch_of_a_run_goes_over_one_smtp_connection(smtp_server, rows):
    assert send().sent == 8
    assert smtp_server.connections() == 1
    assert smtp_server.copies() == Counter({message_id(row): 1 for row in rows})
    assert states() == Counter({State.SENT: 8})
    assert not Notification.objects.filter(handed_over_at__isnull=True).exists()
    assert send().sent == 0 and len(smtp_server.received) == 8  # nothing twice


def test_a_refusal_mid_batch_leaves_that_row_retryable_and_resends_nothing_accepted(
    smtp_server, rows, clock, settings
):
    settings.NOTIFICATIONS_RETRY_SECONDS = 60
    refused = rows[2]
    smtp_server.refused.add(refused.recipient.email)
    report = send()
    assert (report.sent, report.retrying) == (7, 1)
    refused.refresh_from_db()
    assert (refused.state, refused.attempts, refused.handed_over_at) == (State.PLANNED, 1, None)
    assert "451" in refused.last_error
    assert states() == Counter({State.SENT: 7, State.PLANNED: 1})

    smtp_server.refused.clear()
    assert send().sent == 0  # not before the back-off
    clock(TODAY, hour=10)
    assert send().sent == 1
    assert smtp_server.copies() == Counter({message_id(row): 1 for row in rows})
    assert states() == Counter({State.SENT: 8})


def test_a_sender_dying_mid_batch_leaves_one_row_uncertain_and_the_rest_to_send(
    smtp_server, rows, clock, monkeypatch
):
    """Killed as it notes the fourth hand-over: the first two are recorded sent, the third
    was accepted but not recorded (unknown: it is routine), the rest of its batch were never
    handed over and are sent once its lease runs out; the next batch was never claimed."""
    real_note = sender._note_hand_over
    notes = []

    class Killed(BaseException):
        pass

    def note_then_die(row, *, accepted):
        notes.append(row.pk)
        if len(notes) == 4:
            raise Killed
        return real_note(row, accepted=accepted)

    monkeypatch.setattr(sender, "_note_hand_over", note_then_die)
    # A killed process runs no clean-up: nothing more reaches the ledger.
    monkeypatch.setattr(sender, "_record_sent", lambda *a, **k: None)
    monkeypatch.setattr(sender, "_release_unsent", lambda *a: None)
    with pytest.raises(Killed):
        send()
    assert len(smtp_server.received) == 3
    assert states() == Counter({State.SENT: 2, State.SENDING: 3, State.PLANNED: 3})
    monkeypatch.undo()

    assert send().sent == 3  # the next batch; the dead sender's rows are within its lease
    clock(TODAY, hour=10)  # the lease has run out
    report = send()
    assert (report.sent, report.unknown) == (2, 1)
    uncertain = Notification.objects.get(state=State.UNKNOWN)
    assert uncertain.pk == rows[2].pk and uncertain.kind == Kind.DUE_REMINDER
    assert smtp_server.copies() == Counter({message_id(row): 1 for row in rows})
    assert states() == Counter({State.SENT: 7, State.UNKNOWN: 1})

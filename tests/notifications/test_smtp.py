"""Integration: send_reminders against a real SMTP server (aiosmtpd) on 127.0.0.1."""

import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone

from notifications.emails import message_id
from notifications.models import Kind, Notification, State
from recommendations.models import Status
from tests import factories
from tests.notifications.conftest import run_reminders

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def parts(message) -> dict[str, str]:
    return {part.get_content_type(): part.get_content() for part in message.iter_parts()}


def test_reminders_and_escalations_reach_a_real_smtp_server(
    smtp_server, clock, force, lead, owner, sponsor
):
    clock(date(2026, 11, 23))
    factories.ItemFactory(
        inspection__force=force,
        reference="9207/2",
        due_on=date(2026, 11, 30),
        owner=owner,
        status=Status.BEING_PROGRESSED,
    )
    factories.ItemFactory(
        inspection__force=force,
        reference="9207/3",
        due_on=date(2026, 11, 9),
        status=Status.BEING_PROGRESSED,
    )
    report = run_reminders(date(2026, 11, 23))
    assert (report["sent"], report["failed"]) == (4, 0)

    by_subject = {}
    for recipients, message in ((d.recipients, d.message) for d in smtp_server.received):
        assert recipients == [message["To"]]
        by_subject.setdefault(message["Subject"], []).append(message)
    assert sorted(by_subject) == [
        "Due in 7 days: Cleveland Police, recommendation 9207/2",
        "Overdue by 14 days: Cleveland Police, recommendation 9207/3",
    ]
    reminders = by_subject["Due in 7 days: Cleveland Police, recommendation 9207/2"]
    escalations = by_subject["Overdue by 14 days: Cleveland Police, recommendation 9207/3"]
    assert sorted(m["To"] for m in reminders) == sorted([lead.email, owner.email])
    assert sorted(m["To"] for m in escalations) == sorted([lead.email, sponsor.email])

    for kind, messages in [(Kind.DUE_REMINDER, reminders), (Kind.OVERDUE, escalations)]:
        for message in messages:
            row = Notification.objects.get(recipient__email=message["To"], kind=kind)
            assert message["Message-ID"] == message_id(row)
            assert message["Auto-Submitted"] == "auto-generated"
            content = parts(message)
            assert set(content) == {"text/plain", "text/html"}
            link = f"https://tracker.example.gov.uk/items/{row.item_id}/"
            assert link in content["text/plain"]
            assert link in content["text/html"]

    reminder = parts(reminders[0])
    assert "/notifications/unsubscribe/" in reminder["text/plain"]
    assert "/notifications/unsubscribe/" in reminder["text/html"]
    unsubscribe_header = reminders[0]["List-Unsubscribe"].strip()
    assert unsubscribe_header.startswith("<https://tracker.example.gov.uk/notifications/")
    assert reminders[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    escalation = parts(escalations[0])
    assert "/notifications/unsubscribe/" not in escalation["text/plain"]
    assert "/notifications/unsubscribe/" not in escalation["text/html"]
    assert "cannot be turned off" in escalation["text/plain"]
    assert escalations[0]["List-Unsubscribe"] is None

    # A second run sends nothing more to the server.
    assert run_reminders(date(2026, 11, 23))["sent"] == 0
    assert len(smtp_server.received) == 4


def test_a_resent_escalation_keeps_its_message_id(smtp_server, clock, force, lead):
    clock(date(2026, 11, 23))
    factories.ItemFactory(
        inspection__force=force, reference="9207/3", due_on=date(2026, 11, 9), owner=None
    )
    run_reminders(date(2026, 11, 23))
    row = Notification.objects.get(kind=Kind.OVERDUE)
    # As if the worker died after the server accepted it but before recording it.
    Notification.objects.filter(pk=row.pk).update(
        state=State.SENDING,
        claim_token=uuid.uuid4(),
        handed_over_at=timezone.now(),
        lease_until=timezone.now() - timedelta(seconds=1),
    )
    run_reminders(date(2026, 11, 23))
    first, second = (delivery.message for delivery in smtp_server.received)
    assert first["Message-ID"] == second["Message-ID"] == message_id(row)

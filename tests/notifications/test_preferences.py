"""Preferences per user and kind: immediately, daily digest, off; unsubscribe links."""

import re
from datetime import date

import pytest
from django.db import IntegrityError
from django.urls import reverse

from notifications import services
from notifications.models import Kind, Notification, NotificationPreference, State
from notifications.tokens import unsubscribe_token
from recommendations import services as recommendation_services
from recommendations.models import Status
from tests import factories
from tracker.errors import InvalidInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(force, owner):
    """One item due in 7 days and one 14 days overdue, on Monday 23 November 2026."""
    return [
        factories.ItemFactory(
            inspection__force=force,
            reference=reference,
            due_on=due_on,
            owner=owner,
            status=Status.BEING_PROGRESSED,
        )
        for reference, due_on in [("9207/2", date(2026, 11, 30)), ("9207/3", date(2026, 11, 9))]
    ]


def prefer(user, kind, delivery):
    services.preferences_update(user=user, deliveries={kind: delivery})


def test_immediately_is_the_default(run, mailoutbox, items, lead):
    run(date(2026, 11, 23))
    assert sorted(m.subject.split(":")[0] for m in mailoutbox if m.to == [lead.email]) == [
        "Due in 7 days",
        "Overdue by 14 days",
    ]


def test_off_turns_a_kind_off_but_escalations_cannot_be(run, mailoutbox, items, lead):
    prefer(lead, Kind.DUE_REMINDER, "off")
    with pytest.raises(InvalidInput):
        prefer(lead, Kind.OVERDUE, "off")
    with pytest.raises(IntegrityError):
        NotificationPreference.objects.create(user=lead, kind=Kind.OVERDUE, delivery="off")


def test_off_suppresses_the_email(run, mailoutbox, items, lead):
    prefer(lead, Kind.DUE_REMINDER, "off")
    report = run(date(2026, 11, 23))
    assert report["suppressed"] == 1
    assert [m.subject.split(":")[0] for m in mailoutbox if m.to == [lead.email]] == [
        "Overdue by 14 days"
    ]


def test_the_digest_is_one_email_per_user_per_working_day(run, mailoutbox, items, lead, owner):
    for kind in (Kind.DUE_REMINDER, Kind.OVERDUE, Kind.ASSIGNED):
        prefer(lead, kind, "digest")
    report = run(date(2026, 11, 23))
    assert report["held"] == 2
    assert report["planned_by_kind"]["digest"] == 1
    to_lead = [m for m in mailoutbox if m.to == [lead.email]]
    assert len(to_lead) == 1
    digest = to_lead[0]
    assert digest.subject == ("Your daily summary for 23 November 2026: 1 overdue, 1 due soon")
    assert "Overdue by 14 days: Cleveland Police, recommendation 9207/3" in digest.body
    assert "Due in 7 days: Cleveland Police, recommendation 9207/2" in digest.body
    html = digest.alternatives[0][0]
    assert "Your daily summary" in html and "/items/" in html
    # The owner, who did not choose a digest, got both e-mails as they happened.
    assert len([m for m in mailoutbox if m.to == [owner.email]]) == 2
    assert Notification.objects.filter(recipient=lead, state=State.SENT).count() == 3
    mailoutbox.clear()
    assert run(date(2026, 11, 23))["sent"] == 0  # one digest a day, however often it runs


def test_events_held_over_a_weekend_go_in_mondays_digest(
    clock, run, mailoutbox, force, lead, owner
):
    prefer(owner, Kind.ASSIGNED, "digest")
    first, second = (
        factories.ItemFactory(
            inspection__force=force,
            reference=reference,
            due_on=date(2027, 6, 1),
            status=Status.BEING_PROGRESSED,
        )
        for reference in ("A/1", "A/2")
    )
    clock(date(2026, 11, 28))  # Saturday
    recommendation_services.item_assign_owner(item=first, user=lead, owner=owner)
    recommendation_services.item_assign_owner(item=second, user=lead, owner=owner)
    saturday = run(date(2026, 11, 28))
    assert saturday["held"] == 2 and saturday["planned"] == 0
    assert mailoutbox == []
    run(date(2026, 11, 29))
    assert mailoutbox == []
    run(date(2026, 11, 30))
    assert [m.subject for m in mailoutbox] == [
        "Your daily summary for 30 November 2026: 2 for your attention"
    ]
    assert mailoutbox[0].body.count("Assigned to you:") == 2


def test_the_preferences_page(client, lead):
    client.force_login(lead)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "govuk-radios" in html and "Reminders before the due date" in html
    # Escalations offer no "off".
    assert 'name="overdue" value="off"' not in html
    assert 'name="due-reminder" value="off"' in html
    choices = {kind: "immediately" for kind in re.findall(r'name="([a-z-]+)" value="off"', html)}
    choices.update({"overdue": "digest", "due-reminder": "off"})
    response = client.post(reverse("notifications:preferences"), choices)
    assert response.status_code == 302
    assert (
        dict(NotificationPreference.objects.filter(user=lead).values_list("kind", "delivery"))[
            "overdue"
        ]
        == "digest"
    )
    refused = client.post(reverse("notifications:preferences"), {**choices, "overdue": "off"})
    assert refused.status_code == 400


def test_unsubscribe_link_works_without_signing_in(client, lead):
    token = unsubscribe_token(user_id=lead.pk, kind=Kind.SUBMITTED)
    url = reverse("notifications:unsubscribe", args=[token])
    asked = client.get(url)
    assert asked.status_code == 200 and "Stop these e-mails?" in asked.content.decode()
    assert not NotificationPreference.objects.exists()  # a GET only asks
    done = client.post(url)  # one click, as mail programs send it: no CSRF token
    assert done.status_code == 200
    assert NotificationPreference.objects.get(user=lead, kind=Kind.SUBMITTED).delivery == "off"


def test_unsubscribe_refuses_forged_and_escalation_links(client, lead):
    forged = unsubscribe_token(user_id=lead.pk, kind=Kind.SUBMITTED)[:-2] + "xx"
    assert client.post(reverse("notifications:unsubscribe", args=[forged])).status_code == 400
    escalation = unsubscribe_token(user_id=lead.pk, kind=Kind.OVERDUE)
    explained = client.get(reverse("notifications:unsubscribe", args=[escalation]))
    assert explained.status_code == 200
    assert "cannot be turned off" in explained.content.decode()
    assert "Stop these e-mails</button>" not in explained.content.decode()
    assert client.post(reverse("notifications:unsubscribe", args=[escalation])).status_code == 400
    bogus = unsubscribe_token(user_id=lead.pk, kind="everything")
    assert client.get(reverse("notifications:unsubscribe", args=[bogus])).status_code == 400
    assert client.get(reverse("notifications:unsubscribe", args=["nonsense"])).status_code == 400
    assert not NotificationPreference.objects.exists()

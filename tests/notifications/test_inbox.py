"""The inbox: a user's own messages from the ledger, newest first, unread ones marked and
counted in the header; opening one marks it read and goes to the item."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications import selectors
from notifications import services as notification_services
from notifications.models import Delivery, Kind, Notification, NotificationPreference, State
from recommendations import services
from recommendations.models import Status
from tests import factories
from tracker.errors import NotAllowed

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")
TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(
        datetime(2026, 3, 10, 10, tzinfo=timezone.get_current_timezone()), tick=False
    )


@pytest.fixture
def item(force, lead):
    return factories.ItemFactory(
        inspection__force=force,
        reference="9207/2",
        due_on=TODAY + timedelta(days=60),
        status=Status.BEING_PROGRESSED,
        owner=lead,
    )


def row(recipient, item, *, state=State.SENT, kind=Kind.ASSIGNED, key=None, **fields):
    """A ledger row as the sender leaves it."""
    created = fields.pop("created_at", timezone.now())
    return Notification.objects.create(
        recipient=recipient,
        kind=kind,
        key=key or f"action-{Notification.objects.count() + 1}",
        item=item,
        planned_for=TODAY,
        state=state,
        sent_at=created if state == State.SENT else None,
        created_at=created,
        **fields,
    )


def assign_action(item, lead, owner, description="Audit 200 incident logs"):
    """The force lead gives the owner an action; the e-mail is sent as the runner would."""
    services.action_create(item=item, user=lead, description=description, owner=owner)
    ids = list(Notification.objects.filter(recipient=owner).values_list("pk", flat=True))
    notification_services.notifications_send(notification_ids=ids)
    return Notification.objects.get(recipient=owner, kind=Kind.ASSIGNED)


def test_inbox_shows_the_assignment_as_its_e_mail_says_it(client, item, lead, owner):
    notification = assign_action(item, lead, owner)
    assert notification.state == State.SENT
    client.force_login(owner)
    page = client.get(INBOX).content.decode()
    assert mail.outbox[0].subject in page
    assert (
        mail.outbox[0].subject == "Action assigned to you: Cleveland Police, recommendation 9207/2"
    )
    assert "Action: Audit 200 incident logs" in page
    assert "Unread" in page
    assert f'href="{reverse("notifications:open", args=[notification.pk])}"' in page


def test_held_for_the_digest_is_in_the_inbox_too(client, item, lead, owner):
    NotificationPreference.objects.create(user=owner, kind=Kind.ASSIGNED, delivery=Delivery.DIGEST)
    notification = assign_action(item, lead, owner)
    assert notification.state == State.HELD
    client.force_login(owner)
    page = client.get(INBOX).content.decode()
    assert "Action assigned to you: Cleveland Police, recommendation 9207/2" in page
    assert "Waiting for your daily digest" in page


@pytest.mark.parametrize(
    "state", [State.PLANNED, State.SENDING, State.SUPPRESSED, State.CANCELLED, State.FAILED]
)
def test_what_never_reached_the_person_is_not_in_the_inbox(owner, item, state):
    row(owner, item, state=state)
    assert not selectors.inbox_for(owner).exists()
    assert selectors.unread_count(owner) == 0


def test_digest_e_mails_are_not_listed_twice(owner, item):
    digest = row(owner, None, kind=Kind.DIGEST, key="digest-2026-03-10")
    entry = row(owner, item, digest=digest)
    assert list(selectors.inbox_for(owner)) == [entry]


def test_newest_first_and_paginated(client, owner, item):
    now = timezone.now()
    for n in range(26):
        row(owner, item, created_at=now - timedelta(hours=n))
    newest = Notification.objects.order_by("-created_at").first()
    client.force_login(owner)
    first = client.get(INBOX)
    assert len(first.context["notifications"]) == 25
    assert first.context["notifications"][0]["row"] == newest
    assert "Page 1 of 2" in first.content.decode()
    assert len(client.get(INBOX, {"page": 2}).context["notifications"]) == 1


def test_a_user_sees_only_their_own(client, item, lead, owner):
    row(lead, item, key="owner@1")
    mine = row(owner, item)
    client.force_login(owner)
    assert [m["row"] for m in client.get(INBOX).context["notifications"]] == [mine]


def test_someone_who_moved_force_no_longer_sees_the_old_forces_messages(owner, item, other_force):
    row(owner, item)
    owner.force = other_force
    owner.save()
    assert not selectors.inbox_for(owner).exists()


def test_inspector_sees_only_the_forces_they_still_inspect(inspector, item, force):
    row(inspector, item, kind=Kind.SUBMITTED, key="entry-1")
    assert selectors.unread_count(inspector) == 1
    inspector.inspected_forces.remove(force)
    inspector = type(inspector).objects.get(pk=inspector.pk)  # a new request, a fresh user
    assert selectors.unread_count(inspector) == 0


def test_header_shows_the_unread_count_counted_once(client, owner, item):
    row(owner, item)
    row(owner, item)
    row(owner, item, read_at=timezone.now())
    client.force_login(owner)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("recommendations:item-list")).content.decode()
    assert 'Notifications <span class="app-nav-count">2<span class="govuk-visually-hidden">' in page
    counts = [q for q in queries if "notifications_notification" in q["sql"]]
    assert len(counts) == 1


def test_no_count_when_everything_is_read(client, owner, item):
    row(owner, item, read_at=timezone.now())
    client.force_login(owner)
    assert "app-nav-count" not in client.get(INBOX).content.decode()


def test_notifications_in_the_navigation_opens_the_inbox_with_a_preferences_tab(client, owner):
    client.force_login(owner)
    page = client.get(reverse("recommendations:item-list")).content.decode()
    assert f'href="{INBOX}">Notifications' in page
    inbox = client.get(INBOX).content.decode()
    assert f'href="{reverse("notifications:preferences")}"' in inbox
    preferences = client.get(reverse("notifications:preferences")).content.decode()
    assert f'href="{INBOX}"' in preferences and 'aria-current="page">E-mail preferences' in (
        preferences
    )


def test_opening_a_message_marks_it_read_and_goes_to_the_item(client, owner, item, lead):
    notification = assign_action(item, lead, owner)
    client.force_login(owner)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("recommendations:item-detail", args=[item.pk])
    notification.refresh_from_db()
    first_read = notification.read_at
    assert first_read is not None
    assert selectors.unread_count(owner) == 0
    assert "Unread" not in client.get(INBOX).content.decode()
    client.get(reverse("notifications:open", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_a_cause_of_concern_message_goes_to_its_first_recommendation(client, lead, force):
    cause = factories.CauseOfConcernFactory(
        inspection__force=force, closed_on=TODAY, closing_letter_reference="L/1"
    )
    first = factories.ItemFactory(inspection=cause.inspection, cause_of_concern=cause)
    notification = row(
        lead, None, kind=Kind.CAUSE_OF_CONCERN_CLOSED, key="entry-9", cause_of_concern=cause
    )
    client.force_login(lead)
    assert "Cause of concern closed: Cleveland Police" in client.get(INBOX).content.decode()
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("recommendations:item-detail", args=[first.pk])


def test_another_persons_message_is_not_found_and_stays_unread(client, owner, lead, item):
    theirs = row(lead, item, key="owner@1")
    client.force_login(owner)
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(client, owner, lead, item):
    row(owner, item)
    row(owner, item)
    theirs = row(lead, item, key="owner@1")
    client.force_login(owner)
    response = client.post(reverse("notifications:mark-all-read"), follow=True)
    assert "2 messages marked read." in response.content.decode()
    assert selectors.unread_count(owner) == 0
    assert selectors.unread_count(lead) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_service_refuses_to_mark_another_persons_message(owner, lead, item):
    theirs = row(lead, item, key="owner@1")
    with pytest.raises(NotAllowed):
        notification_services.notification_mark_read(notification=theirs, user=owner)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def _inbox_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INBOX).status_code == 200
    return len(queries)


def test_inbox_runs_the_same_queries_with_3_as_with_25_messages(client, owner, force):
    client.force_login(owner)

    def add(n):
        for _ in range(n):
            other_item = factories.ItemFactory(inspection__force=force)
            row(
                owner,
                other_item,
                kind=Kind.DUE_REMINDER,
                key=f"d-{other_item.pk}",
                level=-7,
                due_on=other_item.due_on,
            )

    add(3)
    few = _inbox_queries(client)
    add(22)
    assert _inbox_queries(client) == few

"""Calendar feeds: a secret, revocable address listing the due dates a user may see, as
all-day events with stable UIDs, so that a moved due date moves the event."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from calendars import services
from calendars.models import CalendarFeed
from recommendations import services as item_services
from recommendations.models import ActionStatus, Status
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 10)
DOMAIN = "tracker.example.gov.uk"


@pytest.fixture(autouse=True)
def _frozen(time_machine, settings):
    time_machine.move_to(datetime(2025, 3, 10, 9, tzinfo=ZoneInfo("Europe/London")), tick=False)
    settings.SITE_URL = f"https://{DOMAIN}"
    settings.TRACKER_CALENDAR_ALARM_DAYS = 7


def due_item(force, days: int, **fields):
    return factories.ItemFactory(
        inspection__force=force,
        due_on=TODAY + timedelta(days=days),
        status=fields.pop("status", Status.BEING_PROGRESSED),
        **fields,
    )


def read_feed(token: str, **query) -> Calendar:
    response = Client().get(reverse("calendars:feed", args=[token]), query)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_lists_open_due_dates_as_all_day_events_with_an_alarm(force, lead):
    item = due_item(force, 20, reference="9207/2")
    token = services.calendar_feed_create(user=lead)

    calendar = read_feed(token)

    assert str(calendar["VERSION"]) == "2.0"
    event = events(calendar)[f"item-{item.pk}@{DOMAIN}"]
    assert event.decoded("DTSTART") == TODAY + timedelta(days=20)  # a date: all day
    assert event.decoded("DTEND") == TODAY + timedelta(days=21)
    assert str(event["SUMMARY"]) == "Due: Recommendation 9207/2 – Cleveland Police"
    assert item.text in str(event["DESCRIPTION"])
    assert str(event["URL"]) == f"https://{DOMAIN}/items/{item.pk}/"
    assert event.decoded("SEQUENCE") == 0
    assert event.decoded("LAST-MODIFIED") == item.updated_at
    assert event.decoded("DTSTAMP") == item.updated_at
    (alarm,) = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(days=-7)


def test_a_moved_due_date_moves_the_event_with_the_same_uid(force, lead, inspector, time_machine):
    item = due_item(force, 20)
    token = services.calendar_feed_create(user=lead)
    before = events(read_feed(token))[f"item-{item.pk}@{DOMAIN}"]

    time_machine.shift(timedelta(hours=2))
    item_services.item_change_due_date(
        item=item, user=inspector, due_on=TODAY + timedelta(days=50), reason="Agreed with HMICFRS."
    )
    after = events(read_feed(token))

    assert list(after) == [f"item-{item.pk}@{DOMAIN}"]  # moved, not duplicated
    moved = after[f"item-{item.pk}@{DOMAIN}"]
    assert moved.decoded("DTSTART") == TODAY + timedelta(days=50)
    assert moved.decoded("SEQUENCE") == 1
    assert moved.decoded("LAST-MODIFIED") > before.decoded("LAST-MODIFIED")


def test_actions_with_a_target_date_have_their_own_events(force, lead, owner):
    item = due_item(force, 40)
    action = factories.ActionFactory(
        item=item, owner=owner, target_on=TODAY + timedelta(days=10), description="Train staff"
    )
    done = factories.ActionFactory(
        item=item, owner=owner, target_on=TODAY + timedelta(days=5), status=ActionStatus.DONE
    )
    token = services.calendar_feed_create(user=owner)

    found = events(read_feed(token))

    event = found[f"action-{action.pk}@{DOMAIN}"]
    assert event.decoded("DTSTART") == TODAY + timedelta(days=10)
    assert str(event["SUMMARY"]).startswith("Action due: Train staff – Recommendation")
    assert f"action-{done.pk}@{DOMAIN}" not in found


def test_an_edited_action_target_date_moves_its_event_with_a_higher_sequence(
    force, lead, time_machine
):
    action = factories.ActionFactory(item=due_item(force, 40), target_on=TODAY)
    token = services.calendar_feed_create(user=lead)
    uid = f"action-{action.pk}@{DOMAIN}"
    first = events(read_feed(token))[uid]

    time_machine.shift(timedelta(minutes=5))
    item_services.action_update(
        action=action, user=lead, description="Train staff", target_on=TODAY + timedelta(days=3)
    )
    second = events(read_feed(token))[uid]

    assert second.decoded("DTSTART") == TODAY + timedelta(days=3)
    assert second.decoded("SEQUENCE") > first.decoded("SEQUENCE")


def test_closed_items_items_without_deadline_and_old_due_dates_are_left_out(force, lead, settings):
    settings.TRACKER_CALENDAR_PAST_DAYS = 30
    listed = due_item(force, -10)  # overdue, still listed
    closed = due_item(force, 10, status=Status.COMPLETE)
    area = factories.AreaForImprovementFactory(inspection__force=force)
    old = due_item(force, -31)
    action_of_closed = factories.ActionFactory(item=closed, target_on=TODAY)

    found = events(read_feed(services.calendar_feed_create(user=lead)))

    assert set(found) == {f"item-{listed.pk}@{DOMAIN}"}
    for missing in (closed, area, old):
        assert f"item-{missing.pk}@{DOMAIN}" not in found
    assert f"action-{action_of_closed.pk}@{DOMAIN}" not in found


def test_the_feed_is_capped_to_the_earliest_due_dates(force, lead, settings):
    settings.TRACKER_CALENDAR_MAX_EVENTS = 3
    items = [due_item(force, days) for days in (40, 10, 30, 20)]
    factories.ActionFactory(item=items[0], target_on=TODAY + timedelta(days=25))

    found = events(read_feed(services.calendar_feed_create(user=lead)))

    assert set(found) == {f"item-{i.pk}@{DOMAIN}" for i in (items[1], items[3])} | {
        f"action-{items[0].actions.get().pk}@{DOMAIN}"
    }


def test_scopes_mine_force_and_forces(force, other_force, lead, owner, inspector):
    owned = due_item(force, 10, owner=owner)
    unowned = due_item(force, 11)
    mine_action = factories.ActionFactory(item=unowned, owner=owner, target_on=TODAY)
    elsewhere = due_item(other_force, 12)
    inspector.inspected_forces.add(other_force)
    uid = {i.pk: f"item-{i.pk}@{DOMAIN}" for i in (owned, unowned, elsewhere)}

    owner_token = services.calendar_feed_create(user=owner)
    assert set(events(read_feed(owner_token, scope="mine"))) == {
        uid[owned.pk],
        f"action-{mine_action.pk}@{DOMAIN}",
    }
    force_feed = set(events(read_feed(owner_token, scope="force")))
    assert {uid[owned.pk], uid[unowned.pk]} <= force_feed
    assert uid[elsewhere.pk] not in force_feed

    inspector_token = services.calendar_feed_create(user=inspector)
    every = set(events(read_feed(inspector_token)))
    assert {uid[owned.pk], uid[unowned.pk], uid[elsewhere.pk]} <= every
    one = set(events(read_feed(inspector_token, scope="force", force=other_force.slug)))
    assert uid[elsewhere.pk] in one
    assert uid[owned.pk] not in one


def test_a_user_never_sees_another_forces_due_dates(force, other_force, other_lead):
    due_item(force, 10)
    token = services.calendar_feed_create(user=other_lead)

    assert events(read_feed(token, scope="forces")) == {}
    response = Client().get(
        reverse("calendars:feed", args=[token]), {"scope": "force", "force": force.slug}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("query", [{"scope": "everything"}, {"scope": "force"}])
def test_unknown_scopes_are_a_clear_400(inspector, query):
    token = services.calendar_feed_create(user=inspector)
    response = Client().get(reverse("calendars:feed", args=[token]), query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_the_token_is_stored_only_as_a_hash(lead):
    token = services.calendar_feed_create(user=lead)
    stored = CalendarFeed.objects.get(user=lead)
    assert token not in stored.token_hash
    assert len(token) >= 40


def test_a_new_address_revokes_the_old_one_and_turning_off_revokes_all(force, lead):
    due_item(force, 10)
    old = services.calendar_feed_create(user=lead)
    new = services.calendar_feed_create(user=lead)
    client = Client()

    assert client.get(reverse("calendars:feed", args=[old])).status_code == 404
    assert client.get(reverse("calendars:feed", args=[new])).status_code == 200
    services.calendar_feed_revoke(user=lead)
    assert client.get(reverse("calendars:feed", args=[new])).status_code == 404


def test_a_deactivated_users_feed_is_404(force, lead):
    token = services.calendar_feed_create(user=lead)
    lead.is_active = False
    lead.save()
    assert Client().get(reverse("calendars:feed", args=[token])).status_code == 404


@pytest.mark.parametrize("token", ["x", "A" * 43, "-" * 200])
def test_made_up_tokens_are_404(token):
    assert Client().get(reverse("calendars:feed", args=[token])).status_code == 404


def test_reading_the_feed_notes_when_it_was_last_used(lead):
    token = services.calendar_feed_create(user=lead)
    Client().get(reverse("calendars:feed", args=[token]))
    assert CalendarFeed.objects.get(user=lead).last_used_at is not None


def test_the_page_makes_shows_once_replaces_and_turns_off_the_address(force, lead):
    due_item(force, 10)
    client = Client()
    client.force_login(lead)
    url = reverse("calendars:settings")

    assert "You have no calendar feed" in client.get(url).content.decode()
    response = client.post(url, {"feed": "create"}, follow=True)
    page = response.content.decode()
    assert "Copy it now" in page
    assert response["Cache-Control"].startswith("max-age=0")
    shown = response.context["addresses"]
    assert [row["scope"] for row in shown] == ["mine", "force"]
    feed_url = shown[1]["url"].removeprefix(f"https://{DOMAIN}")
    assert shown[1]["url"] in page
    assert client.get(feed_url).status_code == 200

    again = client.get(url).content.decode()
    assert "Copy it now" not in again  # shown once
    assert shown[1]["url"] not in again

    client.post(url, {"feed": "create"})
    assert client.get(feed_url).status_code == 404
    client.post(url, {"feed": "revoke"})
    assert not CalendarFeed.objects.filter(user=lead).exists()
    assert client.post(url, {"feed": "delete-everything"}).status_code == 400


def test_an_inspector_is_offered_mine_and_all_forces(inspector):
    client = Client()
    client.force_login(inspector)
    response = client.post(reverse("calendars:settings"), {"feed": "create"}, follow=True)
    assert [row["scope"] for row in response.context["addresses"]] == ["mine", "forces"]

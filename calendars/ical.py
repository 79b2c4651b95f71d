"""The iCalendar (RFC 5545) document of a feed: one all-day event per due date.

Each event's UID names its item or action for good (`item-12@tracker.example.gov.uk`), so when
a due date moves, calendar programs move the event instead of adding a second one. SEQUENCE
grows with every change that moves it, LAST-MODIFIED and DTSTAMP are the last change (there is
no METHOD, so DTSTAMP is the last revision, RFC 5545 3.8.7.2), and an alarm goes off a
configurable number of days before.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.text import Truncator
from icalendar import Alarm, Calendar, Event

from recommendations.models import Action, Item

PRODID = "-//HMICFRS inspection tracker//Calendar feed//EN"


def uid_domain() -> str:
    """The right-hand side of every UID: the host of SITE_URL, so UIDs are unique worldwide."""
    return settings.NOTIFICATIONS_MESSAGE_ID_DOMAIN or urlsplit(settings.SITE_URL).hostname or ""


def item_uid(item: Item) -> str:
    return f"item-{item.pk}@{uid_domain()}"


def action_uid(action: Action) -> str:
    return f"action-{action.pk}@{uid_domain()}"


def _item_url(item: Item) -> str:
    return settings.SITE_URL + reverse("recommendations:item-detail", args=[item.pk])


def _alarm(summary: str) -> Alarm | None:
    days = settings.TRACKER_CALENDAR_ALARM_DAYS
    if days is None or days < 0:
        return None
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", timedelta(days=-days))
    return alarm


def _event(*, uid, day, summary, description, url, sequence, created, modified) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    # An all-day event: DTEND is the next day (exclusive), as RFC 5545 3.6.1 says.
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: it does not block time
    event.add("sequence", sequence)
    event.add("created", created)
    event.add("last-modified", modified)
    event.add("dtstamp", modified)
    alarm = _alarm(summary)
    if alarm is not None:
        event.add_component(alarm)
    return event


def item_event(item: Item) -> Event:
    summary = f"Due: {item.label} – {item.force.name}"
    return _event(
        uid=item_uid(item),
        day=item.due_on,
        summary=summary,
        description=f"{item.text}\n\n{item.inspection.title}\nStatus: "
        f"{item.get_status_display()}\n{_item_url(item)}",
        url=_item_url(item),
        sequence=getattr(item, "due_date_changes", 0),
        created=item.created_at,
        modified=item.updated_at,
    )


def action_event(action: Action) -> Event:
    item = action.item
    what = Truncator(" ".join(action.description.split())).chars(80)
    summary = f"Action due: {what} – {item.label}, {item.force.name}"
    # Actions keep no history of their own: the seconds between creation and the last change
    # grow with every edit, which is all SEQUENCE needs to be.
    revision = max(0, int((action.updated_at - action.created_at).total_seconds()))
    return _event(
        uid=action_uid(action),
        day=action.target_on,
        summary=summary,
        description=f"{action.description}\n\nFor {item.label}: {item.text}\n{_item_url(item)}",
        url=_item_url(item),
        sequence=revision,
        created=action.created_at,
        modified=action.updated_at,
    )


def feed_calendar(*, name: str, items, actions) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    # How often subscribers should fetch it again (RFC 7986, and Outlook's own property).
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for item in items:
        calendar.add_component(item_event(item))
    for action in actions:
        calendar.add_component(action_event(action))
    return calendar.to_ical()

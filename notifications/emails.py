"""E-mails: plain text and HTML from templates, subjects that say what and when.

Everything an e-mail shows is worked out here; the templates only lay it out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import Truncator

from notifications.models import Kind, Notification
from notifications.policy import policy_for
from notifications.tokens import unsubscribe_token
from recommendations import workflow
from recommendations.models import CauseOfConcern, Item, Rag, Status

REVIEW_DECISIONS: dict[str, str] = {
    Status.COMPLETE: "Closure authorised",
    Status.NO_FURTHER_ACTION_NEEDED: "Tracking stopped",
}


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def item_path(item_id: int) -> str:
    """The item page's path; the one place that knows it."""
    try:
        return reverse("recommendations:item-detail", kwargs={"pk": item_id})
    except NoReverseMatch:
        return f"/items/{item_id}/"


def item_label(item: Item) -> str:
    """'Cleveland Police, recommendation 9207/2': the reference the pages show
    ('Cleveland Police, area for improvement PEEL 2021/22 AFI 4' where it has no number)."""
    return f"{item.force}, {item.get_kind_display().lower()} {item.display_reference}"


def cause_of_concern_label(cause: CauseOfConcern) -> str:
    if cause.reference:
        return f"{cause.force}, cause of concern {cause.reference}"
    return f"{cause.force}, cause of concern in “{cause.inspection.title}”"


def message_id(row: Notification) -> str:
    """Stable for the row's ledger key, so a re-sent message is recognisably the same one."""
    ledger_key = f"{row.recipient_id}|{row.item_id or ''}|{row.kind}|{row.key}"
    digest = hashlib.sha256(ledger_key.encode()).hexdigest()[:16]
    domain = settings.NOTIFICATIONS_MESSAGE_ID_DOMAIN or urlsplit(settings.SITE_URL).hostname
    return f"<notification-{row.pk}-{digest}@{domain or 'tracker.localhost'}>"


def _item(row: Notification) -> Item:
    """The row's item: only called where the row is about an item (``item_id`` is set)."""
    assert row.item is not None, "a notification without a cause of concern has an item"
    return row.item


def _cause(row: Notification) -> CauseOfConcern:
    """The row's cause of concern: only called for rows that are not about an item."""
    assert row.cause_of_concern is not None, "a notification without an item has a cause"
    return row.cause_of_concern


def _due_on(row: Notification) -> date:
    """The due date a reminder or overdue notice was planned for (always recorded for those)."""
    assert row.due_on is not None, "due reminders and overdue notices record the due date"
    return row.due_on


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def headline(row: Notification, today: date) -> str:
    """What happened and when, without the item: the first half of the subject."""
    entry = row.timeline_entry
    if row.kind == Kind.DUE_REMINDER:
        days = (_due_on(row) - today).days
        if days <= 0:
            return "Due today"
        return "Due tomorrow" if days == 1 else f"Due in {days} days"
    if row.kind == Kind.OVERDUE:
        return f"Overdue by {_plural((today - _due_on(row)).days, 'day')}"
    if row.kind == Kind.ASSIGNED:
        return "Action assigned to you" if row.key.startswith("action-") else "Assigned to you"
    if row.kind in (Kind.SUBMITTED, Kind.REVIEW_DECISION) and entry and entry.transition:
        # In the words declared with the transition itself.
        return workflow.TRANSITIONS[entry.transition].email_headline
    if row.kind == Kind.SUBMITTED:
        return "Submitted for review"
    if row.kind == Kind.REVIEW_DECISION:
        if entry is None:
            return "Review decision"
        if entry.status_to in REVIEW_DECISIONS:
            return REVIEW_DECISIONS[entry.status_to]
        return "Sent back" if entry.status_from == Status.AWAITING_REVIEW else "Reopened"
    if row.kind == Kind.DUE_DATE_CHANGED:
        new_date = entry.due_to if entry and entry.due_to else _item(row).due_on
        assert new_date is not None, "a due-date change leaves the item with a due date"
        return f"Due date changed to {long_date(new_date)}"
    if row.kind == Kind.CAUSE_OF_CONCERN_CLOSED:
        return "Cause of concern closed"
    if row.kind == Kind.EXTENSION_REQUESTED:
        asked = f" to {long_date(entry.due_to)}" if entry and entry.due_to else ""
        return f"Extension requested{asked}"
    if row.kind == Kind.EXTENSION_DECISION:
        if entry is not None and entry.kind == "extension-approved" and entry.due_to:
            return f"Extension approved: now due {long_date(entry.due_to)}"
        return "Extension refused"
    return Kind(row.kind).label


def subject(row: Notification, today: date) -> str:
    about = (
        cause_of_concern_label(_cause(row)) if row.cause_of_concern_id else item_label(_item(row))
    )
    return f"{headline(row, today)}: {about}"


def message_path(row: Notification) -> str:
    """Where the message's link goes: the item, or a closed cause of concern's first
    recommendation (the tracker's home page if it has none)."""
    if row.item_id:
        return item_path(row.item_id)
    first = _cause(row).recommendations.order_by("position", "pk").first()
    return item_path(first.pk) if first is not None else "/"


def _link(row: Notification) -> tuple[str, str]:
    path = message_path(row)
    if row.item_id:
        return site_url(path), f"View the {_item(row).get_kind_display().lower()}"
    return site_url(path), "View its recommendations" if path != "/" else "Open the tracker"


def _details(row: Notification, today: date) -> list[tuple[str, str]]:
    if not row.item_id:
        cause = _cause(row)
        return [
            ("Force", str(cause.force)),
            ("Inspection", cause.inspection.title),
            ("Closing letter", cause.closing_letter_reference),
        ]
    item = _item(row)
    details = [("Force", str(item.force)), ("Inspection", item.inspection.title)]
    if item.due_on:
        details.append(("Due date", long_date(item.due_on)))
    details.append(("Status", item.get_status_display()))
    details.append(("RAG", item.rag(today).label))
    if item.owner_id:
        details.append(("Owner", str(item.owner)))
    return details


def _comment(row: Notification) -> tuple[str, str]:
    entry = row.timeline_entry
    if entry is None or not entry.comment:
        return "", ""
    labels: dict[str, str] = {
        Kind.REVIEW_DECISION: "Inspector’s comment",
        Kind.DUE_DATE_CHANGED: "Reason",
        Kind.EXTENSION_REQUESTED: "The force’s reason",
        Kind.EXTENSION_DECISION: "Inspector’s comment",
        Kind.ASSIGNED: "Action",
        Kind.SUBMITTED: "Comment",
    }
    return labels.get(row.kind, "Details"), entry.comment


def summary(row: Notification) -> str:
    """The message's gist as its e-mail gives it, for the inbox: the change's comment under
    the e-mail's label for it, or else the beginning of the item's text."""
    label, comment = _comment(row)
    if comment:
        return f"{label}: {Truncator(comment).words(30)}"
    text = _item(row).text if row.item_id else _cause(row).text
    return Truncator(text).words(30)


def written_on(row: Notification) -> date:
    """The day the message was written for ("Due in 7 days" is as of that day): the day it
    was e-mailed, or the working day it was planned for if it waits for a digest."""
    return timezone.localdate(row.sent_at) if row.sent_at else row.planned_for


def _footer(row: Notification) -> dict:
    policy = policy_for(row.kind)
    footer = {
        "preferences_url": site_url(reverse("notifications:preferences")),
        "kind_label": Kind(row.kind).label.lower(),
        "escalation": policy.escalation,
        "unsubscribe_url": "",
    }
    if policy.has_unsubscribe_link:
        token = unsubscribe_token(user_id=row.recipient_id, kind=row.kind)
        footer["unsubscribe_url"] = site_url(reverse("notifications:unsubscribe", args=[token]))
    return footer


def notification_context(row: Notification, today: date) -> dict:
    url, link_text = _link(row)
    comment_label, comment = _comment(row)
    text = _item(row).text if row.item_id else _cause(row).text
    return {
        "recipient": row.recipient,
        "subject": subject(row, today),
        "headline": headline(row, today),
        "about": subject(row, today).split(": ", 1)[1],
        "details": _details(row, today),
        "rag": _item(row).rag(today) if row.item_id else None,
        "text": Truncator(text).chars(600),
        "comment_label": comment_label,
        "comment": comment,
        "url": url,
        "link_text": link_text,
        **_footer(row),
    }


DIGEST_SECTIONS = [
    (Rag.OVERDUE.label, {Kind.OVERDUE}),
    (Rag.DUE_SOON.label, {Kind.DUE_REMINDER}),
    ("For your attention", set()),  # everything else: events
]


def digest_context(row: Notification, entries: Sequence[Notification], today: date) -> dict:
    sections: list[dict[str, Any]] = []
    claimed: set[int] = set()
    for title, kinds in DIGEST_SECTIONS:
        listed = [e for e in entries if e.pk not in claimed and (not kinds or e.kind in kinds)]
        claimed |= {e.pk for e in listed}
        if listed:
            sections.append(
                {
                    "title": title,
                    "entries": [{"subject": subject(e, today), "url": _link(e)[0]} for e in listed],
                }
            )
    counts = ", ".join(f"{len(s['entries'])} {s['title'].lower()}" for s in sections)
    return {
        "recipient": row.recipient,
        "subject": f"Your daily summary for {long_date(row.planned_for)}: {counts}",
        "day": long_date(row.planned_for),
        "sections": sections,
        **_footer(row),
    }


def build_message(
    row: Notification,
    *,
    today: date,
    entries: Sequence[Notification] = (),
    connection=None,
) -> EmailMultiAlternatives:
    """The e-mail for one ledger row (a digest lists its `entries`)."""
    if row.kind == Kind.DIGEST:
        context, template = digest_context(row, entries, today), "emails/digest"
    else:
        context, template = notification_context(row, today), "emails/notification"
    headers = {"Message-ID": message_id(row), "Auto-Submitted": "auto-generated"}
    if context["unsubscribe_url"]:
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=context["subject"],
        body=render_to_string(f"{template}.txt", context),
        to=[row.recipient.email],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message

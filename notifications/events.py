"""Events: planned in the same transaction as the change that causes them, sent after commit.

Called from `recommendations.services` inside each use case's atomic block: if the change is
rolled back, so are its notifications. After commit the new rows go to the active runner
(`notifications.runners`); if that fails, the next scheduled run sends them anyway.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils import timezone

from accounts.selectors import people_for
from notifications import runners
from notifications.models import Kind, Notification
from notifications.policy import AUDIENCE_ROLES, Audience
from notifications.recipients import may_see
from recommendations.models import Action, CauseOfConcern, Item

EVENT_AUDIENCES = {
    Kind.SUBMITTED: (Audience.INSPECTORS,),
    Kind.REVIEW_DECISION: (Audience.FORCE_LEADS, Audience.OWNERS),
    Kind.DUE_DATE_CHANGED: (Audience.INSPECTORS,),
    Kind.CAUSE_OF_CONCERN_CLOSED: (Audience.FORCE_LEADS,),
    Kind.EXTENSION_REQUESTED: (Audience.INSPECTORS,),
    Kind.EXTENSION_DECISION: (Audience.FORCE_LEADS, Audience.OWNERS),
}


def plan_item_event(*, kind: str, item: Item, actor, action: Action | None = None) -> list[int]:
    """Plan the e-mails about something that just happened to an item.

    Assigned: the new owner (of the item, or of `action`); an action owner is told once per
    action, however often it is edited. Submitted for review and due date changed: the
    force's inspectors. Review decision: the force lead and the owners. Nobody is told
    about their own change.
    """
    entry = item.timeline.order_by("-pk").first()  # the entry the use case has just written
    if kind == Kind.ASSIGNED:
        person = action.owner if action is not None else item.owner
        people = [person] if person is not None and person.is_active and person.email else []
        key = f"action-{action.pk}" if action is not None else f"owner@{entry.pk}"
    else:
        people = _people(EVENT_AUDIENCES[kind], force_id=item.force_id, item=item)
        key = f"entry-{entry.pk}"
    return _plan(kind=kind, key=key, people=people, actor=actor, about=item, entry=entry)


def plan_cause_of_concern_closed(*, cause_of_concern: CauseOfConcern, actor) -> list[int]:
    """Tell the force lead(s) that an inspector has closed a cause of concern."""
    entry = cause_of_concern.timeline.order_by("-pk").first()
    people = _people(
        EVENT_AUDIENCES[Kind.CAUSE_OF_CONCERN_CLOSED], force_id=cause_of_concern.force_id
    )
    return _plan(
        kind=Kind.CAUSE_OF_CONCERN_CLOSED,
        key=f"entry-{entry.pk}",
        people=people,
        actor=actor,
        about=cause_of_concern,
        entry=entry,
    )


def _people(audiences, *, force_id: int, item: Item | None = None):
    return people_for(
        force_id=force_id,
        roles=[AUDIENCE_ROLES[audience] for audience in audiences if audience in AUDIENCE_ROLES],
        owners_of=item if Audience.OWNERS in audiences else None,
    )


def _plan(*, kind: str, key: str, people, actor, about, entry) -> list[int]:
    today, now = timezone.localdate(), timezone.now()
    is_item = isinstance(about, Item)
    recipients = [
        person
        for person in people
        if (actor is None or person.pk != actor.pk) and may_see(person, about)
    ]
    if not recipients:
        return []
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=person,
                kind=kind,
                key=key,
                item=about if is_item else None,
                cause_of_concern=None if is_item else about,
                timeline_entry=entry,
                planned_for=today,
                next_attempt_at=now,
                created_at=now,
                updated_at=now,
            )
            for person in recipients
        ],
        ignore_conflicts=True,  # the same event planned twice is still one e-mail each
    )
    ids = list(
        Notification.objects.filter(
            kind=kind,
            key=key,
            recipient__in=recipients,
            **{"item" if is_item else "cause_of_concern": about},
        ).values_list("pk", flat=True)
    )
    transaction.on_commit(partial(runners.enqueue_send, ids))
    return ids

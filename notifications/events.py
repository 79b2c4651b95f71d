"""Events: what happened to an item or a cause of concern, turned into e-mails.

The one way in from the recommendations app: each use case hands over the timeline entry it
has just written (`entry_recorded`), and this module alone decides which entries are worth an
e-mail, of which kind, and to whom. It is called inside the use case's atomic block, so if the
change is rolled back so are its notifications. After commit the new rows go to the active
runner (`notifications.runners`); if that fails, the next scheduled run sends them anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.selectors import people_for
from notifications import runners
from notifications.models import Kind, Notification
from notifications.policy import AUDIENCE_ROLES, Audience
from notifications.recipients import may_see
from recommendations.models import Action, CauseOfConcern, Item, TimelineEntry, TimelineKind

# What each kind of entry is, as an e-mail. Status changes are told apart by transition below.
KIND_OF_ENTRY: dict[str, str] = {
    TimelineKind.ASSIGNED: Kind.ASSIGNED,
    TimelineKind.ACTION_ADDED: Kind.ASSIGNED,
    TimelineKind.ACTION_CHANGED: Kind.ASSIGNED,
    TimelineKind.DUE_DATE_CHANGED: Kind.DUE_DATE_CHANGED,
    TimelineKind.EXTENSION_REQUESTED: Kind.EXTENSION_REQUESTED,
    TimelineKind.EXTENSION_APPROVED: Kind.EXTENSION_DECISION,
    TimelineKind.EXTENSION_REFUSED: Kind.EXTENSION_DECISION,
    TimelineKind.CAUSE_OF_CONCERN_CLOSED: Kind.CAUSE_OF_CONCERN_CLOSED,
}

# Who is told of each kind (an assignment tells the one person assigned instead).
EVENT_AUDIENCES: dict[str, tuple[str, ...]] = {
    Kind.SUBMITTED: (Audience.INSPECTORS,),
    Kind.REVIEW_DECISION: (Audience.FORCE_LEADS, Audience.OWNERS),
    Kind.DUE_DATE_CHANGED: (Audience.INSPECTORS,),
    Kind.CAUSE_OF_CONCERN_CLOSED: (Audience.FORCE_LEADS,),
    Kind.EXTENSION_REQUESTED: (Audience.INSPECTORS,),
    Kind.EXTENSION_DECISION: (Audience.FORCE_LEADS, Audience.OWNERS),
}


def kind_of(entry: TimelineEntry) -> str | None:
    """The e-mail an entry is worth, if any. The force's submission goes to its inspectors;
    every other status change is an inspector's decision, told to the force."""
    if entry.kind == TimelineKind.STATUS_CHANGED:
        return Kind.SUBMITTED if entry.transition == "submit_for_review" else Kind.REVIEW_DECISION
    return KIND_OF_ENTRY.get(entry.kind)


def entry_recorded(
    *, entry: TimelineEntry, actor: User | None, action: Action | None = None
) -> list[int]:
    """Plan the e-mails about an entry a use case has just written; returns the rows' ids.

    Assigned: the new owner (of the item, or of `action`, for an action's entries); an action
    owner is told once per action, however often it is edited. Submitted for review, due date
    changed and extension requested: the force's inspectors. Review and extension decisions:
    the force lead and the owners. Cause of concern closed: the force lead. Nobody is told
    about their own change, nor about anything they may not see.
    """
    kind = kind_of(entry)
    about = entry.item or entry.cause_of_concern
    if kind is None or about is None:
        return []
    if kind != Kind.ASSIGNED or not isinstance(about, Item):
        return _plan_audiences(kind=kind, entry=entry, about=about, actor=actor)
    item = about
    person = action.owner if action is not None else item.owner
    people = [person] if person is not None and person.is_active and person.email else []
    key = f"action-{action.pk}" if action is not None else f"owner@{entry.pk}"
    return _plan(kind=kind, key=key, people=people, actor=actor, about=item, entry=entry)


def _plan_audiences(
    *, kind: str, entry: TimelineEntry, about: Item | CauseOfConcern, actor: User | None
) -> list[int]:
    audiences = EVENT_AUDIENCES[kind]
    people = people_for(
        force_id=about.force_id,
        roles=[AUDIENCE_ROLES[audience] for audience in audiences if audience in AUDIENCE_ROLES],
        owners_of=about if Audience.OWNERS in audiences and isinstance(about, Item) else None,
    )
    return _plan(
        kind=kind, key=f"entry-{entry.pk}", people=people, actor=actor, about=about, entry=entry
    )


def _plan(
    *,
    kind: str,
    key: str,
    people: Iterable[User],
    actor: User | None,
    about: Item | CauseOfConcern,
    entry: TimelineEntry,
) -> list[int]:
    today, now = timezone.localdate(), timezone.now()
    item = about if isinstance(about, Item) else None
    cause_of_concern = about if isinstance(about, CauseOfConcern) else None
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
                item=item,
                cause_of_concern=cause_of_concern,
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
            item=item,
            cause_of_concern=cause_of_concern,
        ).values_list("pk", flat=True)
    )
    transaction.on_commit(partial(runners.enqueue_send, ids))
    return ids

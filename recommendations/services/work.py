"""The force's own work on an item: actions, progress updates and evidence."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from notifications import events as notification_events
from recommendations.models import (
    Action,
    ActionStatus,
    Evidence,
    Item,
    ProgressUpdate,
    TimelineEntry,
    TimelineKind,
)
from recommendations.models.work import evidence_content_type
from recommendations.services.common import (
    check_date,
    check_owner,
    clean_text,
    force_acted,
    require_open,
    require_permission,
    timeline_record,
)
from tracker.errors import InvalidInput


def _record_work(
    *, item: Item, actor: User, action: Action | None = None, **fields: Any
) -> TimelineEntry:
    """The force's work goes into the item's timeline and to notifications (`action`: the
    action the entry is about), and ends "returned to you"."""
    entry = timeline_record(item=item, actor=actor, **fields)
    force_acted(item)
    notification_events.entry_recorded(entry=entry, actor=actor, action=action)
    return entry


def _require_open_for_work(item: Item, user: User) -> None:
    require_permission(
        "recommendations.work_on_item",
        user,
        item,
        f"Only the improvement lead or action owners of {item.force} can update this item.",
    )
    require_open(item)


@transaction.atomic
def action_create(
    *,
    item: Item,
    user: User,
    description: str,
    owner: User | None = None,
    target_on: date | None = None,
    status: str = ActionStatus.NOT_STARTED,
) -> Action:
    """Record a piece of the force's work under an item, in the status the force gives it
    (work already under way is recorded as such, in one entry of the timeline)."""
    _require_open_for_work(item, user)
    if status not in ActionStatus.values:
        raise InvalidInput("Choose a valid action status.")
    check_owner(owner, item)
    check_date(target_on, what="The target date", field="target_on")
    action = Action.objects.create(
        item=item,
        description=clean_text(description, what="a description of the action"),
        owner=owner,
        target_on=target_on,
        status=status,
        created_by=user,
    )
    comment = action.description
    if status != ActionStatus.NOT_STARTED:
        comment = f"{comment} ({ActionStatus(status).label.lower()})"
    _record_work(
        item=item,
        kind=TimelineKind.ACTION_ADDED,
        actor=user,
        action=action,
        comment=comment,
    )
    return action


@transaction.atomic
def action_update(
    *,
    action: Action,
    user: User,
    description: str,
    owner: User | None = None,
    target_on: date | None = None,
    status: str = ActionStatus.NOT_STARTED,
) -> Action:
    """Edit an action: the force lead, or the action's own owner."""
    item = action.item
    require_permission(
        "recommendations.edit_action",
        user,
        action,
        "Only the force improvement lead or the action's owner can change it.",
    )
    require_open(item)
    if status not in ActionStatus.values:
        raise InvalidInput("Choose a valid action status.")
    check_owner(owner, item)
    check_date(target_on, what="The target date", field="target_on")
    action.description = clean_text(description, what="a description of the action")
    action.owner = owner
    action.target_on = target_on
    action.status = status
    action.save()
    _record_work(
        item=item,
        kind=TimelineKind.ACTION_CHANGED,
        actor=user,
        action=action,
        comment=f"{action.description} ({ActionStatus(status).label.lower()})",
    )
    return action


@transaction.atomic
def action_update_with_note(
    *, action: Action, user: User, status: str, target_on: date | None = None, note: str = ""
) -> Action:
    """Update an action's status and target date from My work, with an optional progress
    note on its item: both or neither are saved.

    An unchanged action is not rewritten (no empty "action changed" entry in the timeline);
    a request that changes nothing and says nothing is refused.
    """
    note = (note or "").strip()
    changed = status != action.status or target_on != action.target_on
    if not changed and not note:
        raise InvalidInput("Change the status or the target date, or write a progress note.")
    if changed:
        action_update(
            action=action,
            user=user,
            description=action.description,
            owner=action.owner,
            target_on=target_on,
            status=status,
        )
    if note:
        # Permission is asked again here: a sponsor named on an action edits nothing.
        require_permission(
            "recommendations.edit_action",
            user,
            action,
            "Only the force improvement lead or the action's owner can change it.",
        )
        progress_update_create(item=action.item, user=user, text=note)
    return action


@transaction.atomic
def progress_update_create(*, item: Item, user: User, text: str) -> ProgressUpdate:
    """Append a dated progress note; updates are never edited or deleted."""
    _require_open_for_work(item, user)
    update = ProgressUpdate.objects.create(
        item=item, author=user, text=clean_text(text, what="the progress update")
    )
    _record_work(item=item, kind=TimelineKind.PROGRESS_UPDATE, actor=user, comment=update.text)
    return update


def evidence_add(
    *, item: Item, user: User, description: str, file: UploadedFile | None = None, url: str = ""
) -> Evidence:
    """Attach a file or a link (one of the two) to an open item.

    The file is written last, just before the commit, and deleted again if the transaction
    rolls back, so a refused or failed upload leaves nothing in storage. (A process killed
    between the write and the commit can still leave one: `manage.py evidence_orphans`
    finds and removes those.)
    """
    written: list[str] = []
    try:
        return _evidence_add(
            item=item, user=user, description=description, file=file, url=url, written=written
        )
    except BaseException:
        storage = Evidence._meta.get_field("file").storage
        for name in written:
            storage.delete(name)
        raise


@transaction.atomic
def _evidence_add(
    *,
    item: Item,
    user: User,
    description: str,
    file: UploadedFile | None,
    url: str,
    written: list[str],
) -> Evidence:
    _require_open_for_work(item, user)
    if bool(file) == bool(url):
        raise InvalidInput("Attach either a file or a link.")
    evidence = Evidence(
        item=item,
        uploaded_by=user,
        description=clean_text(description, what="a description of the evidence"),
        url=url,
    )
    _record_work(
        item=item, kind=TimelineKind.EVIDENCE_ADDED, actor=user, comment=evidence.description
    )
    if file:
        evidence.file.save(file.name, file, save=False)
        written.append(evidence.file.name)
        evidence.size = file.size
        evidence.content_type = evidence_content_type(file.name or "")
    evidence.save()
    return evidence

"""The public register: an inspector publishes an inspection's findings, withdraws them, and
chooses which timeline comments the public may read. What the register shows is decided in
`public_register.selectors`; these only set the flags."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from recommendations.models import Inspection, TimelineEntry
from recommendations.services.common import require_permission
from tracker.errors import InvalidInput, NotAllowed

if TYPE_CHECKING:
    from accounts.models import User


def _locked(inspection: Inspection) -> Inspection:
    """The row as it is now, locked until commit: two inspectors cannot both publish it."""
    return Inspection.objects.select_for_update().get(pk=inspection.pk)


def _who_publishes(inspection: Inspection) -> str:
    return f"Only an inspector of {inspection.force or 'its forces'} can change what is public."


@transaction.atomic
def inspection_publish(*, inspection: Inspection, user: User) -> Inspection:
    """Put the inspection on the public register: its recommendations (and, if
    TRACKER_REGISTER_AREAS_FOR_IMPROVEMENT, its areas for improvement) with their reference,
    text, deadline, due date, status and dated status history, and nothing else. Recorded with
    who published it and when."""
    require_permission(
        "recommendations.publish_inspection", user, inspection, _who_publishes(inspection)
    )
    current = _locked(inspection)
    if current.on_register:
        raise NotAllowed("This inspection is already on the public register.")
    if not current.items.exists():
        raise InvalidInput("This inspection has no findings to publish.")
    inspection.register_published_at = timezone.now()
    inspection.register_published_by = user
    inspection.save(update_fields=["register_published_at", "register_published_by"])
    return inspection


@transaction.atomic
def inspection_unpublish(*, inspection: Inspection, user: User) -> Inspection:
    """Take the inspection off the public register at once (its pages answer 404)."""
    require_permission(
        "recommendations.publish_inspection", user, inspection, _who_publishes(inspection)
    )
    if not _locked(inspection).on_register:
        raise NotAllowed("This inspection is not on the public register.")
    inspection.register_published_at = None
    inspection.register_published_by = None
    inspection.save(update_fields=["register_published_at", "register_published_by"])
    return inspection


@transaction.atomic
def timeline_entry_set_public(*, entry: TimelineEntry, user: User, public: bool) -> TimelineEntry:
    """An inspector shows (or hides) one timeline comment on the public register.

    Only comments on decisions, due dates and the register's own comments can be shown, never
    the force's work or owner changes. This is about publication, not the item, so it is
    allowed on closed items too (the closing comment is the one the public most wants).
    """
    require_permission(
        "recommendations.publish_comment",
        user,
        entry,
        "Only an inspector of the item's force can choose which comments are public.",
    )
    if public and not entry.can_be_public:
        raise InvalidInput(
            "Only comments on decisions, due dates and the register's own comments can be "
            "made public."
        )
    entry.public = public
    entry.save(update_fields=["public"])
    return entry

"""Reads that filter: always scoped to what the asking user may see."""

from __future__ import annotations

from datetime import date

from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.utils import timezone

from recommendations.models import (
    OPEN_STATUSES,
    Force,
    Item,
    MonitoringStageChange,
)
from recommendations.rules import scope_to_user


def items_for_user(user) -> QuerySet[Item]:
    """Every item the user may see, with what list pages show, most urgent first.

    Open items come first by due date (no deadline last), then closed items.
    """
    return (
        scope_to_user(Item.objects.all(), user)
        .select_related("inspection", "force", "cause_of_concern", "owner")
        .annotate(
            closed_rank=Case(
                When(status__in=[s.value for s in OPEN_STATUSES], then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("closed_rank", F("due_on").asc(nulls_last=True), "inspection_id", "position")
    )


def item_for_user(user, pk: int) -> Item:
    """One item, or Item.DoesNotExist when it does not exist or the user may not see it."""
    return items_for_user(user).get(pk=pk)


def forces_for_user(user) -> QuerySet[Force]:
    return scope_to_user(Force.objects.all(), user, force_field="pk")


def current_stage(force: Force, *, on: date | None = None) -> MonitoringStageChange | None:
    """The monitoring stage in force on a date (today by default)."""
    on = on or timezone.localdate()
    return force.stage_history.filter(started_on__lte=on).order_by("-started_on").first()

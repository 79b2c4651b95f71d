from datetime import date

import rules
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from recommendations.deadlines import DeadlineRule
from recommendations.models.rag import Rag, due_soon_window


class Status(models.TextChoices):
    """The inspectorate's register vocabulary; the slugs are the register's own."""

    AWAITING_REVIEW = "awaiting-review", "Awaiting review"
    BEING_PROGRESSED = "being-progressed", "Being progressed"
    COMPLETE = "complete", "Complete"
    NO_FURTHER_ACTION_NEEDED = "no-further-action-needed", "No further action needed"


OPEN_STATUSES = (Status.AWAITING_REVIEW, Status.BEING_PROGRESSED)
CLOSED_STATUSES = (Status.COMPLETE, Status.NO_FURTHER_ACTION_NEEDED)
_OPEN = [s.value for s in OPEN_STATUSES]


class ItemKind(models.TextChoices):
    RECOMMENDATION = "recommendation", "Recommendation"
    AREA_FOR_IMPROVEMENT = "area-for-improvement", "Area for improvement"


class CauseOfConcern(models.Model):
    """A cause of concern; an inspector closes it with the closing letter's date and reference.

    An unmet cause of concern "remains in place": the new one links to the one it carries
    forward.
    """

    inspection = models.ForeignKey(
        "recommendations.Inspection", on_delete=models.CASCADE, related_name="causes_of_concern"
    )
    force = models.ForeignKey(
        "recommendations.Force", on_delete=models.PROTECT, related_name="causes_of_concern"
    )
    reference = models.CharField(max_length=50, blank=True)
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)
    carries_forward = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_forward_by",
        help_text="The earlier cause of concern that remains in place through this one.",
    )
    closed_on = models.DateField(null=True, blank=True)
    closing_letter_reference = models.CharField(max_length=200, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["inspection", "position", "pk"]
        verbose_name_plural = "causes of concern"
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "force", "reference"],
                condition=~Q(reference=""),
                name="cause_of_concern_reference_unique_per_inspection",
            ),
            models.CheckConstraint(
                name="closed_cause_of_concern_has_letter",
                condition=Q(closed_on__isnull=True)
                | (Q(closed_on__isnull=False) & ~Q(closing_letter_reference="")),
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"Cause of concern {self.position + 1}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


def _may_submit(item: "Item", user) -> bool:
    return rules.has_perm("recommendations.submit_item", user, item)


def _may_review(item: "Item", user) -> bool:
    return rules.has_perm("recommendations.review_item", user, item)


class Item(ConcurrentTransitionMixin, models.Model):
    """A recommendation or an area for improvement: the unit that is tracked to closure.

    A recommendation may belong to a cause of concern, or directly to an inspection (old
    register entries, national recommendations). An area for improvement never has a deadline.
    """

    kind = models.CharField(max_length=32, choices=ItemKind.choices)
    inspection = models.ForeignKey(
        "recommendations.Inspection", on_delete=models.CASCADE, related_name="items"
    )
    # Kept on the item (not only via the inspection) because national inspections hold
    # items for many forces, and every permission check and sweep filters on it.
    force = models.ForeignKey(
        "recommendations.Force", on_delete=models.PROTECT, related_name="items"
    )
    cause_of_concern = models.ForeignKey(
        CauseOfConcern,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    reference = models.CharField(max_length=50, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()

    deadline_rule = models.CharField(
        max_length=16, choices=DeadlineRule.choices, default=DeadlineRule.NONE
    )
    deadline_phrase = models.CharField(max_length=200, blank=True)
    due_on = models.DateField(null=True, blank=True)
    original_due_on = models.DateField(
        null=True, blank=True, help_text="The due date set at publication, kept when it changes."
    )

    status = FSMField(
        max_length=32, choices=Status.choices, default=Status.AWAITING_REVIEW, protected=True
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the force last submitted it for review."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_items",
        help_text="The force's accountable owner for this item.",
    )
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["inspection", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                name="due_date_exactly_when_deadline_rule",
                condition=(Q(deadline_rule=DeadlineRule.NONE) & Q(due_on__isnull=True))
                | (~Q(deadline_rule=DeadlineRule.NONE) & Q(due_on__isnull=False)),
            ),
            models.CheckConstraint(
                name="area_for_improvement_has_no_deadline_or_cause",
                condition=Q(kind=ItemKind.RECOMMENDATION)
                | Q(deadline_rule=DeadlineRule.NONE, cause_of_concern__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["inspection", "force", "reference"],
                condition=~Q(reference=""),
                name="item_reference_unique_per_inspection",
            ),
        ]
        indexes = [
            models.Index(
                fields=["force", "due_on"], condition=Q(status__in=_OPEN), name="open_items_by_due"
            ),
            models.Index(
                fields=["due_on"], condition=Q(status__in=_OPEN), name="open_items_due_on"
            ),
            models.Index(fields=["status", "submitted_at"], name="items_review_queue"),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display().lower()
        return f"{label} {self.reference}" if self.reference else f"{label} #{self.pk}"

    # --- Status machine: the only place transitions are declared -----------------------------
    # `custom` carries what the interface needs: the button label and whether a comment
    # is required (and what it is called).

    @transition(
        field=status,
        source=[Status.BEING_PROGRESSED, Status.AWAITING_REVIEW],
        target=Status.AWAITING_REVIEW,
        permission=_may_submit,
        custom={"label": "Submit for review", "comment": "optional"},
    )
    def submit_for_review(self) -> None:
        """The force asks the inspector to close the item; its evidence is frozen."""

    @transition(
        field=status,
        source=Status.AWAITING_REVIEW,
        target=Status.COMPLETE,
        permission=_may_review,
        custom={"label": "Complete", "comment": "required", "comment_label": "Comment"},
    )
    def complete(self) -> None:
        """Only an inspector authorises closure."""

    @transition(
        field=status,
        source=Status.AWAITING_REVIEW,
        target=Status.BEING_PROGRESSED,
        permission=_may_review,
        custom={
            "label": "Send back",
            "comment": "required",
            "comment_label": "What is still needed",
        },
    )
    def send_back(self) -> None:
        """The submission was not yet enough; the force carries on."""

    @transition(
        field=status,
        source=[Status.AWAITING_REVIEW, Status.BEING_PROGRESSED],
        target=Status.NO_FURTHER_ACTION_NEEDED,
        permission=_may_review,
        custom={"label": "Stop tracking", "comment": "required", "comment_label": "Reason"},
    )
    def stop_tracking(self) -> None:
        """An inspector stops tracking, optionally pointing at the item that supersedes it."""

    @transition(
        field=status,
        source=[Status.COMPLETE, Status.NO_FURTHER_ACTION_NEEDED],
        target=Status.BEING_PROGRESSED,
        permission=_may_review,
        custom={"label": "Reopen", "comment": "required", "comment_label": "Reason"},
    )
    def reopen(self) -> None:
        """Reopening a closed item needs an inspector and a reason."""

    # --- Derived, never stored -------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def days_overdue(self, today: date | None = None) -> int:
        """Days past due for an open item; 0 when in date, closed or without a deadline."""
        if not self.is_open or self.due_on is None:
            return 0
        return max(0, ((today or timezone.localdate()) - self.due_on).days)

    def is_overdue(self, today: date | None = None) -> bool:
        return self.days_overdue(today) > 0

    def is_due_soon(self, today: date | None = None, window_days: int | None = None) -> bool:
        """Open and due between today (included) and the end of the window (included)."""
        if not self.is_open or self.due_on is None:
            return False
        today = today or timezone.localdate()
        return 0 <= (self.due_on - today).days <= due_soon_window(window_days)

    def days_until_due(self, today: date | None = None) -> int | None:
        """Days from today to the due date (0 on the day); None without a deadline."""
        if self.due_on is None:
            return None
        return (self.due_on - (today or timezone.localdate())).days

    def rag(self, today: date | None = None, window_days: int | None = None) -> Rag:
        """Closed items say how they closed; open ones how urgent they are (see `Rag`)."""
        if self.status == Status.COMPLETE:
            return Rag.COMPLETE
        if self.status == Status.NO_FURTHER_ACTION_NEEDED:
            return Rag.NO_FURTHER_ACTION
        if self.due_on is None:
            return Rag.NO_DEADLINE
        if self.is_overdue(today):
            return Rag.OVERDUE
        return Rag.DUE_SOON if self.is_due_soon(today, window_days) else Rag.ON_TRACK

    @property
    def whose_turn(self) -> str:
        return {
            Status.AWAITING_REVIEW: "inspector",
            Status.BEING_PROGRESSED: "force",
        }.get(self.status, "nobody")

    @property
    def due_date_changed(self) -> bool:
        return self.original_due_on is not None and self.original_due_on != self.due_on


class RecommendationManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=ItemKind.RECOMMENDATION)


class AreaForImprovementManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=ItemKind.AREA_FOR_IMPROVEMENT)


class Recommendation(Item):
    objects = RecommendationManager()

    class Meta:
        proxy = True


class AreaForImprovement(Item):
    objects = AreaForImprovementManager()

    class Meta:
        proxy = True
        verbose_name = "area for improvement"
        verbose_name_plural = "areas for improvement"

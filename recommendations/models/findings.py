from datetime import date, datetime
from typing import ClassVar

import rules
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from recommendations.deadlines import DeadlineRule
from recommendations.models.rag import Rag, due_soon_window
from recommendations.vocabulary import OPEN_STATUSES, ItemKind, Status

_OPEN = [s.value for s in OPEN_STATUSES]


# How a reference derived from an item's position names its kind: "PEEL 2021/22 R3" is the
# third recommendation of that inspection, "PEEL 2021/22 AFI 4" its fourth area for improvement.
REFERENCE_MARKS = {ItemKind.RECOMMENDATION: "R", ItemKind.AREA_FOR_IMPROVEMENT: "AFI "}


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
    def label(self) -> str:
        """Its reference, or its place in the inspection: "Cause of concern 2"."""
        return f"Cause of concern {self.reference or self.position + 1}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


# django-fsm calls these with the model instance (typed as any Model) and the acting user.
def _may_submit(item: models.Model, user: object) -> bool:
    return rules.has_perm("recommendations.submit_item", user, item)


def _may_review(item: models.Model, user: object) -> bool:
    return rules.has_perm("recommendations.review_item", user, item)


def _not_awaiting_a_decision(item: models.Model) -> bool:
    # A submission already with the inspector is not submitted twice; a new item is.
    assert isinstance(item, Item), "declared on Item's transitions only"
    return item.status != Status.AWAITING_REVIEW or item.submitted_at is None


def _was_submitted(item: models.Model) -> bool:
    # Nothing to send back until the force has submitted something.
    assert isinstance(item, Item), "declared on Item's transitions only"
    return item.submitted_at is not None


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
    reference = models.CharField(
        max_length=50, blank=True, help_text="The inspectorate's reference, where known."
    )
    # Given once, at creation, so that it never changes: see docs/decisions/0001.
    display_reference = models.CharField(
        max_length=80,
        editable=False,
        help_text="The reference shown wherever the item is named: the inspectorate's, or one "
        "made from its inspection's short name and its position there.",
    )
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
    extension_count = models.PositiveSmallIntegerField(
        default=0, help_text="How many times the due date has been moved later."
    )

    status = FSMField(
        max_length=32, choices=Status.choices, default=Status.AWAITING_REVIEW, protected=True
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the force last submitted it for review."
    )
    returned_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When an inspector sent it back; cleared when the force next acts on it.",
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
            models.CheckConstraint(
                name="item_has_a_display_reference", condition=~Q(display_reference="")
            ),
            models.UniqueConstraint(
                fields=["inspection", "force", "display_reference"],
                name="item_display_reference_unique_per_inspection",
            ),
        ]
        indexes = [
            # Open items in the lists' order (selectors.BY_DUE), for one force and for many:
            # a page's ids, at any depth, and the open and overdue counts, from the index
            # alone. The indexes below end with the columns their pages read besides the
            # key (as key columns, not `include`, which SQLite would ignore). The status is
            # one of them: SQLite tests a partial index's condition again on each row, and
            # without the status in the index it read the table for it (page 200 of five
            # forces: 160 ms against 31 ms).
            models.Index(
                fields=["force", "due_on", "inspection", "position", "id", "status"],
                condition=Q(status__in=_OPEN),
                name="open_items_force_order",
            ),
            models.Index(
                fields=["due_on", "inspection", "position", "id", "force", "status"],
                condition=Q(status__in=_OPEN),
                name="open_items_order",
            ),
            models.Index(fields=["status", "submitted_at"], name="items_review_queue"),
            # Counts by status for one or many forces (overview, review queue, dashboard) and
            # lists of one status sorted by due date.
            models.Index(fields=["status", "force", "due_on"], name="items_status_force_due"),
            # A force's dashboard counts and RAG chart read only this index, and so do lists
            # of one status (their order ends with the position).
            models.Index(
                fields=[
                    "force",
                    "status",
                    "due_on",
                    "inspection",
                    "submitted_at",
                    "returned_at",
                    "position",
                ],
                name="items_force_status_cover",
            ),
            # The inspection page's sections (kind, cause of concern) in the report's order:
            # their first items and counts without reading the table.
            models.Index(
                fields=["inspection", "kind", "cause_of_concern", "position", "id", "force"],
                name="items_inspection_sections",
            ),
            # The review queue's two tabs, per force, in their order.
            models.Index(
                fields=["force", "submitted_at"],
                condition=Q(status=Status.AWAITING_REVIEW, submitted_at__isnull=False),
                name="review_queue_submitted",
            ),
            models.Index(
                fields=["force", "status_changed_at"],
                condition=Q(status=Status.AWAITING_REVIEW, submitted_at__isnull=True),
                name="review_queue_new",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """How every page, e-mail and export names it: "Recommendation 9207/2"."""
        return f"{self.get_kind_display()} {self.display_reference}"

    # --- Status machine: the only place transitions are declared -----------------------------
    # `custom` carries everything the interface, the service and the e-mails need about a
    # transition: its label and button, its comment rule and wording, the message shown after
    # it, the e-mail headline, and whether it asks for confirmation. The body sets the fields
    # that the transition itself changes (at the time `at`); the service saves them and
    # writes the timeline.

    @transition(
        field=status,
        source=[Status.BEING_PROGRESSED, Status.AWAITING_REVIEW],
        target=Status.AWAITING_REVIEW,
        permission=_may_submit,
        conditions=[_not_awaiting_a_decision],
        custom={
            "label": "Submit for review",
            "choice": "Submit for review: ask the inspector to close it",
            "button": "primary",
            "comment": "optional",
            "comment_label": "Comment for the inspector",
            "comment_error": "Enter a comment for the inspector",
            "success": "Submitted for review; the force's inspectors have been told.",
            "email_headline": "Submitted for review",
            "freezes_evidence": True,
        },
    )
    def submit_for_review(self, *, at: datetime) -> None:
        """The force asks the inspector to close the item; its evidence is frozen."""
        self.submitted_at = at
        self.returned_at = None

    @transition(
        field=status,
        source=Status.AWAITING_REVIEW,
        target=Status.COMPLETE,
        permission=_may_review,
        custom={
            "label": "Complete",
            "choice": "Complete: the evidence shows it is done",
            "button": "primary",
            "comment": "required",
            "comment_label": "Comment",
            "comment_error": "Enter a comment on the decision",
            "success": "Marked complete; the force lead has been told.",
            "email_headline": "Closure authorised",
        },
    )
    def complete(self, *, at: datetime) -> None:
        """Only an inspector authorises closure."""

    @transition(
        field=status,
        source=Status.AWAITING_REVIEW,
        target=Status.BEING_PROGRESSED,
        permission=_may_review,
        conditions=[_was_submitted],
        custom={
            "label": "Send back",
            "choice": "Send back: more is needed from the force",
            "button": "secondary",
            "comment": "required",
            "comment_label": "What is still needed",
            "comment_error": "Enter what is still needed",
            "success": "Sent back to the force; the force lead has been told.",
            "email_headline": "Sent back",
        },
    )
    def send_back(self, *, at: datetime) -> None:
        """The submission was not yet enough; the force carries on and is shown what is
        still needed until it acts."""
        self.returned_at = at

    @transition(
        field=status,
        source=[Status.AWAITING_REVIEW, Status.BEING_PROGRESSED],
        target=Status.NO_FURTHER_ACTION_NEEDED,
        permission=_may_review,
        custom={
            "label": "Stop tracking",
            "choice": "Stop tracking: no further action is needed",
            "button": "warning",
            "comment": "required",
            "comment_label": "Reason",
            "comment_error": "Enter the reason for stopping tracking",
            "success": "Tracking stopped; the force lead has been told.",
            "email_headline": "Tracking stopped",
            "confirm": "Stopping tracking closes this item for good unless an inspector "
            "reopens it. The force will no longer be reminded about it.",
        },
    )
    def stop_tracking(self, *, at: datetime, superseded_by: "Item | None" = None) -> None:
        """An inspector stops tracking, optionally pointing at the item that supersedes it."""
        self.superseded_by = superseded_by
        self.returned_at = None

    @transition(
        field=status,
        source=[Status.COMPLETE, Status.NO_FURTHER_ACTION_NEEDED],
        target=Status.BEING_PROGRESSED,
        permission=_may_review,
        custom={
            "label": "Reopen",
            "choice": "Reopen: the force must act on it again",
            "button": "secondary",
            "comment": "required",
            "comment_label": "Reason",
            "comment_error": "Enter the reason for reopening",
            "success": "Reopened; the force lead has been told.",
            "email_headline": "Reopened",
        },
    )
    def reopen(self, *, at: datetime) -> None:
        """Reopening a closed item needs an inspector and a reason."""
        self.returned_at = None

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
    def is_new(self) -> bool:
        """Published and never submitted: the register says awaiting review, but it is the
        force's turn to plan its response."""
        return self.status == Status.AWAITING_REVIEW and self.submitted_at is None

    @property
    def is_returned(self) -> bool:
        """Sent back by an inspector, and the force has not acted on it since."""
        return self.status == Status.BEING_PROGRESSED and self.returned_at is not None

    @property
    def whose_turn(self) -> str:
        if self.is_new:
            return "force"
        return {
            Status.AWAITING_REVIEW: "inspector",
            Status.BEING_PROGRESSED: "force",
        }.get(self.status, "nobody")

    @property
    def turn_label(self) -> str:
        """Whose turn it is and what they are to do, in the words the pages show."""
        if self.is_new:
            return "New: plan the response"
        if self.is_returned:
            return "Returned to the force: more is needed"
        return {
            Status.AWAITING_REVIEW: "The inspector's turn: decide on the submission",
            Status.BEING_PROGRESSED: "The force's turn: work under way",
        }.get(self.status, "Closed: nobody's turn")

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
    objects: ClassVar[RecommendationManager] = RecommendationManager()

    class Meta:
        proxy = True


class AreaForImprovement(Item):
    objects: ClassVar[AreaForImprovementManager] = AreaForImprovementManager()

    class Meta:
        proxy = True
        verbose_name = "area for improvement"
        verbose_name_plural = "areas for improvement"

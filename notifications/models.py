"""The notification ledger, the escalation ladder and each user's delivery preferences.

Every e-mail the tracker sends is one `Notification` row, unique on what makes it distinct,
so planning twice plans nothing new and a row is sent at most once (see `notifications.sender`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Kind(models.TextChoices):
    DUE_REMINDER = "due-reminder", "Reminders before the due date"
    OVERDUE = "overdue", "Overdue escalations"
    ASSIGNED = "assigned", "Assigned to you"
    SUBMITTED = "submitted", "Submitted for review"
    REVIEW_DECISION = "review-decision", "Review decisions"
    DUE_DATE_CHANGED = "due-date-changed", "Due date changed"
    CAUSE_OF_CONCERN_CLOSED = "cause-of-concern-closed", "Cause of concern closed"
    EXTENSION_REQUESTED = "extension-requested", "Extension requests to decide"
    EXTENSION_DECISION = "extension-decision", "Decisions on extension requests"
    DIGEST = "digest", "Daily digest"


class State(models.TextChoices):
    PLANNED = "planned", "Planned"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    HELD = "held", "Held for the daily digest"
    SUPPRESSED = "suppressed", "Not sent: turned off by the recipient"
    CANCELLED = "cancelled", "Cancelled: no longer relevant"
    FAILED = "failed", "Failed"
    UNKNOWN = "unknown", "Unknown: the sender stopped while sending"


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", "Immediately, one e-mail each"
    DIGEST = "digest", "In a daily digest"
    OFF = "off", "Off"


# States from which the sender may still deliver the row.
OUTSTANDING_STATES = (State.PLANNED, State.SENDING)
# What reached the person, so their inbox shows it: e-mailed, or held for their daily digest.
INBOX_STATES = [State.SENT.value, State.HELD.value]


class Notification(models.Model):
    """One e-mail to one person about one thing, planned once and sent at most once.

    `key` says which reminder, step or event it is; for reminders and escalations it ends
    with the due date, so a new due date plans new rows. `level` is the day relative to the
    due date (-30, -7, -1, 0 before; 1, 14, 30, 37... overdue).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    key = models.CharField(max_length=100)
    item = models.ForeignKey(
        "recommendations.Item",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    cause_of_concern = models.ForeignKey(
        "recommendations.CauseOfConcern",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    timeline_entry = models.ForeignKey(
        "recommendations.TimelineEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    level = models.IntegerField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    planned_for = models.DateField(help_text="The working day it was planned for.")

    state = models.CharField(max_length=16, choices=State.choices, default=State.PLANNED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(
        null=True, blank=True, help_text="When the message was handed to the mail server."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    digest = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="entries"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(
        null=True, blank=True, help_text="When the recipient opened it from their inbox."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "item", "kind", "key"],
                condition=Q(item__isnull=False),
                name="notification_once_per_item",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "key"],
                condition=Q(item__isnull=True),
                name="notification_once_without_item",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state__in=["planned", "sending"]),
                name="notifications_outstanding",
            ),
            models.Index(
                fields=["recipient"],
                condition=Q(state="held", digest__isnull=True),
                name="notifications_held",
            ),
            models.Index(fields=["state", "kind"], name="notifications_by_state"),
            # The inbox lists a person's messages newest first and counts the unread ones
            # on every page, so both read one recipient's rows through an index.
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(state__in=INBOX_STATES),
                name="notifications_inbox",
            ),
            models.Index(
                fields=["recipient"],
                condition=Q(state__in=INBOX_STATES, read_at__isnull=True),
                name="notifications_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key} to {self.recipient_id}"


class NotificationPreference(models.Model):
    """How one user wants one kind of notification; no row means immediately."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    delivery = models.CharField(max_length=16, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind"),
            models.CheckConstraint(
                name="escalations_cannot_be_turned_off",
                condition=~Q(kind="overdue", delivery="off"),
            ),
            models.CheckConstraint(name="digest_has_no_preference", condition=~Q(kind="digest")),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} {self.get_delivery_display().lower()}"


class EscalationStep(models.Model):
    """One step of the overdue ladder: from `day` days overdue, who is told.

    The audience is cumulative: a step reaches its own people and everyone of the earlier
    steps. A step with `repeat_every_days` is sent again every that many days until the next
    step; the last step must repeat, so an overdue item never goes silent.
    """

    day = models.PositiveSmallIntegerField(unique=True, help_text="Days overdue.")
    to_owners = models.BooleanField(
        default=False, help_text="The item's owner and the owners of its open actions."
    )
    to_force_leads = models.BooleanField(default=False)
    to_executive_sponsors = models.BooleanField(default=False)
    to_inspectors = models.BooleanField(default=False, help_text="The force's inspectors.")
    repeat_every_days = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(name="escalation_day_positive", condition=Q(day__gte=1)),
            models.CheckConstraint(
                name="escalation_repeat_positive",
                condition=Q(repeat_every_days__isnull=True) | Q(repeat_every_days__gte=1),
            ),
        ]

    def __str__(self) -> str:
        return f"Day {self.day}"

    def clean(self) -> None:
        is_last = not EscalationStep.objects.exclude(pk=self.pk).filter(day__gt=self.day).exists()
        if is_last and not self.repeat_every_days:
            raise ValidationError(
                {
                    "repeat_every_days": "The last step must repeat, so that an overdue item is "
                    "never left without reminders."
                }
            )

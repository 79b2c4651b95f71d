from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ExtensionState(models.TextChoices):
    PENDING = "pending", "Waiting for the inspector"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class ExtensionRequest(models.Model):
    """A force lead's request to move a due date later (DAO 02/20: a force cannot defer a
    deadline alone). An inspector approves it, which moves the due date, or refuses it with a
    reason. At most one request per item waits at a time."""

    item = models.ForeignKey(
        "recommendations.Item", on_delete=models.CASCADE, related_name="extension_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    due_from = models.DateField(help_text="The due date when the request was made.")
    due_on = models.DateField(help_text="The new due date asked for.")
    reason = models.TextField()
    state = models.CharField(
        max_length=16, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(state="pending"),
                name="one_pending_extension_request_per_item",
            ),
            models.CheckConstraint(
                name="extension_request_decided_when_not_pending",
                condition=Q(state="pending", decided_at__isnull=True)
                | (~Q(state="pending") & Q(decided_at__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"Extension to {self.due_on:%d %b %Y} ({self.get_state_display().lower()})"

    @property
    def is_pending(self) -> bool:
        return self.state == ExtensionState.PENDING

from django.conf import settings
from django.db import models
from django.db.models import Q


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not-started", "Not started"
    IN_PROGRESS = "in-progress", "In progress"
    DONE = "done", "Done"


class Action(models.Model):
    """The force's own work item under a recommendation or area for improvement."""

    item = models.ForeignKey(
        "recommendations.Item", on_delete=models.CASCADE, related_name="actions"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    target_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["item", "target_on", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class ProgressUpdate(models.Model):
    """A dated note by a force user. Append-only: there is no service that edits one."""

    item = models.ForeignKey(
        "recommendations.Item", on_delete=models.CASCADE, related_name="progress_updates"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%d %b %Y}: {self.text[:60]}"


# File systems limit one name to 255 bytes (not characters: "é" is two, "报" three); this
# leaves room for the "_abc1234" storage adds when the name is taken.
EVIDENCE_NAME_MAX_BYTES = 200
_EXTENSION_MAX_BYTES = 16


def fit_file_name(filename: str, max_bytes: int = EVIDENCE_NAME_MAX_BYTES) -> str:
    """The uploaded file's own name, cut to `max_bytes` of UTF-8, keeping its extension."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension.encode()) > _EXTENSION_MAX_BYTES:
        stem, extension = name, ""
    suffix = f".{extension}" if extension else ""
    budget = max_bytes - len(suffix.encode())
    # Cutting bytes may split a character: drop the partial one rather than store garbage.
    stem = stem.encode()[:budget].decode("utf-8", "ignore").strip() or "evidence"
    return stem + suffix


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    # Grouped by force and item so storage can be audited and purged per force.
    return f"evidence/{instance.item.force_id}/{instance.item_id}/{fit_file_name(filename)}"


class Evidence(models.Model):
    """An uploaded file or a link attached to an item; frozen once submitted for review."""

    item = models.ForeignKey(
        "recommendations.Item", on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to=evidence_upload_to, blank=True, max_length=500)
    url = models.URLField(max_length=1000, blank=True)
    description = models.CharField(max_length=500)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the item is submitted; the evidence is frozen."
    )

    class Meta:
        ordering = ["item", "-uploaded_at", "-pk"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                name="evidence_is_a_file_or_a_link",
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
            )
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_frozen(self) -> bool:
        return self.submitted_at is not None

from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not-started", "Not started"
    IN_PROGRESS = "in-progress", "In progress"
    DONE = "done", "Done"


# Actions still being worked on: their owners are reminded, their target dates are shown.
OPEN_ACTION_STATUSES = [ActionStatus.NOT_STARTED.value, ActionStatus.IN_PROGRESS.value]


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
    # Recorded at upload, so the evidence list shows them without asking the storage.
    size = models.PositiveBigIntegerField(null=True, blank=True, help_text="Bytes.")
    content_type = models.CharField(max_length=200, blank=True)
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

    @property
    def file_name(self) -> str:
        return PurePosixPath(self.file.name).name if self.file else ""

    @property
    def file_type(self) -> str:
        """How people name the file's type ("PDF", "Word document"), from its content type."""
        if not self.file:
            return ""
        known = FILE_TYPES.get(self.content_type)
        return known or PurePosixPath(self.file.name).suffix.lstrip(".").upper() or "File"


# The allowed evidence types (TRACKER_EVIDENCE_TYPES): their content type and how people
# name them. Fixed here rather than guessed from the system's MIME table, which varies.
EVIDENCE_FILE_TYPES = {
    "pdf": ("application/pdf", "PDF"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word document",
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel spreadsheet",
    ),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint presentation",
    ),
    "odt": ("application/vnd.oasis.opendocument.text", "OpenDocument text"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet"),
    "png": ("image/png", "PNG image"),
    "jpg": ("image/jpeg", "JPEG image"),
    "jpeg": ("image/jpeg", "JPEG image"),
    "txt": ("text/plain", "Text file"),
    "csv": ("text/csv", "CSV file"),
}
FILE_TYPES = {content_type: words for content_type, words in EVIDENCE_FILE_TYPES.values()}


def evidence_content_type(file_name: str) -> str:
    """The content type for a file of an allowed type, by its (already checked) extension."""
    extension = PurePosixPath(file_name).suffix.lower().lstrip(".")
    return EVIDENCE_FILE_TYPES.get(extension, ("application/octet-stream", ""))[0]

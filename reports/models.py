"""A pack too large to produce while the user waits, prepared by the task runner."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PackFormat(models.TextChoices):
    DOCX = "docx", "Word document"
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel workbook"


class PreparedPackStatus(models.TextChoices):
    PENDING = "pending", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be prepared"


def prepared_pack_upload_to(instance: PreparedPack, filename: str) -> str:
    return f"reports/{instance.requested_by_id}/{filename}"


class PreparedPack(models.Model):
    """One file of the quarterly pack, asked for by one user; only they may download it, and
    only while they may still see every force it covers."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prepared_packs"
    )
    forces = models.ManyToManyField("recommendations.Force", related_name="+")
    scope = models.CharField(max_length=300, help_text="The forces it covers, in words.")
    slug = models.CharField(max_length=200, help_text="How its file name begins.")
    start = models.DateField()
    end = models.DateField()
    format = models.CharField(max_length=8, choices=PackFormat.choices)
    status = models.CharField(
        max_length=16, choices=PreparedPackStatus.choices, default=PreparedPackStatus.PENDING
    )
    file = models.FileField(upload_to=prepared_pack_upload_to, blank=True, max_length=500)
    error = models.CharField(max_length=500, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "requested_at"], name="prepared_by_user")]

    def __str__(self) -> str:
        return f"{self.scope}, {self.start} to {self.end} ({self.get_format_display()})"

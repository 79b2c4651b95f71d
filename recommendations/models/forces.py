from django.conf import settings
from django.db import models


class ForceKind(models.TextChoices):
    POLICE = "police", "Police force"
    FIRE_AND_RESCUE = "fire-and-rescue", "Fire and rescue service"


class MonitoringStage(models.TextChoices):
    """HMICFRS monitoring stages; more levels can be added without a data migration."""

    SCAN = "scan", "Scan (routine monitoring)"
    ENGAGE = "engage", "Engage (enhanced monitoring)"


class Force(models.Model):
    """An inspected organisation: a police force or a fire and rescue service."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=ForceKind.choices, default=ForceKind.POLICE)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MonitoringStageChange(models.Model):
    """One dated entry in a force's monitoring-stage history; the latest one in force applies."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="stage_history")
    stage = models.CharField(max_length=32, choices=MonitoringStage.choices)
    started_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["force", "-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "started_on"], name="one_stage_change_per_force_per_day"
            )
        ]
        verbose_name = "monitoring stage change"

    def __str__(self) -> str:
        return f"{self.force}: {self.get_stage_display()} from {self.started_on:%d %B %Y}"

"""A force's item counts at the end of a day, so history is read, not rebuilt."""

from __future__ import annotations

from django.db import models


class ForceSnapshot(models.Model):
    """How many of a force's items stood in each status and RAG category on a day.

    Recorded by the periodic snapshot job (`services.snapshot_record`), which rewrites the
    current day's row each time it runs, so the last run of a day leaves that day's end; the
    dashboard's twelve-month chart reads one row a month instead of every timeline entry.
    Past months are rebuilt once from the timeline by `manage.py snapshot_backfill`.
    """

    force = models.ForeignKey("recommendations.Force", on_delete=models.CASCADE, related_name="+")
    on = models.DateField()
    open_count = models.PositiveIntegerField(default=0)
    overdue_count = models.PositiveIntegerField(default=0)
    due_soon_count = models.PositiveIntegerField(default=0)
    awaiting_review_count = models.PositiveIntegerField(default=0)
    being_progressed_count = models.PositiveIntegerField(default=0)
    complete_count = models.PositiveIntegerField(default=0)
    no_further_action_count = models.PositiveIntegerField(default=0)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["force", "on"], name="one_snapshot_per_force_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.force_id} on {self.on}: {self.open_count} open"

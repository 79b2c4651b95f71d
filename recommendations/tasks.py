"""Task entry points for both runners: thin, they call one service (see
notifications.scheduling, where the periodic jobs are declared)."""

from __future__ import annotations

from celery import shared_task

from recommendations import services


def record_snapshots() -> int:
    """The periodic job: each force's counts as they stand now, as today's snapshot."""
    return services.snapshot_record()


@shared_task(name="recommendations.record_snapshots", acks_late=True)
def record_snapshots_task() -> int:
    return record_snapshots()

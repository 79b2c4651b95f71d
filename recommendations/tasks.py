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


def refresh_database_statistics() -> bool:
    """The periodic job: the database's planner statistics, refreshed (SQLite)."""
    return services.database_statistics_refresh()


@shared_task(name="recommendations.refresh_database_statistics", acks_late=True)
def refresh_database_statistics_task() -> bool:
    return refresh_database_statistics()

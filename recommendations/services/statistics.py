"""The database's planner statistics, refreshed as the data grows."""

from __future__ import annotations

from django.db import connection


def database_statistics_refresh() -> bool:
    """SQLite plans each query from statistics that only ANALYZE gathers (PostgreSQL's
    autovacuum keeps its own): without them, at a million items, it counted the review queue
    from the wrong index (90 ms against 2 ms). Refreshed daily; True when it ran."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True

"""The daily job that keeps SQLite's planner statistics current."""

import pytest
from django.db import connection

from recommendations import tasks
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statistics")
def test_the_job_gathers_statistics_of_the_item_indexes():
    ItemFactory.create_batch(3)

    assert tasks.refresh_database_statistics() is True

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT idx FROM sqlite_stat1 WHERE tbl = 'recommendations_item' AND idx = ?",
            ["review_queue_submitted"],
        )
        assert cursor.fetchall() == [("review_queue_submitted",)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL keeps its own")
def test_postgresql_needs_nothing():
    assert tasks.refresh_database_statistics() is False

"""Build the pages benchmark's data set in the project's own tables, streamed in batches.

N items over 43 forces (about 23,000 a force at a million). Each force has six inspections:
five ordinary ones (a PEEL report, a crime data integrity inspection, ...) of about 0.5% of
its items each, and one register of everything else (about 22,700 items at a million: the
worst case the inspection page must bear). Causes of concern hold some recommendations;
three items in ten are areas for improvement (no deadline). Statuses: 30% new, 10%
submitted for review, 30% being progressed (a tenth of them returned), 22% complete, 8% no
further action. Due dates run from 300 days ago to 600 days ahead. Each item has one to four
timeline entries spread over the past 18 months (imported, status changes, progress
updates), one in three an action and a progress update, one in twenty a link as evidence,
one in 500 open recommendations a pending extension request.

People: per force a lead, a sponsor and five action owners; nine inspectors, each of five
forces (the last of three); an administrator. Nobody has a usable password (`!`).

Ids are given here (each table starts empty after `migrate`), so no row is read back; on
PostgreSQL the sequences are moved past them at the end. Rows go through COPY (PostgreSQL)
or `executemany` in batches of 10,000 (SQLite); no more than one batch is held in memory.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, date, datetime

from bench.pages.data import BATCH, INSPECTIONS, Plan, _user_ids, users
from bench.pages.rows import fixed_rows, item_rows

__all__ = ["INSPECTIONS", "Plan", "build"]

TABLES = {
    "force": ("recommendations_force", "id, name, slug, kind"),
    "user": (
        "accounts_user",
        "id, password, last_login, is_superuser, username, first_name, last_name, email,"
        " is_staff, is_active, date_joined, role, force_id",
    ),
    "inspected": ("accounts_user_inspected_forces", "id, user_id, force_id"),
    "inspection": (
        "recommendations_inspection",
        "id, title, programme, reference, issued_on, published_on, source_url,"
        " pcc_response_published_on, created_at, force_id, short_name, register_published_at,"
        " register_published_by_id",
    ),
    "cause": (
        "recommendations_causeofconcern",
        "id, reference, text, position, closed_on, closing_letter_reference, closed_by_id,"
        " force_id, inspection_id, carries_forward_id",
    ),
    "judgment": ("recommendations_gradedjudgment", "area, grade, position, inspection_id"),
    "stage": (
        "recommendations_monitoringstagechange",
        "stage, started_on, note, recorded_at, force_id, recorded_by_id",
    ),
    "item": (
        "recommendations_item",
        "id, kind, reference, position, text, deadline_rule, deadline_phrase, due_on,"
        " original_due_on, status, status_changed_at, submitted_at, created_at, updated_at,"
        " cause_of_concern_id, force_id, inspection_id, owner_id, display_reference,"
        " returned_at, extension_count, superseded_by_id",
    ),
    "timeline": (
        "recommendations_timelineentry",
        "kind, occurred_at, recorded_at, status_from, status_to, due_from, due_to, comment,"
        " actor_id, cause_of_concern_id, item_id, transition, public",
    ),
    "update": ("recommendations_progressupdate", "item_id, text, created_at, author_id"),
    "action": (
        "recommendations_action",
        "item_id, description, target_on, status, created_at, updated_at, created_by_id, owner_id",
    ),
    "evidence": (
        "recommendations_evidence",
        "item_id, file, url, description, uploaded_at, submitted_at, uploaded_by_id,"
        " content_type, size",
    ),
    "extension": (
        "recommendations_extensionrequest",
        "requested_at, due_from, due_on, reason, state, decided_at, decision_comment,"
        " decided_by_id, item_id, requested_by_id",
    ),
}


# --- Writing ---------------------------------------------------------------------------------


class SqliteWriter:
    """Batched executemany; dates and times as Django's SQLite backend stores them."""

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("BEGIN")

    @staticmethod
    def _value(v):
        if isinstance(v, datetime):
            return v.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        if isinstance(v, date):
            return v.isoformat()
        return v

    def write(self, table: str, rows: list[tuple]) -> None:
        name, columns = TABLES[table]
        marks = ", ".join("?" * (columns.count(",") + 1))
        self.db.executemany(
            f"INSERT INTO {name} ({columns}) VALUES ({marks})",
            [tuple(self._value(v) for v in row) for row in rows],
        )

    def finish(self) -> None:
        self.db.execute("COMMIT")
        self.db.execute("ANALYZE")
        self.db.close()


class PostgresWriter:
    """COPY per batch, in one transaction; the sequences are moved past the given ids."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.db = psycopg.connect(url)
        # No foreign-key triggers while loading (the rows are consistent by construction):
        # millions of deferred checks would be queued in memory until the commit.
        self.db.execute("SET session_replication_role = replica")

    def write(self, table: str, rows: list[tuple]) -> None:
        name, columns = TABLES[table]
        with self.db.cursor() as cursor, cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def finish(self) -> None:
        with self.db.cursor() as cursor:
            for name, _ in TABLES.values():
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'),"
                    f" COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
                )
        self.db.commit()
        self.db.autocommit = True
        self.db.execute("VACUUM ANALYZE")
        self.db.close()


class DjangoWriter:
    """Batched executemany on Django's connection, inside the caller's transaction: for the
    test of the builder on its test database."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection

    def write(self, table: str, rows: list[tuple]) -> None:
        name, columns = TABLES[table]
        marks = ", ".join(["%s"] * (columns.count(",") + 1))
        with self.connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {name} ({columns}) VALUES ({marks})", rows)

    def finish(self) -> None:
        if self.connection.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                for name, _ in TABLES.values():
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'),"
                        f" COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
                    )


def write_all(writer, rows: Iterable[tuple[str, tuple]], progress=None) -> dict[str, int]:
    """Streams (table, row) pairs into the writer, a batch per table at a time."""
    batches: dict[str, list[tuple]] = {}
    counts: dict[str, int] = {}
    for table, row in rows:
        batch = batches.setdefault(table, [])
        batch.append(row)
        if len(batch) >= BATCH:
            writer.write(table, batch)
            counts[table] = counts.get(table, 0) + len(batch)
            batches[table] = []
            if progress and table == "item" and counts["item"] % 100_000 == 0:
                progress(counts["item"])
    for table, batch in batches.items():
        if batch:
            writer.write(table, batch)
            counts[table] = counts.get(table, 0) + len(batch)
    return counts


def build(writer, plan: Plan, progress=None) -> dict[str, int]:
    """Every row of the data set; the count written per table."""
    people = users(plan)
    ids = _user_ids(people)
    counts = write_all(writer, fixed_rows(plan, people))
    for table, n in write_all(writer, item_rows(plan, ids), progress).items():
        counts[table] = counts.get(table, 0) + n
    writer.finish()
    return counts

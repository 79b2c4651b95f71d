"""Two small SQL pieces the ORM lacks: whole days between dates, and INSERT ... SELECT.

The sweep builds its SELECT with the ORM (so filters, joins and quoting are Django's) and
runs it as one `INSERT ... SELECT` that skips rows the unique constraints already hold:
the database does the set work, Python never loops over items.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import cast

from django.db import NotSupportedError, connections, models
from django.db.models import Func, QuerySet, Value


class DaysSince(Func):
    """Whole days from a date column to a fixed day (positive when the column is earlier)."""

    output_field = models.IntegerField()

    def __init__(self, day: date, expression, **extra):
        super().__init__(Value(day, output_field=models.DateField()), expression, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(ROUND(julianday(%(expressions)s)) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="(%(expressions)s)",
            arg_joiner="::date - ",
            **extra_context,
        )


def insert_select(model: type[models.Model], columns: Sequence[str], queryset: QuerySet) -> int:
    """Insert the rows the queryset selects (its values_list, in `columns` order), skipping
    any that a unique constraint already holds. Returns the number of rows inserted."""
    db = queryset.db
    connection = connections[db]
    select_sql, params = queryset.query.get_compiler(using=db).as_sql()
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(_column(model, c)) for c in columns)
    if connection.vendor == "postgresql":
        sql = f"INSERT INTO {table} ({names}) {select_sql} ON CONFLICT DO NOTHING"
    elif connection.vendor == "sqlite":
        sql = f"INSERT OR IGNORE INTO {table} ({names}) {select_sql}"
        sql, params = _sqlite_literals(sql, params)
    else:
        raise NotSupportedError(f"insert_select does not support {connection.vendor}.")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _column(model: type[models.Model], name: str) -> str:
    """The database column of one of the model's concrete fields."""
    return cast(models.Field, model._meta.get_field(name)).column


def refresh_statistics(using: str = "default") -> None:
    """SQLite: `PRAGMA optimize`, which SQLite recommends long-lived applications run
    regularly. It is a no-op unless a table this connection queried has never been analysed
    or has grown a lot since; then it runs ANALYZE on it (about a second for 1,000,000
    items). Without statistics SQLite's planner reads every open item through the status
    index for each level of the sweep (4 times slower at 1,000,000 items)."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize")


def _sqlite_literals(sql: str, params: Sequence) -> tuple[str, Sequence | None]:
    """Inline the parameters as SQL literals, for SQLite's query planner.

    SQLite plans a statement before it sees its parameters, and a bound parameter never
    matches a partial index's WHERE: `status IN (?, ?)` cannot use the open-items indexes
    (`... WHERE status IN ('awaiting-review', 'being-progressed')`), so every statement read
    every item (1,000,000 items: 15 s instead of 3 s, docs/performance.md). The values here
    are Django's own, already adapted (strings, numbers); anything else stays a parameter.
    """
    literals = []
    for value in params:
        if value is None:
            literals.append("NULL")
        elif isinstance(value, bool):
            literals.append("1" if value else "0")
        elif isinstance(value, int):
            literals.append(str(value))
        elif isinstance(value, str):
            literals.append("'" + value.replace("'", "''") + "'")
        else:
            return sql, params
    return sql % tuple(literals), None

"""Measure each page in process (Django's test client, signed in with force_login) against
its floor (floors.py), on the connection the pages use. Import after django.setup()."""

from __future__ import annotations

import csv
import statistics
import time
import tracemalloc
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from bench.pages import bare_urls, floors

# A page that takes longer than this on its first request is measured fewer times, so that
# the slow "before" pages do not take the whole run (at least 3 timed requests each).
BUDGET_SECONDS = 20.0
SEARCH = "domestic abuse"


@dataclass
class Page:
    name: str
    user: str  # "lead" or "inspector"
    path: str
    floor: list[tuple[str, tuple]]
    target_ms: float = 150.0
    # A reference, not a page of the issue: what every signed-in page costs before its own
    # work, measured with the pages so that their floors can be read against it.
    reference: bool = False
    urlconf: str | None = None


@dataclass
class Result:
    name: str
    user: str
    path: str
    status: int
    runs: int
    p50_ms: float
    p95_ms: float
    cpu_p50_ms: float  # this thread's processor time: Django's side (and SQLite's), no server
    # Time inside the page's statements (PostgreSQL: the rows arrive with the statement; on
    # SQLite they are read later, so it is not measured there).
    sql_p50_ms: float | None
    floor_p95_ms: float
    queries: int
    kb: float
    target_ms: float
    reference: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.p95_ms / self.floor_p95_ms if self.floor_p95_ms else float("inf")


class CountQueries:
    """Counts the statements run on the connection (kept across its reconnections, unlike
    the debug log, which every request start clears)."""

    def __init__(self) -> None:
        self.count = 0
        self.statements: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        self.statements.append(sql if not params else _inline(sql, params))
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)

    def __len__(self) -> int:
        return self.count


class TimeStatements:
    """Adds up the seconds spent executing statements on the connection."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def _inline(sql: str, params) -> str:
    """The statement with its parameters as literals, for EXPLAIN."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return cursor.cursor.mogrify(sql, params)
    quoted = []
    for value in params:
        if value is None:
            quoted.append("NULL")
        elif isinstance(value, bool):
            quoted.append(str(int(value)))
        elif isinstance(value, int | float):
            quoted.append(str(value))
        else:
            quoted.append("'" + str(value).replace("'", "''") + "'")
    return sql.replace("%s", "{}").format(*quoted) if "%s" in sql else sql


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


class Subjects:
    """The users and objects the pages are measured for, read from the data set: the lead of
    force 0, the inspector of forces 0-4, force 0's register (its largest inspection) and an
    item of force 0 submitted for review with an action, an update and timeline entries."""

    def __init__(self) -> None:
        users = get_user_model().objects
        self.lead = users.get(username="lead-0")
        self.inspector = users.get(username="inspector-0")
        self.force = self.lead.force
        self.force_ids = sorted(self.inspector.inspected_forces.values_list("pk", flat=True))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT inspection_id, COUNT(*) FROM recommendations_item WHERE force_id = %s"
                " GROUP BY inspection_id ORDER BY 2 DESC, 1 LIMIT 1",
                (self.force.pk,),
            )
            self.inspection_id, self.inspection_items = cursor.fetchone()
            # Preferably submitted for review (an inspector is offered every decision) and
            # with an action, an update and a few timeline entries.
            cursor.execute(
                "SELECT i.id FROM recommendations_item i WHERE i.force_id = %s ORDER BY"
                " CASE WHEN i.status = 'awaiting-review' AND i.submitted_at IS NOT NULL"
                " THEN 0 ELSE 1 END, CASE WHEN EXISTS (SELECT 1 FROM recommendations_action a"
                " WHERE a.item_id = i.id) THEN 0 ELSE 1 END, i.id LIMIT 1",
                (self.force.pk,),
            )
            self.item_id = cursor.fetchone()[0]
            cursor.execute(
                "SELECT MIN(inspection_id) FROM recommendations_item WHERE force_id = %s"
                " AND inspection_id <> %s",
                (self.force.pk, self.inspection_id),
            )
            self.small_inspection_id = cursor.fetchone()[0]


def pages(s: Subjects, today: date, *, session_key: str) -> list[Page]:
    vendor = connection.vendor
    own, five = [s.force.pk], s.force_ids
    result = [
        Page(
            "force dashboard",
            "lead",
            f"/forces/{s.force.slug}/",
            floors.dashboard(s.force.pk, today),
        )
    ]
    result.append(
        Page(
            "force dashboard",
            "inspector",
            f"/forces/{s.force.slug}/",
            floors.dashboard(s.force.pk, today),
        )
    )
    for user, ids in (("lead", own), ("inspector", five)):
        result += [
            Page("item list, first page", user, "/items/", floors.item_list(ids)),
            Page("item list, page 200", user, "/items/?page=200", floors.item_list(ids, page=200)),
            Page(
                f"item list, search “{SEARCH}”",
                user,
                f"/items/?q={SEARCH.replace(' ', '+')}",
                floors.search(vendor, ids, SEARCH),
            ),
            Page(
                "item list, being progressed",
                user,
                "/items/?status=being-progressed",
                floors.item_list(ids, where="i.status = 'being-progressed'"),
            ),
            Page("item list, overdue", user, "/items/?due=overdue", floors.overdue(ids, today)),
        ]
    for user in ("lead", "inspector"):
        result.append(
            Page("item page", user, f"/items/{s.item_id}/", floors.item_page(s.item_id), 80.0)
        )
    for user, ids in (("lead", own), ("inspector", own)):
        result.append(
            Page(
                f"inspection page ({s.inspection_items:,} items)",
                user,
                f"/inspections/{s.inspection_id}/",
                floors.inspection_page(s.inspection_id, ids),
            )
        )
    result.append(Page("review queue", "inspector", "/review/", floors.review_queue(five)))
    result.append(
        Page("force overview", "inspector", "/forces/", floors.force_overview(five, today))
    )
    signed_in = floors.signed_in(session_key, s.lead.pk)
    result += [
        # The layout alone: the "Password changed" page (a heading and a sentence).
        Page("layout only", "lead", "/accounts/password/done/", signed_in, reference=True),
        Page(
            "signed-in response, no page",
            "lead",
            bare_urls.BARE_PATH,
            signed_in,
            reference=True,
            urlconf="bench.pages.bare_urls",
        ),
    ]
    return result


def _time_floor(statements: list[tuple[str, tuple]]) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()
    return time.perf_counter() - started


def _get(client: Client, path: str):
    response = client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def measure_page(page: Page, client: Client, runs: int) -> Result:
    """The first request warms up and counts the queries; then `runs` timed requests, fewer
    for a slow page (within BUDGET_SECONDS, at least 3), and none for a page slower than a
    third of it: its second request is then the figure (runs = 1)."""
    if page.urlconf:
        with override_settings(ROOT_URLCONF=page.urlconf):
            return _measure_page(page, client, runs)
    return _measure_page(page, client, runs)


def _measure_page(page: Page, client: Client, runs: int) -> Result:
    with CountQueries() as queries:
        started, started_cpu = time.perf_counter(), time.thread_time()
        response, body = _get(client, page.path)
        first, first_cpu = time.perf_counter() - started, time.thread_time() - started_cpu
    if first * 3 > BUDGET_SECONDS:
        # Slow, or only cold (the first request after a restart reads the disk): once more.
        started, started_cpu = time.perf_counter(), time.thread_time()
        _get(client, page.path)
        first, first_cpu = time.perf_counter() - started, time.thread_time() - started_cpu
    if first * 3 > BUDGET_SECONDS:
        times, cpu, sql = [first], [first_cpu], []
    else:
        runs = max(3, min(runs, int(BUDGET_SECONDS / max(first, 1e-3))))
        if first < 1:
            _get(client, page.path)
        times, cpu = [], []
        statements = TimeStatements()
        sql: list[float] = []
        with connection.execute_wrapper(statements):
            for _ in range(runs):
                statements.seconds = 0.0
                started, started_cpu = time.perf_counter(), time.thread_time()
                _get(client, page.path)
                times.append(time.perf_counter() - started)
                cpu.append(time.thread_time() - started_cpu)
                sql.append(statements.seconds)
    _time_floor(page.floor)
    floor_times = [_time_floor(page.floor) for _ in range(max(len(times), 10))]
    return Result(
        name=page.name,
        user=page.user,
        path=page.path,
        status=response.status_code,
        runs=len(times),
        p50_ms=statistics.median(times) * 1000,
        p95_ms=percentile(times, 95) * 1000,
        cpu_p50_ms=statistics.median(cpu) * 1000,
        sql_p50_ms=(
            statistics.median(sql) * 1000 if sql and connection.vendor == "postgresql" else None
        ),
        floor_p95_ms=percentile(floor_times, 95) * 1000,
        queries=len(queries),
        kb=len(body) / 1024,
        target_ms=page.target_ms,
        reference=page.reference,
    )


def clients(s: Subjects) -> dict[str, Client]:
    result = {}
    for name, user in (("lead", s.lead), ("inspector", s.inspector)):
        client = Client()
        client.force_login(user)
        result[name] = client
    return result


def measure_csv(s: Subjects, client: Client, runs: int = 3) -> dict:
    """The CSV of every item of force 0: rows a second (best of `runs`), and the peak of
    Python's allocations while streaming it (tracemalloc, a run of its own: it slows
    allocation down) against the CSV of a small inspection, to show memory is flat."""
    path = csv_path(s)
    times, rows = [], 0
    with CountQueries() as queries:
        for _ in range(runs):
            started = time.perf_counter()
            response, body = _get(client, path)
            times.append(time.perf_counter() - started)
            rows = body.count(b"\n") - 1
            if sum(times) > BUDGET_SECONDS:
                break
    peaks = {}
    for label, url in (("force", path), ("small", f"{path}&inspection={s.small_inspection_id}")):
        tracemalloc.start()
        response = client.get(url)
        lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)  # not kept
        peaks[label] = (tracemalloc.get_traced_memory()[1] / 2**20, lines - 1)
        tracemalloc.stop()
    floor_times = []
    sql, params = floors.csv_rows(s.force.pk)
    for _ in range(runs):
        started = time.perf_counter()
        writer = csv.writer(_Null())
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(2000):
                for row in batch:
                    writer.writerow(row)
        floor_times.append(time.perf_counter() - started)
    best, floor = min(times), min(floor_times)
    return {
        "status": response.status_code,
        "rows": rows,
        "seconds": best,
        "rows_per_second": rows / best,
        "floor_seconds": floor,
        "floor_rows_per_second": rows / floor,
        "queries": len(queries) // len(times),
        "peak_mb": peaks["force"][0],
        "small_rows": peaks["small"][1],
        "small_peak_mb": peaks["small"][0],
    }


def csv_path(s: Subjects) -> str:
    """The CSV of every item of the force, whatever its status."""
    return f"/forces/{s.force.slug}/?format=csv&status=all"


class _Null:
    def write(self, value: str) -> None:
        pass


def explain(statements: list[str]) -> list[tuple[str, str]]:
    """The plan of each statement: EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL, EXPLAIN QUERY
    PLAN on SQLite."""
    plans = []
    with connection.cursor() as cursor:
        for sql in statements:
            if connection.vendor == "postgresql":
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            plans.append((sql, plan))
    return plans


def captured_item_queries(client: Client, path: str) -> list[str]:
    """The statements a page runs on the items table (with their parameters inlined)."""
    with CountQueries() as queries:
        _get(client, path)
    return [
        sql
        for sql in queries.statements
        if "recommendations_item" in sql and sql.lstrip().upper().startswith("SELECT")
    ]

"""Benchmark the pages at national scale: p50/p95 of each page against its SQL floor.

    .venv/bin/python bench/bench_pages.py --db postgres --items 1000000
    .venv/bin/python bench/bench_pages.py --db sqlite --items 50000 --runs 30
    .venv/bin/python bench/bench_pages.py --database postgres://postgres@127.0.0.1:5432/bench_pages
    .venv/bin/python bench/bench_pages.py --db postgres --explain   # plans of the list queries

Builds the data set once (bench/pages/build.py: N items over 43 forces, timeline, actions,
causes of concern, users) in the project's tables after `manage.py migrate`, and keeps it:
a later run with the same --items reuses it (`--rebuild` builds it again). Databases: the
PostgreSQL database `bench_pages_<items>` on 127.0.0.1 by default, or the SQLite file
/tmp/bench_pages_<items>.sqlite3; `--database URL` for another.

Then, in this process, with production settings (no debug), for the lead of one force and an
inspector of five forces: each page's p50 and p95 over --runs requests after a warm-up (fewer
for a page slower than 20 s in all, at least 3), its queries, its size, and its floor
(bench/pages/floors.py, the minimal SQL for the same data, timed on the same connection in
the same run); the CSV of one force's items (rows a second, peak memory). Prints markdown
tables and writes the JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pages import build  # noqa: E402


def database_url(options) -> str:
    if options.database:
        return options.database
    if options.db == "sqlite":
        return f"sqlite:////tmp/bench_pages_{options.items}.sqlite3"
    return f"postgres://postgres@127.0.0.1:5432/bench_pages_{options.items}"


def built_items(url: str) -> int | None:
    """How many items the database holds, or None when it does not exist or is not built."""
    try:
        if url.startswith("sqlite"):
            path = urlsplit(url).path
            if not Path(path).exists():
                return None
            with sqlite3.connect(path) as db:
                return db.execute("SELECT COUNT(*) FROM recommendations_item").fetchone()[0]
        import psycopg

        with psycopg.connect(url, connect_timeout=10) as db:
            return db.execute("SELECT COUNT(*) FROM recommendations_item").fetchone()[0]
    except Exception:  # no database, or no tables
        return None


def fresh_database(url: str) -> None:
    if url.startswith("sqlite"):
        path = urlsplit(url).path
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def settings_env(url: str) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "LOG_LEVEL": "WARNING",
    }


def migrate(url: str) -> float:
    """Apply the project's migrations (on a built data set: those of the code measured, such
    as new indexes); the seconds it took."""
    started = time.perf_counter()
    env = {**os.environ, **settings_env(url)}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    return time.perf_counter() - started


def backfill_snapshots(url: str) -> float | None:
    """The dashboard chart's per-force snapshots, where the code measured keeps them
    (`snapshot_backfill`: month ends rebuilt from the timeline once, as for data older than
    the snapshot job), when there are none yet; the seconds it took."""
    table = "recommendations_forcesnapshot"
    if not (ROOT / "recommendations/management/commands/snapshot_backfill.py").exists():
        return None
    try:
        if url.startswith("sqlite"):
            with sqlite3.connect(urlsplit(url).path) as db:
                empty = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
        else:
            import psycopg

            with psycopg.connect(url) as db:
                empty = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
    except Exception:  # no such table: the code measured has no snapshots
        return None
    if not empty:
        return 0.0
    started = time.perf_counter()
    env = {**os.environ, **settings_env(url)}
    subprocess.run(
        [sys.executable, "manage.py", "snapshot_backfill"], cwd=ROOT, env=env, check=True
    )
    seconds = time.perf_counter() - started
    print(f"snapshots backfilled in {seconds:.0f} s", flush=True)
    return seconds


def build_database(url: str, items: int) -> dict:
    started = time.perf_counter()
    fresh_database(url)
    migrated = migrate(url)
    plan = build.Plan(items=items, today=date.today())
    if url.startswith("sqlite"):
        writer = build.SqliteWriter(urlsplit(url).path)
    else:
        writer = build.PostgresWriter(url)

    def progress(n: int) -> None:
        print(f"  {n:,} items, {time.perf_counter() - started:.0f} s", flush=True)

    counts = build.build(writer, plan, progress)
    seconds = time.perf_counter() - started
    print(f"built {url} in {seconds:.0f} s (migrate {migrated:.0f} s): {counts}", flush=True)
    return {"seconds": seconds, "counts": counts}


def machine() -> dict:
    found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    return {
        "cores": os.cpu_count(),
        "cpu": found.group(1) if found else "",
        "python": platform.python_version(),
        "date": datetime.now().astimezone().isoformat(timespec="minutes"),
        "load_average_before": os.getloadavg()[0],
    }


def run(options, url: str) -> dict:
    os.environ.update(settings_env(url))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings
    from django.utils import timezone

    from bench.pages import measure

    # Static files by name: the manifest of `collectstatic` is not what is measured here.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        today = timezone.localdate()
        subjects = measure.Subjects()
        clients = measure.clients(subjects)
        results = []
        session_key = clients["lead"].session.session_key
        for page in measure.pages(subjects, today, session_key=session_key):
            if options.only and options.only not in page.name:
                continue
            result = measure.measure_page(page, clients[page.user], options.runs)
            results.append(result)
            print(
                f"  {page.name} ({page.user}): p50 {result.p50_ms:.0f} ms, p95"
                f" {result.p95_ms:.0f} ms, floor {result.floor_p95_ms:.1f} ms,"
                f" {result.queries} queries, {result.kb:.0f} KB, {result.status}",
                flush=True,
            )
        csv_result = None
        if not options.only or "csv" in options.only:
            csv_result = measure.measure_csv(subjects, clients["lead"])
        plans = []
        if options.explain:
            for name, user, path in [
                ("item list, first page", "lead", "/items/"),
                ("item list, first page", "inspector", "/items/"),
                ("force dashboard", "lead", f"/forces/{subjects.force.slug}/"),
                ("review queue", "inspector", "/review/"),
                ("force overview", "inspector", "/forces/"),
            ]:
                statements = measure.captured_item_queries(clients[user], path)
                for sql, plan in measure.explain(statements):
                    plans.append({"page": name, "user": user, "sql": sql, "plan": plan})
    return {
        "vendor": connection.vendor,
        "items": subjects_count(connection),
        "inspection_items": subjects.inspection_items,
        "pages": [r.__dict__ | {"ratio": r.ratio} for r in results],
        "csv": csv_result,
        "plans": plans,
    }


def subjects_count(connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM recommendations_item")
        return cursor.fetchone()[0]


def report(data: dict) -> None:
    m = data["machine"]
    print()
    print(
        f"{data['items']:,} items on {data['vendor']}; {m['cores']} cores ({m['cpu']}), Python"
        f" {m['python']}, {m['date']}, load average before {m['load_average_before']:.1f}"
    )
    print(
        "| page | user | p50 | p95 | floor p95 | ratio | queries | KB | processor p50"
        " | SQL p50 | runs | target |"
    )
    print("|---" * 12 + "|")
    for r in data["pages"]:
        sql = r.get("sql_p50_ms")
        print(
            f"| {r['name']} | {r['user']} | {r['p50_ms']:.0f} ms | {r['p95_ms']:.0f} ms"
            f" | {r['floor_p95_ms']:.1f} ms | {r['ratio']:.1f}x | {r['queries']}"
            f" | {r['kb']:.0f} | {r['cpu_p50_ms']:.0f} ms"
            f" | {'–' if sql is None else f'{sql:.1f} ms'} | {r['runs']} | {verdict(r)} |"
        )
    c = data.get("csv")
    if c:
        print()
        print(
            f"CSV of one force: {c['rows']:,} rows in {c['seconds']:.2f} s ="
            f" {c['rows_per_second']:,.0f} rows/s (floor {c['floor_rows_per_second']:,.0f}"
            f" rows/s), {c['queries']} queries; peak Python memory {c['peak_mb']:.1f} MB"
            f" ({c['small_rows']:,} rows: {c['small_peak_mb']:.1f} MB)"
        )
    for p in data.get("plans", []):
        print(f"\n-- {p['page']} ({p['user']})\n{p['sql']}\n{p['plan']}")


def verdict(r: dict) -> str:
    """A page meets its target when its p95 is under the issue's figure, within 2x of its
    floor and under 200 KB; a reference row has no target."""
    if r.get("reference"):
        return "reference"
    ok = r["p95_ms"] < r["target_ms"] and r["ratio"] <= 2 and r["kb"] < 200
    return f"< {r['target_ms']:.0f} ms: {'yes' if ok else '**no**'}"


def compare(before_path: str, after_path: str) -> None:
    """Before and after side by side, from two runs' JSON files."""
    before, after = (json.loads(Path(p).read_text()) for p in (before_path, after_path))
    old = {(r["name"], r["user"]): r for r in before["pages"]}
    print(
        f"{after['items']:,} items on {after['vendor']}: before {before['machine']['date']}"
        f" (load average {before['machine']['load_average_before']:.1f}), after"
        f" {after['machine']['date']} (load average {after['machine']['load_average_before']:.1f})"
    )
    print(
        "| page | user | before p50 / p95 | after p50 / p95 | after: floor p95 | ratio"
        " | processor p50 before / after | queries before / after | KB before / after"
        " | target met |"
    )
    print("|---" * 10 + "|")
    for r in after["pages"]:
        b = old.get((r["name"], r["user"]))
        was = f"{b['p50_ms']:,.0f} / {b['p95_ms']:,.0f} ms" if b else "–"
        print(
            f"| {r['name']} | {r['user']} | {was} | {r['p50_ms']:,.0f} / {r['p95_ms']:,.0f} ms"
            f" | {r['floor_p95_ms']:.1f} ms | {r['ratio']:.1f}x"
            f" | {b.get('cpu_p50_ms', 0) if b else 0:,.0f} / {r['cpu_p50_ms']:,.0f} ms"
            f" | {b['queries'] if b else '–'} / {r['queries']}"
            f" | {b['kb'] if b else 0:,.0f} / {r['kb']:,.0f} | {verdict(r)} |"
        )
    for label, data in (("before", before), ("after", after)):
        c = data.get("csv")
        if c:
            print(
                f"\nCSV {label}: {c['rows']:,} rows, {c['rows_per_second']:,.0f} rows/s (floor"
                f" {c['floor_rows_per_second']:,.0f}), peak {c['peak_mb']:.1f} MB"
                f" ({c['small_rows']:,} rows: {c['small_peak_mb']:.1f} MB), {c['queries']} queries"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--database", help="a database URL instead of the default one")
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page")
    parser.add_argument("--rebuild", action="store_true", help="build the data set again")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--explain", action="store_true", help="print the plans of list queries")
    parser.add_argument("--only", help="measure only the pages whose name contains this")
    parser.add_argument("--label", default="", help="a word for the JSON file's name")
    parser.add_argument(
        "--compare", nargs=2, metavar=("BEFORE", "AFTER"), help="two runs' JSON side by side"
    )
    options = parser.parse_args()
    if options.compare:
        compare(*options.compare)
        return
    url = database_url(options)
    about = machine()
    built = built_items(url)
    build_info = None
    if options.rebuild or built != options.items:
        if built is not None and not options.rebuild:
            print(f"{url} holds {built:,} items, not {options.items:,}: building it again")
        build_info = build_database(url, options.items)
    else:
        print(f"reusing {url} ({built:,} items); migrated in {migrate(url):.0f} s", flush=True)
    snapshots = backfill_snapshots(url)
    if options.build_only:
        return
    data = {"machine": about, "url": url, "build": build_info, "runs": options.runs}
    data["snapshot_backfill_seconds"] = snapshots
    data |= run(options, url)
    report(data)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    label = f"-{options.label}" if options.label else ""
    path = (
        out / f"pages-{data['vendor']}-{data['items']}{label}-{datetime.now():%Y%m%d-%H%M%S}.json"
    )
    path.write_text(json.dumps(data, indent=1, default=str))
    print(f"\n{path}")


if __name__ == "__main__":
    main()

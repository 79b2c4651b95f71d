"""Benchmark the reminders sweep against a hand-written INSERT ... SELECT, and the sender.

    .venv/bin/python bench/bench_sweep.py --items 1000000 --db sqlite|postgres
    .venv/bin/python bench/bench_sweep.py --items 100000,1000000 --db postgres
    .venv/bin/python bench/bench_sweep.py --quick --db sqlite          # 20,000 items

Loads N open items (raw SQL generated in the database: a recursive CTE on SQLite,
generate_series on PostgreSQL) for 43 forces, with their people (a lead, a sponsor and ten
action owners per force, two inspectors per force) and an open action on one item in ten.
5% of the items are inside a window on the day of the run (2.5% due within 30 days, 2.5%
overdue by 1 to 120 days); the rest are due 31 days ahead or later. With several sizes
(comma-separated) the same database grows from one size to the next.

For each size it measures, each in a fresh child process (peak memory is the child's own
VmHWM): the sweep (`notifications.sweep.sweep`) on an empty ledger, its wall time, number
of queries and peak memory; the same sweep run again (plans nothing); and the floor,
one hand-written `INSERT ... SELECT` that plans exactly the same rows (checked). The best of
`--repeat` runs is reported. Then it sends `--send` notifications (default 2,000) to a local
SMTP server (aiosmtpd) and reports e-mails per second.

Databases: SQLite files under --data (default /tmp/tracker-bench); PostgreSQL databases
`tracker_bench` and `tracker_bench_send` on --postgres (default
postgres://postgres@127.0.0.1:5432), dropped and created unless --reuse finds them loaded.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing, contextmanager
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
TODAY = date(2026, 11, 23)  # a Monday, a working day; the data is laid out around it
FORCES = 43
OWNERS_PER_FORCE = 10
INSPECTORS = 20
CHUNK = 100_000
OPEN = ("awaiting-review", "being-progressed")


# --- Databases ---------------------------------------------------------------------------------


class Db:
    """A plain DB-API connection for loading and checking (no Django in the parent)."""

    def __init__(self, kind: str, url: str, path: Path | None = None) -> None:
        self.kind, self.url, self.path = kind, url, path

    @contextmanager
    def connect(self):
        if self.kind == "sqlite":
            with closing(sqlite3.connect(self.path, isolation_level=None, timeout=60)) as db:
                yield db
        else:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as db:
                yield db

    def execute(self, sql: str) -> int:
        with self.connect() as db:
            cursor = db.execute(sql)
            return cursor.rowcount

    def rows(self, sql: str) -> list[tuple]:
        with self.connect() as db:
            return list(db.execute(sql).fetchall())

    def scalar(self, sql: str):
        return self.rows(sql)[0][0]


def create_database(kind: str, name: str, options, *, reuse: bool) -> tuple[Db, bool]:
    """The database, and whether it already holds data to reuse."""
    if kind == "sqlite":
        data = Path(options.data)
        data.mkdir(parents=True, exist_ok=True)
        path = data / f"{name}.sqlite3"
        db = Db(kind, f"sqlite:///{path}", path)
        if reuse and path.exists():
            return db, True
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return db, False
    import psycopg

    server = options.postgres.rstrip("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not (reuse and exists):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
            exists = None
    return Db(kind, f"{server}/{name}"), bool(exists)


def child_env(db: Db, **extra: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tracker.settings",
        # Production settings refuse to start without a real key; any random one will do here.
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DATABASE_URL=db.url,
        TRACKER_TASK_RUNNER="django_q",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def run(args: list[str], env: dict, timeout: float = 3600) -> str:
    done = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def migrate(db: Db) -> None:
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], child_env(db))


# --- Data ----------------------------------------------------------------------------------------


def load_people(db: Db) -> dict:
    now = "2026-01-01 00:00:00+00:00"
    with db.connect() as conn:
        for f in range(FORCES):
            conn.execute(
                "INSERT INTO recommendations_force (name, slug, kind) VALUES "
                f"('Benchshire Police {f}', 'benchshire-{f}', 'police')"
            )
        users = []
        for f in range(FORCES):
            users += [(f"owner-{f}-{k}", "action-owner", f) for k in range(OWNERS_PER_FORCE)]
        users += [(f"lead-{f}", "force-lead", f) for f in range(FORCES)]
        users += [(f"sponsor-{f}", "executive-sponsor", f) for f in range(FORCES)]
        users += [(f"inspector-{n}", "inspector", None) for n in range(INSPECTORS)]
        forces = [
            row[0] for row in conn.execute("SELECT id FROM recommendations_force ORDER BY id")
        ]
        for username, role, f in users:
            force = "NULL" if f is None else forces[f]
            conn.execute(
                "INSERT INTO accounts_user (password, is_superuser, username, first_name,"
                " last_name, email, is_staff, is_active, date_joined, role, force_id) VALUES"
                f" ('!', FALSE, '{username}', '', '', '{username}@example.gov.uk', FALSE, TRUE,"
                f" '{now}', '{role}', {force})"
            )
        ids = dict(conn.execute("SELECT username, id FROM accounts_user").fetchall())
        for f in range(FORCES):
            for n in (f % INSPECTORS, (f + INSPECTORS // 2) % INSPECTORS):
                conn.execute(
                    "INSERT INTO accounts_user_inspected_forces (user_id, force_id) VALUES"
                    f" ({ids[f'inspector-{n}']}, {forces[f]})"
                )
            conn.execute(
                "INSERT INTO recommendations_inspection (force_id, title, short_name, programme,"
                " reference, published_on, source_url, created_at) VALUES"
                f" ({forces[f]}, 'PEEL 2025', 'PEEL 2025', 'peel', '', '2025-01-15', '', '{now}')"
            )
        inspections = [
            row[0] for row in conn.execute("SELECT id FROM recommendations_inspection ORDER BY id")
        ]
    owners = [ids[f"owner-{f}-{k}"] for f in range(FORCES) for k in range(OWNERS_PER_FORCE)]
    for name, values in [("forces", forces), ("owners", owners), ("inspections", inspections)]:
        # The item SQL computes ids by arithmetic, so each list must be contiguous.
        assert values == list(range(values[0], values[0] + len(values))), name
    return {"force": forces[0], "owner": owners[0], "inspection": inspections[0]}


def load_items(db: Db, people: dict, start: int, end: int) -> None:
    """Items start..end-1 (ids start+1..end on a fresh table), in chunks."""
    for low in range(start, end, CHUNK):
        high = min(low + CHUNK, end)
        _insert_items(db, people, low, high)
        _insert_actions(db, people, low, high)


def _due(kind: str, n: str) -> str:
    """5% in a window: n % 200 < 5 due in 0..30 days, < 10 overdue by 1..120 days."""
    if kind == "postgresql":
        day = f"DATE '{TODAY.isoformat()}'"
        return (
            f"CASE WHEN {n} % 200 < 5 THEN {day} + ({n} / 200) % 31"
            f" WHEN {n} % 200 < 10 THEN {day} - (1 + ({n} / 200) % 120)"
            f" ELSE {day} + 31 + {n} % 700 END"
        )

    def plus(days: str) -> str:
        return f"date('{TODAY.isoformat()}', ({days}) || ' days')"

    return (
        f"CASE WHEN {n} % 200 < 5 THEN {plus(f'({n} / 200) % 31')}"
        f" WHEN {n} % 200 < 10 THEN {plus(f'-(1 + ({n} / 200) % 120)')}"
        f" ELSE {plus(f'31 + {n} % 700')} END"
    )


def _insert_items(db: Db, people: dict, low: int, high: int) -> None:
    vendor = "postgresql" if db.kind == "postgres" else "sqlite"
    force = f"({people['force']} + n % {FORCES})"
    owner = (
        f"({people['owner']} + (n % {FORCES}) * {OWNERS_PER_FORCE}"
        f" + (n / {FORCES}) % {OWNERS_PER_FORCE})"
    )
    columns = (
        "kind, inspection_id, force_id, reference, display_reference, position, text,"
        " deadline_rule, deadline_phrase, due_on, original_due_on, status, status_changed_at,"
        " owner_id, created_at, updated_at"
    )
    now = "'2026-01-01 00:00:00+00:00'"
    select = (
        f"SELECT 'recommendation', {people['inspection']} + n % {FORCES}, {force},"
        " 'R' || n, 'R' || n, 0,"
        " 'The force should review how it records crime.', 'absolute', '', due, due,"
        f" CASE WHEN n % 2 = 0 THEN '{OPEN[0]}' ELSE '{OPEN[1]}' END, {now}, {owner},"
        f" {now}, {now}"
    )
    if vendor == "postgresql":
        sql = (
            f"INSERT INTO recommendations_item ({columns}) {select} FROM"
            f" (SELECT n, {_due(vendor, 'n')} AS due FROM generate_series({low}, {high - 1}) n) g"
        )
    else:
        sql = (
            f"WITH RECURSIVE s(n) AS (SELECT {low} UNION ALL SELECT n + 1 FROM s"
            f" WHERE n < {high - 1}), g AS (SELECT n, {_due(vendor, 'n')} AS due FROM s)"
            f" INSERT INTO recommendations_item ({columns}) {select} FROM g"
        )
    db.execute(sql)


def _insert_actions(db: Db, people: dict, low: int, high: int) -> None:
    """An open action on one item in ten, owned by another owner of the item's force."""
    owner = (
        f"({people['owner']} + (force_id - {people['force']}) * {OWNERS_PER_FORCE}"
        f" + (id / 10) % {OWNERS_PER_FORCE})"
    )
    now = "'2026-01-01 00:00:00+00:00'"
    db.execute(
        "INSERT INTO recommendations_action (item_id, description, owner_id, status,"
        f" created_at, updated_at) SELECT id, 'Review the policy', {owner}, 'in-progress',"
        f" {now}, {now} FROM recommendations_item WHERE id > {low} AND id <= {high}"
        " AND id % 10 = 0"
    )


def analyze(db: Db) -> None:
    if db.kind == "postgres":
        db.execute("VACUUM ANALYZE")
    else:
        db.execute("ANALYZE")


def first_sweep_without_statistics(db: Db) -> dict | None:
    """SQLite: the first sweep on a database never analysed (the sweep then runs `PRAGMA
    optimize`, so later ones have statistics). PostgreSQL: VACUUM ANALYZE, as autovacuum
    does after a bulk load."""
    started = time.perf_counter()
    if db.kind == "postgres":
        analyze(db)
        print(f"  VACUUM ANALYZE {time.perf_counter() - started:.1f} s", flush=True)
        return None
    db.execute("DROP TABLE IF EXISTS sqlite_stat1")
    clear_ledger(db)
    cold = measure(db, "sweep")
    clear_ledger(db)
    print(f"  first sweep without statistics {cold['seconds']:.2f} s", flush=True)
    return cold


def clear_ledger(db: Db) -> None:
    if db.kind == "postgres":
        db.execute("TRUNCATE notifications_notification")
    else:
        db.execute("DELETE FROM notifications_notification")


def ledger_fingerprint(db: Db) -> tuple[int, str]:
    """The planned rows, as a count and a hash (streamed: the parent stays small)."""
    digest, count = hashlib.sha256(), 0
    with db.connect() as conn:
        cursor = conn.execute(
            "SELECT recipient_id, item_id, kind, key, level, due_on, planned_for, state"
            " FROM notifications_notification ORDER BY item_id, recipient_id, kind, key"
        )
        for row in cursor:
            digest.update(repr(tuple(map(str, row))).encode())
            count += 1
    return count, digest.hexdigest()[:16]


def peak_memory_mb() -> float:
    """This process's own peak resident memory. Not ru_maxrss: Linux carries the parent's
    peak over fork and exec into it, so a child started by a big parent looks big."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- The floor: one hand-written INSERT ... SELECT --------------------------------------------


def floor_sql(vendor: str, today: date, now: str) -> str:
    """Plans exactly the rows the sweep plans on `today` with the default reminder days
    (30, 7, 1, 0) and the default ladder (1: owners and leads; 14: sponsors; 30 and every 7
    days after: inspectors), in one statement."""
    t = today.isoformat()

    def d(days: int) -> str:
        return f"'{(today + timedelta(days=days)).isoformat()}'"

    if vendor == "postgresql":
        days_over = f"(DATE '{t}' - i.due_on)"
        due_text = "r.due_on::text"
        insert, conflict = "INSERT INTO", " ON CONFLICT DO NOTHING"
    else:
        days_over = f"CAST(julianday('{t}') - julianday(i.due_on) AS INTEGER)"
        due_text = "r.due_on"
        insert, conflict = "INSERT OR IGNORE INTO", ""
    reachable = "u.is_active AND u.email > ''"
    return f"""
WITH c AS (
    SELECT i.id, i.force_id, i.owner_id, i.due_on,
        CASE WHEN i.due_on >= {d(0)} THEN 'due-reminder' ELSE 'overdue' END AS kind,
        CASE
            WHEN i.due_on = {d(0)} THEN 0
            WHEN i.due_on = {d(1)} THEN -1
            WHEN i.due_on >= {d(2)} AND i.due_on <= {d(7)} THEN -7
            WHEN i.due_on >= {d(8)} THEN -30
            WHEN {days_over} >= 30 THEN 30 + 7 * (({days_over} - 30) / 7)
            WHEN {days_over} >= 14 THEN 14
            ELSE 1
        END AS level
    FROM recommendations_item i
    WHERE i.status IN ('{OPEN[0]}', '{OPEN[1]}') AND i.due_on <= {d(30)}
), r AS (
    SELECT c.*, u.id AS recipient FROM c
        JOIN accounts_user u ON u.id = c.owner_id AND u.force_id = c.force_id AND {reachable}
    UNION
    SELECT c.*, u.id FROM c
        JOIN recommendations_action a
            ON a.item_id = c.id AND a.status IN ('not-started', 'in-progress')
        JOIN accounts_user u ON u.id = a.owner_id AND u.force_id = c.force_id AND {reachable}
    UNION
    SELECT c.*, u.id FROM c
        JOIN accounts_user u ON u.force_id = c.force_id AND u.role = 'force-lead' AND {reachable}
    UNION
    SELECT c.*, u.id FROM c
        JOIN accounts_user u
            ON u.force_id = c.force_id AND u.role = 'executive-sponsor' AND {reachable}
        WHERE c.kind = 'overdue' AND c.level >= 14
    UNION
    SELECT c.*, u.id FROM c
        JOIN accounts_user_inspected_forces m ON m.force_id = c.force_id
        JOIN accounts_user u ON u.id = m.user_id AND u.role = 'inspector' AND {reachable}
        WHERE c.kind = 'overdue' AND c.level >= 30
)
{insert} notifications_notification (recipient_id, item_id, kind, key, level, due_on,
    planned_for, state, attempts, next_attempt_at, last_error, created_at, updated_at)
SELECT r.recipient, r.id, r.kind,
    CASE WHEN r.kind = 'overdue' THEN 'day-' || r.level
         WHEN r.level = 0 THEN 'on-day' ELSE 'before-' || (-r.level) END || '@' || {due_text},
    r.level, r.due_on, '{t}', 'planned', 0, '{now}', '', '{now}', '{now}'
FROM r
WHERE NOT EXISTS (
    SELECT 1 FROM notifications_notification n
    WHERE n.recipient_id = r.recipient AND n.item_id = r.id AND n.kind = r.kind
        AND n.due_on = r.due_on AND n.level >= r.level
)
ORDER BY r.id, r.recipient{conflict}
"""


# --- Measurements, each in a fresh child process ---------------------------------------------


def measure(db: Db, mode: str, **extra_env: str) -> dict:
    out = run([PYTHON, str(Path(__file__).resolve()), "--child", mode], child_env(db, **extra_env))
    return json.loads(out.strip().splitlines()[-1])


def child(mode: str) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from notifications.sender import send_outstanding
    from notifications.sweep import sweep

    connection.ensure_connection()
    result: dict = {"mode": mode}
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        if mode == "sweep":
            report = sweep(today=TODAY)
            result.update(planned=report.planned, errors=report.errors)
        elif mode == "floor":
            sql = floor_sql(connection.vendor, TODAY, timezone.now().isoformat())
            with connection.cursor() as cursor:
                cursor.execute(sql)
                result["planned"] = cursor.rowcount
        elif mode == "send":
            report = send_outstanding(today=timezone.localdate())
            result.update(sent=report.sent, failed=report.failed + report.retrying)
        result["seconds"] = time.perf_counter() - started
    result["queries"] = len(queries)
    result["max_rss_mb"] = peak_memory_mb()
    print(json.dumps(result))


# --- The run -------------------------------------------------------------------------------------


def bench_sweep(options, sizes: list[int]) -> list[dict]:
    db, reused = create_database(options.db, "tracker_bench", options, reuse=options.reuse)
    loaded = 0
    if reused:
        loaded = db.scalar("SELECT COUNT(*) FROM recommendations_item")
        people = {
            "force": db.scalar("SELECT MIN(id) FROM recommendations_force"),
            "owner": db.scalar("SELECT MIN(id) FROM accounts_user WHERE role = 'action-owner'"),
            "inspection": db.scalar("SELECT MIN(id) FROM recommendations_inspection"),
        }
        print(f"reusing {db.url} with {loaded:,} items")
    else:
        started = time.perf_counter()
        migrate(db)
        people = load_people(db)
        print(f"migrated {db.url} in {time.perf_counter() - started:.1f} s", flush=True)
    results = []
    cold = None
    for size in sizes:
        if loaded > size:
            raise SystemExit(f"{db.url} holds {loaded:,} items, more than {size:,}")
        if loaded < size:
            started = time.perf_counter()
            load_items(db, people, loaded, size)
            loaded = size
            load_seconds = time.perf_counter() - started
            print(f"loaded {size:,} items in {load_seconds:.1f} s", flush=True)
            cold = first_sweep_without_statistics(db)
        if reused and loaded == size and cold is None:
            analyze(db)
        in_window = db.scalar(
            f"SELECT COUNT(*) FROM recommendations_item WHERE due_on <= '"
            f"{(TODAY + timedelta(days=30)).isoformat()}'"
        )
        baseline = measure(db, "baseline")
        floors, sweeps, agains = [], [], []
        for _ in range(options.repeat):
            clear_ledger(db)
            floors.append(measure(db, "floor"))
            floor_print = ledger_fingerprint(db)
            clear_ledger(db)
            sweeps.append(measure(db, "sweep"))
            assert not sweeps[-1]["errors"], sweeps[-1]["errors"]
            sweep_print = ledger_fingerprint(db)
            assert sweep_print == floor_print, (sweep_print, floor_print)
            agains.append(measure(db, "sweep"))
            assert agains[-1]["planned"] == 0
            print(
                f"  {size:,}: sweep {sweeps[-1]['seconds']:.2f} s,"
                f" floor {floors[-1]['seconds']:.2f} s, again {agains[-1]['seconds']:.2f} s",
                flush=True,
            )
        sweep = min(sweeps, key=lambda r: r["seconds"])
        floor = min(floors, key=lambda r: r["seconds"])
        again = min(agains, key=lambda r: r["seconds"])
        results.append(
            {
                "db": options.db,
                "items": size,
                "in_window": in_window,
                "planned": sweep["planned"],
                "sweep_s": sweep["seconds"],
                "floor_s": floor["seconds"],
                "ratio": sweep["seconds"] / floor["seconds"],
                "again_s": again["seconds"],
                "queries": sweep["queries"],
                "again_queries": again["queries"],
                "cold_s": cold["seconds"] if cold else None,
                "sweep_rss_mb": max(r["max_rss_mb"] for r in sweeps),
                "floor_rss_mb": max(r["max_rss_mb"] for r in floors),
                "baseline_rss_mb": baseline["max_rss_mb"],
            }
        )
    return results


def bench_send(options) -> dict:
    sys.path.insert(0, str(ROOT))
    from tests.notifications.processes import SmtpRecorder

    db, _ = create_database(options.db, "tracker_bench_send", options, reuse=False)
    migrate(db)
    overdue = options.send // 8  # 4 recipients each
    due_soon = (options.send - overdue * 4) // 2  # 2 recipients each
    smtp = SmtpRecorder().start()
    try:
        env = child_env(db, EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}")
        seeded = json.loads(
            run(
                [
                    PYTHON,
                    "-m",
                    "tests.notifications.processes",
                    "seed",
                    "--overdue",
                    str(overdue),
                    "--due-soon",
                    str(due_soon),
                    "--plan",
                ],
                env,
            )
            .strip()
            .splitlines()[-1]
        )
        result = measure(db, "send", EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}")
        received = smtp.count
    finally:
        smtp.stop()
    assert result["sent"] == seeded["planned"] == received, (result, seeded, received)
    return {
        "db": options.db,
        "messages": received,
        "seconds": result["seconds"],
        "per_second": received / result["seconds"],
        "queries": result["queries"],
        "queries_per_message": result["queries"] / received,
        "rss_mb": result["max_rss_mb"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--items", default="1000000", help="a size, or sizes: 100000,1000000")
    parser.add_argument("--quick", action="store_true", help="20,000 items, 500 e-mails")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best)")
    parser.add_argument("--send", type=int, default=2000, help="e-mails to send (0: skip)")
    parser.add_argument(
        "--data", default=str(Path(tempfile.gettempdir()) / "tracker-bench"), help="SQLite files"
    )
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--reuse", action="store_true", help="keep a loaded database")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child)
        return
    sizes = [20_000] if options.quick else [int(s) for s in options.items.split(",")]
    if options.quick:
        options.send = min(options.send, 500)
    started = time.perf_counter()
    results = bench_sweep(options, sizes)
    sending = bench_send(options) if options.send else None

    print()
    print(
        f"sweep on {options.db}, {date.today().isoformat()}, Python {platform.python_version()},"
        f" {os.cpu_count()} CPUs; best of {options.repeat}"
    )
    header = (
        "| items | in a window | rows planned | sweep | floor (1 INSERT...SELECT) | sweep/floor"
        " | queries | second run (queries) | peak memory sweep / floor / idle"
        " | first sweep, no statistics |"
    )
    print(header)
    print("|---" * 10 + "|")
    for r in results:
        cold = f"{r['cold_s']:.2f} s" if r["cold_s"] is not None else "n/a (ANALYZE)"
        print(
            f"| {r['items']:,} | {r['in_window']:,} | {r['planned']:,} | {r['sweep_s']:.2f} s"
            f" | {r['floor_s']:.2f} s | {r['ratio']:.2f}x | {r['queries']}"
            f" | {r['again_s']:.2f} s ({r['again_queries']})"
            f" | {r['sweep_rss_mb']:.0f} / {r['floor_rss_mb']:.0f}"
            f" / {r['baseline_rss_mb']:.0f} MB | {cold} |"
        )
    if sending:
        print()
        print(
            f"sending on {options.db}: {sending['messages']:,} e-mails in"
            f" {sending['seconds']:.1f} s = {sending['per_second']:.0f}/s;"
            f" {sending['queries']:,} queries ({sending['queries_per_message']:.2f} per e-mail);"
            f" peak memory {sending['rss_mb']:.0f} MB"
        )
    print(f"total {time.perf_counter() - started:.0f} s")
    print(json.dumps({"sweep": results, "send": sending}))


if __name__ == "__main__":
    main()

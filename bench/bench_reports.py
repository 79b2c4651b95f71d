"""Time the quarterly pack for one force with 2,000 items and 20,000 timeline entries.

    .venv/bin/python bench/bench_reports.py                      # SQLite under /tmp
    .venv/bin/python bench/bench_reports.py --items 5000 --runs 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench_reports \\
        .venv/bin/python bench/bench_reports.py

Loads (once per database; --fresh starts again) one force with `--items` findings spread
over 40 inspections published in the three years before today: three in four are
recommendations (half of them under one of 120 causes of concern), the rest areas for
improvement; ten timeline entries each on average (publication, submissions, decisions,
due date changes with reasons, actions, progress updates, evidence), two actions each.
Statuses and due dates are spread so that every table of the pack has rows: about a third
closed, a sixth overdue, submissions awaiting the inspector, due dates moved every quarter.

Then, for the previous quarter (the usual committee period), it times what a user waits
for: the request for the page and for each file (Word, PDF, Excel), through the Django test
client signed in as the force lead, best and median of `--runs`, with the number of
queries. It also times building the pack alone and each renderer alone.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORCE = "Benchshire Police"


def setup_django(database: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DATABASE_URL", database)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django
    from django.conf import settings

    django.setup()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REPORTS_BACKGROUND_ITEMS = 10**9  # measure the request, not the hand-over


def load(items: int, today: date) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import Role, User
    from recommendations.models import (
        Action,
        CauseOfConcern,
        Force,
        GradedJudgment,
        Inspection,
        Item,
        TimelineEntry,
    )

    call_command("migrate", verbosity=0)
    if Force.objects.filter(name=FORCE).exists():
        return
    started = time.perf_counter()
    rng = random.Random(42)
    force = Force.objects.create(name=FORCE, slug="benchshire-police")
    lead = User.objects.create_user("bench-lead", role=Role.FORCE_LEAD, force=force)
    owners = [
        User.objects.create_user(f"bench-owner-{n}", role=Role.ACTION_OWNER, force=force)
        for n in range(10)
    ]
    inspections = []
    for n in range(40):
        published = today - timedelta(days=1095 - n * 27)
        inspections.append(
            Inspection.objects.create(
                force=force,
                title=f"Inspection {n + 1} of Benchshire Police",
                short_name=f"Bench {n + 1}",
                published_on=published,
            )
        )
    GradedJudgment.objects.bulk_create(
        GradedJudgment(inspection=inspection, area=f"area {k}", grade="adequate", position=k)
        for inspection in inspections[::8]
        for k in range(5)
    )
    causes = CauseOfConcern.objects.bulk_create(
        CauseOfConcern(inspection=inspections[n % 40], force=force, text=f"Cause {n}", position=n)
        for n in range(120)
    )

    def at(day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=12))

    rows, entries, actions = [], [], []
    for n in range(items):
        inspection = inspections[n % 40]
        is_recommendation = (n // 40) % 4 != 3  # every inspection has both kinds
        published = inspection.published_on
        due = (
            published + timedelta(days=rng.choice((28, 91, 182, 365)))
            if is_recommendation
            else None
        )
        history = [("created", at(published), "", "awaiting-review", None, due, "")]
        status, when = "awaiting-review", published
        submitted = returned = None
        for _ in range(rng.randint(0, 4)):
            when += timedelta(days=rng.randint(10, 90))
            if when >= today:
                break
            if status in ("awaiting-review", "being-progressed") and (
                status == "being-progressed" or submitted is None
            ):
                history.append(
                    ("status", at(when), status, "awaiting-review", None, None, "submit_for_review")
                )
                status, submitted, returned = "awaiting-review", at(when), None
            elif status == "awaiting-review":
                outcome = rng.choice(("complete", "send_back", "send_back", "stop_tracking"))
                target = {
                    "complete": "complete",
                    "send_back": "being-progressed",
                    "stop_tracking": "no-further-action-needed",
                }[outcome]
                history.append(("status", at(when), status, target, None, None, outcome))
                status = target
                returned = at(when) if outcome == "send_back" else None
            else:
                break
        if (
            due is not None
            and status in ("awaiting-review", "being-progressed")
            and rng.random() < 0.3
        ):
            moved = at(
                min(today - timedelta(days=1), published + timedelta(days=rng.randint(20, 600)))
            )
            new_due = due + timedelta(days=rng.randint(30, 180))
            history.append(("due", moved, "", "", due, new_due, ""))
            due = new_due
        while len(history) < 10 + (n % 3) - 1:
            when = published + timedelta(days=rng.randint(1, 1000))
            if when < today:
                kind = rng.choice(("comment", "progress-update", "action-added", "evidence-added"))
                history.append((kind, at(when), "", "", None, None, ""))
        rows.append(
            Item(
                kind="recommendation" if is_recommendation else "area-for-improvement",
                inspection=inspection,
                force=force,
                cause_of_concern=causes[n % 40 + 40 * (n // 40 % 3)]
                if is_recommendation and n // 40 % 2
                else None,
                display_reference=f"R{n}",
                position=n,
                text=f"Within three months, the force should make improvement number {n} "
                "to how it records, investigates and reviews crime, and tell the inspectorate.",
                deadline_rule="relative" if is_recommendation else "none",
                due_on=due,
                original_due_on=history[0][5],
                status=status,
                status_changed_at=max(h[1] for h in history if h[0] in ("created", "status")),
                submitted_at=submitted,
                returned_at=returned,
                owner=owners[n % 10],
            )
        )
        entries.append(history)
    created = Item.objects.bulk_create(rows, batch_size=500)
    kinds = {"created": "created", "status": "status-changed", "due": "due-date-changed"}
    TimelineEntry.objects.bulk_create(
        (
            TimelineEntry(
                item=item,
                kind=kinds.get(kind, kind),
                occurred_at=occurred_at,
                status_from=status_from,
                status_to=status_to,
                due_from=due_from,
                due_to=due_to,
                transition=transition,
                actor=None if kind == "created" else lead,
                comment="Reason: resources moved to the new control room." if kind == "due" else "",
            )
            for item, history in zip(created, entries, strict=True)
            for kind, occurred_at, status_from, status_to, due_from, due_to, transition in history
        ),
        batch_size=2000,
    )
    for item in created:
        for k in range(2):
            actions.append(
                Action(
                    item=item,
                    description=f"Action {k}",
                    owner=owners[k],
                    status="done" if k else "in-progress",
                )
            )
    Action.objects.bulk_create(actions, batch_size=2000)
    Action.objects.filter(item__force=force).update(
        created_at=at(today - timedelta(days=400)), updated_at=at(today - timedelta(days=200))
    )
    print(
        f"loaded:  {items} items, {TimelineEntry.objects.filter(item__force=force).count()} "
        f"timeline entries, {len(actions)} actions in {time.perf_counter() - started:.1f} s"
    )


def measure(label: str, runs: int, work) -> tuple[float, float, int]:
    """Best and median wall time of `runs` runs, the best processor time (what the machine's
    other load does not inflate) and the number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, processor, queries = [], [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as context:
            started, cpu = time.perf_counter(), time.process_time()
            work()
            timings.append(time.perf_counter() - started)
            processor.append(time.process_time() - cpu)
        queries = len(context.captured_queries)
    best, median = min(timings), statistics.median(timings)
    print(
        f"{label:<26} best {best * 1000:6.0f} ms  median {median * 1000:6.0f} ms  "
        f"cpu {min(processor) * 1000:6.0f} ms  {queries:3d} queries"
    )
    return best, median, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--data", default=str(Path(tempfile.gettempdir()) / "tracker-bench-reports")
    )
    parser.add_argument("--fresh", action="store_true", help="delete the SQLite file first")
    args = parser.parse_args()
    path = Path(args.data) / f"reports-{args.items}.sqlite3"
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    if args.fresh and postgres:
        import psycopg

        server, _, name = os.environ["DATABASE_URL"].rpartition("/")
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    elif args.fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    setup_django(f"sqlite:///{path}")

    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from recommendations.models import Force, Item, TimelineEntry
    from reports.renderers import FORMATS
    from reports.selectors import pack_build, previous_quarter
    from reports.views import period_query

    today = timezone.localdate()
    load(args.items, today)
    force = Force.objects.get(name=FORCE)
    period = previous_quarter(today)
    count = Item.objects.filter(force=force).count()
    entries = TimelineEntry.objects.filter(item__force=force).count()
    pack = pack_build(forces=[force], period=period)
    print(f"data:    {count} items, {entries} timeline entries; period {period.label}")
    print(
        f"pack:    {pack.counts['open']} open, {pack.counts['overdue']} overdue, "
        f"{len(pack.completed)} completed and {len(pack.new)} new in the period, "
        f"{len(pack.due_changes)} due date changes, {len(pack.awaiting_inspector)} awaiting"
    )
    measure("build the pack", args.runs, lambda: pack_build(forces=[force], period=period))
    for key, file_format in FORMATS.items():
        size = len(file_format.render(pack))
        measure(
            f"render {key} ({size // 1024} KB)",
            args.runs,
            lambda f=file_format: f.render(pack_build(forces=[force], period=period)),
        )
    client = Client()
    client.force_login(User.objects.get(username="bench-lead"))
    url = f"{reverse('reports:pack')}?{period_query(period)}"
    print("requests, signed in as the force lead (what the user waits for):")
    for key in ("", *FORMATS):

        def request(key=key):
            response = client.get(f"{url}&format={key}")
            assert response.status_code == 200, response.status_code

        measure(f"GET {key or 'page'}", args.runs, request)
    print(f"database: {connection.vendor}")
    print(f"python:  {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()

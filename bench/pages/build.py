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

import itertools
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

FORCES = 43
OWNERS_PER_FORCE = 5
FORCES_PER_INSPECTOR = 5
BATCH = 10_000
SMALL_INSPECTIONS = 5  # per force, besides the register
NEW, SUBMITTED, PROGRESSED, COMPLETE, NFA = (
    "awaiting-review",
    "awaiting-review",
    "being-progressed",
    "complete",
    "no-further-action-needed",
)
OPEN = ("awaiting-review", "being-progressed")

INSPECTIONS = [  # (title, short name, programme); the first is the big register
    ("Recommendations register: all inspections", "Register", "other"),
    ("PEEL 2023–2025: an inspection of {force}", "PEEL 2023–2025", "peel"),
    ("PEEL 2021/22: an inspection of {force}", "PEEL 2021/22", "peel"),
    (
        "Crime data integrity inspection 2024: {force}",
        "Crime data integrity 2024",
        "crime-data-integrity",
    ),
    (
        "Accelerated cause of concern: {force} 2025",
        "Accelerated cause of concern 2025",
        "accelerated-cause-of-concern",
    ),
    ("Revisit letter 2025: {force}", "Revisit 2025", "revisit-letter"),
]
TOPICS = [
    "records crimes of domestic abuse",
    "supervises investigations into rape and serious sexual offences",
    "answers emergency and non-emergency calls",
    "identifies and safeguards vulnerable people",
    "manages registered sex offenders",
    "uses stop and search powers fairly",
    "tackles serious and organised crime",
    "understands the demand it faces",
    "manages the welfare of its workforce",
    "vets its officers and staff",
    "deals with complaints about its officers",
    "protects children from exploitation",
    "records anti-social behaviour",
    "responds to missing people",
    "manages its finances and plans for the future",
    "uses technology to prevent crime",
    "works with partners to reduce reoffending",
    "gathers and uses intelligence",
    "investigates fraud",
    "trains its call handlers",
    "reviews deaths in custody",
    "engages with its communities",
    "monitors the use of force",
    "meets the needs of victims of crime",
]
GRADES = ["good", "adequate", "requires-improvement", "inadequate", "outstanding"]
JUDGMENT_AREAS = [
    "Investigating crime",
    "Protecting vulnerable people",
    "Responding to the public",
    "Managing offenders and suspects",
]


@dataclass(frozen=True)
class Plan:
    """What to build: item ids are 1..items, forces 1..43, the rest as laid out below."""

    items: int
    today: date

    def force_items(self, f: int) -> tuple[int, int]:
        """The first item id and the count of force f (0-based); forces get equal shares."""
        share, extra = divmod(self.items, FORCES)
        start = f * share + min(f, extra)
        return start + 1, share + (1 if f < extra else 0)

    def inspection_id(self, f: int, j: int) -> int:
        return f * len(INSPECTIONS) + j + 1

    def big_inspection_id(self, f: int) -> int:
        return self.inspection_id(f, 0)


def users(plan: Plan) -> list[dict]:
    """Every user, with its id (1-based, in this order)."""
    people = []
    for f in range(FORCES):
        people.append(
            {
                "username": f"lead-{f}",
                "role": "force-lead",
                "force": f,
                "name": ("Lee", f"Lead {f}"),
            }
        )
        people.append(
            {
                "username": f"sponsor-{f}",
                "role": "executive-sponsor",
                "force": f,
                "name": ("Sam", f"Sponsor {f}"),
            }
        )
        for k in range(OWNERS_PER_FORCE):
            people.append(
                {
                    "username": f"owner-{f}-{k}",
                    "role": "action-owner",
                    "force": f,
                    "name": ("Olu", f"Owner {f}-{k}"),
                }
            )
    for n in range((FORCES + FORCES_PER_INSPECTOR - 1) // FORCES_PER_INSPECTOR):
        forces = list(range(n * FORCES_PER_INSPECTOR, min(FORCES, (n + 1) * FORCES_PER_INSPECTOR)))
        people.append(
            {
                "username": f"inspector-{n}",
                "role": "inspector",
                "force": None,
                "forces": forces,
                "name": ("Ina", f"Inspector {n}"),
            }
        )
    people.append(
        {"username": "admin", "role": "administrator", "force": None, "name": ("Ada", "Admin")}
    )
    for n, person in enumerate(people, start=1):
        person["id"] = n
    return people


def _user_ids(people: list[dict]) -> dict[str, int]:
    return {p["username"]: p["id"] for p in people}


def _at(day: date, seconds: int = 0) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC) + timedelta(seconds=seconds)


def _spread(n: int, modulus: int) -> int:
    """A well-mixed number in 0..modulus-1 for item n (Knuth's multiplicative hash)."""
    return (n * 2654435761 % 4294967296) % modulus


# --- Rows ------------------------------------------------------------------------------------


def item_rows(plan: Plan, ids: dict[str, int]) -> Iterator[tuple]:
    """Items, and for each its timeline, action, update, evidence and extension request, as
    (table, row) pairs in item order."""
    today = plan.today
    first_day = today - timedelta(days=540)
    for f in range(FORCES):
        force_id = f + 1
        lead = ids[f"lead-{f}"]
        inspector = ids[f"inspector-{f // FORCES_PER_INSPECTOR}"]
        start, count = plan.force_items(f)
        positions = [0] * len(INSPECTIONS)
        for k in range(count):
            n = start + k
            j = k % 200 if 1 <= k % 200 <= SMALL_INSPECTIONS else 0
            inspection = plan.inspection_id(f, j)
            positions[j] += 1
            position = positions[j]
            area = n % 10 >= 7
            cause = None
            if not area:
                if j == 0 and k % 50 == 0:
                    cause = _cause_id(plan, f, 0, (k // 50) % 10)
                elif j > 0 and position % 3 == 0:
                    cause = _cause_id(plan, f, j, position % 2)
            mark = "AFI " if area else "R"
            short = INSPECTIONS[j][1]
            h = _spread(n, 100)
            status = (
                NEW
                if h < 30
                else SUBMITTED
                if h < 40
                else PROGRESSED
                if h < 70
                else COMPLETE
                if h < 92
                else NFA
            )
            created = _at(first_day + timedelta(days=n % 450), n % 3600)
            due = None if area else today + timedelta(days=_spread(n * 7 + 3, 900) - 300)
            submitted = (
                _at(created.date() + timedelta(days=20 + n % 40)) if h >= 30 and h < 40 else None
            )
            returned = _at(created.date() + timedelta(days=40 + n % 30)) if 60 <= h < 63 else None
            changed = created if h < 30 else _at(created.date() + timedelta(days=10 + n % 50))
            owner = None if n % 10 == 9 else ids[f"owner-{f}-{n % OWNERS_PER_FORCE}"]
            topic = TOPICS[n % len(TOPICS)]
            yield (
                "item",
                (
                    n,
                    "area-for-improvement" if area else "recommendation",
                    "",
                    min(position, 32767),
                    f"The force should improve how it {topic}.",
                    "none" if area else "absolute",
                    "",
                    due,
                    due,
                    status,
                    changed,
                    submitted,
                    created,
                    changed,
                    cause,
                    force_id,
                    inspection,
                    owner,
                    f"{short} {mark}{position}",
                    returned,
                    0,
                    None,
                ),
            )
            # Timeline: imported, then each status change, then a progress update.
            yield (
                "timeline",
                (
                    "imported",
                    created,
                    created,
                    "",
                    NEW,
                    None,
                    due,
                    "Imported from the report.",
                    None,
                    None,
                    n,
                    "",
                    False,
                ),
            )
            steps = []
            if h >= 30:
                steps.append((NEW, PROGRESSED, lead, "", 10))
            if 30 <= h < 40 or 60 <= h < 63 or h >= 70:
                steps.append((PROGRESSED, NEW, lead, "submit_for_review", 20))
            if h >= 70:
                steps.append(
                    (
                        NEW,
                        status,
                        inspector,
                        "complete" if status == COMPLETE else "stop_tracking",
                        30,
                    )
                )
            if 60 <= h < 63:
                steps.append((NEW, PROGRESSED, inspector, "send_back", 40))
            for old, new, actor, transition, days in steps:
                at = min(_at(created.date() + timedelta(days=days + n % 10)), _at(today))
                yield (
                    "timeline",
                    (
                        "status-changed",
                        at,
                        at,
                        old,
                        new,
                        None,
                        None,
                        "Decision recorded.",
                        actor,
                        None,
                        n,
                        transition,
                        False,
                    ),
                )
            if n % 3 == 0:
                at = min(_at(created.date() + timedelta(days=15 + n % 20), 60), _at(today))
                yield (
                    "timeline",
                    (
                        "progress-update",
                        at,
                        at,
                        "",
                        "",
                        None,
                        None,
                        "Training has been delivered to the team.",
                        lead,
                        None,
                        n,
                        "",
                        False,
                    ),
                )
                yield "update", (n, "Training has been delivered to the team.", at, lead)
                yield (
                    "action",
                    (
                        n,
                        f"Review the policy on how the force {topic}",
                        due,
                        "in-progress" if status in OPEN else "done",
                        at,
                        at,
                        lead,
                        owner,
                    ),
                )
            if n % 20 == 0:
                yield (
                    "evidence",
                    (
                        n,
                        "",
                        f"https://intranet.example.police.uk/evidence/{n}",
                        "Policy document",
                        created,
                        submitted,
                        lead,
                        "",
                        None,
                    ),
                )
            if not area and status in OPEN and n % 500 == 1:
                yield (
                    "extension",
                    (
                        _at(today - timedelta(days=3)),
                        due,
                        due + timedelta(days=90),
                        "The new system arrives in the spring.",
                        "pending",
                        None,
                        "",
                        None,
                        n,
                        lead,
                    ),
                )


def _cause_id(plan: Plan, f: int, j: int, c: int) -> int:
    """Causes of concern: ten in each force's register, two in each other inspection."""
    per_force = 10 + 2 * SMALL_INSPECTIONS
    return f * per_force + (c if j == 0 else 10 + (j - 1) * 2 + c) + 1


def fixed_rows(plan: Plan, people: list[dict]) -> Iterator[tuple[str, tuple]]:
    """Forces, users, inspections, causes of concern, judgments, monitoring stages."""
    joined = _at(plan.today - timedelta(days=600))
    for f in range(FORCES):
        yield "force", (f + 1, f"Benchshire Police {f}", f"benchshire-{f}", "police")
    for p in people:
        force = None if p["force"] is None else p["force"] + 1
        yield (
            "user",
            (
                p["id"],
                "!",
                None,
                p["role"] == "administrator",
                p["username"],
                p["name"][0],
                p["name"][1],
                f"{p['username']}@example.police.uk",
                p["role"] == "administrator",
                True,
                joined,
                p["role"],
                force,
            ),
        )
    link = itertools.count(1)
    for p in people:
        for f in p.get("forces", []):
            yield "inspected", (next(link), p["id"], f + 1)
    for f in range(FORCES):
        force = f"Benchshire Police {f}"
        for j, (title, short, programme) in enumerate(INSPECTIONS):
            published = plan.today - timedelta(days=560 - 60 * j)
            yield (
                "inspection",
                (
                    plan.inspection_id(f, j),
                    title.format(force=force),
                    programme,
                    "",
                    None,
                    published,
                    "",
                    None,
                    _at(published),
                    f + 1,
                    short,
                    None,
                    None,
                ),
            )
            causes = 10 if j == 0 else 2
            for c in range(causes):
                yield (
                    "cause",
                    (
                        _cause_id(plan, f, j, c),
                        f"CoC{c + 1}",
                        f"How the force {TOPICS[(f + c) % len(TOPICS)]} is a cause of concern.",
                        c,
                        None,
                        "",
                        None,
                        f + 1,
                        plan.inspection_id(f, j),
                        None,
                    ),
                )
            if programme == "peel":
                for a, area in enumerate(JUDGMENT_AREAS):
                    yield (
                        "judgment",
                        (area, GRADES[(f + a + j) % len(GRADES)], a, plan.inspection_id(f, j)),
                    )
        yield (
            "stage",
            (
                "engage" if f % 7 == 0 else "scan",
                plan.today - timedelta(days=200),
                "",
                _at(plan.today - timedelta(days=200)),
                f + 1,
                None,
            ),
        )


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

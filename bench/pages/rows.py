"""The rows of the pages benchmark's data set, generated one at a time (see build.py)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import timedelta

from bench.pages.data import (
    COMPLETE,
    FORCES,
    FORCES_PER_INSPECTOR,
    GRADES,
    INSPECTIONS,
    JUDGMENT_AREAS,
    NEW,
    NFA,
    OPEN,
    OWNERS_PER_FORCE,
    PROGRESSED,
    SMALL_INSPECTIONS,
    SUBMITTED,
    TOPICS,
    Plan,
    _at,
    _spread,
)


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

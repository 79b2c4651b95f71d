"""What the pages benchmark's data set holds: the plan, the people, names and helpers (the
rows themselves are in rows.py, the writing in build.py)."""

from __future__ import annotations

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

"""The overdue escalation ladder: data in `EscalationStep`, read once per sweep.

Rules (also in docs/operations.md):
- A step applies from `day` days overdue until the next step; a step with
  `repeat_every_days` applies again every that many days until the next step.
- The audience is cumulative: each step reaches its own people and those of every earlier
  step, so a repeat after day 30 goes to the whole audience so far.
- The last step always repeats (every 7 days if an administrator left it blank), so an
  overdue item never goes silent.
- Catch-up: on a run, only the latest occurrence an item has reached is planned; steps
  missed during an outage or over a weekend are not sent one by one, because the latest
  one reaches everybody the missed ones would have.
"""

from __future__ import annotations

from dataclasses import dataclass

from notifications.models import EscalationStep
from notifications.policy import Audience

SAFETY_REPEAT_DAYS = 7


@dataclass(frozen=True)
class Step:
    day: int
    audiences: frozenset[str]
    repeat_every_days: int | None = None


DEFAULT_LADDER = (
    Step(1, frozenset({Audience.OWNERS, Audience.FORCE_LEADS})),
    Step(14, frozenset({Audience.EXECUTIVE_SPONSORS})),
    Step(30, frozenset({Audience.INSPECTORS}), 7),
)


@dataclass(frozen=True)
class Ladder:
    steps: tuple[Step, ...]

    def __post_init__(self):
        steps = tuple(sorted(self.steps, key=lambda s: s.day)) or DEFAULT_LADDER
        last = steps[-1]
        if not last.repeat_every_days:
            steps = (*steps[:-1], Step(last.day, last.audiences, SAFETY_REPEAT_DAYS))
        object.__setattr__(self, "steps", steps)

    def bands(self) -> list[tuple[Step, int | None]]:
        """Each step with the first day of the next step (None for the last)."""
        return [
            (step, self.steps[n + 1].day if n + 1 < len(self.steps) else None)
            for n, step in enumerate(self.steps)
        ]

    def occurrence(self, days_overdue: int) -> int | None:
        """The latest ladder day reached after `days_overdue` days, or None before day one."""
        for step, _next_day in reversed(self.bands()):
            if days_overdue >= step.day:
                if not step.repeat_every_days:
                    return step.day
                repeat = step.repeat_every_days
                return step.day + repeat * ((days_overdue - step.day) // repeat)
        return None

    def first_day(self, audience: str) -> int | None:
        """From how many days overdue an audience is told; None if never."""
        return next((s.day for s in self.steps if audience in s.audiences), None)

    def audiences_at(self, days_overdue: int) -> set[str]:
        return {a for s in self.steps if s.day <= days_overdue for a in s.audiences}


def current_ladder() -> Ladder:
    """The ladder as an administrator has set it (one query)."""
    steps = []
    for row in EscalationStep.objects.order_by("day"):
        audiences = {
            Audience.OWNERS: row.to_owners,
            Audience.FORCE_LEADS: row.to_force_leads,
            Audience.EXECUTIVE_SPONSORS: row.to_executive_sponsors,
            Audience.INSPECTORS: row.to_inspectors,
        }
        steps.append(
            Step(
                row.day,
                frozenset(a for a, on in audiences.items() if on),
                row.repeat_every_days,
            )
        )
    return Ladder(tuple(steps))

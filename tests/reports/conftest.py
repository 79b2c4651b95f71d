"""A year of Cleveland Police's work, made through the services with the clock moved day by day,
so every item has the timeline the service writes; and a second force for the inspector.

The second quarter of 2025 (1 April to 30 June) is the "past period"; the clock ends on
10 July 2025, after more has happened, which a pack for the second quarter must not show.
"""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from recommendations import selectors as item_selectors
from recommendations import services
from recommendations.models import (
    OPEN_STATUSES,
    CauseOfConcern,
    GradedJudgment,
    Inspection,
    Item,
    ItemKind,
    MonitoringStageChange,
    Programme,
)
from reports.pack import Period

LONDON = ZoneInfo("Europe/London")
TODAY = date(2025, 7, 10)
Q2 = Period(date(2025, 4, 1), date(2025, 6, 30))
THIS_QUARTER = Period(date(2025, 7, 1), TODAY)


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def _recommendation(inspection, text, *, cause=None, position=0):
    return services.item_create(
        inspection=inspection,
        kind=ItemKind.RECOMMENDATION,
        text=text,
        cause_of_concern=cause,
        position=position,
    )


def _area(inspection, text, position):
    return services.item_create(
        inspection=inspection, kind=ItemKind.AREA_FOR_IMPROVEMENT, text=text, position=position
    )


def dashboard(user, today: date) -> dict[str, int]:
    """What the user's dashboards count, straight from the database: the headline numbers,
    every item and the open ones."""
    items = item_selectors.items_for_user(user)
    return {
        **item_selectors.dashboard_figures(items, today=today)[0],
        "total": items.count(),
        "open": items.filter(status__in=[s.value for s in OPEN_STATUSES]).count(),
    }


def _move(time_machine, day: date, hour: int = 12) -> None:
    time_machine.move_to(at(day, hour), tick=False)


@pytest.fixture
def year(time_machine, force, other_force, lead, inspector, other_lead, settings):
    """Everything the reports tests read: items, their history and what the dashboard said at
    the end of the second quarter."""
    settings.NOTIFICATIONS_SEND_EAGERLY = False
    move = lambda day, hour=12: _move(time_machine, day, hour)  # noqa: E731
    inspector.inspected_forces.add(other_force)  # one inspector for both forces
    inspector._inspected_force_ids = None

    move(date(2025, 1, 15))
    peel = Inspection.objects.create(
        force=force,
        title="PEEL 2023–2025: Cleveland Police",
        programme=Programme.PEEL,
        published_on=date(2025, 1, 10),
    )
    GradedJudgment.objects.create(inspection=peel, area="investigating crime", grade="adequate")
    GradedJudgment.objects.create(
        inspection=peel, area="responding to the public", grade="requires-improvement", position=1
    )
    MonitoringStageChange.objects.create(force=force, stage="engage", started_on=date(2024, 6, 1))
    cause = CauseOfConcern.objects.create(
        inspection=peel, force=force, text="The force is not recording crime accurately."
    )
    r1, r2, r3 = (
        _recommendation(
            peel, f"Within three months, the force should fix problem {n}.", cause=cause, position=n
        )
        for n in (1, 2, 3)
    )
    r4 = _recommendation(peel, "By 31 January 2025, the force should train its staff.", position=4)
    a1 = _area(peel, "The force should improve how it answers 101 calls.", 1)
    a2 = _area(peel, '=HYPERLINK("http://evil") The force should talk to victims.', 2)
    services.action_create(item=r2, user=lead, description="Buy the new IT system")
    done_action = services.action_create(item=r2, user=lead, description="Write the policy")

    move(date(2025, 3, 1))
    services.item_transition(item=r1, user=lead, transition="submit_for_review", comment="Done")
    move(date(2025, 3, 10))
    services.item_transition(item=r1, user=inspector, transition="complete", comment="Agreed")

    move(date(2025, 4, 20))
    # The force asks, the inspector agrees: an extension moves the due date.
    services.extension_request_decide(
        request=services.extension_request_create(
            item=r2,
            user=lead,
            due_on=date(2025, 8, 31),
            reason="The new IT system arrives in August.",
        ),
        user=inspector,
        approve=True,
        comment="The new IT system arrives in August.",
    )

    move(date(2025, 5, 1), 9)
    revisit = Inspection.objects.create(
        force=force,
        title="Crime data integrity revisit 2025",
        programme=Programme.REVISIT_LETTER,
        published_on=date(2025, 5, 1),
    )
    b1 = _recommendation(revisit, "Within 28 days, the force should audit its records.")
    b2 = _recommendation(
        revisit, "Within 28 days, the force should appoint a registrar.", position=1
    )

    move(date(2025, 5, 10))
    services.item_transition(item=r3, user=lead, transition="submit_for_review")
    services.item_transition(item=r4, user=lead, transition="submit_for_review")
    move(date(2025, 6, 1))
    services.action_update(
        action=done_action, user=lead, description="Write the policy", status="done"
    )
    move(date(2025, 6, 15))
    services.item_transition(item=r3, user=inspector, transition="complete", comment="Good")
    move(date(2025, 6, 20))
    services.item_transition(item=b1, user=lead, transition="submit_for_review")
    move(date(2025, 6, 25))
    services.item_transition(
        item=r4, user=inspector, transition="send_back", comment="Show the attendance records."
    )

    northshire = Inspection.objects.create(
        force=other_force,
        title="PEEL 2025: Northshire Police",
        programme=Programme.PEEL,
        published_on=date(2025, 2, 1),
    )
    move(date(2025, 2, 2))
    n1 = _recommendation(northshire, "Within three months, the force should do better.")
    n2 = _area(northshire, "The force should listen more.", 1)

    move(date(2025, 6, 30), 23)
    dashboard_at_q2_end = {user.username: dashboard(user, Q2.end) for user in (lead, inspector)}

    # After the quarter: none of this may show in the pack for the second quarter.
    move(date(2025, 7, 2))
    services.progress_update_create(item=r4, user=lead, text="Attendance records attached.")
    move(date(2025, 7, 5))
    services.item_transition(
        item=b1, user=inspector, transition="send_back", comment="Audit every division."
    )
    move(date(2025, 7, 6))
    services.item_change_due_date(
        item=b2, user=inspector, due_on=date(2025, 9, 30), reason="Registrar post re-advertised."
    )
    move(TODAY, 10)
    items = {
        name: Item.objects.get(pk=item.pk)
        for name, item in dict(r1=r1, r2=r2, r3=r3, r4=r4, a1=a1, a2=a2, b1=b1, b2=b2).items()
    }
    return SimpleNamespace(
        items=items,
        other_items=[n1, n2],
        peel=peel,
        revisit=revisit,
        cause=cause,
        dashboard_at_q2_end=dashboard_at_q2_end,
    )

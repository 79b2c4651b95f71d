"""Load the demo: Cleveland Police's real findings and a fictional second force.

Everything goes through the services, so the demo has the same timeline and rules as real
use. Statuses and dates are spread relative to the day it is run, so that some items are
overdue, some due soon, some awaiting review and some complete. Loading twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Role, User
from recommendations import services
from recommendations.demo import content as c
from recommendations.models import (
    CauseOfConcern,
    Force,
    ForceKind,
    GradedJudgment,
    Inspection,
    Item,
    ItemKind,
    Programme,
    Status,
)
from recommendations.services import HistoryEvent

DEMO_USERS = [
    # username, role, force name (None for inspector and administrator), full name
    ("cleveland-lead", Role.FORCE_LEAD, "Cleveland Police", "Casey Lead"),
    ("cleveland-owner", Role.ACTION_OWNER, "Cleveland Police", "Owen Owner"),
    ("cleveland-sponsor", Role.EXECUTIVE_SPONSOR, "Cleveland Police", "Sam Sponsor"),
    ("northshire-lead", Role.FORCE_LEAD, c.NORTHSHIRE_NAME, "Nia Lead"),
    ("inspector", Role.INSPECTOR, None, "Ira Inspector"),
    ("admin", Role.ADMINISTRATOR, None, "Ada Administrator"),
]


@dataclass
class DemoResult:
    created: bool
    usernames: list[str] = field(default_factory=list)


def demo_is_loaded() -> bool:
    return Inspection.objects.filter(title=c.CDI_TITLE, force__slug="cleveland-police").exists()


@transaction.atomic
def demo_load(*, password: str, today: date | None = None) -> DemoResult:
    """Load the demo once; a second call finds it loaded and changes nothing."""
    usernames = [u[0] for u in DEMO_USERS]
    if demo_is_loaded():
        return DemoResult(created=False, usernames=usernames)
    today = today or timezone.localdate()
    cleveland = _force("Cleveland Police")
    northshire = _force(c.NORTHSHIRE_NAME)
    users = _users(password, {"Cleveland Police": cleveland, c.NORTHSHIRE_NAME: northshire})
    users["inspector"].inspected_forces.set([cleveland, northshire])
    for stage, started_on, note in c.CLEVELAND_STAGES:
        services.force_record_monitoring_stage(
            force=cleveland, user=users["inspector"], stage=stage, started_on=started_on, note=note
        )
    _crime_data_integrity(cleveland, users, today)
    _peel_2021_22(cleveland, users)
    _inspection(
        cleveland,
        c.PEEL_2325_TITLE,
        Programme.PEEL,
        c.PEEL_2325_PUBLISHED_ON,
        c.PEEL_2325_JUDGMENTS,
        short_name=c.PEEL_2325_SHORT_NAME,
    )
    _northshire(northshire, users, today)
    # The dashboard's history chart reads snapshots: rebuild the past year from the timeline.
    services.snapshot_backfill(today=today)
    services.snapshot_record(on=today)
    return DemoResult(created=True, usernames=usernames)


def _force(name: str) -> Force:
    return Force.objects.create(name=name, slug=slugify(name), kind=ForceKind.POLICE)


def _users(password: str, forces: dict[str, Force]) -> dict[str, User]:
    users = {}
    for username, role, force_name, full_name in DEMO_USERS:
        first, last = full_name.split(" ", 1)
        user = User(
            username=username,
            email=f"{username}@example.com",
            first_name=first,
            last_name=last,
            role=role,
            force=forces.get(force_name) if force_name else None,
            is_staff=role == Role.ADMINISTRATOR,
            is_superuser=role == Role.ADMINISTRATOR,
        )
        user.set_password(password)
        user.save()
        users[username] = user
    return users


def _inspection(force, title, programme, published_on, judgments, **extra) -> Inspection:
    inspection = Inspection.objects.create(
        force=force, title=title, programme=programme, published_on=published_on, **extra
    )
    GradedJudgment.objects.bulk_create(
        GradedJudgment(inspection=inspection, area=area, grade=grade, position=n)
        for n, (area, grade) in enumerate(judgments)
    )
    return inspection


def _recommendation(inspection, cause, text, n, reference="", history=()) -> Item:
    return services.item_create(
        inspection=inspection,
        kind=ItemKind.RECOMMENDATION,
        cause_of_concern=cause,
        text=text,
        reference=reference,
        position=n,
        history=[HistoryEvent(inspection.published_on, Status.AWAITING_REVIEW), *history],
    )


def _crime_data_integrity(force: Force, users: dict[str, User], today: date) -> None:
    lead, owner, inspector = users["cleveland-lead"], users["cleveland-owner"], users["inspector"]
    inspection = _inspection(
        force,
        c.CDI_TITLE,
        Programme.CRIME_DATA_INTEGRITY,
        c.CDI_PUBLISHED_ON,
        c.CDI_JUDGMENTS,
        reference=c.CDI_REFERENCE,
        short_name=c.CDI_SHORT_NAME,
    )
    cause = CauseOfConcern.objects.create(
        inspection=inspection, force=force, reference=c.CDI_REFERENCE, text=c.CDI_CAUSE_OF_CONCERN
    )
    histories = [
        [
            HistoryEvent(
                date(2018, 12, 10),
                Status.BEING_PROGRESSED,
                "Control room review started; evidence of supervision checks awaited.",
            ),
            HistoryEvent(
                date(2019, 6, 14),
                Status.COMPLETE,
                "Closure authorised: supervision of incident closures now checked.",
            ),
        ],
        [
            HistoryEvent(
                date(2019, 3, 1),
                Status.BEING_PROGRESSED,
                "Call handling arrangements partly in place; more evidence needed.",
            )
        ],
        [],
    ]
    items = [
        _recommendation(inspection, cause, text, n, f"{c.CDI_REFERENCE}/{n + 1}", history)
        for n, (text, history) in enumerate(zip(c.CDI_RECOMMENDATIONS, histories, strict=True))
    ]
    call_handling, training = items[1], items[2]
    services.item_assign_owner(item=call_handling, user=lead, owner=owner)
    services.action_create(
        item=call_handling,
        user=lead,
        owner=owner,
        target_on=today + timedelta(days=7),
        description="Audit 200 call summaries against attending officers' accounts.",
    )
    # The force asks for more time; the inspector agrees (DAO 02/20: never the force alone).
    extension = services.extension_request_create(
        item=call_handling,
        user=lead,
        due_on=today + timedelta(days=12),
        reason="The call audit needs another month of samples (demo).",
    )
    services.extension_request_decide(
        request=extension,
        user=inspector,
        approve=True,
        comment="Agreed with the force liaison lead after the call audit (demo).",
    )
    services.evidence_add(
        item=training,
        user=lead,
        description="Crime recording training plan and attendance",
        url="https://www.example.com/cleveland/crime-recording-training",
    )
    services.progress_update_create(
        item=training,
        user=owner,
        text="All control room staff completed the first-account training module.",
    )
    services.item_transition(
        transition="submit_for_review",
        item=training,
        user=lead,
        comment="Training delivered; attendance records attached.",
    )


def _peel_2021_22(force: Force, users: dict[str, User]) -> None:
    lead, owner, inspector = users["cleveland-lead"], users["cleveland-owner"], users["inspector"]
    inspection = _inspection(
        force,
        c.PEEL_2122_TITLE,
        Programme.PEEL,
        c.PEEL_2122_PUBLISHED_ON,
        c.PEEL_2122_JUDGMENTS,
        source_url=c.PEEL_2122_URL,
        short_name=c.PEEL_2122_SHORT_NAME,
    )
    prevention = CauseOfConcern.objects.create(
        inspection=inspection, force=force, text=c.PEEL_2122_PREVENTION_CONCERN, position=0
    )
    efficiency = CauseOfConcern.objects.create(
        inspection=inspection, force=force, text=c.PEEL_2122_EFFICIENCY_CONCERN, position=1
    )
    progressing = [
        HistoryEvent(
            date(2023, 6, 1), Status.BEING_PROGRESSED, "Force plan received; work under way."
        )
    ]
    direction, integrate, _evidence_based = (
        _recommendation(inspection, prevention, text, n, history=history)
        for n, (text, history) in enumerate(
            zip(
                c.PEEL_2122_PREVENTION_RECOMMENDATIONS,
                [
                    progressing,
                    progressing,
                    [
                        *progressing,
                        HistoryEvent(
                            date(2024, 11, 20), Status.AWAITING_REVIEW, "Evaluation library live."
                        ),
                        HistoryEvent(
                            date(2025, 1, 15),
                            Status.COMPLETE,
                            "Closure authorised after the revisit.",
                        ),
                    ],
                ],
                strict=True,
            )
        )
    )
    services.item_assign_owner(item=direction, user=lead, owner=owner)
    services.action_create(
        item=direction,
        user=lead,
        owner=owner,
        description="Publish a force prevention strategy with named leads for each district.",
    )
    services.progress_update_create(
        item=direction,
        user=owner,
        text="Draft prevention strategy circulated to district leads.",
    )
    services.evidence_add(
        item=integrate,
        user=lead,
        description="Problem-solving hub terms of reference",
        url="https://www.example.com/cleveland/problem-solving-hub",
    )
    services.item_transition(
        transition="submit_for_review", item=integrate, user=lead, comment="Hub running since May."
    )
    for n, text in enumerate(c.PEEL_2122_EFFICIENCY_RECOMMENDATIONS):
        _recommendation(inspection, efficiency, text, n + 3, history=progressing)

    outcomes = [
        [
            *progressing,
            HistoryEvent(date(2024, 9, 2), Status.AWAITING_REVIEW),
            HistoryEvent(date(2024, 10, 1), Status.COMPLETE, "Communications strategy in place."),
        ],
        progressing,
        progressing,
        progressing,
        [
            *progressing,
            HistoryEvent(
                date(2025, 4, 10),
                Status.NO_FURTHER_ACTION_NEEDED,
                "Superseded by the PEEL 2023–2025 findings on victims.",
            ),
        ],
        [],
        progressing,
        progressing,
        [],
        [],
    ]
    for n, (text, history) in enumerate(
        zip(c.PEEL_2122_AREAS_FOR_IMPROVEMENT, outcomes, strict=True)
    ):
        services.item_create(
            inspection=inspection,
            kind=ItemKind.AREA_FOR_IMPROVEMENT,
            text=text,
            position=10 + n,
            history=[HistoryEvent(inspection.published_on, Status.AWAITING_REVIEW), *history],
        )
    del inspector


def _northshire(force: Force, users: dict[str, User], today: date) -> None:
    lead = users["northshire-lead"]
    inspection = _inspection(
        force,
        c.NORTHSHIRE_TITLE,
        Programme.THEMATIC,
        today - timedelta(days=120),
        [("custody services", "requires-improvement")],
        short_name=c.NORTHSHIRE_SHORT_NAME,
    )
    cause = CauseOfConcern.objects.create(
        inspection=inspection, force=force, reference="N-1", text=c.NORTHSHIRE_CONCERN
    )
    audit, training = (
        _recommendation(inspection, cause, text, n, f"N-1/{n + 1}")
        for n, text in enumerate(c.NORTHSHIRE_RECOMMENDATIONS)
    )
    services.action_create(
        item=audit,
        user=lead,
        description="Visit each custody suite and sample 50 records.",
        target_on=today + timedelta(days=14),
    )
    services.progress_update_create(item=training, user=lead, text="Course booked for March.")
    services.item_create(
        inspection=inspection,
        kind=ItemKind.AREA_FOR_IMPROVEMENT,
        text=c.NORTHSHIRE_AREA_FOR_IMPROVEMENT,
        position=5,
    )

"""A register world: one published inspection with a full history, and unpublished data
around it that must never reach a public page."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from recommendations import services
from recommendations.models import TimelineEntry, TimelineKind
from tests import factories

TODAY = date(2025, 3, 10)
# Nothing of these may ever appear on a public page.
SECRETS = (
    "SECRET-UNPUBLISHED-ITEM",
    "SECRET-OTHER-FORCE-ITEM",
    "SECRET-WITHDRAWN-ITEM",
    "SECRET-ACTION",
    "SECRET-EVIDENCE",
    "SECRET-PROGRESS",
    "SECRET-SUBMISSION-COMMENT",
    "SECRET-PRIVATE-DECISION",
    "Secretname",  # the force lead's surname
    "Ownername",  # the action owner's surname
    "Inspectorname",  # the inspector's surname
    "@example.gov.uk",  # anyone's e-mail address
)


@pytest.fixture(autouse=True)
def _frozen(time_machine, settings):
    time_machine.move_to(datetime(2025, 3, 10, 9, tzinfo=ZoneInfo("Europe/London")), tick=False)
    settings.SITE_URL = "https://tracker.example.gov.uk"
    settings.TRACKER_REGISTER_AREAS_FOR_IMPROVEMENT = True


def _named(user, first: str, last: str):
    user.first_name, user.last_name = first, last
    user.save()
    return user


@pytest.fixture
def world(force, other_force, lead, owner, inspector, other_lead, time_machine):
    _named(lead, "Sally", "Secretname")
    _named(owner, "Olly", "Ownername")
    _named(inspector, "Ivan", "Inspectorname")
    published = factories.InspectionFactory(
        force=force, title="PEEL 2021/22 assessment", published_on=date(2022, 5, 20)
    )
    recommendation = factories.ItemFactory(
        inspection=published,
        reference="9207/2",
        text="PUBLISHED-RECOMMENDATION: the force should audit crime records.",
        due_on=TODAY + timedelta(days=30),
        owner=owner,
        new=True,
    )
    area = factories.AreaForImprovementFactory(
        inspection=published, text="PUBLISHED-AREA: the force should improve call handling."
    )
    factories.ActionFactory(item=recommendation, owner=owner, description="SECRET-ACTION plan")
    factories.LinkEvidenceFactory(
        item=recommendation, uploaded_by=lead, description="SECRET-EVIDENCE file"
    )
    services.progress_update_create(item=recommendation, user=lead, text="SECRET-PROGRESS note")
    time_machine.shift(timedelta(days=1))
    services.item_transition(
        item=recommendation,
        user=lead,
        transition="submit_for_review",
        comment="SECRET-SUBMISSION-COMMENT",
    )
    time_machine.shift(timedelta(days=1))
    services.item_transition(
        item=recommendation,
        user=inspector,
        transition="send_back",
        comment="SECRET-PRIVATE-DECISION: more needed",
    )
    time_machine.shift(timedelta(days=1))
    services.item_transition(
        item=recommendation, user=lead, transition="submit_for_review", comment=""
    )
    time_machine.shift(timedelta(days=1))
    services.item_transition(
        item=recommendation,
        user=inspector,
        transition="complete",
        comment="PUBLIC-CLOSING-COMMENT: the audit is done.",
    )
    closing = TimelineEntry.objects.filter(item=recommendation, transition="complete").get()
    services.timeline_entry_set_public(entry=closing, user=inspector, public=True)

    unpublished = factories.InspectionFactory(force=force, title="Unpublished letter")
    hidden = factories.ItemFactory(inspection=unpublished, text="SECRET-UNPUBLISHED-ITEM text")
    other = factories.ItemFactory(
        inspection__force=other_force, text="SECRET-OTHER-FORCE-ITEM text"
    )
    withdrawn_inspection = factories.InspectionFactory(force=force, title="Withdrawn report")
    withdrawn = factories.ItemFactory(
        inspection=withdrawn_inspection, text="SECRET-WITHDRAWN-ITEM text"
    )
    services.inspection_publish(inspection=published, user=inspector)
    services.inspection_publish(inspection=withdrawn_inspection, user=inspector)
    services.inspection_unpublish(inspection=withdrawn_inspection, user=inspector)
    # A public flag on an entry of a kind that may not be public is still never shown.
    TimelineEntry.objects.create(
        item=recommendation,
        kind=TimelineKind.ACTION_ADDED,
        comment="SECRET-ACTION added",
        public=True,
    )
    time_machine.shift(timedelta(days=1))
    return SimpleNamespace(
        published=published,
        recommendation=recommendation,
        area=area,
        unpublished=unpublished,
        hidden=hidden,
        other=other,
        withdrawn_inspection=withdrawn_inspection,
        withdrawn=withdrawn,
    )

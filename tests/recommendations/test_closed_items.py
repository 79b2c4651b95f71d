"""Closed items (and closed causes of concern) refuse every change, through one check.

Every public write service of `services.work`, `services.findings` and `services.oversight`
is listed here, so a new one without a case fails `test_every_write_service_is_covered`.
Each case passes the service an object loaded while it was open and closed since (another
tab, another user), because that is how a change to a closed item arrives in practice.
"""

from __future__ import annotations

import inspect
import threading
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from notifications.models import Notification
from recommendations.deadlines import parse_deadline
from recommendations.models import (
    Action,
    CauseOfConcern,
    Evidence,
    Item,
    ItemKind,
    MonitoringStageChange,
    ProgressUpdate,
    Status,
    TimelineEntry,
)
from recommendations.services import extensions, findings, oversight, work
from tests import factories
from tracker.errors import NotAllowed

pytestmark = pytest.mark.django_db

SERVICE_MODULES = (work, findings, oversight, extensions)
NOT_ABOUT_ITEMS = {
    # A force is never closed: recording its monitoring stage changes no item.
    "force_record_monitoring_stage",
    # Reopening acts on a closed cause of concern by design.
    "cause_of_concern_reopen",
    # Helpers that change nothing themselves: a reference for a new item, a warning's words.
    "item_reference_allocate",
    "open_recommendations_warning",
}


def _pdf(name: str = "late.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% late\n", content_type="application/pdf")


# Service name -> call with valid arguments for the open object in `world`.
CASES = {
    "action_create": lambda w: work.action_create(
        item=w.item, user=w.lead, description="Train staff", owner=w.owner
    ),
    "action_update": lambda w: work.action_update(
        action=w.action, user=w.lead, description="Train all staff", status="done"
    ),
    "progress_update_create": lambda w: work.progress_update_create(
        item=w.item, user=w.lead, text="Policy rewritten"
    ),
    "evidence_add": lambda w: work.evidence_add(
        item=w.item, user=w.lead, description="Policy", file=_pdf()
    ),
    "evidence_add (link)": lambda w: work.evidence_add(
        item=w.item, user=w.lead, description="Policy", url="https://example.gov.uk/p"
    ),
    "action_update_with_note": lambda w: work.action_update_with_note(
        action=w.action, user=w.lead, status="done", note="Finished"
    ),
    "item_change_due_date": lambda w: findings.item_change_due_date(
        item=w.item, user=w.inspector, due_on=date(2024, 9, 30), reason="More time"
    ),
    "extension_request_create": lambda w: extensions.extension_request_create(
        item=w.item, user=w.lead, due_on=date(2099, 9, 30), reason="More time"
    ),
    "extension_request_decide": lambda w: extensions.extension_request_decide(
        request=w.extension, user=w.inspector, approve=True
    ),
    "item_assign_owner": lambda w: findings.item_assign_owner(
        item=w.item, user=w.lead, owner=w.owner
    ),
    "item_create": lambda w: findings.item_create(
        inspection=w.cause.inspection,
        kind=ItemKind.RECOMMENDATION,
        text="Within three months, the force should act.",
        cause_of_concern=w.cause,
    ),
    "item_import": lambda w: findings.item_import(
        inspection=w.cause.inspection,
        force=w.cause.force,
        kind=ItemKind.RECOMMENDATION,
        text="Within three months, the force should act.",
        reference="",
        cause_of_concern=w.cause,
        deadline=parse_deadline("Within three months"),
        status=Status.AWAITING_REVIEW,
        position=1,
        actor=w.inspector,
    ),
    "cause_of_concern_close": lambda w: oversight.cause_of_concern_close(
        cause_of_concern=w.cause,
        user=w.inspector,
        closed_on=date(2024, 5, 1),
        letter_reference="L/2",
        close_anyway=True,
    ),
}


class World:
    def __init__(self, force, lead, owner, inspector):
        self.lead, self.owner, self.inspector = lead, owner, inspector
        self.cause = factories.CauseOfConcernFactory(inspection__force=force)
        self.item = factories.ItemFactory(
            inspection=self.cause.inspection,
            cause_of_concern=self.cause,
            status=Status.BEING_PROGRESSED,
        )
        self.action = factories.ActionFactory(item=self.item, owner=owner)
        asked = factories.ItemFactory(
            inspection=self.cause.inspection, status=Status.BEING_PROGRESSED
        )
        self.extension = factories.ExtensionRequestFactory(item=asked, requested_by=lead)

    def close(self, status: str) -> None:
        """Close the item and its cause of concern in the database only: the objects held
        here stay as they were loaded, open."""
        Item.objects.filter(pk__in=[self.item.pk, self.extension.item_id]).update(status=status)
        CauseOfConcern.objects.filter(pk=self.cause.pk).update(
            closed_on=date(2024, 4, 1), closing_letter_reference="L/1"
        )


@pytest.fixture
def world(force, lead, owner, inspector):
    return World(force, lead, owner, inspector)


def snapshot() -> tuple:
    return (
        list(Item.objects.values_list("pk", "status", "due_on", "owner_id").order_by("pk")),
        list(Action.objects.values_list("pk", "description", "status", "owner_id")),
        list(CauseOfConcern.objects.values_list("pk", "closed_on", "closing_letter_reference")),
        *(
            model.objects.count()
            for model in (
                ProgressUpdate,
                Evidence,
                TimelineEntry,
                MonitoringStageChange,
                Notification,
            )
        ),
    )


def test_every_write_service_is_covered():
    public = {
        name
        for module in SERVICE_MODULES
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
    }
    covered = {name.split(" ")[0] for name in CASES} | NOT_ABOUT_ITEMS
    assert public - covered == set(), "a write service has no closed-item case here"
    assert covered - public == set(), "a case names a service that no longer exists"


@pytest.mark.parametrize("status", [Status.COMPLETE, Status.NO_FURTHER_ACTION_NEEDED])
@pytest.mark.parametrize("service", CASES)
def test_write_services_refuse_closed_items(
    world, service, status, settings, django_capture_on_commit_callbacks, mailoutbox
):
    world.close(status)
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotAllowed) as refused:
        CASES[service](world)

    assert "cannot be changed" in refused.value.message
    assert snapshot() == before
    assert mailoutbox == []
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.parametrize("service", CASES)
def test_the_same_calls_succeed_on_open_items(world, service):
    """The cases above are valid calls: only the closure makes them fail."""
    CASES[service](world)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (Status.COMPLETE, "This item is complete, so it is locked"),
        (Status.NO_FURTHER_ACTION_NEEDED, "This item needs no further action, so it is locked"),
    ],
)
def test_the_refusal_says_why(world, status, message):
    world.close(status)
    with pytest.raises(NotAllowed) as refused:
        CASES["item_assign_owner"](world)
    assert refused.value.message.startswith(message)
    assert "reopens" in refused.value.message


def test_owner_of_a_complete_item_cannot_be_changed_through_the_page(client, world, mailoutbox):
    world.close(Status.COMPLETE)
    client.force_login(world.lead)
    before = snapshot()

    response = client.post(
        reverse("recommendations:item-owner", args=[world.item.pk]),
        {"owner-owner": world.owner.pk},
    )

    assert response.status_code == 400
    assert "This item is complete, so it is locked" in response.content.decode()
    assert snapshot() == before
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_writers_in_many_threads_at_once_all_succeed(force, lead, owner):
    """The check runs in every web server thread at once: it must not trip over itself (a
    re-read through django-fsm's `refresh_from_db` did, lifting the status field's protection
    on the class for one thread while another re-read)."""
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database shares one cache between threads: table locks")
    item = factories.ItemFactory(inspection__force=force, status=Status.BEING_PROGRESSED)
    threads, rounds = 8, 5
    start, failures = threading.Barrier(threads), []

    def write(n: int) -> None:
        try:
            start.wait()
            for round_ in range(rounds):
                mine = Item.objects.get(pk=item.pk)
                work.progress_update_create(item=mine, user=lead, text=f"{n}/{round_}")
                findings.item_assign_owner(item=mine, user=lead, owner=owner)
        except Exception as error:  # reported below, from the main thread
            failures.append(repr(error))
        finally:
            connection.close()

    running = [threading.Thread(target=write, args=(n,)) for n in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()

    assert failures == []
    assert ProgressUpdate.objects.filter(item=item).count() == threads * rounds

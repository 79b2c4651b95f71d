"""Events: planned in the same transaction as the change, sent after commit."""

from datetime import date

import pytest
from django.db import transaction
from django_q.models import OrmQ

from notifications import tasks
from notifications.models import Kind, Notification, State
from recommendations import services
from recommendations.models import Status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(force, owner):
    return factories.ItemFactory(
        inspection__force=force,
        reference="9207/2",
        due_on=date(2027, 6, 1),
        owner=owner,
        status=Status.BEING_PROGRESSED,
    )


def told(kind) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def test_submitted_for_review_tells_the_forces_inspectors(
    item, lead, owner, inspector, other_inspector
):
    services.item_transition(transition="submit_for_review", item=item, user=lead)
    assert told(Kind.SUBMITTED) == ["inspector"]


def test_review_decisions_tell_the_force_lead_and_owners(
    item, lead, owner, sponsor, inspector, other_lead
):
    action_owner = factories.ActionOwnerFactory(force=item.force, username="action-owner")
    factories.ActionFactory(item=item, owner=action_owner)
    services.item_transition(transition="submit_for_review", item=item, user=lead)
    services.item_transition(
        transition="send_back", item=item, user=inspector, comment="More evidence, please."
    )
    assert told(Kind.REVIEW_DECISION) == ["action-owner", "lead", "owner"]
    services.item_transition(transition="submit_for_review", item=item, user=lead)
    services.item_transition(transition="complete", item=item, user=inspector, comment="Done.")
    services.item_transition(
        transition="reopen", item=item, user=inspector, comment="Reopened after the revisit."
    )
    services.item_transition(
        transition="stop_tracking", item=item, user=inspector, comment="Superseded."
    )
    assert len(told(Kind.REVIEW_DECISION)) == 4 * 3


def test_a_due_date_change_tells_the_inspectors_but_not_the_one_who_made_it(
    item, lead, force, inspector, other_inspector
):
    colleague = factories.InspectorFactory(username="colleague", forces=[force])
    services.item_change_due_date(
        item=item, user=inspector, due_on=date(2027, 8, 1), reason="Revisit moved"
    )
    assert told(Kind.DUE_DATE_CHANGED) == ["colleague"]
    assert colleague


def test_assignment_tells_the_new_owner_once_per_action(item, lead, owner, force):
    second = factories.ActionOwnerFactory(force=force, username="second-owner")
    services.item_assign_owner(item=item, user=lead, owner=owner)
    action = services.action_create(item=item, user=lead, description="Audit", owner=second)
    services.action_update(action=action, user=lead, description="Audit 200", owner=second)
    services.action_update(action=action, user=lead, description="Audit 300", owner=lead)
    assert told(Kind.ASSIGNED) == ["owner", "second-owner"]  # the lead assigned it to themself


def test_closing_a_cause_of_concern_tells_the_force_leads(force, lead, inspector, other_lead):
    cause = factories.CauseOfConcernFactory(inspection__force=force, reference="9207")
    services.cause_of_concern_close(
        cause_of_concern=cause, user=inspector, closed_on=date(2026, 1, 5), letter_reference="L1"
    )
    assert told(Kind.CAUSE_OF_CONCERN_CLOSED) == ["lead"]


def test_the_email_links_to_the_entry_the_change_wrote(item, lead, inspector):
    services.item_transition(
        transition="submit_for_review", item=item, user=lead, comment="All done."
    )
    entry = Notification.objects.get(kind=Kind.SUBMITTED).timeline_entry
    assert (entry.item, entry.transition, entry.comment) == (item, "submit_for_review", "All done.")


def test_the_forces_own_work_and_a_reopened_cause_of_concern_tell_nobody(
    force, item, lead, owner, inspector
):
    services.progress_update_create(item=item, user=owner, text="Halfway there.")
    services.evidence_add(item=item, user=owner, description="Audit", url="https://example.org/a")
    assert not Notification.objects.exists()
    cause = factories.CauseOfConcernFactory(inspection__force=force, reference="9207")
    services.cause_of_concern_close(
        cause_of_concern=cause, user=inspector, closed_on=date(2026, 1, 5), letter_reference="L1"
    )
    Notification.objects.all().delete()
    services.cause_of_concern_reopen(cause_of_concern=cause, user=inspector, reason="Revisit.")
    assert not Notification.objects.exists()


def test_a_rolled_back_change_plans_nothing(item, lead, inspector):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.item_transition(transition="submit_for_review", item=item, user=lead)
        assert told(Kind.SUBMITTED) == ["inspector"]
        raise RuntimeError("the request failed after the change")
    assert not Notification.objects.exists()


def test_events_are_sent_after_commit_not_before(
    settings, item, lead, inspector, mailoutbox, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_SEND_EAGERLY = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.item_transition(transition="submit_for_review", item=item, user=lead)
        assert mailoutbox == []
    assert mailoutbox == []  # the transaction has not committed yet
    for callback in callbacks:
        callback()
    assert [m.subject for m in mailoutbox] == [
        "Submitted for review: Cleveland Police, recommendation 9207/2"
    ]
    assert Notification.objects.get().state == State.SENT


def test_after_commit_django_q_gets_a_task_that_takes_ids(
    item, lead, inspector, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.item_transition(transition="submit_for_review", item=item, user=lead)
    assert OrmQ.objects.count() == 1
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert mailoutbox == []
    tasks.send_notifications(ids)  # what the worker runs
    assert len(mailoutbox) == 1
    tasks.send_notifications(ids)  # a retried task sends nothing more
    assert len(mailoutbox) == 1


def test_after_commit_celery_gets_a_task_that_takes_ids(
    settings, monkeypatch, item, lead, inspector, django_capture_on_commit_callbacks
):
    from tracker.celery import app

    settings.TRACKER_TASK_RUNNER = "celery"
    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, args: sent.append((name, args)))
    with django_capture_on_commit_callbacks(execute=True):
        services.item_transition(transition="submit_for_review", item=item, user=lead)
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert sent == [("notifications.send_notifications", [ids])]


def test_a_runner_that_is_down_does_not_fail_the_change(
    settings, monkeypatch, item, lead, inspector, django_capture_on_commit_callbacks, clock, run
):
    from tracker.celery import app

    settings.TRACKER_TASK_RUNNER = "celery"
    clock(date(2026, 11, 24))  # the change and the catching-up run happen on the same day

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is restarting")

    monkeypatch.setattr(app, "send_task", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        services.item_transition(transition="submit_for_review", item=item, user=lead)
    # The scheduled run (or send_reminders) sends what the runner did not.
    assert run(date(2026, 11, 24))["sent"] == 1

"""What each e-mail says: subjects that say what and when, and a link to the item."""

from datetime import date

import pytest
from django.urls import reverse

from notifications import emails
from notifications.models import Kind
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


def subjects_to(mailoutbox, user) -> list[str]:
    return [m.subject for m in mailoutbox if m.to == [user.email]]


def test_event_subjects(run, clock, mailoutbox, item, force, lead, owner, inspector):
    clock(date(2026, 11, 23))
    colleague = factories.InspectorFactory(username="colleague", forces=[force])
    services.item_change_due_date(
        item=item, user=colleague, due_on=date(2027, 7, 1), reason="Agreed"
    )
    services.item_transition(
        transition="submit_for_review", item=item, user=lead, comment="Evidence attached."
    )
    services.item_transition(
        transition="send_back", item=item, user=inspector, comment="Attach the audit."
    )
    services.item_transition(transition="submit_for_review", item=item, user=lead)
    services.item_transition(transition="complete", item=item, user=inspector, comment="Done.")
    services.item_transition(
        transition="reopen", item=item, user=inspector, comment="Revisit found gaps."
    )
    services.item_transition(
        transition="stop_tracking", item=item, user=inspector, comment="Superseded."
    )
    cause = factories.CauseOfConcernFactory(inspection__force=force, reference="9207")
    services.cause_of_concern_close(
        cause_of_concern=cause, user=inspector, closed_on=date(2026, 11, 20), letter_reference="L"
    )
    run(date(2026, 11, 23))
    about = "Cleveland Police, recommendation 9207/2"
    assert subjects_to(mailoutbox, inspector) == [
        f"Due date changed to 1 July 2027: {about}",
        f"Submitted for review: {about}",
        f"Submitted for review: {about}",
    ]
    assert subjects_to(mailoutbox, owner) == [
        f"Sent back: {about}",
        f"Closure authorised: {about}",
        f"Reopened: {about}",
        f"Tracking stopped: {about}",
    ]
    assert (
        subjects_to(mailoutbox, lead)[-1]
        == "Cause of concern closed: Cleveland Police, cause of concern 9207"
    )
    sent_back = next(m for m in mailoutbox if m.subject.startswith("Sent back"))
    assert "Inspector’s comment:\nAttach the audit." in sent_back.body
    assert f"http://127.0.0.1:8000/items/{item.pk}/" in sent_back.body


def test_items_without_a_reference_are_named_by_the_reference_the_pages_show(force):
    inspection = factories.InspectionFactory(force=force, title="PEEL 2021/22: Cleveland")
    factories.ItemFactory(inspection=inspection, reference="")
    item = factories.ItemFactory(inspection=inspection, reference="")

    assert emails.item_label(item) == "Cleveland Police, recommendation PEEL 2021/22 R2"


def test_the_item_link_uses_the_item_page(item):
    assert emails.item_path(item.pk) == reverse("recommendations:item-detail", args=[item.pk])


def test_headlines_before_the_due_date(item, lead):
    row = factories.NotificationFactory(item=item, recipient=lead, kind=Kind.DUE_REMINDER)
    assert emails.headline(row, date(2027, 5, 2)) == "Due in 30 days"
    assert emails.headline(row, date(2027, 5, 31)) == "Due tomorrow"
    assert emails.headline(row, date(2027, 6, 1)) == "Due today"
    row.kind = Kind.OVERDUE
    assert emails.headline(row, date(2027, 6, 2)) == "Overdue by 1 day"
    assert emails.headline(row, date(2030, 6, 1)) == "Overdue by 1,096 days"

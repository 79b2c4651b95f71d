"""An action owner's day in a real browser: they sign in and land on My work, update their
action from the list with a progress note, then find the e-mail about the assignment in
their inbox, open it (it is marked read) and arrive at the item."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from notifications.models import Kind, Notification, State
from recommendations import services
from recommendations.models import ActionStatus, Item, ItemKind, ProgressUpdate, Status
from tests import factories
from tests.browser.conftest import assert_no_console_errors, fill_date, log_in, visit
from tests.browser.test_accessibility import blocking_violations, describe

pytestmark = pytest.mark.browser


@pytest.fixture
def assigned(settings, force, lead, owner) -> Item:
    """A recommendation the lead owns, and an action on it the lead gives to the owner: the
    assignment e-mail is sent straight away, as the runner would after the commit."""
    settings.NOTIFICATIONS_SEND_EAGERLY = True
    today = timezone.localdate()
    inspection = factories.InspectionFactory(
        force=force,
        title="PEEL 2025: an inspection of Cleveland Police",
        published_on=today - timedelta(days=30),
    )
    item = services.item_create(
        inspection=inspection,
        kind=ItemKind.RECOMMENDATION,
        reference="R1",
        text="Within three months, the force should review how it records reports of crime.",
        status=Status.BEING_PROGRESSED,
    )
    services.item_assign_owner(item=item, user=lead, owner=lead)
    services.action_create(
        item=item,
        user=lead,
        description="Audit 200 incident logs",
        owner=owner,
        target_on=today + timedelta(days=14),
    )
    notification = Notification.objects.get(recipient=owner, kind=Kind.ASSIGNED)
    assert notification.state == State.SENT
    return item


def nav(page):
    return page.get_by_role("navigation", name="Menu")


def test_action_owner_updates_work_from_my_work_and_reads_the_inbox(page, console_errors, assigned):
    item = assigned
    target = timezone.localdate() + timedelta(days=21)

    # --- Signs in and lands on My work, with one unread message in the header. -----------------
    log_in(page, "owner", console_errors)
    expect(page).to_have_url(re.compile(r"/my-work/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    expect(nav(page).get_by_role("link", name="Notifications")).to_contain_text("1 unread")
    card = page.locator(".govuk-summary-card").filter(
        has=page.get_by_role("link", name="Recommendation R1")
    )
    expect(card).to_contain_text("Your action: Audit 200 incident logs")
    expect(card).to_contain_text("You own an action")
    expect(card).to_contain_text("Not started")
    violations = blocking_violations(page)
    assert not violations, f"axe, My work:\n{describe(violations)}"

    # --- Updates the action from the list: status, target date and a note. ---------------------
    card.locator("summary", has_text="Update this action").click()
    card.get_by_label("Status").select_option(label="In progress")
    fill_date(card, "Target date", target)
    card.get_by_label("Progress note").fill("First 120 logs audited; no errors found.")
    card.get_by_role("button", name=re.compile("^Save")).click()
    expect(page).to_have_url(re.compile(r"/my-work/$"))
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Action updated: Audit 200 incident logs")
    expect(card).to_contain_text("In progress")
    expect(card).to_contain_text(target.strftime("%-d %b %Y"))
    action = item.actions.get()
    assert (action.status, action.target_on) == (ActionStatus.IN_PROGRESS, target)
    assert ProgressUpdate.objects.get(item=item).text == "First 120 logs audited; no errors found."
    assert_no_console_errors(console_errors)

    # --- The inbox shows the assignment as its e-mail said it, unread. --------------------------
    nav(page).get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.get_by_role("link", name="Inbox")).to_have_attribute("aria-current", "page")
    row = page.locator("tbody tr").filter(has_text="Action assigned to you")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Unread")
    expect(row).to_contain_text("Action: Audit 200 incident logs")
    violations = blocking_violations(page)
    assert not violations, f"axe, the inbox:\n{describe(violations)}"

    # Opening it goes to the item, where the note is, and marks it read.
    row.get_by_role(
        "link", name="Action assigned to you: Cleveland Police, recommendation R1"
    ).click()
    expect(page).to_have_url(re.compile(rf"/items/{item.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Recommendation R1")
    expect(page.locator("#updates ~ div").first).to_contain_text("First 120 logs audited")
    expect(nav(page).get_by_role("link", name="Notifications")).not_to_contain_text("unread")

    visit(page, "/notifications/", console_errors)
    row = page.locator("tbody tr").filter(has_text="Action assigned to you")
    expect(row).not_to_contain_text("Unread")
    assert Notification.objects.get(recipient__username="owner").read_at is not None

    # Preferences are one tab away.
    page.get_by_role("link", name="E-mail preferences").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mail preferences")
    assert_no_console_errors(console_errors)

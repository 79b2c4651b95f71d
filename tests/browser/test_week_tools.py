"""The tools of the week in a real browser: the force lead asks for an extension and the
inspector approves it; the inspector completes several submissions in one step."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from recommendations import services
from recommendations.models import Item, ItemKind, Status
from tests import factories
from tests.browser.conftest import assert_no_console_errors, fill_date, log_in, log_out, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def inspection(force):
    today = timezone.localdate()
    return factories.InspectionFactory(
        force=force,
        title="PEEL 2025: an inspection of Cleveland Police",
        published_on=today - timedelta(days=30),
    )


def _recommendation(inspection, n: int, status=Status.BEING_PROGRESSED) -> Item:
    return services.item_create(
        inspection=inspection,
        kind=ItemKind.RECOMMENDATION,
        reference=f"R{n}",
        text=f"Within three months, the force should improve area {n}.",
        status=status,
    )


def success_banner(page):
    return page.locator(".govuk-notification-banner--success")


def test_the_lead_asks_for_an_extension_and_the_inspector_approves(
    page, console_errors, inspection, lead, inspector
):
    item = _recommendation(inspection, 1)
    asked = item.due_on + timedelta(days=60)

    log_in(page, "lead", console_errors)
    visit(page, f"/items/{item.pk}/", console_errors)
    page.get_by_text("Ask for an extension", exact=True).first.click()
    extension = page.locator("form", has=page.get_by_role("button", name="Ask for an extension"))
    fill_date(extension, "New due date you are asking for", asked)
    extension.get_by_label("Why the force needs more time").fill("The audit needs a quarter.")
    extension.get_by_role("button", name="Ask for an extension").click()
    expect(success_banner(page)).to_contain_text("Extension requested")
    expect(page.get_by_text("Waiting for the inspector’s decision")).to_be_visible()
    assert_no_console_errors(console_errors)
    log_out(page, console_errors)

    log_in(page, "inspector", console_errors)
    visit(page, f"/items/{item.pk}/", console_errors)
    decision = page.locator("form", has=page.get_by_role("button", name="Save extension decision"))
    decision.get_by_role("radio", name=re.compile("^Approve")).check()
    decision.get_by_role("button", name="Save extension decision").click()
    expect(success_banner(page)).to_contain_text("Extension approved")
    due = page.locator(".govuk-summary-list__row", has_text="Due date")
    expect(due).to_contain_text(f"{asked.day} {asked:%B %Y}")
    expect(due).to_contain_text("extended 1 time")
    expect(page.locator(".app-timeline")).to_contain_text("Extension approved")
    assert_no_console_errors(console_errors)


def test_the_inspector_completes_submissions_in_one_step(
    page, console_errors, inspection, lead, inspector
):
    items = [_recommendation(inspection, n) for n in range(1, 4)]
    for item in items:
        services.item_transition(item=item, user=lead, transition="submit_for_review")

    log_in(page, "inspector", console_errors)
    visit(page, "/review/", console_errors)
    for item in items[:2]:
        page.get_by_label(re.compile(rf"^Select {re.escape(item.label)}")).check()
    panel = page.locator("#bulk-form")
    panel.get_by_role("radio", name=re.compile("^Complete")).check()
    panel.get_by_label("Comment").fill("Evidence accepted at the quarterly review.")
    panel.get_by_role("button", name="Apply to the selected items").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Changes made")
    expect(page.locator(".govuk-panel")).to_contain_text("2 items changed")
    assert_no_console_errors(console_errors)
    page.get_by_role("link", name="Go back to the list").click()
    expect(page.get_by_text("Submissions to decide (1)")).to_be_visible()
    assert [Item.objects.get(pk=i.pk).status for i in items] == [
        Status.COMPLETE,
        Status.COMPLETE,
        Status.AWAITING_REVIEW,
    ]
    log_out(page, console_errors)

"""The main journey in a real browser: the force lead works an item and submits it, the
inspector completes it from the review queue, the force lead sees it complete."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from recommendations import services
from recommendations.models import Item, ItemKind, Status
from tests import factories
from tests.browser.conftest import (
    assert_no_console_errors,
    fill_date,
    log_in,
    log_out,
    small_pdf,
    visit,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def journey_item(force, lead, inspector) -> Item:
    """Cleveland Police, its lead and inspector, a recommendation being progressed that is due
    in about two months, and one already complete (so the complete count is not trivially 0)."""
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
    assert item.due_on is not None and item.due_on > today + timedelta(days=30)
    services.item_create(
        inspection=inspection,
        kind=ItemKind.RECOMMENDATION,
        reference="R2",
        text="Within three months, the force should audit its control room.",
        status=Status.COMPLETE,
    )
    return item


def dashboard_counts(page) -> dict[str, int]:
    """The headline numbers as the page shows them."""

    def card(label: str) -> int:
        card = page.locator(".app-count-card").filter(has_text=label)
        return int(card.locator(".app-count").inner_text())

    summary = page.locator("p", has_text=re.compile(r"\d+ complete,")).inner_text()
    return {
        "overdue": card("overdue"),
        "due_soon": card("due in the next 30 days"),
        "awaiting_review": card("submitted, awaiting the inspector"),
        "returned": card("returned to you"),
        "being_progressed": card("being progressed"),
        "complete": int(re.search(r"(\d+) complete,", summary).group(1)),
    }


def success_banner(page):
    return page.locator(".govuk-notification-banner--success")


def open_details(page, summary: str):
    """Open a collapsed <details> form by clicking its summary, as a user must."""
    details = page.locator("details.govuk-details").filter(
        has=page.locator("summary", has_text=summary)
    )
    expect(details).not_to_have_attribute("open", "")
    details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    return details


def test_force_lead_submits_inspector_completes_force_lead_sees_it(
    page, console_errors, journey_item, force
):
    item = journey_item
    item_path = f"/items/{item.pk}/"
    target = timezone.localdate() + timedelta(days=21)

    # --- The force lead signs in and lands on the force's dashboard. ----------------------------
    log_in(page, "lead", console_errors)
    expect(page).to_have_url(re.compile(rf"/forces/{force.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cleveland Police")
    before = dashboard_counts(page)
    assert before["awaiting_review"] == 0
    assert before["being_progressed"] == 1
    assert before["complete"] == 1

    # Open the item from the open items table.
    page.get_by_role("link", name="Recommendation R1").click()
    expect(page).to_have_url(re.compile(rf"{item_path}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Recommendation R1")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Being progressed")
    assert_no_console_errors(console_errors)

    # --- Add an action with a target date. --------------------------------------------------------
    expect(page.get_by_text("No actions yet.")).to_be_visible()
    details = open_details(page, "Add an action")
    details.get_by_label("Description").fill("Audit a sample of 200 incident logs each month")
    fill_date(details, "Target date", target)
    details.get_by_role("button", name="Add action").click()
    expect(success_banner(page)).to_contain_text("Action added.")
    actions = page.locator("table", has=page.locator("caption", has_text="Actions"))
    expect(actions).to_contain_text("Audit a sample of 200 incident logs each month")
    expect(actions).to_contain_text(target.strftime("%-d %b %Y"))
    expect(actions).to_contain_text("Not started")
    expect(page.locator(".app-timeline")).to_contain_text("Action added")
    assert_no_console_errors(console_errors)

    # --- Change the action: the three date fields show its target; a real date is required. ----
    details = open_details(page, "Change this action")
    target_group = details.get_by_role("group", name=re.compile(r"^Target date"))
    expect(target_group.get_by_label("Day")).to_have_value(str(target.day))
    expect(target_group.get_by_label("Year")).to_have_value(str(target.year))
    target_group.get_by_label("Month").fill("13")
    details.get_by_role("button", name="Save action").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary_link = page.locator(".govuk-error-summary").get_by_role("link")
    expect(summary_link).to_have_text("Target date must be a real date")
    in_error = page.locator("input.govuk-input--error")  # the month alone is highlighted
    expect(in_error).to_have_count(1)
    assert in_error.get_attribute("name").endswith("-target_on-month")
    # Chromium logs the 400 answer to the rejected form; nothing else may be logged.
    assert len(console_errors) == 1 and "status of 400" in console_errors[0], console_errors
    console_errors.clear()
    target = target + timedelta(days=7)
    details = page.locator("details[open]").filter(has_text="Change this action")
    fill_date(details, "Target date", target)
    details.get_by_label("Status").select_option(label="In progress")
    details.get_by_role("button", name="Save action").click()
    expect(success_banner(page)).to_contain_text("Action updated.")
    expect(actions).to_contain_text(target.strftime("%-d %b %Y"))
    expect(actions).to_contain_text("In progress")
    assert_no_console_errors(console_errors)

    # --- Add a progress update. -------------------------------------------------------------------
    page.get_by_label("Progress update").fill("The crime recording policy has been rewritten.")
    page.get_by_role("button", name="Add progress update").click()
    expect(success_banner(page)).to_contain_text("Progress update added.")
    expect(page.get_by_text("No progress updates yet.")).to_have_count(0)
    expect(page.locator("#updates ~ div").first).to_contain_text(
        "The crime recording policy has been rewritten."
    )
    expect(page.locator(".app-timeline")).to_contain_text("Progress update")
    assert_no_console_errors(console_errors)

    # --- Upload evidence: a small, real PDF. ------------------------------------------------------
    details = open_details(page, "Add evidence")
    details.get_by_label("Description").fill("Crime recording audit, first quarter")
    details.get_by_label("File").set_input_files(
        files=[{"name": "audit-q1.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}]
    )
    details.get_by_role("button", name="Add evidence").click()
    expect(success_banner(page)).to_contain_text("Evidence added.")
    evidence_link = page.get_by_role("link", name="Crime recording audit, first quarter")
    expect(evidence_link).to_be_visible()
    expect(page.locator(".app-timeline")).to_contain_text("Evidence added")
    # The file is stored and downloads again, byte for byte.
    with page.expect_download() as download_info:
        evidence_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == small_pdf()
    assert_no_console_errors(console_errors)

    # --- Submit for review. -----------------------------------------------------------------------
    submit = page.locator("form").filter(
        has=page.get_by_role("button", name="Submit for review", exact=True)
    )
    submit.get_by_label("Comment for the inspector").fill(
        "Policy rewritten and first audit attached."
    )
    submit.get_by_role("button", name="Submit for review").click()
    expect(success_banner(page)).to_contain_text(
        "Submitted for review; the force's inspectors have been told."
    )
    expect(page.locator(".govuk-summary-list")).to_contain_text("Awaiting review")
    first_entry = page.locator(".app-timeline__entry").first
    expect(first_entry).to_contain_text("Status changed")
    expect(first_entry).to_contain_text("Being progressed → Awaiting review")
    expect(first_entry).to_contain_text("Policy rewritten and first audit attached.")
    # Only the inspector decides; the force lead has nothing to decide or submit now.
    expect(page.get_by_role("radio", name=re.compile("^Complete"))).to_have_count(0)
    expect(page.get_by_role("button", name="Submit for review")).to_have_count(0)
    assert_no_console_errors(console_errors)

    log_out(page, console_errors)

    # --- The inspector finds it in the review queue and completes it. -----------------------------
    log_in(page, "inspector", console_errors)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Review queue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    row = page.locator("tbody tr").filter(has=page.get_by_role("link", name="Recommendation R1"))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Cleveland Police")
    expect(row).to_contain_text(timezone.localdate().strftime("%-d %b %Y"))  # submitted today
    assert_no_console_errors(console_errors)
    row.get_by_role("link", name="Recommendation R1").click()
    expect(page).to_have_url(re.compile(rf"{item_path}$"))
    expect(page.get_by_role("link", name="Crime recording audit, first quarter")).to_be_visible()

    # First not enough: sent back with what is still needed.
    decide = page.locator("form").filter(has=page.get_by_role("button", name="Save decision"))
    decide.get_by_role("radio", name=re.compile("^Send back")).check()
    decide.get_by_label("Comment").fill("Please attach the second quarter's audit too.")
    decide.get_by_role("button", name="Save decision").click()
    expect(success_banner(page)).to_contain_text(
        "Sent back to the force; the force lead has been told."
    )
    # After the decision the page offers only what is possible now.
    expect(page.get_by_role("button", name="Save decision")).to_have_count(0)
    expect(page.get_by_role("button", name="Stop tracking")).to_have_count(1)
    assert_no_console_errors(console_errors)
    log_out(page, console_errors)

    # --- The force lead sees it returned, with what is still needed, and submits again. -----------
    log_in(page, "lead", console_errors)
    assert dashboard_counts(page)["returned"] == 1
    page.locator(".app-count-card", has_text="returned to you").get_by_role("link").click()
    page.get_by_role("link", name="Recommendation R1").click()
    returned = page.locator(".govuk-notification-banner", has_text="What is still needed")
    expect(returned).to_contain_text("Please attach the second quarter's audit too.")
    page.get_by_label("Progress update").fill("Second quarter's audit attached.")
    page.get_by_role("button", name="Add progress update").click()
    expect(page.get_by_text("What is still needed")).to_have_count(0)
    page.get_by_role("button", name="Submit for review").click()
    expect(success_banner(page)).to_contain_text("Submitted for review")
    log_out(page, console_errors)

    # --- The inspector completes it. ---------------------------------------------------------
    log_in(page, "inspector", console_errors)
    visit(page, item_path, console_errors)
    decide = page.locator("form").filter(has=page.get_by_role("button", name="Save decision"))
    decide.get_by_role("radio", name=re.compile("^Complete")).check()
    decide.get_by_label("Comment").fill("Evidence accepted: the recommendation is met.")
    decide.get_by_role("button", name="Save decision").click()
    expect(success_banner(page)).to_contain_text("Marked complete; the force lead has been told.")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Complete")
    expect(page.get_by_role("button", name="Reopen")).to_have_count(1)
    assert_no_console_errors(console_errors)

    # The queue is empty again.
    visit(page, "/review/", console_errors)
    expect(page.get_by_text("Nothing is waiting for your decision.")).to_be_visible()

    log_out(page, console_errors)

    # --- The force lead sees it complete in the timeline and in the counts. -----------------------
    log_in(page, "lead", console_errors)
    after = dashboard_counts(page)
    assert after["complete"] == before["complete"] + 1
    assert after["awaiting_review"] == 0
    assert after["being_progressed"] == 0
    expect(page.get_by_role("link", name="Recommendation R1")).to_have_count(0)  # not open now

    visit(page, item_path, console_errors)
    status_row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator("dt", has_text="Status")
    )
    expect(status_row.locator(".govuk-tag")).to_have_text("Complete")
    expect(page.locator('.govuk-summary-list [data-rag="complete"]')).to_have_text("Complete")
    timeline = page.locator(".app-timeline")
    latest = timeline.locator(".app-timeline__entry").first
    expect(latest).to_contain_text("Status changed")
    expect(latest).to_contain_text("Awaiting review → Complete")
    expect(latest).to_contain_text("Evidence accepted: the recommendation is met.")
    for kind in ("Action added", "Progress update", "Evidence added", "Created"):
        expect(timeline).to_contain_text(kind)
    # A closed item offers no more work to the force.
    expect(page.get_by_role("button", name="Add progress update")).to_have_count(0)
    assert_no_console_errors(console_errors)

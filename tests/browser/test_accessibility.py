"""axe-core on the main pages, with the demo data, as each role sees them: no serious or
critical violation, no console error (CSP violations among them), GOV.UK Frontend's styles and
scripts really loaded, and nothing wider than a 375-pixel phone screen."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from accounts.models import User
from recommendations import services
from recommendations.demo import content
from recommendations.demo.loader import demo_load
from recommendations.models import CauseOfConcern, Inspection, Item
from tests.browser.conftest import (
    PASSWORD,
    assert_no_console_errors,
    sign_in_directly,
    small_pdf,
    visit,
)

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = {"serious", "critical"}
PHONE_WIDTH = 375


@pytest.fixture
def demo_paths(live_server) -> dict[str, str]:
    """The demo, as `make run` loads it, plus a progress update and an uploaded file on the
    item page so that every section of it has content; returns the pages' paths."""
    demo_load(password=PASSWORD)
    lead = User.objects.get(username="cleveland-lead")
    item = Item.objects.get(reference=f"{content.CDI_REFERENCE}/2")
    services.progress_update_create(
        item=item, user=lead, text="Call audit under way: 120 of 200 summaries checked."
    )
    services.evidence_add(
        item=item,
        user=lead,
        description="Call audit, interim findings",
        file=SimpleUploadedFile("interim.pdf", small_pdf(), content_type="application/pdf"),
    )
    awaiting = Item.objects.get(reference=f"{content.CDI_REFERENCE}/3")
    inspection = Inspection.objects.get(title=content.PEEL_2122_TITLE)
    cause = CauseOfConcern.objects.filter(force=item.force, closed_on=None).first()
    return {
        "monitoring-stage": f"/forces/{item.force.slug}/monitoring-stage/",
        "close-cause-of-concern": f"/causes-of-concern/{cause.pk}/close/",
        "import": "/import/",
        "login": "/accounts/login/",
        "dashboard": f"/forces/{item.force.slug}/",
        "item": f"/items/{item.pk}/",
        "item-awaiting-review": f"/items/{awaiting.pk}/",
        "review-queue": "/review/",
        "inspection": f"/inspections/{inspection.pk}/",
        "force-overview": "/forces/",
    }


def blocking_violations(page) -> list[dict]:
    results = Axe().run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"      {', '.join(map(str, node['target']))}" for node in violation["nodes"])
    return "\n".join(lines)


def audit(page, paths: list[str], console_errors: list[str], *, width: int = 1200) -> list[str]:
    """Visit each page at this width; return every problem found (all pages are checked
    before the test fails, so one run reports everything)."""
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    for path in paths:
        visit(page, path, console_errors)
        violations = blocking_violations(page)
        if violations:
            problems.append(f"axe, {path} at {width}px:\n{describe(violations)}")
        if width <= PHONE_WIDTH:
            # Tables scroll inside .app-table-wrapper; the page itself must not.
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width + 1:
                problems.append(f"{path} is {scroll_width}px wide on a {width}px screen")
    return problems


def test_login_page(page, console_errors, demo_paths):
    problems = audit(page, [demo_paths["login"]], console_errors)
    problems += audit(page, [demo_paths["login"]], console_errors, width=PHONE_WIDTH)
    assert not problems, "\n".join(problems)


def test_force_lead_pages(page, console_errors, demo_paths, live_server):
    """The force dashboard and the item page, on a desktop and on a 375-pixel phone; then
    the item page showing a rejected form (error summary, message next to the field)."""
    sign_in_directly(page, live_server, "cleveland-lead")
    paths = [demo_paths["dashboard"], demo_paths["item"]]
    problems = audit(page, paths, console_errors)
    problems += audit(page, paths, console_errors, width=PHONE_WIDTH)
    assert not problems, "\n".join(problems)

    page.set_viewport_size({"width": 1200, "height": 900})
    page.get_by_role("button", name="Add progress update").click()
    # The summary links to the field, and the same message stands next to the field.
    summary_link = page.locator(".govuk-error-summary").get_by_role("link")
    expect(summary_link).to_have_attribute("href", "#id_update-text")
    message = summary_link.inner_text().strip()
    assert message
    field = page.locator(".govuk-form-group--error").filter(has=page.locator("#id_update-text"))
    expect(field.locator(".govuk-error-message")).to_contain_text(message)
    violations = blocking_violations(page)
    assert not violations, f"axe, the item page with a form error:\n{describe(violations)}"
    # The rejected form is answered with 400, which Chromium logs; nothing else may be logged.
    assert len(console_errors) == 1 and "status of 400" in console_errors[0], console_errors
    console_errors.clear()


def test_inspector_pages(page, console_errors, demo_paths, live_server):
    """Review queue, an item awaiting the inspector's decision (its decision forms), the
    inspection page and the force overview."""
    sign_in_directly(page, live_server, "inspector")
    names = ["review-queue", "item-awaiting-review", "inspection", "force-overview"]
    problems = audit(page, [demo_paths[name] for name in names], console_errors)
    assert not problems, "\n".join(problems)


def test_date_input_pages_and_their_errors(page, console_errors, demo_paths, live_server):
    """The pages with GOV.UK date inputs, on a desktop and a phone; then a date refused: the
    title starts "Error: ", the summary link moves the focus to the day, and only the part in
    error is highlighted."""
    sign_in_directly(page, live_server, "inspector")
    paths = [demo_paths[name] for name in ("monitoring-stage", "close-cause-of-concern", "import")]
    problems = audit(page, paths, console_errors)
    problems += audit(page, paths, console_errors, width=PHONE_WIDTH)
    assert not problems, "\n".join(problems)
    expect(page.locator("header").get_by_role("button", name="Sign out")).to_be_visible()
    assert page.locator('input[type="date"]').count() == 0

    page.set_viewport_size({"width": 1200, "height": 900})
    visit(page, demo_paths["monitoring-stage"], console_errors)
    page.get_by_label("Scan").check()
    stage_started = page.get_by_role("group", name=re.compile(r"^Date the stage started"))
    # Today's date is filled in; the user clears the month by mistake.
    expect(stage_started.get_by_label("Month")).not_to_have_value("")
    stage_started.get_by_label("Month").fill("")
    page.get_by_role("button", name="Record stage").click()
    expect(page).to_have_title(re.compile(r"^Error: Monitoring stage"))
    summary_link = page.locator(".govuk-error-summary").get_by_role("link")
    expect(summary_link).to_have_text("Date the stage started must include a month")
    expect(page.locator("input.govuk-input--error")).to_have_count(1)
    expect(stage_started.get_by_label("Month")).to_have_class(re.compile("govuk-input--error"))
    summary_link.click()
    expect(stage_started.get_by_label("Day")).to_be_focused()
    violations = blocking_violations(page)
    assert not violations, f"axe, a refused date:\n{describe(violations)}"
    assert len(console_errors) == 1 and "status of 400" in console_errors[0], console_errors
    console_errors.clear()


def test_error_pages(page, console_errors, live_server):
    """The styled "Page not found" page passes axe, with its own stylesheet and no console
    error apart from the 404 itself."""
    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page).to_have_title("Page not found – Inspection tracker")
    violations = blocking_violations(page)
    assert not violations, f"axe, the 404 page:\n{describe(violations)}"
    assert len(console_errors) == 1 and "status of 404" in console_errors[0], console_errors
    console_errors.clear()


def test_gov_uk_frontend_styles_fonts_and_scripts_load(page, console_errors):
    """The live server serves the compiled Sass and GOV.UK Frontend's fonts and scripts: the
    button is styled, the GOV.UK font is loaded, and the JavaScript has set up the components.
    """
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    visit(page, "/accounts/login/", console_errors)
    style = page.evaluate(
        """async () => {
            await document.fonts.ready;
            const s = getComputedStyle(document.querySelector('.govuk-button'));
            return {colour: s.color, background: s.backgroundColor, shadow: s.boxShadow,
                    font: s.fontFamily, fontLoaded: document.fonts.check('19px "GDS Transport"')};
        }"""
    )
    # Unstyled, a <button> is black on light grey with no shadow, in the system font.
    assert style["colour"] == "rgb(255, 255, 255)", style
    assert style["background"] not in ("rgba(0, 0, 0, 0)", "rgb(239, 239, 239)"), style
    assert style["shadow"] != "none", style
    assert style["font"].startswith('"GDS Transport"') and style["fontLoaded"], style
    assert "govuk-frontend-supported" in page.evaluate("document.body.className").split()
    # initAll() marks each component it has set up.
    expect(page.locator('[data-module="govuk-button"][data-govuk-button-init]')).to_have_count(1)
    assert not failed, "Failed requests:\n" + "\n".join(failed)
    assert_no_console_errors(console_errors)

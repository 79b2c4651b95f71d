"""The API's documentation page (Swagger UI) and the browsable API in a real browser, under
the site's strict Content Security Policy: no violation, and a request can be tried."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import assert_no_console_errors, sign_in_directly, visit
from tests.browser.test_accessibility import PHONE_WIDTH, blocking_violations, describe

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_and_tries_a_request(page, live_server, lead, console_errors):
    factories.ItemFactory(inspection__force=lead.force, text="The force should test its API.")
    sign_in_directly(page, live_server, lead.username)
    visit(page, "/api/docs/", console_errors)
    operation = page.locator("#operations-items-items_list")
    expect(operation).to_be_visible()
    operation.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(
        operation.locator(".live-responses-table tbody .response-col_status").first
    ).to_have_text("200")
    expect(operation.locator(".live-responses-table")).to_contain_text("test its API")
    assert_no_console_errors(console_errors)


def test_the_browsable_api_works_signed_in(page, live_server, lead, console_errors):
    item = factories.ItemFactory(inspection__force=lead.force, status="being-progressed")
    sign_in_directly(page, live_server, lead.username)
    visit(page, f"/api/items/{item.pk}/", console_errors)
    expect(page.locator(".response-info")).to_contain_text(item.display_reference)
    assert_no_console_errors(console_errors)


def test_a_change_through_the_browsable_api_passes_the_csrf_check(
    page, live_server, owner, console_errors
):
    item = factories.ItemFactory(inspection__force=owner.force, status="being-progressed")
    action = factories.ActionFactory(item=item, owner=owner)
    sign_in_directly(page, live_server, owner.username)
    visit(page, f"/api/actions/{action.pk}/", console_errors)
    page.locator("#id__content").fill('{"status": "done"}')
    page.get_by_role("button", name="PATCH").click()
    expect(page.locator(".response-info")).to_contain_text('"status": "done"')
    action.refresh_from_db()
    assert action.status == "done"
    assert_no_console_errors(console_errors)


@pytest.mark.parametrize("width", [1200, PHONE_WIDTH])
def test_the_token_pages_are_accessible(page, live_server, lead, console_errors, width):
    """Make a token, see it once, revoke it: axe finds nothing serious on any of the pages,
    at desktop and phone widths, and nothing is wider than the phone."""
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_directly(page, live_server, lead.username)
    problems = []

    def check(what: str) -> None:
        violations = blocking_violations(page)
        if violations:
            problems.append(f"axe, {what} at {width}px:\n{describe(violations)}")
        if page.evaluate("document.documentElement.scrollWidth") > width + 1:
            problems.append(f"{what} is wider than {width}px")

    visit(page, "/accounts/tokens/", console_errors)
    check("the token list")
    page.get_by_label("Name").fill("Power BI")
    page.get_by_label("Read and write").check()
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_role("heading", name="Your new API token")).to_be_visible()
    assert page.get_by_label("Token").input_value().startswith("trk_")
    check("the new token")
    visit(page, "/accounts/tokens/", console_errors)
    page.get_by_role("link", name="Revoke Power BI").click()
    check("the revoke question")
    page.get_by_role("button", name="Yes, revoke it").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been revoked")
    assert not problems, "\n".join(problems)
    assert_no_console_errors(console_errors)

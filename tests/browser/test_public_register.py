"""The public register in Chromium, signed out: axe-core finds no serious or critical
violation, nothing breaks the Content-Security-Policy (no console error), and nothing is wider
than a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import User
from recommendations import services
from recommendations.demo import content
from recommendations.demo.loader import demo_load
from recommendations.models import Inspection
from tests.browser.conftest import PASSWORD, assert_no_console_errors, visit
from tests.browser.test_accessibility import PHONE_WIDTH, audit

pytestmark = pytest.mark.browser


def test_the_published_register_read_signed_out(page, console_errors, live_server):
    demo_load(password=PASSWORD)
    inspection = Inspection.objects.get(title=content.PEEL_2122_TITLE)
    services.inspection_publish(inspection=inspection, user=User.objects.get(username="inspector"))
    item = inspection.items.order_by("position").first()
    paths = [
        "/register/",
        f"/register/forces/{inspection.force.slug}/",
        f"/register/inspections/{inspection.pk}/",
        f"/register/items/{item.pk}/",
        "/register/search/?q=force",
    ]
    problems = audit(page, paths, console_errors)
    problems += audit(page, paths, console_errors, width=PHONE_WIDTH)
    assert not problems, "\n".join(problems)

    page.set_viewport_size({"width": 1200, "height": 900})
    visit(page, "/register/", console_errors)
    page.get_by_role("link", name=inspection.force.name).click()
    page.get_by_role("link", name=content.PEEL_2122_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(content.PEEL_2122_TITLE)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_no_console_errors(console_errors)

"""On a 375-pixel phone every list keeps each item's status and due date in view without
sideways scrolling: the tables stack each row into a card."""

from __future__ import annotations

import pytest

from recommendations.demo import content
from recommendations.demo.loader import demo_load
from recommendations.models import Inspection
from tests.browser.conftest import PASSWORD, sign_in_directly, visit

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}


@pytest.fixture
def demo(live_server) -> None:
    demo_load(password=PASSWORD)


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def cells_out_of_view(page, label: str) -> list[str]:
    """Each table cell of the column `label` that is hidden or reaches past the screen's edges."""
    return page.evaluate(
        """(label) => [...document.querySelectorAll(`td[data-label="${label}"]`)]
            .filter(cell => {
                const box = cell.getBoundingClientRect();
                const shown = box.width > 0 && box.height > 0
                    && getComputedStyle(cell).visibility !== 'hidden';
                return !shown || box.left < 0 || box.right > window.innerWidth;
            })
            .map(cell => cell.closest('tr').innerText.slice(0, 60))""",
        label,
    )


def check_list(page, path: str, console_errors, *, columns: tuple[str, ...]) -> list[str]:
    visit(page, path, console_errors)
    problems = []
    if page_width(page) > PHONE["width"]:
        problems.append(f"{path} is {page_width(page)}px wide on a {PHONE['width']}px screen")
    for label in columns:
        count = page.locator(f'td[data-label="{label}"]').count()
        if not count:
            problems.append(f"{path}: no {label} cells to check")
        hidden = cells_out_of_view(page, label)
        if hidden:
            problems.append(f"{path}: {label} out of view in rows {hidden}")
    return problems


def test_force_lead_lists_at_375px(page, console_errors, demo, live_server):
    page.set_viewport_size(PHONE)
    sign_in_directly(page, live_server, "cleveland-lead")
    peel = Inspection.objects.get(title=content.PEEL_2122_TITLE)
    problems = []
    for path in ("/items/?status=all", f"/forces/{peel.force.slug}/", f"/inspections/{peel.pk}/"):
        problems += check_list(page, path, console_errors, columns=("Status", "Due", "RAG"))
    assert not problems, "\n".join(problems)


def test_inspector_lists_at_375px(page, console_errors, demo, live_server):
    page.set_viewport_size(PHONE)
    sign_in_directly(page, live_server, "inspector")
    problems = check_list(page, "/review/", console_errors, columns=("Submitted", "Due", "RAG"))
    problems += check_list(
        page, "/forces/", console_errors, columns=("Monitoring stage", "Open", "Overdue")
    )
    assert not problems, "\n".join(problems)

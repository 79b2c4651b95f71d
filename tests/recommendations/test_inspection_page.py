"""The inspection page lists the first items of each section, whatever the inspection holds,
and links to all of them in the item list."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from recommendations import selectors_pages
from recommendations.models import Status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection(force):
    inspection = factories.InspectionFactory(force=force)
    cause = factories.CauseOfConcernFactory(inspection=inspection)
    for n in range(5):
        factories.ItemFactory(
            inspection=inspection, cause_of_concern=cause, position=n, reference=f"C{n}"
        )
    for n in range(4):
        factories.ItemFactory(
            inspection=inspection, position=10 + n, reference=f"D{n}", status=Status.COMPLETE
        )
    for n in range(3):
        factories.AreaForImprovementFactory(
            inspection=inspection, position=20 + n, reference=f"A{n}"
        )
    return inspection


def page_of(client, inspection) -> str:
    url = reverse("recommendations:inspection-detail", args=[inspection.pk])
    return client.get(url).content.decode()


def listed(html: str) -> list[str]:
    return re.findall(r"Recommendation (\w+)<|Area for improvement (\w+)<", html)


def test_each_section_lists_its_first_items_and_links_to_all(client, lead, inspection, monkeypatch):
    monkeypatch.setattr(selectors_pages, "SECTION_LIMIT", 2)
    client.force_login(lead)

    html = page_of(client, inspection)

    assert [a or b for a, b in listed(html)] == ["C0", "C1", "D0", "D1", "A0", "A1"]
    assert "Showing the first 2 of 5." in html
    assert "Showing the first 2 of 4." in html
    assert "Showing the first 2 of 3." in html
    links = re.findall(r'href="([^"]+)">Show all (\d+) in the item list', html)
    assert [int(n) for _, n in links] == [5, 4, 3]
    for (url, total), prefix in zip(links, ["C", "D", "A"], strict=True):
        shown = client.get(url.replace("&amp;", "&")).content.decode()
        found = [a or b for a, b in listed(shown)]
        assert len(found) == int(total)
        assert all(reference.startswith(prefix) for reference in found)


def test_a_section_within_the_limit_has_no_link(client, lead, inspection):
    client.force_login(lead)

    html = page_of(client, inspection)

    assert len(listed(html)) == 12
    assert "Show all" not in html


def test_the_page_stays_small_whatever_the_inspection_holds(client, lead, inspection):
    cause = inspection.causes_of_concern.get()
    factories.ItemFactory.create_batch(
        60, inspection=inspection, cause_of_concern=cause, position=100
    )
    client.force_login(lead)

    html = page_of(client, inspection)

    assert len(listed(html)) == selectors_pages.SECTION_LIMIT + 4 + 3
    assert "Show all 65 in the item list" in html
    assert len(html) < 200_000


def test_the_page_stays_small_with_many_causes_of_concern(client, lead, inspection):
    for _ in range(11):
        cause = factories.CauseOfConcernFactory(inspection=inspection)
        factories.ItemFactory.create_batch(
            selectors_pages.SECTION_LIMIT + 1, inspection=inspection, cause_of_concern=cause
        )
    client.force_login(lead)

    html = page_of(client, inspection)

    assert html.count("in the item list") == 11
    assert len(listed(html)) <= selectors_pages.PAGE_ROWS
    assert len(html) < 200_000


def test_another_forces_inspection_is_not_found(client, other_lead, inspection):
    client.force_login(other_lead)
    url = reverse("recommendations:inspection-detail", args=[inspection.pk])
    assert client.get(url).status_code == 404


def test_a_national_inspection_lists_the_first_items_of_each_section_by_position(
    force, other_force
):
    """Each section's first items are those first in the report's order (position, then
    the order they were added), across the forces the inspector sees, whatever order they
    were added in; no item of a force not inspected."""
    national = factories.InspectionFactory(force=None)
    third = factories.ForceFactory()
    inspector = factories.InspectorFactory(forces=[force, other_force])
    added = []
    for n, position in enumerate([5, 1, 4, 1, 2, 0]):
        added.append(
            factories.ItemFactory(
                inspection=national,
                force=[force, other_force][n % 2],
                position=position,
                reference=f"R{n}",
            )
        )
    factories.ItemFactory(inspection=national, force=third, position=0, reference="X")

    page = selectors_pages.inspection_page(user=inspector, inspection=national, limit=3)

    shown = [item.reference for item in page.direct_recommendations.items]
    assert shown == ["R5", "R1", "R3"]  # positions 0, 1, 1 (R1 added before R3)
    assert page.direct_recommendations.total == 6

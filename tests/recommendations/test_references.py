"""Every item carries a visible reference wherever it is named: the inspectorate's (9207/2),
or one made from its inspection's short name and its place there ("PEEL 2021/22 R3"). It is
given once and never changes; no two links on a page read the same."""

from __future__ import annotations

import csv
import importlib
import io
from collections import defaultdict
from datetime import date
from html.parser import HTMLParser

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from accounts.models import User
from notifications import emails
from notifications.models import Kind, State
from recommendations import services
from recommendations.demo.loader import demo_load
from recommendations.importing.structure import ParsedItem, ParsedPublication
from recommendations.models import Force, Inspection, Item, ItemKind, Programme, Status
from recommendations.models.inspections import short_name_from
from recommendations.services.imports import publication_import
from recommendations.views.imports import SESSION_KEY
from tests import factories
from tracker.errors import InvalidInput

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _fixed_today():
    with time_machine.travel(TODAY, tick=False):
        yield


# --- Short names and numbering --------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "programme", "expected"),
    [
        ("PEEL 2021/22: An inspection of Cleveland Police", "peel", "PEEL 2021/22"),
        (
            "Cleveland Police: Crime Data Integrity inspection 2018",
            "crime-data-integrity",
            "Crime data integrity 2018",
        ),
        ("PEEL 2023–2025: An inspection of Cleveland Police", "peel", "PEEL 2023–2025"),
        ("PEEL 2023 - 25 assessment", "peel", "PEEL 2023-25"),
        ("An inspection of custody services", "thematic", "Thematic 2024"),  # no year: published
        ("Letter 9207 to the chief constable", "revisit-letter", "Revisit letter 2024"),
        ("Something else 2019", "other", "Inspection 2019"),
    ],
)
def test_short_name_from_programme_and_years(title, programme, expected):
    assert short_name_from(title, programme, date(2024, 3, 1)) == expected


def _national() -> Inspection:
    return Inspection.objects.create(
        force=None,
        title="Custody thematic 2024",
        programme=Programme.THEMATIC,
        published_on=date(2024, 5, 1),
    )


def _inspection(force, title="PEEL 2021/22: An inspection", **extra) -> Inspection:
    return Inspection.objects.create(
        force=force, title=title, programme=Programme.PEEL, published_on=date(2023, 3, 17), **extra
    )


def _create(inspection, kind=ItemKind.RECOMMENDATION, reference="", **extra) -> Item:
    return services.item_create(
        inspection=inspection, kind=kind, text="The force should act.", reference=reference, **extra
    )


def test_items_are_numbered_by_kind_in_their_inspection(force):
    inspection = _inspection(force)
    made = [
        _create(inspection, reference="9207/1"),
        _create(inspection),
        _create(inspection, ItemKind.AREA_FOR_IMPROVEMENT),
        _create(inspection),
        _create(inspection, ItemKind.AREA_FOR_IMPROVEMENT),
    ]

    assert [item.display_reference for item in made] == [
        "9207/1",  # the inspectorate's, and the first recommendation
        "PEEL 2021/22 R2",
        "PEEL 2021/22 AFI 1",
        "PEEL 2021/22 R3",
        "PEEL 2021/22 AFI 2",
    ]
    assert [item.label for item in made[:3]] == [
        "Recommendation 9207/1",
        "Recommendation PEEL 2021/22 R2",
        "Area for improvement PEEL 2021/22 AFI 1",
    ]
    assert str(made[3]) == "Recommendation PEEL 2021/22 R3"
    inspection.refresh_from_db()
    assert inspection.short_name == "PEEL 2021/22"  # given with its first item, then kept


def test_a_reference_never_changes_when_other_items_change(force, inspector):
    inspection = _inspection(force)
    first, second, third = (_create(inspection) for _ in range(3))
    services.item_transition(
        transition="stop_tracking", item=first, user=inspector, comment="Superseded."
    )
    services.item_transition(transition="complete", item=second, user=inspector, comment="Done.")
    fourth = _create(inspection)

    assert [i.display_reference for i in Item.objects.order_by("pk")] == [
        "PEEL 2021/22 R1",
        "PEEL 2021/22 R2",
        "PEEL 2021/22 R3",
        "PEEL 2021/22 R4",
    ]
    assert fourth.pk > third.pk


def test_a_forces_inspections_never_share_a_short_name(force, other_force):
    first = _create(_inspection(force)).inspection
    second = _create(_inspection(force, title="PEEL 2021/22: the revisit")).inspection
    elsewhere = _create(_inspection(other_force)).inspection

    assert [first.short_name, second.short_name, elsewhere.short_name] == [
        "PEEL 2021/22",
        "PEEL 2021/22 (2)",
        "PEEL 2021/22",  # another force's items are never listed with these
    ]
    assert Item.objects.get(inspection=second).display_reference == "PEEL 2021/22 (2) R1"


def test_a_national_inspection_numbers_each_forces_items_alone(force, other_force):
    national = _national()
    refs = [_create(national, force=f).display_reference for f in (force, other_force, force)]

    assert refs == ["Thematic 2024 R1", "Thematic 2024 R1", "Thematic 2024 R2"]


def test_an_inspectorate_reference_that_clashes_is_refused(force):
    inspection = _inspection(force)
    _create(inspection)

    with pytest.raises(InvalidInput, match="already used"):
        _create(inspection, reference="PEEL 2021/22 R1")
    assert Item.objects.count() == 1


def test_the_import_names_the_inspection_and_numbers_its_items(force, inspector):
    parsed = ParsedPublication(
        title="PEEL 2021/22: An inspection of Cleveland Police",
        published_on=date(2023, 3, 17),
        items=[
            ParsedItem(kind="cause-of-concern", reference="", parent=None, text="Prevention."),
            ParsedItem(kind="recommendation", reference="", parent=0, text="Act now."),
            ParsedItem(kind="recommendation", reference="", parent=0, text="Act again."),
            ParsedItem(kind="area-for-improvement", reference="", parent=None, text="Improve."),
        ],
    )
    result = publication_import(
        parsed=parsed, force=force, user=inspector, programme=Programme.PEEL
    )

    assert result.inspection.short_name == "PEEL 2021/22"
    assert sorted(result.inspection.items.values_list("display_reference", flat=True)) == [
        "PEEL 2021/22 AFI 1",
        "PEEL 2021/22 R1",
        "PEEL 2021/22 R2",
    ]


def test_the_migration_numbers_existing_items_by_their_place(force):
    inspection = _inspection(force, title="Crime data integrity 2018", reference="9207")
    inspection.programme = Programme.CRIME_DATA_INTEGRITY
    inspection.save()
    later = factories.ItemFactory(inspection=inspection, reference="", position=5)
    first = factories.ItemFactory(inspection=inspection, reference="", position=1)
    numbered = factories.ItemFactory(inspection=inspection, reference="9207/2", position=2)
    area = factories.AreaForImprovementFactory(inspection=inspection, reference="", position=9)
    Inspection.objects.update(short_name="")
    migration = importlib.import_module("recommendations.migrations.0003_item_reference_values")

    migration.number_items(apps, None)

    refs = dict(Item.objects.values_list("pk", "display_reference"))
    assert refs == {
        first.pk: "Crime data integrity 2018 R1",
        numbered.pk: "9207/2",
        later.pk: "Crime data integrity 2018 R3",
        area.pk: "Crime data integrity 2018 AFI 1",
    }


# --- Pages: every item named with its reference, no two links reading the same ------------


class _Links(HTMLParser):
    """Each link's text (visually hidden parts included, spaces collapsed) and its address."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href") or "", []

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((" ".join("".join(self._text).split()), self._href))
            self._href = None

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)


def links(client, url: str) -> list[tuple[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _Links()
    parser.feed(response.content.decode())
    return parser.links


def assert_link_texts_unique(client, url: str) -> list[tuple[str, str]]:
    found = links(client, url)
    by_text = defaultdict(set)
    for text, href in found:
        by_text[text].add(href)
    repeated = {text: hrefs for text, hrefs in by_text.items() if len(hrefs) > 1}
    assert not repeated, f"{url}: the same link text leads to different places: {repeated}"
    assert all(text for text, _ in found), f"{url}: a link without text"
    return found


def assert_items_named(found, items) -> None:
    """Each item has a link to its page whose text holds its kind and reference."""
    texts = defaultdict(list)
    for text, href in found:
        texts[href].append(text)
    for item in items:
        href = reverse("recommendations:item-detail", args=[item.pk])
        assert any(item.label in text for text in texts[href]), (item.label, texts[href])


@pytest.fixture
def demo(db):
    """The demo (two forces, four inspections, items with and without the inspectorate's
    numbers), and a national inspection holding items for both forces, numbered alike."""
    demo_load(password="demo-pass", today=TODAY)
    national = _national()
    for force in Force.objects.all():
        for kind in (ItemKind.RECOMMENDATION, ItemKind.AREA_FOR_IMPROVEMENT):
            _create(national, kind, force=force)
    return national


def _user(username):
    return User.objects.get(username=username)


def test_the_demo_names_items_as_the_inspectorate_and_the_tracker_do(demo):
    labels = set(Item.objects.values_list("display_reference", flat=True))
    assert {"9207/1", "9207/2", "9207/3", "N-1/1", "N-1/2"} <= labels
    assert {"PEEL 2021/22 R1", "PEEL 2021/22 R5", "PEEL 2021/22 AFI 4"} <= labels
    assert "PEEL 2021/22 AFI 10" in labels and "PEEL 2021/22 AFI 11" not in labels


def test_force_lead_pages_name_every_item_and_repeat_no_link_text(client, demo):
    lead = _user("cleveland-lead")
    client.force_login(lead)
    force_items = list(Item.objects.filter(force=lead.force))
    for n in (1, 2):  # people name files alike: the links still read differently
        factories.LinkEvidenceFactory(
            item=force_items[0], description="Minutes", url=f"https://example.gov.uk/{n}"
        )
    dashboard = reverse("recommendations:force-dashboard", args=[lead.force.slug])

    for url in (f"{dashboard}?status=all", f"{reverse('recommendations:item-list')}?status=all"):
        assert_items_named(assert_link_texts_unique(client, url), force_items)
    for inspection in Inspection.objects.filter(items__force=lead.force).distinct():
        found = assert_link_texts_unique(
            client, reverse("recommendations:inspection-detail", args=[inspection.pk])
        )
        assert_items_named(found, [i for i in force_items if i.inspection_id == inspection.pk])
    for item in force_items:
        page = client.get(reverse("recommendations:item-detail", args=[item.pk]))
        html = page.content.decode()
        assert f"<title>{item.label}, {item.force}" in html
        assert f'<h1 class="govuk-heading-l">{item.label}</h1>' in html
        assert_link_texts_unique(client, reverse("recommendations:item-detail", args=[item.pk]))


def test_inspector_pages_name_every_item_and_repeat_no_link_text(client, demo, settings):
    inspector = _user("inspector")
    client.force_login(inspector)
    everything = list(Item.objects.all())
    assert {i.display_reference for i in everything if i.inspection_id == demo.pk} == {
        "Thematic 2024 R1",
        "Thematic 2024 AFI 1",
    }  # the same references for both forces: their links still read differently

    item_list = f"{reverse('recommendations:item-list')}?status=all"
    assert_items_named(assert_link_texts_unique(client, item_list), everything)
    queue = assert_link_texts_unique(client, reverse("recommendations:review-queue"))
    awaiting = [i for i in everything if i.status == Status.AWAITING_REVIEW]
    assert_items_named(queue, [i for i in awaiting if not i.is_new])
    new = assert_link_texts_unique(client, reverse("recommendations:review-queue") + "?show=new")
    assert_items_named(new, [i for i in awaiting if i.is_new])
    national = assert_link_texts_unique(
        client, reverse("recommendations:inspection-detail", args=[demo.pk])
    )
    assert_items_named(national, [i for i in everything if i.inspection_id == demo.pk])
    assert_link_texts_unique(client, reverse("recommendations:force-overview"))
    for force in Force.objects.all():
        dashboard = reverse("recommendations:force-dashboard", args=[force.slug])
        assert_link_texts_unique(client, f"{dashboard}?status=all")
    for inspection in Inspection.objects.all():
        assert_link_texts_unique(
            client, reverse("recommendations:inspection-detail", args=[inspection.pk])
        )


def test_the_import_preview_shows_the_references_items_will_get(client, demo):
    from tests.recommendations.importing.conftest import read_fixture

    client.force_login(_user("inspector"))
    cleveland = Force.objects.get(slug="cleveland-police")
    text = read_fixture("peel_cleveland_2021_22.txt")
    client.post(reverse("recommendations:import"), {"force": cleveland.pk, "text": text})
    # The text states neither title nor date: as if the inspector had entered them.
    session = client.session
    session[SESSION_KEY] |= {
        "title": "PEEL 2021/22: An inspection of Cleveland Police",
        "programme": Programme.PEEL,
        "published_on": "2023-03-17",
    }
    session.save()

    found = assert_link_texts_unique(client, reverse("recommendations:import-preview"))
    html = client.get(reverse("recommendations:import-preview")).content.decode()
    # The demo already holds PEEL 2021/22 for this force, so this one would be the second.
    assert "Shown as PEEL 2021/22 (2) R1" in html
    assert "Shown as PEEL 2021/22 (2) AFI 1" in html
    assert found


def test_notification_status_links_read_differently(client, demo):
    administrator = _user("admin")
    item = Item.objects.get(display_reference="PEEL 2021/22 R1")
    lead = _user("cleveland-lead")
    for key in ("a", "b"):
        factories.NotificationFactory(
            item=item, recipient=lead, state=State.FAILED, key=key, last_error="refused"
        )
    client.force_login(administrator)

    found = assert_link_texts_unique(client, reverse("notifications:status"))
    assert len([text for text, _ in found if text.startswith("Failed: notification")]) == 2
    assert (
        "Cleveland Police, Recommendation PEEL 2021/22 R1"
        in client.get(reverse("notifications:status")).content.decode()
    )


# --- E-mails, CSV, search and the admin carry the same reference ---------------------------


def test_emails_and_csv_carry_the_reference_the_page_shows(client, demo):
    lead = _user("cleveland-lead")
    item = Item.objects.get(display_reference="PEEL 2021/22 AFI 4")
    overdue = Item.objects.get(display_reference="PEEL 2021/22 R1")
    client.force_login(lead)
    page = client.get(reverse("recommendations:item-detail", args=[item.pk])).content.decode()
    assert "Area for improvement PEEL 2021/22 AFI 4" in page

    assigned = factories.NotificationFactory(
        item=item, recipient=lead, kind=Kind.ASSIGNED, due_on=None, key="a", planned_for=TODAY
    )
    message = emails.build_message(assigned, today=TODAY)
    assert message.subject == (
        "Assigned to you: Cleveland Police, area for improvement PEEL 2021/22 AFI 4"
    )
    assert "area for improvement PEEL 2021/22 AFI 4" in message.body
    html = message.alternatives[0][0]
    assert "area for improvement PEEL 2021/22 AFI 4" in html
    reminder = factories.NotificationFactory(
        item=overdue, recipient=lead, kind=Kind.OVERDUE, level=1, key="overdue-1"
    )
    digest = factories.NotificationFactory(
        item=None, recipient=lead, kind=Kind.DIGEST, due_on=None, key="d", planned_for=TODAY
    )
    body = emails.build_message(digest, today=TODAY, entries=[assigned, reminder]).body
    assert "Cleveland Police, recommendation PEEL 2021/22 R1" in body

    response = client.get(reverse("recommendations:item-list"), {"status": "all", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_reference = {row["Reference"]: row for row in rows}
    assert by_reference["PEEL 2021/22 AFI 4"]["Kind"] == "Area for improvement"
    assert by_reference["9207/2"]["Kind"] == "Recommendation"
    assert len(by_reference) == len(rows) == Item.objects.filter(force=lead.force).count()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("PEEL 2021/22 AFI 4", ["PEEL 2021/22 AFI 4"]),
        ("Area for improvement PEEL 2021/22 AFI 4", ["PEEL 2021/22 AFI 4"]),
        ("recommendation 9207/2", ["9207/2"]),
        ("peel 2021/22 r5", ["PEEL 2021/22 R5"]),
    ],
)
def test_search_finds_an_item_by_the_reference_it_is_shown_by(client, demo, query, expected):
    client.force_login(_user("cleveland-lead"))
    response = client.get(reverse("recommendations:item-list"), {"status": "all", "q": query})

    assert [item.display_reference for item in response.context["items"]] == expected


def test_the_admin_lists_items_by_reference_and_numbers_one_added_there(client, demo):
    client.force_login(_user("admin"))
    changelist = client.get(reverse("admin:recommendations_item_changelist"), {"q": "AFI 4"})
    assert "Area for improvement PEEL 2021/22 AFI 4" in changelist.content.decode()

    inspection = Inspection.objects.get(short_name="PEEL 2021/22")
    response = client.post(
        reverse("admin:recommendations_areaforimprovement_add"),
        {
            "kind": ItemKind.AREA_FOR_IMPROVEMENT,
            "inspection": inspection.pk,
            "force": inspection.force_id,
            "reference": "",
            "position": 30,
            "text": "The force should improve its data quality.",
            "deadline_rule": "none",
            "deadline_phrase": "",
            **_empty_inlines(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Item.objects.latest("pk").display_reference == "PEEL 2021/22 AFI 11"
    change = client.get(reverse("admin:recommendations_inspection_change", args=[inspection.pk]))
    assert 'name="short_name"' not in change.content.decode()  # fixed: its items begin with it


def _empty_inlines() -> dict:
    fields = {}
    for prefix in ("actions", "timeline"):
        fields |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return fields

"""RAG: one definition of the categories, with the same words and colours in tables, charts,
e-mails and CSV. Amber means open and due within the window, never anything else."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from itertools import product
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from notifications import emails
from notifications.models import Kind
from recommendations import charts, selectors
from recommendations.deadlines import DeadlineRule
from recommendations.models import Item, ItemKind, Rag, Status, rag_annotation, rag_conditions
from tests import factories

TODAY = date(2025, 3, 10)
WINDOW = 30


@pytest.fixture(autouse=True)
def _frozen(time_machine, settings):
    time_machine.move_to(datetime(2025, 3, 10, 9, tzinfo=ZoneInfo("Europe/London")), tick=False)
    settings.TRACKER_DUE_SOON_DAYS = WINDOW


def _item(status=Status.BEING_PROGRESSED, due_on: date | None = TODAY) -> Item:
    rule = DeadlineRule.NONE if due_on is None else DeadlineRule.RELATIVE
    return Item(kind=ItemKind.RECOMMENDATION, status=status, due_on=due_on, deadline_rule=rule)


OPEN = [Status.AWAITING_REVIEW, Status.BEING_PROGRESSED]


@pytest.mark.parametrize("status", OPEN)
@pytest.mark.parametrize(
    ("due_on", "rag"),
    [
        (TODAY - timedelta(days=400), Rag.OVERDUE),
        (TODAY - timedelta(days=1), Rag.OVERDUE),  # due yesterday
        (TODAY, Rag.DUE_SOON),  # due today is not yet overdue
        (TODAY + timedelta(days=1), Rag.DUE_SOON),
        (TODAY + timedelta(days=WINDOW), Rag.DUE_SOON),  # the window's last day
        (TODAY + timedelta(days=WINDOW + 1), Rag.ON_TRACK),  # the day after it
        (TODAY + timedelta(days=900), Rag.ON_TRACK),
        (None, Rag.NO_DEADLINE),
    ],
    ids=[
        "long-overdue",
        "due-yesterday",
        "due-today",
        "due-tomorrow",
        "window-last-day",
        "after-window",
        "far-ahead",
        "no-deadline",
    ],
)
def test_open_items_by_due_date(status, due_on, rag):
    assert _item(status, due_on).rag() == rag


@pytest.mark.parametrize(
    ("status", "rag"),
    [(Status.COMPLETE, Rag.COMPLETE), (Status.NO_FURTHER_ACTION_NEEDED, Rag.NO_FURTHER_ACTION)],
)
@pytest.mark.parametrize("offset", [-10, 0, 5, WINDOW + 1, None])
def test_closed_items_say_how_they_closed_whatever_the_due_date(status, rag, offset):
    due_on = None if offset is None else TODAY + timedelta(days=offset)
    assert _item(status, due_on).rag() == rag


def test_amber_only_for_open_items_with_a_deadline_inside_the_window():
    for status, offset in product(Status, [None, -1, 0, WINDOW, WINDOW + 1]):
        due_on = None if offset is None else TODAY + timedelta(days=offset)
        amber = _item(status, due_on).rag() == Rag.DUE_SOON
        assert amber == (status in OPEN and offset in (0, WINDOW)), (status, offset)


def test_the_window_is_configurable(settings):
    settings.TRACKER_DUE_SOON_DAYS = 7
    assert _item(due_on=TODAY + timedelta(days=7)).rag() == Rag.DUE_SOON
    assert _item(due_on=TODAY + timedelta(days=8)).rag() == Rag.ON_TRACK
    assert _item(due_on=TODAY + timedelta(days=8)).rag(window_days=8) == Rag.DUE_SOON


def test_each_category_has_its_own_words_and_colours():
    assert [r.label for r in Rag] == [
        "Overdue",
        "Due soon",
        "On track",
        "No deadline",
        "Complete",
        "No further action",
    ]
    assert len({r.tag_class for r in Rag}) == len(Rag)
    assert len({r.email_colours for r in Rag}) == len(Rag)
    assert (Rag.OVERDUE.tag_class, Rag.DUE_SOON.tag_class, Rag.ON_TRACK.tag_class) == (
        "govuk-tag--red",
        "govuk-tag--orange",
        "govuk-tag--green",
    )


# --- The SQL twin -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("window_days", [None, 7])
def test_sql_annotation_and_conditions_agree_with_the_python_rag(force, window_days):
    inspection = factories.InspectionFactory(force=force)
    offsets = [None, -31, -1, 0, 1, 7, 8, WINDOW, WINDOW + 1, 365]
    for status, offset in product(Status, offsets):
        factories.ItemFactory(
            inspection=inspection,
            status=status,
            deadline_rule=DeadlineRule.NONE if offset is None else DeadlineRule.RELATIVE,
            due_on=None if offset is None else TODAY + timedelta(days=offset),
        )
    items = Item.objects.annotate(rag_value=rag_annotation(today=TODAY, window_days=window_days))
    assert items.count() == len(Status) * len(offsets)
    for item in items:
        assert item.rag_value == item.rag(TODAY, window_days), (item.status, item.due_on)
    conditions = rag_conditions(today=TODAY, window_days=window_days)
    for rag, condition in conditions.items():
        expected = {i.pk for i in items if i.rag(TODAY, window_days) == rag}
        assert set(Item.objects.filter(condition).values_list("pk", flat=True)) == expected


# --- Where it is shown ----------------------------------------------------------------------


@pytest.fixture
def one_of_each(force, lead, owner):
    inspection = factories.InspectionFactory(force=force, title="PEEL 2024")
    make = factories.ItemFactory
    return {
        Rag.OVERDUE: make(
            inspection=inspection, reference="R-late", due_on=TODAY - timedelta(days=3)
        ),
        Rag.DUE_SOON: make(inspection=inspection, reference="R-soon", due_on=TODAY),
        Rag.ON_TRACK: make(
            inspection=inspection, reference="R-fine", due_on=TODAY + timedelta(days=90)
        ),
        Rag.NO_DEADLINE: factories.AreaForImprovementFactory(
            inspection=inspection, reference="A-open", owner=owner
        ),
        Rag.COMPLETE: make(
            inspection=inspection,
            reference="R-done",
            status=Status.COMPLETE,
            due_on=TODAY - timedelta(days=3),
        ),
        Rag.NO_FURTHER_ACTION: make(
            inspection=inspection,
            reference="R-stopped",
            status=Status.NO_FURTHER_ACTION_NEEDED,
            due_on=TODAY + timedelta(days=2),
        ),
    }


def _tag(rag: Rag) -> str:
    classes = f"govuk-tag {rag.tag_class} app-rag-tag"
    return f'<strong class="{classes}" data-rag="{rag.value}">{rag.label}</strong>'


@pytest.mark.django_db
def test_item_list_shows_each_category_in_its_words_and_colour(client, lead, one_of_each):
    client.force_login(lead)
    html = client.get(reverse("recommendations:item-list"), {"status": "all"}).content.decode()
    for rag in Rag:
        assert _tag(rag) in html, rag
    assert "by 3 days" in html
    assert "due today" in html
    assert "amber" not in html.lower()


@pytest.mark.django_db
def test_item_page_shows_its_rag(client, lead, one_of_each):
    client.force_login(lead)
    for rag, item in one_of_each.items():
        html = client.get(reverse("recommendations:item-detail", args=[item.pk])).content.decode()
        assert _tag(rag) in html


@pytest.mark.django_db
def test_review_queue_shows_the_rag(client, inspector, one_of_each):
    client.force_login(inspector)
    html = client.get(reverse("recommendations:review-queue")).content.decode()
    for rag in (Rag.OVERDUE, Rag.DUE_SOON, Rag.ON_TRACK, Rag.NO_DEADLINE):
        assert _tag(rag) in html


@pytest.mark.django_db
def test_csv_uses_the_same_words(client, lead, one_of_each):
    client.force_login(lead)
    response = client.get(reverse("recommendations:item-list"), {"status": "all", "format": "csv"})
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert {row["Reference"]: row["RAG"] for row in rows} == {
        item.reference: rag.label for rag, item in one_of_each.items()
    }


@pytest.mark.django_db
def test_dashboard_chart_counts_each_category_with_the_same_words(client, force, lead, one_of_each):
    factories.ItemFactory(
        inspection=one_of_each[Rag.OVERDUE].inspection, due_on=TODAY - timedelta(days=1)
    )
    _, rows = selectors.dashboard_figures(Item.objects.filter(force=force), today=TODAY)
    chart = charts.rag_bars(rows)
    (bar,) = chart["bars"]
    assert bar.cells == [(rag.label, 2 if rag == Rag.OVERDUE else 1) for rag in Rag]
    assert [s.rag for s in bar.segments] == [r.value for r in Rag]
    assert chart["categories"] == Rag.choices
    client.force_login(lead)
    html = client.get(reverse("recommendations:force-dashboard", args=[force.slug])).content
    for rag in Rag:
        assert f'class="app-chart__bar--{rag.value}"'.encode() in html
        assert f"<title>{rag.label}: ".encode() in html


@pytest.mark.django_db
def test_emails_show_the_rag_in_the_same_words(one_of_each, lead):
    for rag in (Rag.OVERDUE, Rag.DUE_SOON, Rag.NO_DEADLINE):
        item = one_of_each[rag]
        row = factories.NotificationFactory(
            item=item,
            recipient=lead,
            kind=Kind.ASSIGNED,
            key=f"item-{item.pk}",
            due_on=None,
            level=0,
            planned_for=TODAY,
        )
        message = emails.build_message(row, today=TODAY)
        assert f"RAG: {rag.label}\n" in message.body
        html = message.alternatives[0][0]
        text, background = rag.email_colours
        assert f"color:{text};background:{background};" in html
        assert f">{rag.label}</strong>" in html


def test_digest_sections_use_the_rag_words():
    titles = [title for title, _ in emails.DIGEST_SECTIONS]
    assert titles[:2] == [Rag.OVERDUE.label, Rag.DUE_SOON.label]

"""The pages benchmark's builder and pages, at 200 items, so that the benchmark cannot rot:
the data set lands in the project's tables as the models declare them, and every page it
measures answers (bench/bench_pages.py; results in docs/performance.md)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from bench.pages import build, measure
from recommendations.models import CauseOfConcern, Force, Inspection, Item, TimelineEntry

pytestmark = pytest.mark.django_db


def test_the_builder_fills_the_tables_and_every_measured_page_answers():
    today = date.today()  # the pages read today's date; the data is laid out around it
    counts = build.build(build.DjangoWriter(), build.Plan(items=200, today=today))

    assert Item.objects.count() == counts["item"] == 200
    assert Force.objects.count() == 43
    assert Inspection.objects.count() == 43 * len(build.INSPECTIONS)
    assert CauseOfConcern.objects.count() == counts["cause"]
    assert TimelineEntry.objects.count() == counts["timeline"] >= 200
    assert set(Item.objects.values_list("status", flat=True)) == {
        "awaiting-review",
        "being-progressed",
        "complete",
        "no-further-action-needed",
    }
    # Each item's latest status entry is its status (the 12-month chart reads them).
    for item in Item.objects.all()[:50]:
        latest = item.timeline.exclude(status_to="").order_by("occurred_at", "pk").last()
        assert latest.status_to == item.status

    subjects = measure.Subjects()
    clients = measure.clients(subjects)
    session_key = clients["lead"].session.session_key
    pages = measure.pages(subjects, today, session_key=session_key)
    for page in pages:
        result = measure.measure_page(page, clients[page.user], runs=1)
        assert result.status == 200, (page.name, page.user, page.path)
        assert result.floor_p95_ms > 0 and result.queries > 0
    # The references: the layout alone, and a signed-in response with no page (its own URL,
    # added for the benchmark only).
    references = [page for page in pages if page.reference]
    assert [page.path for page in references] == ["/accounts/password/done/", "/bench-bare/"]
    assert measure._get(clients["lead"], "/bench-bare/")[0].status_code == 404
    response, body = measure._get(clients["lead"], measure.csv_path(subjects))
    assert response.status_code == 200
    assert body.count(b"\n") - 1 == Item.objects.filter(force=subjects.force).count()
    assert connection.vendor in ("sqlite", "postgresql")

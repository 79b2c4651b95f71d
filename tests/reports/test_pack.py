"""The pack's figures: rebuilt from the timeline as at the end of the period, they equal what
the dashboard showed (or would have shown) on that day, and a past period's pack does not
change when later work is recorded."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import pytest

from recommendations import selectors as item_selectors
from recommendations import services
from recommendations.models import CauseOfConcern, Rag, Status
from reports.history import ItemHistory
from reports.pack import Period
from reports.selectors import default_period, pack_build, pack_forces, previous_quarter
from tests import factories
from tests.reports.conftest import Q2, THIS_QUARTER, TODAY, at

pytestmark = pytest.mark.django_db

DASHBOARD_KEYS = (
    "overdue",
    "due_soon",
    "awaiting_review",
    "new",
    "returned",
    "being_progressed",
    "complete",
    "no_further_action",
)


def refs(rows) -> list[str]:
    return [row.reference for row in rows]


def test_past_period_shows_what_the_dashboard_showed_on_its_last_day(year, force):
    pack = pack_build(forces=[force], period=Q2)

    assert pack.counts == year.dashboard_at_q2_end["lead"]
    assert pack.counts["total"] == 8
    assert pack.counts["open"] == 6


def test_pack_ending_today_shows_what_the_dashboard_shows(year, force, lead):
    pack = pack_build(forces=[force], period=THIS_QUARTER)
    items = item_selectors.items_for_user(lead).filter(force=force)

    dashboard = item_selectors.dashboard_figures(items, today=TODAY)[0]
    assert {key: pack.counts[key] for key in DASHBOARD_KEYS} == dashboard
    # Changed since the second quarter: the revisit's first recommendation was sent back, the
    # returned one was worked on, the registrar's deadline moved.
    assert dashboard["returned"] == 1
    assert refs(pack.overdue) == ["PEEL 2023–2025 R4", "Revisit letter 2025 R1"]


def test_past_period_tables(year, force):
    pack = pack_build(forces=[force], period=Q2)
    r2 = year.items["r2"]

    assert refs(pack.completed) == ["PEEL 2023–2025 R3"]
    assert pack.completed[0].since == date(2025, 6, 15)
    assert refs(pack.new) == ["Revisit letter 2025 R1", "Revisit letter 2025 R2"]
    assert [(r.reference, r.days_overdue) for r in pack.overdue] == [
        ("PEEL 2023–2025 R4", 150),
        ("Revisit letter 2025 R1", 32),
        ("Revisit letter 2025 R2", 32),
    ]
    assert [band.count for band in pack.ageing] == [0, 2, 1]
    [change] = pack.due_changes
    assert change.item.pk == r2.pk
    assert (change.due_from, change.due_to) == (date(2025, 4, 10), date(2025, 8, 31))
    assert change.extended and change.change_label == "Extended by 143 days"
    assert change.reason == "The new IT system arrives in August."
    assert change.by == "inspector"  # the lead asked; the inspector approved the extension
    assert refs(pack.awaiting_inspector) == ["Revisit letter 2025 R1"]
    assert pack.in_period == {
        "new": 2,
        "completed": 1,
        "stopped": 0,
        "due_changes": 1,
        "extensions": 1,
    }
    assert dict(pack.rag) == {
        Rag.OVERDUE: 3,
        Rag.DUE_SOON: 0,
        Rag.ON_TRACK: 1,
        Rag.NO_DEADLINE: 2,
        Rag.COMPLETE: 2,
        Rag.NO_FURTHER_ACTION: 0,
    }


def test_progress_by_inspection_and_cause_of_concern(year, force):
    pack = pack_build(forces=[force], period=Q2)

    peel, revisit = pack.by_inspection
    assert (peel.inspection_id, revisit.inspection_id) == (year.peel.pk, year.revisit.pk)
    assert (peel.recommendations, peel.recommendations_complete, peel.percent_complete) == (
        4,
        2,
        50,
    )
    assert (peel.areas_for_improvement, peel.areas_complete, peel.open, peel.overdue) == (
        2,
        0,
        4,
        1,
    )
    assert (peel.actions_done, peel.actions_total) == (1, 2)
    assert (revisit.recommendations, revisit.open, revisit.overdue) == (2, 2, 2)
    [cause] = pack.by_cause
    assert cause.key == year.cause.pk
    assert cause.state == "Open"
    assert (cause.recommendations, cause.recommendations_complete, cause.percent_complete) == (
        3,
        2,
        67,
    )
    [summary] = pack.forces
    assert summary.stage == "Engage (enhanced monitoring)"
    assert summary.judged_inspection == year.peel.title
    assert summary.judgments == [
        ("investigating crime", "Adequate"),
        ("responding to the public", "Requires improvement"),
    ]


def test_a_past_period_comes_out_the_same_after_later_work(
    year, force, lead, inspector, time_machine
):
    before = asdict(pack_build(forces=[force], period=Q2))

    time_machine.move_to(at(date(2025, 7, 20)), tick=False)
    items = year.items
    services.item_transition(item=items["r2"], user=lead, transition="submit_for_review")
    services.item_transition(item=items["r2"], user=inspector, transition="complete", comment="Ok")
    services.item_transition(
        item=items["r3"], user=inspector, transition="reopen", comment="Found again"
    )
    services.item_change_due_date(
        item=items["r4"], user=inspector, due_on=date(2025, 12, 1), reason="Agreed"
    )
    services.cause_of_concern_close(
        cause_of_concern=year.cause,
        user=inspector,
        closed_on=date(2025, 7, 20),
        letter_reference="L/7",
        close_anyway=True,
    )
    after = asdict(pack_build(forces=[force], period=Q2))

    before.pop("generated_at"), after.pop("generated_at")
    assert after == before
    # ...while a pack ending today does see the changes.
    today = pack_build(forces=[force], period=Period(date(2025, 7, 1), date(2025, 7, 20)))
    assert refs(today.completed) == ["PEEL 2023–2025 R2"]
    assert today.by_cause[0].state == "Closed 20 July 2025 (L/7)"


def test_inspector_pack_covers_their_forces_and_nothing_else(year, force, other_force, inspector):
    third = factories.ItemFactory(inspection__force=factories.ForceFactory(name="Elsewhere"))
    forces = pack_forces(inspector)
    assert forces == [force, other_force]

    pack = pack_build(forces=forces, period=THIS_QUARTER)

    items = item_selectors.items_for_user(inspector)
    assert third.pk not in {row.pk for row in pack.overdue}
    dashboard, _ = item_selectors.dashboard_figures(items, today=TODAY)
    assert {key: pack.counts[key] for key in DASHBOARD_KEYS} == dashboard
    assert pack.counts["total"] == 10
    assert [f.name for f in pack.forces] == ["Cleveland Police", "Northshire Police (demo)"]
    assert pack.several_forces
    by_force = {p.force for p in pack.by_inspection}
    assert by_force == {"Cleveland Police", "Northshire Police (demo)"}


def test_force_user_sees_only_their_force(year, lead, other_force):
    assert [f.slug for f in pack_forces(lead)] == ["cleveland-police"]
    with pytest.raises(type(other_force).DoesNotExist):
        pack_forces(lead, slug=other_force.slug)


def test_an_item_without_a_timeline_keeps_its_current_state(force, time_machine):
    time_machine.move_to(at(date(2024, 6, 1)), tick=False)
    item = factories.ItemFactory(
        inspection__force=force, status=Status.BEING_PROGRESSED, due_on=date(2024, 4, 15)
    )
    state = ItemHistory(item, []).state_at(at(date(2024, 6, 1), 23))
    assert (state.exists, state.status, state.due_on) == (
        True,
        Status.BEING_PROGRESSED,
        item.due_on,
    )
    # Before the item existed it is not counted.
    assert not ItemHistory(item, []).state_at(at(date(2024, 5, 1))).exists


def test_imported_register_history_is_replayed(force, time_machine):
    time_machine.move_to(at(date(2024, 6, 1)), tick=False)
    inspection = factories.InspectionFactory(force=force, published_on=date(2018, 8, 7))
    item = services.item_create(
        inspection=inspection,
        kind="recommendation",
        text="By 30 September 2019, the force should act.",
        history=[
            services.HistoryEvent(on=date(2018, 8, 7), status=Status.AWAITING_REVIEW),
            services.HistoryEvent(on=date(2019, 3, 1), status=Status.BEING_PROGRESSED),
            services.HistoryEvent(on=date(2020, 1, 10), status=Status.COMPLETE),
        ],
    )
    pack_2019 = pack_build(forces=[force], period=Period(date(2019, 10, 1), date(2019, 12, 31)))
    pack_2020 = pack_build(forces=[force], period=Period(date(2020, 1, 1), date(2020, 3, 31)))

    assert refs(pack_2019.overdue) == [item.display_reference]
    assert pack_2019.counts["being_progressed"] == 1
    assert refs(pack_2020.completed) == [item.display_reference]
    assert pack_2020.counts["overdue"] == 0


def test_cause_of_concern_closed_in_the_period(year, force, inspector, time_machine):
    CauseOfConcern.objects.filter(pk=year.cause.pk).update(
        closed_on=date(2025, 6, 1), closing_letter_reference="L/3"
    )
    assert pack_build(forces=[force], period=Q2).by_cause[0].state == "Closed 1 June 2025 (L/3)"
    earlier = Period(date(2025, 1, 1), date(2025, 3, 31))
    assert pack_build(forces=[force], period=earlier).by_cause[0].state == "Open"


@pytest.mark.parametrize(
    ("today", "quarter", "previous"),
    [
        (date(2025, 7, 10), date(2025, 7, 1), (date(2025, 4, 1), date(2025, 6, 30))),
        (date(2026, 1, 1), date(2026, 1, 1), (date(2025, 10, 1), date(2025, 12, 31))),
        (date(2028, 3, 31), date(2028, 1, 1), (date(2027, 10, 1), date(2027, 12, 31))),
    ],
)
def test_default_period_runs_from_the_start_of_the_quarter(today, quarter, previous):
    assert default_period(today) == Period(quarter, today)
    assert previous_quarter(today) == Period(*previous)

"""items_for_user: most urgent first, and a fixed number of queries whatever the list size;
current_stage: a force's monitoring stage on a date, from the history inspectors record."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from accounts.models import User
from recommendations import selectors, services
from recommendations.models import MonitoringStage, MonitoringStageChange, Status
from recommendations.selectors import items_for_user
from tests import factories
from tracker.errors import InvalidInput


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_open_items_by_due_date_then_no_deadline_then_closed(force, lead):
    inspection = factories.InspectionFactory(force=force)

    def make(reference, status=Status.AWAITING_REVIEW, due_on=None, position=0):
        factory = factories.ItemFactory if due_on else factories.AreaForImprovementFactory
        return factory(
            inspection=inspection,
            reference=reference,
            status=status,
            due_on=due_on,
            position=position,
        )

    # created in an order that differs from the expected one
    make("closed-early", Status.COMPLETE, date(2023, 1, 1))
    make("no-deadline-b", Status.BEING_PROGRESSED, position=2)
    make("march", Status.BEING_PROGRESSED, date(2024, 3, 1))
    make("stopped", Status.NO_FURTHER_ACTION_NEEDED, date(2022, 1, 1))
    make("no-deadline-a", position=1)
    make("january", due_on=date(2024, 1, 1))

    references = [item.reference for item in items_for_user(lead)]

    assert references[:4] == ["january", "march", "no-deadline-a", "no-deadline-b"]
    assert sorted(references[4:]) == ["closed-early", "stopped"]


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["", "all", Status.BEING_PROGRESSED])
def test_filtered_lists_keep_the_order(force, lead, status):
    """The lists' filters keep open first by due date (no deadline last), then closed, also
    when the order leaves out "closed last" for a single status group."""
    inspection = factories.InspectionFactory(force=force)
    for reference, item_status, due_on, position in [
        ("closed", Status.COMPLETE, date(2023, 1, 1), 0),
        ("no-deadline", Status.BEING_PROGRESSED, None, 2),
        ("march", Status.BEING_PROGRESSED, date(2024, 3, 1), 0),
        ("january", Status.BEING_PROGRESSED, date(2024, 1, 1), 0),
    ]:
        factory = factories.ItemFactory if due_on else factories.AreaForImprovementFactory
        factory(
            inspection=inspection,
            reference=reference,
            status=item_status,
            due_on=due_on,
            position=position,
        )

    listed = selectors.filter_items(
        items_for_user(lead), {"status": status}, today=date(2024, 1, 1)
    )

    expected = ["january", "march", "no-deadline"] + (["closed"] if status == "all" else [])
    assert [item.reference for item in listed] == expected


@pytest.mark.django_db
def test_another_forces_items_are_not_listed(force, other_force, lead):
    mine = factories.ItemFactory(inspection__force=force)
    factories.ItemFactory(inspection__force=other_force, due_on=date(2020, 1, 1))

    assert list(items_for_user(lead)) == [mine]


# One query for the rows; an inspector needs one more for the forces assigned to them
# (cached on the user afterwards).
QUERIES = {"lead": 1, "inspector": 2, "administrator": 1}


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("role", list(QUERIES))
def test_query_count_does_not_grow_with_the_rows(
    role, rows, force, other_force, request, django_assert_num_queries
):
    cause = factories.CauseOfConcernFactory(inspection__force=force)
    for n in range(rows):
        owner = factories.ActionOwnerFactory(force=force, username=f"owner{n}")
        factories.ItemFactory(inspection__force=force, owner=owner, cause_of_concern=cause)
    elsewhere = factories.ActionOwnerFactory(force=other_force, username="elsewhere")
    factories.ItemFactory(inspection__force=other_force, owner=elsewhere)  # only admins see it
    user = User.objects.get(pk=request.getfixturevalue(role).pk)  # nothing cached

    with django_assert_num_queries(QUERIES[role]):
        items = list(items_for_user(user))
        seen = [
            (
                item.inspection.title,
                item.force.name,
                item.owner.username,
                str(item.cause_of_concern),
            )
            for item in items
        ]

    assert len(seen) == rows + (role == "administrator")
    assert {owner for _, _, owner, _ in seen} >= {f"owner{n}" for n in range(rows)}


# --- Monitoring stage -----------------------------------------------------------------------

HISTORY = [
    (MonitoringStage.SCAN, date(2015, 1, 1)),
    (MonitoringStage.ENGAGE, date(2019, 9, 1)),
    (MonitoringStage.SCAN, date(2025, 4, 10)),
]


@pytest.fixture
def history(force, inspector):
    for stage, started_on in HISTORY:
        services.force_record_monitoring_stage(
            force=force, user=inspector, stage=stage, started_on=started_on, note="  Letter.  "
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2014, 12, 31), None),
        (date(2015, 1, 1), (MonitoringStage.SCAN, date(2015, 1, 1))),
        (date(2019, 8, 31), (MonitoringStage.SCAN, date(2015, 1, 1))),
        (date(2019, 9, 1), (MonitoringStage.ENGAGE, date(2019, 9, 1))),
        (date(2023, 6, 1), (MonitoringStage.ENGAGE, date(2019, 9, 1))),
        (date(2025, 4, 9), (MonitoringStage.ENGAGE, date(2019, 9, 1))),
        (date(2025, 4, 10), (MonitoringStage.SCAN, date(2025, 4, 10))),
    ],
)
def test_current_stage_on_a_date(force, history, on, expected):
    stage = selectors.current_stage(force, on=on)

    assert (stage and (stage.stage, stage.started_on)) == expected


@pytest.mark.django_db
@time_machine.travel(datetime(2025, 5, 1, 12, tzinfo=UTC), tick=False)
def test_current_stage_defaults_to_today(force, other_force, history, inspector):
    stage = selectors.current_stage(force)

    assert (stage.stage, stage.started_on) == (MonitoringStage.SCAN, date(2025, 4, 10))
    assert (stage.recorded_by, stage.note) == (inspector, "Letter.")
    assert selectors.current_stage(other_force) is None


@pytest.mark.django_db
def test_one_monitoring_stage_per_force_per_day(force, history, inspector):
    with pytest.raises(InvalidInput):
        services.force_record_monitoring_stage(
            force=force, user=inspector, stage=MonitoringStage.ENGAGE, started_on=date(2025, 4, 10)
        )

    assert MonitoringStageChange.objects.count() == len(HISTORY)


@pytest.mark.django_db
def test_unknown_monitoring_stage_is_refused(force, inspector):
    with pytest.raises(InvalidInput):
        services.force_record_monitoring_stage(
            force=force, user=inspector, stage="special-measures-typo", started_on=date(2024, 1, 1)
        )

    assert not MonitoringStageChange.objects.exists()


@pytest.mark.django_db
def test_the_dashboard_shows_the_grades_of_the_forces_latest_graded_inspection():
    force, other = factories.ForceFactory(), factories.ForceFactory()
    assert selectors.latest_judgments(force) == (None, [])
    older = factories.InspectionFactory(force=force, published_on=date(2023, 5, 1))
    factories.GradedJudgmentFactory(inspection=older, area="Investigating crime")
    latest = factories.InspectionFactory(force=force, published_on=date(2024, 5, 1))
    factories.GradedJudgmentFactory(inspection=latest, area="Treatment of the public")
    # Newer inspections without grades, or of another force, are not the graded one.
    factories.InspectionFactory(force=force, published_on=date(2025, 5, 1))
    elsewhere = factories.InspectionFactory(force=other, published_on=date(2026, 1, 1))
    factories.GradedJudgmentFactory(inspection=elsewhere)

    inspection, judgments = selectors.latest_judgments(force)

    assert inspection == latest
    assert [j.area for j in judgments] == ["Treatment of the public"]

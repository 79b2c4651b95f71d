import pytest

from notifications.ladder import DEFAULT_LADDER, Ladder, Step, current_ladder
from notifications.models import EscalationStep
from notifications.policy import Audience

pytestmark = pytest.mark.django_db


def test_the_data_migration_seeds_the_default_ladder():
    ladder = current_ladder()
    assert ladder.steps == DEFAULT_LADDER
    assert [s.day for s in ladder.steps] == [1, 14, 30]
    assert ladder.steps[-1].repeat_every_days == 7


@pytest.mark.parametrize(
    ("days_overdue", "occurrence"),
    [(0, None), (1, 1), (13, 1), (14, 14), (29, 14), (30, 30), (36, 30), (37, 37), (50, 44)],
)
def test_occurrence_is_the_latest_step_reached(days_overdue, occurrence):
    assert Ladder(DEFAULT_LADDER).occurrence(days_overdue) == occurrence


def test_the_audience_grows_and_is_kept():
    ladder = Ladder(DEFAULT_LADDER)
    assert ladder.audiences_at(1) == {Audience.OWNERS, Audience.FORCE_LEADS}
    assert ladder.audiences_at(14) == {
        Audience.OWNERS,
        Audience.FORCE_LEADS,
        Audience.EXECUTIVE_SPONSORS,
    }
    assert ladder.audiences_at(44) == set(Audience.ALL)
    assert ladder.first_day(Audience.INSPECTORS) == 30


def test_an_overdue_item_never_goes_silent_even_if_the_last_step_does_not_repeat():
    ladder = Ladder((Step(1, frozenset({Audience.FORCE_LEADS})),))
    assert ladder.occurrence(100) == 99  # every 7 days, the safety net
    assert Ladder(()).steps == DEFAULT_LADDER  # an emptied ladder falls back to the default


def test_the_last_step_must_repeat_when_edited_in_the_admin():
    step = EscalationStep(day=60, to_inspectors=True)
    with pytest.raises(Exception, match="must repeat"):
        step.full_clean()
    EscalationStep(day=60, to_inspectors=True, repeat_every_days=14).full_clean()

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommendations.deadlines import (
    NO_DEADLINE,
    Deadline,
    DeadlineRule,
    anchor_date,
    deadline_lead,
    due_date_for,
    parse_deadline,
)
from tests.cpu_time import assert_doubling_is_linear, cpu_seconds

# Seed publication 001 (published 7 August 2018): three real recommendations.
REC_CONTROL_ROOM = (
    "Within three months, the force should take steps to identify and address gaps in its "
    "systems and processes within its control room for identifying and recording all reports of "
    "crime. This work should include a review of:-the process for the supervision..."
)
REC_POINT_OF_REPORT = (
    "Within six months the force should put in place arrangements to ensure that:-at the point "
    "of report, ..."
)
REC_TRAINING = (
    "Within six months, the force should design and provide training for relevant staff in "
    "regard to:-the importance of the first account..."
)


@pytest.mark.parametrize(
    ("text", "phrase", "months", "weeks", "days"),
    [
        (REC_CONTROL_ROOM, "Within three months", 3, 0, 0),
        (REC_POINT_OF_REPORT, "Within six months", 6, 0, 0),
        (REC_TRAINING, "Within six months", 6, 0, 0),
        ("Within 28 days, chief constables should ...", "Within 28 days", 0, 0, 28),
        ("Within two weeks the force should ...", "Within two weeks", 0, 2, 0),
        ("The force should, within 6 months, review ...", "within 6 months", 6, 0, 0),
        ("Within a month the force should ...", "Within a month", 1, 0, 0),
        ("Within one week the force should ...", "Within one week", 0, 1, 0),
        ("Within twelve months the force should ...", "Within twelve months", 12, 0, 0),
        ("Within 12 months the force should ...", "Within 12 months", 12, 0, 0),
        ("Within twenty-eight days the force should", "Within twenty-eight days", 0, 0, 28),
        ("Within twenty eight days the force should", "Within twenty eight days", 0, 0, 28),
        ("Within ninety-nine days the force should", "Within ninety-nine days", 0, 0, 99),
        ("Within thirty days the force should", "Within thirty days", 0, 0, 30),
        ("Within eighteen months the force should", "Within eighteen months", 18, 0, 0),
        (
            "Within the next three months, the force should ...",
            "Within the next three months",
            3,
            0,
            0,
        ),
        ("Within the next month the force should", "Within the next month", 1, 0, 0),
        ("WITHIN THREE MONTHS THE FORCE SHOULD", "WITHIN THREE MONTHS", 3, 0, 0),
        ("Within two years the force should", "Within two years", 24, 0, 0),
        ("Within three calendar months the force should", "Within three calendar months", 3, 0, 0),
        (
            "Within three months of the publication of this report, forces should ...",
            "Within three months",
            3,
            0,
            0,
        ),
    ],
)
def test_relative_deadlines(text: str, phrase: str, months: int, weeks: int, days: int) -> None:
    assert parse_deadline(text) == Deadline(
        DeadlineRule.RELATIVE, phrase=phrase, months=months, weeks=weeks, days=days
    )


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Cleveland Police should take immediate steps to:", "immediate steps"),
        ("The force should immediately:", "immediately"),
        ("The force must take immediate action to protect victims.", "immediate action"),
        ("We recommend that the force immediately reviews its policy.", "immediately"),
        ("Chief constables need to act immediately.", "immediately"),
        ("The force should immediately\u00a0review its policy.", "immediately"),
    ],
)
def test_immediate_deadlines(text: str, phrase: str) -> None:
    assert parse_deadline(text) == Deadline(DeadlineRule.IMMEDIATE, phrase=phrase)


@pytest.mark.parametrize(
    ("text", "on", "phrase"),
    [
        (
            "By 30 September 2024, the service should ensure it has an effective system...",
            date(2024, 9, 30),
            "By 30 September 2024",
        ),
        (
            "The force should, not later than 31 March 2015, publish ...",
            date(2015, 3, 31),
            "not later than 31 March 2015",
        ),
        (
            "The force should, no later than 1st June 2021, publish ...",
            date(2021, 6, 1),
            "no later than 1st June 2021",
        ),
        ("By 30th September 2024 the force should", date(2024, 9, 30), "By 30th September 2024"),
        ("By 2nd Sep 2024 the force should", date(2024, 9, 2), "By 2nd Sep 2024"),
        ("By 3rd Sept 2024 the force should", date(2024, 9, 3), "By 3rd Sept 2024"),
        ("By 23 Dec 2024 the force should", date(2024, 12, 23), "By 23 Dec 2024"),
        (
            "The force should on or before 31 Jan 2025 publish",
            date(2025, 1, 31),
            "on or before 31 Jan 2025",
        ),
        ("By April 2023 the force should ...", date(2023, 4, 30), "By April 2023"),
        ("By February 2024 the force should ...", date(2024, 2, 29), "By February 2024"),
        ("By Feb 2023 the force should ...", date(2023, 2, 28), "By Feb 2023"),
        (
            "By the end of March 2024, the force should",
            date(2024, 3, 31),
            "By the end of March 2024",
        ),
        ("by 30\u00a0september\u00a02024 the service should", date(2024, 9, 30), None),
    ],
)
def test_absolute_deadlines(text: str, on: date, phrase: str | None) -> None:
    deadline = parse_deadline(text)
    assert (deadline.rule, deadline.on) == (DeadlineRule.ABSOLUTE, on)
    # The phrase is sliced from the caller's text, so non-breaking spaces survive.
    assert deadline.phrase == (phrase or text.removesuffix(" the service should"))
    assert deadline.due_on(None) == on


@pytest.mark.parametrize(
    "text",
    [
        "Cleveland Police should continue to develop:",
        "The force hasn't fully addressed the cause of concern about preventing crime and "
        "antisocial behaviour identified in the 2019 PEEL inspection.",
        "The force hasn\u2019t fully addressed the cause of concern identified in the 2019 PEEL "
        "inspection.",
        "In May 2022, 49 percent of bail cases were reviewed. The force should improve this.",
        "The force should build on the progress it has made since March 2021.",
        "The force should review its response to the findings of 30 September 2024.",
        "From April 2023 the force should report monthly.",
        "By April 2023, 60 percent of cases had been reviewed. The force has improved.",
        "What is immediately obvious is that the force has improved.",
        "The force should ensure bail is reviewed. Cases were reviewed immediately.",
        "The force should ensure that suspects are charged within 28 days of arrest.",
        "Area for improvement: the force should improve how it records crime.",
    ],
)
def test_narrative_is_not_a_deadline(text: str) -> None:
    assert parse_deadline(text) == NO_DEADLINE


def test_first_deadline_phrase_wins() -> None:
    text = "By 30 September 2024 the force should act immediately and within three months ..."
    assert parse_deadline(text).rule == DeadlineRule.ABSOLUTE
    text = "Within three months the force should act by 30 September 2024."
    assert parse_deadline(text).months == 3


def test_curly_apostrophes_and_non_breaking_spaces() -> None:
    text = "The force\u2019s leaders should\u00a0immediately review ..."
    assert parse_deadline(text).rule == DeadlineRule.IMMEDIATE
    text = "The force\u2019s leaders should, within\u00a0twenty\u2011eight days, review ..."
    deadline = parse_deadline(text)
    assert (deadline.days, deadline.phrase) == (28, "within\u00a0twenty\u2011eight days")


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "by",
        "within",
        "within the next",
        "immediate",
        "by 31 February 2024",
        "The force should act by 31 February 2024.",
        "The force should act by 0 March 2024.",
        "The force should act by 1 March 0000.",
        "within 0 months",
        "within 99999999 months",
        "within 99999999 days",
        "within 11 years",
        "within -3 months",
        "within three hours",
        "within 28 working days",
        "by 30/09/2024 the force should",
        "\u00a0\u2019\u2011.!?" * 50,
        "within " * 1000,
        "should. " * 1000,
    ],
)
def test_odd_input_never_raises_and_is_not_a_deadline(text: str) -> None:
    assert parse_deadline(text) == NO_DEADLINE


@pytest.mark.parametrize(
    ("deadline", "anchor", "due"),
    [
        (Deadline(DeadlineRule.RELATIVE, months=6), date(2018, 8, 31), date(2019, 2, 28)),
        (Deadline(DeadlineRule.RELATIVE, months=6), date(2019, 8, 31), date(2020, 2, 29)),
        (Deadline(DeadlineRule.RELATIVE, months=3), date(2018, 8, 7), date(2018, 11, 7)),
        (Deadline(DeadlineRule.RELATIVE, months=24), date(2020, 2, 29), date(2022, 2, 28)),
        (Deadline(DeadlineRule.RELATIVE, weeks=2), date(2018, 12, 25), date(2019, 1, 8)),
        (Deadline(DeadlineRule.RELATIVE, days=28), date(2024, 2, 10), date(2024, 3, 9)),
        (Deadline(DeadlineRule.IMMEDIATE), date(2023, 3, 17), date(2023, 3, 17)),
        (
            Deadline(DeadlineRule.ABSOLUTE, on=date(2024, 9, 30)),
            date(2023, 1, 1),
            date(2024, 9, 30),
        ),
        (NO_DEADLINE, date(2023, 1, 1), None),
        (NO_DEADLINE, None, None),
    ],
)
def test_due_on(deadline: Deadline, anchor: date | None, due: date | None) -> None:
    assert deadline.due_on(anchor) == due


@pytest.mark.parametrize(
    "deadline",
    [Deadline(DeadlineRule.RELATIVE, "Within three months", months=3), Deadline("immediate")],
)
def test_due_on_needs_an_anchor_for_relative_and_immediate(deadline: Deadline) -> None:
    with pytest.raises(ValueError, match="needs an anchor date"):
        deadline.due_on(None)


@pytest.mark.parametrize(
    ("issued_on", "published_on", "anchor"),
    [
        (date(2018, 8, 1), date(2018, 8, 7), date(2018, 8, 1)),
        (None, date(2018, 8, 7), date(2018, 8, 7)),
        (date(2018, 8, 1), None, date(2018, 8, 1)),
        (None, None, None),
    ],
)
def test_anchor_date_prefers_issued_on(
    issued_on: date | None, published_on: date | None, anchor: date | None
) -> None:
    assert anchor_date(issued_on=issued_on, published_on=published_on) == anchor


@pytest.mark.parametrize(
    ("text", "due"),
    [
        (REC_CONTROL_ROOM, date(2018, 11, 7)),
        (REC_POINT_OF_REPORT, date(2019, 2, 7)),
        (REC_TRAINING, date(2019, 2, 7)),
    ],
)
def test_seed_publication_001_due_dates(text: str, due: date) -> None:
    deadline, due_on = due_date_for(text, issued_on=None, published_on=date(2018, 8, 7))
    assert deadline.rule == DeadlineRule.RELATIVE
    assert due_on == due


def test_due_date_for_uses_issued_on_and_handles_no_deadline() -> None:
    text = "Cleveland Police should take immediate steps to:"
    assert due_date_for(text, issued_on=date(2023, 3, 17), published_on=date(2023, 4, 1)) == (
        Deadline(DeadlineRule.IMMEDIATE, phrase="immediate steps"),
        date(2023, 3, 17),
    )
    text = "Cleveland Police should continue to develop:"
    assert due_date_for(text, issued_on=None, published_on=None) == (NO_DEADLINE, None)


# -- a lead-in read once for all its points, and time linear in the text -----------------------

_PHRASES = [
    "Within three months",
    "within 28 days of arrest",
    " of this report",
    "immediately",
    "immediate steps",
    "by 30 September 2024",
    "by Mar. 2024",
    "no later than 1 May 2025",
    "the force should",
    " must ",
    "needs to",
    ". ",
    "! ",
    ":",
    " ",
    ",",
]
_texts = st.lists(st.sampled_from(_PHRASES) | st.text(max_size=4), max_size=20).map("".join)


@settings(max_examples=300, deadline=None)
@given(_texts, _texts.filter(bool))
def test_a_lead_in_read_once_gives_what_lead_in_and_point_give_together(lead, point):
    for lead_in in (f"{lead}:", lead):
        together = parse_deadline(f"{lead_in} {point}")
        assert parse_deadline(point, lead=deadline_lead(lead_in)) == together


@pytest.mark.parametrize(
    ("lead_in", "point", "phrase"),
    [
        ("Within three months, the force should:", "review its plans", "Within three months"),
        ("We found that by April 2023 it had not acted. The force should:", "act", ""),
        ("Cleveland Police should take immediate steps to:", "act", "immediate steps"),
        ("By 30 September 2024:", "the force should act", "By 30 September 2024"),
        ("By 30 September 2024:", "it is done", ""),
        ("The force should:", "act within 28 days", "within 28 days"),
    ],
)
def test_the_deadline_of_a_point_of_a_lead_in(lead_in, point, phrase):
    assert parse_deadline(point, lead=deadline_lead(lead_in)).phrase == phrase


def test_many_deadline_phrases_in_one_sentence_cost_linear_time():
    def text(repeats: int) -> str:
        phrases = "by the end of March 2027 within the next six calendar months " * repeats
        return f"Within three months, {phrases} the force should act."

    assert parse_deadline(text(1_000)).phrase == "Within three months"
    # Four times the input, at most eight times the time (quadratic would be sixteen).
    assert_doubling_is_linear(parse_deadline, text(10_000), text(40_000), factor=4)


def test_a_long_run_of_full_stops_costs_linear_time():
    text = "The force should act" + "." * 500_000 + " now"
    assert cpu_seconds(parse_deadline, text, runs=3) < 0.5

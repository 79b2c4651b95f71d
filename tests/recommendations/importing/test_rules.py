"""Each structural rule of the importer, on its own (issue 13)."""

from datetime import date

import pytest

from recommendations.deadlines import DeadlineRule, parse_deadline
from recommendations.importing import parse_publication
from recommendations.importing.grades import (
    bullet_grade_of,
    grade_of,
    grades_of,
    line_grades,
    list_lead_grade,
    paragraph_grades,
)
from recommendations.importing.register import lift_event_log
from recommendations.importing.structure import (
    AREA_FOR_IMPROVEMENT,
    CAUSE_OF_CONCERN,
    RECOMMENDATION,
)

ISSUED = date(2024, 5, 1)


def _kinds(publication):
    return [item.kind for item in publication.items]


# -- deadline phrasings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule", "due"),
    [
        ("With immediate effect, the force should stop using the form.", "immediate", ISSUED),
        ("The force should, with immediate effect, stop using the form.", "immediate", ISSUED),
        ("As a matter of urgency, the service should review its policy.", "immediate", ISSUED),
        ("The service should at once review its policy.", "immediate", ISSUED),
        ("By the end of March 2025, the force should train its staff.", "absolute", None),
        ("No later than 30 June 2024, the force should train its staff.", "absolute", None),
        ("Within 28 days of this letter, the force should provide a plan.", "relative", None),
    ],
)
def test_every_deadline_phrasing(text, rule, due):
    deadline = parse_deadline(text)

    assert deadline.rule == rule
    if due is not None:
        assert deadline.due_on(ISSUED) == due
    if rule == "absolute":
        assert deadline.due_on(None) in (date(2025, 3, 31), date(2024, 6, 30))
    if rule == "relative":
        assert deadline.due_on(ISSUED) == date(2024, 5, 29)


def test_within_days_of_an_arrest_is_still_not_a_deadline():
    assert parse_deadline("Forces should charge within 28 days of arrest.").rule == "none"


# -- grades ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "area", "grade"),
    [
        ("The constabulary is good at treating people fairly.", "treating people fairly", "good"),
        ("The force is inadequate at investigating crime.", "investigating crime", "inadequate"),
        (
            "The service requires improvement at protecting the public through fire regulation.",
            "protecting the public through fire regulation",
            "requires-improvement",
        ),
        (
            "Kent Police was judged to be outstanding at treating people fairly.",
            "treating people fairly",
            "outstanding",
        ),
    ],
)
def test_rule_sentence_grades(sentence, area, grade):
    assert (grade_of(sentence).area, grade_of(sentence).grade) == (area, grade)


def test_rule_sentence_needs_the_organisation_as_subject():
    assert grade_of("The force control room is good at managing the well-being of staff.") is None
    assert grade_of("It is good at investigating crime.") is None


def _pairs(grades):
    return [(g.area, g.grade) for g in grades]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The extent to which the force is effective at keeping people safe and reducing "
            "crime requires improvement.",
            [("effective at keeping people safe and reducing crime", "requires-improvement")],
        ),
        (
            "the extent to which the force operates efficiently and sustainably is outstanding.",
            [("operates efficiently and sustainably", "outstanding")],
        ),
        (
            "The extent to which the force is efficient at keeping people safe is: good.",
            [("efficient at keeping people safe", "good")],
        ),
        ("The extent to which the force is legitimate at keeping people safe: not yet graded.", []),
        ("The extent to which the force is efficient at reducing crime is not graded.", []),
    ],
)
def test_rule_extent_pillar_grades(sentence, expected):
    assert _pairs(grades_of(sentence)) == expected


def test_rule_coordinated_grades_share_or_change_the_grade():
    assert _pairs(
        grades_of(
            "The force is good at reducing crime, good at investigating offending and good at "
            "tackling anti-social behaviour;"
        )
    ) == [
        ("reducing crime", "good"),
        ("investigating offending", "good"),
        ("tackling anti-social behaviour", "good"),
    ]
    assert _pairs(
        grades_of(
            "Kent Police is good at ensuring its workforce behaves lawfully and outstanding at "
            "treating its workforce fairly."
        )
    ) == [
        ("ensuring its workforce behaves lawfully", "good"),
        ("treating its workforce fairly", "outstanding"),
    ]
    # A second clause ends the area; "and" inside an area is not a second area.
    assert _pairs(grades_of("Kent Police is good at reducing crime, and it continues to.")) == [
        ("reducing crime", "good")
    ]
    assert _pairs(
        grades_of("The force is good at preventing crime and anti-social behaviour.")
    ) == [("preventing crime and anti-social behaviour", "good")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The way it protects the public through fire regulation is inadequate.",
            ("The way it protects the public through fire regulation", "inadequate"),
        ),
        (
            "the efficiency with which the force carries out its duties is outstanding; and",
            ("the efficiency with which the force carries out its duties", "outstanding"),
        ),
        (
            "We judge it to require improvement in how it uses resources.",
            ("how it uses resources", "requires-improvement"),
        ),
        (
            "It is judged to be good at ensuring its workforce behaves lawfully.",
            ("ensuring its workforce behaves lawfully", "good"),
        ),
    ],
)
def test_rules_reversed_and_we_judge(sentence, expected):
    assert _pairs(grades_of(sentence)) == [expected]


def test_rule_mid_paragraph_grades_but_not_inside_a_quotation():
    text = (
        "In 2015 we found progress. The force is good at managing risks to its integrity and "
        "has a vetting process. In terms of its effectiveness, the force is good at "
        "investigating offending; Kent said: \u201cThe force is outstanding at everything.\u201d"
    )
    assert _pairs(paragraph_grades(text)) == [
        ("managing risks to its integrity", "good"),
        ("investigating offending", "good"),
    ]


def test_rule_list_lead_gives_its_grade_to_each_point():
    assert list_lead_grade("The way it works is poor. It requires improvement to:") == (
        "requires-improvement"
    )
    assert list_lead_grade("We judge it to be good at:") == "good"
    assert list_lead_grade("The force should:") is None
    publication = parse_publication(
        "Northshire FRS\nIt requires improvement in:\n- getting the right people;\n"
        "- ensuring fairness; and\n- managing performance.\n"
    )
    assert _pairs(publication.grades) == [
        ("getting the right people", "requires-improvement"),
        ("ensuring fairness", "requires-improvement"),
        ("managing performance", "requires-improvement"),
    ]
    assert publication.items == []


def test_rule_bullet_grades():
    grade = bullet_grade_of("is \u2018inadequate\u2019 at looking after its people.")
    assert (grade.area, grade.grade) == ("looking after its people", "inadequate")
    assert bullet_grade_of("the force should review its policy") is None


def test_rule_label_grades_under_area_headings():
    grades = line_grades(["Investigating crime", "Requires improvement", "Narrative text."])
    assert [(g.area, g.grade) for g in grades] == [("Investigating crime", "requires-improvement")]


def test_rule_table_grades_need_two_rows_or_a_header():
    rows = [
        "Preventing fires and other risks Good",
        "Responding to fires and other emergencies Adequate",
    ]
    assert [g.grade for g in line_grades(rows)] == ["good", "adequate"]
    assert line_grades(rows[:1]) == []
    assert [g.grade for g in line_grades(["Question Score", rows[0]])] == ["good"]


def test_four_tier_peel_question_and_its_grade():
    grades = line_grades(
        ["How effective is the force at keeping people safe and reducing crime?", "Good"]
    )
    assert grades[0].grade == "good"


def test_a_grades_only_publication_imports_its_grades():
    publication = parse_publication(
        "Northshire Fire and Rescue Service\nUnderstanding risk Good\nPreventing fires Adequate\n"
    )
    assert publication.items == []
    assert [g.grade for g in publication.grades] == ["good", "adequate"]


# -- structure -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "intro",
    [
        "One area for improvement remained:",
        "We identified the following areas for improvement:",
        "We also identified two areas for improvement:",
    ],
)
def test_rule_introduced_areas(intro):
    publication = parse_publication(
        f"Letter\n{intro}\nThe force should improve how it records use of force.\n"
    )
    assert _kinds(publication) == [AREA_FOR_IMPROVEMENT]


def test_rule_headingless_letter_recommendations():
    publication = parse_publication(
        "Dear Chief Constable\nWe revisited the force in May.\n"
        "With immediate effect, the force should stop closing cases without supervision.\n"
        "By the end of March 2025, the force should train all its call handlers.\n"
        "But more needs to be done to look beyond what is immediately obvious.\n",
        issued_on=ISSUED,
    )
    assert _kinds(publication) == [RECOMMENDATION, RECOMMENDATION]
    first, second = publication.items
    assert (first.deadline.rule, first.due_on) == (DeadlineRule.IMMEDIATE, ISSUED)
    assert (second.deadline.rule, second.due_on) == (DeadlineRule.ABSOLUTE, date(2025, 3, 31))


def test_rule_introduced_cause_of_concern_with_its_recommendations():
    publication = parse_publication(
        "Letter\nWe identified the following cause of concern:\n"
        "The force does not supervise investigations well enough.\n"
        "Within three months, the force should:\n• review its supervision; and\n"
        "• train its sergeants.\n",
        issued_on=ISSUED,
    )
    assert _kinds(publication) == [CAUSE_OF_CONCERN, RECOMMENDATION, RECOMMENDATION]
    assert {item.due_on for item in publication.items[1:]} == {date(2024, 8, 1)}


def test_rule_action_plan_points_are_recommendations_of_their_own():
    publication = parse_publication(
        "Recommendations\nWithin three months, the service should provide an action plan that:\n"
        "• sets out how it will inspect high-risk premises; and\n"
        "• explains how it will train its inspectors.\n",
        issued_on=ISSUED,
    )
    assert _kinds(publication) == [RECOMMENDATION, RECOMMENDATION]
    assert {item.due_on for item in publication.items} == {date(2024, 8, 1)}


def test_rule_explanatory_bullet_belongs_to_the_point_before_it():
    publication = parse_publication(
        "Recommendations\nThe force should immediately:\n• review its custody policy;\n"
        "• for example, the checks on detainees at risk; and\n• train its sergeants.\n",
        issued_on=ISSUED,
    )
    assert len(publication.items) == 2
    assert "for example" in publication.items[0].text


def test_rule_out_of_order_box_and_area_statement_after_narrative():
    publication = parse_publication(
        "Area for improvement\nMain findings\nThe force answers calls well.\n"
        "The force needs to attend calls within its published time frames\n"
        "In 11 of 53 cases it did not.\n"
        "Areas for improvement\nThe force should improve its bail management\n"
        "We found delays.\n"
        "The force should make sure its planning considers well-being. We found overtime.\n"
    )
    assert [item.text for item in publication.items] == [
        "The force needs to attend calls within its published time frames",
        "The force should improve its bail management",
        "The force should make sure its planning considers well-being.",
    ]
    assert publication.warnings == []


def test_rule_dash_list_goes_on_after_a_full_stop():
    publication = parse_publication(
        "Areas for improvement\n- The force should improve its analysis of demand.\n"
        "- The force should share data with partners.\n- The force should train its staff.\n"
    )
    assert _kinds(publication) == [AREA_FOR_IMPROVEMENT] * 3


def test_rule_page_furniture_is_not_an_area_label():
    grades = parse_publication(
        "Skip to content\nLegitimacy\nHow legitimately does the force treat the public?\n"
        "Last updated 20/01/2020\nGood\n"
    ).grades
    assert _pairs(grades) == [("How legitimately does the force treat the public?", "good")]


def test_rule_cut_off_register_log_keeps_its_last_entry():
    text, log = lift_event_log(
        "[on]4th September 2014 [status]awaiting-review[/status][/on]"
        "[on]28th November 2017 [comment]\n\nInspected again in PEEL."
    )
    assert [(entry.status, entry.comment) for entry in log] == [
        ("awaiting-review", ""),
        (None, "Inspected again in PEEL."),
    ]
    assert "Inspected" not in text


def test_rule_quoted_cause_before_the_recommendations():
    publication = parse_publication(
        "Revisit letter\nResponding to the public\nOur inspection found:\n"
        "\u201cThe force is failing to respond to vulnerable people.\u201d\n"
        "We made the following recommendations:\n"
        "\u2022 The force should immediately develop a plan.\n"
        "\u2022 Within three months, the force should review its policy.\n",
        issued_on=ISSUED,
    )
    assert _kinds(publication) == [CAUSE_OF_CONCERN, RECOMMENDATION, RECOMMENDATION]
    assert [item.parent for item in publication.items] == [None, 0, 0]
    assert [item.due_on for item in publication.items[1:]] == [ISSUED, date(2024, 8, 1)]


def test_rule_empty_heading_is_a_warning():
    publication = parse_publication(
        "Cause of concern\nSummary\nAreas for improvement\nThe force should improve its bail "
        "management\nArea for improvement\nMain findings\nNothing here.\n"
    )
    assert len(publication.warnings) == 2
    assert "Cause of concern" in publication.warnings[0]
    assert "Area for improvement" in publication.warnings[1]


def test_rule_announced_cause_opens_a_cause_of_concern():
    publication = parse_publication(
        "Prevention activity isn\u2019t a sufficiently high priority for the service.\n\n"
        "HMICFRS has therefore issued an accelerated cause of concern to Anyshire Fire and "
        "Rescue Service. This process is accelerated when failures raise risks.\n\n"
        "The service should, within 28 days, provide an action plan.\n",
        issued_on=ISSUED,
    )
    assert _kinds(publication) == [CAUSE_OF_CONCERN, RECOMMENDATION]
    assert publication.items[0].text.startswith("HMICFRS has therefore issued")
    assert publication.items[1].parent == 0
    assert publication.items[1].due_on == date(2024, 5, 29)


def test_rule_recommended_lead_in_makes_each_point_a_recommendation():
    publication = parse_publication(
        "HMICFRS has issued a cause of concern to the service.\n\n"
        "As the concern is serious, we report it now.\n\n"
        "HMICFRS has recommended that the service should make sure:\n"
        "- it develops a prevention strategy;\n"
        "- it trains its staff; and\n"
        "- its prevention department has enough resources.\n"
    )
    assert _kinds(publication) == [CAUSE_OF_CONCERN] + [RECOMMENDATION] * 3
    assert [item.parent for item in publication.items] == [None, 0, 0, 0]
    assert str(publication.items[1].deadline.rule) == "none"


def test_rule_headline_is_not_a_headingless_recommendation():
    publication = parse_publication(
        "Anyshire Fire and Rescue Service must take immediate action to prioritise prevention\n\n"
        "Anyshire Fire and Rescue Service should immediately review its prevention activity.\n"
    )
    assert len(publication.items) == 1
    assert publication.items[0].text.endswith("review its prevention activity.")


def test_rule_listed_causes_makes_each_point_a_cause_of_concern():
    publication = parse_publication(
        "Background\n\nIn January 2024 we identified two accelerated causes of concern, which "
        "were that the force:\n\n"
        "  \u2022 needs to improve how it carries out investigations; and\n"
        "  \u2022 doesn\u2019t have adequate governance arrangements in place.\n\n"
        "On 11 March 2024, we moved the force to the Engage phase.\n"
    )
    assert _kinds(publication) == [CAUSE_OF_CONCERN, CAUSE_OF_CONCERN]
    first = publication.items[0].text
    assert first == "The force needs to improve how it carries out investigations"


def test_rule_announced_cause_in_passing():
    publication = parse_publication(
        "The inspectorate found serious concerns about how the service manages resources. This "
        "is a cause of concern in relation to the scrutiny of financial decisions.\n"
    )
    assert _kinds(publication) == [CAUSE_OF_CONCERN]


def test_rule_announced_cause_is_not_read_where_a_heading_sets_causes_out():
    publication = parse_publication(
        "Summary\n\nWe have identified a new cause of concern about investigations.\n\n"
        "Cause of concern\n\nThe force is failing to investigate crime well.\n\n"
        "Recommendations\n\nWithin three months, the force should review its investigations.\n",
        issued_on=ISSUED,
    )
    assert _kinds(publication) == [CAUSE_OF_CONCERN, RECOMMENDATION]

import json
from datetime import date

import pytest

from recommendations.deadlines import DeadlineRule
from recommendations.importing import PublicationParseError, parse_publication
from recommendations.importing.errors import NO_FINDINGS_MESSAGE

from .conftest import read_fixture

COC = "cause-of-concern"
REC = "recommendation"
AFI = "area-for-improvement"


def of_kind(publication, kind):
    return [item for item in publication.items if item.kind == kind]


# -- register page (seed 001) --------------------------------------------------------------


def test_register_entry_has_one_cause_of_concern_and_three_recommendations(register_text):
    publication = parse_publication(register_text, published_on=date(2018, 8, 7))

    assert publication.title == "Cleveland Police: Crime Data Integrity inspection 2018"
    assert publication.references == ["9207"]
    assert [item.kind for item in publication.items] == [COC, REC, REC, REC]
    cause, *recommendations = publication.items
    assert cause.reference == "9207"
    assert cause.text.startswith("In Cleveland Police, officers and staff too often fail")
    assert cause.text.endswith("letting down too many victims of crime.")
    assert [item.reference for item in recommendations] == ["9207/1", "9207/2", "9207/3"]
    assert [item.parent for item in recommendations] == [0, 0, 0]
    assert [item.due_on for item in recommendations] == [
        date(2018, 11, 7),
        date(2019, 2, 7),
        date(2019, 2, 7),
    ]
    assert [item.deadline.phrase for item in recommendations] == [
        "Within three months",
        "Within six months",
        "Within six months",
    ]
    assert cause.deadline.rule == DeadlineRule.NONE and cause.due_on is None


def test_register_sub_points_stay_inside_their_recommendation(register_text):
    first, second, third = of_kind(parse_publication(register_text), REC)

    assert "review of: the process for the supervision" in first.text
    assert "; the grading process for incidents; and the procedure for arranging" in first.text
    assert second.text.startswith("Within six months the force should put in place")
    assert "and conversations between call handlers" in second.text
    assert third.text.endswith(
        "fully communicating all available information to officers deployed to incidents."
    )
    assert ":-" not in first.text + second.text + third.text


def test_register_event_log_is_history_and_status(register_text):
    publication = parse_publication(register_text, published_on=date(2018, 8, 7))

    for item in publication.items:
        assert item.status == "awaiting-review"
        assert len(item.history) == 1
        assert item.history[0].on == date(2018, 8, 7)
        assert item.history[0].status == "awaiting-review"
    assert "[on]" not in publication.items[-1].text


def test_without_a_date_relative_deadlines_have_no_due_date(register_text):
    publication = parse_publication(register_text)

    assert publication.published_on is None
    recommendations = of_kind(publication, REC)
    assert [item.due_on for item in recommendations] == [None, None, None]
    assert {item.deadline.rule for item in recommendations} == {DeadlineRule.RELATIVE}


def test_issued_on_is_the_anchor_when_known(register_text):
    publication = parse_publication(
        register_text, published_on=date(2018, 8, 7), issued_on=date(2018, 7, 31)
    )

    assert of_kind(publication, REC)[0].due_on == date(2018, 10, 31)


def test_json_shape(register_text):
    data = parse_publication(register_text, published_on=date(2018, 8, 7)).to_json_dict()

    assert set(data) == {"inspection", "grades", "items", "warnings"}
    assert data["inspection"] == {
        "title": "Cleveland Police: Crime Data Integrity inspection 2018",
        "published_on": "2018-08-07",
        "issued_on": None,
    }
    item = data["items"][1]
    assert set(item) == {
        "kind",
        "reference",
        "parent",
        "text",
        "deadline",
        "due_on",
        "status",
        "history",
    }
    assert item["deadline"] == {"rule": "relative", "phrase": "Within three months"}
    assert item["due_on"] == "2018-11-07"
    assert item["history"] == [{"on": "2018-08-07", "status": "awaiting-review", "comment": ""}]
    json.dumps(data)  # serialisable as it is


# -- PEEL report extracted from PDF (seed 004) -----------------------------------------------


@pytest.fixture
def peel(peel_text):
    return parse_publication(peel_text, published_on=date(2023, 3, 17))


def test_peel_graded_judgments(peel):
    grades = {grade.area: grade.grade for grade in peel.grades}

    assert len(peel.grades) == 10
    assert sorted(grades.values()) == sorted(
        ["good"] + ["adequate"] * 4 + ["requires-improvement"] * 3 + ["inadequate"] * 2
    )
    assert grades["operating efficiently"] == "inadequate"
    assert grades["prevention and deterrence"] == "inadequate"
    assert grades["investigating crime"] == "requires-improvement"
    assert grades["recording crime"] == "good"
    assert grades["managing serious and organised crime"] == "adequate"  # "SOC" written out


def test_peel_causes_of_concern_and_recommendations(peel):
    causes = of_kind(peel, COC)
    assert len(causes) == 2
    first, second = (peel.items.index(cause) for cause in causes)
    assert "preventing crime and antisocial behaviour" in causes[0].text
    assert "strategic planning, organisational management and value for money" in causes[1].text

    under_first = [item for item in peel.items if item.parent == first]
    under_second = [item for item in peel.items if item.parent == second]
    assert len(under_first) == 3
    assert {item.deadline.rule for item in under_first} == {DeadlineRule.IMMEDIATE}
    assert {item.due_on for item in under_first} == {date(2023, 3, 17)}
    assert "strategic direction and co-ordination of all prevention activity" in (
        under_first[0].text
    )
    assert "evidence-based policing" in under_first[2].text
    assert len(under_second) == 2
    assert {item.deadline.rule for item in under_second} == {DeadlineRule.NONE}
    assert {item.due_on for item in under_second} == {None}
    assert "co-ordinated financial and workforce plans" in under_second[1].text
    assert len(of_kind(peel, REC)) == 5
    assert all(item.reference == "" for item in peel.items)


@pytest.mark.parametrize(
    "words",
    [
        "communicates with the public, making sure messages align",
        "involves the community in local policing activity",
        "investigation plans are created where applicable",
        "Code of Practice for Victims of Crime",
        "identify hidden harm, particularly in instances where children go missing",
        "manages MARAC referrals",
        "bail and released under investigation",
        "workforce well-being with a specific focus on reducing officer sickness",
    ],
)
def test_peel_areas_for_improvement(peel, words):
    assert [item for item in of_kind(peel, AFI) if words in item.text]


def test_peel_areas_for_improvement_exclude_narrative(peel):
    areas = of_kind(peel, AFI)

    # Ten: the box printed out of order ("Area for improvement", "Main findings", and the
    # statement 35 lines on) and the second statement of the last box, after narrative.
    assert len(areas) == 10
    for area in areas:
        assert area.text.startswith("The force ")
        assert area.deadline.rule == DeadlineRule.NONE and area.due_on is None
        assert area.parent is None
        for narrative in ("In 8 of the 54 cases", "We found", "http"):
            assert narrative not in area.text
    assert areas[0].text == (
        "The force needs to improve how it communicates with the public, making sure messages "
        "align with force and community priorities, and responses are monitored"
    )


def test_peel_title_and_address_are_taken_from_the_text_but_not_a_date(peel_text):
    # The PDF prints no title, but names its PEEL round, its force and its own address.
    publication = parse_publication(peel_text)

    assert publication.title == "PEEL 2021/22: An inspection of Cleveland Police"
    assert publication.source_url.endswith("/peel-assessments/peel-assessments-2021-22/cleveland")
    assert publication.forces[0] == "Cleveland Police"
    assert publication.published_on is None
    assert {item.due_on for item in publication.items} == {None}


# -- texts without findings ------------------------------------------------------------------


def test_hmicfrs_news_release_has_no_findings():
    with pytest.raises(PublicationParseError) as raised:
        parse_publication(read_fixture("news_hmicfrs_cleveland_2025.txt"))
    assert raised.value.message == NO_FINDINGS_MESSAGE


NEWS_ARTICLE = """\
Northshire Police rated 'inadequate' at recording crime

The inspectorate has published its assessment of Northshire Police. Inspectors said the force
needs to improve how it records crime, and the force says it has "already made changes".

Among the recommendations made by the inspector are:
Review how the control room records reports of violent crime.
Ensure that all victims of domestic abuse are safeguarded.
Improving communication with the public.

The force should take steps to put things right, the chief inspector said.
"""


@pytest.mark.parametrize("text", ["", "   \n\n ", NEWS_ARTICLE, "Cause of concern\n"])
def test_text_without_findings_is_an_error(text):
    with pytest.raises(PublicationParseError):
        parse_publication(text)


def test_not_text_is_an_error():
    with pytest.raises(PublicationParseError):
        parse_publication(b"Cause of concern")  # type: ignore[arg-type]


# -- register format with a full event log ----------------------------------------------------

REGISTER_WITH_LOG = """\
Northshire Police: PEEL 2019 (10234)

Cause of concern

The force does not understand the demand it faces.

Within six months, the force should:-develop a model of current and future demand;-align its \
workforce plan with that model; and-publish the plan.

[on]2nd June 2020 [status]complete[/status][/on]
[on]12th March 2019 [status]awaiting-review[/status][/on]
[on]3rd October 2019 [comment]The force sent its demand model.[/comment][/on]
[on]14 October 2019 [status]being-progressed[/status] [comment]Plan not yet \
published.[/comment][/on]
"""


def test_register_event_log_in_date_order_with_latest_status():
    publication = parse_publication(REGISTER_WITH_LOG, published_on=date(2019, 3, 12))

    cause, *recommendations = publication.items
    assert cause.reference == "10234"
    assert [item.reference for item in recommendations] == ["10234/1", "10234/2", "10234/3"]
    assert recommendations[0].text == (
        "Within six months, the force should develop a model of current and future demand."
    )
    assert recommendations[2].text.endswith("should publish the plan.")
    assert {item.due_on for item in recommendations} == {date(2019, 9, 12)}
    for item in publication.items:
        assert item.status == "complete"
        assert [(entry.on, entry.status, entry.comment) for entry in item.history] == [
            (date(2019, 3, 12), "awaiting-review", ""),
            (date(2019, 10, 3), None, "The force sent its demand model."),
            (date(2019, 10, 14), "being-progressed", "Plan not yet published."),
            (date(2020, 6, 2), "complete", ""),
        ]


def test_register_page_with_two_entries_keeps_each_log():
    text = (
        "Northshire Police: PEEL 2021/22 (12001)\n"
        "Area for improvement\n"
        "The force should improve how it supervises investigations\n"
        "[on]1st April 2022 [status]awaiting-review[/status][/on]\n"
        "[on]1st May 2023 [status]no-further-action-needed[/status][/on]\n"
        "Northshire Police: PEEL 2021/22 (12002)\n"
        "Within 28 days, the force should publish its vetting backlog plan.\n"
        "[on]1st April 2022 [status]awaiting-review[/status][/on]\n"
    )
    publication = parse_publication(text, published_on=date(2022, 4, 1))

    area, recommendation = publication.items
    assert (area.kind, area.reference, area.status) == (AFI, "12001", "no-further-action-needed")
    assert len(area.history) == 2
    assert (recommendation.kind, recommendation.reference) == (REC, "12002")
    assert recommendation.parent is None
    assert recommendation.status == "awaiting-review"
    assert recommendation.due_on == date(2022, 4, 29)
    assert publication.references == ["12001", "12002"]


@pytest.mark.parametrize(
    "entry",
    [
        "[on]31st February 2019 [status]complete[/status][/on]",
        "[on]yesterday [status]complete[/status][/on]",
        "[on]1st March 2019 [status]closed-ish[/status][/on]",
        "[on]1st March 2019 [/on]",
    ],
)
def test_unreadable_event_log_entry_is_a_clear_error(entry):
    text = f"Title (1)\nWithin three months, the force should act.\n{entry}"
    with pytest.raises(PublicationParseError, match="event log"):
        parse_publication(text)


# -- fire and rescue services, deadlines and bullets ---------------------------------------

FIRE_REPORT = """\
Protecting the public through fire regulation

Northshire Fire and Rescue Service is inadequate at protecting the public through fire
regulation.

Cause of concern

The service hasn’t got an effective risk-based inspection programme.

Recommendations

Within three months, the service should:
• make sure its risk-based inspection programme targets the premises that present the
highest risk; and
• allocate enough qualified staff to carry out the programme.
By 30 September 2024, the service should:
• evaluate the programme and share what it learns with other services.

We found the service had a backlog of more than 300 audits.

Areas for improvement

The service should make sure it has an effective system for managing its estate
The service needs to improve how it engages with local businesses
We found the service doesn’t have a plan for engaging with businesses. The service should
improve its website.

Main findings

The service needs to improve how it records audits
"""


def test_fire_and_rescue_service_report():
    publication = parse_publication(FIRE_REPORT, published_on=date(2024, 1, 10))

    assert [(grade.area, grade.grade) for grade in publication.grades] == [
        ("protecting the public through fire regulation", "inadequate")
    ]
    assert [item.kind for item in publication.items] == [COC, REC, REC, REC, AFI, AFI]
    recommendations = of_kind(publication, REC)
    assert recommendations[0].text == (
        "Within three months, the service should make sure its risk-based inspection programme "
        "targets the premises that present the highest risk."
    )
    assert [item.deadline.rule for item in recommendations] == [
        DeadlineRule.RELATIVE,
        DeadlineRule.RELATIVE,
        DeadlineRule.ABSOLUTE,
    ]
    assert [item.due_on for item in recommendations] == [
        date(2024, 4, 10),
        date(2024, 4, 10),
        date(2024, 9, 30),
    ]
    assert {item.parent for item in recommendations} == {0}
    assert [item.text for item in of_kind(publication, AFI)] == [
        "The service should make sure it has an effective system for managing its estate",
        "The service needs to improve how it engages with local businesses",
    ]


def test_absolute_deadline_needs_no_anchor():
    text = (
        "Cause of concern\nThe force doesn’t vet its officers in time.\n"
        "By 30 September 2024, the force should clear its backlog of vetting renewals."
    )
    _cause, recommendation = parse_publication(text).items

    assert recommendation.deadline.rule == DeadlineRule.ABSOLUTE
    assert recommendation.due_on == date(2024, 9, 30)
    assert recommendation.parent == 0


def test_within_28_days():
    text = (
        "Cause of concern\nThe force doesn’t record crime accurately.\nRecommendation\n"
        "Within 28 days, the force should send us its plan to improve crime recording."
    )
    recommendation = parse_publication(text, published_on=date(2024, 2, 1)).items[1]

    assert recommendation.deadline.days == 28
    assert recommendation.due_on == date(2024, 2, 29)


def test_bullets_with_hollow_circles_and_dashes():
    text = (
        "Cause of concern\n"
        "The force doesn’t safeguard vulnerable people well enough.\n"
        "The force should immediately:\n"
        "◦ review how it assesses risk to\n"
        "children who go missing;\n"
        "◦ train its staff in professional curiosity.\n"
        "Within six months, the force should:\n"
        "- evaluate its safeguarding hub; and\n"
        "- publish what it learns.\n"
    )
    publication = parse_publication(text, published_on=date(2024, 1, 31))

    recommendations = of_kind(publication, REC)
    assert [item.text for item in recommendations] == [
        "The force should immediately review how it assesses risk to children who go missing.",
        "The force should immediately train its staff in professional curiosity.",
        "Within six months, the force should evaluate its safeguarding hub.",
        "Within six months, the force should publish what it learns.",
    ]
    assert [item.due_on for item in recommendations] == [
        date(2024, 1, 31),
        date(2024, 1, 31),
        date(2024, 7, 31),
        date(2024, 7, 31),
    ]
    assert publication.items[0].text == (
        "The force doesn’t safeguard vulnerable people well enough."
    )


def test_nested_bullets_belong_to_their_recommendation():
    text = (
        "Recommendations\n"
        "By 31 March 2025, chief constables should:\n"
        "• review their vetting processes, including:\n"
        "◦ how they check social media; and\n"
        "◦ how they record decisions;\n"
        "• publish the results.\n"
        "We will check on progress in 2025.\n"
        "• This bullet is narrative.\n"
    )
    publication = parse_publication(text)

    first, second = publication.items
    assert first.text.startswith("By 31 March 2025, chief constables should review their vetting")
    assert "how they check social media; and how they record decisions" in first.text
    assert second.text == "By 31 March 2025, chief constables should publish the results."
    assert first.parent is None and first.due_on == date(2025, 3, 31)


def test_self_contained_recommendation_with_sub_points_is_one_item():
    text = (
        "Cause of concern\nThe force’s control room misses crimes.\n"
        "Recommendations\n"
        "Within three months, the force should review how its control room identifies crime. "
        "This work should include:\n"
        "• the closure of incident records;\n"
        "• the grading of incidents.\n"
        "Within six months, the force should put in place arrangements to ensure that:\n"
        "• victims are believed; and\n"
        "• call handlers summarise calls accurately.\n"
    )
    recommendations = of_kind(parse_publication(text), REC)

    assert len(recommendations) == 2
    assert recommendations[0].text.endswith(
        "This work should include: the closure of incident records; the grading of incidents."
    )
    assert "victims are believed; and call handlers summarise" in recommendations[1].text


def test_introducing_inline_list_gives_one_recommendation_a_point():
    text = (
        "Cause of concern\nThe force’s leadership is unstable.\n"
        "The force should immediately:-appoint a deputy chief constable;-publish a plan; and-"
        "review its governance."
    )
    recommendations = of_kind(parse_publication(text, published_on=date(2020, 1, 1)), REC)

    assert [item.text for item in recommendations] == [
        "The force should immediately appoint a deputy chief constable.",
        "The force should immediately publish a plan.",
        "The force should immediately review its governance.",
    ]


def test_two_causes_of_concern_under_one_heading():
    text = (
        "Causes of concern\n"
        "The force doesn’t answer 999 calls quickly enough.\n"
        "Recommendations\n"
        "Within three months, the force should answer 90 percent of calls within 10 seconds.\n"
        "The force doesn’t supervise investigations.\n"
        "Recommendations\n"
        "Within six months, the force should make sure every investigation has a plan.\n"
    )
    publication = parse_publication(text)

    assert [(item.kind, item.parent) for item in publication.items] == [
        (COC, None),
        (REC, 0),
        (COC, None),
        (REC, 2),
    ]


def test_repeated_summary_of_findings_is_not_imported_twice():
    section = (
        "Cause of concern\nThe force doesn’t supervise investigations.\n"
        "Recommendations\nWithin six months, the force should make sure every investigation "
        "has a plan.\n"
        "Areas for improvement\nThe force should improve how it updates victims\n"
    )
    publication = parse_publication(f"Summary\n{section}Main findings\nText.\n{section}")

    assert [item.kind for item in publication.items] == [COC, REC, AFI]
    assert publication.items[1].parent == 0


def test_areas_for_improvement_as_bullets_and_sentences():
    text = (
        "Areas for improvement\n"
        "• The force should improve how it records stop and search.\n"
        "• The force should make sure officers complete unconscious bias training.\n"
        "Innovative practice\n"
        "The force should be proud of its cadets\n"
        "Area for improvement\n"
        "The service should evaluate its prevention work.\n"
        "The service should make sure its staff understand the safeguarding policy.\n"
        "We found that staff didn’t know the policy.\n"
        "The service should share its evaluation with partners.\n"
    )
    areas = parse_publication(text).items

    assert [item.text for item in areas] == [
        "The force should improve how it records stop and search",
        "The force should make sure officers complete unconscious bias training",
        "The service should evaluate its prevention work.",
        "The service should make sure its staff understand the safeguarding policy.",
        "The service should share its evaluation with partners.",
    ]


@pytest.mark.parametrize(
    ("sentence", "area", "grade"),
    [
        ("Cleveland Police is outstanding at recording crime.", "recording crime", "outstanding"),
        (
            "Devon and Cornwall Police requires improvement at investigating crime.",
            "investigating crime",
            "requires-improvement",
        ),
        (
            "Isles of Scilly Fire and Rescue Service is good at understanding the risk of fire "
            "and other emergencies.",
            "understanding the risk of fire and other emergencies",
            "good",
        ),
        (
            "Cleveland Police is adequate at managing SOC. You can access",
            "managing serious and organised crime",
            "adequate",
        ),
    ],
)
def test_graded_judgment_sentences(sentence, area, grade):
    text = f"{sentence}\nAreas for improvement\nThe force should improve its training\n"
    (parsed,) = parse_publication(text).grades

    assert (parsed.area, parsed.grade) == (area, grade)


@pytest.mark.parametrize(
    "sentence",
    [
        "The force control room is good at managing the well-being of its staff",
        "Call handlers are good at identifying vulnerability.",
        "It is good at recording crime.",
        "Cleveland Police is good at recording crime, but it should do more.",
    ],
)
def test_narrative_is_not_a_graded_judgment(sentence):
    text = f"{sentence}\nAreas for improvement\nThe force should improve its training\n"

    assert parse_publication(text).grades == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published: 17 March 2023", date(2023, 3, 17)),
        ("Date of publication: 17th March 2023", date(2023, 3, 17)),
        ("Publication date 2023-03-17", date(2023, 3, 17)),
        (" date 2025-04-11 HM Inspectorate of Constabulary", date(2025, 4, 11)),
    ],
)
def test_publication_date_stated_in_the_text(line, expected):
    text = f"{line}\nCause of concern\nThe force is slow.\nImmediately, the force should act."
    publication = parse_publication(text)

    assert publication.published_on == expected
    assert publication.items[1].due_on == expected


def test_date_passed_in_overrides_the_text():
    text = (
        "Published: 17 March 2023\nCause of concern\nThe force is slow.\n"
        "Within 2 weeks, the force should act."
    )
    publication = parse_publication(text, published_on=date(2023, 3, 20))

    assert publication.published_on == date(2023, 3, 20)
    assert publication.items[1].due_on == date(2023, 4, 3)


def test_date_in_narrative_is_not_the_publication_date():
    text = "Our last report was published on 5 May 2022.\nRecommendations\nThe force should act."

    assert parse_publication(text).published_on is None


def test_licence_line_and_page_furniture_are_ignored():
    text = (
        "# Contains public sector information licensed under the Open Government Licence v3.0\n"
        "Areas for improvement\n\n \n"
        "The force should improve how it\n\n"
        "https://www.justiceinspectorates.gov.uk/hmicfrs/glossary/force/\n"
        " 12 \n"
        "supervises investigations\n"
        "Supervisors don’t review cases.\n"
    )
    publication = parse_publication(text)

    assert publication.title == ""
    assert [item.text for item in publication.items] == [
        "The force should improve how it supervises investigations"
    ]


def test_older_peel_format_we_recommend_and_bulleted_areas():
    text = (
        "PEEL: Police effectiveness 2017\n"
        "Northshire Police requires improvement at keeping people safe and reducing crime.\n"
        "Cause of concern\n"
        "The force’s approach to protecting vulnerable people is a cause of concern.\n"
        "To address this cause of concern, we recommend that the force immediately:\n"
        "• reviews its approach to missing children; and\n"
        "• makes sure staff understand the risk assessment process.\n"
        "Areas for improvement\n"
        "• The force should ensure that it records the ethnicity of people it stops.\n"
        "• improve its use of body-worn video.\n"
        "Summary\n"
        "• The force should be commended for its cadets.\n"
    )
    publication = parse_publication(text, published_on=date(2017, 11, 1))

    assert publication.title == "PEEL: Police effectiveness 2017"
    assert [item.kind for item in publication.items] == [COC, REC, REC, AFI, AFI]
    assert publication.items[1].text == (
        "To address this cause of concern, we recommend that the force immediately reviews its "
        "approach to missing children."
    )
    assert publication.items[2].due_on == date(2017, 11, 1)
    assert publication.items[4].text == "improve its use of body-worn video"


def test_national_recommendations_numbered_and_under_numbered_headings():
    text = (
        "An inspection of vetting, misconduct and misogyny in the police service\n"
        "Recommendations\n"
        "1. Within six months, all forces should review their use of outcome 16.\n"
        "2. By March 2024, the College of Policing should update its guidance.\n"
        "We will monitor progress.\n"
        "Recommendation 3\n"
        "By 30 April 2023, chief constables should check the Police National Database.\n"
        "Recommendation 4: By 31 October 2023, the Home Office should bring in a code.\n"
        "Area for improvement 1\n"
        "Chief constables should make sure vetting records are kept\n"
    )
    publication = parse_publication(text, published_on=date(2023, 1, 2))

    assert [(item.kind, item.parent) for item in publication.items] == [(REC, None)] * 4 + [
        (AFI, None)
    ]
    assert [item.due_on for item in publication.items] == [
        date(2023, 7, 2),
        date(2024, 3, 31),
        date(2023, 4, 30),
        date(2023, 10, 31),
        None,
    ]
    assert publication.items[1].text.startswith("By March 2024, the College of Policing")


@pytest.mark.parametrize(
    "narrative",
    [
        "Within a year of our last inspection, the force had appointed a new team.",
        "By 2025, the force plans to recruit 100 officers.",
        "By March 2022, 60 percent of cases had been reviewed.",
        "The force should have acted immediately, we found.",
    ],
)
def test_narrative_with_dates_after_a_cause_of_concern_is_not_a_recommendation(narrative):
    text = f"Cause of concern\nThe force is slow to answer calls.\n{narrative}\n"
    (cause,) = parse_publication(text).items

    assert cause.kind == COC
    assert cause.text == f"The force is slow to answer calls. {narrative}"


def test_pdf_extraction_quirks():
    text = (
        "Cause of concern\n"
        "The force hasn’t identiﬁed the risk to the well-\n"
        "being of children who go missing.\n"
        "Recommendations\n"
        "Within three months, the force should:\n"
        "\uf0b7\n"  # Symbol-font bullets, sometimes on a line of their own
        "review its missing persons policy;\n"
        "\uf0b7 train its co-\n"
        "ordinators.\n"
    )
    publication = parse_publication(text)

    assert publication.items[0].text == (
        # A line-end hyphen is kept: reports don't hyphenate words, only compounds.
        "The force hasn’t identified the risk to the well-being of children who go missing."
    )
    assert [item.text for item in publication.items[1:]] == [
        "Within three months, the force should review its missing persons policy.",
        "Within three months, the force should train its co-ordinators.",
    ]


def test_deadline_after_the_subject_still_makes_a_recommendation():
    text = (
        "Cause of concern\nThe force is slow to answer calls.\n"
        "The force should, within three months, review its call handling.\n"
        "The force should, by 31 March 2025, recruit more call handlers.\n"
    )
    publication = parse_publication(text, published_on=date(2024, 6, 1))

    assert [(item.kind, item.due_on) for item in publication.items] == [
        (COC, None),
        (REC, date(2024, 9, 1)),
        (REC, date(2025, 3, 31)),
    ]

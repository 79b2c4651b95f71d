"""Whatever the text, the parser returns a consistent result or raises PublicationParseError.

The two-second deadline per example also shows it does not hang (no catastrophic regexes), and
repeating any phrase, heading, bullet or tag it knows costs time linear in the text's size.
"""

import contextlib
import json
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommendations.importing import PublicationParseError, parse_publication
from recommendations.importing.parser import _parse
from recommendations.importing.structure import GRADES, KINDS, STATUSES

from .conftest import assert_doubling_is_linear, read_fixture

REGISTER = read_fixture("register_cleveland_2018_9207.txt")
PEEL = read_fixture("peel_cleveland_2021_22.txt")
PEEL_FINDINGS = PEEL[PEEL.index("Preventing crime and anti-social") :][:30_000]

PROPERTY_SETTINGS = settings(
    deadline=2000,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces that steer random text into the parser's deeper paths.
FRAGMENTS = [
    "Cause of concern",
    "Causes of concern:",
    "Recommendations",
    "Recommendation 2: ",
    "Areas for improvement",
    "Area for improvement",
    "Main findings",
    "Within three months, the force should:",
    "The service should immediately:-",
    ";-",
    "; and-",
    "By 30 September 2024, the service should",
    "By 31 February 2024, the force must",
    "Within 99999999999 months, the force should act.",
    "Cleveland Police should take immediate steps to:",
    "This work should include:",
    "• ",
    "◦ ",
    "- ",
    "1. ",
    "(a) ",
    "The force needs to improve how it",
    "Cleveland Police is inadequate at operating efficiently.",
    "Northshire Fire and Rescue Service requires improvement at ",
    "[on]7th August 2018 [status]awaiting-review[/status][/on]",
    "[on]8th August 2018 [comment]note[/comment][/on]",
    "[on]",
    "[/on]",
    "[status]complete[/status]",
    "Title of the entry (9207)",
    "Published: 17 March 2023",
    " date 2025-04-11 ",
    "https://www.justiceinspectorates.gov.uk/hmicfrs/",
    " 12 ",
    "\n",
    "\n\n",
    " ",
    ".",
    ":",
    ";",
    "\ue000",
    "\u00a0",
    "\ufeff",
]


def check(text: str, **dates) -> None:
    """Parse, and check the result's invariants; only PublicationParseError may escape."""
    try:
        publication = _parse(text, published_on=dates.get("published_on"), issued_on=None)
    except PublicationParseError:
        return
    assert publication.items or publication.grades  # a grades-only publication imports its grades
    for index, item in enumerate(publication.items):
        assert item.kind in KINDS
        assert item.text and item.text == item.text.strip()
        assert item.status in STATUSES
        assert [entry.on for entry in item.history] == sorted(entry.on for entry in item.history)
        if item.parent is not None:
            assert item.kind == "recommendation"
            assert 0 <= item.parent < index
            assert publication.items[item.parent].kind == "cause-of-concern"
    assert all(grade.grade in GRADES and grade.area for grade in publication.grades)
    json.dumps(publication.to_json_dict())


def check_public(text: str, **dates) -> None:
    with contextlib.suppress(PublicationParseError):
        parse_publication(text, **dates)


@PROPERTY_SETTINGS
@given(st.text())
def test_random_text(text):
    check(text)
    check_public(text)


@PROPERTY_SETTINGS
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=30), max_size=60))
def test_random_fragments(parts):
    check("".join(parts), published_on=date(2024, 1, 31))


def _mutate(lines: list[str], operations: list[tuple[int, int, str]]) -> list[str]:
    lines = list(lines)
    for operation, position, payload in operations:
        if not lines:
            lines.append(payload)
            continue
        index = position % len(lines)
        line = lines[index]
        if operation == 0:
            del lines[index]
        elif operation == 1:
            lines.insert(index, payload)
        elif operation == 2:
            lines.insert(index, line)
        elif operation == 3 and line:
            cut = position % len(line)
            lines[index] = line[:cut] + line[cut + 1 :]
        elif operation == 4:
            cut = position % (len(line) + 1)
            lines[index] = line[:cut] + payload + line[cut:]
        else:
            lines[index], lines[-1] = lines[-1], line
    return lines


operations = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.integers(0, 10**6),
        st.sampled_from(FRAGMENTS) | st.text(max_size=20),
    ),
    max_size=40,
)


@PROPERTY_SETTINGS
@given(st.sampled_from([REGISTER, PEEL_FINDINGS]), operations, st.booleans())
def test_mutated_publications(text, changes, with_date):
    mutated = "\n".join(_mutate(text.split("\n"), changes))
    check(mutated, published_on=date(2023, 3, 17) if with_date else None)


@settings(deadline=5000, max_examples=20)
@given(operations)
def test_mutated_full_report(changes):
    check("\n".join(_mutate(PEEL.split("\n"), changes)), published_on=date(2023, 3, 17))


def test_adversarial_repetition_is_fast():
    # Shapes that make backtracking regexes explode: long runs without the closing piece.
    for text in [
        "[on]" * 20_000,
        "[on]7 May 2020 [comment]" * 5_000,
        "Cleveland " * 20_000 + "is good at",
        "The force should " * 10_000,
        "a" * 200_000,
        ("word " * 40 + "\n") * 5_000,
        "Within " * 20_000,
        "Title (" + "1" * 100_000,
        "• " * 50_000,
        ":-" * 50_000,
        "Published: " + "1 " * 50_000,
    ]:
        check(text)


# -- adversarial repetition up to the size limit --------------------------------------------------

# Every phrase, keyword and tag the parser acts on, and the punctuation around them.
DEADLINE_PHRASES = [
    "Within three months",
    "within the next six calendar months",
    "within 28 days of arrest",
    "within three months of the publication of this report",
    "Within twenty-eight days",
    "immediately",
    "immediate steps",
    "with immediate effect",
    "as a matter of urgency",
    "by the end of March 2027",
    "by 30 September 2024",
    "by Mar. 2024",
    "not later than 1 May 2025",
    "on or before 31 February 2024",
]
HEADINGS = [
    "Cause of concern",
    "Causes of concern:",
    "Recommendations",
    "Recommendation 2: ",
    "Area for improvement",
    "Areas for improvement",
    "Main findings",
    "Annex A",
    "HM Inspector’s observations",
]
BULLETS = ["• ", "◦ ", "\uf0b7", "- ", "– ", "1. ", "(a) ", "iv) ", ":-", ";-", "; and-", " and-"]
REGISTER_TAGS = [
    "[on]",
    "[/on]",
    "[on]7th August 2018 ",
    "[status]awaiting-review[/status]",
    "[status]",
    "[/status]",
    "[comment]",
    "[/comment]",
    "[b]",
    "T (",
    "(9207)",
    "1and",
    "9207, 9208 & 9209)",
    "\ue000",
]
RECOMMENDING = [
    "the force should",
    "The force should:",
    "Cleveland Police should take immediate steps to:",
    "must",
    "needs to",
    "We recommend that",
    "should have been",
    "This work should include:",
    "To address this cause of concern,",
    "The service should immediately:",
]
GRADE_SENTENCES = [
    "Cleveland Police is inadequate at operating efficiently.",
    "Northshire Fire and Rescue Service requires improvement at ",
    "is good at",
    "Cleveland ",
]
DATES_AND_FURNITURE = [
    "Published: 17 March 2023",
    "Date issued: 1 March 2023",
    " date 2025-04-11 ",
    "07/08/2018",
    "https://www.justiceinspectorates.gov.uk/hmicfrs/",
    "x.gov.uk/",
    "Page 3 of 40",
    " 12 ",
]
PUNCTUATION = [".", "...", "!", "?", ":", ";", ",", "'", ")", "(", "a", "word", " ", "  ", "\u00a0"]
PIECES = (
    DEADLINE_PHRASES
    + HEADINGS
    + BULLETS
    + REGISTER_TAGS
    + RECOMMENDING
    + GRADE_SENTENCES
    + DATES_AND_FURNITURE
    + PUNCTUATION
)

repeated_unit = st.tuples(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=4),
    st.sampled_from(["", " ", "\n", "\n\n"]),
)


def _repeated(unit: tuple[list[str], str], size: int) -> str:
    pieces, separator = unit
    block = separator.join(pieces) + separator
    return "Title\n" + block * (size // len(block)) + "."


def _check(text: str) -> None:
    check(text, published_on=date(2024, 1, 31))


@settings(deadline=None, max_examples=30, suppress_health_check=list(HealthCheck))
@given(repeated_unit)
def test_repeating_what_the_parser_knows_costs_linear_time(unit):
    # The time a 2 MB input takes on a given machine is a benchmark, not a test:
    # bench/bench_import_parse.py (short-paragraphs, peel-x22), recorded in docs/performance.md.
    # Big enough to show the shape of the curve: four times the input, at most eight times
    # the time (quadratic would be sixteen), which holds on a busy machine too.
    assert_doubling_is_linear(_check, _repeated(unit, 25_000), _repeated(unit, 100_000), factor=4)

"""No text can stall the parser: the probes of issue 9, and the other shapes that made a pattern
or a loop rescan its input, parse in time linear in their size; each step of an import stops at
its time limit with a message for the inspector.

Times are processor times (the machine is shared); a parse that went quadratic again would take
minutes at these sizes, not a fraction of a second.
"""

import re
import time
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommendations.deadlines import parse_deadline
from recommendations.importing import PublicationParseError, parse_publication
from recommendations.importing.grades import grade_of
from recommendations.importing.limits import (
    MAX_FINDINGS,
    MAX_HISTORY_ENTRIES,
    MAX_LINES,
    TOO_MANY_FINDINGS,
    TOO_MANY_LINES,
    ImportTooSlow,
    check_time,
    time_limit,
)
from recommendations.importing.parser import TOO_MUCH_HISTORY, _parse
from recommendations.importing.preview import (
    PreviewEditError,
    RowEdit,
    apply_edits,
    state_from_publication,
)
from recommendations.importing.register import lift_event_log, title_reference
from recommendations.importing.text import (
    _SPACES,
    _translate,
    build_blocks,
    clean_point,
    collapse_spaces,
    normalise_lines,
)

from .conftest import assert_doubling_is_linear, cpu_seconds, read_fixture

PEEL = read_fixture("peel_cleveland_2021_22.txt")
LOG = "[on]7th August 2018 [status]awaiting-review[/status][/on]"


def parse_or_refuse(text: str):
    """Parse without a time limit (so a slow parse is measured, not cut short)."""
    try:
        return _parse(text, published_on=date(2026, 1, 15), issued_on=None)
    except ImportTooSlow:  # pragma: no cover - there is no limit here
        raise
    except PublicationParseError as refused:
        return refused


def assert_linear(make_text, size: int) -> None:
    assert_doubling_is_linear(parse_or_refuse, make_text(size), make_text(2 * size))


# -- the probes of issue 9 --------------------------------------------------------------------


def deadline_probe(repeats: int) -> str:
    return (
        "Title\n\nRecommendations\n\nWithin three months, "
        + "by the end of March 2027 within the next six calendar months " * repeats
        + " the force should act."
    )


def test_deadline_phrases_repeated_in_one_sentence_parse_in_linear_time():
    assert_linear(deadline_probe, 3_000)


@pytest.mark.slow
def test_the_deadline_probe_at_the_size_limit_parses_in_time():
    text = deadline_probe(30_000)  # 1.8 MB: 300 s and more before

    started = time.thread_time()
    publication = parse_publication(text, published_on=date(2026, 1, 15))

    assert time.thread_time() - started < 2
    [item] = publication.items
    assert item.deadline.phrase == "Within three months"
    assert item.due_on == date(2026, 4, 15)


def test_a_register_title_line_cannot_backtrack():
    line = "T (" + "1and" * 40 + "!"  # 13 s for these 163 characters before
    text = f"{line}\nRecommendations\n\nThe force should act.\n{LOG}"

    assert title_reference(line) is None
    assert cpu_seconds(parse_or_refuse, text) < 0.1
    assert title_reference("T (" + "1and" * 40 + "1)") == ("T", ["1" + "and1" * 40])
    assert title_reference("T (" + "1and" * 40 + "-!)") is None


def test_every_line_of_a_register_is_tried_as_a_title_in_linear_time():
    def lines(count: int) -> str:
        return f"{LOG}\n" + "".join(f"T{n} (" + "1and" * 40 + "!)\n" for n in range(count))

    assert_linear(lines, 2_000)


def test_unclosed_comment_tags_cost_linear_time():
    def log(repeats: int) -> str:
        return f"[on]7 May 2020 [status]complete[/status]{'[comment]x' * repeats}[/on]"

    [entry] = lift_event_log(log(8_000))[1]  # 6.3 s before
    assert (entry.status, entry.comment) == ("complete", "")
    assert_doubling_is_linear(lift_event_log, log(20_000), log(40_000))
    # The probe as pasted, with no event log around it.
    assert isinstance(parse_or_refuse("[comment]x" * 8_000), PublicationParseError)


def test_a_comment_runs_from_the_first_opening_tag_to_the_last_closing_tag():
    body = "[on]7 May 2020 [comment]one [COMMENT]two[/comment] three[/Comment][/on]"

    [entry] = lift_event_log(body)[1]

    assert entry.comment == "one two three"


# -- other shapes that rescanned their input ---------------------------------------------------


@pytest.mark.parametrize(
    "make_text",
    [
        # A lead-in of many sentences with many points: each point read the whole lead-in.
        lambda n: (
            "Recommendations\n\n"
            + "We found that the force had not acted. " * n
            + "Within three months, the force should:\n"
            + "".join(f"• act on matter {i};\n" for i in range(n // 50))
        ),
        # A long run of full stops in a recommendation (sentence breaks were rescanned).
        lambda n: "Recommendations\n\nThe force should act" + "." * (50 * n) + " within a week.",
        # A long word before a line break (the last word of a line was searched from each letter).
        lambda n: "Recommendations\n\nThe force should " + "a" * (50 * n) + "1\nAct now.",
        # A long first word with many web addresses in it, and a space after it.
        lambda n: "Recommendations\n\nThe force should act.\n" + "x.gov.uk/" * (5 * n) + " y",
        # Many list separators in a lead-in.
        lambda n: "Recommendations\n\nThe force should:-" + "a;-" * (10 * n),
    ],
    ids=["long-lead-in", "full-stops", "long-word", "web-addresses", "inline-list"],
)
def test_shapes_that_rescanned_their_input_parse_in_linear_time(make_text):
    assert_linear(make_text, 5_000)


def test_every_point_of_a_lead_in_takes_its_deadline():
    text = (
        "Recommendations\n\n"
        + "We found that by April 2023 the force had not acted. " * 100
        + "Within three months, the force should:\n• review its plans;\n• act on them."
    )

    publication = parse_publication(text, published_on=date(2026, 1, 15))

    assert [item.text for item in publication.items] == [
        "Within three months, the force should review its plans.",
        "Within three months, the force should act on them.",
    ]
    assert {item.deadline.phrase for item in publication.items} == {"Within three months"}


def test_helpers_are_linear_in_long_runs_of_spaces_and_marks():
    spaces = " " * 200_000
    for call in [
        lambda: grade_of(f"Cleveland Police is good at{spaces}x."),
        lambda: clean_point(f"a;{spaces}b"),
        lambda: normalise_lines(f"a{spaces}\u2022 b"),
        lambda: parse_deadline("The force should act" + "." * 200_000 + " within a week"),
        lambda: build_blocks(["The force should " + "a" * 200_000 + "1", "Act now."]),
    ]:
        assert cpu_seconds(call) < 0.5


# -- how much one text may hold ----------------------------------------------------------------


def recommendations(count: int) -> str:
    points = "".join(f"• act on matter {number};\n" for number in range(count))
    return f"Recommendations\n\nThe force should:\n{points}"


def test_a_text_may_hold_up_to_the_findings_limit():
    assert len(parse_or_refuse(recommendations(MAX_FINDINGS)).items) == MAX_FINDINGS

    refused = parse_or_refuse(recommendations(MAX_FINDINGS + 1))

    assert refused.message == TOO_MANY_FINDINGS


def test_a_text_of_endless_findings_is_refused():
    # How long the 2 MB case takes is a benchmark (bench/bench_import_parse.py,
    # endless-findings; docs/performance.md): timed here, it failed on a busy machine.
    assert parse_or_refuse(recommendations(90_000)).message == TOO_MANY_FINDINGS


def test_register_history_copied_onto_findings_is_limited():
    log = "".join(
        f"[on]{1 + n % 28} May 2020 [comment]note {n}[/comment][/on]\n" for n in range(200)
    )
    entry = f"Entry (9207)\n{recommendations(MAX_HISTORY_ENTRIES // 200)}{log}"
    assert len(parse_or_refuse(entry).items[0].history) == 200

    refused = parse_or_refuse(
        f"Entry (9207)\n{recommendations(MAX_HISTORY_ENTRIES // 200 + 1)}{log}"
    )

    assert refused.message == TOO_MUCH_HISTORY


def test_a_preview_row_cannot_be_split_into_more_items_than_the_limit():
    publication = parse_publication(recommendations(2), published_on=date(2026, 1, 15))
    state = state_from_publication(publication, source_hash="x")
    edits = {
        row["uid"]: RowEdit(kind=row["kind"], reference="", text=row["text"])
        for row in state["rows"]
    }
    edits[1] = RowEdit(kind="recommendation", reference="", text="a\n---\n" * MAX_FINDINGS)

    with pytest.raises(PreviewEditError) as raised:
        apply_edits(state, edits)

    assert f"at most {MAX_FINDINGS} items" in raised.value.errors[1]["text"]


# -- the time limit ------------------------------------------------------------------------------


def test_parsing_stops_at_the_time_limit_with_a_message(slow_clock):
    with pytest.raises(ImportTooSlow) as raised:
        parse_publication(PEEL, published_on=date(2023, 3, 17))

    assert raised.value.message.startswith(
        "This publication took too long to read (more than 2 seconds)"
    )
    assert isinstance(raised.value, PublicationParseError)  # what every caller handles


def test_the_time_limit_is_a_setting(slow_clock, settings):
    settings.TRACKER_IMPORT_TIME_LIMIT = 0.5

    with pytest.raises(ImportTooSlow, match=r"\(more than 0\.5 seconds\)"):
        parse_publication(PEEL, published_on=date(2023, 3, 17))


def test_a_text_of_too_many_lines_is_refused_early():
    text = "a\n" * (MAX_LINES + 1)

    assert parse_or_refuse(text).message == TOO_MANY_LINES
    assert cpu_seconds(parse_or_refuse, "a\n" * 1_000_000) < 1
    assert cpu_seconds(parse_or_refuse, "\n" * 2_000_000) < 1


def test_without_a_time_limit_nothing_is_checked(slow_clock):
    for _ in range(10):
        check_time()


def test_an_inner_time_limit_cannot_extend_the_outer_one(slow_clock):
    with time_limit(2, message="outer"), time_limit(100, message="inner"):
        check_time()
        with pytest.raises(ImportTooSlow) as raised:
            check_time()

    assert raised.value.message == "outer"


def test_a_deadline_checked_in_another_thread_is_its_own(slow_clock):
    import threading

    seen = []
    with time_limit(0):
        thread = threading.Thread(target=lambda: seen.append(check_time()))
        thread.start()
        thread.join()

    assert seen == [None]  # a request's limit does not stop another request's thread


# -- the fast paths give what the slow ones gave -------------------------------------------------

_spaced = st.text(
    alphabet=st.sampled_from([" ", "\t", "\u00a0", "\u2003", "\n", "a", "é", "\ufb01"])
)


@settings(max_examples=300, deadline=None)
@given(st.text() | _spaced)
def test_collapsing_spaces_and_translating_are_unchanged(text):
    assert collapse_spaces(text) == re.sub(r"\s+", " ", text)
    assert _translate(text, _SPACES) == text.translate(_SPACES)

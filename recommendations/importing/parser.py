"""Parse the text of an HMICFRS publication or register page into its findings.

Pure Python: nothing here touches the database. The import preview shows the result, the
inspector corrects it, and only then is anything saved.
"""

import logging
import re
from dataclasses import replace
from datetime import date

from recommendations.deadlines import NO_DEADLINE, Deadline, anchor_date, parse_deadline

from .dates import stated_dates
from .errors import PublicationParseError
from .grades import grade_start, line_grades
from .limits import (
    MAX_CHARACTERS,
    MAX_FINDINGS,
    MAX_HISTORY_ENTRIES,
    TOO_MANY_FINDINGS,
    check_time,
    time_limit,
)
from .metadata import derived_title, forces_named, peel_years, source_url
from .register import current_status, lift_event_log, split_entries
from .sections import RawItem, read_findings
from .structure import (
    AWAITING_REVIEW,
    CAUSE_OF_CONCERN,
    RECOMMENDATION,
    Grade,
    HistoryEntry,
    ParsedItem,
    ParsedPublication,
)
from .text import build_blocks, collapse_spaces, heading_of, normalise_lines

logger = logging.getLogger(__name__)

TOO_MUCH_HISTORY = (
    "The register event logs in this text would give its findings more than "
    f"{MAX_HISTORY_ENTRIES:,} history entries. Import each register entry on its own."
)

_HAS_WORD = re.compile(r"[A-Za-z]{2}")
_TITLE_MAX_LENGTH = 150
_NOT_A_TITLE = re.compile(
    r"[.:;,]$|^(?:date|published|publication|issued)\b|^(?:our|we|this|the\s+force|dear)\b",
    re.IGNORECASE,
)


def parse_publication(
    text: str, *, published_on: date | None = None, issued_on: date | None = None
) -> ParsedPublication:
    """Parse a publication's text (pasted, or extracted from a PDF) into its findings.

    Dates passed in override dates stated in the text. Due dates run from the anchor (issued_on
    if known, else published_on); with no anchor, relative and immediate deadlines have no due
    date yet and the caller decides whether that is an error.

    Raises PublicationParseError, and nothing else, when the text holds no findings or cannot
    be read, or (ImportTooSlow) when reading it takes longer than the import time limit.
    """
    if not isinstance(text, str):
        raise PublicationParseError("The publication must be given as text.")
    if len(text) > MAX_CHARACTERS:
        raise PublicationParseError(
            "This text is too long to be one publication "
            f"(more than {MAX_CHARACTERS:,} characters)."
        )
    try:
        with time_limit():
            return _parse(text, published_on=published_on, issued_on=issued_on)
    except PublicationParseError:
        raise
    except Exception as error:  # A bug must not become a server error in the import view.
        logger.exception("Unexpected error while parsing a publication")
        raise PublicationParseError(
            "This text could not be read. Check that it is the text of one publication."
        ) from error


def _parse(text: str, *, published_on: date | None, issued_on: date | None) -> ParsedPublication:
    text, log = lift_event_log(text)
    lines = normalise_lines(text)
    entries = split_entries(lines, log)
    stated_published, stated_issued = stated_dates(lines)
    published_on = published_on or stated_published
    issued_on = issued_on or stated_issued
    anchor = anchor_date(issued_on=issued_on, published_on=published_on)

    grades: list[Grade] = []
    items: list[ParsedItem] = []
    history_entries = 0
    warnings: list[str] = []
    for entry in entries:
        check_time()
        blocks = build_blocks(entry.lines, starts_block=grade_start)
        entry_grades, raw_items, entry_warnings = read_findings(
            blocks, recommendations_first=bool(entry.references or entry.history)
        )
        grades.extend(entry_grades)
        grades.extend(line_grades(entry.lines))
        warnings.extend(entry_warnings)
        entry_items = _finish_items(raw_items, offset=len(items), anchor=anchor)
        if len(items) + len(entry_items) > MAX_FINDINGS:
            raise PublicationParseError(TOO_MANY_FINDINGS)
        history_entries += len(entry_items) * len(entry.history)
        if history_entries > MAX_HISTORY_ENTRIES:
            raise PublicationParseError(TOO_MUCH_HISTORY)
        _apply_register(entry_items, entry.references, entry.history)
        items.extend(entry_items)
    if not items and not grades:
        raise PublicationParseError()

    references = [ref for entry in entries for ref in entry.references]
    forces = forces_named(lines)
    title = (
        next((entry.title for entry in entries if entry.title), "")
        or _report_title(lines)
        or derived_title(text, forces)
    )
    return ParsedPublication(
        title=title,
        published_on=published_on,
        issued_on=issued_on,
        references=list(dict.fromkeys(references)),
        grades=_unique_grades(grades),
        items=items,
        warnings=list(dict.fromkeys(warnings)),
        source_url=source_url(text),
        programme_years=peel_years(text),
        forces=forces,
    )


def _finish_items(
    raw_items: list[RawItem], *, offset: int, anchor: date | None
) -> list[ParsedItem]:
    """Drop empty and repeated findings (a report's summary repeats them), keep parents
    pointing at the right cause of concern, and attach deadlines and due dates."""
    finished: list[ParsedItem] = []
    new_index: dict[int, int | None] = {}
    seen: dict[tuple, int] = {}
    for index, raw in enumerate(raw_items):
        check_time()
        text = collapse_spaces(raw.text).strip()
        if not _HAS_WORD.search(text):
            new_index[index] = None
            continue
        parent = new_index.get(raw.parent) if raw.parent is not None else None
        key = (raw.kind, text.casefold(), parent)
        if key in seen:
            new_index[index] = seen[key]
            continue
        deadline = NO_DEADLINE
        if raw.kind == RECOMMENDATION:
            deadline_text = collapse_spaces(raw.deadline_text or text)
            deadline = parse_deadline(deadline_text, lead=raw.deadline_lead)
        finished.append(
            ParsedItem(
                kind=raw.kind,
                reference="",
                parent=None if parent is None else parent + offset,
                text=text,
                deadline=deadline,
                due_on=_due_on(deadline, anchor),
            )
        )
        seen[key] = new_index[index] = len(finished) - 1
    return finished


def _due_on(deadline: Deadline, anchor: date | None) -> date | None:
    try:
        return deadline.due_on(anchor)
    except (ValueError, OverflowError):  # no anchor yet, or a date past the year 9999
        return None


def _apply_register(
    items: list[ParsedItem], references: list[str], history: list[HistoryEntry]
) -> None:
    """Register references and history: with one finding, it takes the entry's reference;
    otherwise the cause of concern takes it and the others are numbered "9207/1", "9207/2"."""
    if references:
        reference = references[0]
        causes = [item for item in items if item.kind == CAUSE_OF_CONCERN]
        if len(items) == 1:
            items[0].reference = reference
        else:
            if len(causes) == 1:
                causes[0].reference = reference
            others = [item for item in items if item.kind != CAUSE_OF_CONCERN]
            for number, item in enumerate(others, start=1):
                item.reference = f"{reference}/{number}"
    status = current_status(history, AWAITING_REVIEW)
    for item in items:
        item.history = [replace(entry) for entry in history]
        item.status = status


def _unique_grades(grades: list[Grade]) -> list[Grade]:
    unique: dict[str, Grade] = {}
    for grade in grades:
        unique.setdefault(grade.area.casefold(), grade)
    return list(unique.values())


def _report_title(lines: list[str]) -> str:
    """The first line, when it reads like a title; else "" and the inspector types one."""
    line = lines[0] if lines else ""
    if (
        len(line) <= _TITLE_MAX_LENGTH
        and line[:1].isupper()
        and heading_of(line) is None
        and not _NOT_A_TITLE.search(line)
        and _HAS_WORD.search(line)
    ):
        return line
    return ""

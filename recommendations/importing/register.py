"""The inspectorate's recommendations register: reference numbers and event logs.

A register entry is a title line ending in its reference, "Cleveland Police: Crime Data
Integrity inspection 2018 (9207)", the text of its findings, and an event log of entries such
as ``[on]7th August 2018 [status]awaiting-review[/status][/on]`` or
``[on]DATE [comment]...[/comment][/on]``. The log is the history of every finding in the entry,
and its latest status is their current status.
"""

import re
from collections import deque
from dataclasses import dataclass, field

from .dates import parse_date
from .errors import PublicationParseError
from .limits import check_time
from .structure import STATUSES, HistoryEntry

# Marks where a log entry stood, once the log has been lifted out of the text; a private-use
# character that pasted text cannot contain (it is stripped from the input first).
SENTINEL = "\ue000"
_SENTINEL_LINE = re.compile(f"^{SENTINEL}(\\d+){SENTINEL}$")

_LOG_TAG = re.compile(r"\[(/?)on\]", re.IGNORECASE)
_STATUS = re.compile(r"\[status\]([^\[]*)\[/status\]", re.IGNORECASE)
# A comment runs from the first opening tag to the last closing one; both are found in one pass
# each (a ".*" between them would rescan the rest of the text from every opening tag).
_COMMENT_OPEN = re.compile(r"\[comment\]", re.IGNORECASE)
_COMMENT_CLOSE = re.compile(r"\[/comment\]", re.IGNORECASE)
_DATED = re.compile(r"\s*\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\s+\d{4}\s*\[", re.IGNORECASE)
_OTHER_TAG = re.compile(r"\[/?[a-z]{1,20}\]", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
# "Title of the entry (9207)": the references are in the line's last parentheses, and what goes
# before them is the title. A reference is atomic (it keeps every character it can), so "and"
# inside or between references cannot be read in exponentially many ways.
_REFERENCE = r"(?>[A-Za-z]{0,4}\d[\w/.-]{0,20})"
_TITLE = re.compile(r"(?P<title>\S.{1,250}?)\s*")
_REFERENCES = re.compile(rf"{_REFERENCE}(?:\s*(?:,|;|and|&)\s*{_REFERENCE}){{0,9}}")
_REFERENCE_SPLIT = re.compile(r"(?<!\s)\s*(?:,|;|\band\b|&)\s*")


@dataclass
class RegisterEntry:
    """One entry: its title and references, its lines of text, and its event log."""

    title: str = ""
    references: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)


def _history_entry(body: str, *, cut_off: bool = False) -> HistoryEntry:
    status_match = _STATUS.search(body)
    first_tag = body.find("[")
    when = body[:first_tag] if first_tag >= 0 else body
    on = parse_date(when)
    if on is None:
        raise PublicationParseError(
            f"The register event log has a date that could not be read: {when.strip()[:60]!r}."
        )
    status = None
    if status_match:
        status = _WHITESPACE.sub("-", status_match[1].strip().lower())
        if status not in STATUSES:
            raise PublicationParseError(
                f"The register event log has an unknown status {status_match[1].strip()[:60]!r}"
                f" (expected one of: {', '.join(STATUSES)})."
            )
    comment = _WHITESPACE.sub(" ", _OTHER_TAG.sub(" ", _comment(body, cut_off=cut_off))).strip()
    if status is None and not comment:
        raise PublicationParseError(
            f"A register event log entry has neither a status nor a comment: {body.strip()[:80]!r}."
        )
    return HistoryEntry(on=on, status=status, comment=comment)


def _comment(body: str, *, cut_off: bool = False) -> str:
    opening = _COMMENT_OPEN.search(body)
    if opening is None:
        return ""
    last = deque(_COMMENT_CLOSE.finditer(body, opening.end()), maxlen=1)
    if last:
        return body[opening.end() : last[0].start()]
    return body[opening.end() :] if cut_off else ""


def lift_event_log(text: str) -> tuple[str, list[HistoryEntry]]:
    """The text with each ``[on]...[/on]`` entry replaced by a sentinel line, and the entries.

    Tags are paired in one pass, so unbalanced tags cost linear time and are left as text.
    """
    text = text.replace(SENTINEL, "")
    entries: list[HistoryEntry] = []
    pieces: list[str] = []
    position = 0
    opening: re.Match[str] | None = None
    for tag in _LOG_TAG.finditer(text):
        check_time()
        if not tag[1]:
            opening = tag
        elif opening is not None:
            pieces.append(text[position : opening.start()])
            pieces.append(f"\n{SENTINEL}{len(entries)}{SENTINEL}\n")
            entries.append(_history_entry(text[opening.end() : tag.start()]))
            position, opening = tag.end(), None
    if opening is not None and _DATED.match(text, opening.end()):
        # Rule "cut-off log": a copied log often loses the tags that close its last entry;
        # a dated entry running to the end of the text is still an entry.
        pieces.append(text[position : opening.start()])
        pieces.append(f"\n{SENTINEL}{len(entries)}{SENTINEL}\n")
        entries.append(_history_entry(text[opening.end() :], cut_off=True))
        return "".join(pieces), entries
    pieces.append(text[position:])
    return "".join(pieces), entries


def title_reference(line: str) -> tuple[str, list[str]] | None:
    """("Cleveland Police: Crime Data Integrity inspection 2018", ["9207"]) for a title line."""
    opening = line.rfind("(")
    if opening < 0 or not line.endswith(")"):
        return None
    title = _TITLE.fullmatch(line, 0, opening)
    if title is None or title["title"].endswith((".", ",", ";")):
        return None
    references = _REFERENCES.fullmatch(line, opening + 1, len(line) - 1)
    if references is None:
        return None
    return title["title"].strip(), [ref for ref in _REFERENCE_SPLIT.split(references[0]) if ref]


def split_entries(lines: list[str], log: list[HistoryEntry]) -> list[RegisterEntry]:
    """Lines grouped into register entries, each with its own event log in date order.

    Without an event log the text is one entry, titled only by its first line.
    """
    register = bool(log)
    entries = [RegisterEntry()]
    for number, line in enumerate(lines):
        check_time()
        sentinel = _SENTINEL_LINE.match(line)
        if sentinel:
            entries[-1].history.append(log[int(sentinel[1])])
            continue
        titled = title_reference(line) if (number == 0 or register) else None
        if titled:
            current = entries[-1]
            if current.lines or current.history or current.references:
                entries.append(RegisterEntry())
            entries[-1].title, entries[-1].references = titled
            continue
        entries[-1].lines.append(line)
    for entry in entries:
        # Stable: entries of the same day keep the order the register lists them in.
        entry.history.sort(key=lambda history: history.on)
    return [entry for entry in entries if entry.lines or entry.references or entry.history]


def current_status(history: list[HistoryEntry], default: str) -> str:
    """The status of the latest status entry in the (date-ordered) history."""
    for entry in reversed(history):
        if entry.status:
            return entry.status
    return default

"""The import preview's working state: plain dicts kept in the session between steps.

Rules of the preview:

- each row keeps a stable ``uid`` so edits, parents and splits survive re-previews;
- a line holding only ``---`` in an item's text splits it into items of the same kind,
  deadline and parent (up to ``MAX_FINDINGS`` items in all); "merge" appends an item's text
  to the item above it;
- deadlines are corrected by choosing a rule and its phrase, or by setting the due date
  directly (which makes it a deadline by that fixed date);
- nothing in the state is trusted when it comes back: ``publication_from_state`` checks every
  kind, parent, date, deadline, status and text again, and raises ``PublicationParseError``.

Pure Python: no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import cast

from recommendations.deadlines import NO_DEADLINE, Deadline, DeadlineRule, parse_deadline

from .dates import parse_date
from .errors import PublicationParseError
from .limits import MAX_FINDINGS, check_time
from .structure import (
    CAUSE_OF_CONCERN,
    GRADES,
    KINDS,
    RECOMMENDATION,
    STATUSES,
    Grade,
    HistoryEntry,
    ParsedItem,
    ParsedPublication,
)

STATE_VERSION = 1
SPLIT_MARKER = "---"
_SPLIT = re.compile(r"^[ \t]*---[ \t]*\r?$", re.MULTILINE)
_PERIOD_LIMITS = {"months": 120, "weeks": 522, "days": 3653}
_BROKEN = "The preview could not be read; start the import again."
_TOO_MANY_PARTS = (
    f"A publication can have at most {MAX_FINDINGS:,} items: split this one into fewer parts."
)


class PreviewEditError(Exception):
    """Edits that cannot be applied: ``errors`` maps a row uid to {field: message}."""

    def __init__(self, errors: dict[int, dict[str, str]]) -> None:
        super().__init__("The preview has errors.")
        self.errors = errors


@dataclass(frozen=True)
class RowEdit:
    """What the inspector submitted for one row. ``rule`` "" means: read it from the text."""

    kind: str
    reference: str
    text: str
    parent: int | None = None
    rule: str = ""
    phrase: str = ""
    due_on: date | None = None
    merge: bool = False
    delete: bool = False


# --- To and from plain dicts ----------------------------------------------------------------


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def deadline_to_dict(deadline: Deadline) -> dict:
    return {
        "rule": DeadlineRule(deadline.rule).value,
        "phrase": deadline.phrase,
        "months": deadline.months,
        "weeks": deadline.weeks,
        "days": deadline.days,
        "on": _iso(deadline.on),
    }


def _date(value, *, required: bool = False) -> date | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise PublicationParseError(_BROKEN)
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise PublicationParseError(_BROKEN) from error


def deadline_from_dict(data) -> Deadline:
    if not isinstance(data, dict) or data.get("rule") not in DeadlineRule.values:
        raise PublicationParseError(_BROKEN)
    rule = DeadlineRule(data["rule"])
    periods = {}
    for unit, limit in _PERIOD_LIMITS.items():
        value = data.get(unit, 0)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= limit:
            raise PublicationParseError(_BROKEN)
        periods[unit] = value
    on = _date(data.get("on"))
    phrase = data.get("phrase", "")
    if not isinstance(phrase, str):
        raise PublicationParseError(_BROKEN)
    if rule == DeadlineRule.NONE:
        return NO_DEADLINE
    if rule == DeadlineRule.ABSOLUTE and on is None:
        raise PublicationParseError(_BROKEN)
    if rule == DeadlineRule.RELATIVE and not any(periods.values()):
        raise PublicationParseError(_BROKEN)
    return Deadline(
        rule,
        phrase=phrase,
        on=on if rule == DeadlineRule.ABSOLUTE else None,
        **(periods if rule == DeadlineRule.RELATIVE else {}),
    )


def state_from_publication(parsed: ParsedPublication, *, source_hash: str, **extra) -> dict:
    """The session state for a freshly parsed publication; ``extra`` holds form choices
    (force id, programme, source URL) as JSON-serialisable values."""
    rows = []
    for uid, item in enumerate(parsed.items):
        rows.append(
            {
                "uid": uid,
                "kind": item.kind,
                "reference": item.reference,
                "parent": item.parent,  # parsed parents are indexes, and index == uid here
                "text": item.text,
                "deadline": deadline_to_dict(item.deadline),
                "status": item.status,
                "history": [entry.to_json_dict() for entry in item.history],
            }
        )
    return {
        "version": STATE_VERSION,
        "source_hash": source_hash,
        "revision": 0,
        "title": parsed.title,
        "published_on": _iso(parsed.published_on),
        "issued_on": _iso(parsed.issued_on),
        "references": list(parsed.references),
        "grades": [grade.to_json_dict() for grade in parsed.grades],
        "warnings": list(parsed.warnings),
        "rows": rows,
        "next_uid": len(rows),
        **extra,
    }


def _string(value) -> str:
    if not isinstance(value, str):
        raise PublicationParseError(_BROKEN)
    return value


def checked_rows(state) -> list[dict]:
    """The state's rows after checking their shape, kinds, statuses, parents and text."""
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
        raise PublicationParseError(_BROKEN)
    rows = state.get("rows")
    # A grades-only publication has no rows; anything else needs at least one.
    if not isinstance(rows, list) or not (rows or state.get("grades")):
        raise PublicationParseError("There are no findings left to import.")
    uids, causes = set(), set()
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("uid"), int):
            raise PublicationParseError(_BROKEN)
        if row["uid"] in uids:
            raise PublicationParseError(_BROKEN)
        uids.add(row["uid"])
        if row.get("kind") not in KINDS or row.get("status") not in STATUSES:
            raise PublicationParseError(_BROKEN)
        if row["kind"] == CAUSE_OF_CONCERN:
            causes.add(row["uid"])
        if not _string(row.get("text")).strip():
            raise PublicationParseError("Every item needs its text.")
        _string(row.get("reference"))
    for row in rows:
        parent = row.get("parent")
        if parent is not None and (row["kind"] != RECOMMENDATION or parent not in causes):
            raise PublicationParseError(_BROKEN)
    return rows


def publication_from_state(state) -> ParsedPublication:
    """The publication to import, rebuilt from the state and checked again throughout."""
    rows = checked_rows(state)
    index_of = {row["uid"]: index for index, row in enumerate(rows)}
    items = []
    for row in rows:
        history = []
        for entry in row.get("history") or []:
            if not isinstance(entry, dict) or entry.get("status") not in (None, *STATUSES):
                raise PublicationParseError(_BROKEN)
            history.append(
                HistoryEntry(
                    on=cast(date, _date(entry.get("on"), required=True)),  # never None
                    status=entry.get("status"),
                    comment=_string(entry.get("comment", "")),
                )
            )
        deadline = deadline_from_dict(row.get("deadline"))
        items.append(
            ParsedItem(
                kind=row["kind"],
                reference=row["reference"].strip(),
                parent=None if row.get("parent") is None else index_of[row["parent"]],
                text=row["text"].strip(),
                deadline=deadline if row["kind"] == RECOMMENDATION else NO_DEADLINE,
                status=row["status"],
                history=history,
            )
        )
    grades = []
    for grade in state.get("grades") or []:
        if not isinstance(grade, dict) or grade.get("grade") not in GRADES:
            raise PublicationParseError(_BROKEN)
        grades.append(Grade(area=_string(grade.get("area")), grade=grade["grade"]))
    references = state.get("references") or []
    return ParsedPublication(
        title=_string(state.get("title") or ""),
        published_on=_date(state.get("published_on")),
        issued_on=_date(state.get("issued_on")),
        references=[_string(ref) for ref in references],
        grades=grades,
        items=items,
    )


# --- Applying the inspector's edits ----------------------------------------------------------


def split_text(text: str) -> list[str]:
    """The parts of a text split at lines holding only ``---``; empty parts are dropped."""
    return [part.strip() for part in _SPLIT.split(text or "") if part.strip()]


def _parse_phrase(phrase: str) -> Deadline:
    """A deadline phrase typed on its own ("by 30 September 2024", "within 28 days")."""
    lead = "The force should "  # the parser only trusts "by DATE" in a recommending sentence
    found = parse_deadline(lead + phrase)
    if found.rule != DeadlineRule.NONE:
        return found
    on = parse_date(phrase)
    if on is not None:
        return Deadline(DeadlineRule.ABSOLUTE, phrase=phrase, on=on)
    return NO_DEADLINE


_PHRASE_HELP = {
    DeadlineRule.RELATIVE: "Enter a period such as “within three months”.",
    DeadlineRule.ABSOLUTE: "Enter a date such as “by 30 September 2024”, or set the due date.",
}


def _deadline_for(row: dict, edit: RowEdit, kind: str) -> Deadline:
    """The row's deadline after the edit; a phrase that does not fit the chosen rule raises
    ValueError(field, message)."""
    if kind != RECOMMENDATION:
        return NO_DEADLINE
    phrase = " ".join(edit.phrase.split())
    if edit.due_on is not None:
        typed = _parse_phrase(phrase) if phrase else NO_DEADLINE
        keep = typed.rule == DeadlineRule.ABSOLUTE and typed.on == edit.due_on
        return Deadline(DeadlineRule.ABSOLUTE, phrase=typed.phrase if keep else "", on=edit.due_on)
    current = deadline_from_dict(row["deadline"])
    if row["kind"] != RECOMMENDATION or not edit.rule:
        return parse_deadline(" ".join(edit.text.split()))
    if edit.rule == current.rule and phrase == " ".join(current.phrase.split()):
        return current
    rule = DeadlineRule(edit.rule)
    if rule == DeadlineRule.NONE:
        return NO_DEADLINE
    if rule == DeadlineRule.IMMEDIATE:
        return Deadline(DeadlineRule.IMMEDIATE, phrase=phrase or "immediately")
    typed = _parse_phrase(phrase)
    if typed.rule != rule:
        raise ValueError("phrase", _PHRASE_HELP[rule])
    return typed


def apply_edits(state: dict, edits: dict[int, RowEdit]) -> dict:
    """A new state with the edits applied, or PreviewEditError; the old state is unchanged.

    Order per row: delete, then merge into the item above, then split at ``---`` lines.
    A recommendation whose cause of concern is deleted, or no longer a cause of concern,
    belongs directly to the inspection; one merged into the cause above moves with it.
    """
    rows = checked_rows(state)
    result: list[dict] = []
    moved: dict[int, int | None] = {}
    errors: dict[int, dict[str, str]] = {}
    next_uid = state["next_uid"]
    for row in rows:
        check_time()
        uid = row["uid"]
        edit = edits.get(uid)
        if edit is None:
            errors[uid] = {"text": _BROKEN}
            continue
        if edit.delete:
            moved[uid] = None
            continue
        parts = split_text(edit.text)
        if edit.merge:
            if not result:
                errors[uid] = {"merge": "There is no item above to merge this one into."}
                continue
            target = result[-1]
            target["text"] = " ".join([target["text"], *parts]).strip()
            moved[uid] = target["uid"] if target["kind"] == CAUSE_OF_CONCERN else None
            continue
        if edit.kind not in KINDS:
            errors[uid] = {"kind": "Choose the kind of finding."}
            continue
        try:
            deadline = _deadline_for(row, edit, edit.kind)
        except ValueError as error:
            field, message = error.args
            errors[uid] = {field: message}
            continue
        if not parts:
            errors[uid] = {"text": "Enter the text of the item, or choose to delete it."}
            continue
        if len(result) + len(parts) > MAX_FINDINGS:
            errors[uid] = {"text": _TOO_MANY_PARTS}
            continue
        new = {
            **row,
            "kind": edit.kind,
            "reference": " ".join(edit.reference.split()),
            "text": parts[0],
            "parent": edit.parent if edit.kind == RECOMMENDATION else None,
            "deadline": deadline_to_dict(deadline),
        }
        result.append(new)
        for part in parts[1:]:
            result.append({**new, "uid": next_uid, "reference": "", "text": part})
            next_uid += 1
    if errors:
        raise PreviewEditError(errors)
    causes = {row["uid"] for row in result if row["kind"] == CAUSE_OF_CONCERN}
    for row in result:
        parent = row["parent"]
        while parent is not None and parent in moved:
            parent = moved[parent]
        row["parent"] = parent if parent in causes else None
    if not result and not state.get("grades"):
        raise PreviewEditError({rows[0]["uid"]: {"delete": "Keep at least one item to import."}})
    return {**state, "rows": result, "next_uid": next_uid, "revision": state["revision"] + 1}


def due_on_for(row: dict, *, published_on: date | None, issued_on: date | None) -> date | None:
    """The due date the row would get with these dates (None when it has no deadline yet)."""
    if row["kind"] != RECOMMENDATION:
        return None
    try:
        return deadline_from_dict(row["deadline"]).due_on(issued_on or published_on)
    except (ValueError, OverflowError, PublicationParseError):
        return None

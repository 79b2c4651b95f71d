"""Scoring the importer on the corpus of real publications (tests/fixtures/publications/corpus).

Each ``NAME.txt`` starts with the Open Government Licence line and, for excerpts gathered from
the inspectorate's pages, a "# Source: ADDRESS" line. Each ``NAME.json`` is the answer a careful
inspector records for ``NAME.txt`` (or for the text its ``"text"`` names): every finding's kind,
reference, parent, deadline rule, due date, status and number of history entries, and every
graded judgment; ``published_on``/``issued_on`` are the dates the inspector gives the form when
the text does not state the ones the deadlines run from. The score is the share of those fields
the parser gets right; a finding it misses or adds costs all of that finding's fields.

Run ``python -m tests.recommendations.importing.corpus`` for the score, publication by
publication.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from recommendations.importing import PublicationParseError, parse_publication

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "publications" / "corpus"
SOURCE = "# Source: "
ITEM_FIELDS = ("kind", "reference", "parent", "rule", "due_on", "status", "history")


@dataclass
class Score:
    name: str
    right: int
    total: int
    wrong: list[str]


def _found(item) -> dict:
    return {
        "kind": item.kind,
        "reference": item.reference,
        "parent": item.parent,
        "rule": str(item.deadline.rule),
        "due_on": item.due_on.isoformat() if item.due_on else None,
        "status": item.status,
        "history": len(item.history),
    }


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _publication_text(path: Path) -> str:
    """The text as the importer receives it: the fixture's "# Source: ADDRESS" line, which
    records where the excerpt was read, is not part of the publication."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return "\n".join(line for line in lines[:3] if not line.startswith(SOURCE)) + (
        "\n" + "\n".join(lines[3:]) if len(lines) > 3 else ""
    )


def score_publication(path: Path) -> Score:
    expected = json.loads(path.read_text(encoding="utf-8"))
    text_path = path.parent / expected.get("text", f"{path.stem}.txt")
    total = len(expected["items"]) * len(ITEM_FIELDS) + len(expected["grades"])
    try:
        parsed = parse_publication(
            _publication_text(text_path),
            published_on=_date(expected.get("published_on")),
            issued_on=_date(expected.get("issued_on")),
        )
    except PublicationParseError as refused:
        return Score(path.stem, 0, total, [f"refused: {refused.message}"])
    right, wrong = 0, []
    found = [_found(item) for item in parsed.items]
    for index, want in enumerate(expected["items"]):
        got = found[index] if index < len(found) else {}
        for field in ITEM_FIELDS:
            if got.get(field) == want[field]:
                right += 1
            else:
                wrong.append(f"item {index} {field}: {got.get(field)!r} != {want[field]!r}")
    extra = len(found) - len(expected["items"])
    if extra > 0:  # each finding too many costs as much as one missed
        total += extra * len(ITEM_FIELDS)
        wrong.append(f"{extra} finding(s) too many")
    grades = {(g.area.casefold(), g.grade) for g in parsed.grades}
    wanted = {(area.casefold(), grade) for area, grade in expected["grades"]}
    right += len(grades & wanted)
    wrong += [f"grade missed: {g}" for g in sorted(wanted - grades)]
    if len(grades - wanted):
        total += len(grades - wanted)
        wrong += [f"grade too many: {g}" for g in sorted(grades - wanted)]
    return Score(path.stem, right, total, wrong)


def score_corpus() -> list[Score]:
    return [score_publication(path) for path in sorted(CORPUS.glob("*.json"))]


if __name__ == "__main__":  # pragma: no cover - a report for people
    import django

    django.setup()
    scores = score_corpus()
    for score in scores:
        print(f"{score.right:4}/{score.total:<4} {score.name}")
        for line in score.wrong:
            print(f"           {line}")
    right, total = sum(s.right for s in scores), sum(s.total for s in scores)
    print(f"{len(scores)} publications: {right}/{total} fields right ({100 * right / total:.1f}%)")

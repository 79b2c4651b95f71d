"""The result of parsing a publication, before anything is written to the database.

The shape of ``ParsedPublication.to_json_dict()`` is the ``--json`` output of the import
command, so changing it is a change of interface.
"""

from dataclasses import dataclass, field
from datetime import date

from recommendations.deadlines import NO_DEADLINE, Deadline, DeadlineRule
from recommendations.vocabulary import Grade as GradeChoice
from recommendations.vocabulary import ItemKind, Status

# A cause of concern is a finding of its own (not an item kind): its recommendations belong to it.
CAUSE_OF_CONCERN = "cause-of-concern"
RECOMMENDATION = ItemKind.RECOMMENDATION.value
AREA_FOR_IMPROVEMENT = ItemKind.AREA_FOR_IMPROVEMENT.value
KINDS = (CAUSE_OF_CONCERN, *ItemKind.values)

# The register's own status vocabulary; a new finding awaits the inspector's review.
AWAITING_REVIEW = Status.AWAITING_REVIEW.value
STATUSES = tuple(Status.values)

GRADES = tuple(GradeChoice.values)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass
class HistoryEntry:
    """One entry of the register's event log; ``status`` is None for a comment-only entry."""

    on: date
    status: str | None
    comment: str = ""

    def to_json_dict(self) -> dict:
        return {"on": _iso(self.on), "status": self.status, "comment": self.comment}


@dataclass
class ParsedItem:
    """A cause of concern, recommendation or area for improvement found in the text.

    ``parent`` is the index (in ``ParsedPublication.items``) of the cause of concern a
    recommendation belongs to. Only recommendations have deadlines.
    """

    kind: str
    reference: str
    parent: int | None
    text: str
    deadline: Deadline = NO_DEADLINE
    due_on: date | None = None
    status: str = AWAITING_REVIEW
    history: list[HistoryEntry] = field(default_factory=list)

    def to_json_dict(self) -> dict:
        return {
            "kind": self.kind,
            "reference": self.reference,
            "parent": self.parent,
            "text": self.text,
            "deadline": {
                "rule": DeadlineRule(self.deadline.rule).value,
                "phrase": self.deadline.phrase,
            },
            "due_on": _iso(self.due_on),
            "status": self.status,
            "history": [entry.to_json_dict() for entry in self.history],
        }


@dataclass
class Grade:
    """A graded judgment: ``grade`` is one of ``GRADES``."""

    area: str
    grade: str

    def to_json_dict(self) -> dict:
        return {"area": self.area, "grade": self.grade}


@dataclass
class ParsedPublication:
    """Everything the import preview shows; ``title`` is "" when the text does not state it."""

    title: str = ""
    published_on: date | None = None
    issued_on: date | None = None
    references: list[str] = field(default_factory=list)
    grades: list[Grade] = field(default_factory=list)
    items: list[ParsedItem] = field(default_factory=list)
    # Things for the inspector to check in the preview (a heading with nothing found under it).
    warnings: list[str] = field(default_factory=list)
    source_url: str = ""  # the publication's own web address, when the text states it
    programme_years: str = ""  # "2021/22" when the text names a PEEL round
    forces: list[str] = field(default_factory=list)  # forces the text names, most named first

    def to_json_dict(self) -> dict:
        return {
            "inspection": {
                "title": self.title,
                "published_on": _iso(self.published_on),
                "issued_on": _iso(self.issued_on),
            },
            "grades": [grade.to_json_dict() for grade in self.grades],
            "items": [item.to_json_dict() for item in self.items],
            "warnings": list(self.warnings),
        }

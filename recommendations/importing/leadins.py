"""Recommendations and their lead-ins: how a recommendation opens, and whether the points of a
lead-in are recommendations of their own or the details of one.

Rules named here: "action plan lead-in", "explanatory bullet", inline lists (":-a;-b; and-c")
and lead-ins whose points each repeat the lead-in's deadline.
"""

import re
from dataclasses import dataclass
from functools import cached_property

from recommendations.deadlines import DeadlineLead, deadline_lead

from .text import clean_point, collapse_spaces, first_sentence, last_sentence

# "should have acted" looks back at what went wrong; "should have a plan" and "should have
# dedicated staff" recommend, so only unambiguous participles count.
_NOT_PAST = r"(?!\s+have\s+(?:been|done|made|taken|given|known|seen|acted|happened|occurred)\b)"
SHOULD = rf"(?:should|must){_NOT_PAST}"
MODAL = re.compile(
    rf"\b(?:{SHOULD}|needs?\s+to|has\s+to|have\s+to|ought\s+to|is\s+to|are\s+to)\b",
    re.IGNORECASE,
)
RECOMMEND = re.compile(r"\brecommends?\b", re.IGNORECASE)
# Rule "recommended lead-in": a press release reports "HMICFRS has recommended that the service
# should make sure:" -- the perfect tense recommends now, unlike "we recommended in 2019".
RECOMMENDED_LEAD = re.compile(r"\b(?:has|have)\s+recommended\s+that\b", re.IGNORECASE)

# Rule "explanatory bullet": a bullet that gives an example, a date or a note about the point
# before it belongs to that point; it is not a recommendation of its own.
EXPLAINS = re.compile(
    r"^(?:for\s+example|for\s+instance|e\.g\.|i\.e\.|such\s+as|including|note\b|this\s+"
    r"(?:includes|means|could|may|might)\b|(?:by|before|no\s+later\s+than)?\s*\d{1,2}"
    r"(?:st|nd|rd|th)?\s+[A-Za-z]+\s+\d{4}\.?$)",
    re.IGNORECASE,
)
# Rule "action plan lead-in": each point of "...provide an action plan that:" is counted and
# closed on its own.
_ACTION_PLAN = re.compile(r"\bplans?\s+(?:that|which|to)\s*:?$", re.IGNORECASE)

# How a recommendation opens: its deadline, or a subject (up to 12 words) and a modal.
DEADLINE_OPENING = (
    r"(?:within\s|by\s+(?:the\s+end\s+of\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?[a-z]{3,9}\s+\d{4}"
    r"|immediately\b"
    r"|(?:not|no)\s+later\s+than\b|with\s+immediate\s+effect\b"
    r"|as\s+a\s+matter\s+of\s+(?:urgency|priority)\b|at\s+once\b|without\s+delay\b)"
)
PREAMBLE = (
    r"(?:(?:to\s+address\s+(?:this|these)(?:\s+causes?\s+of\s+concern)?|in\s+addition),?\s+)?"
)
STRONG_START = re.compile(rf"^{PREAMBLE}{DEADLINE_OPENING}", re.IGNORECASE)
RECOMMENDATION_START = re.compile(
    rf"^{PREAMBLE}(?:{DEADLINE_OPENING}|(?:[\w'\u2019&,-]+\s+){{0,12}}?"
    rf"(?:{SHOULD}|needs?\s+to|is\s+to|are\s+to|recommends?)\b)",
    re.IGNORECASE,
)

# Lead-ins: inline lists are written ":-first;-second; and-third".
_INLINE_LIST = re.compile(r":\s*-(?=\S)")
_INLINE_SEPARATOR = re.compile(r";\s*(?:(?:and|or)\s*)?-(?=\S)|\s(?:and|or)-(?=[a-z])")
_INLINE_REWRITE = re.compile(r"(:|;|\b(?:and|or))\s*-(?=\S)")
_LEAD_MODAL = re.compile(
    rf"\b(?:{SHOULD}|needs?\s+to|is\s+to|are\s+to|will|recommends?(?:\s+that)?)\b", re.I
)
LEAD_DEADLINE = re.compile(
    r"\b(?:immediately|immediate\s+(?:steps|actions?)|with\s+immediate\s+effect"
    r"|as\s+a\s+matter\s+of\s+(?:urgency|priority)|at\s+once|without\s+delay"
    r"|(?:not|no)\s+later\s+than\s+\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]+\s+\d{4}"
    r"|within\s+(?:the\s+next\s+)?[\w-]+\s+(?:calendar\s+)?(?:months?|weeks?|days?|years?)"
    r"|by\s+(?:the\s+end\s+of\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?[A-Za-z]+\s+\d{4})\b",
    re.IGNORECASE,
)
LIST_POINT_END = re.compile(r"(?:;|[;,]\s*(?:and|or))$")
_WORD = re.compile(r"[A-Za-z'\u2019]+")
# A clause that points back at a whole recommendation ("This work should include a review
# of:") or ends in a preposition introduces sub-points, not recommendations of their own.
_POINTS_BACK = re.compile(r"^(?:this|these|that|it|they|such|which)\b", re.IGNORECASE)
_SUB_POINT_ENDINGS = frozenset({"of", "include", "includes", "including", "namely"})
_SUB_POINT_PAIRS = frozenset({"regard to", "relation to", "respect to", "such as"})
_INTRODUCING_MAX_WORDS = 5
# Each point repeats its lead-in's last sentence; a real one is a line or two, and a longer one
# would make every point as long.
_INTRODUCING_MAX_LENGTH = 1_000


def split_inline(text: str) -> tuple[str, list[str]] | None:
    """("lead-in:", [points]) for an inline list "...:-a;-b; and-c", else None."""
    match = _INLINE_LIST.search(text)
    if not match:
        return None
    points = [clean_point(p) for p in _INLINE_SEPARATOR.split(text[match.end() :])]
    return text[: match.start()] + ":", [p for p in points if p]


def rewrite_inline(text: str) -> str:
    """An inline list kept inside its recommendation: ":-a;-b; and-c" -> ": a; b; and c"."""
    if not _INLINE_LIST.search(text):
        return text
    return _INLINE_REWRITE.sub(r"\1 ", text)


def introducing(lead_in: str) -> bool:
    """Whether a lead-in ending in ":" makes each of its points a recommendation of its own.

    "The force should immediately:" and "Cleveland Police should take immediate steps to:" do;
    "This work should include a review of:" and "...put in place arrangements to ensure
    that:" introduce the details of one recommendation.
    """
    sentence = last_sentence(lead_in).rstrip(":- ").strip()
    if len(sentence) > _INTRODUCING_MAX_LENGTH or _POINTS_BACK.match(sentence):
        return False
    if _ACTION_PLAN.search(sentence) and _LEAD_MODAL.search(sentence):
        return True
    modals = list(_LEAD_MODAL.finditer(sentence))
    tail = sentence[modals[-1].end() :] if modals else sentence
    words = [word.lower() for word in _WORD.findall(LEAD_DEADLINE.sub(" ", tail))]
    if words and (
        words[-1] in _SUB_POINT_ENDINGS
        or " ".join(words[-2:]) in _SUB_POINT_PAIRS
        or (words[-1] == "that" and len(words) > 3)
    ):
        return False
    return len(words) <= (_INTRODUCING_MAX_WORDS if modals else 3)


def recommends_with_deadline(text: str) -> bool:
    """Whether a paragraph recommends, with a deadline, in its first sentence.

    "Within three months, the force should..." and "The force should, by 31 March 2025, ..."
    do; "Within a year of our last inspection, the force had..." is narrative.
    """
    sentence = first_sentence(text)[0]
    if not (MODAL.search(sentence) or RECOMMEND.search(sentence)):
        return False
    if STRONG_START.match(text):
        return True
    return bool(RECOMMENDATION_START.match(text) and LEAD_DEADLINE.search(sentence))


def lead_in_prefix(lead_in: str) -> str:
    return last_sentence(lead_in).rstrip().rstrip(":-").rstrip()


def point_text(prefix: str, point: str) -> str:
    return f"{prefix} {clean_point(point)}.".strip()


@dataclass
class LeadIn:
    """A lead-in whose points are recommendations; what each point repeats of it is worked
    out once, at its first point, so a long list costs linear time."""

    text: str
    marker: str | None = None

    @cached_property
    def prefix(self) -> str:
        return lead_in_prefix(self.text)

    @cached_property
    def deadline(self) -> DeadlineLead:
        return deadline_lead(collapse_spaces(self.text))

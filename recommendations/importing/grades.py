"""Graded judgments: "Cleveland Police is inadequate at operating efficiently."

The subject must be the organisation's proper name, so narrative such as "The force control
room is good at managing the well-being of its staff" is not a judgment.
"""

import re

from .structure import Grade

# A proper name: "Cleveland Police", "Devon and Cornwall Police", "Isles of Scilly Fire and
# Rescue Service". Each repetition needs a space first, so matching stays linear.
_NAME_WORD = r"[A-Z][\w'\u2019&.-]*"
NAME = rf"{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|and|of|the|&)){{0,7}}"
_PRONOUNS = frozenset(
    {"it", "this", "that", "these", "those", "there", "we", "our", "he", "she", "they"}
    | {"which", "what", "who", "overall", "however"}
)

_GRADE_START = re.compile(
    rf"^(?P<subject>{NAME})\s+(?:(?:is|are)\s+(?P<grade>outstanding|good|adequate|inadequate)"
    r"|(?P<requires>requires?\s+improvement))\s+(?:at|in)\s+"
)
# The area runs to the end of the sentence: 3 to 200 characters, not counting the spaces before
# the full stop. Found by one search for the full stop, not by growing the area a character at a
# time and looking for the full stop after each.
_SENTENCE_END = re.compile(r"[.!?]")
_GRADE_AREA_MAX_LENGTH = 200
_GRADE_AREA_MAX_WORDS = 25
_NOT_AN_AREA = re.compile(r"\b(?:but|although|however|though|whereas)\b", re.IGNORECASE)


def grade_start(line: str) -> bool:
    """Whether ``line`` opens a graded-judgment sentence (so it starts a block of its own)."""
    match = _GRADE_START.match(line)
    return bool(match) and match["subject"].split()[0].lower() not in _PRONOUNS


def grade_of(text: str) -> Grade | None:
    """The graded judgment a sentence states, else None.

    "Cleveland Police is inadequate at operating efficiently." gives
    Grade(area="operating efficiently", grade="inadequate").
    """
    match = _GRADE_START.match(text)
    if not match or match["subject"].split()[0].lower() in _PRONOUNS:
        return None
    end = _SENTENCE_END.search(text, match.end())
    area = text[match.end() : end.start()] if end else ""
    if len(area) < 3 or len(area.rstrip()) > _GRADE_AREA_MAX_LENGTH:
        return None
    words = area.split()
    if len(words) > _GRADE_AREA_MAX_WORDS or _NOT_AN_AREA.search(area):
        return None
    grade = "requires-improvement" if match["requires"] else match["grade"].lower()
    return Grade(area=" ".join(words), grade=grade)

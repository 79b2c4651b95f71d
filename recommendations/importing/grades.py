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
_GRADE_AREA = re.compile(r"(?P<area>[^.!?]{3,200}?)\s*[.!?]")
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
    area = _GRADE_AREA.match(text, match.end())
    if not area:
        return None
    words = area["area"].split()
    if len(words) > _GRADE_AREA_MAX_WORDS or _NOT_AN_AREA.search(area["area"]):
        return None
    grade = "requires-improvement" if match["requires"] else match["grade"].lower()
    return Grade(area=" ".join(words), grade=grade)

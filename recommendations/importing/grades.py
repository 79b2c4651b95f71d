"""Graded judgments, in every way HMICFRS states them. Each rule is named and tested alone:

- ``sentence``: "Cleveland Police is inadequate at operating efficiently.", "The constabulary is
  good at ...", "The service requires improvement in ...", "X was judged to be good at ...";
- ``bullet``: a press release's "HMICFRS judged that X:" then "is ‘good’ at ...;" bullets;
- ``label``: an area heading with its grade on the next line ("Investigating crime" /
  "Requires improvement"), or on the same line after a colon or a dash;
- ``table``: rows of a judgment table ("Preventing fires and other risks Good"), two or more
  in a row, as the four-tier PEEL (2014-2019) and fire pages print them.

The subject of a sentence must be the organisation (its proper name, or "the force", "the
constabulary", "the service", "the brigade"), so narrative such as "The force control room is
good at managing the well-being of its staff" is not a judgment.
"""

import re

from .limits import check_time
from .structure import Grade

# A proper name: "Cleveland Police", "Devon and Cornwall Police", "Isles of Scilly Fire and
# Rescue Service". Each repetition needs a space first, so matching stays linear.
_NAME_WORD = r"[A-Z][\w'\u2019&.-]*"
NAME = rf"{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|and|of|the|&)){{0,7}}"
_ORGANISATION = r"(?i:the|this)\s+(?i:force|constabulary|service|brigade)"
_PRONOUNS = frozenset(
    {"it", "this", "that", "these", "those", "there", "we", "our", "he", "she", "they"}
    | {"which", "what", "who", "overall", "however"}
)
_Q = "['\u2018\u2019\"\u201c\u201d]?"
_GRADE_WORD = (
    rf"{_Q}(?P<grade>(?i:outstanding|good|adequate|inadequate|requires?\s+improvement)){_Q}"
)
_JUDGED = r"(?:was|is|has\s+been)\s+(?:judged|assessed|graded|found)\s+(?:to\s+be\s+|as\s+)?"
_VERB = rf"(?:{_JUDGED}|(?:is|are|was|remains)\s+|(?=requires?\s))"

# Case matters for the subject (a proper name), so only the words around it ignore case.
_GRADE_START = re.compile(
    rf"^(?P<subject>{_ORGANISATION}|{NAME})\s+(?:also\s+|still\s+)?{_VERB}{_GRADE_WORD}"
    r"\s+(?:at|in)\s+"
)
_BULLET_GRADE = re.compile(rf"^(?:is\s+|was\s+)?{_GRADE_WORD}\s+(?:at|in)\s+", re.IGNORECASE)
# The area runs to the end of the sentence: 3 to 200 characters, not counting the spaces before
# the full stop. Found by one search for the full stop, not by growing the area a character at a
# time and looking for the full stop after each.
_SENTENCE_END = re.compile(r"[.!?;]")
_GRADE_AREA_MAX_LENGTH = 200
_GRADE_AREA_MAX_WORDS = 25
# "was good in its 2018/19 assessment" reports an earlier grade, not an area.
_NOT_AN_AREA = re.compile(
    r"\b(?:but|although|however|though|whereas|assessment|inspection)\b|\b(?:19|20)\d\d\b",
    re.IGNORECASE,
)
# Abbreviations a report uses in a grade's area, written out as the area is named elsewhere.
_ABBREVIATIONS = {"SOC": "serious and organised crime", "ASB": "antisocial behaviour"}
_ABBREVIATION = re.compile(r"\b(?:SOC|ASB)\b")

# A grade alone on its line, or after "Grade:"; a label or table row ends with one.
_GRADE_ONLY = re.compile(
    rf"^(?:(?:grade|judge?ment|rating|overall)\s*:?\s*)?{_GRADE_WORD}\.?$", re.IGNORECASE
)
_ENDS_WITH_GRADE = re.compile(
    rf"^(?P<area>[A-Z][^.!?;]{{2,150}}?)\s*(?:[:|\t\u2013\u2014-]\s*|\s)"
    rf"(?:{_GRADE_WORD})\.?$",
    re.IGNORECASE,
)
_LABEL_SEPARATED = re.compile(r"^[^:|\t\u2013\u2014]{3,150}\s*[:|\t\u2013\u2014]")
_AREA_MAX_WORDS = 16
# Words that show a line is a sentence, not an area's name.
_SENTENCE_WORDS = re.compile(
    r"\b(?:is|are|was|were|has|have|had|we|our|its|it|should|must|found|judged)\b", re.IGNORECASE
)
_TABLE_HEADER = re.compile(
    r"^(?:question|area|pillar|core\s+question|theme)s?\s+(?:score|grade|judge?ment)s?$",
    re.IGNORECASE,
)


def _grade_value(word: str) -> str:
    word = " ".join(word.lower().split())
    return "requires-improvement" if word.startswith("require") else word


def _area(text: str, start: int) -> str | None:
    end = _SENTENCE_END.search(text, start)
    area = text[start : end.start()] if end else text[start:]
    if len(area) < 3 or len(area.rstrip()) > _GRADE_AREA_MAX_LENGTH:
        return None
    words = area.split()
    if len(words) > _GRADE_AREA_MAX_WORDS or _NOT_AN_AREA.search(area):
        return None
    return area_name(" ".join(words))


def area_name(area: str) -> str:
    """The area as the inspectorate names it: quotes and a trailing full stop dropped, and
    "SOC" written out ("managing SOC" -> "managing serious and organised crime")."""
    area = area.strip().strip("'\u2018\u2019\"\u201c\u201d").rstrip(".:;,").strip()
    return _ABBREVIATION.sub(lambda match: _ABBREVIATIONS[match[0]], area)


def _subject_ok(subject: str) -> bool:
    return subject.split()[0].lower() not in _PRONOUNS


def grade_start(line: str) -> bool:
    """Whether ``line`` opens a graded-judgment sentence (so it starts a block of its own)."""
    match = _GRADE_START.match(line)
    return match is not None and _subject_ok(match["subject"])


def grade_of(text: str) -> Grade | None:
    """Rule ``sentence``: the graded judgment a sentence states, else None.

    "Cleveland Police is inadequate at operating efficiently." gives
    Grade(area="operating efficiently", grade="inadequate").
    """
    match = _GRADE_START.match(text)
    if not match or not _subject_ok(match["subject"]):
        return None
    area = _area(text, match.end())
    return Grade(area=area, grade=_grade_value(match["grade"])) if area else None


def bullet_grade_of(text: str) -> Grade | None:
    """Rule ``bullet``: "is ‘good’ at treating its workforce with fairness and respect;"."""
    match = _BULLET_GRADE.match(text)
    if not match:
        return None
    area = _area(text, match.end())
    return Grade(area=area, grade=_grade_value(match["grade"])) if area else None


def _looks_like_area(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= _AREA_MAX_WORDS
        and text[:1].isupper()
        and not text.endswith((".", ":", ";", ","))
        and not _SENTENCE_WORDS.search(text)
    ) or (text.lower().startswith(("how ", "to what extent")) and text.endswith("?"))


def _row(line: str) -> Grade | None:
    match = _ENDS_WITH_GRADE.match(line)
    if not match:
        return None
    area = match["area"].strip()
    if not _looks_like_area(area):
        return None
    return Grade(area=area_name(area), grade=_grade_value(match["grade"]))


def line_grades(lines: list[str]) -> list[Grade]:
    """Rules ``label`` and ``table``: grades stated as labels and table rows, in text order."""
    grades: list[Grade] = []
    run: list[Grade] = []  # table rows read so far, kept once a second row follows
    in_table = False
    previous = ""
    for line in lines:
        check_time()
        only = _GRADE_ONLY.match(line)
        if only and previous and _looks_like_area(previous.rstrip(":")):
            grades.append(Grade(area=area_name(previous), grade=_grade_value(only["grade"])))
            run, previous = [], ""
            continue
        if _TABLE_HEADER.match(line):
            in_table, run = True, []
            previous = ""
            continue
        row = _row(line)
        if row is not None:
            if in_table or _LABEL_SEPARATED.match(line):
                grades.append(row)
            else:
                run.append(row)
                if len(run) == 2:
                    grades.extend(run)
                elif len(run) > 2:
                    grades.append(row)
        else:
            in_table, run = False, []
        previous = line
    return grades

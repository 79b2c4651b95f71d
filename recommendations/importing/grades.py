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
# Rule ``judged``: "It is judged to be good at ..." follows a sentence naming the force; a
# pronoun is the force's only when the sentence states a judgment in those words.
_IT_JUDGED = re.compile(rf"^It\s+(?:also\s+)?{_JUDGED}{_GRADE_WORD}\s+(?:at|in)\s+")
_BULLET_GRADE = re.compile(rf"^(?:is\s+|was\s+)?{_GRADE_WORD}\s+(?:at|in)\s+", re.IGNORECASE)
# Rule ``extent``: the four-tier pages' pillar judgments, "The extent to which the force is
# effective at keeping people safe and reducing crime requires improvement." The area is the
# words between "the force" and the grade; "is not graded" is no grade.
_EXTENT_START = re.compile(
    r"^(?i:the\s+extent\s+to\s+which\s+the\s+(?:force|service|constabulary|brigade))\s+(?:is\s+)?"
)
_EXTENT_END = re.compile(rf"(?:\sis)?:?\s{_GRADE_WORD}\.?$")
# Rule ``reversed``: the area first, "The way it protects the public through fire regulation is
# inadequate.", "the efficiency with which the force carries out its responsibilities is
# outstanding; and".
_REVERSED = re.compile(
    r"^(?P<area>(?i:the\s+way\s+(?:it|the\s+(?:force|service|constabulary|brigade))"
    r"|(?:the\s+)?(?:efficiency|effectiveness|legitimacy)\s+with\s+which)\s[^.;:!?]{3,150}?)"
    rf"\s(?i:is|was)\s{_GRADE_WORD}(?=[.;]|$)"
)
# Rule ``we judge``: "We judge it to require improvement in how it uses resources."
_WE_JUDGE = re.compile(
    r"^(?i:we\s+(?:judge|judged|found)\s+(?:it|the\s+(?:force|service|constabulary|brigade))"
    rf"\s+to\s+(?:be\s+)?){_GRADE_WORD}\s+(?i:at|in)\s+"
)
# Rule ``list``: a lead-in whose points are areas with its grade: "It requires improvement
# to:", "We judge it to be good at:".
_LIST_LEAD = re.compile(
    r"^(?:(?i:it|the\s+(?:force|service|constabulary|brigade))\s+(?:is\s+)?"
    r"|(?i:we\s+judge\s+(?:it|the\s+(?:force|service|constabulary|brigade))\s+to\s+(?:be\s+)?))"
    rf"{_GRADE_WORD}\s+(?i:at|in|to)\s*:$"
)
# Rule ``coordinated``: one subject, several grades: "good at X, good at Y and good at Z",
# "good at X and outstanding at Y", "requires improvement at X and at Y".
_GRADE_ALSO = _GRADE_WORD.replace("?P<grade>", "?P<also>")
_COORDINATED = re.compile(
    rf"(?:,\s(?:and\s)?(?:is\s)?{_GRADE_WORD}\s(?:at|in)\s|\sand\s(?:(?:is\s)?{_GRADE_ALSO}\s)?at\s)"
)
# Where a graded sentence may begin inside a paragraph: after a sentence, or a clause whose
# subject is the organisation ("in terms of its effectiveness, in general, the force is good").
_SENTENCE_START = re.compile(r"(?<=[.!?])[\"'\u2019\u201d)]*\s+(?=[A-Z])")
_ORGANISATION_CLAUSE = re.compile(
    r",\s(?=(?:the|this)\s+(?:force|constabulary|service|brigade)\s+(?:is|was|remains)\s)"
)
_SEGMENT_LENGTH = 400
_ANY_GRADE = re.compile(
    r"\b(?:outstanding|good|adequate|inadequate|requires?\s+improvement)\b", re.IGNORECASE
)
_QUOTES = "\"'\u2018\u201c"
_QUOTE_MARK = re.compile("[\u201c\u201d]")
# An area ends where a second clause begins: "... of the organisation and has a well
# established vetting process", "... reducing crime, and it continues to improve".
_SECOND_CLAUSE = re.compile(r",?\s(?:and\s+it\s|(?:and|but)\s+(?:has|have|is|are|uses|works)\b)")
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
    areas = _areas(text, start, None)
    return areas[0][0] if areas else None


def _areas(text: str, start: int, grade: str | None) -> list[tuple[str, str | None]]:
    """The areas of a graded sentence from ``start``, each with its grade (rule
    ``coordinated``: a later "good at" changes the grade, "and at" keeps it)."""
    end = _SENTENCE_END.search(text, start)
    sentence = text[start : end.start()] if end else text[start:]
    found: list[tuple[str, str | None]] = []
    position = 0
    for split in _COORDINATED.finditer(sentence):
        area = _one_area(sentence[position : split.start()])
        if area is None:
            return found
        found.append((area, grade))
        stated = split["grade"] or split["also"]
        grade = _grade_value(stated) if stated else grade
        position = split.end()
    area = _one_area(sentence[position:])
    return [*found, (area, grade)] if area else found


def _one_area(area: str) -> str | None:
    if len(area) < 3 or len(area.rstrip()) > _GRADE_AREA_MAX_LENGTH:
        return None
    clause = _SECOND_CLAUSE.search(area)
    area = area[: clause.start()] if clause else area
    words = area.split()
    if len(words) > _GRADE_AREA_MAX_WORDS or _NOT_AN_AREA.search(area):
        return None
    return area_name(" ".join(words))


def area_name(area: str) -> str:
    """The area as the inspectorate names it: quotes and a trailing full stop dropped, and
    "SOC" written out ("managing SOC" -> "managing serious and organised crime")."""
    area = area.strip().strip("'\u2018\u2019\"\u201c\u201d").rstrip(".:;,").strip()
    area = area[len("respect of ") :] if area.lower().startswith("respect of ") else area
    return _ABBREVIATION.sub(lambda match: _ABBREVIATIONS[match[0]], area)


def _subject_ok(subject: str) -> bool:
    return subject.split()[0].lower() not in _PRONOUNS


def extent_grade_of(text: str) -> Grade | None:
    """Rule ``extent``: "The extent to which the service looks after its people is good." """
    start = _EXTENT_START.match(text)
    if not start or len(text) > _GRADE_AREA_MAX_LENGTH + 60:
        return None
    end = _EXTENT_END.search(text, start.end())
    if not end:
        return None
    area = text[start.end() : end.start()].strip()
    if len(area) < 3 or "." in area or len(area.split()) > _GRADE_AREA_MAX_WORDS:
        return None
    return Grade(area=area_name(area), grade=_grade_value(end["grade"]))


def grade_start(line: str) -> bool:
    """Whether ``line`` opens a graded-judgment sentence (so it starts a block of its own)."""
    if _EXTENT_START.match(line):
        return True
    match = _GRADE_START.match(line)
    return match is not None and _subject_ok(match["subject"])


def grade_of(text: str) -> Grade | None:
    """Rule ``sentence``: the graded judgment a sentence states, else None.

    "Cleveland Police is inadequate at operating efficiently." gives
    Grade(area="operating efficiently", grade="inadequate").
    """
    match = _GRADE_START.match(text)
    if not match or not _subject_ok(match["subject"]):
        return extent_grade_of(text)
    area = _area(text, match.end())
    return Grade(area=area, grade=_grade_value(match["grade"])) if area else None


def grades_of(text: str) -> list[Grade]:
    """Every graded judgment a sentence states (rules ``sentence``, ``coordinated``,
    ``extent``, ``reversed`` and ``we judge``), else []."""
    match = _GRADE_START.match(text)
    if match and _subject_ok(match["subject"]):
        return _graded(text, match.end(), match["grade"])
    match = _WE_JUDGE.match(text) or _IT_JUDGED.match(text)
    if match:
        return _graded(text, match.end(), match["grade"])
    match = _REVERSED.match(text)
    if match:
        area = _one_area(match["area"])
        return [Grade(area=area, grade=_grade_value(match["grade"]))] if area else []
    extent = extent_grade_of(text)
    return [extent] if extent else []


def _graded(text: str, start: int, grade: str) -> list[Grade]:
    return [
        Grade(area=area, grade=area_grade or _grade_value(grade))
        for area, area_grade in _areas(text, start, _grade_value(grade))
    ]


def paragraph_grades(text: str) -> list[Grade]:
    """Graded judgments stated after a paragraph's first sentence (the first is read with the
    paragraph itself): each sentence, and each clause whose subject is the organisation.

    A quotation (an inspector's words in a press release) restates the grades the release
    lists, so what is inside one is not read."""
    if not _ANY_GRADE.search(text):  # most paragraphs name no grade: one scan says so
        return []
    starts = [m.end() for m in _SENTENCE_START.finditer(text)]
    starts += [m.end() for m in _ORGANISATION_CLAUSE.finditer(text)]
    marks = [(m.start(), m[0] == "\u201c") for m in _QUOTE_MARK.finditer(text)]
    grades: list[Grade] = []
    quoted, mark = text[:1] in _QUOTES, 0
    for start in sorted(starts):
        check_time()
        while mark < len(marks) and marks[mark][0] < start:
            quoted, mark = marks[mark][1], mark + 1
        if quoted:
            continue
        segment = text[start : start + _SEGMENT_LENGTH]
        sentence_end = _SENTENCE_END.search(segment)
        sentence = segment[: sentence_end.end()] if sentence_end else segment
        grades.extend(grades_of(sentence))
    return grades


def list_lead_grade(text: str) -> str | None:
    """Rule ``list``: the grade a lead-in gives each of its points ("It requires improvement
    to:"), read from its last sentence."""
    if not text.endswith(":"):
        return None
    starts = [m.end() for m in _SENTENCE_START.finditer(text)]
    match = _LIST_LEAD.match(text[starts[-1] if starts else 0 :])
    return _grade_value(match["grade"]) if match else None


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

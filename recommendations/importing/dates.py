"""Dates as written in HMICFRS publications and register pages.

UK order throughout: "07/08/2018" is 7 August 2018. A date that does not exist ("31 February")
is not a date.
"""

import re
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"[A-Za-z]{3,9}"
_DATE = (
    rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<month>{_MONTH})\.?,?\s+(?P<year>\d{{4}})"
    rf"|(?P<month2>{_MONTH})\.?\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year2>\d{{4}})"
    r"|(?P<iso>\d{4}-\d{1,2}-\d{1,2})"
    r"|(?P<uk>\d{1,2}/\d{1,2}/\d{4})"
)
DATE_RE = re.compile(rf"\b(?:{_DATE})\b")
_WHOLE_DATE = re.compile(rf"^\s*(?:{_DATE})\s*$")

# A label at the start of a line; a publication date mentioned in narrative (another report
# "was published on 5 May 2022") must not count.
_PUBLISHED = re.compile(
    r"^(?:date\s+)?(?:first\s+)?published(?:\s+on)?|^(?:date\s+of\s+publication|publication\s+date)",
    re.IGNORECASE,
)
_ISSUED = re.compile(
    r"^(?:date\s+)?issued(?:\s+on)?|^(?:date\s+of\s+issue|issue\s+date)", re.IGNORECASE
)
_LABEL_GAP = re.compile(r"\s*[:\-\u2013]?\s*")
# News pages put a bare " date 2025-04-11 " at the top.
_BARE_DATE = re.compile(r"^date\s*:?\s*(?P<iso>\d{4}-\d{2}-\d{2})\b", re.IGNORECASE)
_BARE_DATE_LINES = 5


def _build(year: str, month: str | int, day: str) -> date | None:
    number = month if isinstance(month, int) else _MONTHS.get(month.lower())
    if number is None:
        return None
    try:
        return date(int(year), number, int(day))
    except ValueError:
        return None


def _from_match(match: re.Match[str]) -> date | None:
    if match["day"]:
        return _build(match["year"], match["month"], match["day"])
    if match["day2"]:
        return _build(match["year2"], match["month2"], match["day2"])
    if match["iso"]:
        year, month, day = match["iso"].split("-")
        return _build(year, int(month), day)
    day, month, year = match["uk"].split("/")
    return _build(year, int(month), day)


def parse_date(text: str) -> date | None:
    """The date ``text`` consists of ("7th August 2018", "2018-08-07", "07/08/2018"), or None."""
    match = _WHOLE_DATE.match(text)
    return _from_match(match) if match else None


def _labelled(lines: list[str], label: re.Pattern[str]) -> date | None:
    for line in lines:
        found = label.match(line)
        if not found:
            continue
        gap = _LABEL_GAP.match(line, found.end())
        start = gap.end() if gap else found.end()
        match = DATE_RE.match(line, start)
        if match and (value := _from_match(match)):
            return value
    return None


def stated_dates(lines: list[str]) -> tuple[date | None, date | None]:
    """(published_on, issued_on) as the text states them with a label, else None."""
    published = _labelled(lines, _PUBLISHED)
    if published is None:
        for line in lines[:_BARE_DATE_LINES]:
            match = _BARE_DATE.match(line)
            if match and (published := parse_date(match["iso"])):
                break
    return published, _labelled(lines, _ISSUED)

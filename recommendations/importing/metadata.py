"""What a publication says about itself: its title, programme, web address and the force it is
about. The preview's form starts from these, and the inspector can override each.

Pure Python: no database.
"""

import re
from collections import Counter

from .limits import check_time

# A web address on one of the inspectorate's domains; glossary and "about the data" links are
# references from the text, not the publication's own address.
_URL = re.compile(
    r"https?://(?:www\.|hmicfrs\.)?justiceinspectorates\.gov\.uk/[^\s<>\"')\]]{0,400}",
    re.IGNORECASE,
)
_NOT_THE_PUBLICATION = re.compile(
    r"/(?:glossary|about-us|our-work/article|news/news-feed/?$)|\.(?:png|jpe?g|css|js)$", re.I
)
# "PEEL 2021/22", "PEEL 2023–2025", "peel-assessments-2021-22".
_PEEL_YEARS = re.compile(
    r"\bPEEL(?:\s+assessments?)?[\s-]+(?P<first>20\d\d)(?:\s*[/\u2013-]\s*(?P<second>(?:20)?\d\d))?",
    re.IGNORECASE,
)
_PEEL_FRAMEWORK = re.compile(r"PEEL\s+Assessment\s+Framework\s+(20\d\d/\d\d)", re.IGNORECASE)
_NAME_WORD = r"[A-Z][a-z'\u2019&.-]+"
# "Cleveland Police", "Devon and Cornwall Police", "Avon and Somerset Constabulary",
# "Isles of Scilly Fire and Rescue Service", "London Fire Brigade".
FORCE_NAME = re.compile(
    rf"\b(?P<name>(?:{_NAME_WORD}\s+(?:(?:and|of|upon)\s+)?){{1,4}}?"
    r"(?:Police(?:\s+Service)?|Constabulary|Fire\s+and\s+Rescue\s+Service|Fire\s+Brigade|"
    r"Fire\s+&\s+Rescue\s+Service))\b"
)
_NOT_A_FORCE = re.compile(
    r"^(?:The|This|That|Our|Each|Every|All|Other|Home|Office|His|Her|Majesty|Inspectorate|Inspector|"
    r"National|British|Transport|College|Chief|Local|Some|Most|Many|Which|When|Where|While|"
    r"In|At|By|For|From|With|And|Of|To|Metropolitan)\b"
)
_TITLE_FORCE_WORDS = ("An inspection of", "inspection of")


def source_url(text: str) -> str:
    """The publication's own address, when the text states it (a PDF prints it on its pages)."""
    for match in _URL.finditer(text):
        check_time()
        url = match[0].rstrip(".,;:")
        if not _NOT_THE_PUBLICATION.search(url):
            return url
    return ""


def peel_years(text: str) -> str:
    """ "2021/22" when the text names a PEEL round, else ""."""
    match = _PEEL_FRAMEWORK.search(text)
    if match:
        return match[1]
    match = _PEEL_YEARS.search(text)
    if not match:
        return ""
    first, second = match["first"], match["second"]
    if not second:
        return first
    if len(second) == 2:
        return f"{first}/{second}"
    return f"{first}\u2013{second}"


def forces_named(lines: list[str]) -> list[str]:
    """Forces and services the text names, the most named first."""
    counts: Counter[str] = Counter()
    for line in lines:
        check_time()
        for match in FORCE_NAME.finditer(line):
            name = match["name"]
            while _NOT_A_FORCE.match(name) and " " in name:
                name = name.split(" ", 1)[1]
            if not _NOT_A_FORCE.match(name) and len(name.split()) >= 2:
                counts[name] += 1
    return [name for name, _ in counts.most_common()]


def derived_title(text: str, forces: list[str]) -> str:
    """ "PEEL 2021/22: An inspection of Cleveland Police" for a PEEL report that names its round
    and its force but prints no title of its own; else ""."""
    years = peel_years(text)
    if not years or not forces:
        return ""
    return f"PEEL {years}: An inspection of {forces[0]}"


def names_other_force(forces: list[str], chosen: str) -> str:
    """The force the text is mostly about, when it is not the chosen one; else ""."""
    if not forces or not chosen:
        return ""
    chosen_key = _key(chosen)
    if any(_key(name) == chosen_key for name in forces):
        main = forces[0]
        return "" if _key(main) == chosen_key else main
    return forces[0]


def _key(name: str) -> str:
    name = re.sub(r"\(.*?\)", "", name)
    return " ".join(name.casefold().replace("&", "and").split())

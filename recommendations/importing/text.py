"""Normalising pasted or extracted text into lines, and lines into blocks (paragraphs).

Text reaches us pasted from a web page (one paragraph a line), from a register page, or
extracted from a PDF (lines wrapped at the page width, blank lines everywhere, page numbers and
bare link lines). Blocks are what the findings parser reads: headings, bullets and paragraphs,
with wrapped lines joined back together.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from .errors import PublicationParseError
from .limits import MAX_LINES, TOO_MANY_LINES, check_time

LICENCE_PREFIX = "# Contains public sector information"

_SPACES = str.maketrans(
    {
        "\t": " ",
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u3000": " ",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\u00ad": None,  # soft hyphen: a line-break opportunity, not a character
        "\x0c": "\n",
        "\x0b": "\n",
        "\u2028": "\n",
        "\u2029": "\n",
        "\u0085": "\n",
        # PDF fonts set these ligatures as one glyph: "identiﬁed".
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb06": "st",
    }
)
_CONTROL = re.compile(r"[\x00-\x09\x0e-\x1f\x7f]")
_WHITESPACE = re.compile(r"\s+")
# Only tried on a line without spaces: "\S+" then "\S*$" would rescan a long first word from
# each ".gov.uk/" in it.
_URL_LINE = re.compile(r"^(?:<?(?:https?://|www\.)\S+>?|\S+\.(?:gov|org|co)\.uk/\S*)$")
# Page furniture of the inspectorate's web pages, not part of the publication's text.
_FURNITURE_LINE = re.compile(
    r"^(?:last\s+updated\s+\d{1,2}/\d{1,2}/\d{2,4}|skip\s+to\s+(?:main\s+)?content)$", re.IGNORECASE
)
_PAGE_NUMBER_LINE = re.compile(
    r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-\u2013\s.\u2022]*$", re.IGNORECASE
)

_BULLET_CHARS = "\u2022\u25e6\u25aa\u25cf\u25cb\u25a0\u25ab\u2023\u2043\u2219\u00b7*\uf0b7\uf0a7"
# PDF extraction sometimes puts a bullet on a line of its own, before its text.
_LONE_BULLET = re.compile(f"^[{_BULLET_CHARS}]$")
# Several bullets pasted onto one line ("should: • a; • b") become one line each.
# Each pattern that starts with a run of spaces (or of letters, or of marks) is tried from the
# start of the run only, so a long run is not rescanned from each of its characters.
_INLINE_BULLET = re.compile(r"(?<!\s)\s+(?=[\u2022\u25e6\u25aa\u25cf\u25cb\u25a0\uf0b7\uf0a7]\s)")
_HAS_INLINE_BULLET = re.compile(r"[\u2022\u25e6\u25aa\u25cf\u25cb\u25a0\uf0b7\uf0a7]")
_SYMBOL_BULLET = re.compile(f"^(?P<marker>[{_BULLET_CHARS}])\\s*(?P<text>\\S.*)$")
_DASH_BULLET = re.compile(r"^(?P<marker>[-\u2013\u2014])\s+(?P<text>\S.*)$")
_NUMBERED_BULLET = re.compile(r"^\(?(?P<marker>\d{1,2}|[a-h]|[ivx]{1,4})[.)]\s+(?P<text>\S.*)$")
_ROMAN = re.compile(r"^[ivx]+$")

# Line endings after which a wrapped sentence certainly goes on.
_FUNCTION_WORD_LIST = """
a about across after against all also among an and any are as at be because been before
between both but by can could during each either for from had has have her his how if in
including into is its may might more most must no nor not of on or other our over per should
so such than that the their these this those through to towards under upon via was were what
when where whether which while who whom whose will with within without would
"""
_FUNCTION_WORDS = frozenset(_FUNCTION_WORD_LIST.split())
# From the start of a word only (as above).
_LAST_WORD = re.compile(r"(?<![A-Za-z])([A-Za-z]+)\W*$")
_SENTENCE_END = re.compile(r"[.!?:;][\"'\u2019\u201d)\]]*$")
_LOWERCASE_START = re.compile(r"^[a-z]")
_OPENING_START = re.compile(r"^[(\"'\u2018\u201c]|^\d(?![\d,]*[.)]\s)")

HEADING_CAUSE = "cause"
HEADING_RECOMMENDATIONS = "recommendations"
HEADING_AREA = "area"
HEADING_END = "end"

_HEADING_REST = r"(?:\s+\d{1,2})?\s*(?:(?:[:.]|\s[-\u2013\u2014])\s*(?P<rest>.*))?$"
# "One area for improvement remained:", "We identified the following areas for improvement:",
# "We made two recommendations:".
_COUNT = r"(?:the\s+following|these|this|an?|one|two|three|four|five|six|seven|eight|nine|\d{1,2})"
_INTRO = (
    rf"(?:we\s+(?:have\s+)?(?:also\s+)?(?:identified|found|set\s+out|made|make|gave|give)\s+"
    rf"{_COUNT}\s+|{_COUNT}\s+)(?:new\s+|further\s+|other\s+|remaining\s+|outstanding\s+)?"
)
_HEADINGS = [
    (HEADING_CAUSE, re.compile(r"^(?:an?\s+|the\s+)?causes?\s+of\s+concern" + _HEADING_REST, re.I)),
    (
        HEADING_RECOMMENDATIONS,
        re.compile(r"^(?:our\s+|the\s+)?recommendations?" + _HEADING_REST, re.I),
    ),
    (HEADING_AREA, re.compile(r"^(?:an?\s+)?areas?\s+for\s+improvement" + _HEADING_REST, re.I)),
    # Rule "introduced areas": a sentence ending in a colon stands for the heading.
    (HEADING_AREA, re.compile(rf"^{_INTRO}areas?\s+for\s+improvement\b[^.:]{{0,80}}:$", re.I)),
    (
        HEADING_AREA,
        re.compile(
            r"^(?:we\s+(?:have\s+)?(?:also\s+)?(?:identified|found)\s+)?the\s+following\s+"
            r"(?:new\s+|further\s+)?areas?\s+for\s+improvement[^.:]{0,80}[:.]?$",
            re.I,
        ),
    ),
    (HEADING_CAUSE, re.compile(rf"^{_INTRO}causes?\s+of\s+concern\b[^.:]{{0,80}}:$", re.I)),
    (
        HEADING_RECOMMENDATIONS,
        re.compile(rf"^{_INTRO}recommendations?\b[^.:]{{0,80}}:$", re.I),
    ),
    (
        HEADING_END,
        re.compile(
            r"^(?:main\s+findings|(?:innovative|promising|notable|good)\s+practices?"
            r"|our\s+judge?ments|overall\s+summary|summary(?:\s+of\s+findings)?|introduction"
            r"|contents|conclusions?|next\s+steps|about\s+the\s+data|background|methodology"
            r"|(?:annex|appendix)(?:\s+\w{1,3})?|hm\s+inspector[\u2019']s\s+observations)\s*:?$",
            re.I,
        ),
    ),
]


@dataclass
class Block:
    """A heading, a bullet point or a paragraph; ``marker`` names the bullet style."""

    kind: str  # "heading" | "bullet" | "text"
    text: str
    heading: str = ""
    marker: str = ""


def normalise_lines(text: str) -> list[str]:
    """Non-empty lines with whitespace collapsed; page numbers and bare links dropped.

    Raises PublicationParseError past ``MAX_LINES`` lines.
    """
    text = _translate(text.replace("\r\n", "\n").replace("\r", "\n"), _SPACES)
    text = _CONTROL.sub(" ", text)
    lines: list[str] = []
    pending_bullet = ""
    read = 0
    for number, raw in enumerate(text.split("\n")):
        check_time()
        if number == 0 and raw.lstrip().startswith(LICENCE_PREFIX):
            continue
        line = collapse_spaces(raw).strip()
        if not line:
            continue
        read += 1
        if read > MAX_LINES or len(lines) > MAX_LINES:
            raise PublicationParseError(TOO_MANY_LINES)
        if _LONE_BULLET.match(line):
            pending_bullet = line
            continue
        if (
            (" " not in line and _URL_LINE.match(line))
            or _PAGE_NUMBER_LINE.match(line)
            or _FURNITURE_LINE.match(line)
        ):
            continue
        if pending_bullet:
            line, pending_bullet = f"{pending_bullet} {line}", ""
        if _HAS_INLINE_BULLET.search(line):
            lines.extend(part for part in _INLINE_BULLET.split(line) if part)
        else:
            lines.append(line)
    if len(lines) > MAX_LINES:
        raise PublicationParseError(TOO_MANY_LINES)
    return lines


def _translate(text: str, table: dict[int, str | None]) -> str:
    """``text.translate(table)`` for a table whose replacements hold none of its characters.

    One replace per character of the table: each is a scan in C, where ``str.translate`` looks
    every character of a non-ASCII text up in the table, several times slower.
    """
    for code, replacement in table.items():
        character = chr(code)
        if character in text:
            text = text.replace(character, replacement or "")
    return text


def collapse_spaces(text: str) -> str:
    """``text`` with each run of whitespace made one space. Most text already is: two scans in
    C say so, where a substitution would rebuild it around every space."""
    if "  " not in text and text.isprintable():
        return text
    return _WHITESPACE.sub(" ", text)


def heading_of(line: str) -> tuple[str, str] | None:
    """(heading kind, text after "Heading:") when ``line`` is one of the headings we act on."""
    if len(line) > 200:
        return None
    for kind, pattern in _HEADINGS:
        match = pattern.match(line)
        if match:
            rest = match["rest"] if "rest" in pattern.groupindex else None
            return kind, (rest or "").strip()
    return None


def _marker_class(marker: str) -> str:
    if marker.isdigit():
        return "1"
    if _ROMAN.match(marker):
        return "i"
    return "a"


def bullet_of(line: str, previous: str, *, in_dash_list: bool = False) -> tuple[str, str] | None:
    """(marker, text) when ``line`` starts a bullet point.

    A dash only counts after a line that introduces or continues a list, or straight after a
    dash point (rule "dash list": a web page's points each end with a full stop), because a
    dash at the start of a wrapped PDF line is usually punctuation.
    """
    match = _SYMBOL_BULLET.match(line)
    if match:
        return match["marker"], match["text"]
    match = _DASH_BULLET.match(line)
    if match and (
        in_dash_list or previous.endswith((":", ";")) or previous.endswith(("; and", "; or"))
    ):
        return "-", match["text"]
    match = _NUMBERED_BULLET.match(line)
    if match and (previous.endswith((":", ";", ".")) or not previous):
        return _marker_class(match["marker"]), match["text"]
    return None


def _joins(previous: str, line: str) -> bool:
    """Whether ``line`` carries on the paragraph that ``previous`` (its last line) belongs to."""
    if _LOWERCASE_START.match(line):
        # Also after a full stop: "e.g." and "etc." end lines mid-sentence.
        return not previous.endswith((":", ";"))
    if previous.endswith((",", "-", "\u2013", "\u2014", "/", "(")):
        return True
    if _SENTENCE_END.search(previous):
        return False
    if _OPENING_START.match(line):
        return True
    word = _LAST_WORD.search(previous)
    if word and word[1].lower() in _FUNCTION_WORDS:
        return True
    return previous[-1].isdigit()


def build_blocks(
    lines: list[str], starts_block: Callable[[str], bool] | None = None
) -> list[Block]:
    """Group lines into blocks. ``starts_block(line)`` forces a new block (graded judgments)."""
    blocks: list[Block] = []
    # Each block's text is gathered as pieces and joined once, so a long paragraph costs
    # linear time.
    pieces: list[list[str]] = []
    current: list[str] | None = None
    previous = ""
    in_dash_list = False

    def start(block: Block) -> list[str]:
        blocks.append(block)
        pieces.append([block.text])
        return pieces[-1]

    for line in lines:
        check_time()
        heading = heading_of(line)
        if heading:
            kind, rest = heading
            start(Block("heading", line, heading=kind))
            current = start(Block("text", rest)) if rest else None
            previous = rest or ":"  # a list may start straight after a heading
            continue
        bullet = bullet_of(line, previous, in_dash_list=in_dash_list)
        in_dash_list = bullet is not None and bullet[0] == "-"
        if bullet:
            current = start(Block("bullet", bullet[1], marker=bullet[0]))
        elif (
            current is not None
            and not (starts_block and starts_block(line))
            and _joins(previous, line)
        ):
            # "co-\nordination" is one word; "crime -\nand" is two.
            glued = previous.endswith(("-", "/")) and previous[-2:-1].isalpha()
            current.append(line if glued and line[0].isalpha() else f" {line}")
        else:
            current = start(Block("text", line))
        previous = line
    for block, parts in zip(blocks, pieces, strict=True):
        block.text = "".join(parts)
    return blocks


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])[\"'\u2019\u201d)]*\s+(?=[A-Z\"'\u2018\u201c(\d])")


def first_sentence(text: str) -> tuple[str, bool]:
    """(the first sentence of ``text``, whether more text follows it)."""
    match = _SENTENCE_SPLIT.search(text)
    if not match:
        return text, False
    return text[: match.start()].rstrip(), True


def last_sentence(text: str) -> str:
    """The last sentence of ``text`` (the clause a lead-in's colon belongs to)."""
    parts = _SENTENCE_SPLIT.split(text)
    return parts[-1] if parts else text


# From the start of a run of spaces only (see _INLINE_BULLET).
_POINT_END = re.compile(r"(?<!\s)\s*(?:[;,]\s*(?:and|or)|[;,.]|\s(?:and|or))\s*$")


def clean_point(text: str) -> str:
    """A list point without its joining punctuation ("...activity; and" -> "...activity")."""
    return _POINT_END.sub("", text.strip())

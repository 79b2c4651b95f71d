"""Turning an uploaded file (a PDF, or a text file) into text for the parser.

Both functions raise PublicationParseError, with a message for the inspector, and nothing else.

A small PDF can inflate to megabytes of text operators, and reading them is slow, so reading a
PDF stops at the PDF time limit, at ``MAX_CHARACTERS`` of text (more than the parser takes), and
at a page or content stream too long to parse in about a second.
"""

import codecs
import io
import logging
import math
import re
from collections import Counter

from .errors import PublicationParseError
from .limits import MAX_CHARACTERS, check_time, pdf_time_limit_seconds, time_limit
from .text import collapse_spaces

logger = logging.getLogger(__name__)

NOT_A_PDF = "This file is not a PDF."
ENCRYPTED = (
    "This PDF is protected by a password. Save a copy without the password, or paste the text "
    "instead."
)
UNREADABLE_PDF = "This PDF could not be read; it may be damaged. Paste the text instead."
NO_TEXT_LAYER = "This PDF has no text layer; it may be a scanned image. Paste the text instead."
EMPTY_FILE = "The file is empty."
BINARY_FILE = "This file is not text (it looks like a binary file). Upload a PDF or a text file."
UNDECODABLE = "This file could not be read as text. Save it as UTF-8 text and try again."
PDF_AS_TEXT = "This file is a PDF: upload it as a PDF, or paste its text."
TOO_MUCH_TEXT = (
    f"This PDF holds more text than one publication (more than {MAX_CHARACTERS:,} characters). "
    "Paste the text of the publication instead."
)
TOO_COMPLEX = (
    "This PDF is too large or complex to read here. Paste the text of the publication instead."
)
PDF_TOO_SLOW = (
    "This publication took too long to read (more than {seconds:g} seconds): the PDF is too "
    "large or complex. Paste its text instead."
)
# pypdf reads 50,000 to 100,000 operators a second. A dense page of text is 10-50 KB of a few
# hundred operators, a page of charts a few thousand; a long report, tens of thousands.
_MAX_OPERATORS = 100_000  # in the whole PDF, counted as they are read
_MAX_PAGE_CONTENT_BYTES = 1_000_000  # refused before parsing
_MAX_STREAM_WORK = 100_000  # operators and operands in one content stream (pypdf's own check)

_PDF_MAGIC = b"%PDF-"
_MAGIC_WINDOW = 1024  # readers accept a little junk before the header, so do we
_EDGE_LINES = 3  # running headers and footers sit within the first and last lines of a page
_REPEATED_SHARE = 0.6  # "on most pages"
_MAX_FURNITURE_LENGTH = 150
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_URL_LINE = re.compile(r"^<?(?:https?://|www\.)\S+>?$", re.IGNORECASE)

# Text is allowed a little layout noise; more than this share of control characters is binary.
_MAX_CONTROL_SHARE = 0.01
# Legacy Windows text is mostly ASCII; random bytes decoded as cp1252 are mostly not.
_MAX_NON_ASCII_SHARE = 0.3
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _furniture_key(line: str) -> str:
    # "Page 3 of 40" and "Page 4 of 40" are the same running footer.
    return _DIGITS.sub("#", line).casefold()


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Keys of lines that recur at the top or bottom of most pages."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edges = lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]
        counts.update(
            {_furniture_key(line) for line in edges if len(line) <= _MAX_FURNITURE_LENGTH}
        )
    needed = max(2, math.ceil(_REPEATED_SHARE * len(pages)))
    return {key for key, count in counts.items() if count >= needed}


def clean_pages(pages: list[str]) -> str:
    """Page texts joined, without page numbers, running headers and footers, or link lines."""
    split = [
        [line for raw in page.splitlines() if (line := collapse_spaces(raw).strip())]
        for page in pages
    ]
    split = [[line for line in lines if not _PAGE_NUMBER.match(line)] for lines in split]
    running = _running_lines(split)
    kept: list[str] = []
    for lines in split:
        last = len(lines) - _EDGE_LINES
        for number, line in enumerate(lines):
            at_edge = number < _EDGE_LINES or number >= last
            if at_edge and _furniture_key(line) in running:
                continue
            if _URL_LINE.match(line):
                continue
            kept.append(line)
    return "\n".join(kept)


class _TextBudget:
    """Visitors for pypdf's text extraction: operators and characters are counted as they come
    and the time limit is checked before every operator, so a page of millions of operators
    stops as soon as any runs out."""

    def __init__(self) -> None:
        self.operators = 0
        self.characters = 0

    def operator(self, *_args) -> None:
        self.operators += 1
        if self.operators > _MAX_OPERATORS:
            raise PublicationParseError(TOO_COMPLEX)
        check_time()

    def text(self, text: str, *_args) -> None:
        self.characters += len(text)
        if self.characters > MAX_CHARACTERS:
            raise PublicationParseError(TOO_MUCH_TEXT)


def _page_texts(data: bytes) -> list[str]:
    from pypdf import PdfReader  # imported here: only uploads need it

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        # Many official PDFs are encrypted only to restrict editing and open without a password.
        try:
            opened = reader.decrypt("")
        except Exception as error:  # pypdf raises several types for ciphers it can't handle
            raise PublicationParseError(ENCRYPTED) from error
        if not opened:
            raise PublicationParseError(ENCRYPTED)
    budget = _TextBudget()
    pages = []
    for page in reader.pages:
        check_time()
        contents = page.get_contents()
        if contents is not None and len(contents.get_data()) > _MAX_PAGE_CONTENT_BYTES:
            raise PublicationParseError(TOO_COMPLEX)
        text = page.extract_text(visitor_operand_before=budget.operator, visitor_text=budget.text)
        pages.append(text or "")
    # pypdf skips a form XObject that raises and goes on with the page: check again.
    check_time()
    if budget.operators > _MAX_OPERATORS:
        raise PublicationParseError(TOO_COMPLEX)
    if sum(len(text) for text in pages) > MAX_CHARACTERS:
        raise PublicationParseError(TOO_MUCH_TEXT)
    return pages


def extract_pdf_text(data: bytes) -> str:
    """The text of a PDF, without page furniture, ready for ``parse_publication``."""
    from pypdf import apply_configuration
    from pypdf.errors import LimitReachedError

    if not data:
        raise PublicationParseError(EMPTY_FILE)
    if _PDF_MAGIC not in bytes(data[:_MAGIC_WINDOW]):
        raise PublicationParseError(NOT_A_PDF)
    seconds = pdf_time_limit_seconds()
    try:
        with (
            time_limit(seconds, message=PDF_TOO_SLOW.format(seconds=seconds)),
            apply_configuration(stream_parsing_work_maximum_count=_MAX_STREAM_WORK),
        ):
            pages = _page_texts(bytes(data))
    except PublicationParseError:
        raise
    except LimitReachedError as error:
        logger.info("PDF upload over a reading limit: %r", error)
        raise PublicationParseError(TOO_COMPLEX) from error
    except Exception as error:  # pypdf reports a damaged file with many exception types
        logger.info("Unreadable PDF upload: %r", error)
        raise PublicationParseError(UNREADABLE_PDF) from error
    text = clean_pages(pages)
    if not text.strip():
        raise PublicationParseError(NO_TEXT_LAYER)
    return text


def _looks_like_text(text: str, *, legacy: bool) -> bool:
    if not text:
        return True
    if len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        return False
    return not legacy or len(_NON_ASCII.findall(text)) <= _MAX_NON_ASCII_SHARE * len(text)


def decode_text(data: bytes) -> str:
    """An uploaded text file as text: UTF-8 (with or without a byte order mark), UTF-16 with
    a byte order mark, or Windows-1252 when it decodes cleanly and reads as text."""
    if not data or not bytes(data).strip():
        raise PublicationParseError(EMPTY_FILE)
    data = bytes(data)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", False)]
    elif data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", False)]
    elif data.lstrip().startswith(_PDF_MAGIC):
        raise PublicationParseError(PDF_AS_TEXT)
    elif b"\x00" in data:
        raise PublicationParseError(BINARY_FILE)
    else:
        candidates = [("utf-8", False), ("cp1252", True)]
    for encoding, legacy in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _looks_like_text(text, legacy=legacy):
            raise PublicationParseError(BINARY_FILE)
        if not text.strip():
            raise PublicationParseError(EMPTY_FILE)
        return text
    raise PublicationParseError(UNDECODABLE)

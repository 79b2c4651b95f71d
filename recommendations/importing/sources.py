"""What the importer reads, and what it infers from it: the text of an uploaded file (within
the size limit), the programme a title names, and a register entry's publication date."""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings

from recommendations.models import Programme

from .documents import docx_text, html_text
from .errors import PublicationParseError
from .pdf import decode_text, extract_pdf_text
from .structure import AWAITING_REVIEW, ParsedPublication

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_PDF_MAGIC = b"%PDF-"
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html)\b")


def import_max_bytes() -> int:
    """The largest file the importer reads (setting ``TRACKER_IMPORT_MAX_BYTES``, 20 MB)."""
    return int(getattr(settings, "TRACKER_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def size_limit_message(limit: int | None = None) -> str:
    limit = import_max_bytes() if limit is None else limit
    size = f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"
    return f"The file must be smaller than {size}."


def publication_text_from_bytes(data: bytes, *, filename: str = "") -> str:
    """The text of an uploaded or named file: a PDF (by its content or a .pdf name) has its text
    layer extracted, a saved web page (.html) its visible text, a Word document (.docx) its
    paragraphs and tables; anything else must be readable text. Raises PublicationParseError."""
    if len(data) > import_max_bytes():
        raise PublicationParseError(size_limit_message())
    name = filename.lower()
    head = bytes(data[:1024])
    if _PDF_MAGIC in head or name.endswith(".pdf"):
        return extract_pdf_text(data)
    if name.endswith(".docx") or (head.startswith(b"PK") and b"word/" in bytes(data[:4096])):
        return docx_text(data)
    if name.endswith((".html", ".htm")) or _HTML_START.search(head.lstrip()[:200].lower()):
        return html_text(data)
    return decode_text(data)


_PROGRAMME_WORDS = [
    ("accelerated cause of concern", Programme.ACCELERATED_CAUSE_OF_CONCERN),
    ("crime data integrity", Programme.CRIME_DATA_INTEGRITY),
    ("revisit", Programme.REVISIT_LETTER),
    ("peel", Programme.PEEL),
    ("thematic", Programme.THEMATIC),
]


def guess_programme(title: str) -> str:
    """The inspection programme the title names ("PEEL 2021/22: ..."), else ``other``."""
    lowered = (title or "").casefold()
    return next((slug for words, slug in _PROGRAMME_WORDS if words in lowered), Programme.OTHER)


def register_published_on(parsed: ParsedPublication) -> date | None:
    """A register entry is set to ``awaiting-review`` on publication, so when the text states
    no publication date, the first such entry of its event log is the publication date."""
    dates = [
        entry.on
        for item in parsed.items
        for entry in item.history[:1]
        if entry.status == AWAITING_REVIEW
    ]
    return min(dates) if dates else None


def default_title(*, force_name: str, published_on: date | None) -> str:
    """A title for a publication whose text states none (a report body pasted without its
    cover). It is deterministic, so importing the same text again is still recognised."""
    when = f" published {published_on.day} {published_on:%B %Y}" if published_on else ""
    return f"{force_name}: inspection{when}"

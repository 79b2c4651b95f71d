"""Every way in to the import, to one parsed publication: an uploaded file (.txt, .pdf, .html,
.docx), pasted text, or a publication's web address (fetched from the allow-listed hosts). The
web import (``views.imports``) and ``manage.py import_report`` both call ``publication_read``,
so every way in gives the same preview; ``preview_state`` is the preview's starting state.
Reads only: nothing is written until the inspector confirms (``services.publication_import``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from recommendations.models import Programme

from .fetch import fetch_publication
from .parser import parse_publication
from .preview import state_from_publication
from .sources import guess_programme, publication_text_from_bytes, register_published_on
from .structure import ParsedPublication


@dataclass(frozen=True)
class PublicationRead:
    """A publication as read: ``text`` is what the parser read, ``source_url`` the address it
    was fetched from (after any redirects; "" for a file or pasted text)."""

    parsed: ParsedPublication
    text: str
    source_url: str = ""

    @property
    def source_hash(self) -> str:
        return source_hash(self.text)


def source_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def publication_read(
    *,
    data: bytes | None = None,
    filename: str = "",
    text: str = "",
    url: str = "",
    published_on: date | None = None,
    issued_on: date | None = None,
) -> PublicationRead:
    """Read one publication from the bytes of a file (``data``, named ``filename``), pasted
    ``text`` or a web address (``url``); dates given override the dates the text states.
    Raises PublicationParseError with a message for the inspector."""
    source_url = ""
    if url:
        fetched = fetch_publication(url)
        # The content type decides the reader: the name only carries it to the same readers
        # an upload goes through.
        text = publication_text_from_bytes(fetched.data, filename=f"publication{fetched.suffix}")
        source_url = fetched.url
    elif data is not None:
        text = publication_text_from_bytes(data, filename=filename)
    parsed = parse_publication(text, published_on=published_on, issued_on=issued_on)
    return PublicationRead(parsed=parsed, text=text, source_url=source_url)


def preview_state(
    read: PublicationRead, *, force_pk: int, programme: str = "", source_url: str = ""
) -> dict:
    """The preview's starting state. The programme is the one chosen, else the one the title
    names (or PEEL, when the text names a PEEL round); the source address is the one given,
    else the address it was fetched from, else the one the text states. A register entry with
    no stated publication date takes the first date of its event log (when it was published as
    awaiting review)."""
    parsed = read.parsed
    programme = programme or guess_programme(parsed.title)
    if programme == Programme.OTHER and parsed.programme_years:
        programme = Programme.PEEL
    state = state_from_publication(
        parsed,
        source_hash=read.source_hash,
        force=force_pk,
        programme=programme,
        source_url=source_url or read.source_url or parsed.source_url,
        published_from_log=False,
        forces=parsed.forces[:10],
    )
    if parsed.published_on is None and (logged := register_published_on(parsed)):
        state["published_on"] = logged.isoformat()
        state["published_from_log"] = True
    return state

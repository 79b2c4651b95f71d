"""Importing publications: pure-Python parsing of HMICFRS text and PDFs (no database).

``parse_publication`` turns the text of a report, letter or register page into a
``ParsedPublication``; ``extract_pdf_text`` and ``decode_text`` turn an upload into that text.
Each raises ``PublicationParseError``, with a message for the user, and nothing else.

Imported on their own, not from here: ``preview`` (the import preview's session state, still
pure Python), ``sources`` (reading files within the size limit), ``fetch`` (reading a web
address on an allowed host) and ``intake`` (every way in to one parsed publication). Writing a
publication to the database, in one transaction, is ``recommendations.services.imports``.
"""

from .errors import PublicationParseError
from .parser import parse_publication
from .pdf import decode_text, extract_pdf_text
from .structure import Grade, HistoryEntry, ParsedItem, ParsedPublication

__all__ = [
    "Grade",
    "HistoryEntry",
    "ParsedItem",
    "ParsedPublication",
    "PublicationParseError",
    "decode_text",
    "extract_pdf_text",
    "parse_publication",
]

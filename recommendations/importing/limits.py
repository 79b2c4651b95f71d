"""How much work one import may do, so that no text or file can stall the server.

The parser runs in time linear in its input, but the server does not rely on that alone: reading
a PDF, parsing a text and confirming an import each run under a time limit (settings
``TRACKER_IMPORT_TIME_LIMIT`` and, for PDFs, ``TRACKER_IMPORT_PDF_TIME_LIMIT``, in seconds). The
limit is cooperative: the loops that do the work call ``check_time()``, which raises
``ImportTooSlow`` once the time is up. It runs in the request's own thread, so it works alike in
a threaded development server, in gunicorn's sync workers and on the command line, and nothing
is left running after the request.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from .errors import PublicationParseError

# Parsing a long publication takes well under a second; reading a PDF is slower (pypdf reads
# a page of text in 10-50 ms), so a long report needs a few seconds.
DEFAULT_TIME_LIMIT = 2.0
DEFAULT_PDF_TIME_LIMIT = 10.0
# A long national report is a few hundred thousand characters; far more is not a publication.
MAX_CHARACTERS = 2_000_000
# Lines with text: a report extracted from a PDF has one every 70 characters or so, so 30,000 in
# the largest text; each costs a few microseconds to read however short it is.
MAX_LINES = 100_000
TOO_MANY_LINES = (
    f"This text has more than {MAX_LINES:,} lines, more than one publication has. Check that it "
    "is the text of one publication."
)
# A report holds tens of findings. Each is a row of the preview to correct (5 ms or more to
# show, and seven fields to post back) and several rows to write: far more is not one report.
MAX_FINDINGS = 100
TOO_MANY_FINDINGS = (
    f"This text holds more than {MAX_FINDINGS:,} findings, more than one publication has. "
    "Import each publication, or each register entry, on its own."
)
# Register history copied onto findings (each finding of an entry gets the entry's whole log),
# each a timeline entry to write.
MAX_HISTORY_ENTRIES = 5_000

TOO_SLOW = (
    "This publication took too long to read (more than {seconds:g} seconds), so it was not "
    "imported. Check that the text is one publication, or import it in parts."
)
WRITE_TOO_SLOW = (
    "This publication took too long to import (more than {seconds:g} seconds), so nothing was "
    "written. Import it in parts."
)

# The monotonic clock, looked up on each call so that tests can move it.
_clock = time.monotonic
_deadline: ContextVar[tuple[float, str] | None] = ContextVar("import_deadline", default=None)


class ImportTooSlow(PublicationParseError):
    """The import ran past its time limit; nothing was written."""


def _setting(name: str, default: float) -> float:
    from django.conf import settings  # the parser also runs without Django settings

    return float(getattr(settings, name, default)) if settings.configured else default


def time_limit_seconds() -> float:
    """The time limit for parsing a text, and for confirming an import."""
    return _setting("TRACKER_IMPORT_TIME_LIMIT", DEFAULT_TIME_LIMIT)


def pdf_time_limit_seconds() -> float:
    """The time limit for reading the text of a PDF."""
    return _setting("TRACKER_IMPORT_PDF_TIME_LIMIT", DEFAULT_PDF_TIME_LIMIT)


@contextmanager
def time_limit(seconds: float | None = None, *, message: str = "") -> Iterator[None]:
    """Run the block under a time limit (default: ``time_limit_seconds()``); past it,
    ``check_time()`` raises ImportTooSlow with ``message`` (default ``TOO_SLOW``). Inside an
    enclosing limit, whichever ends first applies."""
    seconds = time_limit_seconds() if seconds is None else seconds
    ends = _clock() + seconds
    current = _deadline.get()
    if current is not None and current[0] <= ends:
        yield
        return
    token = _deadline.set((ends, message or TOO_SLOW.format(seconds=seconds)))
    try:
        yield
    finally:
        _deadline.reset(token)


def check_time() -> None:
    """Raise ImportTooSlow once the enclosing time limit has passed (no limit: nothing)."""
    current = _deadline.get()
    if current is not None and _clock() > current[0]:
        raise ImportTooSlow(current[1])

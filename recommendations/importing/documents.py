"""Saved web pages (.html) and Word documents (.docx) as text for the parser.

Each block of the page or document becomes a line, as a web page pasted into the form would:
headings and paragraphs on lines of their own, list items as "• " bullets, a table row as its
cells on one line. Both raise PublicationParseError, with a message for the inspector.
"""

from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser

from .errors import PublicationParseError
from .limits import MAX_CHARACTERS, check_time
from .pdf import decode_text

NOT_A_DOCX = "This file is not a Word document (.docx). Save it as .docx, or paste its text."
DOCX_TOO_LARGE = "This Word document holds more text than one publication. Paste its text instead."
NO_TEXT = "No text was found in this file."
# A .docx is a zip: its main part may inflate far past the upload's size, so it is refused
# before it is read.
_MAX_DOCX_XML_BYTES = 50 * 1024 * 1024

_BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "main", "aside", "ul", "ol", "dl", "dt", "dd", "li"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "thead", "tbody", "blockquote"}
    | {"pre", "figure", "figcaption", "header", "footer", "br", "hr", "title", "summary"}
    | {"details"}
)
_SKIPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "nav", "form", "button", "select"}
)
_CELL_TAGS = frozenset({"td", "th"})


class _TextParser(HTMLParser):
    """Collects the visible text of a page, a line per block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0
        self.size = 0

    def _break(self) -> None:
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
            self.size += len(line)
            if self.size > MAX_CHARACTERS:
                raise PublicationParseError(DOCX_TOO_LARGE.replace("Word document", "page"))
        self.current = []

    def handle_starttag(self, tag, attrs):
        check_time()
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self._break()
            if tag == "li":
                self.current.append("\u2022 ")
        elif tag in _CELL_TAGS:
            self.current.append(" ")

    def handle_endtag(self, tag):
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self._break()

    def handle_data(self, data):
        if not self.skipping:
            self.current.append(data)


def html_text(data: bytes) -> str:
    """The visible text of a saved web page (an HMICFRS publication page, say)."""
    parser = _TextParser()
    try:
        parser.feed(decode_text(data))
        parser.close()
    except PublicationParseError:
        raise
    except Exception as error:  # html.parser is lenient; anything else is a broken file
        raise PublicationParseError("This web page could not be read.") from error
    parser._break()
    if not parser.lines:
        raise PublicationParseError(NO_TEXT)
    return "\n".join(parser.lines)


def docx_text(data: bytes) -> str:
    """The text of a Word document: paragraphs (list paragraphs as bullets) and table rows."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        main = archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise PublicationParseError(NOT_A_DOCX) from error
    if main.file_size > _MAX_DOCX_XML_BYTES:
        raise PublicationParseError(DOCX_TOO_LARGE)
    import docx  # python-docx, imported here: only this way in needs it
    import docx.table
    import docx.text.paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # a damaged document
        raise PublicationParseError(NOT_A_DOCX) from error
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        check_time()
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = docx.text.paragraph.Paragraph(child, document)
            text = " ".join(paragraph.text.split())
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            listed = "List" in style or child.find(".//{*}numPr") is not None
            if text:
                lines.append(f"\u2022 {text}" if listed else text)
        elif tag == "tbl":
            table = docx.table.Table(child, document)
            for row in table.rows:
                check_time()
                cells = [" ".join(cell.text.split()) for cell in row.cells]
                lines.append(" ".join(dict.fromkeys(cell for cell in cells if cell)))
    text = "\n".join(line for line in lines if line)
    if not text:
        raise PublicationParseError(NO_TEXT)
    return text

"""The pack as a PDF: A4, paged, "page 3 of 12" in the footer, the bundled DejaVu Sans font
embedded (so any character of an item's text prints, and nothing comes from the operating
system).

Accessibility, as far as fpdf2 goes: the document's language (en-GB) and title (shown as the
window title), bookmarks for every heading, and the charts tagged as figures with their text
alternative (each chart is also followed by a table of its numbers). fpdf2 does not tag
headings, paragraphs or tables in the structure tree, so the file is not PDF/UA: for a
screen reader, the Word document and the page are the accessible versions (docs/reports.md).
"""

from __future__ import annotations

from io import BytesIO

from fpdf import FPDF, TextStyle
from fpdf.enums import Align, XPos, YPos
from fpdf.prefs import ViewerPreferences
from PIL import Image

from reports.charts import BOLD, REGULAR
from reports.pack import Pack
from reports.renderers.cells import DOCS, Chart, Table, clean, column_widths, doc_value
from reports.renderers.layout import sections

CONTENT_TYPE = "application/pdf"
FAMILY = "DejaVu"
TEXT = (11, 12, 12)
GREY = (80, 90, 95)
HEADER_FILL = (243, 242, 241)
TABLE_POINTS = 7.5


class _PackPDF(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 6, f"{self.footer_text}   Page {self.page_no()} of {{nb}}", align=Align.C)
        self.set_text_color(*TEXT)


def render(pack: Pack) -> bytes:
    pdf = _PackPDF(orientation="portrait", unit="mm", format="A4")
    pdf.footer_text = clean(pack.scope)
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font(FAMILY, "", str(REGULAR))
    pdf.add_font(FAMILY, "B", str(BOLD))
    pdf.set_lang("en-GB")
    pdf.set_title(clean(pack.title))
    pdf.set_subject(clean(pack.subtitle))
    pdf.set_author("Inspection tracker")
    pdf.set_creator("Inspection tracker")
    pdf.set_keywords("HMICFRS, recommendations, areas for improvement")
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.set_section_title_styles(
        TextStyle(font_family=FAMILY, font_style="B", font_size_pt=20, t_margin=0, b_margin=3),
        TextStyle(font_family=FAMILY, font_style="B", font_size_pt=14, t_margin=6, b_margin=2),
    )
    pdf.set_text_color(*TEXT)
    pdf.add_page()
    pdf.set_font(FAMILY, "", 10.5)
    pdf.start_section(clean(pack.scope), level=0)
    _paragraph(
        pdf, "HMICFRS recommendations and areas for improvement: report to the board", bold=True
    )
    _paragraph(pdf, pack.subtitle)
    _paragraph(
        pdf,
        f"{pack.generated_label} by the Inspection tracker. Every figure is rebuilt from each "
        "item's history as it stood at the end of the period, so the report for a past period "
        "is the same whenever it is produced.",
        size=9,
    )
    for section in sections(pack):
        _keep_room(pdf, 45)  # a heading never ends a page
        pdf.start_section(section.heading, level=1)
        for block in section.blocks:
            if isinstance(block, Table):
                _table(pdf, block, caption=block.title != section.heading)
            elif isinstance(block, Chart):
                _chart(pdf, block)
            else:
                _paragraph(pdf, block, size=9)
    return bytes(pdf.output())


def _paragraph(pdf: FPDF, text: str, *, size: float = 10.5, bold: bool = False) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.multi_cell(0, size * 0.5, clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _keep_room(pdf: FPDF, height: float) -> None:
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()


def _caption(pdf: FPDF, text: str, room: float = 30) -> None:
    _keep_room(pdf, room)  # a caption stays with the start of its table or chart
    pdf.set_font(FAMILY, "B", 10)
    pdf.multi_cell(0, 5.5, clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _chart(pdf: FPDF, chart: Chart) -> None:
    width = pdf.epw
    pixels_wide, pixels_high = Image.open(BytesIO(chart.png)).size
    height = width * pixels_high / pixels_wide
    _caption(pdf, chart.title, room=height + 8)
    pdf.image(BytesIO(chart.png), w=width, h=height, alt_text=chart.description, title=chart.title)
    pdf.ln(3)


def _table(pdf: FPDF, table: Table, *, caption: bool = True) -> None:
    if caption:
        _caption(pdf, table.title)
    if not table.rows:
        _paragraph(pdf, table.empty, size=9)
        return
    columns = table.columns_for(DOCS)
    grid = _Grid(pdf, columns, column_widths(columns, table.rows, pdf.epw, TABLE_POINTS))
    grid.header()
    for values in table.rows:
        grid.row([doc_value(c, values.get(c.key)) for c in columns])
    pdf.set_y(grid.y + 4)


class _Grid:
    """A table drawn line by line: each cell's text wrapped at word boundaries (words measured
    once), rows never split across pages, the header row repeated on every page.

    fpdf2's own `table()` wraps each cell character by character and takes half a minute for
    the two thousand rows of a large pack; this takes a fraction of a second."""

    LINE = 3.4  # millimetres per line of 7.5-point text
    PAD_X, PAD_Y = 1.2, 0.9

    def __init__(self, pdf: FPDF, columns, widths: list[float]) -> None:
        self.pdf, self.columns, self.widths = pdf, columns, widths
        self.headers = [c.header for c in columns]
        self.y = pdf.get_y()
        self._measured: dict[tuple, float] = {}
        self._style = ""

    def _width(self, text: str, style: str) -> float:
        """A text's width: the sum of its characters' (fpdf2 does not kern without text
        shaping), each measured once."""
        key = (style, text)
        width = self._measured.get(key)
        if width is None:
            width = self._measured[key] = sum(self._char(c, style) for c in text)
        return width

    def _char(self, char: str, style: str) -> float:
        key = (style, char, None)
        width = self._measured.get(key)
        if width is None:
            if style != self._style:
                self.pdf.set_font(FAMILY, style, TABLE_POINTS)
                self._style = style
            width = self._measured[key] = self.pdf.get_string_width(char)
        return width

    def _wrap(self, text: str, width: float, style: str) -> list[str]:
        """Greedy word wrap: a line's width is its words' widths and the spaces between."""
        room = width - 2 * self.PAD_X
        space = self._width(" ", style)
        lines: list[str] = []
        for paragraph in text.split("\n"):
            words: list[str] = []
            used = 0.0
            for word in paragraph.split():
                for piece in self._pieces(word, room, style):
                    needed = self._width(piece, style)
                    if words and used + space + needed > room:
                        lines.append(" ".join(words))
                        words, used = [], 0.0
                    used += (space if words else 0.0) + needed
                    words.append(piece)
            lines.append(" ".join(words))
        return lines or [""]

    def _pieces(self, word: str, room: float, style: str) -> list[str]:
        """A word wider than its column (a web address), cut to fit."""
        pieces = []
        while len(word) > 1 and self._width(word, style) > room:
            cut = len(word) - 1
            while cut > 1 and self._width(word[:cut], style) > room:
                cut -= 1
            pieces.append(word[:cut])
            word = word[cut:]
        return [*pieces, word]

    def header(self) -> None:
        self._draw(self.headers, style="B")

    def row(self, texts: list[str]) -> None:
        self._draw(texts, style="")

    def _draw(self, texts: list[str], *, style: str) -> None:
        pdf = self.pdf
        cells = [self._wrap(t, w, style) for t, w in zip(texts, self.widths, strict=True)]
        height = max(len(lines) for lines in cells) * self.LINE + 2 * self.PAD_Y
        if self.y + height > pdf.h - pdf.b_margin:
            pdf.add_page()
            self.y = pdf.t_margin
            if style != "B":
                self.header()  # the header row again at the top of the new page
        left, total = pdf.l_margin, sum(self.widths)
        if style == "B":
            pdf.set_fill_color(*HEADER_FILL)
            pdf.rect(left, self.y, total, height, style="F")
        if style != self._style:
            pdf.set_font(FAMILY, style, TABLE_POINTS)
            self._style = style
        x = left
        for column, lines, width in zip(self.columns, cells, self.widths, strict=True):
            for n, line in enumerate(lines):
                offset = (
                    width - self.PAD_X - self._width(line, style) if column.numeric else self.PAD_X
                )
                pdf.text(x + offset, self.y + self.PAD_Y + (n + 0.78) * self.LINE, line)
            x += width
        self.y += height
        pdf.set_draw_color(*GREY)
        pdf.set_line_width(0.2 if style == "B" else 0.1)
        pdf.line(left, self.y, left + total, self.y)

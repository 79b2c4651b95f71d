"""The pack as a Word document (.docx): A4, real headings (the navigation pane lists them),
tables with a repeating header row, the charts as pictures with a text alternative, page
numbers in the footer. Editable: committee secretaries paste from it into their papers.

Table rows are written as one XML fragment per table: python-docx's cell-by-cell interface
takes seconds for a thousand rows.
"""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape, quoteattr

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt, RGBColor

from reports.pack import Pack
from reports.renderers.cells import DOCS, Chart, Table, clean, column_widths, doc_value
from reports.renderers.layout import sections

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT_WIDTH_MM = 170
TWIPS_PER_MM = 56.7
FONT = "Arial"
TABLE_POINTS = 8.5


def render(pack: Pack) -> bytes:
    document = Document()
    _set_up(document, pack)
    document.add_heading(clean(pack.scope), 0)
    document.add_paragraph(
        "HMICFRS recommendations and areas for improvement: report to the board"
    ).runs[0].bold = True
    document.add_paragraph(clean(pack.subtitle))
    document.add_paragraph(
        f"{pack.generated_label} by the Inspection tracker. Every figure is rebuilt from each "
        "item's history as it stood at the end of the period, so the report for a past period "
        "is the same whenever it is produced."
    )
    for section in sections(pack):
        document.add_heading(section.heading, 1)
        for block in section.blocks:
            if isinstance(block, Table):
                _table(document, block, caption=block.title != section.heading)
            elif isinstance(block, Chart):
                _chart(document, block)
            else:
                document.add_paragraph(clean(block))
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_up(document, pack: Pack) -> None:
    properties = document.core_properties
    properties.title = clean(pack.title)
    properties.subject = clean(pack.subtitle)
    properties.author = "Inspection tracker"
    properties.language = "en-GB"
    properties.keywords = "HMICFRS, recommendations, areas for improvement"
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    # The language of the text, for spelling and for screen readers.
    rpr = normal.element.get_or_add_rPr()
    rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="en-GB"/>'))
    for name in ("Title", "Heading 1", "Heading 2", "Caption"):
        style = styles[name]
        style.font.name = FONT
        style.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
    styles["Caption"].font.size = Pt(10)
    styles["Caption"].font.italic = False
    styles["Caption"].font.bold = True
    footer = section.footer.paragraphs[0]
    footer.text = ""
    footer._p.append(  # "Page 3 of 12", as Word fields
        parse_xml(
            f'<w:r {nsdecls("w")}><w:t xml:space="preserve">'
            f"{escape(clean(pack.scope))}: page </w:t></w:r>"
        )
    )
    footer._p.append(_field("PAGE"))
    footer._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve"> of </w:t></w:r>'))
    footer._p.append(_field("NUMPAGES"))


def _field(instruction: str):
    """A Word field (page number, number of pages), with a value Word replaces on opening."""
    return parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr="{instruction}"><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    )


def _chart(document, chart: Chart) -> None:
    document.add_paragraph(chart.title, style="Caption")
    shape = document.add_picture(BytesIO(chart.png), width=Mm(TEXT_WIDTH_MM))
    doc_pr = shape._inline.docPr
    doc_pr.set("title", chart.title)
    doc_pr.set("descr", chart.description)


def _cell(text: str, width: int, *, right: bool, header: bool) -> str:
    justify = '<w:jc w:val="right"/>' if right else ""
    bold = "<w:b/>" if header else ""
    shade = '<w:shd w:val="clear" w:color="auto" w:fill="F3F2F1"/>' if header else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>'
        f'<w:p><w:pPr><w:spacing w:before="20" w:after="20"/>{justify}</w:pPr>'
        f'<w:r><w:rPr>{bold}<w:sz w:val="{int(TABLE_POINTS * 2)}"/></w:rPr>'
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>'
    )


def _table(document, table: Table, *, caption: bool = True) -> None:
    if caption:
        document.add_paragraph(clean(table.title), style="Caption")
    if not table.rows:
        document.add_paragraph(table.empty)
        return
    columns = table.columns_for(DOCS)
    widths = [
        int(mm * TWIPS_PER_MM)
        for mm in column_widths(columns, table.rows, TEXT_WIDTH_MM, TABLE_POINTS)
    ]
    header = "".join(
        _cell(c.header, w, right=c.numeric, header=True)
        for c, w in zip(columns, widths, strict=True)
    )
    body = "".join(
        "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
        + "".join(
            _cell(doc_value(c, row.get(c.key)), w, right=c.numeric, header=False)
            for c, w in zip(columns, widths, strict=True)
        )
        + "</w:tr>"
        for row in table.rows
    )
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    xml = (
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        '<w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        f"<w:tblCaption w:val={quoteattr(clean(table.title))}/>"
        "</w:tblPr>"
        f"<w:tblGrid>{grid}</w:tblGrid>"
        # The header row repeats at the top of every page the table runs onto.
        f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{header}</w:tr>"
        f"{body}</w:tbl>"
    )
    element = parse_xml(xml)
    # Before the body's closing section properties, as python-docx adds its own tables.
    document.element.body._insert_tbl(element)
    # A paragraph after each table keeps two tables from merging into one.
    document.add_paragraph()

"""More ways in: a saved web page and a Word document give the same findings as the text."""

import io

import docx
import pytest

from recommendations.importing import PublicationParseError, parse_publication
from recommendations.importing.documents import html_text
from recommendations.importing.sources import publication_text_from_bytes

from .conftest import read_fixture

PAGE = b"""<!DOCTYPE html><html><head><title>Northshire Police: fictional letter 2024</title>
<style>p { color: red }</style><script>var x = "The force should not be read";</script></head>
<body><nav><a href="/">Home</a></nav><main>
<h1>Northshire Police: fictional letter 2024</h1>
<p>Published on: 3 June 2024</p>
<h2>Cause of concern</h2>
<p>The force does not supervise investigations well enough.</p>
<h2>Recommendations</h2>
<p>Within three months, the force should:</p>
<ul><li>review its supervision of investigations; and</li><li>train its sergeants.</li></ul>
<h2>Area for improvement</h2><p>The force should improve how it updates victims.</p>
<table><tr><th>Question</th><th>Score</th></tr>
<tr><td>Investigating crime</td><td>Inadequate</td></tr>
<tr><td>Responding to the public</td><td>Adequate</td></tr></table>
</main></body></html>"""


def _shape(publication):
    return (
        [
            (item.kind, item.parent, str(item.deadline.rule), item.due_on)
            for item in publication.items
        ],
        [(grade.area, grade.grade) for grade in publication.grades],
    )


def test_a_saved_web_page_reads_like_its_text():
    text = html_text(PAGE)

    assert "should not be read" not in text and "Home" not in text
    publication = parse_publication(text)
    kinds = [item.kind for item in publication.items]
    assert kinds == ["cause-of-concern", "recommendation", "recommendation", "area-for-improvement"]
    assert [g.grade for g in publication.grades] == ["inadequate", "adequate"]
    assert publication.published_on.isoformat() == "2024-06-03"


def test_the_web_page_is_recognised_by_name_or_content():
    assert publication_text_from_bytes(PAGE, filename="page.html") == html_text(PAGE)
    assert publication_text_from_bytes(PAGE, filename="") == html_text(PAGE)


def _docx(paragraphs: list[tuple[str, str | None]]) -> bytes:
    document = docx.Document()
    for text, style in paragraphs:
        document.add_paragraph(text, style=style)
    table = document.add_table(rows=2, cols=2)
    for row, (area, grade) in zip(
        table.rows,
        [("Investigating crime", "Inadequate"), ("Responding to the public", "Adequate")],
        strict=True,
    ):
        row.cells[0].text, row.cells[1].text = area, grade
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_document_gives_the_same_findings_as_the_web_page():
    data = _docx(
        [
            ("Northshire Police: fictional letter 2024", None),
            ("Published on: 3 June 2024", None),
            ("Cause of concern", "Heading 2"),
            ("The force does not supervise investigations well enough.", None),
            ("Recommendations", "Heading 2"),
            ("Within three months, the force should:", None),
            ("review its supervision of investigations; and", "List Bullet"),
            ("train its sergeants.", "List Bullet"),
            ("Area for improvement", "Heading 2"),
            ("The force should improve how it updates victims.", None),
        ]
    )
    from_word = parse_publication(publication_text_from_bytes(data, filename="letter.docx"))
    from_page = parse_publication(html_text(PAGE))

    assert _shape(from_word) == _shape(from_page)


@pytest.mark.parametrize("data", [b"PK\x03\x04 not a zip", b"", b"<html><body></body></html>"])
def test_broken_documents_are_refused_with_a_message(data):
    with pytest.raises(PublicationParseError):
        publication_text_from_bytes(data, filename="x.docx" if data.startswith(b"PK") else "x.html")


def test_the_seed_pasted_as_a_web_page_reads_the_same():
    text = read_fixture("register_cleveland_2018_9207.txt")
    page = (
        "<html><body>" + "".join(f"<p>{line}</p>" for line in text.splitlines()) + "</body></html>"
    )
    assert _shape(parse_publication(html_text(page.encode()))) == _shape(parse_publication(text))

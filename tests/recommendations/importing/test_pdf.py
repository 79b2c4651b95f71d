import codecs
import io
from datetime import date

import pytest
from pypdf import PdfReader, PdfWriter

from recommendations.importing import (
    PublicationParseError,
    decode_text,
    extract_pdf_text,
    parse_publication,
    pdf,
)
from recommendations.importing.limits import ImportTooSlow

from .conftest import cpu_seconds
from .pdf_builder import make_compressed_pdf, make_pdf

HEADER = "PEEL 2023–2025 – Northshire Police"

REPORT_PAGES = [
    [
        HEADER,
        "Northshire Police is inadequate at investigating crime.",
        "Cause of concern",
        "The force doesn’t supervise its investigations well enough.",
        "https://www.justiceinspectorates.gov.uk/hmicfrs/glossary/supervision/",
        "Page 1 of 3",
    ],
    [
        HEADER,
        "Recommendations",
        "Within three months, the force should:",
        "• make sure every investigation has a plan that",
        "supervisors review; and",
        "• audit the quality of its investigations.",
        "Page 2 of 3",
    ],
    [
        HEADER,
        "Areas for improvement",
        "The force should improve how it updates victims about their",
        "investigations",
        "In 12 of the 40 cases we reviewed, victims weren’t updated.",
        "Page 3 of 3",
    ],
]


def test_pdf_text_without_page_furniture_or_links():
    text = extract_pdf_text(make_pdf(REPORT_PAGES))

    assert HEADER not in text
    assert "Page " not in text
    assert "https://" not in text
    assert text.splitlines()[:3] == [
        "Northshire Police is inadequate at investigating crime.",
        "Cause of concern",
        "The force doesn’t supervise its investigations well enough.",
    ]
    assert "supervisors review; and" in text.splitlines()


def test_running_footer_with_page_numbers_and_bare_numbers_are_removed():
    words = ["One", "Two", "Three", "Four", "Five"]
    pages = [
        [f"Northshire Police report {n}", f"{word} body line.", str(n)]
        for n, word in enumerate(words, start=1)
    ]

    text = extract_pdf_text(make_pdf(pages))

    assert text.splitlines() == [f"{word} body line." for word in words]


def test_line_on_only_some_pages_is_kept():
    pages = [["Cause of concern", "First."], ["Second."], ["Third."], ["Cause of concern", "4."]]

    assert extract_pdf_text(make_pdf(pages)).splitlines() == [
        "Cause of concern",
        "First.",
        "Second.",
        "Third.",
        "Cause of concern",
        "4.",
    ]


def test_pdf_round_trip_to_findings():
    text = extract_pdf_text(make_pdf(REPORT_PAGES))
    publication = parse_publication(text, published_on=date(2025, 1, 15))

    assert [(grade.area, grade.grade) for grade in publication.grades] == [
        ("investigating crime", "inadequate")
    ]
    assert [item.kind for item in publication.items] == [
        "cause-of-concern",
        "recommendation",
        "recommendation",
        "area-for-improvement",
    ]
    assert publication.items[1].text == (
        "Within three months, the force should make sure every investigation has a plan that "
        "supervisors review."
    )
    assert publication.items[1].due_on == date(2025, 4, 15)
    assert publication.items[3].text == (
        "The force should improve how it updates victims about their investigations"
    )


@pytest.mark.parametrize("pages", [[[]], [[], []]])
def test_pdf_without_text_layer(pages):
    with pytest.raises(PublicationParseError) as raised:
        extract_pdf_text(make_pdf(pages))
    assert raised.value.message == pdf.NO_TEXT_LAYER


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", pdf.EMPTY_FILE),
        (b"Cause of concern\nThe force should act.", pdf.NOT_A_PDF),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), pdf.NOT_A_PDF),
    ],
)
def test_not_a_pdf(data, message):
    with pytest.raises(PublicationParseError) as raised:
        extract_pdf_text(data)
    assert raised.value.message == message


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n" + bytes(range(256)) * 4,
        make_pdf(REPORT_PAGES)[:300],
        make_pdf(REPORT_PAGES).replace(b"/Contents", b"/Contents 999 0 R /X"),
    ],
)
def test_damaged_pdf_is_an_error_or_text(data):
    try:
        text = extract_pdf_text(data)
    except PublicationParseError:
        return
    assert isinstance(text, str) and text.strip()


def _encrypted(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(REPORT_PAGES))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdf():
    with pytest.raises(PublicationParseError) as raised:
        extract_pdf_text(_encrypted("secret"))
    assert raised.value.message == pdf.ENCRYPTED


def test_pdf_encrypted_without_a_user_password_opens():
    assert "Cause of concern" in extract_pdf_text(_encrypted(""))


# -- decode_text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", pdf.EMPTY_FILE),
        (b" \r\n\t\n", pdf.EMPTY_FILE),
        (codecs.BOM_UTF8, pdf.EMPTY_FILE),
        (b"\x13\x9c\x00\xfe\x81\x00\x07\xbbJ\x00\x1f\xd4" * 20, pdf.BINARY_FILE),
        (bytes(range(1, 32)) * 10 + b"text", pdf.BINARY_FILE),
        (bytes(b for b in range(0xA0, 0x100)) * 5, pdf.BINARY_FILE),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", pdf.PDF_AS_TEXT),
        (b"\x81\x8d\x8f\x90\x9d" * 3, pdf.UNDECODABLE),
    ],
)
def test_decode_text_rejects(data, message):
    with pytest.raises(PublicationParseError) as raised:
        decode_text(data)
    assert raised.value.message == message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Cleveland Police’s report – 2023".encode(), "Cleveland Police’s report – 2023"),
        (codecs.BOM_UTF8 + "Cause of concern ’".encode(), "Cause of concern ’"),
        ("Cleveland Police’s report – 2023".encode("cp1252"), "Cleveland Police’s report – 2023"),
        ("Café\r\nline two".encode("utf-16"), "Café\r\nline two"),
        (b"Plain ASCII\n", "Plain ASCII\n"),
    ],
)
def test_decode_text_accepts(data, expected):
    assert decode_text(data) == expected


# -- limits on reading a PDF ---------------------------------------------------------------------


def text_operators(count: int, text: bytes = b"x") -> bytes:
    return b"BT /F1 11 Tf 72 770 Td " + (b"(" + text + b") Tj ") * count + b"ET"


def test_a_small_pdf_inflating_to_megabytes_of_text_operators_is_refused_at_once():
    data = make_compressed_pdf([text_operators(600_000)])  # 22 s to read before

    assert len(data) < 10_000  # 4.2 MB of operators in 7 KB
    with pytest.raises(PublicationParseError) as raised:
        extract_pdf_text(data)
    assert raised.value.message == pdf.TOO_COMPLEX
    assert cpu_seconds(_refused, data) < 0.5


def _refused(data: bytes) -> None:
    with pytest.raises(PublicationParseError):
        extract_pdf_text(data)


def test_many_pages_of_text_operators_are_refused_after_the_operator_limit():
    data = make_compressed_pdf([text_operators(20_000)] * 8)  # 160,000 operators

    with pytest.raises(PublicationParseError) as raised:
        extract_pdf_text(data)
    assert raised.value.message == pdf.TOO_COMPLEX


def test_one_stream_too_long_to_parse_is_refused():
    # Under the page's byte limit, but more operators than pypdf parses in one stream here.
    data = make_compressed_pdf([b"BT " + b"1 0 0 1 72 770 Tm " * 40_000 + b"ET"])

    with pytest.raises(PublicationParseError) as raised:
        extract_pdf_text(data)
    assert raised.value.message == pdf.TOO_COMPLEX


def test_a_pdf_with_more_text_than_a_publication_is_refused():
    page = text_operators(900, b"x" * 1_000)  # 900,000 characters in 900 operators
    data = make_compressed_pdf([page, page, page])

    with pytest.raises(PublicationParseError) as raised:
        extract_pdf_text(data)
    assert raised.value.message == pdf.TOO_MUCH_TEXT


def test_a_long_report_is_read_within_the_limits():
    words = [
        "the",
        "force",
        "should",
        "act",
        "on",
        "what",
        "we",
        "found",
        "about",
        "how",
        "it",
        "records",
        "crime",
    ]
    lines = [" ".join(words[n % 7 :] + words[: n % 7]) for n in range(45 * 40)]
    pages = [lines[start : start + 45] for start in range(0, len(lines), 45)]

    text = extract_pdf_text(make_pdf(pages))

    assert text.count("\n") == len(lines) - 1


def test_reading_a_pdf_stops_at_its_time_limit(slow_clock):
    with pytest.raises(ImportTooSlow) as raised:
        extract_pdf_text(make_pdf(REPORT_PAGES))

    assert raised.value.message == pdf.PDF_TOO_SLOW.format(seconds=10)
    assert raised.value.message.startswith("This publication took too long to read")

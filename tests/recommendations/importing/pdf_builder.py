"""Minimal PDFs for tests, written by hand: pypdf reads PDFs but cannot lay out text."""

import zlib


def _escape(line: str) -> bytes:
    encoded = line.encode("cp1252")
    return encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _content(lines: list[str]) -> bytes:
    parts = [b"BT /F1 11 Tf 14 TL 72 770 Td"]
    for line in lines:
        parts.append(b"(" + _escape(line) + b") Tj T*")
    parts.append(b"ET")
    return b"\n".join(parts)


def make_pdf(pages: list[list[str]]) -> bytes:
    """A valid PDF with one page per list of lines (Helvetica, WinAnsi); [] is a blank page."""
    return _build([(_content(lines) if lines else b"", b"") for lines in pages])


def make_compressed_pdf(contents: list[bytes]) -> bytes:
    """A PDF with one page per raw content stream, stored compressed: a few kilobytes of PDF
    can hold megabytes of operators."""
    return _build([(zlib.compress(stream, 9), b" /Filter /FlateDecode") for stream in contents])


def _build(pages: list[tuple[bytes, bytes]]) -> bytes:
    objects: list[bytes] = []
    page_ids = [4 + 2 * number for number in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = b" ".join(b"%d 0 R" % page_id for page_id in page_ids)
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)))
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for page_id, (stream, filters) in zip(page_ids, pages, strict=True):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (page_id + 1)
        )
        objects.append(
            b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(stream), filters, stream)
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)

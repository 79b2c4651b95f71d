"""The pack's files: Word, PDF and Excel, each from the same layout (`layout.sections`)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from reports.pack import Pack


@dataclass(frozen=True)
class FileFormat:
    key: str
    label: str
    extension: str
    content_type: str

    def render(self, pack: Pack) -> bytes:
        # Imported when used: a page view loads none of the libraries, a download only its own.
        module = {"docx": "word", "pdf": "pdf", "xlsx": "excel"}[self.key]
        return import_module(f"reports.renderers.{module}").render(pack)

    def file_name(self, pack: Pack, slug: str) -> str:
        return f"{slug}-report-{pack.period.start}-to-{pack.period.end}.{self.extension}"


FORMATS = {
    "docx": FileFormat(
        "docx",
        "Word document",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "pdf": FileFormat("pdf", "PDF", "pdf", "application/pdf"),
    "xlsx": FileFormat(
        "xlsx",
        "Excel workbook",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}

"""The evidence list names each file, its type and its size, recorded at upload."""

from __future__ import annotations

import html
import importlib
from datetime import date

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations import services
from recommendations.models import Evidence, Status
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
DOCX = b"PK\x03\x04" + b"\x00" * 2000


@pytest.fixture(autouse=True)
def _fixed_today():
    with time_machine.travel(date(2024, 6, 1), tick=False):
        yield


@pytest.fixture
def item(force):
    return factories.ItemFactory(inspection__force=force, status=Status.BEING_PROGRESSED)


def _upload(client, item, name: str, content: bytes):
    return client.post(
        reverse("recommendations:evidence-create", args=[item.pk]),
        {
            "evidence-description": f"About {name}",
            # The browser's claim is not trusted: the type comes from the checked extension.
            "evidence-file": SimpleUploadedFile(name, content, content_type="text/html"),
        },
        follow=True,
    )


def test_upload_records_size_and_type_and_the_list_shows_them(client, item, lead):
    client.force_login(lead)
    _upload(client, item, "policy.pdf", PDF + b"0" * (1_258_291 - len(PDF)))
    response = _upload(client, item, "minutes.docx", DOCX)

    stored = {e.file_name: (e.size, e.content_type) for e in Evidence.objects.all()}
    assert stored == {
        "policy.pdf": (1_258_291, "application/pdf"),
        "minutes.docx": (
            len(DOCX),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    }
    page = html.unescape(response.content.decode()).replace("\xa0", " ")
    assert "(policy.pdf, PDF, 1.2 MB)" in page
    assert "(minutes.docx, Word document, 2.0 KB)" in page


def test_a_link_has_no_file_details(client, item, lead):
    services.evidence_add(item=item, user=lead, description="Policy", url="https://example.org")
    client.force_login(lead)
    page = client.get(reverse("recommendations:item-detail", args=[item.pk])).content.decode()
    assert 'Policy<span class="govuk-visually-hidden"> (evidence 1)</span></a> (link)' in page
    assert "app-evidence-file" not in page


def test_the_type_falls_back_to_the_extension():
    evidence = Evidence(file="evidence/1/2/scan.tiff", content_type="")
    assert evidence.file_type == "TIFF"


def test_files_uploaded_before_are_measured_by_the_migration(item, lead, settings):
    present = factories.FileEvidenceFactory(item=item, uploaded_by=lead)
    missing = factories.FileEvidenceFactory(item=item, uploaded_by=lead)
    (settings.MEDIA_ROOT / missing.file.name).unlink()
    Evidence.objects.update(size=None, content_type="")

    migration = importlib.import_module(
        "recommendations.migrations.0006_evidence_size_type_cause_of_concern_reopened"
    )
    migration.record_existing_files(apps, None)

    present.refresh_from_db()
    missing.refresh_from_db()
    assert (present.size, present.content_type) == (
        len(b"%PDF-1.4\n% test file\n"),
        "application/pdf",
    )
    assert (missing.size, missing.content_type) == (None, "application/pdf")

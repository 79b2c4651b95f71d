"""Evidence files: any name the browser sends can be stored, and no file is left behind by a
failed upload (or, after a killed process, by `manage.py evidence_orphans --delete`)."""

from __future__ import annotations

import os
import time
from io import StringIO
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse

from recommendations import services
from recommendations.models import Evidence, Status, TimelineEntry
from recommendations.models.work import fit_file_name
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def files_under(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("policy.pdf", "policy.pdf"),
        ("C:\\Users\\me\\policy v2.pdf", "policy v2.pdf"),
        ("é" * 200 + ".pdf", "é" * 98 + ".pdf"),
        ("报" * 120 + ".pdf", "报" * 65 + ".pdf"),
        ("a" * 300, "a" * 200),
        ("a" * 300 + "." + "b" * 40, ("a" * 300 + "." + "b" * 40)[:200]),
        (".pdf", ".pdf"),
        ("é" * 300 + ".PDF", "é" * 98 + ".PDF"),
    ],
)
def test_names_are_cut_by_bytes_keeping_the_extension(name, expected):
    fitted = fit_file_name(name)
    assert fitted == expected
    assert len(fitted.encode()) <= 200


def test_a_cut_never_splits_a_character():
    for width in range(190, 201):
        fitted = fit_file_name("a" + "€" * 100 + ".pdf", max_bytes=width)
        assert fitted.endswith(".pdf") and "\ufffd" not in fitted
        assert len(fitted.encode()) <= width


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["é" * 200 + ".pdf", "报" * 120 + ".pdf", "x" * 250 + ".pdf"])
def test_a_long_non_ascii_file_name_is_stored_and_downloaded(client, lead, settings, name):
    item = factories.ItemFactory(inspection__force=lead.force, status=Status.BEING_PROGRESSED)
    client.force_login(lead)

    for _ in range(2):  # the second upload of the same name gets a suffix: still fits
        response = client.post(
            reverse("recommendations:evidence-create", args=[item.pk]),
            {
                "evidence-description": "Policy",
                "evidence-file": SimpleUploadedFile(name, PDF, "application/pdf"),
            },
        )
        assert response.status_code == 302

    stored = files_under(settings.MEDIA_ROOT)
    assert len(stored) == 2
    for path in stored:
        assert path.suffix == ".pdf" and len(path.name.encode()) <= 255
        assert path.name[:3] == name[:3]
    evidence = Evidence.objects.filter(item=item).first()
    download = client.get(reverse("recommendations:evidence-download", args=[item.pk, evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert name[:3] in unquote(download["Content-Disposition"])


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_upload_leaves_no_file(force, lead, settings, monkeypatch):
    """The database fails after the file was written: the transaction really rolls back,
    and the file goes with it."""
    item = factories.ItemFactory(inspection__force=force, status=Status.BEING_PROGRESSED)
    original_save = Evidence.save

    def save_then_fail(self, *args, **kwargs):
        original_save(self, *args, **kwargs)
        assert files_under(settings.MEDIA_ROOT), "the file is written before the commit"
        raise DatabaseError("disk I/O error")

    monkeypatch.setattr(Evidence, "save", save_then_fail)

    with pytest.raises(DatabaseError):
        services.evidence_add(
            item=item,
            user=lead,
            description="Policy",
            file=SimpleUploadedFile("policy.pdf", PDF, "application/pdf"),
        )

    assert files_under(settings.MEDIA_ROOT) == []
    assert not Evidence.objects.exists()
    assert not TimelineEntry.objects.exists()


def _age(path, minutes: int) -> None:
    then = time.time() - minutes * 60
    os.utime(path, (then, then))


def _orphans(*args) -> str:
    out = StringIO()
    call_command("evidence_orphans", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_evidence_orphans_reports_then_deletes_only_old_unreferenced_files(force, settings):
    kept = factories.FileEvidenceFactory(item__inspection__force=force)
    gone = factories.FileEvidenceFactory(item=kept.item)
    kept_path = settings.MEDIA_ROOT / kept.file.name
    os.remove(settings.MEDIA_ROOT / gone.file.name)  # a row whose file is missing
    folder = kept_path.parent
    old, recent = folder / "killed-upload.pdf", folder / "uploading-now.pdf"
    for path in (old, recent):
        path.write_bytes(PDF)
    _age(old, 120)
    _age(kept_path, 120)
    _age(recent, 0)  # stamped by our clock, not the file system's (the suite may move it)

    report = _orphans()

    assert f"orphan: evidence/{force.pk}/{kept.item_id}/killed-upload.pdf" in report
    assert "orphan (recent, kept): " in report and "uploading-now.pdf" in report
    assert f"missing from storage: {gone.file.name}" in report
    assert "2 orphan file(s), 0 deleted, 1 too recent to delete" in report
    assert old.exists() and recent.exists()

    report = _orphans("--delete")

    assert "orphan (deleted): " in report and "1 deleted" in report
    assert not old.exists()
    assert recent.exists() and kept_path.exists()

    _orphans("--delete", "--min-age", "0")
    assert files_under(settings.MEDIA_ROOT) == [kept_path]


@pytest.mark.django_db
def test_evidence_orphans_with_no_storage_yet(settings):
    assert "0 orphan file(s)" in _orphans()

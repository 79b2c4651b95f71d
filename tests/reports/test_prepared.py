"""A report on more items than REPORTS_BACKGROUND_ITEMS is prepared by the task runner: the
user asks for it, is told when it is ready (on the page and by e-mail) and downloads it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from reports import tasks
from reports.models import PreparedPack, PreparedPackStatus
from tests.dates import date_fields
from tests.reports.conftest import at
from tests.reports.readers import read_xlsx

pytestmark = pytest.mark.django_db

PACK = reverse("reports:pack")
DOWNLOADS = reverse("reports:downloads")
Q2_FIELDS = {**date_fields("start", "2025-04-01"), **date_fields("end", "2025-06-30")}


@pytest.fixture
def large(settings):
    settings.REPORTS_BACKGROUND_ITEMS = 5


def _ask(client, file_format="xlsx", force=""):
    return client.post(DOWNLOADS, {"force": force, **Q2_FIELDS, "format": file_format})


def test_a_large_report_is_prepared_and_the_user_told(
    year, client, lead, owner, large, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.REPORTS_PREPARE_EAGERLY = True
    client.force_login(lead)
    html = client.get(PACK).content.decode()
    assert "Prepare the Excel workbook" in html
    assert 'id="summary"' not in html  # too many items to show at once
    assert client.get(PACK, {"format": "pdf"})["Content-Type"].startswith("text/html")

    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client)

    assert response.status_code == 302 and response["Location"] == DOWNLOADS
    prepared = PreparedPack.objects.get()
    assert (prepared.status, prepared.requested_by) == (PreparedPackStatus.READY, lead)
    [mail] = mailoutbox
    assert mail.to == [lead.email]
    assert "ready" in mail.subject and DOWNLOADS in mail.body
    download = reverse("reports:download", args=[prepared.pk])
    assert download in client.get(DOWNLOADS).content.decode()
    assert "Download it</a>" in client.get(PACK).content.decode()

    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="cleveland-police')
    figures, _ = read_xlsx(b"".join(response.streaming_content))
    assert figures.position["Overdue"] == year.dashboard_at_q2_end["lead"]["overdue"]
    assert figures.completed == ["PEEL 2023–2025 R3"]
    prepared.refresh_from_db()
    assert prepared.downloaded_at is not None
    assert "Download it</a>" not in client.get(PACK).content.decode()

    client.force_login(owner)  # the same force, but not theirs
    assert client.get(download).status_code == 404


def test_the_runner_prepares_it_once(year, client, lead, large, django_capture_on_commit_callbacks):
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, "pdf")
    prepared = PreparedPack.objects.get()
    assert prepared.status == PreparedPackStatus.PENDING  # no worker in the tests
    assert "Being prepared" in client.get(DOWNLOADS).content.decode()
    assert client.get(reverse("reports:download", args=[prepared.pk])).status_code == 404

    assert tasks.prepare_pack(prepared.pk) == "ready"
    assert tasks.prepare_pack(prepared.pk) == "nothing to do"
    prepared.refresh_from_db()
    assert prepared.file.name.endswith("cleveland-police-report-2025-04-01-to-2025-06-30.pdf")


def test_access_lost_before_preparing_refuses_it(
    year, client, inspector, force, large, django_capture_on_commit_callbacks
):
    client.force_login(inspector)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, "docx", force=force.slug)
    prepared = PreparedPack.objects.get()
    inspector.inspected_forces.remove(force)

    assert tasks.prepare_pack(prepared.pk) == "refused"
    prepared.refresh_from_db()
    assert prepared.status == PreparedPackStatus.FAILED
    assert "no longer have access" in client.get(DOWNLOADS).content.decode()


def test_access_lost_after_preparing_refuses_the_download(year, client, inspector, force, large):
    client.force_login(inspector)
    _ask(client, "docx", force=force.slug)
    prepared = PreparedPack.objects.get()
    tasks.prepare_pack(prepared.pk)
    inspector.inspected_forces.remove(force)
    assert client.get(reverse("reports:download", args=[prepared.pk])).status_code == 404


def test_nobody_prepares_another_forces_report(year, client, other_lead, force, large):
    client.force_login(other_lead)
    assert _ask(client, force=force.slug).status_code == 404
    assert not PreparedPack.objects.exists()


def test_prepared_files_are_kept_for_a_week(year, client, lead, large, settings, time_machine):
    settings.REPORTS_KEEP_DAYS = 7
    client.force_login(lead)
    _ask(client)
    prepared = PreparedPack.objects.get()
    tasks.prepare_pack(prepared.pk)
    prepared.refresh_from_db()
    storage, name = prepared.file.storage, prepared.file.name
    assert storage.exists(name)

    time_machine.move_to(at(date(2025, 7, 10) + timedelta(days=8)), tick=False)
    client.force_login(lead)  # a new day, a new session
    assert client.get(DOWNLOADS).status_code == 200
    assert not PreparedPack.objects.exists()
    assert not storage.exists(name)


def test_a_file_removed_from_the_storage_is_not_found(year, client, lead, large):
    client.force_login(lead)
    _ask(client)
    prepared = PreparedPack.objects.get()
    tasks.prepare_pack(prepared.pk)
    prepared.refresh_from_db()
    prepared.file.storage.delete(prepared.file.name)
    assert client.get(reverse("reports:download", args=[prepared.pk])).status_code == 404

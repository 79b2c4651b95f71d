"""Forms and uploads reject bad input with a clear message and change nothing; the happy
paths through the web work, and evidence files go back only to those who may see them."""

from __future__ import annotations

import html
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations.models import (
    Action,
    CauseOfConcern,
    Evidence,
    Item,
    MonitoringStageChange,
    ProgressUpdate,
    Status,
    TimelineEntry,
)
from tests import factories
from tests.dates import date_fields

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fixed_today():
    with time_machine.travel(date(2024, 6, 1), tick=False):
        yield


@pytest.fixture
def work(force, other_force, lead, inspector):
    inspection = factories.InspectionFactory(force=force)
    cause = factories.CauseOfConcernFactory(inspection=inspection)
    item = factories.ItemFactory(
        inspection=inspection, cause_of_concern=cause, status=Status.BEING_PROGRESSED
    )
    waiting = factories.ItemFactory(inspection=inspection, status=Status.AWAITING_REVIEW)
    stranger = factories.ActionOwnerFactory(force=other_force, username="stranger")
    return {"item": item, "waiting": waiting, "cause": cause, "stranger": stranger}


def snapshot() -> tuple:
    return (
        list(Item.objects.values_list("pk", "status", "due_on", "owner_id").order_by("pk")),
        list(CauseOfConcern.objects.values_list("pk", "closed_on").order_by("pk")),
        *(
            model.objects.count()
            for model in (
                Action,
                ProgressUpdate,
                Evidence,
                TimelineEntry,
                MonitoringStageChange,
            )
        ),
    )


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def error_summary(response) -> str:
    page = html.unescape(response.content.decode())
    start = page.index('class="govuk-error-summary"')
    return page[start : page.index("</ul>", start)]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def evidence(**fields) -> dict:
    return {"evidence-description": "The new policy", **fields}


# (case, user fixture, URL name, URL args from `work`, POST data, the message shown)
BAD_INPUT = [
    (
        "file over the size limit",
        "lead",
        "recommendations:evidence-create",
        lambda w: [w["item"].pk],
        lambda w: evidence(**{"evidence-file": upload("big.pdf", PDF + b"0" * 1024 * 1024)}),
        "The file must be smaller than 1 MB.",
    ),
    (
        "disallowed extension",
        "lead",
        "recommendations:evidence-create",
        lambda w: [w["item"].pk],
        lambda w: evidence(**{"evidence-file": upload("run.exe", b"MZ\x90\x00")}),
        "The file must be one of: csv, docx",
    ),
    (
        "a .pdf that is not a PDF",
        "lead",
        "recommendations:evidence-create",
        lambda w: [w["item"].pk],
        lambda w: evidence(**{"evidence-file": upload("fake.pdf", b"MZ\x90\x00 not a pdf")}),
        "The file’s content is not a valid .pdf file.",
    ),
    (
        "empty file",
        "lead",
        "recommendations:evidence-create",
        lambda w: [w["item"].pk],
        lambda w: evidence(**{"evidence-file": upload("empty.pdf", b"")}),
        "The submitted file is empty.",
    ),
    (
        "both a file and a link",
        "lead",
        "recommendations:evidence-create",
        lambda w: [w["item"].pk],
        lambda w: evidence(
            **{"evidence-file": upload("ok.pdf", PDF), "evidence-url": "https://example.gov.uk"}
        ),
        "Attach either a file or a link (not both).",
    ),
    (
        "neither a file nor a link",
        "lead",
        "recommendations:evidence-create",
        lambda w: [w["item"].pk],
        lambda w: evidence(),
        "Attach either a file or a link (not both).",
    ),
    (
        "transition without its required comment",
        "inspector",
        "recommendations:item-transition",
        lambda w: [w["waiting"].pk],
        lambda w: {"decision-transition": "complete", "decision-comment": "  "},
        "Enter a comment on the decision",
    ),
    (
        "due date change without a reason",
        "inspector",
        "recommendations:item-due-date",
        lambda w: [w["item"].pk],
        lambda w: {**date_fields("due-due_on", "2024-12-31"), "due-reason": ""},
        "Enter reason for the change",
    ),
    (
        "due date that is not a date",
        "inspector",
        "recommendations:item-due-date",
        lambda w: [w["item"].pk],
        lambda w: {
            "due-due_on-day": "31",
            "due-due_on-month": "2",
            "due-due_on-year": "2024",
            "due-reason": "Delayed",
        },
        "New due date must be a real date",
    ),
    (
        "action owner from another force",
        "lead",
        "recommendations:action-create",
        lambda w: [w["item"].pk],
        lambda w: {
            "action-description": "Train staff",
            "action-owner": w["stranger"].pk,
            "action-status": "not-started",
        },
        "Select a valid choice.",
    ),
    (
        "item owner from another force",
        "lead",
        "recommendations:item-owner",
        lambda w: [w["item"].pk],
        lambda w: {"owner-owner": w["stranger"].pk},
        "Select a valid choice.",
    ),
    (
        "cause of concern closed in the future",
        "inspector",
        "recommendations:cause-of-concern-close",
        lambda w: [w["cause"].pk],
        lambda w: {**date_fields("closed_on", "2024-06-02"), "letter_reference": "L/1"},
        "The closing letter's date cannot be in the future.",
    ),
    (
        "bogus monitoring stage",
        "inspector",
        "recommendations:monitoring-stage",
        lambda w: [w["item"].force.slug],
        lambda w: {"stage": "bogus", **date_fields("started_on", "2024-05-01")},
        "Select a valid choice. bogus is not one of the available choices.",
    ),
]


@pytest.mark.parametrize(
    ("user", "name", "args", "data", "message"),
    [case[1:] for case in BAD_INPUT],
    ids=[case[0] for case in BAD_INPUT],
)
def test_bad_input_is_refused_with_a_clear_message_and_changes_nothing(
    client, settings, work, request, user, name, args, data, message
):
    settings.TRACKER_EVIDENCE_MAX_BYTES = 1024 * 1024
    client.force_login(request.getfixturevalue(user))
    before, files = snapshot(), stored_files(settings)
    response = client.post(reverse(name, args=args(work)), data(work))
    assert response.status_code == 400
    summary = error_summary(response)
    assert "There is a problem" in summary
    assert message in summary
    assert snapshot() == before
    assert stored_files(settings) == files


def test_field_errors_are_shown_next_to_the_field(client, work, inspector):
    client.force_login(inspector)
    url = reverse("recommendations:item-due-date", args=[work["item"].pk])
    page = client.post(url, {**date_fields("due-due_on", None), "due-reason": ""}).content.decode()
    assert 'id="id_due-reason-error" class="govuk-error-message"' in page
    assert 'href="#id_due-reason"' in page  # the summary links to the field
    assert "govuk-textarea--error" in page


def test_add_action_through_the_web(client, work, lead, owner):
    client.force_login(lead)
    item = work["item"]
    response = client.post(
        reverse("recommendations:action-create", args=[item.pk]),
        {
            "action-description": "Retrain the control room",
            "action-owner": owner.pk,
            **date_fields("action-target_on", "2024-09-30"),
            "action-status": "in-progress",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("recommendations:item-detail", args=[item.pk])
    assert "Action added." in response.content.decode()
    action = item.actions.get()
    assert (action.description, action.owner, action.target_on, action.status) == (
        "Retrain the control room",
        owner,
        date(2024, 9, 30),
        "in-progress",
    )


def test_progress_update_through_the_web(client, work, owner):
    client.force_login(owner)
    item = work["item"]
    url = reverse("recommendations:update-create", args=[item.pk])
    response = client.post(url, {"update-text": "Training has started."}, follow=True)
    page = response.content.decode()
    assert "Progress update added." in page
    assert "Training has started." in page
    assert item.progress_updates.get().author == owner


def test_upload_a_pdf_and_download_it_back(client, work, lead, other_lead):
    item = work["item"]
    client.force_login(lead)
    response = client.post(
        reverse("recommendations:evidence-create", args=[item.pk]),
        evidence(**{"evidence-file": upload("policy.pdf", PDF)}),
        follow=True,
    )
    assert "Evidence added." in response.content.decode()
    piece = item.evidence.get()
    assert (piece.url, piece.uploaded_by) == ("", lead)
    url = reverse("recommendations:evidence-download", args=[item.pk, piece.pk])
    assert url in response.content.decode()  # the page links to the download

    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert 'filename="policy.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF

    client.force_login(other_lead)
    assert client.get(url).status_code == 404
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))


def test_evidence_is_refused_on_a_closed_item(client, work, lead):
    item = work["item"]
    Item.objects.filter(pk=item.pk).update(status=Status.COMPLETE)
    client.force_login(lead)
    before = snapshot()
    response = client.post(
        reverse("recommendations:evidence-create", args=[item.pk]),
        evidence(**{"evidence-url": "https://example.gov.uk/late"}),
    )
    assert response.status_code == 400
    assert "This item is complete, so it is locked" in error_summary(response)
    assert snapshot() == before

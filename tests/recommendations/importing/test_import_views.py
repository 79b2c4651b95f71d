"""The web import: upload or paste, correct the preview, confirm; inspectors of the force only."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations.deadlines import DeadlineRule
from recommendations.importing.preview import RowEdit, apply_edits, split_text
from recommendations.models import CauseOfConcern, Inspection, Item, ItemKind, TimelineEntry
from recommendations.services import imports as import_service
from recommendations.views.imports import SESSION_KEY
from tests.dates import date_fields, date_shown

from .conftest import FIXTURES
from .pdf_builder import make_pdf

pytestmark = pytest.mark.django_db

START = reverse("recommendations:import")
PREVIEW = reverse("recommendations:import-preview")
REGISTER = FIXTURES / "register_cleveland_2018_9207.txt"
PEEL = FIXTURES / "peel_cleveland_2021_22.txt"


def counts() -> tuple:
    return tuple(m.objects.count() for m in (Inspection, CauseOfConcern, Item, TimelineEntry))


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def start(client, force, **data):
    return client.post(START, {"force": force.pk, **data})


def state_of(client) -> dict:
    return client.session[SESSION_KEY]


def form_data(client, action="preview", **header) -> dict:
    """What the preview form posts when nothing is changed."""
    state = state_of(client)
    data = {
        "token": f"{state['source_hash'][:16]}.{state['revision']}",
        "action": action,
        "title": state["title"],
        "force": state["force"],
        "programme": state["programme"],
        "source_url": state["source_url"],
        **date_fields("published_on", state["published_on"]),
        **date_fields("issued_on", state["issued_on"]),
    }
    for row in state["rows"]:
        prefix = f"row-{row['uid']}-"
        data |= {
            prefix + "kind": row["kind"],
            prefix + "reference": row["reference"],
            prefix + "text": row["text"],
            prefix + "parent": "" if row["parent"] is None else row["parent"],
            prefix + "rule": row["deadline"]["rule"],
            prefix + "phrase": row["deadline"]["phrase"],
        }
    return data | header


@pytest.fixture
def signed_in(client, inspector):
    client.force_login(inspector)
    return client


def test_start_page_offers_only_the_inspectors_forces(signed_in, force, other_force):
    html = signed_in.get(START).content.decode()

    assert "Import a publication" in html
    assert force.name in html
    assert other_force.name not in html


def test_upload_edit_split_merge_change_kind_and_confirm(signed_in, force, inspector):
    response = start(signed_in, force, file=upload("9207.txt", REGISTER.read_bytes()))
    assert response.status_code == 302 and response["Location"] == PREVIEW

    html = signed_in.get(PREVIEW).content.decode()
    assert html.count('<tr class="govuk-table__row" id="item-') == 4
    assert "Within three months" in html and "7 Nov 2018" in html
    # The publication date from the register's event log, in the three fields.
    assert date_shown(html, "id_published_on") == ("7", "8", "2018")
    assert counts() == (0, 0, 0, 0)

    _, first, second, third = (row["uid"] for row in state_of(signed_in)["rows"])
    edits = form_data(signed_in)
    edits[f"row-{first}-text"] = "The force should publish its crime recording policy."
    edits[f"row-{first}-kind"] = ItemKind.AREA_FOR_IMPROVEMENT
    edits[f"row-{second}-text"] = (
        "Within six months the force should put in place call summaries.\n---\n"
        "The force should tell attending officers everything the caller said."
    )
    edits[f"row-{third}-merge"] = "on"
    response = signed_in.post(PREVIEW, edits)
    assert response.status_code == 302 and response["Location"] == PREVIEW

    html = signed_in.get(PREVIEW).content.decode()
    assert html.count('<tr class="govuk-table__row" id="item-') == 4
    assert "publish its crime recording policy" in html
    assert counts() == (0, 0, 0, 0)

    response = signed_in.post(PREVIEW, form_data(signed_in, action="confirm"), follow=True)

    inspection = Inspection.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "recommendations:inspection-detail", args=[inspection.pk]
    )
    assert "Imported 4 items" in response.content.decode()
    assert SESSION_KEY not in signed_in.session
    cause_of_concern = CauseOfConcern.objects.get()
    area = Item.objects.get(kind=ItemKind.AREA_FOR_IMPROVEMENT)
    assert area.text == "The force should publish its crime recording policy."
    assert area.cause_of_concern is None and area.due_on is None
    split_first, split_second = Item.objects.filter(kind=ItemKind.RECOMMENDATION).order_by(
        "position"
    )
    assert split_first.text == "Within six months the force should put in place call summaries."
    assert split_first.reference == "9207/2" and split_second.reference == ""
    assert split_second.text.startswith("The force should tell attending officers everything")
    assert "design and provide training for relevant staff" in split_second.text  # merged
    assert {split_first.due_on, split_second.due_on} == {date(2019, 2, 7)}
    assert {split_first.cause_of_concern, split_second.cause_of_concern} == {cause_of_concern}
    assert inspection.published_on == date(2018, 8, 7)
    assert set(split_first.timeline.values_list("kind", "actor")) >= {("imported", inspector.pk)}


def test_paste_then_title_and_date_are_required_to_confirm(signed_in, force):
    start(signed_in, force, text=PEEL.read_text(encoding="utf-8"))
    # Taken from the text: the PEEL round and force make the title; the inspector may clear it.
    assert state_of(signed_in)["programme"] == "peel"
    assert state_of(signed_in)["title"] == "PEEL 2021/22: An inspection of Cleveland Police"

    response = signed_in.post(PREVIEW, form_data(signed_in, action="confirm", title=""))

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter the publication’s title." in html
    assert "Enter the publication date" in html
    assert counts() == (0, 0, 0, 0)

    data = form_data(
        signed_in,
        action="confirm",
        title="PEEL 2021/22: An inspection of Cleveland Police",
        programme="peel",
        **date_fields("published_on", "2023-03-17"),
    )
    response = signed_in.post(PREVIEW, data, follow=True)

    assert "Imported 17 items" in response.content.decode()
    inspection = Inspection.objects.get()
    assert inspection.judgments.count() == 10 and inspection.programme == "peel"
    immediate = Item.objects.filter(deadline_rule=DeadlineRule.IMMEDIATE)
    assert immediate.count() == 3 and {i.due_on for i in immediate} == {date(2023, 3, 17)}


def test_same_publication_twice_says_already_imported(signed_in, force):
    for _ in range(2):
        start(signed_in, force, file=upload("9207.txt", REGISTER.read_bytes()))
        response = signed_in.post(PREVIEW, form_data(signed_in, action="confirm"), follow=True)
    html = response.content.decode()

    assert "Already imported: nothing new was created" in html
    assert counts()[:3] == (1, 1, 3)


def test_preview_warns_when_already_imported(signed_in, force):
    start(signed_in, force, file=upload("9207.txt", REGISTER.read_bytes()))
    signed_in.post(PREVIEW, form_data(signed_in, action="confirm"))
    start(signed_in, force, file=upload("9207.txt", REGISTER.read_bytes()))

    assert "was already imported as" in signed_in.get(PREVIEW).content.decode()


def test_fixing_deadlines(signed_in, force):
    start(signed_in, force, file=upload("9207.txt", REGISTER.read_bytes()))
    _, first, second, third = (row["uid"] for row in state_of(signed_in)["rows"])
    data = form_data(signed_in, action="confirm")
    data[f"row-{first}-rule"] = "absolute"
    data[f"row-{first}-phrase"] = "by 30 September 2024"
    data |= date_fields(f"row-{second}-due_on", "2019-03-01")
    data[f"row-{third}-rule"] = "immediate"

    signed_in.post(PREVIEW, data)

    items = list(Item.objects.order_by("position"))
    assert [(i.deadline_rule, i.due_on) for i in items] == [
        ("absolute", date(2024, 9, 30)),
        ("absolute", date(2019, 3, 1)),
        ("immediate", date(2018, 8, 7)),
    ]
    assert items[0].deadline_phrase == "by 30 September 2024"


def test_a_phrase_that_does_not_fit_the_rule_is_an_error(signed_in, force):
    start(signed_in, force, file=upload("9207.txt", REGISTER.read_bytes()))
    first = state_of(signed_in)["rows"][1]["uid"]
    data = form_data(signed_in, action="confirm")
    data[f"row-{first}-rule"] = "relative"
    data[f"row-{first}-phrase"] = "soon"

    response = signed_in.post(PREVIEW, data)

    assert response.status_code == 400
    assert "Item 2: Enter a period such as “within three months”." in response.content.decode()
    assert counts() == (0, 0, 0, 0)


def test_delete_and_empty_text(signed_in, force):
    start(signed_in, force, file=upload("9207.txt", REGISTER.read_bytes()))
    rows = state_of(signed_in)["rows"]
    data = form_data(signed_in)
    data[f"row-{rows[1]['uid']}-text"] = "  \n---\n "
    response = signed_in.post(PREVIEW, data)
    assert response.status_code == 400
    assert "Enter the text of the item, or choose to delete it." in response.content.decode()

    data[f"row-{rows[1]['uid']}-delete"] = "on"
    signed_in.post(PREVIEW, data)
    assert len(state_of(signed_in)["rows"]) == 3


def test_force_lead_gets_403(client, lead, force):
    client.force_login(lead)

    assert client.get(START).status_code == 403
    assert client.post(START, {"force": force.pk, "text": "x"}).status_code == 403
    assert client.get(PREVIEW).status_code == 403
    assert client.post(PREVIEW, {}).status_code == 403


def test_inspector_cannot_import_for_a_force_not_assigned(signed_in, force, other_force):
    response = start(signed_in, other_force, file=upload("9207.txt", REGISTER.read_bytes()))
    assert response.status_code == 400
    assert "Choose one of the forces you inspect." in response.content.decode()
    assert SESSION_KEY not in signed_in.session

    start(signed_in, force, file=upload("9207.txt", REGISTER.read_bytes()))
    response = signed_in.post(
        PREVIEW, form_data(signed_in, action="confirm", force=str(other_force.pk))
    )
    assert response.status_code == 400
    assert "Choose one of the forces you inspect." in response.content.decode()
    assert counts() == (0, 0, 0, 0)


def test_force_unassigned_between_preview_and_confirm_is_refused(signed_in, force, inspector):
    start(signed_in, force, file=upload("9207.txt", REGISTER.read_bytes()))
    data = form_data(signed_in, action="confirm")
    inspector.inspected_forces.clear()

    assert signed_in.post(PREVIEW, data).status_code == 400
    assert counts() == (0, 0, 0, 0)


def test_over_size_upload_is_refused(signed_in, force, settings):
    settings.TRACKER_IMPORT_MAX_BYTES = 1000

    response = start(signed_in, force, file=upload("9207.txt", REGISTER.read_bytes()))

    assert response.status_code == 400
    assert "The file must be smaller than 1,000 bytes." in response.content.decode()
    assert SESSION_KEY not in signed_in.session and counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scan.pdf", make_pdf([[]]), "This PDF has no text layer"),
        ("junk.txt", bytes(range(256)) * 8, "This file is not text"),
        ("report.docx", b"PK\x03\x04 word", "not a Word document"),
        ("report.odt", b"PK\x03\x04", "must be a PDF, a saved web page"),
        ("news.txt", (FIXTURES / "news_hmicfrs_cleveland_2025.txt").read_bytes(), "No causes"),
        ("empty.txt", b"", "The file is empty."),
        ("latin.txt", b"The force should \xe9 act \x81\x8d", "could not be read as text"),
    ],
)
def test_bad_uploads_show_the_error_and_write_nothing(signed_in, force, name, data, message):
    response = start(signed_in, force, file=upload(name, data))

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert SESSION_KEY not in signed_in.session and counts() == (0, 0, 0, 0)


def test_file_or_text_not_both_nor_neither(signed_in, force):
    both = start(signed_in, force, text="Text", file=upload("a.txt", b"More"))
    neither = start(signed_in, force)

    assert "not both" in both.content.decode()
    assert "Upload a file, or paste the text" in neither.content.decode()


def test_tampered_session_state_is_rejected_on_confirm(signed_in, force):
    start(signed_in, force, file=upload("9207.txt", REGISTER.read_bytes()))
    data = form_data(signed_in, action="confirm")
    session = signed_in.session
    session[SESSION_KEY]["rows"][1]["kind"] = "bogus"
    session.save()

    response = signed_in.post(PREVIEW, data)

    assert response.status_code == 302 and response["Location"] == START
    assert counts() == (0, 0, 0, 0)


def test_stale_preview_is_not_applied(signed_in, force):
    start(signed_in, force, file=upload("9207.txt", REGISTER.read_bytes()))
    stale = form_data(signed_in, action="confirm")
    signed_in.post(PREVIEW, form_data(signed_in))  # another tab updated the preview

    response = signed_in.post(PREVIEW, stale)

    assert response.status_code == 409
    assert "changed in another window" in response.content.decode()
    assert counts() == (0, 0, 0, 0)


def test_preview_without_a_started_import_goes_to_step_one(signed_in):
    assert signed_in.get(PREVIEW)["Location"] == START


# -- the preview's editing rules (pure) -----------------------------------------------------


def _state(*rows):
    return {
        "version": 1,
        "source_hash": "x" * 64,
        "revision": 0,
        "next_uid": len(rows),
        "rows": [
            {
                "uid": uid,
                "kind": kind,
                "reference": "",
                "parent": parent,
                "text": f"Text {uid}",
                "deadline": {
                    "rule": "none",
                    "phrase": "",
                    "months": 0,
                    "weeks": 0,
                    "days": 0,
                    "on": None,
                },
                "status": "awaiting-review",
                "history": [],
            }
            for uid, (kind, parent) in enumerate(rows)
        ],
    }


def _keep(row, **changes):
    return RowEdit(
        kind=row["kind"],
        reference="",
        text=row["text"],
        parent=row["parent"],
        rule=row["deadline"]["rule"],
        **changes,
    )


def test_merging_a_cause_of_concern_moves_its_recommendations_up():
    state = _state(("cause-of-concern", None), ("cause-of-concern", None), ("recommendation", 1))
    edits = {row["uid"]: _keep(row) for row in state["rows"]}
    edits[1] = _keep(state["rows"][1], merge=True)

    rows = apply_edits(state, edits)["rows"]

    assert [row["uid"] for row in rows] == [0, 2]
    assert rows[0]["text"] == "Text 0 Text 1" and rows[1]["parent"] == 0


def test_deleting_a_cause_of_concern_leaves_its_recommendations_under_the_inspection():
    state = _state(("cause-of-concern", None), ("recommendation", 0))
    edits = {0: _keep(state["rows"][0], delete=True), 1: _keep(state["rows"][1])}

    assert apply_edits(state, edits)["rows"][0]["parent"] is None


def test_split_text():
    assert split_text("a\n---\nb\n --- \n\n---\nc") == ["a", "b", "c"]
    assert split_text("a --- b") == ["a --- b"]


# -- the time limit ----------------------------------------------------------------------------


def test_a_publication_that_takes_too_long_to_read_is_refused_with_a_message(
    signed_in, force, slow_clock
):
    response = start(signed_in, force, text=PEEL.read_text(encoding="utf-8"))

    assert response.status_code == 400
    assert "This publication took too long to read (more than 2 seconds)" in (
        response.content.decode()
    )
    assert SESSION_KEY not in signed_in.session


def test_a_pdf_that_takes_too_long_to_read_is_refused_with_a_message(signed_in, force, slow_clock):
    pages = [[f"Line {number} of page {page}." for number in range(40)] for page in range(3)]

    response = start(signed_in, force, file=upload("report.pdf", make_pdf(pages)))

    assert response.status_code == 400
    html = response.content.decode()
    assert "This publication took too long to read (more than 10 seconds)" in html
    assert "Paste its text instead" in html


def test_confirming_past_the_time_limit_writes_nothing(signed_in, force, monkeypatch):
    start(signed_in, force, file=upload("9207.txt", REGISTER.read_bytes()))
    data = form_data(signed_in, action="confirm")
    monkeypatch.setattr(import_service, "time_limit_seconds", lambda: -1.0)  # out of time

    response = signed_in.post(PREVIEW, data)

    assert response.status_code == 400
    assert "This publication took too long to import (more than -1 seconds)" in (
        response.content.decode()
    )
    assert counts() == (0, 0, 0, 0)
    assert SESSION_KEY in signed_in.session  # the corrected preview is kept, to try again

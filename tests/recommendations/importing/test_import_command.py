"""``manage.py import_report``: JSON output, dry run, stdin, and bad input that writes nothing."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from recommendations.models import CauseOfConcern, Inspection, Item, TimelineEntry, TimelineKind
from recommendations.services import imports as import_service

from .conftest import FIXTURES
from .pdf_builder import make_pdf

pytestmark = pytest.mark.django_db

REGISTER = FIXTURES / "register_cleveland_2018_9207.txt"
PEEL = FIXTURES / "peel_cleveland_2021_22.txt"
NEWS = FIXTURES / "news_hmicfrs_cleveland_2025.txt"


def run(*args, stdin=None) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    extra = {"stdin": stdin} if stdin is not None else {}
    call_command("import_report", *map(str, args), stdout=out, stderr=err, **extra)
    return out.getvalue(), err.getvalue()


def counts() -> tuple:
    return tuple(m.objects.count() for m in (Inspection, CauseOfConcern, Item, TimelineEntry))


def test_json_output_for_the_register_entry(force):
    out, _ = run(REGISTER, "--force", "Cleveland Police", "--published", "2018-08-07", "--json")

    data = json.loads(out)
    assert set(data) == {"inspection", "grades", "items", "warnings", "created", "skipped"}
    assert data["inspection"] == {
        "title": "Cleveland Police: Crime Data Integrity inspection 2018",
        "published_on": "2018-08-07",
        "issued_on": None,
    }
    assert data["grades"] == []
    assert (data["created"], data["skipped"]) == (4, 0)
    cause, *recommendations = data["items"]
    assert cause["kind"] == "cause-of-concern"
    assert cause["reference"] == "9207" and cause["parent"] is None
    assert cause["deadline"] == {"rule": "none", "phrase": ""} and cause["due_on"] is None
    assert cause["text"].startswith("In Cleveland Police, officers and staff too often fail")
    assert [item["kind"] for item in recommendations] == ["recommendation"] * 3
    assert [item["reference"] for item in recommendations] == ["9207/1", "9207/2", "9207/3"]
    assert [item["parent"] for item in recommendations] == [0, 0, 0]
    assert [item["due_on"] for item in recommendations] == [
        "2018-11-07",
        "2019-02-07",
        "2019-02-07",
    ]
    assert [item["deadline"] for item in recommendations] == [
        {"rule": "relative", "phrase": "Within three months"},
        {"rule": "relative", "phrase": "Within six months"},
        {"rule": "relative", "phrase": "Within six months"},
    ]
    for item in data["items"]:
        assert item["status"] == "awaiting-review"
        assert item["history"] == [{"on": "2018-08-07", "status": "awaiting-review", "comment": ""}]
    assert recommendations[2]["text"].endswith("officers deployed to incidents.")

    inspection = Inspection.objects.get()
    assert inspection.programme == "crime-data-integrity"
    assert Item.objects.filter(inspection=inspection).count() == 3
    imported = TimelineEntry.objects.filter(kind=TimelineKind.IMPORTED)
    assert imported.count() == 4 and set(imported.values_list("actor", flat=True)) == {None}


def test_register_without_a_stated_date_takes_its_event_log_date(force):
    out, _ = run(REGISTER, "--force", "cleveland-police", "--json", "--dry-run")

    data = json.loads(out)
    assert data["inspection"]["published_on"] == "2018-08-07"
    assert data["items"][1]["due_on"] == "2018-11-07"


def test_dates_on_the_command_line_override_the_text(force):
    out, _ = run(
        REGISTER,
        "--force",
        "Cleveland Police",
        "--published",
        "2018-08-07",
        "--issued",
        "2018-07-31",
        "--json",
    )

    data = json.loads(out)
    assert data["inspection"]["issued_on"] == "2018-07-31"
    assert data["items"][1]["due_on"] == "2018-10-31"


def test_second_import_creates_nothing(force):
    run(REGISTER, "--force", "Cleveland Police")
    before = counts()

    out, err = run(REGISTER, "--force", "Cleveland Police", "--json")

    assert counts() == before
    data = json.loads(out)
    assert (data["created"], data["skipped"]) == (0, 4)
    assert "already imported on" in err


def test_human_output(force):
    out, _ = run(REGISTER, "--force", "Cleveland Police")

    assert out.startswith("Imported 4 items.")
    assert "Cleveland Police: Crime Data Integrity inspection 2018" in out


def test_dry_run_writes_nothing(force):
    out, _ = run(
        PEEL,
        "--force",
        "Cleveland Police",
        "--published",
        "2023-03-17",
        "--title",
        "PEEL 2021/22",
        "--dry-run",
        "--json",
    )

    assert counts() == (0, 0, 0, 0)
    data = json.loads(out)
    assert len(data["grades"]) == 10
    assert [item["kind"] for item in data["items"]].count("cause-of-concern") == 2
    assert (data["created"], data["skipped"]) == (0, 0)


def test_standard_input(force):
    stdin = io.BytesIO(REGISTER.read_bytes())

    out, _ = run("-", "--force", "Cleveland Police", "--json", stdin=stdin)

    assert json.loads(out)["created"] == 4
    assert Inspection.objects.count() == 1


def test_pdf_file(force, tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(
        make_pdf(
            [
                [
                    "Published: 1 May 2024",
                    "Cause of concern",
                    "The force does not supervise investigations well enough.",
                    "Recommendations",
                    "Within three months, the force should:",
                    "• make sure every investigation has a plan; and",
                    "• audit the quality of its investigations.",
                ]
            ]
        )
    )

    out, _ = run(path, "--force", "Cleveland Police", "--title", "Letter", "--json")

    data = json.loads(out)
    assert [item["kind"] for item in data["items"]] == ["cause-of-concern"] + ["recommendation"] * 2
    assert {item["due_on"] for item in data["items"][1:]} == {"2024-08-01"}


def _bad_files(tmp_path):
    files = {
        "empty": b"",
        "binary": bytes(range(256)) * 20,
        "encoding": "Recommendation: the force should act \u00e9".encode("utf-16-le") + b"\xff",
        "no-text-layer": make_pdf([[]]),
        "no-findings": NEWS.read_bytes(),
    }
    paths = {}
    for name, data in files.items():
        path = tmp_path / (f"{name}.pdf" if name == "no-text-layer" else f"{name}.txt")
        path.write_bytes(data)
        paths[name] = path
    return paths


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty", "empty"),
        ("binary", "not text"),
        ("encoding", "not text"),
        ("no-text-layer", "no text layer"),
        ("no-findings", "No causes of concern"),
    ],
)
def test_bad_files_are_refused_and_write_nothing(force, tmp_path, name, message):
    path = _bad_files(tmp_path)[name]

    with pytest.raises(CommandError, match=message) as error:
        run(path, "--force", "Cleveland Police", "--published", "2024-01-01", "--title", "T")

    assert "\n" not in str(error.value)
    assert counts() == (0, 0, 0, 0)


def test_undecodable_text_is_refused(force, tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Caf\u00e9 ".encode("cp1252") * 5 + b"\x81\x8d\x8f\x90\x9d" * 40)

    with pytest.raises(CommandError, match="could not be read as text"):
        run(path, "--force", "Cleveland Police")
    assert counts() == (0, 0, 0, 0)


def test_file_over_the_size_limit(force, settings):
    settings.TRACKER_IMPORT_MAX_BYTES = 1000

    with pytest.raises(CommandError, match="smaller than 1,000 bytes"):
        run(REGISTER, "--force", "Cleveland Police")
    with pytest.raises(CommandError, match="smaller than"):
        run("-", "--force", "Cleveland Police", stdin=io.BytesIO(REGISTER.read_bytes()))
    assert counts() == (0, 0, 0, 0)


def test_unknown_force_says_how_to_find_the_names(force):
    with pytest.raises(CommandError, match=r"Did you mean “Cleveland Police”.*--list-forces"):
        run(REGISTER, "--force", "Clevland Police")
    assert counts() == (0, 0, 0, 0)


def test_list_forces(force, other_force):
    out, _ = run("--list-forces")
    assert "Cleveland Police\tcleveland-police" in out
    assert other_force.name in out


def test_missing_publication_date_says_so(force):
    with pytest.raises(CommandError, match="--published"):
        run(PEEL, "--force", "Cleveland Police", "--title", "PEEL 2021/22")
    assert counts() == (0, 0, 0, 0)


def test_a_text_without_a_title_gets_a_stable_default_title(force, tmp_path):
    """As in the issue's signature: no --title needed; a second import is recognised."""
    untitled = tmp_path / "untitled.txt"
    untitled.write_text(
        "Areas for improvement\nThe force should improve how it records stop and search.\n"
    )
    out, err = run(untitled, "--force", "Cleveland Police", "--published", "2023-03-17", "--json")
    title = "Cleveland Police: inspection published 17 March 2023"
    assert json.loads(out)["inspection"]["title"] == title
    assert "--title" in err
    assert Inspection.objects.get().title == title
    again, _ = run(untitled, "--force", "Cleveland Police", "--published", "2023-03-17", "--json")
    assert json.loads(again)["created"] == 0


def test_missing_file_and_bad_dates(force, tmp_path):
    with pytest.raises(CommandError, match="no file"):
        run(tmp_path / "missing.txt", "--force", "Cleveland Police")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run(REGISTER, "--force", "Cleveland Police", "--published", "7 August 2018")
    with pytest.raises(CommandError, match="issue date"):
        run(
            REGISTER,
            "--force",
            "Cleveland Police",
            "--published",
            "2018-08-07",
            "--issued",
            "2018-09-01",
        )
    assert counts() == (0, 0, 0, 0)


def test_published_date_is_kept(force):
    run(REGISTER, "--force", "Cleveland Police", "--published", "2018-08-08")
    assert Inspection.objects.get().published_on == date(2018, 8, 8)


def test_reading_past_the_time_limit_is_refused_and_writes_nothing(force, slow_clock):
    with pytest.raises(CommandError, match="took too long to read") as error:
        run(PEEL, "--force", "Cleveland Police", "--published", "2023-03-17")

    assert "\n" not in str(error.value)
    assert counts() == (0, 0, 0, 0)


def test_importing_past_the_time_limit_writes_nothing(force, monkeypatch):
    monkeypatch.setattr(import_service, "time_limit_seconds", lambda: -1.0)  # out of time

    with pytest.raises(CommandError, match="took too long to import"):
        run(REGISTER, "--force", "Cleveland Police")

    assert counts() == (0, 0, 0, 0)

"""The preview says what the text says: warnings, the force it names, grades-only imports."""

import pytest

from recommendations.models import Inspection
from tests.factories import ForceFactory

from .test_import_views import PREVIEW, counts, form_data, signed_in, start, state_of

__all__ = ["signed_in"]  # the fixture, shared with the import view tests
pytestmark = pytest.mark.django_db

EMPTY_BOX = (
    "Cleveland Police: fictional inspection 2024\nPublished: 3 June 2024\n"
    "Cause of concern\nSummary\n"
    "Areas for improvement\nThe force should improve how it records stop and search\n"
)
GRADES_ONLY = (
    "Cleveland Police: fictional grades 2024\nPublished: 3 June 2024\n"
    "Question Score\nInvestigating crime Good\nResponding to the public Adequate\n"
)


def test_a_heading_with_nothing_under_it_is_a_warning_in_the_preview(signed_in, force):
    start(signed_in, force, text=EMPTY_BOX)

    html = signed_in.get(PREVIEW).content.decode()

    assert "Nothing was found under the heading “Cause of concern”" in html


def test_a_grades_only_publication_imports_its_grades(signed_in, force):
    start(signed_in, force, text=GRADES_ONLY)
    assert state_of(signed_in)["rows"] == []

    response = signed_in.post(PREVIEW, form_data(signed_in, action="confirm"), follow=True)

    assert response.status_code == 200
    inspection = Inspection.objects.get()
    assert dict(inspection.judgments.values_list("area", "grade")) == {
        "Investigating crime": "good",
        "Responding to the public": "adequate",
    }


def test_a_text_about_another_force_must_be_confirmed(signed_in, force):
    ForceFactory(name="Northshire Police")
    text = EMPTY_BOX + (
        "Northshire Police is good at investigating crime.\n"
        "Northshire Police is adequate at responding to the public.\n"
    )
    start(signed_in, force, text=text)
    html = signed_in.get(PREVIEW).content.decode()
    assert "The text names Northshire Police most often" in html

    refused = signed_in.post(
        PREVIEW, form_data(signed_in, action="confirm", title="Fictional 2024")
    )
    assert refused.status_code == 400
    assert counts() == (0, 0, 0, 0)

    confirmed = signed_in.post(
        PREVIEW,
        form_data(signed_in, action="confirm", title="Fictional 2024", confirm_force="on"),
    )
    assert confirmed.status_code == 302
    assert Inspection.objects.get().force == force

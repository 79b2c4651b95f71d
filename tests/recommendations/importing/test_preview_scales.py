"""The preview scales: a publication of 100 findings is previewed, corrected and confirmed."""

from urllib.parse import urlencode

import pytest
from django.test import override_settings

from recommendations.importing.limits import MAX_FINDINGS
from recommendations.models import Item
from tests.dates import date_fields

from .test_import_views import PREVIEW, counts, form_data, signed_in, start, state_of

__all__ = ["signed_in"]
pytestmark = pytest.mark.django_db

LONG_REPORT = "Cleveland Police: a long fictional report 2024\nPublished: 3 June 2024\n" + (
    "Areas for improvement\n"
    + "".join(f"• The force should improve process number {n}.\n" for n in range(MAX_FINDINGS))
)


def _post(client, data):
    """As the browser posts the preview form: url-encoded."""
    return client.post(PREVIEW, urlencode(data), content_type="application/x-www-form-urlencoded")


def _as_the_browser_posts(client, action) -> dict:
    """Every field of every row, the blank due date included, as a browser sends them."""
    data = form_data(client, action=action)
    for row in state_of(client)["rows"]:
        data |= date_fields(f"row-{row['uid']}-due_on", None)
    return data


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=500)
def test_a_hundred_findings_are_previewed_corrected_and_confirmed(signed_in, force):
    """The preview has its own field limit, sized for MAX_FINDINGS rows of every field,
    whatever DATA_UPLOAD_MAX_NUMBER_FIELDS allows other forms."""
    start(signed_in, force, text=LONG_REPORT)
    assert len(state_of(signed_in)["rows"]) == MAX_FINDINGS

    data = _as_the_browser_posts(signed_in, "preview")
    data["row-99-text"] = "The force should improve its last process."
    assert len(data) > 500  # more than the (lowered) limit every other form keeps
    assert _post(signed_in, data).status_code == 302
    assert state_of(signed_in)["rows"][-1]["text"] == "The force should improve its last process."

    response = _post(signed_in, _as_the_browser_posts(signed_in, "confirm"))

    assert response.status_code == 302
    assert Item.objects.count() == MAX_FINDINGS


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=50)
def test_other_forms_keep_the_field_limit(signed_in, force):
    flood = {f"field{n}": "x" for n in range(60)}
    response = signed_in.post("/import/", {"force": force.pk, **flood})
    assert response.status_code == 400
    assert counts() == (0, 0, 0, 0)

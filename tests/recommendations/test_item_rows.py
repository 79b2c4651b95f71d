"""The item table's rows, written in Python for speed, say what the template said and escape
every text from the database."""

from datetime import date

import pytest
import time_machine

from tests.factories import InspectionFactory, ItemFactory

pytestmark = pytest.mark.django_db


@time_machine.travel(date(2026, 3, 2), tick=False)
def test_a_row_escapes_the_texts_and_shortens_the_item_text(client, lead, force):
    inspection = InspectionFactory(force=force, title="PEEL <b>2025</b>")
    words = " ".join(f"word{n}" for n in range(30))
    item = ItemFactory(
        inspection=inspection,
        force=force,
        text=f"<script>alert(1)</script> {words}",
        due_on=date(2026, 3, 1),
    )
    client.force_login(lead)

    html = client.get("/items/").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; word0" in html
    assert "word16 …</span>" in html and "word17" not in html
    assert "PEEL &lt;b&gt;2025&lt;/b&gt;" in html
    assert f'href="/items/{item.pk}/"' in html
    assert f'value="{item.pk}" id="select-{item.pk}" form="bulk-form"' in html
    assert "1 Mar 2026" in html and "by 1 day" in html


def test_the_item_pages_owner_questions_offer_the_forces_members_only(
    client, lead, owner, force, other_lead
):
    from tests.factories import SponsorFactory

    sponsor = SponsorFactory(force=force)
    item = ItemFactory(inspection=InspectionFactory(force=force), force=force)
    client.force_login(lead)

    html = client.get(f"/items/{item.pk}/").content.decode()

    for prefix in ("owner", "action"):
        select = html[html.index(f'name="{prefix}-owner"') :]
        select = select[: select.index("</select>")]
        assert f'<option value="{owner.pk}">{owner}</option>' in select
        assert f'value="{lead.pk}"' in select
        assert f'value="{sponsor.pk}"' not in select  # sponsors follow, they do not own
        assert f'value="{other_lead.pk}"' not in select

"""The public register: anonymous, read-only, GOV.UK pages showing exactly the published
findings' reference, text, deadline, due date, status and dated status history."""

from __future__ import annotations

import csv
import html
import io
import re
from collections import deque
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations import services
from tests import factories
from tests.public_register.conftest import SECRETS

pytestmark = pytest.mark.django_db

SITE = "https://tracker.example.gov.uk"
LINK = re.compile(r'href="([^"]+)"')


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def crawl(client: Client, starts: list[str]) -> dict[str, str]:
    """Every register page reachable by links from the start pages."""
    seen: dict[str, str] = {}
    queue = deque(starts)
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        seen[url] = text = body(response)
        for link in LINK.findall(text) + re.findall(r"<link href=\"([^\"]+)\"", text):
            link = html.unescape(link).removeprefix(SITE)
            if link.startswith("/register/") and "#" not in link:
                queue.append(link)
            elif link.startswith("?"):
                queue.append(url.split("?")[0] + link)
    return seen


def test_crawling_every_public_page_finds_no_unpublished_or_private_data(world, force):
    client = Client()
    starts = [
        "/register/",
        "/register/search/?q=SECRET",
        "/register/search/?q=force",
        f"/register/search/?force={force.slug}",
        "/register/search/?q=9207",
        "/register/register.csv?q=SECRET",
    ]
    pages = crawl(client, starts)

    expected = {
        "/register/",
        f"/register/forces/{force.slug}/",
        f"/register/inspections/{world.published.pk}/",
        f"/register/items/{world.recommendation.pk}/",
        f"/register/items/{world.area.pk}/",
        "/register/register.csv",
        "/register/status-changes.atom",
    }
    assert expected <= set(pages)
    for url, text in pages.items():
        leaked = [secret for secret in SECRETS if secret in text]
        assert not leaked, f"{url} shows {leaked}"
    everything = "\n".join(pages.values())
    for shown in ("PUBLISHED-RECOMMENDATION", "PUBLISHED-AREA", "PUBLIC-CLOSING-COMMENT"):
        assert shown in everything


def test_unpublished_pages_are_404(world, other_force):
    client = Client()
    for url in (
        reverse("register:item", args=[world.hidden.pk]),
        reverse("register:item", args=[world.other.pk]),
        reverse("register:item", args=[world.withdrawn.pk]),
        reverse("register:inspection", args=[world.unpublished.pk]),
        reverse("register:inspection", args=[world.withdrawn_inspection.pk]),
        reverse("register:force", args=[other_force.slug]),
        reverse("register:item", args=[99999]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_item_page_shows_the_public_fields_and_dated_status_history(world):
    page = Client().get(reverse("register:item", args=[world.recommendation.pk]))
    text = page.content.decode()

    assert page.status_code == 200
    assert '<h1 class="govuk-heading-l">Recommendation 9207/2</h1>' in text
    assert "PUBLISHED-RECOMMENDATION" in text
    assert "Within three months" in text  # the deadline
    assert "9 April 2025" in text  # the due date
    assert "Complete" in text
    # The dated history: published, submitted, sent back, submitted, completed.
    for day in ("11 March 2025", "12 March 2025", "13 March 2025", "14 March 2025"):
        assert day in text
    assert "Being progressed → Awaiting review" in text
    assert "Awaiting review → Complete" in text
    assert "PUBLIC-CLOSING-COMMENT" in text


def test_areas_for_improvement_only_when_the_setting_allows(world, settings):
    settings.TRACKER_REGISTER_AREAS_FOR_IMPROVEMENT = False
    client = Client()
    assert client.get(reverse("register:item", args=[world.area.pk])).status_code == 404
    inspection = client.get(reverse("register:inspection", args=[world.published.pk]))
    assert "PUBLISHED-AREA" not in inspection.content.decode()
    assert "PUBLISHED-RECOMMENDATION" in inspection.content.decode()


def test_search_finds_published_findings_only(world):
    client = Client()
    found = client.get(reverse("register:search"), {"q": "audit crime"}).content.decode()
    assert "1 finding" in found
    assert "PUBLISHED-RECOMMENDATION" in found
    nothing = client.get(reverse("register:search"), {"q": "SECRET-UNPUBLISHED"})
    assert "0 findings" in nothing.content.decode()


@pytest.mark.parametrize(
    "query", [{"q": "x" * 5000}, {"page": "-1", "q": "a"}, {"inspection": "9" * 40}, {"force": "%"}]
)
def test_odd_queries_never_fail(world, query):
    assert Client().get(reverse("register:search"), query).status_code == 200
    assert Client().get(reverse("register:download"), query).status_code == 200


def test_csv_has_the_public_columns_and_rows(world, force):
    response = Client().get(reverse("register:download"), {"force": force.slug})
    rows = list(csv.reader(io.StringIO(body(response))))

    assert response["Content-Type"].startswith("text/csv")
    assert rows[0] == [
        "Force",
        "Inspection",
        "Published",
        "Kind",
        "Reference",
        "Text",
        "Deadline",
        "Due date",
        "Status",
        "Status since",
        "Register page",
    ]
    references = sorted(row[4] for row in rows[1:])
    assert references == sorted(["9207/2", world.area.display_reference])


def test_the_atom_feed_lists_status_changes_without_private_comments(world, force, other_force):
    response = Client().get(reverse("register:status-changes"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 (our own output)
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("atom:entry", ns)
    titles = [e.findtext("atom:title", namespaces=ns) for e in entries]

    assert titles[0] == "Recommendation 9207/2 (Cleveland Police): Awaiting review → Complete"
    assert len(titles) == 4
    links = {e.find("atom:link", ns).get("href") for e in entries}
    assert links == {f"{SITE}/register/items/{world.recommendation.pk}/"}
    text = response.content.decode()
    assert "PUBLIC-CLOSING-COMMENT" in text
    assert not [secret for secret in SECRETS if secret in text]
    elsewhere = Client().get(reverse("register:status-changes"), {"force": other_force.slug})
    assert not ElementTree.fromstring(elsewhere.content).findall("atom:entry", ns)  # noqa: S314


def test_pages_are_govuk_pass_the_csp_and_say_nothing_about_a_signed_in_visitor(world, lead):
    client = Client()
    client.force_login(lead)
    for url in (
        reverse("register:index"),
        reverse("register:inspection", args=[world.published.pk]),
        reverse("register:item", args=[world.recommendation.pk]),
        reverse("register:search") + "?q=audit",
    ):
        response = client.get(url)
        text = response.content.decode()
        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert 'class="govuk-template"' in text
        assert "govuk-frontend.min.js" in text
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"inline script on {url}"
        assert "style=" not in text
        assert "Signed in" not in text and "Sign out" not in text
        assert "public" in response["Cache-Control"]


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_each_page_runs_a_fixed_number_of_queries_and_none_once_cached(world, force):
    urls = [
        reverse("register:index"),
        reverse("register:force", args=[force.slug]),
        reverse("register:inspection", args=[world.published.pk]),
        reverse("register:item", args=[world.recommendation.pk]),
        reverse("register:search") + "?q=the",
        reverse("register:status-changes"),
    ]
    few = {url: _queries(Client(), url) for url in urls}
    assert {url: _queries(Client(), url) for url in urls} == dict.fromkeys(urls, 0)

    for n in range(30):
        item = factories.ItemFactory(
            inspection=world.published, text=f"More findings {n}", reference=f"X{n}", new=True
        )
        factories.ActionFactory(item=item)
        factories.TimelineEntryFactory(
            item=item,
            kind="status-changed",
            status_from="being-progressed",
            status_to="awaiting-review",
        )
    many = {url: _queries(Client(), url) for url in urls}

    assert many == few
    assert max(few.values()) <= 3


def test_a_change_shows_at_once_despite_the_cache(world, inspector):
    client = Client()
    url = reverse("register:inspection", args=[world.published.pk])
    assert "Complete" in client.get(url).content.decode()

    services.item_transition(
        item=world.recommendation, user=inspector, transition="reopen", comment="Found again."
    )
    assert "Being progressed" in client.get(url).content.decode()

    services.inspection_unpublish(inspection=world.published, user=inspector)
    assert client.get(url).status_code == 404
    assert "PUBLISHED" not in client.get(reverse("register:index")).content.decode()


@pytest.mark.parametrize("url", ["/register/search/", "/register/status-changes.atom"])
def test_a_nul_character_in_the_search_is_not_a_server_error(client, url):
    # PostgreSQL refuses NUL in text: the words are searched without it.
    response = client.get(url, {"q": "audit\x00x", "force": "cleveland\x00"})
    assert response.status_code in (200, 404)

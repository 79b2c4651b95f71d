"""The OpenAPI schema and the documentation page, which works under the strict CSP."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_schema_is_openapi_3_and_documents_every_endpoint(client, lead):
    client.force_login(lead)
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in [
        "/api/forces/",
        "/api/inspections/{id}/",
        "/api/causes-of-concern/",
        "/api/items/",
        "/api/items/{id}/transitions/",
        "/api/items/{id}/progress-updates/",
        "/api/actions/{id}/",
        "/api/progress-updates/",
        "/api/evidence/",
        "/api/timeline/",
    ]:
        assert path in paths
    # Writes are exactly those the pages allow through the API; nothing deletes.
    writes = sorted(
        (method, path)
        for path, operations in paths.items()
        for method in operations
        if method != "get"
    )
    assert writes == [
        ("patch", "/api/actions/{id}/"),
        ("post", "/api/items/{id}/progress-updates/"),
        ("post", "/api/items/{id}/transitions/"),
    ]
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"
    item_filters = {p["name"] for p in paths["/api/items/"]["get"]["parameters"]}
    assert {
        "force",
        "inspection",
        "kind",
        "status",
        "due_before",
        "due_after",
        "overdue",
        "owner",
        "q",
        "ordering",
        "page",
    } <= item_filters


def test_the_schema_needs_credentials(client):
    assert client.get(reverse("api:schema")).status_code == 401


def test_the_docs_page_needs_sign_in(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_docs_page_has_no_inline_script_or_style_and_its_files_are_ours(client, lead):
    client.force_login(lead)
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    page = response.content.decode()
    assert "<style" not in page
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all('src="' in attrs for attrs in scripts)
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    for source in sources:
        assert source.startswith("/"), f"{source} is not served by us"
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), source
    start_up = next(s for s in sources if "script" in s and not s.startswith("/static/"))
    script = client.get(start_up.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema") in script.content.decode()


def test_the_schema_is_valid_and_generated_without_warnings(tmp_path):
    """drf-spectacular's own validation (OpenAPI 3), failing on any warning (an endpoint it
    cannot describe)."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "api.yaml")
    assert "openapi: 3.0" in (tmp_path / "api.yaml").read_text()

"""Fetching a publication by its address, against a real HTTP server on loopback, and every
way in to the import (address, upload, paste) giving the same preview.

Two servers, on 127.0.0.1 and 127.0.0.2, stand in for the inspectorate's websites; the
allow-list is pointed at them (plain http is allowed for them in these tests only).
"""

from __future__ import annotations

import contextlib
import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from recommendations.importing import PublicationParseError
from recommendations.importing.documents import html_text
from recommendations.importing.fetch import fetch_publication
from recommendations.models import CauseOfConcern, Inspection, Item, TimelineEntry
from recommendations.views.imports import SESSION_KEY

from .pdf_builder import make_pdf
from .test_pdf import REPORT_PAGES

HTML_PAGE = b"""<!doctype html><html><head><title>Northshire Police</title></head><body>
<nav>Home</nav><main><h1>PEEL 2023-2025: Northshire Police</h1>
<h2>Cause of concern</h2><p>The force doesn't supervise its investigations well enough.</p>
<h2>Recommendations</h2><p>Within three months, the force should audit its investigations.</p>
</main></body></html>"""
PDF = make_pdf(REPORT_PAGES)


class _Handler(BaseHTTPRequestHandler):
    routes: dict = {}

    def log_message(self, *args):  # keep the test output quiet
        pass

    def do_GET(self):
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        route(self)


def _send(handler, body: bytes, content_type: str, status: int = 200, **headers) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.end_headers()
    handler.wfile.write(body)


def _redirect(to: str):
    def route(handler):
        handler.send_response(302)
        handler.send_header("Location", to)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return route


def _slow(handler):
    time.sleep(1.5)
    _send(handler, HTML_PAGE, "text/html")


def _trickle(handler):
    """Answers at once, then sends a byte every 0.1 s: each read is quick, the whole is not."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.end_headers()
    for _ in range(40):
        try:
            handler.wfile.write(b"x")
            handler.wfile.flush()
        except OSError:
            return
        time.sleep(0.1)


def _big_unannounced(handler):
    """Too large, without saying so in advance (no Content-Length)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.end_headers()
    with contextlib.suppress(OSError):
        handler.wfile.write(b"x" * 5000)


@pytest.fixture(scope="module")
def servers():
    started = []
    for host in ("127.0.0.1", "127.0.0.2"):
        server = ThreadingHTTPServer((host, 0), _Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
    one, two = (f"http://{s.server_address[0]}:{s.server_address[1]}" for s in started)
    _Handler.routes = {
        "/report.html": lambda h: _send(h, HTML_PAGE, "text/html; charset=utf-8"),
        "/report.pdf": lambda h: _send(h, PDF, "application/pdf"),
        "/report.txt": lambda h: _send(h, b"Cause of concern\nThe force should act.", "text/plain"),
        "/big": lambda h: _send(h, b"x" * 5000, "text/plain"),
        "/big-unannounced": _big_unannounced,
        "/image.png": lambda h: _send(h, b"\x89PNG\r\n\x1a\n", "image/png"),
        "/slow": _slow,
        "/trickle": _trickle,
        "/to-two": _redirect(f"{two}/report.html"),
        "/relative": _redirect("/report.pdf"),
        "/off-the-list": _redirect("http://127.0.0.3:9/report.html"),
        "/loop": _redirect("/loop"),
    }
    yield one, two
    for server in started:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def allow_loopback(settings):
    settings.TRACKER_IMPORT_ALLOWED_HOSTS = ["127.0.0.1", "127.0.0.2"]
    settings.TRACKER_IMPORT_ALLOW_HTTP = True
    settings.TRACKER_IMPORT_FETCH_TIMEOUT = 1.0


def _refused(url: str) -> str:
    with pytest.raises(PublicationParseError) as refused:
        fetch_publication(url)
    return refused.value.message


def test_a_web_page_is_fetched_and_read_as_html(servers):
    one, _ = servers
    fetched = fetch_publication(f"{one}/report.html")
    assert (fetched.data, fetched.suffix, fetched.url) == (HTML_PAGE, ".html", f"{one}/report.html")


def test_a_pdf_and_a_text_file_are_read_by_their_content_type(servers):
    one, _ = servers
    assert fetch_publication(f"{one}/report.pdf").suffix == ".pdf"
    assert fetch_publication(f"{one}/report.txt").suffix == ".txt"


def test_a_redirect_to_an_allowed_host_is_followed_and_its_address_kept(servers):
    one, two = servers
    fetched = fetch_publication(f"{one}/to-two")
    assert fetched.url == f"{two}/report.html" and fetched.data == HTML_PAGE
    assert fetch_publication(f"{one}/relative").url == f"{one}/report.pdf"


def test_a_redirect_off_the_list_is_refused(servers):
    one, _ = servers
    assert "redirects to 127.0.0.3" in _refused(f"{one}/off-the-list")


def test_endless_redirects_stop(servers):
    one, _ = servers
    assert "redirects more than 3 times" in _refused(f"{one}/loop")


def test_a_host_off_the_list_is_refused_before_any_connection(servers):
    message = _refused("https://www.example.com/report.html")
    assert message.startswith("Only publications on the inspectorate’s websites can be fetched")


def test_a_listed_name_that_resolves_to_a_local_address_is_refused(servers, settings):
    one, _ = servers
    settings.TRACKER_IMPORT_ALLOWED_HOSTS = ["localhost"]
    port = one.rsplit(":", 1)[1]
    assert "private or local network address" in _refused(f"http://localhost:{port}/report.html")


def test_plain_http_is_refused_unless_allowed(servers, settings):
    one, _ = servers
    settings.TRACKER_IMPORT_ALLOW_HTTP = False
    assert _refused(f"{one}/report.html") == "The web address must begin with https://."


def test_not_found(servers):
    one, _ = servers
    assert "no publication at this address" in _refused(f"{one}/missing")


def test_too_large_announced_or_not(servers, settings):
    one, _ = servers
    settings.TRACKER_IMPORT_MAX_BYTES = 4000
    assert "larger than 4,000 bytes" in _refused(f"{one}/big")
    assert "larger than 4,000 bytes" in _refused(f"{one}/big-unannounced")


def test_a_slow_website_runs_out_of_time(servers):
    one, _ = servers
    started = time.monotonic()
    assert "took too long" in _refused(f"{one}/slow")
    assert "took too long" in _refused(f"{one}/trickle")
    assert time.monotonic() - started < 4  # two limits of one second each, not the server's 5.5


def test_an_unsupported_type_is_refused(servers):
    one, _ = servers
    assert "(image/png)" in _refused(f"{one}/image.png")


@pytest.mark.parametrize(
    "url",
    ["ftp://127.0.0.1/report.html", "https://", "https://user:pw@127.0.0.1/x", "x" * 600],
)
def test_malformed_addresses_are_refused(url):
    assert _refused(url)


# --- Every way in: the import page and the command ----------------------------------------


def _counts() -> tuple:
    return tuple(m.objects.count() for m in (Inspection, CauseOfConcern, Item, TimelineEntry))


@pytest.fixture
def signed_in(client, inspector):
    client.force_login(inspector)
    return client


def _start(client, force, **data):
    return client.post(reverse("recommendations:import"), {"force": force.pk, **data})


@pytest.mark.django_db
def test_every_way_in_gives_the_same_preview(servers, signed_in, force):
    one, _ = servers
    previews = []
    for data in (
        {"url": f"{one}/report.html"},
        {"file": SimpleUploadedFile("report.html", HTML_PAGE)},
        {"text": html_text(HTML_PAGE)},
    ):
        response = _start(signed_in, force, **data)
        assert response.status_code == 302, response.content.decode()
        previews.append(signed_in.session[SESSION_KEY])

    fetched, uploaded, pasted = previews
    assert fetched["source_url"] == f"{one}/report.html"
    assert uploaded["source_url"] == pasted["source_url"] == ""
    assert [row["kind"] for row in fetched["rows"]] == ["cause-of-concern", "recommendation"]
    same = {key: value for key, value in fetched.items() if key != "source_url"}
    assert same == {key: value for key, value in uploaded.items() if key != "source_url"}
    assert same == {key: value for key, value in pasted.items() if key != "source_url"}


@pytest.mark.django_db
def test_the_address_after_redirects_becomes_the_source_address(servers, signed_in, force):
    one, two = servers
    assert _start(signed_in, force, url=f"{one}/to-two").status_code == 302
    assert signed_in.session[SESSION_KEY]["source_url"] == f"{two}/report.html"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "There is no publication at this address"),
        ("/off-the-list", "which is not one of the inspectorate’s websites"),
        ("/image.png", "a file of a kind the importer does not read"),
    ],
)
def test_a_refused_address_is_shown_at_the_field_and_nothing_is_kept(
    servers, signed_in, force, path, message
):
    one, _ = servers
    before = _counts()

    response = _start(signed_in, force, url=f"{one}{path}")

    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'href="#id_url"' in response.content.decode()  # the error summary links to the field
    assert SESSION_KEY not in signed_in.session and _counts() == before


@pytest.mark.django_db
def test_a_host_off_the_list_is_refused_on_the_page(signed_in, force):
    response = _start(signed_in, force, url="https://www.example.com/report.html")
    assert response.status_code == 400
    assert "Only publications on the inspectorate’s websites" in response.content.decode()


@pytest.mark.django_db
def test_the_command_imports_from_an_address_and_keeps_it(servers, force):
    one, _ = servers
    out = io.StringIO()
    call_command(
        "import_report",
        f"{one}/report.pdf",
        "--force",
        force.name,
        "--published",
        "2024-05-01",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "Imported 4 items." in out.getvalue()
    assert Inspection.objects.get().source_url == f"{one}/report.pdf"


@pytest.mark.django_db
def test_the_command_refuses_an_address_off_the_list_and_writes_nothing(force):
    before = _counts()
    with pytest.raises(CommandError, match="Only publications on the inspectorate"):
        call_command("import_report", "https://www.example.com/r.pdf", "--force", force.name)
    assert _counts() == before


@pytest.mark.django_db
def test_an_address_with_a_file_or_text_is_one_way_too_many(signed_in, force):
    response = _start(signed_in, force, url="https://www.example.com/r.pdf", text="Some text")
    assert response.status_code == 400 and "not both" in response.content.decode()
    assert SESSION_KEY not in signed_in.session

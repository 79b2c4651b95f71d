"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

One browser for all the browser tests, a fresh context (cookies, storage) for every test.
Chromium is looked for at /usr/bin/chromium (override with the CHROMIUM environment variable).
Without it the browser tests skip, except in CI (`CI` set), where they are required and fail
instead. Nothing is ever downloaded: there is no `playwright install` here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from playwright.sync_api import expect

from accounts.models import User

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password

# Playwright's own default is 30 s; the live server answers in well under a second.
TIMEOUT_MS = 10_000


def chromium_missing_reason(path: str = CHROMIUM) -> str | None:
    if Path(path).is_file() and os.access(path, os.X_OK):
        return None
    return f"Chromium not found at {path}; install the Debian package chromium"


@pytest.fixture(scope="package")
def browser() -> Iterator:
    """One Chromium for all the browser tests.

    Scoped to this package rather than the whole session on purpose: Playwright's sync API
    keeps an asyncio loop marked as running in the main thread while it is open, which would
    upset every later test (Django refuses ORM calls "from an async context", `asyncio.run`
    refuses to start). So it is closed as soon as the browser tests are done, and Django's
    async-safety check is relaxed only meanwhile: the tests themselves are synchronous.
    """
    reason = chromium_missing_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (the browser tests are required in CI).", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def live_server(live_server_settings, live_server):
    """pytest-django's live server, started only once the settings below are in place."""
    return live_server


@pytest.fixture(scope="session")
def live_server_settings() -> Iterator[None]:
    """What tests/conftest.py's `_test_settings` does per test, in place before the live
    server starts: its middleware reads SECURE_SSL_REDIRECT once, when it is built, and would
    otherwise send the browser to https://localhost."""
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture
def console_errors() -> list[str]:
    """Console errors (CSP violations among them) and uncaught exceptions of the test's pages."""
    return []


@pytest.fixture
def context(browser, live_server, console_errors) -> Iterator:
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1200, "height": 900},
        locale="en-GB",
        timezone_id="Europe/London",
    )
    context.set_default_timeout(TIMEOUT_MS)

    def watch(page) -> None:
        page.on(
            "console",
            lambda msg: (
                console_errors.append(f"{page.url}: {msg.text}") if msg.type == "error" else None
            ),
        )
        page.on("pageerror", lambda exc: console_errors.append(f"{page.url}: {exc}"))

    context.on("page", watch)
    yield context
    context.close()


@pytest.fixture
def page(context, console_errors) -> Iterator:
    page = context.new_page()
    yield page
    assert not console_errors, "Console errors:\n" + "\n".join(console_errors)


# --- Helpers shared by the tests ---------------------------------------------------------------


def assert_no_console_errors(console_errors: list[str]) -> None:
    assert not console_errors, "Console errors:\n" + "\n".join(console_errors)


def visit(page, path: str, console_errors: list[str]) -> None:
    """Open a page, check it answered 200 and logged no console error."""
    response = page.goto(path)
    assert response is not None and response.status == 200, (
        f"{path}: {response and response.status}"
    )
    page.wait_for_load_state("load")
    assert_no_console_errors(console_errors)


def log_in(page, username: str, console_errors: list[str], password: str = PASSWORD) -> None:
    """Sign in through the login page, as a user would."""
    visit(page, "/accounts/login/", console_errors)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-phase-banner")).to_contain_text("Signed in as")
    page.wait_for_load_state("load")
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"
    assert_no_console_errors(console_errors)


def sign_in_directly(page, live_server, username: str) -> None:
    """A session cookie for the user, without going through the login page (which the
    journey and the login page's own checks cover): quicker for tests about other pages."""
    client = Client()
    client.force_login(
        User.objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend"
    )
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def fill_date(scope, legend: str, day) -> None:
    """Type a date into the GOV.UK date input (day, month, year) whose legend starts with
    ``legend``, as a user would."""
    group = scope.get_by_role("group", name=re.compile(rf"^{re.escape(legend)}"))
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def log_out(page, console_errors: list[str]) -> None:
    """Sign out with the button in the header, as a user would."""
    page.locator("header").get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.locator(".govuk-phase-banner")).not_to_contain_text("Signed in as")
    assert_no_console_errors(console_errors)


def small_pdf(text: str = "Crime recording audit") -> bytes:
    """A tiny but well-formed one-page PDF (header, objects, cross-reference table)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)

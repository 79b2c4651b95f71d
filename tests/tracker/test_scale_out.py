"""The scale-out set, started as in production, serves a force lead and e-mails the inspector.

PostgreSQL (a fresh migrated database), Redis (the machine's, a spare database and a queue of
the test's own), gunicorn with tracker/gunicorn.conf.py and production settings (no debug, a
real secret key, https as a TLS-terminating proxy reports it), a Celery worker and Celery beat
(TRACKER_TASK_RUNNER=celery), and an SMTP server on loopback. Over HTTP, as a browser would,
the lead signs in and submits an item for review through the item page's form; the force's
inspector's e-mail arrives at the SMTP server. Then every process stops on SIGTERM, by
itself, within the timeout. The process machinery is in tests/notifications/processes.py.
"""

from __future__ import annotations

import email.parser
import email.policy
import html.parser
import http.cookiejar
import os
import secrets
import shelve
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.notifications.processes import (
    PYTHON,
    ROOT,
    SPARE_REDIS_DB,
    Group,
    SmtpRecorder,
    celery_worker,
    child_env,
    forget_queue,
    free_port,
    manage,
    postgres_database,
    postgres_server,
    redis_address,
    require,
    stop_all,
    wait_until,
)

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

PASSWORD = "Scale-out-password-7310"  # every demo user's, set by seed_demo
LEAD = "cleveland-lead"
INSPECTOR = "inspector@example.com"  # the demo's inspector of Cleveland Police
COMMENT = "Ready for closure: see the evidence."
STOP_SECONDS = 20  # each process must be gone this long after its SIGTERM


class MailRecorder(SmtpRecorder):
    """The SMTP recorder, keeping each message whole (subject and body) with its recipient."""

    def __init__(self) -> None:
        super().__init__()
        self.mail: list[tuple[str, email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.parser.BytesParser(policy=email.policy.default).parsebytes(envelope.content)
        with self.lock:
            self.mail += [(recipient, message) for recipient in envelope.rcpt_tos]
        return await super().handle_DATA(server, session, envelope)

    def to(self, recipient: str) -> list[email.message.EmailMessage]:
        with self.lock:
            return [message for to, message in self.mail if to == recipient]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str


class Browser:
    """A browser behind the TLS-terminating proxy, which the test stands in for: every
    request says X-Forwarded-Proto https, so the secure cookies go back over loopback."""

    def __init__(self, port: int) -> None:
        self.origin = f"https://127.0.0.1:{port}"
        self.base = f"http://127.0.0.1:{port}"
        policy = http.cookiejar.DefaultCookiePolicy(secure_protocols=("http", "https"))
        self.cookies = http.cookiejar.CookieJar(policy)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects()
        )

    def request(self, path: str, data: dict | None = None, *, proxied: bool = True) -> Response:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 (http)
        if proxied:
            request.add_header("X-Forwarded-Proto", "https")
        if body is not None:  # what a browser sends with a form, checked by Django's CSRF
            request.add_header("Origin", self.origin)
            request.add_header("Referer", self.origin + path)
        try:
            response = self.opener.open(request, timeout=20)
        except urllib.error.HTTPError as error:  # 3xx, 4xx and 5xx alike
            response = error
        with response:
            return Response(
                response.status, dict(response.headers), response.read().decode(errors="replace")
            )

    def get(self, path: str, **options) -> Response:
        return self.request(path, **options)

    def post(self, path: str, data: dict) -> Response:
        return self.request(path, data)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the test looks at each redirect itself


class _Forms(html.parser.HTMLParser):
    """The forms of a page: each one's action and its inputs' names and values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append((attributes.get("action") or "", {}))
        elif tag == "input" and self.forms and attributes.get("name"):
            self.forms[-1][1][attributes["name"]] = attributes.get("value") or ""
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.stylesheets.append(attributes["href"])


def parse(page: Response) -> _Forms:
    forms = _Forms()
    forms.feed(page.text)
    return forms


def form_posting_to(page: Response, action: str) -> dict[str, str]:
    found = [fields for target, fields in parse(page).forms if target == action]
    assert found, f"no form posting to {action} on the page"
    return dict(found[0])


def processes_in_group(pgid: int) -> list[str]:
    """Live processes of a process group (each Group is one: the server and its children)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(f"{entry.name} {cmdline}")
    return found


@pytest.fixture
def smtp():
    recorder = MailRecorder().start()
    yield recorder
    recorder.stop()


@pytest.fixture
def broker():
    """The machine's Redis (required in CI), a spare database and a queue of this test's
    own; left as it was found."""
    host, port = redis_address()
    queue = f"tracker-scale-out-{os.getpid()}-{secrets.token_hex(4)}"
    yield f"redis://{host}:{port}/{SPARE_REDIS_DB}", queue
    forget_queue(host, port, SPARE_REDIS_DB, queue)


def test_the_scale_out_set_serves_a_submission_and_emails_the_inspector(smtp, broker, tmp_path):
    require(
        (ROOT / "static" / "build" / "tracker.css").exists(),
        "static/build/tracker.css is missing (make setup builds it): collectstatic needs it",
    )
    broker_url, queue = broker
    port = free_port()
    with postgres_database(postgres_server()) as db:
        env = child_env(
            db.url,
            smtp.port,
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_BEHIND_PROXY="true",
            DATABASE_CONN_MAX_AGE="60",
            STATIC_ROOT=str(tmp_path / "static"),
            TRACKER_TASK_RUNNER="celery",
            CELERY_BROKER_URL=broker_url,
            CELERY_QUEUE=queue,
            GUNICORN_BIND=f"127.0.0.1:{port}",
            WEB_CONCURRENCY="2",
        )
        # The demo's own e-mails go to django-q2's queue, which nothing here reads: the only
        # e-mail of the test is the one the submission causes.
        manage({**env, "TRACKER_TASK_RUNNER": "django_q"}, "seed_demo", "--password", PASSWORD)
        manage(env, "collectstatic", "--no-input", "-v0")
        [(item_id, reference)] = db.query(
            "SELECT i.id, i.display_reference FROM recommendations_item i"
            " JOIN recommendations_force f ON f.id = i.force_id"
            " WHERE f.slug = 'cleveland-police' AND i.status = 'being-progressed'"
            " ORDER BY i.id LIMIT 1"
        )

        bin_dir = Path(PYTHON).parent
        web_args = [str(bin_dir / "gunicorn"), "--config", "tracker/gunicorn.conf.py"]
        web = Group("gunicorn", web_args, env=env, logs=tmp_path)
        beat_args = [str(bin_dir / "celery"), "-A", "tracker", "beat", "--loglevel", "INFO"]
        beat_args += ["--schedule", str(tmp_path / "celerybeat-schedule")]
        groups = [
            web,
            celery_worker("celery-worker", env, tmp_path, queue=queue),
            Group("celery-beat", beat_args, env=env, logs=tmp_path),
        ]
        try:
            for group in groups:
                group.start()
            browser = Browser(port)
            wait_until(
                lambda: _answers(browser),
                timeout=60,  # an upper bound for a busy CI machine; usually a few seconds
                what=f"gunicorn on port {port}\n{web.log_tail()}",
            )
            _sign_in_and_submit(browser, item_id)
            wait_until(
                lambda: smtp.to(INSPECTOR),
                timeout=60,  # an upper bound for a busy CI machine; usually a few seconds
                what=f"the inspector's e-mail\n{groups[1].log_tail()}",
            )
            [message] = smtp.to(INSPECTOR)
            assert message["Subject"] == (
                f"Submitted for review: Cleveland Police, recommendation {reference}"
            )
            text = message.get_body(("plain",)).get_content()
            assert f"https://tracker.example.gov.uk/items/{item_id}/" in text
            assert COMMENT in text
            assert db.query(
                "SELECT state FROM notifications_notification WHERE kind = 'submitted'"
                " AND item_id = %s",
                (item_id,),
            ) == [("sent",)]
            assert "beat: Starting..." in groups[2].log()
            # The access log, on stdout: the decision, its status and its duration.
            assert f'"POST /items/{item_id}/status/ HTTP/1.1" 302' in web.log()

            running = {group.name: processes_in_group(group.pid) for group in groups}
            assert len(running["gunicorn"]) == 3, running  # the arbiter and two workers
            assert all(alive for alive in running.values()), running
            _stop_cleanly(groups)
            # Beat ran with the Celery runner's schedule: the sweep every 5 minutes.
            # beat wrote this file in this test
            with shelve.open(str(tmp_path / "celerybeat-schedule"), flag="r") as schedule:  # noqa: S301
                entry = schedule["entries"]["notifications: reminders sweep"]
            assert entry.task == "notifications.run_reminders"
            assert entry.schedule.run_every.total_seconds() == 300
        finally:
            stop_all(groups)  # only does anything when the test failed before this


def _answers(browser: Browser) -> bool:
    try:
        return browser.get("/accounts/login/").status == 200
    except OSError:
        return False


def _sign_in_and_submit(browser: Browser, item_id: int) -> None:
    # Production settings: plain http is sent to https; https is told to stay there.
    insecure = browser.get("/accounts/login/", proxied=False)
    assert insecure.status == 301
    assert insecure.headers["Location"] == browser.origin + "/accounts/login/"
    login = browser.get("/accounts/login/")
    assert login.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    # Static files: whitenoise serves collectstatic's hashed, compressed files for ever.
    [stylesheet] = parse(login).stylesheets
    css = browser.get(stylesheet)
    assert css.status == 200, stylesheet
    assert "immutable" in css.headers["Cache-Control"]
    assert ".govuk-" in css.text

    fields = form_posting_to(login, "")  # the sign-in form posts to its own page
    signed_in = browser.post("/accounts/login/", {**fields, "username": LEAD, "password": PASSWORD})
    assert signed_in.status == 302, signed_in.text[:2000]
    assert all(cookie.secure for cookie in browser.cookies)

    action = f"/items/{item_id}/status/"
    page = browser.get(f"/items/{item_id}/")
    assert page.status == 200
    decision = form_posting_to(page, action)
    assert decision["decision-transition"] == "submit_for_review"
    assert decision["decision-seen_version"]  # the version the page showed
    decision["decision-comment"] = COMMENT
    submitted = browser.post(action, decision)
    assert submitted.status == 302, submitted.text[:2000]
    assert submitted.headers["Location"] == f"/items/{item_id}/"
    after = browser.get(f"/items/{item_id}/")
    assert "Submitted for review; the force&#x27;s inspectors have been told." in after.text


def _stop_cleanly(groups: list[Group]) -> None:
    """SIGTERM to each main process, as systemd stops a unit: each stops its own workers
    and exits 0, and no process of any group is left."""
    started = time.monotonic()
    for group in groups:
        group.terminate()
    for group in groups:
        left = STOP_SECONDS - (time.monotonic() - started)
        try:
            code = group.proc.wait(timeout=max(left, 0.1))
        except subprocess.TimeoutExpired:
            pytest.fail(
                f"{group.name} still running {STOP_SECONDS} s after SIGTERM\n{group.log_tail()}"
            )
        assert code == 0, f"{group.name} exited with {code}\n{group.log_tail()}"
    wait_until(
        lambda: not any(processes_in_group(group.pid) for group in groups),
        timeout=max(STOP_SECONDS - (time.monotonic() - started), 1),
        what="every process of every group to end",
    )
    print(f"stopped in {time.monotonic() - started:.1f} s", file=sys.stderr)

"""Shared helpers for the notification tests: frozen days and running the command."""

from __future__ import annotations

import email
import email.policy
import io
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from tests.notifications.processes import free_port

LONDON = ZoneInfo("Europe/London")


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


@pytest.fixture
def clock(time_machine):
    """Freeze time at a London hour on a day: clock(date(2026, 11, 23))."""

    def move_to(day: date, hour: int = 9) -> None:
        time_machine.move_to(at(day, hour), tick=False)

    return move_to


def run_reminders(day: date | None = None, *extra: str) -> dict:
    """`manage.py send_reminders --json [--as-of day]`, parsed."""
    out = io.StringIO()
    args = ["--json", *extra]
    if day is not None:
        args += ["--as-of", day.isoformat()]
    call_command("send_reminders", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def run(clock):
    """Move the clock to 09:00 on `day` and run the command for that day."""

    def run_on(day: date, *extra: str) -> dict:
        clock(day)
        return run_reminders(day, *extra)

    return run_on


@dataclass
class Delivery:
    peer: tuple
    recipients: list[str]
    message: EmailMessage


class SmtpServer:
    """A real SMTP server's handler (aiosmtpd, on 127.0.0.1): keeps each message with its
    recipients and the connection (peer) it came over; refuses the addresses in `refused`
    with 451."""

    def __init__(self) -> None:
        self.received: list[Delivery] = []
        self.refused: set[str] = set()

    async def handle_DATA(self, server, session, envelope):
        if set(envelope.rcpt_tos) & self.refused:
            return "451 Try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(Delivery(session.peer, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def copies(self) -> Counter:
        """How many times each Message-ID arrived."""
        return Counter(delivery.message["Message-ID"] for delivery in self.received)

    def connections(self) -> int:
        return len({delivery.peer for delivery in self.received})


@pytest.fixture
def smtp_server(settings):
    """The SMTP server, with the settings pointing Django's SMTP backend at it."""
    server = SmtpServer()
    controller = Controller(server, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.SITE_URL = "https://tracker.example.gov.uk"
    yield server
    controller.stop()

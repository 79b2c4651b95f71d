"""The sender's one SMTP session, in a thread of its own, holding each message's last dot.

The sender hands a message over, writes the ledger, and renders the next message while this
thread talks to the mail server (MAIL, RCPT, DATA and the message itself). The one step that
must wait is the end of the message's DATA, the final "." after which the server may accept
it: it is sent only once the sender has durably noted the hand-over (`Handle.release`). A
server that loses the connection before that dot discards the message (RFC 5321, 4.1.1.4),
so if the sender dies first, the message was never delivered (docs/decisions/0015).

Backends other than SMTP (the local outbox of the tests, the console) are held back whole:
the thread waits for the release before it sends anything.
"""

from __future__ import annotations

import smtplib
import socket
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpEmailBackend

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

DJANGO_SMTP = "django.core.mail.backends.smtp.EmailBackend"
HOLDING_SMTP = "notifications.courier.EmailBackend"


class HandOverCancelled(Exception):
    """The sender did not note the hand-over (another sender has the row): not sent."""


class HoldsTheLastDot(smtplib.SMTP):
    """smtplib's DATA, calling `before_end_of_data()` before the final dot; when it says no,
    the connection is dropped instead, so the server discards the message. (A mixin: it
    comes before smtplib.SMTP or smtplib.SMTP_SSL in the connection classes below.)"""

    before_end_of_data: Callable[[], bool] | None = None

    def connect(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        reply = super().connect(*args, **kwargs)
        assert self.sock is not None  # connect() opened it, or raised
        # The dot is a small write after the message: without this, Nagle's algorithm holds
        # it until the server acknowledges the message, which it delays (up to 40 ms a time).
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return reply

    def data(self, msg: ReadableBuffer | str) -> tuple[int, bytes]:
        release = self.before_end_of_data
        if release is None:
            return super().data(msg)
        # smtplib.SMTP.data (CPython 3.11), with the release before the dot.
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        # smtplib's private helpers, as its own data() uses them; typeshed omits them.
        if isinstance(msg, str):
            msg = smtplib._fix_eols(msg).encode("ascii")  # type: ignore[attr-defined]
        body = smtplib._quote_periods(msg)  # type: ignore[attr-defined]
        if body[-2:] != smtplib.bCRLF:
            body += smtplib.bCRLF
        self.send(body)
        if not release():
            self.close()
            raise HandOverCancelled("the hand-over was not noted; the message was dropped")
        self.send(b"." + smtplib.bCRLF)
        return self.getreply()


class SMTP(HoldsTheLastDot, smtplib.SMTP):
    pass


class SMTP_SSL(HoldsTheLastDot, smtplib.SMTP_SSL):
    pass


class EmailBackend(SmtpEmailBackend):
    """Django's SMTP backend over the connection classes above; without a release set it
    behaves exactly as Django's."""

    @property
    def connection_class(self):
        return SMTP_SSL if self.use_ssl else SMTP


class Gate:
    """The sender's word on one message: go (the hand-over is noted) or stop."""

    def __init__(self) -> None:
        self._decided = threading.Event()
        self._go = False

    def decide(self, go: bool) -> None:
        self._go = go
        self._decided.set()

    def wait(self) -> bool:
        # Never hold the server for ever: no word within the e-mail timeout is a stop.
        return self._decided.wait(timeout=settings.EMAIL_TIMEOUT or 60) and self._go


class Handle:
    def __init__(self, future: Future, gate: Gate) -> None:
        self._future, self._gate = future, gate

    def release(self, go: bool) -> None:
        """Let the final dot go (the hand-over is noted), or stop the message."""
        self._gate.decide(go)

    def result(self) -> None:
        """Wait for the server's answer; raises what the sending raised."""
        self._future.result()


class Courier:
    """One mail connection for a run, opened once and reopened after an error."""

    def __init__(self, connection=None) -> None:
        if connection is None:
            backend = settings.EMAIL_BACKEND
            connection = get_connection(HOLDING_SMTP if backend == DJANGO_SMTP else None)
        self.connection = connection
        self.holds_the_dot = isinstance(connection, EmailBackend)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="courier")

    def hand_over(self, message: EmailMessage) -> Handle:
        """Start sending; nothing is delivered before the handle is released with go."""
        message.connection = self.connection
        gate = Gate()
        return Handle(self._thread.submit(self._send, message, gate), gate)

    def _send(self, message: EmailMessage, gate: Gate) -> None:
        try:
            if not self.holds_the_dot and not gate.wait():
                raise HandOverCancelled("the hand-over was not noted; not sent")
            self.connection.open()  # once per run: an open session is reused
            if self.holds_the_dot:
                self.connection.connection.before_end_of_data = gate.wait
            message.send()
        except Exception:
            self.connection.close()  # a broken session must not fail the next message
            raise
        finally:
            if self.holds_the_dot and self.connection.connection is not None:
                self.connection.connection.before_end_of_data = None

    def close(self) -> None:
        self._thread.shutdown(wait=True)
        self.connection.close()

    def __enter__(self) -> Courier:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

"""Fetching a publication by its web address, for the import (see
docs/decisions/0016-fetching-publications.md).

The server fetches only from the hosts on ``TRACKER_IMPORT_ALLOWED_HOSTS`` (the inspectorate's
domains by default), over https unless ``TRACKER_IMPORT_ALLOW_HTTP`` says otherwise, within the
import's size limit and ``TRACKER_IMPORT_FETCH_TIMEOUT`` seconds in all, following at most
``MAX_REDIRECTS`` redirects and only to hosts on the list. A host name must resolve to public
addresses only, and the connection goes to the address that was checked (so a second, different
DNS answer cannot point it inside the network); an IP address named on the list itself is
trusted as given (the loopback tests). Every refusal is a PublicationParseError with a message
for the inspector, raised before anything is written.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from .errors import PublicationParseError
from .sources import import_max_bytes

DEFAULT_ALLOWED_HOSTS = (
    "hmicfrs.justiceinspectorates.gov.uk",
    "www.justiceinspectorates.gov.uk",
    "justiceinspectorates.gov.uk",
    "assets.publishing.service.gov.uk",
)
DEFAULT_TIMEOUT = 10.0
MAX_REDIRECTS = 3
MAX_URL_LENGTH = 500
_CHUNK = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# What each content type is read as: the suffix tells `publication_text_from_bytes` the reader.
_READERS = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/pdf": ".pdf",
    "text/plain": ".txt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}
_USER_AGENT = "hmicfrs-recommendations-tracker (publication import)"


@dataclass(frozen=True)
class Fetched:
    """What an address gave: the body, the reader's suffix, and the final address (after any
    redirects), which becomes the inspection's source address."""

    data: bytes
    suffix: str
    url: str


def allowed_hosts() -> list[str]:
    hosts = getattr(settings, "TRACKER_IMPORT_ALLOWED_HOSTS", DEFAULT_ALLOWED_HOSTS)
    return [host.strip().lower().strip("[]") for host in hosts if host.strip()]


def fetch_timeout() -> float:
    return float(getattr(settings, "TRACKER_IMPORT_FETCH_TIMEOUT", DEFAULT_TIMEOUT))


def is_address(value: str) -> bool:
    """Whether the inspector (or the command line) gave a web address rather than a file."""
    return value.strip().lower().startswith(("https://", "http://"))


def _not_allowed_message() -> str:
    return (
        "Only publications on the inspectorate’s websites can be fetched ("
        + ", ".join(allowed_hosts())
        + "). Save the publication and upload the file instead."
    )


def _checked_target(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path and query) of an address the server may fetch."""
    if len(url) > MAX_URL_LENGTH:
        raise PublicationParseError(
            f"The web address must be {MAX_URL_LENGTH} characters or fewer."
        )
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError as error:
        raise PublicationParseError("Enter the publication’s full web address.") from error
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not host:
        raise PublicationParseError("Enter the publication’s full web address (https://…).")
    if parts.username or parts.password:
        raise PublicationParseError("The web address must not contain a user name or password.")
    if host not in allowed_hosts():
        raise PublicationParseError(_not_allowed_message())
    if scheme == "http" and not getattr(settings, "TRACKER_IMPORT_ALLOW_HTTP", False):
        raise PublicationParseError("The web address must begin with https://.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, host, port or (443 if scheme == "https" else 80), path


def _address_for(host: str, port: int) -> str:
    """The IP address to connect to. An IP address on the list is used as given; a name must
    resolve to public addresses only (no loopback, private, link-local or reserved ones)."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise PublicationParseError(f"The website {host} could not be found.") from error
    # An IPv4 or IPv6 answer's address is its text (str() only tells the type checker so).
    addresses = [ipaddress.ip_address(str(answer[4][0]).split("%")[0]) for answer in answers]
    if not addresses or any(not address.is_global for address in addresses):
        raise PublicationParseError(
            f"The website {host} resolves to a private or local network address, so it is not "
            "fetched."
        )
    return str(addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address, whatever a fresh DNS answer would say."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host's name, not the address.
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


def _check_redirect(url: str) -> None:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        host = ""
    if host not in allowed_hosts():
        raise PublicationParseError(
            f"The address redirects to {host or 'another address'}, which is not one of the "
            "inspectorate’s websites, so it was not followed. Save the publication and upload "
            "the file instead."
        )


def _timed_out(seconds: float) -> PublicationParseError:
    return PublicationParseError(
        f"The website took too long to send the publication (more than {seconds:g} seconds). "
        "Try again later, or save the publication and upload the file."
    )


def _too_large() -> PublicationParseError:
    limit = import_max_bytes()
    size = f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"
    return PublicationParseError(f"The publication at this address is larger than {size}.")


def _status_message(status: int, reason: str) -> str:
    if status in (404, 410):
        return "There is no publication at this address (the website answered “not found”)."
    if status in (401, 403):
        return "The website refused to send this publication: it may not be public yet."
    return f"The website answered {status} {reason}: the publication could not be fetched."


def _read_body(response: http.client.HTTPResponse, ends: float, seconds: float) -> bytes:
    limit = import_max_bytes()
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > limit:
        raise _too_large()
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > ends:
            raise _timed_out(seconds)
        chunk = response.read1(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise _too_large()
        chunks.append(chunk)


def _suffix_for(content_type: str) -> str:
    media = content_type.split(";", 1)[0].strip().lower()
    if media in _READERS:
        return _READERS[media]
    shown = media or "no content type"
    raise PublicationParseError(
        f"This address gives a file of a kind the importer does not read ({shown}): give the "
        "address of a web page, a PDF, a Word document (.docx) or a text file."
    )


def fetch_publication(url: str) -> Fetched:
    """The publication at ``url``: fetched, within the limits, from the allowed hosts only.
    Raises PublicationParseError with a message for the inspector."""
    seconds = fetch_timeout()
    ends = time.monotonic() + seconds
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, path = _checked_target(url)
        address = _address_for(host, port)
        remaining = ends - time.monotonic()
        if remaining <= 0:
            raise _timed_out(seconds)
        kind = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        connection = kind(host, port, address=address, timeout=remaining)
        try:
            connection.request(
                "GET",
                path,
                headers={
                    "User-Agent": _USER_AGENT,
                    "Accept": ", ".join(_READERS),
                    "Accept-Encoding": "identity",
                },
            )
            response = connection.getresponse()
            if response.status in _REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise PublicationParseError(_status_message(response.status, "redirect"))
                url = urljoin(url, location)
                _check_redirect(url)
                continue
            if response.status != 200:
                raise PublicationParseError(_status_message(response.status, response.reason))
            suffix = _suffix_for(response.getheader("Content-Type") or "")
            return Fetched(data=_read_body(response, ends, seconds), suffix=suffix, url=url)
        except TimeoutError as error:
            raise _timed_out(seconds) from error
        except ssl.SSLError as error:
            raise PublicationParseError(
                f"The website {host} could not be reached securely (its certificate was not "
                "accepted)."
            ) from error
        except (OSError, http.client.HTTPException) as error:
            raise PublicationParseError(
                f"The website {host} could not be reached. Try again later, or save the "
                "publication and upload the file."
            ) from error
        finally:
            connection.close()
    raise PublicationParseError(
        f"The address redirects more than {MAX_REDIRECTS} times, so it was not followed."
    )

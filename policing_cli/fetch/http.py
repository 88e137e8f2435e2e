"""The one way out to the network: a request at a time, retried with back-off, every failure
said in one line.

Built on the standard library's ``urllib.request`` and ``http.client``, not on requests,
httpx or urllib3: policing makes one request at a time to two public servers, so it needs no
connection pool, no HTTP/2 and no async; what it does need (conditional and range requests,
time-outs, retries that resume a cut-off body rather than only re-send a request, errors
told apart: a name not found, a refused or dropped connection, a time-out, an HTTP status)
is a few headers and a loop it has to own anyway. urllib follows redirects, honours the
``http_proxy``/``https_proxy``/``no_proxy`` variables and verifies certificates against the
system's store, and it costs no dependency (and no start-up time: this module is imported
only by ``policing fetch``).

What the standard library leaves out is done here: a body shorter than its Content-Length
(``http.client`` returns what arrived without complaint) is a failure worth another attempt,
as are time-outs, dropped connections, 5xx answers, 408 and 429 (waiting as long as a
Retry-After asks, within reason); a name that does not resolve, a 4xx answer or a bad
certificate is not.
"""

from __future__ import annotations

import email.utils
import errno
import http.client
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import Message
from typing import Protocol, TypeVar

from policing_cli import __version__
from policing_cli.errors import FetchError

#: How policing names itself to the servers (they can tell its requests from a browser's).
USER_AGENT = f"policing/{__version__}"
#: Seconds without a byte (to connect, for the answer, between two blocks) before giving up.
TIMEOUT_SECONDS = 30.0
#: Attempts at one request before its failure is final.
ATTEMPTS = 4
#: The wait before the second attempt; it doubles before each later one (1, 2, 4 seconds).
BACKOFF_SECONDS = 1.0
#: The longest a Retry-After may make us wait.
MAX_WAIT_SECONDS = 60.0
#: Bytes read at a time.
BLOCK_BYTES = 1 << 16

T = TypeVar("T")


class Retry(Exception):
    """A failure worth another attempt; its message is the final error if none is left."""

    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.wait = wait


class HTTPStatusError(FetchError):
    """The server answered with an error status (a final one: 4xx, or 5xx to the end)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class Progress(Protocol):
    """What a download reports as it goes (a progress bar on a terminal, nothing in cron)."""

    def start(self, label: str, total: int | None, done: int = 0) -> None: ...

    def advance(self, count: int) -> None: ...

    def finish(self) -> None: ...


class NoProgress:
    """Progress nobody watches."""

    def start(self, label: str, total: int | None, done: int = 0) -> None:
        return None

    def advance(self, count: int) -> None:
        return None

    def finish(self) -> None:
        return None


def size_words(size: int) -> str:
    """``494 KB``, ``1.2 GB``: a size as people read it."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:,.0f} {unit}" if unit in ("bytes", "KB") else f"{value:,.1f} {unit}"
        value /= 1000
    return f"{size:,} bytes"  # pragma: no cover


def host_of(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url


def check_address(url: str, where: str) -> str:
    """An address the tool can fetch: http or https, with a host."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(f"{where}: '{url}' is not an http:// or https:// address")
    return url.strip()


@dataclass
class Response:
    """An answer: its status, the address it came from (after redirects), its headers, and
    its body, read in blocks (``blocks``), for 200 and 206 answers."""

    status: int
    url: str
    headers: Message
    raw: http.client.HTTPResponse | None
    timeout: float

    def header(self, name: str) -> str | None:
        value = self.headers.get(name)
        return value.strip() if isinstance(value, str) else None

    @property
    def length(self) -> int | None:
        """The body's length, from Content-Length (None when not given)."""
        value = self.header("Content-Length")
        return int(value) if value and value.isdigit() else None

    @property
    def ranges(self) -> bool:
        """Whether the server says it answers range requests."""
        return (self.header("Accept-Ranges") or "").lower() == "bytes" or self.status == 206

    def blocks(self) -> Iterator[bytes]:
        """The body, a block at a time. A time-out, a dropped connection or a body shorter
        than its Content-Length is a ``Retry`` (the caller knows how much it has kept)."""
        if self.raw is None:
            return
        expected, received = self.length, 0
        while True:
            try:
                block = self.raw.read(BLOCK_BYTES)
            except TimeoutError as err:
                raise Retry(
                    f"{self.url}: no data for {self.timeout:g} seconds (timed out)"
                ) from err
            except http.client.IncompleteRead as err:
                raise Retry(f"{self.url}: the download was cut short") from err
            except (OSError, http.client.HTTPException) as err:
                raise Retry(f"{self.url}: the connection was dropped ({_why(err)})") from err
            if not block:
                break
            received += len(block)
            yield block
        if expected is not None and received < expected:
            raise Retry(
                f"{self.url}: the download was cut short ({received:,} of {expected:,} bytes)"
            )

    def read_all(self, limit: int) -> bytes:
        """The whole body (a page, metadata, a range), refused beyond ``limit`` bytes."""
        data = bytearray()
        for block in self.blocks():
            data += block
            if len(data) > limit:
                raise FetchError(f"{self.url}: answer larger than {limit:,} bytes: not read")
        return bytes(data)

    def close(self) -> None:
        if self.raw is not None:
            self.raw.close()

    def __enter__(self) -> Response:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Client:
    """Requests, one at a time, each with the User-Agent and a time-out; ``attempt`` runs an
    operation (a request and the reading of its body) again after a ``Retry``, waiting 1, 2,
    4 ... seconds (or what a Retry-After asks) in between."""

    def __init__(
        self,
        timeout: float | None = None,
        attempts: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.timeout = TIMEOUT_SECONDS if timeout is None else timeout
        self.attempts = ATTEMPTS if attempts is None else attempts
        self.sleep = sleep
        self.opener = urllib.request.build_opener()
        self.opener.addheaders = []

    def open(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """One request. 2xx, 304 (not modified) and 416 (range not satisfiable) are
        answers; a transient failure is a ``Retry``, a final one a ``FetchError``."""
        request = urllib.request.Request(
            url,
            headers={
                **(headers or {}),
                "User-Agent": USER_AGENT,
                "Accept-Encoding": "identity",
            },
        )
        try:
            raw = self.opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as err:
            with err:
                if err.code in (304, 416):
                    return Response(err.code, err.url or url, err.headers, None, self.timeout)
                raise _status_error(url, err) from None
        except urllib.error.URLError as err:
            reason = err.reason if isinstance(err.reason, BaseException) else err
            raise _network_error(url, reason, self.timeout) from err
        except (OSError, http.client.HTTPException) as err:
            raise _network_error(url, err, self.timeout) from err
        return Response(raw.status, raw.geturl() or url, raw.headers, raw, self.timeout)

    def attempt(self, operation: Callable[[int], T]) -> T:
        """``operation(n)`` for n = 1, 2, ... until it returns; a ``Retry`` after the last
        attempt becomes the final error, saying how many attempts were made."""
        for number in range(1, self.attempts + 1):
            try:
                return operation(number)
            except Retry as err:
                if number >= self.attempts:
                    tried = f" (gave up after {number} attempts)" if number > 1 else ""
                    raise FetchError(f"{err}{tried}") from err
                wait = BACKOFF_SECONDS * 2 ** (number - 1) if err.wait is None else err.wait
                self.sleep(min(wait, MAX_WAIT_SECONDS))
        raise AssertionError("unreachable")  # pragma: no cover

    def get_bytes(
        self, url: str, limit: int, headers: dict[str, str] | None = None
    ) -> tuple[Response, bytes]:
        """A small answer and its whole body (with retries)."""

        def once(_number: int) -> tuple[Response, bytes]:
            with self.open(url, headers) as answer:
                return answer, answer.read_all(limit)

        return self.attempt(once)


def retry_after(headers: Message | None) -> float | None:
    """The wait a Retry-After header asks for (seconds or an HTTP date), if any."""
    value = (headers.get("Retry-After") or "").strip() if headers is not None else ""
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _status_error(url: str, err: urllib.error.HTTPError) -> Exception:
    reason = err.reason or http.client.responses.get(err.code, "")
    message = f"{url}: HTTP {err.code} {reason}".strip()
    if err.code in (408, 429) or err.code >= 500:
        return Retry(message, wait=retry_after(err.headers))
    return HTTPStatusError(message, err.code)


def _why(err: BaseException) -> str:
    return getattr(err, "strerror", None) or str(err) or type(err).__name__


def _network_error(url: str, err: BaseException, timeout: float) -> Exception:
    """A failure to reach the server, as a ``Retry`` (worth another attempt) or a final
    one-line ``FetchError`` saying what happened in words."""
    host = host_of(url)
    if isinstance(err, socket.gaierror):
        if err.errno == socket.EAI_AGAIN:
            return Retry(f"{host}: name lookup failed for now (is this machine online?)")
        return FetchError(
            f"{host}: no such server (name lookup failed): check the address, and that this "
            "machine is online"
        )
    if isinstance(err, TimeoutError):
        return Retry(f"{host}: no answer for {timeout:g} seconds (timed out)")
    if isinstance(err, ssl.SSLCertVerificationError):
        return FetchError(f"{host}: certificate not trusted ({err.verify_message})")
    if isinstance(err, ConnectionRefusedError):
        return Retry(f"{host}: connection refused (is the server up, is this machine online?)")
    if isinstance(err, OSError) and err.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return FetchError(f"{host}: network unreachable: is this machine online?")
    if isinstance(err, (OSError, http.client.HTTPException)):
        return Retry(f"{host}: the connection failed ({_why(err)})")
    return FetchError(f"{host}: {_why(err)}")

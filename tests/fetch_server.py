"""A local HTTP server for the fetch tests (the standard library's, in a thread): serves
files from memory with ETag and Last-Modified, answers conditional and range requests (or
not), and misbehaves on demand: errors, bodies cut short, slow answers. It records every
request, and how many were in flight at once."""

from __future__ import annotations

import email.utils
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Served:
    """One address: its body and validators, and how it misbehaves (each a countdown)."""

    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = "application/octet-stream"
    #: Answer this status this many times first (500 then success: errors=1).
    errors: int = 0
    error_status: int = 500
    #: A fixed status for every request (404).
    status: int | None = None
    #: Send only this share of the body this many times (with the whole Content-Length).
    cut: int = 0
    cut_share: float = 0.5
    #: Wait this long before answering.
    delay: float = 0.0


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    status: int = 0
    sent: int = 0


@dataclass
class State:
    served: dict[str, Served] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    ranges: bool = True
    active: int = 0
    most_active: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


def _handler(state: State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            return None

        def do_GET(self) -> None:
            with state.lock:
                state.active += 1
                state.most_active = max(state.most_active, state.active)
            record = Request("GET", self.path, {k: v for k, v in self.headers.items()})
            state.requests.append(record)
            try:
                self._answer(record)
            finally:
                with state.lock:
                    state.active -= 1

        def _send(self, record: Request, status: int, headers: dict[str, str], body: bytes,
                  length: int | None = None) -> None:  # fmt: skip
            record.status = status
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            self.end_headers()
            try:
                self.wfile.write(body)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return
            record.sent = len(body)

        def _answer(self, record: Request) -> None:
            served = state.served.get(self.path)
            if served is None:
                self._send(record, 404, {}, b"not here")
                return
            if served.delay:
                time.sleep(served.delay)
            if served.status is not None:
                self._send(record, served.status, {}, b"no")
                return
            if served.errors > 0:
                served.errors -= 1
                self._send(record, served.error_status, {}, b"oops")
                return
            headers = {"Content-Type": served.content_type}
            if served.etag:
                headers["ETag"] = served.etag
            if served.last_modified:
                headers["Last-Modified"] = served.last_modified
            if state.ranges:
                headers["Accept-Ranges"] = "bytes"
            if self._not_modified(served):
                self._send(record, 304, headers, b"")
                return
            body, status = served.body, 200
            wanted = self.headers.get("Range")
            if wanted and state.ranges and self._if_range(served):
                found = _RANGE.match(wanted.strip())
                size = len(served.body)
                if found and (found.group(1) or found.group(2)):
                    if found.group(1):
                        first = int(found.group(1))
                        last = min(int(found.group(2) or size - 1), size - 1)
                    else:
                        first, last = max(0, size - int(found.group(2))), size - 1
                    if first >= size:
                        self._send(record, 416, {"Content-Range": f"bytes */{size}"}, b"")
                        return
                    body, status = served.body[first : last + 1], 206
                    headers["Content-Range"] = f"bytes {first}-{last}/{size}"
            if served.cut > 0:
                served.cut -= 1
                record.status = status
                part = body[: int(len(body) * served.cut_share)]
                self._send(record, status, headers, part, length=len(body))
                self.close_connection = True
                return
            self._send(record, status, headers, body)

        def _not_modified(self, served: Served) -> bool:
            match = self.headers.get("If-None-Match")
            if match is not None:
                return served.etag is not None and match.strip() == served.etag
            since = self.headers.get("If-Modified-Since")
            if since and served.last_modified:
                try:
                    asked = email.utils.parsedate_to_datetime(since)
                    have = email.utils.parsedate_to_datetime(served.last_modified)
                except (TypeError, ValueError):
                    return False
                return have <= asked
            return False

        def _if_range(self, served: Served) -> bool:
            validator = self.headers.get("If-Range")
            return validator is None or validator in (served.etag, served.last_modified)

    return Handler


class FakeServer:
    """``with FakeServer() as server: server.serve("/x.csv", Served(b"..."))``."""

    def __init__(self, ranges: bool = True) -> None:
        self.state = State(ranges=ranges)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def ranges(self) -> bool:
        return self.state.ranges

    @ranges.setter
    def ranges(self, value: bool) -> None:
        self.state.ranges = value

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def serve(self, path: str, served: Served) -> Served:
        self.state.served[path] = served
        return served

    @property
    def requests(self) -> list[Request]:
        return self.state.requests

    def sent(self, path: str | None = None) -> int:
        """Body bytes sent (for one address, or all)."""
        return sum(r.sent for r in self.requests if path is None or r.path == path)

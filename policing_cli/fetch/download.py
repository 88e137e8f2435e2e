"""One address into one file: asked conditionally, resumed or restarted when cut off, and
never half-written where the whole file is expected.

The body goes to ``NAME.part``; only a complete body (as long as the server said, checked by
the caller's ``check``) is renamed onto ``NAME``, its manifest first (``manifest``). A body cut
off is resumed with a range request where the server allows it (``Accept-Ranges: bytes``
and a validator for ``If-Range``, so that the bytes kept and the bytes added belong to the
same version), else fetched again from the start; a ``.part`` left by an interrupted run is
resumed the same way by the next one. A file found unchanged (304, or the same SHA-256) is
not rewritten, so its modification time, and what the cache knows of it, stay as they were.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from policing_cli.errors import FetchError
from policing_cli.fetch import manifest
from policing_cli.fetch.http import Client, Progress, Response, Retry
from policing_cli.fetch.manifest import PartInfo, Record, State

_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)", re.IGNORECASE)


@dataclass(frozen=True)
class Outcome:
    target: Path
    changed: bool
    record: Record


def content_range(answer: Response) -> tuple[int, int, int | None]:
    """``(first, last, total)`` of a 206 answer's Content-Range (total None when ``*``)."""
    match = _CONTENT_RANGE.fullmatch(answer.header("Content-Range") or "")
    if match is None:
        raise Retry(f"{answer.url}: a partial answer without a usable Content-Range", wait=0)
    total = None if match.group(3) == "*" else int(match.group(3))
    return int(match.group(1)), int(match.group(2)), total


class _Transfer:
    """The state of one download across attempts: the bytes kept in the .part file, their
    digest, and whether the server lets us resume."""

    def __init__(self, target: Path, url: str) -> None:
        self.target = target
        self.url = url
        self.part = manifest.part_path(target)
        self.digest = hashlib.sha256()
        self.kept = 0
        self.info: PartInfo | None = None
        self.resumable = False
        found = manifest.read_part(target)
        if found is not None and found.address == url and found.validator and self.part.is_file():
            # A download an earlier run left unfinished: resumed if the server agrees.
            with self.part.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    self.digest.update(block)
                    self.kept += len(block)
            self.info, self.resumable = found, True
        else:
            manifest.drop_part(target)

    def restart(self) -> None:
        self.digest = hashlib.sha256()
        self.kept = 0
        self.info = None
        self.resumable = False
        manifest.drop_part(self.target)

    def range_headers(self) -> dict[str, str]:
        if self.kept and self.resumable and self.info is not None and self.info.validator:
            return {"Range": f"bytes={self.kept}-", "If-Range": self.info.validator}
        return {}


def download(
    client: Client,
    url: str,
    target: Path,
    *,
    source: str,
    progress: Progress,
    label: str,
    title: str | None = None,
    check: Callable[[Path], None] | None = None,
) -> Outcome:
    """Fetch ``url`` into ``target`` (see the module's docstring). ``check(part)`` may refuse
    a complete body that is not what was expected (a page where a CSV was expected): the
    file in place is then kept. A target that is the user's raises ``manifest.LeftAlone``."""
    state, record = manifest.check_writable(target)
    conditional: dict[str, str] = {}
    if state is State.OURS and record is not None and record.address == url:
        if record.etag:
            conditional["If-None-Match"] = record.etag
        if record.last_modified:
            conditional["If-Modified-Since"] = record.last_modified
    target.parent.mkdir(parents=True, exist_ok=True)
    transfer = _Transfer(target, url)
    try:
        answer = client.attempt(lambda _n: _once(client, transfer, conditional, progress, label))
    except FetchError:
        if not transfer.resumable:
            transfer.restart()
        raise
    finally:
        progress.finish()
    if answer is None:  # 304 Not Modified: what we have is current
        transfer.restart()
        if record is None or state is not State.OURS:
            raise FetchError(f"{url}: 'not modified' (HTTP 304) to a request that asked nothing")
        checked = replace(record, fetched_at=manifest.now())
        manifest.update_record(target, checked)
        return Outcome(target, False, checked)
    try:
        if check is not None:
            check(transfer.part)
    except FetchError:
        transfer.restart()
        raise
    fresh = Record(
        address=url,
        size=transfer.kept,
        sha256=transfer.digest.hexdigest(),
        fetched_at=manifest.now(),
        etag=answer.header("ETag"),
        last_modified=answer.header("Last-Modified"),
        source=source,
        title=title,
    )
    if state is State.OURS and record is not None and record.sha256 == fresh.sha256:
        # The same bytes again (a server without validators): the file is left untouched.
        transfer.restart()
        kept = replace(fresh, size=record.size, mtime_ns=record.mtime_ns,
                       previous_sha256=record.previous_sha256)  # fmt: skip
        manifest.update_record(target, kept)
        return Outcome(target, False, kept)
    installed = manifest.install(transfer.part, target, fresh)
    manifest.drop_part(target)
    return Outcome(target, True, installed)


def _once(
    client: Client,
    transfer: _Transfer,
    conditional: dict[str, str],
    progress: Progress,
    label: str,
) -> Response | None:
    """One attempt: the answer whose body is now whole in the .part file, or None for 304."""
    with client.open(transfer.url, {**conditional, **transfer.range_headers()}) as answer:
        if answer.status == 304:
            return None
        if answer.status == 416:  # the bytes kept are no longer a prefix of the file
            transfer.restart()
            raise Retry(f"{transfer.url}: the partial download no longer fits", wait=0)
        mode = "wb"
        total = answer.length
        if answer.status == 206:
            first, _last, total = content_range(answer)
            if not transfer.range_headers() or first != transfer.kept:
                transfer.restart()
                raise Retry(f"{transfer.url}: an unexpected partial answer", wait=0)
            mode = "ab"
        elif answer.status == 200:
            transfer.restart()
        else:
            raise FetchError(f"{transfer.url}: unexpected answer (HTTP {answer.status})")
        transfer.info = PartInfo(
            transfer.url, answer.header("ETag"), answer.header("Last-Modified"), total
        )
        transfer.resumable = answer.ranges and transfer.info.validator is not None
        manifest.write_part(transfer.target, transfer.info)
        progress.start(label, total, transfer.kept)
        with transfer.part.open(mode) as out:
            try:
                for block in answer.blocks():
                    out.write(block)
                    transfer.digest.update(block)
                    transfer.kept += len(block)
                    progress.advance(len(block))
            except Retry:
                if not transfer.resumable:
                    out.close()
                    transfer.restart()
                raise
        if total is not None and transfer.kept != total:
            got = transfer.kept
            transfer.restart()
            raise Retry(f"{transfer.url}: the download was cut short ({got:,} of {total:,} bytes)")
        return answer

"""What was fetched, and which files this tool wrote.

Every fetched file ``NAME`` has a manifest beside it, ``NAME.fetch.json``: the address it
came from (and the archive member, for a file extracted from an archive), the server's
ETag and Last-Modified, its size and SHA-256, and when it was fetched. A rerun asks the
server with the ETag and Last-Modified whether anything changed.

The manifest is also how the tool tells its own files from the user's: a file is replaced
or removed only when its manifest says this tool wrote it and the file still holds what was
written (size and modification time as recorded, else the same SHA-256). A file with no
manifest, or changed since, is the user's: it is left alone, and the tool says so.

A file is replaced in two renames, the manifest first (recording the content it replaces as
``previous_sha256``) and then the file: a run killed between the two leaves a file the
manifest still vouches for, which the next run downloads again.
"""

from __future__ import annotations

import contextlib
import datetime
import enum
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from policing_cli import __version__
from policing_cli.errors import FetchError
from policing_cli.loaders.fingerprints import file_sha256

#: The manifest of ``NAME`` is ``NAME`` + this.
SUFFIX = ".fetch.json"
#: A download in progress is written to ``NAME`` + this (never read as data: the loaders
#: read only .csv and .zip files), with what is needed to resume it in ``NAME.part.json``.
PART = ".part"
#: The lock file of a folder being written into.
LOCK = ".policing-fetch.lock"
#: A manifest is small; anything larger is not one of ours.
MANIFEST_BYTES = 64 * 1024


@dataclass(frozen=True)
class Record:
    """One fetched file's manifest."""

    address: str
    size: int
    sha256: str
    fetched_at: str
    etag: str | None = None
    last_modified: str | None = None
    #: For a file extracted from an archive: the member's name in it (``address`` is the
    #: archive's, ``etag`` and ``last_modified`` the archive's too).
    member: str | None = None
    #: The member's CRC-32 as the archive's directory gives it: a member unchanged in a
    #: newer archive is known without fetching it again.
    crc32: int | None = None
    #: Which source (``london``, ``police-uk``) and what the source calls the file.
    source: str = ""
    title: str | None = None
    #: The content this file replaced (see the module's docstring).
    previous_sha256: str | None = None
    #: The file's modification time when written: a file still as written is known as ours
    #: without reading it again.
    mtime_ns: int | None = None
    tool: str = f"policing {__version__}"

    def as_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"


def now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def manifest_path(target: Path) -> Path:
    return target.with_name(target.name + SUFFIX)


def part_path(target: Path) -> Path:
    return target.with_name(target.name + PART)


def read_record(target: Path) -> Record | None:
    """The manifest of ``target``, or None when there is none (or it is not one of ours)."""
    data = _read_json(manifest_path(target))
    if data is None:
        return None
    names = {f.name for f in fields(Record)}
    try:
        return Record(**{k: v for k, v in data.items() if k in names})
    except TypeError:  # a required field missing: not a manifest this tool wrote
        return None


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        if not path.is_file() or path.stat().st_size > MANIFEST_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_text_atomic(path: Path, text: str) -> None:
    """Write a small file whole or not at all (temporary file beside it, then a rename)."""
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temp, _default_mode())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class State(enum.Enum):
    ABSENT = "absent"
    #: Written by this tool and as written.
    OURS = "ours"
    #: Written by this tool, but holding what an interrupted replacement was replacing.
    STALE = "stale"
    #: No manifest of ours: the user's file.
    FOREIGN = "foreign"
    #: A manifest of ours, but the file has been changed since.
    CHANGED = "changed"


def state_of(target: Path) -> tuple[State, Record | None]:
    """Whether ``target`` is absent, this tool's file as written, or not to be touched."""
    record = read_record(target)
    try:
        info = target.lstat()
    except FileNotFoundError:
        return State.ABSENT, record
    import stat

    if not stat.S_ISREG(info.st_mode) or record is None:
        return State.FOREIGN, record
    if info.st_size == record.size and info.st_mtime_ns == record.mtime_ns:
        return State.OURS, record
    digest = file_sha256(target)
    if digest == record.sha256:
        return State.OURS, record
    if digest == record.previous_sha256:
        return State.STALE, record
    return State.CHANGED, record


class LeftAlone(FetchError):
    """A file the tool would write is the user's: it is left as it is."""

    def __init__(self, target: Path, state: State) -> None:
        why = {
            State.FOREIGN: "was not written by policing fetch",
            State.CHANGED: "has been changed since policing fetch wrote it",
        }.get(state, "is not a regular file")
        super().__init__(
            f"{target}: {why}: left alone (move it away, then fetch again to get the current file)"
        )
        self.target = target


def check_writable(target: Path) -> tuple[State, Record | None]:
    """The target's state, or ``LeftAlone`` when the tool must not replace it."""
    state, record = state_of(target)
    if state in (State.FOREIGN, State.CHANGED):
        raise LeftAlone(target, state)
    return state, record


def install(part: Path, target: Path, record: Record) -> Record:
    """Put a complete download in place of ``target``: the manifest first (naming what it
    replaces), then the file, each by a rename. ``record`` gets the file's size, time."""
    state, old = check_writable(target)
    info = part.stat()
    previous = None
    if state is State.OURS and old is not None:
        previous = old.sha256
    elif state is State.STALE and old is not None:
        previous = old.previous_sha256
    final = replace(record, size=info.st_size, mtime_ns=info.st_mtime_ns, previous_sha256=previous)
    write_text_atomic(manifest_path(target), final.as_json())
    os.replace(part, target)
    return final


def update_record(target: Path, record: Record) -> None:
    """Rewrite a manifest (a file found unchanged: its new ETag, when it was checked)."""
    write_text_atomic(manifest_path(target), record.as_json())


def remove_ours(target: Path) -> bool:
    """Remove a file this tool wrote (and its manifest); never anything else."""
    state, _ = state_of(target)
    if state not in (State.OURS, State.STALE):
        return False
    target.unlink()
    manifest_path(target).unlink(missing_ok=True)
    return True


def fetched_files(folder: Path) -> Iterator[tuple[Path, Record]]:
    """Every file below ``folder`` with a manifest of ours (present or not)."""
    if not folder.is_dir():
        return
    for manifest in sorted(folder.rglob("*" + SUFFIX)):
        target = manifest.with_name(manifest.name[: -len(SUFFIX)])
        record = read_record(target)
        if record is not None:
            yield target, record


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """One ``policing fetch`` at a time writes into a folder (a second is an error, not a
    race over the same temporary files). Where the system has no advisory locks (Windows),
    nothing is locked."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            raise FetchError(
                f"{folder}: another policing fetch is writing into this folder: try again "
                "when it has finished"
            ) from err
        yield
    finally:
        os.close(handle)


@dataclass(frozen=True)
class PartInfo:
    """What a download in progress needs to be resumed: the address, the validator the
    bytes so far belong to, and the whole size."""

    address: str
    etag: str | None
    last_modified: str | None
    total: int | None

    @property
    def validator(self) -> str | None:
        """What If-Range may carry: a strong ETag, else the Last-Modified date."""
        if self.etag and not self.etag.startswith("W/"):
            return self.etag
        return self.last_modified


def read_part(target: Path) -> PartInfo | None:
    data = _read_json(part_path(target).with_name(part_path(target).name + ".json"))
    if data is None:
        return None
    try:
        return PartInfo(
            str(data["address"]), data.get("etag"), data.get("last_modified"), data.get("total")
        )
    except KeyError:
        return None


def write_part(target: Path, info: PartInfo) -> None:
    path = part_path(target).with_name(part_path(target).name + ".json")
    write_text_atomic(path, json.dumps(asdict(info), sort_keys=True) + "\n")


def drop_part(target: Path) -> None:
    part = part_path(target)
    part.unlink(missing_ok=True)
    part.with_name(part.name + ".json").unlink(missing_ok=True)

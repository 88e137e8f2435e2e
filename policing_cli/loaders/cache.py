"""A cache of loaded count files, so later reports on unchanged inputs skip the CSV parsing.

It must never lose a file, never serve figures of a file that has changed, and never trust
an entry it cannot prove it wrote:

* **Where.** Entries live in one subfolder of the cache folder, ``policing-cache-v2``, and
  are named ``<40 hex digits>.json`` (the sealed metadata) with the data files the metadata
  names (``.arrow``). The tool creates, replaces and removes files only there, and removes
  only entries whose metadata carries its own seal: pointing ``POLICING_CACHE_DIR`` at a home
  folder, ``.`` or a shared temporary folder loses nothing.
* **Keys: what was read.** An input's key is its fingerprint (``fingerprint``): its path,
  device and inode, size, modification *and change* times (``touch -r`` can set the first
  back, not the second) and a SHA-256 of its content (whole up to 32 MiB; for larger street
  files, of sampled blocks: the first and last MiB and 16 between). The loader checks the
  fingerprint again after reading (``check_unchanged``): a file changed while it was read (an
  archive replaced between its members) is an error, never an entry.
* **Seals.** Each entry's metadata holds the SHA-256 of its data files and is sealed with an
  HMAC-SHA-256 under a secret key of the user's own (created once, readable by the user only,
  in the user's data folder, never in the cache folder): an entry damaged, edited with
  recomputed checksums, or written by someone else sharing the folder fails its seal and is
  rebuilt, never read as figures. Without a key (a read-only home), there is no cache.
* **Pruning.** Entries of ours not rewritten for 90 days are removed when the cache is next
  written to (an entry still in use is simply rebuilt).

Location: ``$POLICING_CACHE_DIR``, else the platform's cache folder: ``$XDG_CACHE_HOME`` or
``~/.cache`` on Linux, ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows, each
followed by ``policing``. The key: ``$POLICING_CACHE_KEY``, else ``cache.key`` in the
platform's data folder (``$XDG_DATA_HOME`` or ``~/.local/share``, ``~/Library/Application
Support``, ``%APPDATA%``), under ``policing``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policing_cli.model import LoadedFile

if TYPE_CHECKING:
    import pandas as pd

    from policing_cli.model import Dataset
    from policing_cli.report.measures import Indicator

#: Bump when a loader's output changes, so old entries are never read back.
LOADER_VERSION = "11"
#: The one folder, inside the cache folder, the tool writes to and prunes.
SUBFOLDER = "policing-cache-v2"
#: Entries not rewritten for this long are removed when the cache is next written to.
PRUNE_AFTER_DAYS = 90
#: Up to this size an input's whole content is hashed; above it, sampled blocks.
WHOLE_HASH_BYTES = 32 * 1024 * 1024
_SAMPLE_EDGE = 1024 * 1024
_SAMPLE_BLOCK = 64 * 1024
_SAMPLES = 16
_NAME = re.compile(r"(all-)?[0-9a-f]{40}")
#: An entry's data files: its rows and (street files) its counts by outcome.
_SUFFIX = {"rows": ".arrow", "outcomes": ".outcomes.arrow"}


def cache_dir() -> Path:
    if folder := os.environ.get("POLICING_CACHE_DIR"):
        return Path(folder)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "policing" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "policing"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "policing"


def entries_dir() -> Path:
    """The subfolder holding the entries: the only place the cache writes or removes."""
    return cache_dir() / SUBFOLDER


def key_path() -> Path:
    if path := os.environ.get("POLICING_CACHE_KEY"):
        return Path(path)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "policing" / "cache.key"


_SECRETS: dict[Path, bytes] = {}


def _secret() -> bytes | None:
    """The user's own key for sealing entries: read, or created once (mode 0600)."""
    path = key_path()
    if path in _SECRETS:
        return _SECRETS[path]
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = b""
    except OSError:
        return None
    if len(data) < 32:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fresh = secrets.token_bytes(32)
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(handle, "wb") as out:
                out.write(fresh)
            data = fresh
        except FileExistsError:
            try:
                data = path.read_bytes()
            except OSError:
                return None
        except OSError:
            return None
    if len(data) < 32:
        return None
    _SECRETS[path] = data
    return data


# -- fingerprints -------------------------------------------------------------------------


@dataclass(frozen=True)
class Fingerprint:
    """What an input was when it was read: identity, size, times and content."""

    path: str
    identity: tuple[int, int, int, int, int]  # device, inode, size, mtime_ns, ctime_ns
    content: str  # SHA-256 of the content (or of sampled blocks of a large file)

    @property
    def token(self) -> str:
        device, inode, size, mtime, ctime = self.identity
        return f"{self.path}|{device}|{inode}|{size}|{mtime}|{ctime}|{self.content}"


def _identity(info: os.stat_result) -> tuple[int, int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def fingerprint(path: Path) -> Fingerprint | None:
    """The input's fingerprint, read from the open file; None for what is not a regular
    file (a pipe, a device) or cannot be read."""
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return None
            digest = hashlib.sha256()
            size = info.st_size
            if size <= WHOLE_HASH_BYTES:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            else:
                offsets = [0, size - _SAMPLE_EDGE]
                step = (size - 2 * _SAMPLE_EDGE) // (_SAMPLES + 1)
                offsets[1:1] = [_SAMPLE_EDGE + step * (i + 1) for i in range(_SAMPLES)]
                for offset in offsets:
                    handle.seek(offset)
                    length = _SAMPLE_EDGE if offset in (0, size - _SAMPLE_EDGE) else _SAMPLE_BLOCK
                    digest.update(handle.read(length))
            after = os.fstat(handle.fileno())
    except OSError:
        return None
    if _identity(after) != _identity(info):
        return None  # changing as we look: not a file to cache
    return Fingerprint(str(path.resolve()), _identity(info), digest.hexdigest())


def unchanged(fingerprint: Fingerprint) -> bool:
    """True when the file is still what was fingerprinted (checked after reading it: a file
    replaced or written to meanwhile must not be cached, nor its figures trusted)."""
    try:
        return _identity(os.stat(fingerprint.path)) == fingerprint.identity
    except OSError:
        return False


def _key(*tokens: str, prefix: str = "") -> str:
    text = "|".join([LOADER_VERSION, *tokens])
    return prefix + hashlib.sha256(text.encode()).hexdigest()[:40]


# -- seals --------------------------------------------------------------------------------


class DamagedEntry(ValueError):
    """An entry that fails its seal or its checksums."""


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _canonical(payload: Any) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def _seal(payload: Any, secret: bytes) -> str:
    """JSON text holding ``payload`` and its HMAC under the user's key."""
    mac = hmac.new(secret, _canonical(payload), hashlib.sha256).hexdigest()
    return json.dumps({"policing-cache": 2, "payload": payload, "seal": mac})


def _unseal(text: str, secret: bytes) -> Any:
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("policing-cache") != 2:
        raise DamagedEntry("not an entry of this cache")
    payload = data["payload"]
    expected = hmac.new(secret, _canonical(payload), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, str(data.get("seal", ""))):
        raise DamagedEntry("metadata fails its seal")
    return payload


def _write(target: Path, data: bytes) -> None:
    """Atomically: a temporary file beside the target, then a rename."""
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, target)
    finally:
        Path(temp).unlink(missing_ok=True)


# -- entries ------------------------------------------------------------------------------


def _fetch(key: str) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame | None] | None:
    """An entry's metadata, rows and outcome rows; None on a miss or on an entry that fails
    its seal or checksums (rebuilt by the caller, and replaced when it writes)."""
    secret = _secret()
    if secret is None:
        return None
    folder = entries_dir()
    try:
        sealed = _unseal((folder / f"{key}.json").read_text(encoding="utf-8"), secret)
        meta, digests = sealed["meta"], sealed["digests"]
        frame = _read_frame(folder / f"{key}{_SUFFIX['rows']}", digests["rows"])
        outcomes = (
            _read_frame(folder / f"{key}{_SUFFIX['outcomes']}", digests["outcomes"])
            if digests["outcomes"]
            else None
        )
    except FileNotFoundError:
        return None
    except Exception:  # any unreadable, damaged or foreign entry is a miss
        return None
    return meta, frame, outcomes


def _read_frame(path: Path, digest: str) -> pd.DataFrame:
    import pyarrow as pa

    # Read into memory, not memory-mapped: the frame must not pin a file that a later run may
    # replace or delete (which Windows refuses for a mapped file). Entries are small.
    data = path.read_bytes()
    if _digest(data) != digest:
        raise DamagedEntry(f"{path.name} fails its checksum")
    table = pa.ipc.open_file(pa.py_buffer(data)).read_all()
    table.validate(full=True)
    return table.to_pandas()


def _frame_bytes(frame: pd.DataFrame) -> bytes:
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _store(
    key: str, frame: pd.DataFrame, outcomes: pd.DataFrame | None, meta: dict[str, Any]
) -> None:
    """Write an entry: data first, sealed metadata (naming the data and their checksums)
    last, so an entry without its metadata is never read; a cache that cannot be written
    is skipped, never an error."""
    secret = _secret()
    if secret is None:
        return
    folder = entries_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _prune(folder, secret)
        digests: dict[str, str | None] = {"rows": None, "outcomes": None}
        for part, data in (("rows", frame), ("outcomes", outcomes)):
            if data is None:
                continue
            raw = _frame_bytes(data)
            digests[part] = _digest(raw)
            _write(folder / f"{key}{_SUFFIX[part]}", raw)
        payload = {"meta": meta, "digests": digests, "written": int(time.time())}
        _write(folder / f"{key}.json", _seal(payload, secret).encode("utf-8"))
    except (OSError, ImportError):
        return


class PrunedFolders:
    """The entry folders already pruned in this process: pruning reads every entry's
    metadata, so it runs once per process and folder (when the cache is first written to),
    not at every write."""

    def __init__(self) -> None:
        self._folders: set[Path] = set()

    def first_time(self, folder: Path) -> bool:
        """True the first time ``folder`` is asked about; it is then recorded."""
        if folder in self._folders:
            return False
        self._folders.add(folder)
        return True

    def clear(self) -> None:
        """Forget every folder, as a new process would start."""
        self._folders.clear()


#: The one record of this process, kept by ``_prune``.
PRUNED = PrunedFolders()


def _prune(folder: Path, secret: bytes) -> None:
    """Remove our entries not rewritten for PRUNE_AFTER_DAYS, once per process and folder:
    only files named as entries, in the cache's own subfolder, whose metadata carries our
    seal; the data files removed are those the metadata names."""
    if not PRUNED.first_time(folder):
        return
    oldest = time.time() - PRUNE_AFTER_DAYS * 86400
    try:
        names = [p for p in folder.iterdir() if p.suffix == ".json" and _NAME.fullmatch(p.stem)]
    except OSError:
        return
    for meta_path in names:
        try:
            payload = _unseal(meta_path.read_text(encoding="utf-8"), secret)
            if int(payload.get("written", 0)) >= oldest:
                continue
            for part, digest in payload["digests"].items():
                if digest and part in _SUFFIX:
                    (folder / f"{meta_path.stem}{_SUFFIX[part]}").unlink(missing_ok=True)
            meta_path.unlink(missing_ok=True)
        except Exception:  # not ours, or not provably: left alone
            continue


def get(fingerprint: Fingerprint) -> LoadedFile | None:
    entry = _fetch(_key(fingerprint.token))
    if entry is None:
        return None
    meta, frame, outcomes = entry
    return LoadedFile(
        path=meta["path"],
        layout=meta["layout"],
        frame=frame,
        first_month=meta["first_month"],
        last_month=meta["last_month"],
        notes=tuple(meta["notes"]),
        months=frozenset(meta["months"]),
        outcomes=outcomes,
        classification=meta["classification"],
        level=meta["level"],
    )


def put(fingerprint: Fingerprint, loaded: LoadedFile) -> None:
    meta = {
        "path": loaded.path,
        "layout": loaded.layout,
        "first_month": loaded.first_month,
        "last_month": loaded.last_month,
        "notes": list(loaded.notes),
        "months": sorted(loaded.months),
        "classification": loaded.classification,
        "level": loaded.level,
    }
    _store(_key(fingerprint.token), loaded.table, loaded.outcomes, meta)


def get_combined(fingerprints: list[Fingerprint]) -> Dataset | None:
    """The combined table of a whole set of unchanged inputs: a later report on the same
    inputs reads one small Arrow file, however many input files there are."""
    from policing_cli.model import Dataset, SourceFile

    entry = _fetch(_key(*(f.token for f in fingerprints), prefix="all-"))
    if entry is None:
        return None
    meta, frame, outcomes = entry
    sources = [
        SourceFile(s["path"], s["layout"], s["first_month"], s["last_month"], s["supplied"],
                   frozenset(s["months"]), s["classification"], s["level"])
        for s in meta["sources"]
    ]  # fmt: skip
    return Dataset(frame, tuple(sources), tuple(meta["notes"]), outcomes=outcomes)


def put_combined(fingerprints: list[Fingerprint], dataset: Dataset) -> None:
    meta = {
        "sources": [
            {"path": s.path, "layout": s.layout, "first_month": s.first_month,
             "last_month": s.last_month, "supplied": s.supplied, "months": sorted(s.months),
             "classification": s.classification, "level": s.level}
            for s in dataset.sources
        ],
        "notes": list(dataset.notes),
    }  # fmt: skip
    _store(
        _key(*(f.token for f in fingerprints), prefix="all-"), dataset.frame, dataset.outcomes, meta
    )


def get_indicators(fingerprint: Fingerprint) -> list[Indicator] | None:
    """Indicators of an unchanged file (the survey export takes a while to parse)."""
    from decimal import Decimal

    from policing_cli.report.measures import Indicator

    secret = _secret()
    if secret is None:
        return None
    try:
        text = (entries_dir() / f"{_key(fingerprint.token)}.json").read_text(encoding="utf-8")
        rows = _unseal(text, secret)["indicators"]
        return [Indicator(a, p, m, Decimal(v), f, n) for a, p, m, v, f, n in rows]
    except Exception:
        return None


def put_indicators(fingerprint: Fingerprint, indicators: list[Indicator]) -> None:
    secret = _secret()
    if secret is None:
        return
    rows = [[i.area, i.period, i.measure, str(i.value), i.path, i.line] for i in indicators]
    try:
        folder = entries_dir()
        folder.mkdir(parents=True, exist_ok=True)
        payload = {"indicators": rows, "digests": {}, "written": int(time.time())}
        _write(folder / f"{_key(fingerprint.token)}.json", _seal(payload, secret).encode("utf-8"))
    except OSError:
        return

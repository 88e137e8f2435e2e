"""A cache of loaded count files, so later reports on unchanged inputs skip the CSV parsing.

It must never lose a file, never serve figures of a file that has changed, and never trust
an entry it cannot prove it wrote:

* **Where.** Entries live in one subfolder of the cache folder, ``policing-cache-v2``, and
  are named ``<40 hex digits>.json`` (the sealed metadata) with the data files the metadata
  names (``.arrow``). The tool creates, replaces and removes files only there, and removes
  only entries whose metadata carries its own seal: pointing ``POLICING_CACHE_DIR`` at a home
  folder, ``.`` or a shared temporary folder loses nothing.
* **Keys: what was read.** An input's key is its fingerprint (``fingerprints``): its path,
  device and inode, size, modification *and change* times (``touch -r`` can set the first
  back, not the second) and a SHA-256 of its content (whole up to 32 MiB; for larger street
  files, of sampled blocks: the first and last MiB and 16 between). The loader checks the
  fingerprint again after reading (``fingerprints.unchanged``): a file changed while it was
  read (an archive replaced between its members) is an error, never an entry.
* **What is stored.** An entry is a loaded file, a combined dataset or a file's indicators,
  written field by field from the model's own dataclasses (``dataclasses.fields``), so a new
  field is stored with no change here; tables (pandas) go to Arrow files beside the
  metadata, and fields marked ``model.NOT_CACHED`` (what is added after combining, or kept
  for one run) are left out.
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

import dataclasses
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from policing_cli.folders import cache_home, data_home
from policing_cli.loaders.cache_format import PART, decode, encode
from policing_cli.loaders.fingerprints import Fingerprint
from policing_cli.model import Dataset, LoadedFile

if TYPE_CHECKING:
    import pandas as pd

    from policing_cli.model import Indicator

#: Bump when a loader's output or what an entry stores changes, so old entries are never
#: read back (12: entries written from the dataclasses' fields; 13: tables compressed,
#: lists of one kind of record written column by column; 14: street files' force-months).
LOADER_VERSION = "14"
#: The one folder, inside the cache folder, the tool writes to and prunes.
SUBFOLDER = "policing-cache-v2"
#: Entries not rewritten for this long are removed when the cache is next written to.
PRUNE_AFTER_DAYS = 90
_NAME = re.compile(r"(all-)?[0-9a-f]{40}")


def cache_dir() -> Path:
    if folder := os.environ.get("POLICING_CACHE_DIR"):
        return Path(folder)
    return cache_home()


def entries_dir() -> Path:
    """The subfolder holding the entries: the only place the cache writes or removes."""
    return cache_dir() / SUBFOLDER


def key_path() -> Path:
    if path := os.environ.get("POLICING_CACHE_KEY"):
        return Path(path)
    return data_home() / "cache.key"


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


def _key(*tokens: str, prefix: str = "") -> str:
    text = "|".join([LOADER_VERSION, *tokens])
    return prefix + hashlib.sha256(text.encode()).hexdigest()[:40]


def _combined_key(fingerprints: list[Fingerprint]) -> str:
    return _key(*(f.token for f in fingerprints), prefix="all-")


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


def _write(target: Path, data: bytes | Callable[[IO[bytes]], None]) -> None:
    """Atomically: a temporary file beside the target, then a rename. ``data`` is the bytes,
    or what writes them to the open file."""
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            if callable(data):
                data(out)
            else:
                out.write(data)
        os.replace(temp, target)
    finally:
        Path(temp).unlink(missing_ok=True)


# -- entries as JSON and Arrow -----------------------------------------------------------


def _suffix(part: str) -> str:
    """The name of an entry's data file after its key: the rows ``.arrow``, any other table
    ``.<part>.arrow`` (a street file's counts by outcome: ``.outcomes.arrow``)."""
    if not PART.fullmatch(part):
        raise DamagedEntry(f"no data file is called {part!r}")
    return ".arrow" if part == "rows" else f".{part}.arrow"


def _fetch(key: str) -> Any:
    """An entry, read back; None on a miss or on an entry that fails its seal or checksums
    (rebuilt by the caller, and replaced when it writes)."""
    secret = _secret()
    if secret is None:
        return None
    folder = entries_dir()
    try:
        sealed = _unseal((folder / f"{key}.json").read_text(encoding="utf-8"), secret)
        tables = {
            part: _read_frame(folder / f"{key}{_suffix(part)}", digest)
            for part, digest in sealed["digests"].items()
        }
        return decode(sealed["entry"], tables)
    except FileNotFoundError:
        return None
    except Exception:  # any unreadable, damaged or foreign entry is a miss
        return None


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


class _HashingWriter:
    """A file that hashes what is written to it (SHA-256), for arrow to write into."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self.digest = hashlib.sha256()
        self.closed = False

    def write(self, data: Any) -> int:
        self.digest.update(data)
        return self._out.write(data)

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        self.closed = True  # the caller closes the file


def _write_frame(target: Path, frame: pd.DataFrame) -> str:
    """Write a table as an Arrow IPC file (atomically) and return the SHA-256 of its bytes:
    written straight to the file as arrow makes them, never held whole in memory (a
    national archive's counts by outcome are 50 MB)."""
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, preserve_index=False)
    digest = []
    # Compressed buffers: a long table of counts repeats itself. zstd where arrow has it
    # (the bundled data's combined table 8.6 MB -> 0.37 MB, read back as fast; a national
    # table of 50 MB a few MB), else LZ4.
    compression = (
        "zstd"
        if pa.Codec.is_available("zstd")
        else "lz4"
        if pa.Codec.is_available("lz4_frame")
        else None
    )
    options = pa.ipc.IpcWriteOptions(compression=compression)

    def write(out: IO[bytes]) -> None:
        sink = _HashingWriter(out)
        with pa.ipc.new_file(
            pa.PythonFile(sink, mode="w"), table.schema, options=options
        ) as writer:
            writer.write_table(table)
        digest.append(sink.digest.hexdigest())

    _write(target, write)
    return digest[0]


def _store(key: str, entry: Any) -> None:
    """Write an entry: data first, sealed metadata (naming the data and their checksums)
    last, so an entry without its metadata is never read; a cache that cannot be written
    is skipped, never an error."""
    secret = _secret()
    if secret is None:
        return
    tables: dict[str, pd.DataFrame] = {}
    encoded = encode(entry, tables)
    folder = entries_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _prune(folder, secret)
        digests: dict[str, str] = {}
        for part, table in tables.items():
            digests[part] = _write_frame(folder / f"{key}{_suffix(part)}", table)
        payload = {"entry": encoded, "digests": digests, "written": int(time.time())}
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
                if digest:
                    (folder / f"{meta_path.stem}{_suffix(part)}").unlink(missing_ok=True)
            meta_path.unlink(missing_ok=True)
        except Exception:  # not ours, or not provably: left alone
            continue


def get(fingerprint: Fingerprint) -> LoadedFile | None:
    """A count file as loaded before, if this very input was (see ``fingerprints``)."""
    found = _fetch(_key(fingerprint.token))
    return found if isinstance(found, LoadedFile) else None


def put(fingerprint: Fingerprint, loaded: LoadedFile) -> None:
    # The rows stored as one table, whichever way the loader gave them (``columns``).
    _store(_key(fingerprint.token), dataclasses.replace(loaded, frame=loaded.table))


def get_combined(fingerprints: list[Fingerprint]) -> Dataset | None:
    """The combined table of a whole set of unchanged inputs: a later report on the same
    inputs reads one small Arrow file, however many input files there are."""
    found = _fetch(_combined_key(fingerprints))
    return found if isinstance(found, Dataset) else None


def put_combined(fingerprints: list[Fingerprint], dataset: Dataset) -> None:
    _store(_combined_key(fingerprints), dataset)


def get_indicators(fingerprint: Fingerprint) -> list[Indicator] | None:
    """Indicators of an unchanged file (the survey export takes a while to parse)."""
    from policing_cli.model import Indicator

    found = _fetch(_key(fingerprint.token))
    if isinstance(found, tuple) and all(isinstance(item, Indicator) for item in found):
        return list(found)
    return None


def put_indicators(fingerprint: Fingerprint, indicators: list[Indicator]) -> None:
    _store(_key(fingerprint.token), indicators)

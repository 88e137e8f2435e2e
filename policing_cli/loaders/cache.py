"""A cache of loaded count files, so later reports on unchanged inputs skip the CSV parsing.

Each input file's canonical rows (and, for street files, its counts by outcome) are stored as
Arrow IPC files (read in a few milliseconds with no import beyond the pyarrow that pandas
loads anyway, where Parquet costs about 60 ms more) under a key made of the file's resolved path, size and modification time and the
loader version: any change to the file, or to how files are read, misses the cache. Each
entry's metadata file, written last, holds the SHA-256 of its data files and of itself, so
an entry that is damaged in any way (a flipped byte, half-written by a killed process) fails
its check and is deleted and rebuilt, never read as figures; a cache that cannot be written
(read-only disk) is skipped, never an error.

Location: ``$POLICING_CACHE_DIR``, else the platform's cache folder: ``$XDG_CACHE_HOME`` or
``~/.cache`` on Linux, ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows, each
followed by ``policing``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policing_cli.loaders.source import LoadedFile

if TYPE_CHECKING:
    import pandas as pd

    from policing_cli.loaders.inputs import Dataset
    from policing_cli.report.measures import Indicator

#: Bump when a loader's output changes, so old entries are never read back.
LOADER_VERSION = "10"


def cache_dir() -> Path:
    if folder := os.environ.get("POLICING_CACHE_DIR"):
        return Path(folder)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "policing" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "policing"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "policing"


def _key(path: Path) -> str | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    text = f"{LOADER_VERSION}|{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def get(path: Path) -> LoadedFile | None:
    key = _key(path)
    if key is None:
        return None
    entry = _fetch(key)
    if entry is None:
        return None
    meta, frame, outcomes = entry
    return LoadedFile(
        path=meta["path"],
        layout=meta["layout"],
        frame=frame,
        first_month=meta["first_month"],
        last_month=meta["last_month"],
        notes=list(meta["notes"]),
        months=set(meta["months"]),
        outcomes=outcomes,
        classification=meta["classification"],
        level=meta["level"],
    )


def _write(target: Path, writer) -> None:
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    try:
        writer(temp)
        os.replace(temp, target)
    finally:
        Path(temp).unlink(missing_ok=True)


class DamagedEntry(ValueError):
    """A cache entry that fails its checksum."""


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _seal(payload: Any) -> str:
    """JSON text holding ``payload`` and the SHA-256 of its canonical form."""
    return json.dumps(
        {"payload": payload, "seal": _digest(json.dumps(payload, sort_keys=True).encode())}
    )


def _unseal(text: str) -> Any:
    data = json.loads(text)
    payload = data["payload"]
    if _digest(json.dumps(payload, sort_keys=True).encode()) != data["seal"]:
        raise DamagedEntry("metadata fails its checksum")
    return payload


def _fetch(key: str) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame | None] | None:
    """An entry's metadata, rows and outcome rows; None on a miss. A damaged entry (any
    byte changed, half-written by a killed process) is deleted and counts as a miss."""
    folder = cache_dir()
    try:
        sealed = _unseal((folder / f"{key}.json").read_text(encoding="utf-8"))
        meta, digests = sealed["meta"], sealed["digests"]
        frame = _read_frame(folder / f"{key}{_SUFFIX['rows']}", digests["rows"])
        outcomes = (
            _read_frame(folder / f"{key}{_SUFFIX['outcomes']}", digests["outcomes"])
            if digests["outcomes"]
            else None
        )
    except FileNotFoundError:
        return None
    except Exception:  # any unreadable or damaged entry is a miss, rebuilt by the caller
        for stale in folder.glob(f"{key}*"):
            stale.unlink(missing_ok=True)
        return None
    return meta, frame, outcomes


#: An entry's data files: its rows and (street files) its counts by outcome.
_SUFFIX = {"rows": ".arrow", "outcomes": ".outcomes.arrow"}


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
    """Write an entry: data first, metadata (with the data's checksums) last, so an entry
    without its .json is never read; a cache that cannot be written is skipped, never an
    error."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _prune(folder)
        digests: dict[str, str | None] = {"rows": None, "outcomes": None}
        for part, data in (("rows", frame), ("outcomes", outcomes)):
            if data is None:
                continue
            raw = _frame_bytes(data)
            digests[part] = _digest(raw)
            _write(folder / f"{key}{_SUFFIX[part]}", lambda t, raw=raw: Path(t).write_bytes(raw))
        text = _seal({"meta": meta, "digests": digests})
        _write(folder / f"{key}.json", lambda t: Path(t).write_text(text, encoding="utf-8"))
    except (OSError, ImportError):
        return


#: Entries not rewritten for this long are removed when the cache is next written to (an
#: entry still in use is then simply rebuilt once), and so are files of older cache formats.
PRUNE_AFTER_DAYS = 90


_pruned: set[Path] = set()


def _prune(folder: Path) -> None:
    """Once per process and folder (a run may write dozens of entries)."""
    import time

    if folder in _pruned:
        return
    _pruned.add(folder)
    oldest = time.time() - PRUNE_AFTER_DAYS * 86400
    for item in folder.iterdir():
        try:
            if item.suffix == ".parquet" or item.stat().st_mtime < oldest:
                item.unlink()
        except OSError:
            continue


def put(path: Path, loaded: LoadedFile) -> None:
    key = _key(path)
    if key is None:
        return
    meta = {
        "path": loaded.path,
        "layout": loaded.layout,
        "first_month": loaded.first_month,
        "last_month": loaded.last_month,
        "notes": loaded.notes,
        "months": sorted(loaded.months),
        "classification": loaded.classification,
        "level": loaded.level,
    }
    _store(key, loaded.frame, loaded.outcomes, meta)


def _combined_key(stamps: list[tuple[str, int, int]]) -> str:
    text = LOADER_VERSION + "|" + "|".join(f"{p}:{s}:{m}" for p, s, m in stamps)
    return "all-" + hashlib.sha256(text.encode()).hexdigest()[:40]


def get_combined(stamps: list[tuple[str, int, int]]) -> Dataset | None:
    """The combined table of a whole set of unchanged inputs: a later report on the same
    inputs reads one small Arrow file, however many input files there are."""
    from policing_cli.loaders.inputs import Dataset, SourceFile

    if any(size < 0 for _, size, _ in stamps):
        return None
    entry = _fetch(_combined_key(stamps))
    if entry is None:
        return None
    meta, frame, outcomes = entry
    sources = [
        SourceFile(s["path"], s["layout"], s["first_month"], s["last_month"], s["supplied"],
                   frozenset(s["months"]), s["classification"], s["level"])
        for s in meta["sources"]
    ]  # fmt: skip
    return Dataset(frame, sources, list(meta["notes"]), outcomes=outcomes)


def put_combined(stamps: list[tuple[str, int, int]], dataset: Dataset) -> None:
    if any(size < 0 for _, size, _ in stamps):
        return
    key = _combined_key(stamps)
    meta = {
        "sources": [
            {"path": s.path, "layout": s.layout, "first_month": s.first_month,
             "last_month": s.last_month, "supplied": s.supplied, "months": sorted(s.months),
             "classification": s.classification, "level": s.level}
            for s in dataset.sources
        ],
        "notes": dataset.notes,
    }  # fmt: skip
    _store(key, dataset.frame, dataset.outcomes, meta)


def get_indicators(path: Path) -> list[Indicator] | None:
    """Indicators of an unchanged file (the survey export takes a while to parse)."""
    from decimal import Decimal

    from policing_cli.report.measures import Indicator

    key = _key(path)
    if key is None:
        return None
    try:
        rows = _unseal((cache_dir() / f"{key}.indicators.json").read_text(encoding="utf-8"))
        return [Indicator(a, p, m, Decimal(v), f, n) for a, p, m, v, f, n in rows]
    except FileNotFoundError:
        return None
    except Exception:
        (cache_dir() / f"{key}.indicators.json").unlink(missing_ok=True)
        return None


def put_indicators(path: Path, indicators: list[Indicator]) -> None:
    key = _key(path)
    if key is None:
        return
    rows = [[i.area, i.period, i.measure, str(i.value), i.path, i.line] for i in indicators]
    try:
        cache_dir().mkdir(parents=True, exist_ok=True)
        target = cache_dir() / f"{key}.indicators.json"
        _write(target, lambda t: Path(t).write_text(_seal(rows), encoding="utf-8"))
    except OSError:
        return

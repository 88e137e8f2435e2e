"""data.police.uk street-level crime files: one row per crime, one file per force and month.

``Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,
Crime type,Last outcome category,Context``

The layout: which files are street files (their header; ``*-street.csv`` members of an
archive, its other files and archives inside it said, never read in silence), and the
canonical table made from their counts. Each file is counted by ``street_counts`` (bounded
memory whatever its size), an archive's members several at a time by ``archive_counts``,
into counts per month, force, district, crime type and outcome, coded as in
``street_keys``; a force-month read from two files is counted once. The
district is the LSOA name without its last token ("Barking and Dagenham 001A" ->
"Barking and Dagenham"); rows with no LSOA ("No location") count toward their force only
(area "").
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.errors import InputFormatError
from policing_cli.loaders import archive_counts, street_counts, street_keys
from policing_cli.loaders.csv_text import Sniffed
from policing_cli.loaders.layout import Kind, Layout
from policing_cli.loaders.street_keys import Codes
from policing_cli.model import LoadedFile
from policing_cli.report.periods import current_month, month_label, parse_month

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

HEADER_START = ("crime id", "month", "reported by", "falls within")
LAYOUT_NAME = C.STREET_LAYOUT
STREET_MAJOR = C.STREET_MAJOR
#: Other data.police.uk files that come in the same archives and hold no street crime.
OTHER_FILES = re.compile(r"-(outcomes|stop-and-search)\.csv$", re.IGNORECASE)


def matches(header: list[str]) -> bool:
    names = tuple(h.strip().casefold() for h in header[:4])
    return names == HEADER_START and "crime type" in {h.strip().casefold() for h in header}


def _file_size(path: Path) -> int:
    """A file's size (0 when unknown: a pipe, a device)."""
    try:
        return path.stat().st_size if path.is_file() else 0
    except OSError:
        return 0


def nested_archives(path: Path) -> list[str]:
    """Zip archives held inside an archive: never opened (a file inside a file inside an
    archive would be read without being seen), but never passed over in silence either."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return sorted(n for n in archive.namelist() if n.lower().endswith(".zip"))
    except (zipfile.BadZipFile, OSError):
        return []


def load_many(
    items: list[tuple[Path, str | None]],
    display: str,
    on_bytes: Callable[[int], None] | None = None,
) -> LoadedFile:
    """Counts of several street files (a zip archive's members, or one file)."""
    codes = street_keys.new_codes()
    notes: list[str] = []
    for archive in dict.fromkeys(path for path, member in items if member):
        if inner := nested_archives(archive):
            notes.append(_nested_note(archive, inner))
    keys, counts = _count_files(items, codes, on_bytes, notes)
    if not keys:
        raise InputFormatError(display, "has a header but no data rows")
    unique, summed = street_keys.merged(keys, counts)
    month_index = _month_indexes(display, codes["month"].values)
    frame, outcomes = _tables(unique, summed, codes, month_index)
    present = sorted(set(frame[C.MONTH]))
    forces = codes["force"].values
    force_months = frozenset(
        (str(forces[force]), int(month_index[month]))
        for force, month in street_keys.force_months(unique)
    )
    return LoadedFile(
        path=display,
        layout=LAYOUT_NAME,
        frame=frame,
        first_month=present[0],
        last_month=present[-1],
        notes=tuple(notes),
        months=frozenset(present),
        outcomes=outcomes,
        classification=C.STREET_TYPES,
        level="district",
        force_months=force_months,
    )


def _count_files(
    items: list[tuple[Path, str | None]],
    codes: dict[str, Codes],
    on_bytes: Callable[[int], None] | None,
    notes: list[str],
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Counts by packed key of each file in turn. A file holding a force-month already read
    from an earlier one (a folder and the archive it came from, given together) is counted
    once, with a note: adding both would double every figure."""
    keys: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    seen: dict[tuple[int, int], str] = {}
    for name, file_keys, file_counts in _counted(items, codes, on_bytes, notes):
        if not len(file_keys):
            continue
        pairs = street_keys.force_months(file_keys)
        repeated = [pair for pair in pairs if pair in seen]
        for force, month in repeated:
            notes.append(
                f"{Path(name).name}: {codes['month'].values[month]} of "
                f"{codes['force'].values[force]} was already read from "
                f"{Path(seen[(force, month)]).name}: counted once"
            )
        if repeated:
            continue
        seen.update(dict.fromkeys(pairs, name))
        keys.append(file_keys)
        counts.append(file_counts)
    return keys, counts


def _counted(
    items: list[tuple[Path, str | None]],
    codes: dict[str, Codes],
    on_bytes: Callable[[int], None] | None,
    notes: list[str],
) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    """Each file's name and counts by packed key, in order: an archive's members read
    several at a time (``archive_counts``), files one by one."""
    for (path, whole), group in itertools.groupby(items, key=lambda i: (i[0], i[1] is None)):
        if whole:
            name = str(path)
            yield (
                name,
                *street_counts.read_counts(
                    name,
                    functools.partial(path.open, "rb"),
                    codes,
                    on_bytes,
                    _file_size(path),
                    name,
                    notes,
                ),
            )
        else:
            members = [str(member) for _, member in group]
            yield from archive_counts.count_members(path, members, codes, on_bytes, notes)


def _month_indexes(display: str, months: list[str]) -> np.ndarray:
    """The month index of each month code; an error for a month that is not YYYY-MM or is
    in the future (a typing slip in a file, not data to report)."""
    import numpy as np

    bad = [m for m in months if parse_month(m) is None]
    if bad:
        raise InputFormatError(
            display, f"month {bad[0]!r} is not a month written YYYY-MM", column=2
        )
    month_index = np.array([parse_month(m) for m in months], dtype=np.int64)
    if future := [m for m, i in zip(months, month_index, strict=True) if i > current_month()]:
        raise InputFormatError(display, f"month {future[0]} is in the future", column=2)
    return month_index


def _tables(
    keys: np.ndarray, counts: np.ndarray, codes: dict[str, Codes], month_index: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The canonical table (counts by area, force, month and crime type) and the counts by
    outcome too, from the counts by packed key (sorted, each key once).

    The canonical table sums the outcomes of each key: the outcome is the key's lowest
    bits, so the keys of one (month, force, area, type) are neighbours and are summed in
    one pass (``np.add.reduceat``), then put in the order a pandas groupby would give (area,
    force, month, type): no grouping of millions of rows in pandas (national scale)."""
    # Only now: pandas is being imported in a background thread while arrow parses (which
    # releases the GIL); importing it before reading would make the parse wait for it.
    import numpy as np
    import pandas as pd

    outcome_bits = dict(street_keys.BITS)["outcome"]
    groups = keys >> outcome_bits
    starts = np.flatnonzero(np.concatenate(([True], groups[1:] != groups[:-1])))
    totals = np.add.reduceat(counts, starts) if len(starts) else counts[:0]
    grouped = street_keys.unpack(groups[starts] << outcome_bits)
    months = month_index[grouped["month"]]
    order = np.lexsort((grouped["type"], months, grouped["force"], grouped["area"]))

    def categorical(parts: dict[str, np.ndarray], name: str, pick: object = slice(None)):
        return pd.Categorical.from_codes(parts[name][pick], codes[name].values)

    frame = pd.DataFrame(
        {
            C.AREA: categorical(grouped, "area", order),
            C.FORCE: categorical(grouped, "force", order),
            C.MONTH: months[order],
            C.MINOR: categorical(grouped, "type", order),
            C.COUNT: totals[order],
        }
    )
    labels = {int(m): month_label(int(m)) for m in np.unique(months)}
    frame[C.PERIOD] = frame[C.MONTH].map(labels)
    frame[C.MAJOR] = STREET_MAJOR
    parts = street_keys.unpack(keys)
    outcomes = pd.DataFrame(
        {
            C.AREA: categorical(parts, "area"),
            C.FORCE: categorical(parts, "force"),
            C.MONTH: month_index[parts["month"]],
            C.MINOR: categorical(parts, "type"),
            "outcome": categorical(parts, "outcome"),
            C.COUNT: counts,
        }
    )
    return frame[[C.AREA, C.PERIOD, C.MONTH, C.MAJOR, C.MINOR, C.COUNT, C.FORCE]], outcomes


def load(
    path: Path, sniffed: Sniffed | None = None, on_bytes: Callable[[int], None] | None = None
) -> LoadedFile:
    """One street file (its header was sniffed already; the reader reads its own way)."""
    return load_many([(path, None)], str(path), on_bytes)


LAYOUT = Layout(
    name="data.police.uk street-level crime",
    description="Crime ID,Month,Reported by,Falls within,...; *-street.csv files, folders, zips",
    kind=Kind.COUNTS,
    matches=matches,
    load=load,
)


def _nested_note(path: Path, inner: list[str]) -> str:
    shown = ", ".join(inner[:3]) + (f" and {len(inner) - 3} more" if len(inner) > 3 else "")
    return (
        f"{Path(path).name} holds {len(inner)} zip archive(s) inside it ({shown}), not read: "
        "archives inside archives are not opened; extract them and give them with --data"
    )


def zip_members(path: Path) -> tuple[list[str], list[str]]:
    """Street CSV members of a data.police.uk archive, and the other files it holds.

    An archive whose only street files are inside another archive is an error that says so
    (not "holds no street files", which would leave the user puzzled).
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            every = archive.namelist()
    except (zipfile.BadZipFile, OSError) as err:
        raise InputFormatError(path, f"is not a readable zip archive ({err})") from err
    names = [n for n in every if n.lower().endswith(".csv")]
    street = sorted(n for n in names if n.lower().endswith("-street.csv"))
    other = sorted(n for n in names if n not in street)
    inner = sorted(n for n in every if n.lower().endswith(".zip"))
    if not street and inner:
        raise InputFormatError(path, "holds no *-street.csv files: " + _nested_note(path, inner))
    return street, other

"""data.police.uk street-level crime files: one row per crime, one file per force and month.

``Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,
Crime type,Last outcome category,Context``

Read with pyarrow's streaming CSV reader, only the columns reports need, dictionary-encoded,
batch by batch: each batch is reduced at once to counts per month, force, district, crime
type and outcome, so memory stays bounded whatever the size or number of files. The district
is the LSOA name without its last token ("Barking and Dagenham 001A" -> "Barking and
Dagenham"); rows with no LSOA ("No location") count toward their force only (area "").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.errors import InputFormatError
from policing_cli.loaders.source import LoadedFile
from policing_cli.report.periods import month_label, parse_month

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

HEADER_START = ("crime id", "month", "reported by", "falls within")
NEEDED = ("Month", "Falls within", "LSOA name", "Crime type", "Last outcome category")
LAYOUT = "data.police.uk street-level crime"
STREET_MAJOR = C.STREET_MAJOR
#: Other data.police.uk files that come in the same archives and hold no street crime.
OTHER_FILES = re.compile(r"-(outcomes|stop-and-search)\.csv$", re.IGNORECASE)
BLOCK_SIZE = 1 << 24  # 16 MiB of CSV text per batch


def matches(header: list[str]) -> bool:
    names = tuple(h.strip().casefold() for h in header[:4])
    return names == HEADER_START and "crime type" in {h.strip().casefold() for h in header}


def district_of(lsoa_name: str) -> str:
    """The local authority district of an LSOA name: all but its last token."""
    parts = lsoa_name.split()
    return " ".join(parts[:-1]) if len(parts) > 1 else ""


@dataclass
class _Codes:
    """Global integer codes for the strings of one column, across batches and files."""

    values: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)

    def code(self, value: str) -> int:
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.values)
            self.values.append(value)
        return found


def _column_codes(column: object, codes: _Codes, transform=None) -> np.ndarray:
    """Map a dictionary-encoded arrow column to global int32 codes (strings touched once per
    distinct value, not per row)."""
    import numpy as np
    import pyarrow as pa

    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    dictionary = array.dictionary.to_pylist()
    lookup = np.array(
        [codes.code(transform(v) if transform else v) for v in dictionary] or [0], dtype=np.int32
    )
    return lookup[array.indices.to_numpy(zero_copy_only=False)]


def _find_line(stream_opener, text_start: str) -> int | None:
    """The line number of the first line starting with ``text_start`` (error path only)."""
    try:
        with stream_opener() as handle:
            for number, raw in enumerate(handle, start=1):
                if raw.decode("utf-8", "replace").startswith(text_start):
                    return number
    except OSError:
        return None
    return None


def read_counts(name: str, opener, codes: dict[str, _Codes]) -> Iterator[pd.DataFrame]:
    """Yield per-batch counts (integer codes) of one street file; ``opener()`` opens it."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pcsv

    convert = pcsv.ConvertOptions(
        include_columns=list(NEEDED),
        column_types={c: pa.dictionary(pa.int32(), pa.string()) for c in NEEDED},
        strings_can_be_null=False,
    )
    with opener() as handle:
        try:
            reader = pcsv.open_csv(
                handle,
                read_options=pcsv.ReadOptions(block_size=BLOCK_SIZE),
                convert_options=convert,
            )
            for batch in reader:
                if batch.num_rows == 0:
                    continue
                frame = pd.DataFrame(
                    {
                        "month": _column_codes(batch.column("Month"), codes["month"], str.strip),
                        "force": _column_codes(
                            batch.column("Falls within"), codes["force"], str.strip
                        ),
                        "area": _column_codes(
                            batch.column("LSOA name"), codes["area"], district_of
                        ),
                        "type": _column_codes(batch.column("Crime type"), codes["type"], str.strip),
                        "outcome": _column_codes(
                            batch.column("Last outcome category"), codes["outcome"], str.strip
                        ),
                    }
                )
                yield frame.value_counts(sort=False).rename(C.COUNT).reset_index()
        except (pa.ArrowInvalid, pa.ArrowKeyError) as err:
            message = str(err)
            line = None
            if ": " in message and "Expected" in message:
                line = _find_line(opener, message.rsplit(": ", 1)[1][:60])
            cut = " (is the file cut off?)" if "Expected" in message else ""
            raise InputFormatError(
                name, f"is not a valid street-level CSV: {message.splitlines()[0]}{cut}", line=line
            ) from err


def _opener_for(path: Path, member: str | None):
    if member is None:
        return lambda: path.open("rb")
    import zipfile

    def open_member() -> IO[bytes]:
        archive = zipfile.ZipFile(path)
        handle = archive.open(member)
        handle_close = handle.close

        def close() -> None:
            handle_close()
            archive.close()

        handle.close = close  # type: ignore[method-assign]
        return handle

    return open_member


def load_many(items: list[tuple[Path, str | None]], display: str) -> LoadedFile:
    """Counts of several street files (a zip archive's members, or one file)."""
    import pandas as pd

    codes = {key: _Codes() for key in ("month", "force", "area", "type", "outcome")}
    parts: list[pd.DataFrame] = []
    seen: dict[tuple[str, ...], str] = {}
    notes: list[str] = []
    for path, member in items:
        name = f"{path}:{member}" if member else str(path)
        file_parts = list(read_counts(name, _opener_for(path, member), codes))
        if not file_parts:
            continue
        part = pd.concat(file_parts, ignore_index=True)
        pairs = {(codes["force"].values[f], codes["month"].values[m]) for f, m in
                 part[["force", "month"]].drop_duplicates().itertuples(index=False)}  # fmt: skip
        fresh = True
        for pair in pairs:
            if pair in seen:
                notes.append(
                    f"{Path(name).name}: {pair[1]} of {pair[0]} was already read from "
                    f"{Path(seen[pair]).name}: counted once"
                )
                fresh = False
            else:
                seen[pair] = name
        if fresh:
            parts.append(part)
    if not parts:
        raise InputFormatError(display, "has a header but no data rows")
    table = pd.concat(parts, ignore_index=True)
    table = table.groupby(list(table.columns[:-1]), as_index=False, sort=False)[C.COUNT].sum()

    months = codes["month"].values
    bad = [m for m in months if parse_month(m) is None]
    if bad:
        raise InputFormatError(
            display, f"month {bad[0]!r} is not a month written YYYY-MM", column=2
        )
    month_index = [parse_month(m) for m in months]
    outcomes = pd.DataFrame(
        {
            C.AREA: pd.Categorical.from_codes(table["area"], codes["area"].values),
            C.FORCE: pd.Categorical.from_codes(table["force"], codes["force"].values),
            C.MONTH: pd.array([month_index[i] for i in table["month"]], dtype="int64"),
            C.MINOR: pd.Categorical.from_codes(table["type"], codes["type"].values),
            "outcome": pd.Categorical.from_codes(table["outcome"], codes["outcome"].values),
            C.COUNT: table[C.COUNT].astype("int64").to_numpy(),
        }
    )
    frame = outcomes.groupby([C.AREA, C.FORCE, C.MONTH, C.MINOR], as_index=False, observed=True)[
        C.COUNT
    ].sum()
    frame[C.PERIOD] = frame[C.MONTH].map(month_label)
    frame[C.MAJOR] = STREET_MAJOR
    present = sorted(set(frame[C.MONTH]))
    return LoadedFile(
        path=display,
        layout=LAYOUT,
        frame=frame[[C.AREA, C.PERIOD, C.MONTH, C.MAJOR, C.MINOR, C.COUNT, C.FORCE]],
        first_month=present[0],
        last_month=present[-1],
        notes=notes,
        months=set(present),
        outcomes=outcomes,
    )


def load(path: Path) -> LoadedFile:
    return load_many([(path, None)], str(path))


def zip_members(path: Path) -> tuple[list[str], list[str]]:
    """Street CSV members of a data.police.uk archive, and the other files it holds."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
    except (zipfile.BadZipFile, OSError) as err:
        raise InputFormatError(path, f"is not a readable zip archive ({err})") from err
    street = sorted(n for n in names if n.lower().endswith("-street.csv"))
    other = sorted(n for n in names if n not in street)
    return street, other

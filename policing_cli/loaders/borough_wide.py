"""London Datastore "MPS Borough/Ward Level Crime" files: one column per month (YYYYMM).

Three header variants are in real use, plus the ward-level files, all with the same wide shape:

* ``Borough,Major Category,Minor Category,200801,...`` (MPS categories, 2008-2018 files)
* ``MajorText,MinorText,LookUp_BoroughName,201004,...`` (Home Office classes, 2022 releases)
* ``MajorText,MinorText,BoroughName,...`` (upper case, 2023 onwards)
* ``MajorText,MinorText,WardName,WardCode,LookUp_BoroughName,...`` (wards, summed to boroughs)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.errors import InputFormatError
from policing_cli.loaders.csv_text import Sniffed, check_header, parse_count_columns, read_strings
from policing_cli.loaders.problems import problem
from policing_cli.loaders.source import LoadedFile, map_unique
from policing_cli.report.areas import area_key
from policing_cli.report.periods import current_month, month_index, month_label

if TYPE_CHECKING:
    pass

AREA_COLUMNS = ("borough", "boroughname", "lookup_boroughname")
MAJOR_COLUMNS = ("major category", "majortext")
MINOR_COLUMNS = ("minor category", "minortext")
WARD_COLUMNS = ("wardname", "wardcode")
#: Trailing bookkeeping columns some releases add; they hold no counts.
IGNORED_COLUMNS = ("refreshed date",)
MONTH_COLUMN = re.compile(r"\d{6}")

#: A month whose file-wide total is below this share of the median month is an unfinished
#: extract (the real 2024-03..2026-03 ward file has 47 offences in its first month against
#: about 70,000 in the others): it is dropped and reported, not read as a real fall.
INCOMPLETE_MONTH_SHARE = 0.1
INCOMPLETE_MIN_ROWS = 50


def matches(header: list[str]) -> bool:
    """True when the header is one of the wide monthly layouts."""
    names = {name.casefold() for name in header}
    return (
        any(a in names for a in AREA_COLUMNS)
        and any(m in names for m in MAJOR_COLUMNS)
        and any(m in names for m in MINOR_COLUMNS)
    )


def _find(path: Path, header: list[str], wanted: tuple[str, ...]) -> str:
    for name in header:
        if name.casefold() in wanted:
            return name
    raise InputFormatError(path, f"no column named {' or '.join(wanted)}", line=1)


def _layout_name(header: list[str]) -> str:
    names = {name.casefold() for name in header}
    if "wardname" in names:
        return "MPS ward-level crime (monthly)"
    if "borough" in names:
        return "MPS borough-level crime, MPS categories (monthly)"
    return "MPS borough-level crime, Home Office classes (monthly)"


def load(path: Path, sniffed: Sniffed) -> LoadedFile:
    """Read one wide monthly file into the canonical long table."""
    import pandas as pd

    header = sniffed.header
    check_header(path, header)
    area_col = _find(path, header, AREA_COLUMNS)
    major_col = _find(path, header, MAJOR_COLUMNS)
    minor_col = _find(path, header, MINOR_COLUMNS)
    id_cols = {area_col, major_col, minor_col}
    id_cols |= {name for name in header if name.casefold() in WARD_COLUMNS}

    month_cols: list[tuple[int, str, int]] = []  # (position, column, month index)
    for position, name in enumerate(header, start=1):
        if name in id_cols or name.casefold() in IGNORED_COLUMNS:
            continue
        if not MONTH_COLUMN.fullmatch(name):
            raise InputFormatError(
                path,
                f"unexpected column '{name}': expected month columns written YYYYMM",
                line=1,
                column=position,
            )
        year, month = int(name[:4]), int(name[4:])
        if not 1 <= month <= 12 or year < 1900:
            raise InputFormatError(
                path, f"column '{name}' is not a real month (YYYYMM)", line=1, column=position
            )
        if month_index(year, month) > current_month():
            problem(
                InputFormatError(
                    path, f"column '{name}' is a month in the future", line=1, column=position
                )
            )
        month_cols.append((position, name, month_index(year, month)))
    if not month_cols:
        raise InputFormatError(path, "has no month columns (YYYYMM)", line=1)

    notes: list[str] = []
    indexes = [m for _, _, m in month_cols]
    if sorted(indexes) != indexes:
        notes.append(f"{path.name}: month columns are out of order; read by their names")
    if len(set(indexes)) != len(indexes):
        dup = next(m for m in indexes if indexes.count(m) > 1)
        raise InputFormatError(
            path, f"month {month_label(dup)} appears twice in the header", line=1
        )
    ordered = sorted(indexes)
    gaps = [m for m in range(ordered[0], ordered[-1] + 1) if m not in set(ordered)]
    if gaps:
        notes.append(
            f"{path.name}: no column for {', '.join(month_label(m) for m in gaps)}: "
            "those months are missing, not zero"
        )

    strings, lines = read_strings(path, sniffed)
    for column in (area_col, major_col, minor_col):
        for row in (strings[column].str.strip() == "").to_numpy().nonzero()[0]:
            problem(
                InputFormatError(
                    path,
                    f"blank {column}: expected a name",
                    line=lines[int(row)],
                    column=header.index(column) + 1,
                )
            )
    keys = strings[
        [area_col, major_col, minor_col] + [c for c in header if c.casefold() == "wardcode"]
    ]
    duplicated = keys.apply(lambda col: col.map(area_key)).duplicated()
    for row in duplicated.to_numpy().nonzero()[0]:
        problem(
            InputFormatError(
                path,
                "the same area and category appear twice in this file: expected one row each",
                line=lines[int(row)],
            )
        )

    parsed = parse_count_columns(path, strings, lines, [(pos, name) for pos, name, _ in month_cols])
    wide = pd.DataFrame({month: parsed[name] for _, name, month in month_cols}, dtype="int64")
    # Categoricals: the names repeat once per month, and melting plain strings is slow.
    wide[C.AREA] = pd.Categorical(strings[area_col].str.strip())
    wide[C.MAJOR] = pd.Categorical(strings[major_col].str.strip())
    wide[C.MINOR] = pd.Categorical(strings[minor_col].str.strip())
    long = wide.melt(id_vars=[C.AREA, C.MAJOR, C.MINOR], var_name=C.MONTH, value_name=C.COUNT)
    long[C.MONTH] = long[C.MONTH].astype("int64")
    # Ward files: sum wards to their borough.
    long = long.groupby(
        [C.AREA, C.MAJOR, C.MINOR, C.MONTH], as_index=False, sort=False, observed=True
    )[C.COUNT].sum()

    totals = long.groupby(C.MONTH)[C.COUNT].sum()
    median = float(totals.median())
    # Only for real extracts (many areas and categories): in a small hand-made file a quiet
    # month can be a true zero.
    if median >= 100 and len(strings) >= INCOMPLETE_MIN_ROWS:
        thin = totals[totals < INCOMPLETE_MONTH_SHARE * median]
        for month, total in thin.items():
            notes.append(
                f"{path.name}: month {month_label(int(month))} holds only {int(total):,} offences "
                f"against a median of {int(median):,}: treated as missing (an incomplete extract)"
            )
        long = long[~long[C.MONTH].isin(thin.index)]
    long[C.PERIOD] = map_unique(long[C.MONTH], month_label)
    months = sorted(set(long[C.MONTH]))
    return LoadedFile(
        path=str(path),
        layout=_layout_name(header),
        frame=long[[C.AREA, C.PERIOD, C.MONTH, C.MAJOR, C.MINOR, C.COUNT]].reset_index(drop=True),
        first_month=months[0] if months else None,
        last_month=months[-1] if months else None,
        notes=notes,
    )

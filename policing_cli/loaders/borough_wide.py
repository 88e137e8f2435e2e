"""London Datastore "MPS Borough/Ward Level Crime" files: one column per month (YYYYMM).

Every release has the same wide shape: a few text columns (the area, the major and the minor
category, and for ward files the ward's name and code), then one column per month. The text
columns have been renamed from release to release:

* ``Borough,Major Category,Minor Category,200801,...`` (the Met's categories, 2008-2018 files)
* ``MajorText,MinorText,LookUp_BoroughName,201004,...`` (Home Office classes, 2022 releases)
* ``MajorText,MinorText,BoroughName,...`` (upper case, 2023 onwards)
* ``Group,SubGroup,BOCU,...`` (2026 releases; BOCU holds borough names)
* ``MajorText,MinorText,WardName,WardCode,LookUp_BoroughName,...`` (wards, summed to boroughs)

Columns are recognised by the role they play (``COLUMN_ROLES``: a renamed column is one more
name there); a header of this shape whose names are all new is read by what its columns
hold (borough names, ward codes, a few categories each holding several sub-categories).
Which classification the file uses (the Met's own categories of 2008-2018, or the Home Office
classes) is told from the categories it holds, not from its header.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policing_cli import columns as C
from policing_cli.errors import InputFormatError
from policing_cli.loaders.csv_text import Sniffed, check_header, parse_count_columns, read_strings
from policing_cli.loaders.layout import Kind, Layout
from policing_cli.loaders.problems import problem
from policing_cli.model import LoadedFile
from policing_cli.report.areas import LONDON_BOROUGH_KEYS, area_key
from policing_cli.report.periods import current_month, month_index, month_label

if TYPE_CHECKING:
    import pandas as pd

#: The header names each text column has had in real releases, by role. A release that
#: renames a column needs one more name here, nothing else.
COLUMN_ROLES: dict[str, tuple[str, ...]] = {
    "area": ("borough", "boroughname", "lookup_boroughname", "bocu"),
    "major": ("major category", "majortext", "group"),
    "minor": ("minor category", "minortext", "subgroup"),
    "ward": ("wardname", "ward name"),
    "ward code": ("wardcode", "ward code"),
}
#: Trailing bookkeeping columns some releases add; they hold no counts.
IGNORED_COLUMNS = ("refreshed date",)
MONTH_COLUMN = re.compile(r"\d{6}")
#: Ward codes (ONS GSS codes of electoral wards).
WARD_CODE = re.compile(r"[EW]05\d{6}")

#: A month whose file-wide total is below this share of the median month is an unfinished
#: extract (the real 2024-03..2026-03 ward file has 47 offences in its first month against
#: about 70,000 in the others): it is dropped and reported, not read as a real fall.
INCOMPLETE_MONTH_SHARE = 0.1
INCOMPLETE_MIN_ROWS = 50

#: A major category only the Met's own classification (2008-2018 files) has: the Home Office
#: classes split it into Theft, Vehicle offences and others.
MET_ONLY_MAJOR = "theftandhandling"


def _text_columns(header: list[str]) -> list[str]:
    """The columns before the first month column (area, categories, ward)."""
    text = []
    for name in header:
        if MONTH_COLUMN.fullmatch(name):
            break
        text.append(name)
    return text


def _role_of(name: str) -> str | None:
    key = name.casefold()
    return next((role for role, names in COLUMN_ROLES.items() if key in names), None)


def matches(header: list[str]) -> bool:
    """True for the wide monthly shape: three to five text columns, then YYYYMM months."""
    text = _text_columns(header)
    if len(text) == len(header) or not 3 <= len(text) <= 5:
        return False
    # Known names for area, major and minor; or a header of this shape with new names
    # (then read by what the columns hold), months after them.
    return {"area", "major", "minor"} <= {_role_of(name) for name in text} or all(
        MONTH_COLUMN.fullmatch(h) or h.casefold() in IGNORED_COLUMNS for h in header[len(text) :]
    )


def _roles_by_name(header: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in _text_columns(header):
        role = _role_of(name)
        if role is not None and role not in found:
            found[role] = name
    return found


def _roles_by_content(path: Path, strings: pd.DataFrame, text: list[str]) -> dict[str, str]:
    """Which text column is which, from what they hold: the area column is the one of
    borough names, a ward code column holds GSS ward codes, and of the category columns
    the major has the fewest distinct values (each holding several minors)."""
    left = list(text)

    def share(column: str, test) -> float:
        values = strings[column].astype(str).str.strip()
        distinct = values.unique()
        return sum(bool(test(v)) for v in distinct) / max(len(distinct), 1)

    roles: dict[str, str] = {}
    borough_share = {c: share(c, lambda v: area_key(v) in LONDON_BOROUGH_KEYS) for c in left}
    area = max(left, key=lambda c: borough_share[c])
    if borough_share[area] < 0.5:
        raise InputFormatError(
            path,
            "cannot tell which column holds the boroughs: expected a column named "
            f"{' or '.join(COLUMN_ROLES['area'])}, or one holding London borough names",
            line=1,
        )
    roles["area"] = area
    left.remove(area)
    codes = [c for c in left if share(c, WARD_CODE.fullmatch) > 0.9]
    if codes:
        roles["ward code"] = codes[0]
        left.remove(codes[0])
    by_distinct = sorted(left, key=lambda c: strings[c].nunique())
    if len(by_distinct) < 2:
        raise InputFormatError(
            path, "expected a major and a minor category column before the months", line=1
        )
    roles["major"], roles["minor"] = by_distinct[0], by_distinct[1]
    if len(by_distinct) > 2:
        roles["ward"] = by_distinct[2]
    return roles


def classification_of(majors: set[str]) -> str:
    """The classification a file's major categories belong to."""
    return C.MET_CATEGORIES if MET_ONLY_MAJOR in {area_key(m) for m in majors} else C.HOME_OFFICE


def load(path: Path, sniffed: Sniffed, on_bytes: Callable[[int], None] | None = None) -> LoadedFile:
    """Read one wide monthly file into the canonical long table."""
    header = sniffed.header
    check_header(path, header)
    text_columns = _text_columns(header)
    month_cols = _month_columns(path, header, set(text_columns))
    notes = _month_notes(path, [m for _, _, m in month_cols])
    strings, lines = read_strings(path, sniffed)
    roles = _roles_by_name(header)
    if not {"area", "major", "minor"} <= set(roles) or len(roles) < len(text_columns):
        roles = _roles_by_content(path, strings, text_columns)
    _check_rows(path, header, strings, lines, roles)
    long = _long_counts(path, strings, lines, month_cols, roles)
    long, incomplete = _without_incomplete_months(path, long, len(strings))
    notes += incomplete
    long[C.PERIOD] = _map_unique(long[C.MONTH], month_label)
    months = sorted(set(long[C.MONTH]))
    classification = classification_of(set(map(str, long[C.MAJOR].unique())))
    level = "ward" if "ward" in roles or "ward code" in roles else "borough"
    return LoadedFile(
        path=str(path),
        layout=f"MPS {level}-level crime in {classification} (monthly)",
        classification=classification,
        level=level,
        frame=long[[C.AREA, C.PERIOD, C.MONTH, C.MAJOR, C.MINOR, C.COUNT]].reset_index(drop=True),
        first_month=months[0] if months else None,
        last_month=months[-1] if months else None,
        notes=tuple(notes),
    )


def _month_columns(path: Path, header: list[str], id_cols: set[str]) -> list[tuple[int, str, int]]:
    """(position, column, month index) of each month column; an error for a column that is
    neither a text column, a bookkeeping column nor a real month, a problem for a month in
    the future."""
    month_cols: list[tuple[int, str, int]] = []
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
    return month_cols


def _month_notes(path: Path, indexes: list[int]) -> list[str]:
    """Notes on month columns out of order or missing between the first and the last (a
    missing month is missing, not zero); an error for a month given twice."""
    notes: list[str] = []
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
    return notes


def _check_rows(
    path: Path, header: list[str], strings: pd.DataFrame, lines: list[int], roles: dict[str, str]
) -> None:
    """A problem for each blank area or category, and for each area and category (and
    ward) given twice, however spelt."""
    area_col, major_col, minor_col = roles["area"], roles["major"], roles["minor"]
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
        [area_col, major_col, minor_col] + [roles[r] for r in ("ward code", "ward") if r in roles]
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


def _long_counts(
    path: Path,
    strings: pd.DataFrame,
    lines: list[int],
    month_cols: list[tuple[int, str, int]],
    roles: dict[str, str],
) -> pd.DataFrame:
    """The counts as one row per area, category and month (a ward file's wards summed to
    their borough)."""
    import pandas as pd

    parsed = parse_count_columns(path, strings, lines, [(pos, name) for pos, name, _ in month_cols])
    wide = pd.DataFrame({month: parsed[name] for _, name, month in month_cols}, dtype="int64")
    # Categoricals: the names repeat once per month, and melting plain strings is slow.
    wide[C.AREA] = pd.Categorical(strings[roles["area"]].str.strip())
    wide[C.MAJOR] = pd.Categorical(strings[roles["major"]].str.strip())
    wide[C.MINOR] = pd.Categorical(strings[roles["minor"]].str.strip())
    long = wide.melt(id_vars=[C.AREA, C.MAJOR, C.MINOR], var_name=C.MONTH, value_name=C.COUNT)
    long[C.MONTH] = long[C.MONTH].astype("int64")
    # Ward files: sum wards to their borough.
    return long.groupby(
        [C.AREA, C.MAJOR, C.MINOR, C.MONTH], as_index=False, sort=False, observed=True
    )[C.COUNT].sum()


def _without_incomplete_months(
    path: Path, long: pd.DataFrame, rows: int
) -> tuple[pd.DataFrame, list[str]]:
    """The counts without the months of an unfinished extract, and a note on each."""
    notes: list[str] = []
    totals = long.groupby(C.MONTH)[C.COUNT].sum()
    median = float(totals.median())
    # Only for real extracts (many areas and categories): in a small hand-made file a quiet
    # month can be a true zero.
    if median >= 100 and rows >= INCOMPLETE_MIN_ROWS:
        thin = totals[totals < INCOMPLETE_MONTH_SHARE * median]
        for month, total in thin.items():
            notes.append(
                f"{path.name}: month {month_label(int(month))} holds only {int(total):,} offences "
                f"against a median of {int(median):,}: treated as missing (an incomplete extract)"
            )
        long = long[~long[C.MONTH].isin(thin.index)]
    return long, notes


def _map_unique(series: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    """``series.map(func)`` calling ``func`` once per distinct value (months here)."""
    return series.map({value: func(value) for value in series.unique()})


LAYOUT = Layout(
    name="MPS borough-level crime",
    description=(
        "Borough,Major Category,Minor Category,YYYYMM...; MajorText,MinorText,BoroughName or "
        "LookUp_BoroughName,YYYYMM...; Group,SubGroup,BOCU,YYYYMM...; ward files "
        "MajorText,MinorText,WardName,WardCode,LookUp_BoroughName,YYYYMM..."
    ),
    kind=Kind.COUNTS,
    matches=matches,
    load=load,
)

"""London Datastore "Recorded Crime Rates" by borough and financial year (long layout):
``GSS_CODE,Borough,Year,Offences,Rate,Number_of_offences``.

One row per area, financial year (``2016-17``) and offence group (the MPS majors, plus "All
recorded offences", read as Total notifiable offences). Counts carry thousands separators
("19,567"). Rows whose count is ``n/a`` or whose year is unreadable (the copy in circulation
has years corrupted to ``????-00``) hold no usable figure: they are skipped, and a note says
how many. The published ``Rate`` is not used: rates are computed from population files.
Aggregate rows (England and Wales, Inner/Outer London) are areas of their own, never boroughs;
"Met Police Area" is the force-wide area.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

from policing_cli import columns as C
from policing_cli.errors import InputFormatError
from policing_cli.loaders.csv_text import Sniffed, read_count
from policing_cli.loaders.layout import Kind, Layout
from policing_cli.loaders.problems import problem
from policing_cli.model import LoadedFile
from policing_cli.report.periods import current_month, financial_year

HEADER = ("gss_code", "borough", "year", "offences", "rate", "number_of_offences")
LAYOUT_NAME = "London Datastore recorded crime rates (financial years)"
TOTAL = "all recorded offences"
_YEAR = re.compile(r"(\d{4})-(\d{2})")


def matches(header: list[str]) -> bool:
    return tuple(h.strip().casefold() for h in header) == HEADER


def load(path: Path, sniffed: Sniffed, on_bytes: Callable[[int], None] | None = None) -> LoadedFile:
    """Read the recorded crime rates file: its offence counts, by borough and financial
    year (the rates themselves are recomputed from the population estimates)."""
    import pandas as pd

    records, bad_year, no_count = _records(path, path.read_text(encoding=sniffed.encoding))
    if not records:
        raise InputFormatError(path, "holds no readable figures")
    notes = []
    if bad_year:
        notes.append(
            f"{path.name}: {bad_year} row(s) with an unreadable year (e.g. '????-00') skipped"
        )
    if no_count:
        notes.append(f"{path.name}: {no_count} row(s) with no count ('n/a') skipped")
    frame = pd.DataFrame.from_records(
        records, columns=[C.AREA, C.PERIOD, C.MONTH, C.MAJOR, C.MINOR, C.COUNT]
    )
    frame[C.MONTH] = frame[C.MONTH].astype("int64")
    duplicated = frame.duplicated([C.AREA, C.PERIOD, C.MINOR])
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise InputFormatError(
            path, f"{first[C.AREA]} / {first[C.PERIOD]} / {first[C.MINOR]} appears twice"
        )
    return LoadedFile(
        path=str(path),
        layout=LAYOUT_NAME,
        frame=frame,
        first_month=None,
        last_month=None,
        notes=tuple(notes),
        classification=C.RATES_CATEGORIES,
        level="borough",
    )


def _records(path: Path, text: str) -> tuple[list[tuple[object, ...]], int, int]:
    """The canonical rows of the file's figures, and how many rows had an unreadable year
    or no count (the published file has both: skipped and counted, not errors); a problem
    for each other row that cannot be read."""
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    records = []
    bad_year = no_count = 0
    for row in reader:
        line = reader.line_num
        if not row or not "".join(row).strip():
            continue
        if len(row) != len(HEADER):
            problem(
                InputFormatError(path, f"has {len(row)} fields, expected {len(HEADER)}", line=line)
            )
            continue
        _code, area, year, group, _rate, number = (cell.strip() for cell in row)
        match = _YEAR.fullmatch(year)
        if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
            bad_year += 1
            continue
        if number.casefold() in ("n/a", ""):
            no_count += 1
            continue
        count, issue = read_count(number)
        if count is None:
            problem(InputFormatError(path, issue, line=line, column=6))
            continue
        period = financial_year(int(match.group(1)))
        if period.first > current_month():
            problem(InputFormatError(path, f"year {year} is in the future", line=line, column=3))
            continue
        major, minor = (
            ("", "Total notifiable offences") if group.casefold() == TOTAL else (group, group)
        )
        records.append((area, period.label, C.ANNUAL, major, minor, count))
    return records, bad_year, no_count


LAYOUT = Layout(
    name="recorded crime rates",
    description="GSS_CODE,Borough,Year,Offences,Rate,Number_of_offences",
    kind=Kind.COUNTS,
    matches=matches,
    load=load,
)

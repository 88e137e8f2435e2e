"""MOPAC Public Attitude Survey "trust and confidence" dashboard export, as indicators.

``Date;Survey;Borough;Measure;Proportion[;MPS]``: semicolon-separated, decimal commas,
proportions 0-1, dates ``dd/mm/yyyy`` at quarter ends. Each figure is the survey's rolling
year to that quarter; it is stored against the month of its date (``2023-03``), and a
report period uses the figure dated in its last month (2022/23 -> 31/03/2023). The ``MPS``
column gives the London-wide figure, stored as area ``MPS``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from policing_cli.errors import InputFormatError
from policing_cli.loaders.csv_text import Sniffed
from policing_cli.loaders.layout import Kind, Layout
from policing_cli.model import Indicator
from policing_cli.report.periods import month_index, month_label
from policing_cli.small_inputs import SMALL_CSV_BYTES, read_bounded_text

REQUIRED = ("date", "survey", "borough", "measure", "proportion")
#: The PAS question behind "public confidence": "Taking everything into account, how good a
#: job do you think the police in this area are doing?"
ALIASES = {'"good job" local': "Public confidence"}
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def matches(header: list[str]) -> bool:
    names = [h.strip().casefold() for h in header]
    return names[: len(REQUIRED)] == list(REQUIRED)


def _proportion(path: Path, text: str, line: int, column: int) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation as err:
        raise InputFormatError(
            path, f"proportion {text!r} is not a number between 0 and 1", line=line, column=column
        ) from err
    if not 0 <= value <= 1:
        raise InputFormatError(
            path, f"proportion {text} is not between 0 and 1", line=line, column=column
        )
    return value * 100


def load(
    path: Path, sniffed: Sniffed, on_bytes: Callable[[int], None] | None = None
) -> list[Indicator]:
    text = read_bounded_text(path, "a survey export", SMALL_CSV_BYTES, sniffed.encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniffed.delimiter)
    header = [h.strip().casefold() for h in next(reader)]
    mps_column = header.index("mps") if "mps" in header else None
    out: dict[tuple[str, str, str], Indicator] = {}
    for row in reader:
        line = reader.line_num
        if not row or not "".join(row).strip():
            continue
        if len(row) < len(REQUIRED):
            raise InputFormatError(
                path, f"has {len(row)} fields, expected {len(header)}", line=line
            )
        date, _survey, borough, measure, proportion = (cell.strip() for cell in row[:5])
        match = _DATE.fullmatch(date)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise InputFormatError(path, f"date {date!r} is not dd/mm/yyyy", line=line, column=1)
        month = month_label(month_index(int(match.group(3)), int(match.group(2))))
        name = ALIASES.get(measure.casefold(), measure)
        value = _proportion(path, proportion, line, 5)
        out[(borough.casefold(), month, name)] = Indicator(
            borough, month, name, value, str(path), line
        )
        if mps_column is not None and len(row) > mps_column and row[mps_column].strip():
            mps = _proportion(path, row[mps_column], line, mps_column + 1)
            out.setdefault(
                ("mps", month, name), Indicator("MPS", month, name, mps, str(path), line)
            )
    if not out:
        raise InputFormatError(path, "has a header but no rows")
    return list(out.values())


LAYOUT = Layout(
    name="MOPAC PAS dashboard",
    description="Date;Survey;Borough;Measure;Proportion;MPS",
    kind=Kind.INDICATORS,
    matches=matches,
    load=load,
    comma_only=False,
)

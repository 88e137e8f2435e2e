"""Resident population estimates, for rates per 1,000 residents.

* GLA/ONS borough files as the London Datastore publishes them re-shaped:
  ``Code,Area name,Inner/ Outer London,2011_Population,2012_Population,...`` (one column per
  mid-year estimate);
* the project's own ``area,year,population``.

Returns {(area key, year): population}.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

from policing_cli.errors import InputFormatError
from policing_cli.loaders.csv_text import Sniffed
from policing_cli.loaders.layout import Kind, Layout
from policing_cli.loaders.problems import problem
from policing_cli.report.areas import area_key
from policing_cli.small_inputs import SMALL_CSV_BYTES, read_bounded_text

TIDY = ("area", "year", "population")
_YEAR_COLUMN = re.compile(r"(\d{4})_population", re.IGNORECASE)


def matches(header: list[str]) -> bool:
    names = [h.strip().casefold() for h in header]
    if names == list(TIDY):
        return True
    return "area name" in names and any(_YEAR_COLUMN.fullmatch(h.strip()) for h in header)


#: ASCII digits, optionally in thousands ("8,866,180"): str.isdigit is also true of "²" and
#: "①", which int() refuses.
_POPULATION = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")


def _number(path: Path, text: str, line: int, column: int) -> int | None:
    cleaned = text.strip()
    if not _POPULATION.fullmatch(cleaned) or int(cleaned.replace(",", "")) <= 0:
        problem(
            InputFormatError(
                path, f"population {text!r} is not a whole number above 0", line=line, column=column
            )
        )
        return None
    return int(cleaned.replace(",", ""))


def load(
    path: Path, sniffed: Sniffed, on_bytes: Callable[[int], None] | None = None
) -> dict[tuple[str, int], int]:
    text = read_bounded_text(path, "a population file", SMALL_CSV_BYTES, sniffed.encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniffed.delimiter)
    header = [h.strip() for h in next(reader)]
    out: dict[tuple[str, int], int] = {}
    tidy = [h.casefold() for h in header] == list(TIDY)
    years = {i: int(m.group(1)) for i, h in enumerate(header) if (m := _YEAR_COLUMN.fullmatch(h))}
    name_column = 0 if tidy else [h.casefold() for h in header].index("area name")
    for row in reader:
        line = reader.line_num
        if not row or not "".join(row).strip():
            continue
        if len(row) != len(header):
            problem(
                InputFormatError(path, f"has {len(row)} fields, expected {len(header)}", line=line)
            )
            continue
        key = area_key(row[name_column])
        if tidy:
            if not re.fullmatch(r"\d{4}", row[1].strip()):
                problem(
                    InputFormatError(path, f"year {row[1]!r} is not a year", line=line, column=2)
                )
                continue
            value = _number(path, row[2], line, 3)
            if value is not None:
                out[(key, int(row[1]))] = value
            continue
        for column, year in years.items():
            if row[column].strip():
                value = _number(path, row[column], line, column + 1)
                if value is not None:
                    out[(key, year)] = value
    if not out:
        raise InputFormatError(path, "holds no population figures")
    return out


LAYOUT = Layout(
    name="population",
    description="area,year,population; or the GLA's Code,Area name,...,YYYY_Population...",
    kind=Kind.POPULATION,
    matches=matches,
    load=load,
    comma_only=False,
    cacheable=False,
)

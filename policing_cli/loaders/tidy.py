"""The project's own tidy CSV: ``area,period,category,count``.

How users bring any other data, and how a leaflet's annual figures are typed in. ``period``
is a month (``2024-10``), a financial year (``2009/10``) or a calendar year (``2009``).
"""

from __future__ import annotations

import re
from pathlib import Path

from policing_cli import columns as C
from policing_cli.errors import InputFormatError
from policing_cli.loaders.csv_text import Sniffed, check_header, parse_counts, read_strings
from policing_cli.loaders.problems import problem
from policing_cli.loaders.source import LoadedFile
from policing_cli.report.areas import area_key
from policing_cli.report.periods import current_month, parse_month, parse_period

REQUIRED = ("area", "period", "category", "count")
LAYOUT = "tidy counts (area, period, category, count)"


def matches(header: list[str]) -> bool:
    return [name.casefold() for name in header] == list(REQUIRED)


def _canonical_period(text: str) -> tuple[str, int] | None:
    """(label, month index or ANNUAL) for a tidy ``period`` value, None if unreadable."""
    raw = text.strip()
    if match := re.fullmatch(r"(\d{4})/(\d{2})", raw):
        start = int(match.group(1))
        if (start + 1) % 100 == int(match.group(2)):
            return raw, C.ANNUAL
        return None
    if re.fullmatch(r"\d{4}", raw):
        return raw, C.ANNUAL
    if re.fullmatch(r"\d{4}-\d{2}", raw) and (month := parse_month(raw)) is not None:
        return raw, month
    return None


def _first_month(parsed: tuple[str, int]) -> int:
    label, month = parsed
    return month if month != C.ANNUAL else parse_period(label).first


def load(path: Path, sniffed: Sniffed) -> LoadedFile:
    import pandas as pd

    check_header(path, sniffed.header)
    strings, lines = read_strings(path, sniffed)
    strings.columns = list(REQUIRED)
    for column, position in (("area", 1), ("category", 3)):
        for row in (strings[column].str.strip() == "").to_numpy().nonzero()[0]:
            problem(
                InputFormatError(
                    path, f"blank {column}: expected a name", line=lines[int(row)], column=position
                )
            )
    labels: list[str] = []
    months: list[int] = []
    for value, line in zip(strings["period"].tolist(), lines, strict=True):
        parsed = _canonical_period(value)
        if parsed is None:
            problem(
                InputFormatError(
                    path,
                    f"period {value.strip()!r} is not a month (2024-10), financial year "
                    "(2023/24) or calendar year (2023)",
                    line=line,
                    column=2,
                )
            )
            parsed = (value.strip(), C.ANNUAL)
        elif _first_month(parsed) > current_month():
            problem(
                InputFormatError(
                    path, f"period {value.strip()} is in the future", line=line, column=2
                )
            )
        labels.append(parsed[0])
        months.append(parsed[1])
    frame = pd.DataFrame(
        {
            C.AREA: strings["area"].str.strip().to_numpy(),
            C.PERIOD: labels,
            C.MONTH: pd.array(months, dtype="int64"),
            C.MAJOR: "",
            C.MINOR: strings["category"].str.strip().to_numpy(),
            C.COUNT: pd.array(
                parse_counts(path, strings["count"].tolist(), lines, 4), dtype="int64"
            ),
        }
    )
    keys = pd.DataFrame(
        {
            "a": frame[C.AREA].map(area_key),
            "p": frame[C.PERIOD],
            "c": frame[C.MINOR].map(area_key),
        }
    )
    for row in keys.duplicated().to_numpy().nonzero()[0]:
        row = int(row)
        problem(
            InputFormatError(
                path,
                f"{frame[C.AREA].iloc[row]} / {frame[C.PERIOD].iloc[row]} / "
                f"{frame[C.MINOR].iloc[row]} appears twice: expected one row per area, period "
                "and category",
                line=lines[row],
            )
        )
    monthly = sorted(m for m in set(months) if m != C.ANNUAL)
    return LoadedFile(
        path=str(path),
        layout=LAYOUT,
        frame=frame,
        first_month=monthly[0] if monthly else None,
        last_month=monthly[-1] if monthly else None,
        classification=C.TIDY_CATEGORIES,
        level="area",
    )

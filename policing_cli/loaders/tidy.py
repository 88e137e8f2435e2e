"""The project's own tidy CSV: ``area,period,category,count``.

How users bring any other data, and how a leaflet's annual figures are typed in. ``period``
is a month (``2024-10``), a financial year (``2009/10``) or a calendar year (``2009``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from policing_cli import columns as C
from policing_cli.errors import InputFormatError
from policing_cli.loaders.csv_text import Sniffed, check_header, parse_counts, read_rows
from policing_cli.loaders.layout import Kind, Layout
from policing_cli.loaders.problems import problem
from policing_cli.model import LoadedFile
from policing_cli.report.areas import area_key
from policing_cli.report.periods import current_month, parse_month, parse_period

REQUIRED = ("area", "period", "category", "count")
LAYOUT_NAME = "tidy counts (area, period, category, count)"


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


def load(path: Path, sniffed: Sniffed, on_bytes: Callable[[int], None] | None = None) -> LoadedFile:
    """Read a tidy file: plain Python until the one table at the end (a folder may hold
    thousands of tiny ones, and pandas costs milliseconds per file)."""
    check_header(path, sniffed.header)
    rows, lines = read_rows(path, sniffed)
    areas = [row[0].strip() for row in rows]
    categories = [row[2].strip() for row in rows]
    for values, column, position in ((areas, "area", 1), (categories, "category", 3)):
        for value, line in zip(values, lines, strict=True):
            if not value:
                problem(
                    InputFormatError(
                        path, f"blank {column}: expected a name", line=line, column=position
                    )
                )
    labels, months = _periods(path, [row[1] for row in rows], lines)
    counts = parse_counts(path, [row[3] for row in rows], lines, 4)
    _check_repeats(path, areas, labels, categories, lines)
    columns = {
        C.AREA: areas,
        C.PERIOD: labels,
        C.MONTH: months,
        C.MAJOR: [""] * len(rows),
        C.MINOR: categories,
        C.COUNT: counts,
    }
    monthly = sorted(m for m in set(months) if m != C.ANNUAL)
    return LoadedFile(
        path=str(path),
        layout=LAYOUT_NAME,
        frame=None,
        columns=columns,
        months=frozenset(monthly),
        first_month=monthly[0] if monthly else None,
        last_month=monthly[-1] if monthly else None,
        classification=C.TIDY_CATEGORIES,
        level="area",
    )


def _periods(path: Path, values: list[str], lines: list[int]) -> tuple[list[str], list[int]]:
    """Each row's period label and month index (ANNUAL for a year); a problem for a period
    that cannot be read (then kept as written, annual) or that is in the future."""
    labels: list[str] = []
    months: list[int] = []
    for value, line in zip(values, lines, strict=True):
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
    return labels, months


def _check_repeats(
    path: Path, areas: list[str], labels: list[str], categories: list[str], lines: list[int]
) -> None:
    """A problem for each area, period and category given twice, however spelt."""
    seen: set[tuple[str, str, str]] = set()
    for area, label, category, line in zip(areas, labels, categories, lines, strict=True):
        key = (area_key(area), label, area_key(category))
        if key in seen:
            problem(
                InputFormatError(
                    path,
                    f"{area} / {label} / {category} appears twice: expected one row per area, "
                    "period and category",
                    line=line,
                )
            )
        seen.add(key)


LAYOUT = Layout(
    name="tidy counts",
    description="area,period,category,count",
    kind=Kind.COUNTS,
    matches=matches,
    load=load,
)

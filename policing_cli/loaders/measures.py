"""Targets and indicators files: small CSVs of measures, read with the csv module.

* Targets ``area,period,measure,kind,value``: what each measure should achieve.
* Indicators ``area,period,measure,value``: rates and survey results, in %.

Both accept ``*`` as the area of a row that applies everywhere (targets only) and report bad
rows as ``file:line:column: problem``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from policing_cli.errors import InputFormatError, PolicingError
from policing_cli.loaders.csv_text import Sniffed, sniff
from policing_cli.loaders.layout import Kind, Layout
from policing_cli.loaders.problems import problem
from policing_cli.model import Indicator, Target
from policing_cli.report.areas import FORCE_ALIASES, area_key
from policing_cli.report.periods import parse_period
from policing_cli.small_inputs import SMALL_CSV_BYTES, read_bounded_text

TARGET_HEADER = ("area", "period", "measure", "kind", "value")
INDICATOR_HEADER = ("area", "period", "measure", "value")
TARGET_KINDS = ("reduction_pct", "at_least", "at_most", "max_gap_pp")
#: ASCII digits only (``\d`` would also take other scripts' digits, which Decimal accepts).
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


def matches_targets(header: list[str]) -> bool:
    return tuple(h.casefold() for h in header) == TARGET_HEADER


def matches_indicators(header: list[str]) -> bool:
    return tuple(h.casefold() for h in header) == INDICATOR_HEADER


def _rows(path: Path, expected: tuple[str, ...]) -> list[tuple[int, list[str]]]:
    sniffed = sniff(path)
    if tuple(h.casefold() for h in sniffed.header) != expected:
        raise InputFormatError(path, f"expected the header '{','.join(expected)}'", line=1)
    what = "a targets file" if expected == TARGET_HEADER else "an indicators file"
    text = read_bounded_text(path, what, SMALL_CSV_BYTES, sniffed.encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniffed.delimiter)
    next(reader, None)
    out = []
    for row in reader:
        if not row or not "".join(row).strip():
            continue
        if len(row) != len(expected):
            problem(
                InputFormatError(
                    path, f"has {len(row)} fields, expected {len(expected)}", line=reader.line_num
                )
            )
            continue
        out.append((reader.line_num, [cell.strip() for cell in row]))
    if not out:
        raise InputFormatError(path, "has a header but no rows")
    return out


def _number(path: Path, text: str, line: int, column: int) -> Decimal:
    if not _NUMBER.fullmatch(text):
        raise InputFormatError(
            path, f"value {text!r} is not a number (e.g. 2.5 or 51.4)", line=line, column=column
        )
    try:
        return Decimal(text)
    except InvalidOperation as err:  # pragma: no cover - the pattern already checked it
        raise InputFormatError(path, f"value {text!r} is not a number", line=line) from err


def _period_label(path: Path, text: str, line: int) -> str:
    try:
        return parse_period(text).label
    except PolicingError as err:
        raise InputFormatError(path, str(err), line=line, column=2) from err


def _require(path: Path, row: list[str], names: tuple[str, ...], line: int) -> None:
    for column, (name, value) in enumerate(zip(names, row, strict=False), start=1):
        if not value:
            raise InputFormatError(path, f"blank {name}", line=line, column=column)


def _area_id(area: str) -> str:
    """One identity per area however it is spelled ("MPS" and "London" are one)."""
    if area == "*":
        return area
    key = area_key(area)
    return "mps" if key in FORCE_ALIASES else key


def load_targets(path: Path) -> list[Target]:
    targets: list[Target] = []
    seen: dict[tuple[str, str, str], int] = {}
    for line, row in _rows(path, TARGET_HEADER):
        try:
            target = _target_row(path, line, row, seen)
        except InputFormatError as err:
            problem(err)
            continue
        targets.append(target)
    return targets


def _target_row(
    path: Path, line: int, row: list[str], seen: dict[tuple[str, str, str], int]
) -> Target:
    _require(path, row, TARGET_HEADER, line)
    area, period, measure, kind, value = row
    kind = kind.casefold()
    if kind not in TARGET_KINDS:
        raise InputFormatError(
            path,
            f"kind {kind!r} is not one of {', '.join(TARGET_KINDS)}",
            line=line,
            column=4,
        )
    if kind == "max_gap_pp" and " - " not in measure:
        raise InputFormatError(
            path,
            f"a max_gap_pp measure is written 'A - B' (two indicator names), not {measure!r}",
            line=line,
            column=3,
        )
    number = _number(path, value, line, 5)
    _check_target_value(path, kind, value, number, line)
    target = Target(
        area, _period_label(path, period, line), measure, kind, number, str(path), line,
    )  # fmt: skip
    key = (_area_id(area), target.period, measure.casefold())
    if key in seen:
        raise InputFormatError(
            path,
            f"a second target for {area} / {target.period} / {measure} (first on line "
            f"{seen[key]}): expected one per area, period and measure",
            line=line,
        )
    seen[key] = line
    return target


#: What each kind of target's value can be, and how to say it: a reduction is a share of
#: the baseline (0 to 100%: a reduction of more than 100% or a negative one cannot be met or
#: is no reduction at all, and would be shown as "exceeding the -5.0% reduction target"); a
#: gap is a distance between two percentages (0 to 100 points); a count or rate is never
#: negative.
TARGET_RANGES = {
    "reduction_pct": (Decimal(0), Decimal(100), "a reduction between 0 and 100 (%)"),
    "max_gap_pp": (Decimal(0), Decimal(100), "a gap between 0 and 100 percentage points"),
    "at_least": (Decimal(0), None, "a count or percentage of 0 or more"),
    "at_most": (Decimal(0), None, "a count or percentage of 0 or more"),
}


def _check_target_value(path: Path, kind: str, text: str, number: Decimal, line: int) -> None:
    low, high, what = TARGET_RANGES[kind]
    if number < low or (high is not None and number > high):
        raise InputFormatError(
            path, f"{kind} value {text} is out of range: expected {what}", line=line, column=5
        )


def load_indicators(path: Path) -> list[Indicator]:
    out: list[Indicator] = []
    seen: dict[tuple[str, str, str], int] = {}
    for line, row in _rows(path, INDICATOR_HEADER):
        try:
            out.append(_indicator_row(path, line, row, seen))
        except InputFormatError as err:
            problem(err)
    return out


def _indicator_row(
    path: Path, line: int, row: list[str], seen: dict[tuple[str, str, str], int]
) -> Indicator:
    _require(path, row, INDICATOR_HEADER, line)
    area, period, measure, value = row
    if area == "*":
        raise InputFormatError(
            path, "an indicator needs a named area, not '*'", line=line, column=1
        )
    label = _period_label(path, period, line)
    number = _number(path, value, line, 4)
    if not 0 <= number <= 100:
        raise InputFormatError(
            path, f"value {value} is not a percentage between 0 and 100", line=line, column=4
        )
    key = (_area_id(area), label, measure.casefold())
    if key in seen:
        raise InputFormatError(
            path,
            f"a second value for {area} / {label} / {measure} (first on line {seen[key]})",
            line=line,
        )
    seen[key] = line
    return Indicator(area, label, measure, number, str(path), line)


def _targets(
    path: Path, sniffed: Sniffed, on_bytes: Callable[[int], None] | None = None
) -> list[Target]:
    return load_targets(path)


def _indicators(
    path: Path, sniffed: Sniffed, on_bytes: Callable[[int], None] | None = None
) -> list[Indicator]:
    return load_indicators(path)


TARGETS = Layout(
    name="targets",
    description="area,period,measure,kind,value",
    kind=Kind.TARGETS,
    matches=matches_targets,
    load=_targets,
    comma_only=False,
    cacheable=False,
)

INDICATORS = Layout(
    name="indicators",
    description="area,period,measure,value",
    kind=Kind.INDICATORS,
    matches=matches_indicators,
    load=_indicators,
    comma_only=False,
    cacheable=False,
)

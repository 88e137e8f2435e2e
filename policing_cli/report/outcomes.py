"""Outcome (sanction detection) rates from data.police.uk street files.

Each crime's ``Last outcome category`` is classed (``policing_cli/data/outcomes.csv``,
``--outcomes FILE`` to override) as:

* ``positive``: the suspect was charged or summonsed (whatever the court's result, and
  including "awaiting court outcome"), cautioned, given a penalty notice, a drugs possession
  warning or a community (local) resolution: what the leaflet calls a sanction detection;
* ``negative``: investigation complete with no suspect, unable to prosecute, not in the
  public interest, passed to another organisation;
* ``open``: still under investigation;
* ``unknown``: no update available.

The positive outcome rate is positive / crimes, over all crimes (not only those with an
outcome), so that it does not rise merely because recent crimes are still open. Anti-social
behaviour has no outcomes and is left out. Changes are in percentage points.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from fractions import Fraction
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.errors import InputFormatError
from policing_cli.report.areas import area_key
from policing_cli.report.categories import CategoryMap

if TYPE_CHECKING:
    import pandas as pd

CLASSES = ("positive", "negative", "open", "unknown")
RATE_MEASURE = "Positive outcome rate"


def load_outcome_classes(path: Path | None = None) -> dict[str, str]:
    """{outcome key: class}; a file ``outcome,class`` replaces the bundled table."""
    source = path or Path(str(files("policing_cli") / "data" / "outcomes.csv"))
    try:
        text = source.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise InputFormatError(source, f"cannot be read ({err.strerror or err})") from err
    reader = csv.reader(text.splitlines())
    if [h.strip().casefold() for h in next(reader, [])] != ["outcome", "class"]:
        raise InputFormatError(source, "expected the header 'outcome,class'", line=1)
    out = {}
    for line, row in enumerate(reader, start=2):
        if not row or not "".join(row).strip():
            continue
        if len(row) != 2 or row[1].strip().casefold() not in CLASSES:
            raise InputFormatError(
                source, f"expected an outcome and one of {', '.join(CLASSES)}", line=line
            )
        out[area_key(row[0])] = row[1].strip().casefold()
    return out


@dataclass(frozen=True)
class OutcomeRow:
    """One category's outcomes in a period."""

    category: str
    crimes: int
    positive: int
    negative: int
    open: int
    unknown: int
    baseline_rate: Fraction | None = None

    @property
    def with_outcome(self) -> int:
        return self.positive + self.negative

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.positive * 100, self.crimes) if self.crimes else None

    @property
    def change_pp(self) -> Fraction | None:
        if self.rate is None or self.baseline_rate is None:
            return None
        return self.rate - self.baseline_rate


def _select(outcomes: pd.DataFrame, kind: str, name: str | None, months: list[int]) -> pd.DataFrame:
    rows = outcomes[outcomes[C.MONTH].isin(months)]
    if kind == "area":
        return rows[rows[C.AREA] == name]
    if kind == "force":
        return rows[rows[C.FORCE] == name]
    return rows


def _by_category(
    rows: pd.DataFrame, mapping: CategoryMap, classes: dict[str, str]
) -> dict[str, dict[str, int]]:
    grouped = rows.groupby([C.MINOR, "outcome"], observed=True)[C.COUNT].sum()
    out: dict[str, dict[str, int]] = {}
    for (minor, outcome), count in grouped.items():
        if area_key(str(minor)) in C.NOT_NOTIFIABLE:
            continue
        kind = classes.get(area_key(str(outcome)), "unknown")
        pairs, _ = mapping.categories_of(C.STREET_MAJOR, str(minor))
        for category, _source in pairs:
            cell = out.setdefault(category, dict.fromkeys(CLASSES, 0))
            cell[kind] += int(count)
    return out


def outcome_rows(
    outcomes: pd.DataFrame,
    mapping: CategoryMap,
    classes: dict[str, str],
    kind: str,
    name: str | None,
    months: list[int],
    baseline_months: list[int] | None,
    order: list[str],
) -> list[OutcomeRow]:
    now = _by_category(_select(outcomes, kind, name, months), mapping, classes)
    before = (
        _by_category(_select(outcomes, kind, name, baseline_months), mapping, classes)
        if baseline_months
        else {}
    )
    rows = []
    for category in [c for c in order if c in now]:
        cell = now[category]
        crimes = sum(cell.values())
        base = before.get(category)
        base_crimes = sum(base.values()) if base else 0
        base_rate = Fraction(base["positive"] * 100, base_crimes) if base and base_crimes else None
        rows.append(OutcomeRow(category, crimes, cell["positive"], cell["negative"], cell["open"],
                               cell["unknown"], base_rate))  # fmt: skip
    return rows

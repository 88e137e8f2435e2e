"""Outcome (sanction detection) rates from data.police.uk street files.

Each crime's ``Last outcome category`` is classed (``policing_cli/data/outcomes.csv``,
``--outcomes FILE`` to override) as:

* ``positive``: the suspect was charged or summonsed (whatever the court's result, and
  including "awaiting court outcome"), cautioned, given a penalty notice, a drugs possession
  warning or a community (local) resolution: what the leaflet calls a sanction detection;
* ``negative``: investigation complete with no suspect, unable to prosecute, not in the
  public interest, passed to another organisation;
* ``open``: still under investigation;
* ``unknown``: no update: "Status update unavailable" (the force sent none), or no outcome
  given at all.

Outcome strings are matched whatever their case, spacing, punctuation and articles, since
data.police.uk has spelt some two ways ("Offender given community sentence" and "Offender
given a community sentence", "Offender given penalty notice" and "... a penalty notice"). A
string the table does not know is never dropped: it is counted as ``unrecognised`` and named
in a note with its number of crimes.

The positive outcome rate is positive / crimes, over all crimes (not only those with an
outcome: those still open, with no update or unrecognised are in the denominator), so that
it does not rise merely because recent crimes are still open. Anti-social behaviour has no
outcomes and is left out. Changes are in percentage points.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.errors import InputFormatError
from policing_cli.report.areas import area_key
from policing_cli.report.categories import CategoryMap
from policing_cli.small_inputs import SMALL_CSV_BYTES, read_bounded_text

if TYPE_CHECKING:
    import pandas as pd

CLASSES = ("positive", "negative", "open", "unknown")
#: Outcome strings the classification does not know: counted, shown, named in a note.
UNRECOGNISED = "unrecognised"
RATE_MEASURE = "Positive outcome rate"
_ARTICLES = {"a", "an", "the"}


def outcome_key(text: str) -> str:
    """The matching key of an outcome: case, spacing, punctuation and articles ignored."""
    words = re.findall(r"[0-9a-z]+", unicodedata.normalize("NFKD", text).casefold())
    return " ".join(w for w in words if w not in _ARTICLES)


def load_outcome_classes(path: Path | None = None) -> dict[str, str]:
    """{outcome key: class}; a file ``outcome,class`` replaces the bundled table."""
    source = path or Path(str(files("policing_cli") / "data" / "outcomes.csv"))
    text = read_bounded_text(source, "an outcome classification CSV", SMALL_CSV_BYTES, "utf-8-sig")
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
        out[outcome_key(row[0])] = row[1].strip().casefold()
    # A crime with no outcome given at all has had no update.
    out.setdefault("", "unknown")
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
    #: Crimes whose outcome string the classification does not know.
    unrecognised: int = 0

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
    """The rows of an area (or a force, or all) in some months, picked in one pass (the
    national archive's table has millions of rows)."""
    import numpy as np

    keep = np.isin(outcomes[C.MONTH].to_numpy(), months)
    if kind == "area":
        keep &= (outcomes[C.AREA] == name).to_numpy()
    elif kind == "force":
        keep &= (outcomes[C.FORCE] == name).to_numpy()
    return outcomes[keep]


def _by_category(
    rows: pd.DataFrame, mapping: CategoryMap, classes: dict[str, str], unknown: dict[str, int]
) -> dict[str, dict[str, int]]:
    """Outcome classes per report category; ``unknown`` collects the unrecognised outcome
    strings (as written) with their numbers of crimes."""
    grouped = rows.groupby([C.MINOR, "outcome"], observed=True)[C.COUNT].sum()
    out: dict[str, dict[str, int]] = {}
    for (minor, outcome), count in grouped.items():
        if area_key(str(minor)) in C.NOT_NOTIFIABLE or not count:
            continue
        kind = classes.get(outcome_key(str(outcome)), UNRECOGNISED)
        if kind == UNRECOGNISED:
            unknown[str(outcome)] = unknown.get(str(outcome), 0) + int(count)
        pairs, _ = mapping.categories_of(C.STREET_MAJOR, str(minor))
        for category, _source in pairs:
            cell = out.setdefault(category, dict.fromkeys((*CLASSES, UNRECOGNISED), 0))
            cell[kind] += int(count)
    return out


@dataclass
class Outcomes:
    """Each category's outcomes in the period, and the outcome strings not recognised."""

    rows: list[OutcomeRow]
    unrecognised: dict[str, int] = field(default_factory=dict)


def outcome_rows(
    outcomes: pd.DataFrame,
    mapping: CategoryMap,
    classes: dict[str, str],
    kind: str,
    name: str | None,
    months: list[int],
    baseline_months: list[int] | None,
    order: list[str],
) -> Outcomes:
    unrecognised: dict[str, int] = {}
    now = _by_category(_select(outcomes, kind, name, months), mapping, classes, unrecognised)
    before = (
        _by_category(_select(outcomes, kind, name, baseline_months), mapping, classes, {})
        if baseline_months
        else {}
    )
    rows = []
    # A category with crimes in either period is listed (0 crimes now: no rate, but the
    # baseline's rate is still shown).
    for category in [c for c in order if c in now or c in before]:
        cell = now.get(category) or dict.fromkeys((*CLASSES, UNRECOGNISED), 0)
        crimes = sum(cell.values())
        base = before.get(category)
        base_crimes = sum(base.values()) if base else 0
        base_rate = Fraction(base["positive"] * 100, base_crimes) if base and base_crimes else None
        rows.append(OutcomeRow(category, crimes, cell["positive"], cell["negative"], cell["open"],
                               cell["unknown"], base_rate, cell[UNRECOGNISED]))  # fmt: skip
    return Outcomes(rows, unrecognised)

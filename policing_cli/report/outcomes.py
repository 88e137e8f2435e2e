"""The outcomes step of a report: outcome (sanction detection) rates from data.police.uk
street files.

Each crime's ``Last outcome category`` is classed (``policing_cli/data/outcomes.csv``,
``--outcomes FILE`` to override; both read by ``loaders/reference.py``) as:

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

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.model import Indicator
from policing_cli.report.areas import area_key
from policing_cli.report.categories import CategoryMap
from policing_cli.report.results import Figures, OutcomeRow, Outcomes

if TYPE_CHECKING:
    import pandas as pd

    from policing_cli.model import Dataset

CLASSES = ("positive", "negative", "open", "unknown")
#: Outcome strings the classification does not know: counted, shown, named in a note.
UNRECOGNISED = "unrecognised"
RATE_MEASURE = "Positive outcome rate"
_ARTICLES = {"a", "an", "the"}


def outcome_key(text: str) -> str:
    """The matching key of an outcome: case, spacing, punctuation and articles ignored."""
    words = re.findall(r"[0-9a-z]+", unicodedata.normalize("NFKD", text).casefold())
    return " ".join(w for w in words if w not in _ARTICLES)


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
    rows: pd.DataFrame, mapping: CategoryMap, classes: Mapping[str, str], unknown: dict[str, int]
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


def _outcomes_of(dataset: Dataset, kind: str, area: str | None) -> pd.DataFrame:
    """The street outcome counts of an area (or of a force's files). A table of millions of
    rows (national scale): one report looks for its rows by their category code; from the
    third area asked about (a snapshot reports hundreds) where every area's rows are is
    found once for the dataset and kept."""
    import numpy as np

    outcomes = dataset.outcomes
    assert outcomes is not None
    if kind not in ("area", "force") or area is None:
        return outcomes
    column = C.AREA if kind == "area" else C.FORCE
    asked = dataset.memo.get(("outcome rows asked", column), 0)
    dataset.memo[("outcome rows asked", column)] = asked + 1  # type: ignore[operator]
    if asked < 2:
        names = outcomes[column].cat.categories
        if area not in names:
            return outcomes.iloc[:0]
        codes = outcomes[column].cat.codes.to_numpy()
        return outcomes.iloc[np.flatnonzero(codes == names.get_loc(area))]
    where = dataset.memo.get(("outcome rows", column))
    if where is None:
        where = dataset.memo[("outcome rows", column)] = outcomes.groupby(
            column, observed=True
        ).indices
    positions = where.get(area)  # type: ignore[attr-defined]
    return outcomes.iloc[positions] if positions is not None else outcomes.iloc[:0]


def find_outcomes(dataset: Dataset, mapping: CategoryMap, figures: Figures) -> Outcomes:
    """The outcomes step: street-level data's outcome rows for the figures' area, periods and
    categories, and the overall positive outcome rate as an indicator (so it can carry an
    at_least target and a sentence), with the notes that say how it is counted.

    The classification is the dataset's (``--outcomes FILE``), else the bundled one the
    mapping carries."""
    if dataset.outcomes is None or figures.period.annual:
        return Outcomes()
    classes = dataset.outcome_classes or mapping.outcome_classes
    base_months = list(figures.baseline.months) if figures.baseline.months else None
    scope = figures.scope
    found = _count_outcomes(
        _outcomes_of(dataset, scope.kind, scope.name), mapping, classes, scope.kind, scope.name,
        list(figures.period.months),
        base_months, [row.category for row in figures.rows],
    )  # fmt: skip
    total = next((r for r in found.rows if r.category in mapping.totals), None)
    if total is None or total.rate is None:
        return Outcomes(found.rows)
    rate = [
        Indicator(figures.area, figures.period.period.label, RATE_MEASURE, _decimal(total.rate),
                  "street-level outcomes", 0),
    ]  # fmt: skip
    if total.baseline_rate is not None:
        rate.append(Indicator(figures.area, figures.baseline.period.label, RATE_MEASURE,
                              _decimal(total.baseline_rate), "street-level outcomes", 0))  # fmt: skip
    return Outcomes(found.rows, tuple(rate), tuple(_notes(total, found.unrecognised)))


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _notes(total: OutcomeRow, unrecognised: dict[str, int]) -> list[str]:
    """How the positive outcome rate is counted, the outcome strings not recognised, and how
    many crimes are still open."""
    notes = [
        f"positive outcome rate = positive outcomes per 100 crimes, all {total.crimes:,} "
        f"crimes counted: {total.open:,} still under investigation and {total.unknown:,} "
        f"with no update ('Status update unavailable': "
        f"{100 * total.unknown / total.crimes:.1f}%) included, so the rate does not rise "
        "merely because outcomes are missing"
    ]
    if unrecognised:
        listed = "; ".join(
            f"'{text}' ({count:,} crime{'s' if count != 1 else ''})"
            for text, count in sorted(unrecognised.items(), key=lambda i: (-i[1], i[0]))
        )
        notes.append(
            f"outcomes not in the classification, counted as 'Other' (neither positive nor "
            f"negative): {listed}; classify them with --outcomes FILE"
        )
    if total.open:
        notes.append(
            f"outcomes are still maturing: {total.open:,} of {total.crimes:,} crimes "
            f"({100 * total.open / total.crimes:.1f}%) are still under investigation, so recent "
            "positive outcome rates will rise"
        )
    return notes


@dataclass(frozen=True)
class _Counted:
    """Each category's outcomes in the period, and the outcome strings not recognised."""

    rows: tuple[OutcomeRow, ...]
    unrecognised: dict[str, int] = field(default_factory=dict)


def _count_outcomes(
    outcomes: pd.DataFrame,
    mapping: CategoryMap,
    classes: Mapping[str, str],
    kind: str,
    name: str | None,
    months: list[int],
    baseline_months: list[int] | None,
    order: list[str],
) -> _Counted:
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
    return _Counted(tuple(rows), unrecognised)

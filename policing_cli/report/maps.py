"""What a map shows: one category's % change (or rate per 1,000) in each borough or
district, from the same league as ``rank``, with the title and unit to draw."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from policing_cli.report.areas import area_key

if TYPE_CHECKING:
    from policing_cli.model import Dataset
    from policing_cli.report.categories import CategoryMap
    from policing_cli.report.periods import Period


@dataclass(frozen=True)
class MapFigures:
    title: str
    #: "%" for changes, "" for rates.
    unit: str
    #: Each area's figure, keyed by ``area_key`` of its name; None: no figure.
    values: dict[str, Fraction | None]
    #: Rates: one scale from low to high. Changes (False): falls and rises apart, at 0.
    sequential: bool = False


def map_figures(
    dataset: Dataset,
    mapping: CategoryMap,
    category: str,
    period: Period | None = None,
    by: str = "pct",
) -> MapFigures:
    """One category's % change (or rate per 1,000) in each area, for ``period`` (default:
    the latest complete financial year)."""
    from policing_cli.report.ranking import standard_league

    period, _, standings = standard_league(dataset, mapping, category, period, by)
    year = period.first // 12
    values = {
        area_key(s.area): (s.rate_exact if by == "rate" else s.pct_change_exact) for s in standings
    }
    what = (
        f"per 1,000 residents ({year})"
        if by == "rate"
        else f"% change against {period.previous().label}"
    )
    return MapFigures(
        f"{category}, {period.label}: {what}",
        "" if by == "rate" else "%",
        values,
        sequential=by == "rate",
    )

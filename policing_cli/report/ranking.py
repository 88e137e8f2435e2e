"""Every area at once: counts per area and category, league tables, ranks, rates per 1,000.

The per-area figures come from the same mapping as a single report, computed for all areas
in one grouping rather than one report per area.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.errors import UsageProblem
from policing_cli.report.areas import area_key
from policing_cli.report.categories import CategoryMap
from policing_cli.report.comparison import find_figure
from policing_cli.report.forces import area_roles
from policing_cli.report.holdings import Figure, Holdings, Window
from policing_cli.report.periods import Period
from policing_cli.report.results import Row
from policing_cli.report.selection import latest_complete_financial_year

if TYPE_CHECKING:
    from policing_cli.model import Dataset


def comparable_months(
    dataset: Dataset, period: Period, baseline: Period
) -> tuple[list[int], list[int]]:
    """The months of a period the data hold, and the same months of the comparison period.

    As in a single report: a period held only in part is compared with the same months of
    the comparison period; a period not held at all (nor as annual figures) is an error.
    """
    frame = dataset.frame
    held = {int(m) for m in frame[C.MONTH].unique()} & set(period.months)
    annual = ((frame[C.MONTH] == C.ANNUAL) & (frame[C.PERIOD] == period.label)).any()
    if not held and not annual:
        raise UsageProblem(f"period {period.label} ({period.span_words}) is not in the data")
    if not held or len(held) == period.length:
        return list(period.months), list(baseline.months)
    offset = period.first - baseline.first
    return sorted(held), [m - offset for m in sorted(held)]


@dataclass(frozen=True)
class Standing:
    """One area in a league table."""

    area: str
    count: int | None
    baseline_count: int | None
    population: int | None
    rank: int = 0
    #: How the figures were found (like for like, marked, partial): comparison.py.
    figure: Figure | None = None

    @property
    def change(self) -> int | None:
        return Row(self.area, self.count, self.baseline_count).change

    @property
    def pct_change_exact(self) -> Fraction | None:
        return Row(self.area, self.count, self.baseline_count).pct_change_exact

    @property
    def rate_exact(self) -> Fraction | None:
        """Offences per 1,000 residents."""
        if self.count is None or not self.population:
            return None
        return Fraction(self.count * 1000, self.population)

    @property
    def marked(self) -> bool:
        """The change crosses a classification change or a definition break."""
        return Row(self.area, self.count, self.baseline_count, figure=self.figure).marked


RANK_BY = ("count", "change", "pct", "rate")


def league_figures(
    dataset: Dataset, mapping: CategoryMap, category: str, period: Period, baseline: Period
) -> tuple[str, list[Figure], list[str]]:
    """Every borough's figure for one category, found as a report finds its own: the
    category's name as the data spell it, the figures, and the areas they belong to."""
    now_months, before_months = comparable_months(dataset, period, baseline)
    complete = len(now_months) == period.length
    now = Window(tuple(now_months), period.label if complete and period.is_annual_label() else None)
    before = Window(
        tuple(before_months), baseline.label if complete and baseline.is_annual_label() else None
    )
    holdings = Holdings(
        dataset, mapping, dataset.frame, {*now.months, *before.months},
        {period.label, baseline.label},
    )  # fmt: skip
    known = {c.casefold(): c for c in [*mapping.order, *mapping.totals, *holdings.categories]}
    name = known.get(category.casefold())
    if name is None:
        from policing_cli.report.names import did_you_mean

        hint = did_you_mean(category, known.values())
        raise UsageProblem(
            f"no category '{category}'{hint}: run 'policing categories' to list them"
        )
    # Boroughs, or the districts of the forces whose files are read (not border districts).
    areas = area_roles(dataset).league(holdings.areas())
    return name, [find_figure(holdings, [a], name, now, before) for a in areas], areas


def league(
    dataset: Dataset,
    mapping: CategoryMap,
    category: str,
    period: Period,
    baseline: Period,
    population: dict[str, int] | None = None,
    by: str = "pct",
) -> list[Standing]:
    """Boroughs (or districts) ranked by ``by``: 1st is the lowest (fewest offences, largest
    fall, lowest rate). Areas with no figure for the measure come last, unranked."""
    _name, figures, areas = league_figures(dataset, mapping, category, period, baseline)
    population = population or {}
    standings = [
        Standing(area, f.now.count, f.base.count, population.get(area_key(area)), figure=f)
        for area, f in zip(areas, figures, strict=True)
    ]

    def metric(s: Standing) -> Fraction | int | None:
        return {"count": s.count, "change": s.change, "pct": s.pct_change_exact,
                "rate": s.rate_exact}[by]  # fmt: skip

    ranks = competition_ranks({s.area: metric(s) for s in standings})
    ranked = sorted(standings, key=lambda s: (metric(s) is None, metric(s) or 0, s.area))
    return [replace(s, rank=ranks[s.area] or 0) for s in ranked]


def competition_ranks(values: dict[str, Fraction | int | None]) -> dict[str, int | None]:
    """Rank 1 for the lowest value (the largest fall, the fewest offences); equal values
    share a rank and the next rank skips ("1, 2, 2, 4"); no value, no rank. The one ranking
    of the report's context, ``rank``, ``map`` and the snapshot's league."""
    held = sorted(v for v in values.values() if v is not None)
    first: dict[Fraction | int, int] = {}
    for position, value in enumerate(held, start=1):
        first.setdefault(value, position)
    return {area: None if value is None else first[value] for area, value in values.items()}


def standard_league(
    dataset: Dataset, mapping: CategoryMap, category: str, period: Period | None, by: str
) -> tuple[Period, dict[str, int], list[Standing]]:
    """What ``rank`` and ``map`` both show: the league of one category for ``period`` (by
    default the latest complete financial year) against the period before, rates per 1,000
    using the population estimates of the year the period starts in. Returns the period,
    those estimates and the standings."""
    if period is None:
        period = latest_complete_financial_year(dataset.frame)
        if period is None:
            raise UsageProblem("the data hold no complete financial year: choose one with --period")
    year = period.first // 12
    population = {key: value for (key, y), value in dataset.population.items() if y == year}
    if by == "rate" and not population:
        raise UsageProblem(f"no population estimates for {year}: give --population FILE")
    standings = league(dataset, mapping, category, period, period.previous(), population, by)
    return period, population, standings


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st ..."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{({1: 'st', 2: 'nd', 3: 'rd'}).get(number % 10, 'th')}"

"""The context step of a report, what makes a borough's number mean something: the
force-wide change and the borough's rank for each category, rates per 1,000 residents, and
the 24-month trend."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from policing_cli.report.areas import area_key
from policing_cli.report.categories import CategoryMap
from policing_cli.report.comparison import find_figure, monthly_series
from policing_cli.report.forces import AreaRoles, area_roles, district_changes
from policing_cli.report.holdings import Holdings, Window, holdings_for
from policing_cli.report.periods import month_words
from policing_cli.report.ranking import competition_ranks
from policing_cli.report.results import Context, ContextRow, Figures, Row

if TYPE_CHECKING:
    from policing_cli.model import Dataset


def find_context(
    dataset: Dataset, mapping: CategoryMap, figures: Figures, rows: Sequence[Row]
) -> Context:
    """The context step: for each of ``rows`` (the figures' rows after the assessment, with
    a row for each target the data do not hold), the force-wide change and the area's rank,
    its rate per 1,000 residents and its 24-month trend. Every figure is found as the
    report's own are (comparison.py), so the force's change and each borough's are like for
    like where the report's is."""
    period = figures.period.period
    scope = figures.scope
    roles = area_roles(dataset)
    ranked = _force_and_ranks(dataset, mapping, figures, roles, rows)

    year = period.first // 12
    if scope.kind == "area" and scope.name is not None:
        areas_counted = [scope.name]
    elif scope.kind == "force" and scope.name is not None:
        areas_counted = sorted(d for d, f in roles.home.items() if f == scope.name)
    else:
        areas_counted = sorted(a for a, f in roles.home.items() if not f)
    population, used, notes = population_of(dataset, areas_counted, year)
    if not population:
        population = used = None

    trend_start: int | None = None
    trends: dict[str, tuple[int | None, ...]] = {}
    if not figures.period.annual and not figures.baseline.annual:
        trend_start = period.last - 23
        months = list(range(trend_start, period.last + 1))
        for row in rows:
            series = monthly_series(scope.holdings, list(scope.areas), row.category, months)
            if any(v is not None for v in series):
                trends[row.category] = tuple(series)

    found = []
    for row in rows:
        force_pct, rank, rank_of = ranked.get(row.category, (None, None, None))
        rate = (
            Fraction(row.count * 1000, population) if population and row.count is not None else None
        )
        trend = trends.get(row.category, ())
        found.append(ContextRow(force_pct, rank, rank_of, rate, trend))
    return Context(tuple(found), population, used, trend_start, tuple(notes))


def _force_and_ranks(
    dataset: Dataset,
    mapping: CategoryMap,
    figures: Figures,
    roles: AreaRoles,
    rows: Sequence[Row],
) -> dict[str, tuple[Fraction | None, int | None, int | None]]:
    """{category: (the force-wide % change, the area's rank among its force's boroughs or
    districts by % change, and of how many)}, for a borough or district's rows with a change."""
    scope = figures.scope
    area = scope.name
    compared = [row for row in rows if row.change is not None]
    found: dict[str, tuple[Fraction | None, int | None, int | None]] = {}
    if scope.kind != "area" or area is None or not compared or area not in roles.home:
        return found
    holdings, now, base = scope.holdings, scope.now, scope.base
    # The force beside a district is its own force, all of that force's files counted
    # (crimes with no location too); beside a London borough, every row of the London
    # files. Ranks are among that force's own boroughs or districts, each found as the
    # report's own figures are (holdings of every row: figures.py).
    force = roles.force_of(area)
    if force:
        months = holdings.months
        force_holdings = holdings_for(dataset, mapping, months, holdings.labels, force)
        force_areas = roles.areas.get(force, [])
        peers = sorted(d for d, f in roles.home.items() if f == force)
    else:
        force_holdings = holdings
        force_areas = roles.areas.get("", [])
        peers = sorted(roles.league(force_areas))
    for row in compared:
        force_pct = None
        figure = find_figure(force_holdings, force_areas, row.category, now, base)
        if figure.comparable and figure.base.count:
            force_pct = Fraction(
                (figure.now.count - figure.base.count) * 100,  # type: ignore[operator]
                figure.base.count,
            )
        ranks = _peer_ranks(holdings, tuple(peers), row.category, now, base)
        rank = ranks.get(area)
        rank_of = sum(1 for r in ranks.values() if r is not None) if rank is not None else None
        found[row.category] = (force_pct, rank, rank_of)
    return found


def population_of(
    dataset: Dataset, areas: list[str], year: int
) -> tuple[int | None, int | None, list[str]]:
    """The resident population of some areas (summed) for rates per 1,000: the mid-year
    estimate of ``year``, or of the nearest year with one (said in a note); none, with a
    note saying why, where an area has no estimate at all (a district merged away, whose
    old name the bundled estimates of districts as from April 2023 do not hold)."""
    if not dataset.population or not areas:
        return None, None, []
    years: dict[str, list[int]] = {}
    for key, held in dataset.population:
        years.setdefault(key, []).append(held)
    total, used = 0, set()
    for area in areas:
        held = years.get(area_key(area))
        if not held:
            change = district_changes().get(area_key(area))
            why = (
                f"{area} became part of {change.became} in {month_words(change.first_month)}, "
                "and the population estimates read are of districts as they are now"
                if change
                else f"no population estimate for {area}"
            )
            return None, None, [f"{why}: rates per 1,000 not shown"]
        nearest = min(held, key=lambda y: (abs(y - year), y))
        total += dataset.population[(area_key(area), nearest)]
        used.add(nearest)
    if used == {year}:
        return total, year, []
    shown = max(used)
    what = report_words(areas)
    return (
        total,
        shown,
        [
            f"no population estimate for {what} in {year}: rates per 1,000 use the "
            f"{'/'.join(map(str, sorted(used)))} estimate{'s' if len(used) > 1 else ''}, the "
            "nearest held"
        ],
    )


def report_words(areas: list[str]) -> str:
    return areas[0] if len(areas) == 1 else f"{len(areas)} areas"


def _peer_ranks(
    holdings: Holdings, peers: tuple[str, ...], category: str, now: Window, base: Window
) -> dict[str, int | None]:
    """Each peer's rank by % change in a category (the same for every peer's report: kept)."""
    key = ("ranks", peers, category, now, base)
    found = holdings.memo.get(key)
    if found is None:
        changes: dict[str, Fraction | None] = {}
        for peer in peers:
            figure = find_figure(holdings, [peer], category, now, base)
            if figure.comparable and figure.base.count:
                changes[peer] = Fraction(
                    (figure.now.count - figure.base.count) * 100,  # type: ignore[operator]
                    figure.base.count,
                )
        found = holdings.memo[key] = competition_ranks(changes)
    return found  # type: ignore[return-value]

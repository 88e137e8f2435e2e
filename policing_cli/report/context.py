"""What makes a borough's number mean something: the force-wide change and the borough's
rank for each category, rates per 1,000 residents, and the 24-month trend."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from policing_cli.report.areas import area_key
from policing_cli.report.categories import CategoryMap
from policing_cli.report.document import Report
from policing_cli.report.periods import month_words

if TYPE_CHECKING:
    from policing_cli.model import Dataset
    from policing_cli.report.holdings import Holdings, Window


def add_context(
    report: Report,
    dataset: Dataset,
    mapping: CategoryMap,
    kind: str,
    area: str | None,
    holdings: Holdings,
    selection: list[str],
    windows: tuple[Window, Window],
) -> None:
    """Force-wide change and the area's rank for each category, rates per 1,000 residents,
    and the 24-month trend. Every figure is found as the report's own are (comparison.py),
    so the force's change and each borough's are like for like where the report's is."""
    from dataclasses import replace

    from policing_cli.report.comparison import find_figure, monthly_series
    from policing_cli.report.forces import area_roles
    from policing_cli.report.holdings import holdings_for

    period = report.period.period
    extra: dict[str, dict[str, object]] = {row.category: {} for row in report.rows}
    monthly = not report.period.annual and not report.baseline.annual
    compared = [row for row in report.rows if row.change is not None]
    roles = area_roles(dataset)
    if kind == "area" and area is not None and compared and area in roles.home:
        now, base = windows
        # The force beside a district is its own force, all of that force's files counted
        # (crimes with no location too); beside a London borough, every row of the London
        # files. Ranks are among that force's own boroughs or districts, each found as the
        # report's own figures are (holdings of every row: build_report).
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
            values = extra[row.category]
            figure = find_figure(force_holdings, force_areas, row.category, now, base)
            if figure.comparable and figure.base.count:
                values["force_pct"] = Fraction(
                    (figure.now.count - figure.base.count) * 100,  # type: ignore[operator]
                    figure.base.count,
                )
            ranks = _peer_ranks(holdings, tuple(peers), row.category, now, base)
            if ranks.get(area) is not None:
                values["rank"] = ranks[area]
                values["rank_of"] = sum(1 for r in ranks.values() if r is not None)

    year = period.first // 12
    if kind == "area" and area is not None:
        areas_counted = [area]
    elif kind == "force" and area is not None:
        areas_counted = sorted(d for d, f in roles.home.items() if f == area)
    else:
        areas_counted = sorted(a for a, f in roles.home.items() if not f)
    population, used, notes = population_of(dataset, areas_counted, year)
    report.notes += notes
    if population:
        report.population, report.population_year = population, used
        for row in report.rows:
            if row.count is not None:
                extra[row.category]["rate"] = Fraction(row.count * 1000, population)

    if monthly:
        start = period.last - 23
        report.trend_start = start
        months = list(range(start, period.last + 1))
        for row in report.rows:
            series = monthly_series(holdings, selection, row.category, months)
            if any(v is not None for v in series):
                extra[row.category]["trend"] = tuple(series)

    report.rows = [replace(row, **extra[row.category]) for row in report.rows]  # type: ignore[arg-type]


def population_of(
    dataset: Dataset, areas: list[str], year: int
) -> tuple[int | None, int | None, list[str]]:
    """The resident population of some areas (summed) for rates per 1,000: the mid-year
    estimate of ``year``, or of the nearest year with one (said in a note); none, with a
    note saying why, where an area has no estimate at all (a district merged away, whose
    old name the bundled estimates of districts as from April 2023 do not hold)."""
    from policing_cli.report.forces import district_changes

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
    from policing_cli.report.comparison import find_figure
    from policing_cli.report.ranking import competition_ranks

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

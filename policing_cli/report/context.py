"""What makes a borough's number mean something: the force-wide change and the borough's
rank for each category, rates per 1,000 residents, and the 24-month trend."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.report.areas import area_key, is_borough
from policing_cli.report.categories import CategoryMap
from policing_cli.report.figures import Report

if TYPE_CHECKING:
    from policing_cli.loaders.inputs import Dataset
    from policing_cli.report.comparison import Holdings, Window


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

    period = report.period.period
    extra: dict[str, dict[str, object]] = {row.category: {} for row in report.rows}
    monthly = not report.period.annual and not report.baseline.annual
    compared = [row for row in report.rows if row.change is not None]
    if kind == "area" and area is not None and monthly and compared:
        now, base = windows
        # The report's area was read from holdings of every row (build_report): the same
        # holdings give the force and every borough.
        everywhere = holdings
        areas = everywhere.areas()
        boroughs = [a for a in areas if is_borough(a)]
        for row in compared:
            values = extra[row.category]
            force = everywhere.figure(areas, row.category, now, base)
            if force.comparable and force.base.count:
                values["force_pct"] = Fraction(
                    (force.now.count - force.base.count) * 100,  # type: ignore[operator]
                    force.base.count,
                )
            changes = {}
            for borough in boroughs:
                figure = everywhere.figure([borough], row.category, now, base)
                if figure.comparable and figure.base.count:
                    changes[borough] = Fraction(
                        (figure.now.count - figure.base.count) * 100,  # type: ignore[operator]
                        figure.base.count,
                    )
            if area in changes:
                mine = changes[area]
                values["rank"] = 1 + sum(1 for v in changes.values() if v < mine)
                values["rank_of"] = len(changes)

    year = period.first // 12
    population = dataset.population.get((area_key(area), year)) if area else None
    if population is None and area is None and dataset.population:
        boroughs_now = {a for a in map(str, dataset.frame[C.AREA].unique()) if is_borough(a)}
        found = [dataset.population.get((area_key(a), year)) for a in boroughs_now]
        population = sum(v for v in found if v) if all(found) and found else None
    if population:
        report.population, report.population_year = population, year
        for row in report.rows:
            if row.count is not None:
                extra[row.category]["rate"] = Fraction(row.count * 1000, population)
    elif dataset.population:
        report.notes.append(
            f"no population estimate for {report.area} in {year}: rates per 1,000 not shown"
        )

    if monthly:
        start = period.last - 23
        report.trend_start = start
        months = list(range(start, period.last + 1))
        for row in report.rows:
            series = holdings.monthly(selection, row.category, months)
            if any(v is not None for v in series):
                extra[row.category]["trend"] = tuple(series)

    report.rows = [replace(row, **extra[row.category]) for row in report.rows]  # type: ignore[arg-type]

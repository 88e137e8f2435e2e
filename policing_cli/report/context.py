"""What makes a borough's number mean something: the force-wide change and the borough's
rank for each category, rates per 1,000 residents, and the 24-month trend."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.report.areas import is_borough
from policing_cli.report.categories import CategoryMap
from policing_cli.report.figures import Report

if TYPE_CHECKING:
    import pandas as pd

    from policing_cli.loaders.inputs import Dataset


def add_context(
    report: Report,
    dataset: Dataset,
    mapping: CategoryMap,
    kind: str,
    area: str | None,
    rows: pd.DataFrame,
) -> None:
    """Force-wide change and the area's rank for each category, rates per 1,000 residents,
    and the 24-month trend: what makes a borough's number mean something."""
    from dataclasses import replace

    from policing_cli.report.areas import area_key
    from policing_cli.report.ranking import area_category_counts

    period = report.period.period
    extra: dict[str, dict[str, object]] = {row.category: {} for row in report.rows}
    monthly = not report.period.annual and not report.baseline.annual
    compared = any(row.baseline_count is not None for row in report.rows)
    if kind == "area" and area is not None and monthly and compared:
        now = area_category_counts(dataset, mapping, period, report.period.months)
        before = area_category_counts(
            dataset, mapping, report.baseline.period, report.baseline.months
        )
        for category, values in extra.items():
            force_now = sum(v.get(category, 0) for v in now.values() if category in v)
            force_before = sum(v.get(category, 0) for v in before.values() if category in v)
            if force_before and any(category in v for v in now.values()):
                values["force_pct"] = Fraction((force_now - force_before) * 100, force_before)
            changes = {
                a: Fraction((now[a][category] - before[a][category]) * 100, before[a][category])
                for a in now
                if is_borough(a) and category in now[a] and before.get(a, {}).get(category)
            }
            if area in changes:
                mine = changes[area]
                values["rank"] = 1 + sum(1 for v in changes.values() if v < mine)
                values["rank_of"] = len(changes)

    year = period.first // 12
    population = dataset.population.get((area_key(area), year)) if area else None
    if population is None and area is None and dataset.population:
        boroughs = {a for a in map(str, dataset.frame[C.AREA].unique()) if is_borough(a)}
        values = [dataset.population.get((area_key(a), year)) for a in boroughs]
        population = sum(v for v in values if v) if all(values) and values else None
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
        series = monthly_series(rows, mapping, start, period.last)
        for category, values in extra.items():
            if category in series:
                values["trend"] = tuple(
                    series[category].get(m) for m in range(start, period.last + 1)
                )

    report.rows = [replace(row, **extra[row.category]) for row in report.rows]  # type: ignore[arg-type]


def monthly_series(
    rows: pd.DataFrame, mapping: CategoryMap, first: int, last: int
) -> dict[str, dict[int, int]]:
    """{category: {month: count}} for the months from first to last that the data hold."""
    window = rows[(rows[C.MONTH] >= first) & (rows[C.MONTH] <= last)]
    grouped = window.groupby([C.MONTH, C.MAJOR, C.MINOR], observed=True)[C.COUNT].sum()
    held = {int(m) for m in window[C.MONTH].unique()}
    out: dict[str, dict[int, int]] = {}
    named: dict[str, dict[int, int]] = {}
    for (month, major, minor), count in grouped.items():
        pairs, is_named = mapping.categories_of(str(major), str(minor))
        target = named if is_named else out
        for category, _ in pairs:
            cell = target.setdefault(category, {})
            cell[int(month)] = cell.get(int(month), 0) + int(count)
    out.update(named)
    for category, parts in mapping.derived.items():
        if category not in out and all(p in out for p in parts):
            out[category] = {m: sum(out[p].get(m, 0) for p in parts) for m in held}
    for values in out.values():
        for month in held:
            values.setdefault(month, 0)
    return out

"""The figures step of a report: each category's count in the period and in the comparison
period, the periods as the data hold them, the files the counts came from, and the notes a
reader needs to compare them.

Pure computation on the canonical table; nothing here prints or knows about output formats.
The report built from this and the other steps is assembly.py's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.errors import UsageProblem
from policing_cli.report.areas import FORCE_WIDE_NAME, is_force_alias
from policing_cli.report.categories import CategoryMap
from policing_cli.report.comparison import comparison_notes, find_figure
from policing_cli.report.forces import AreaRoles, area_roles
from policing_cli.report.holdings import Figure, Holdings, Window, holdings_for
from policing_cli.report.periods import (
    Period,
    comparison_problem,
    describe_supplied,
    month_label,
)
from policing_cli.report.results import Coverage, Figures, Row, Scope
from policing_cli.report.selection import (
    covered_months,
    data_span,
    latest_complete_financial_year,
    period_rows,
    select_area,
)

if TYPE_CHECKING:
    import pandas as pd

    from policing_cli.model import Dataset


def _street_force(dataset: Dataset, kind: str, area: str | None) -> str | None:
    """The force whose own districts hold every row a district's report reads (its figures,
    and its ranks among its force's districts): for a district of street files, when every
    file read is of one series (so that no other series' rows could count); else None."""
    from policing_cli.report.forces import area_roles

    if kind != "area" or area is None or len({s.series for s in dataset.sources}) != 1:
        return None
    return area_roles(dataset).force_of(area)


def count_figures(
    dataset: Dataset,
    mapping: CategoryMap,
    area_request: str,
    period: Period | None = None,
    baseline: Period | None = None,
) -> Figures:
    """Each category's two counts for the area a name selects, in ``period`` (by default the
    latest complete financial year) and ``baseline`` (by default the period before). Raises
    UsageProblem for an unknown area or period.

    Each category's figures are like for like where the data allow (comparison.py): both
    periods from one classification, marked where not, partial where a period is held only
    in part.
    """
    kind, area, rows = select_area(dataset, area_request, period)
    covered = covered_months(dataset, rows)
    shown_area = area if area is not None else FORCE_WIDE_NAME
    period, baseline = _resolve_periods(rows, covered, shown_area, period, baseline)
    held = _held_periods(rows, covered, shown_area, period, baseline)
    trend = range(period.last - 23, period.last + 1)  # the context's 24 months
    months = {*held.now.months, *held.before.months, *trend}
    labels = {period.label, baseline.label}
    # A force of street files is its own rows (its districts hold other forces' crimes too);
    # an area or everything is read from the holdings of every row, shared with the context.
    # A district of street files of one series needs only the rows located in its force's
    # districts (its own figures and its ranks among them): a national archive's report
    # does not tally every district of England and Wales.
    holdings = holdings_for(
        dataset, mapping, months, labels, area if kind == "force" else None,
        districts_of=_street_force(dataset, kind, area),
    )  # fmt: skip
    selection = (
        [area]
        if kind == "area" and area is not None
        else sorted({str(a) for a in rows[C.AREA].unique()})
    )
    figures = [
        figure
        for figure in (
            find_figure(holdings, selection, category, held.now, held.before)
            for category in holdings.categories
        )
        if figure.now.held or figure.base.held
    ]
    base = held.base
    said = frozenset({baseline.label}) if not base.annual and not base.months else frozenset()
    notes = [
        *held.notes,
        *comparison_notes(figures, period, baseline, len(held.now.months), said=said),
        *_label_notes(mapping, rows, figures, period, baseline),
        *dataset.notes,
    ]
    roles = area_roles(dataset)
    notes += _area_notes(mapping, roles, kind, area, rows, holdings, [f.category for f in figures])
    return Figures(
        area=shown_area,
        force_wide=kind != "area" or is_force_alias(area or ""),
        period=held.current,
        baseline=base,
        rows=tuple(Row(f.category, f.now.count, f.base.count, figure=f) for f in figures),
        sources=_sources(dataset, rows, figures),
        notes=tuple(notes),
        peers=roles.peers(),
        scope=Scope(kind, area, tuple(selection), holdings, held.now, held.before),
    )


def _resolve_periods(
    rows: pd.DataFrame,
    covered: set[int],
    shown_area: str,
    period: Period | None,
    baseline: Period | None,
) -> tuple[Period, Period]:
    """The period asked for, or the latest complete financial year, and the comparison
    period asked for, or the period before; a comparison that makes no sense (periods of
    different lengths, or sharing months: periods.comparison_problem) is an error."""
    if period is None:
        period = latest_complete_financial_year(rows, covered)
        if period is None:
            raise UsageProblem(
                f"the data hold no complete financial year for {shown_area} "
                f"(they cover {data_span(rows)}): choose one with --period"
            )
    if baseline is None:
        baseline = period.previous()
    elif problem := comparison_problem(period, baseline):
        raise UsageProblem(problem)
    return period, baseline


@dataclass(frozen=True)
class _HeldPeriods:
    """The two periods as the data hold them, the months to compare, and notes on them."""

    current: Coverage
    base: Coverage
    now: Window
    before: Window
    notes: tuple[str, ...]


def _held_periods(
    rows: pd.DataFrame, covered: set[int], shown_area: str, period: Period, baseline: Period
) -> _HeldPeriods:
    """Which months of the two periods the data hold: a period held only in part is compared
    with the same months of the comparison period; a period not held at all is an error."""
    notes: list[str] = []
    _rows, current = period_rows(rows, period, period.months, covered)
    if not current.annual and not current.months:
        raise UsageProblem(
            f"period {period.label} ({period.span_words}) is not in the data for {shown_area} "
            f"(they cover {data_span(rows)})"
        )
    base_months: range | list[int] = baseline.months
    if not current.complete:
        offset = period.first - baseline.first
        base_months = [m - offset for m in current.months]
        notes.append(
            f"partial: the data hold {len(current.months)} of {period.length} months of "
            f"{period.label} ({month_label(current.months[0])}..{month_label(current.months[-1])}); "
            f"compared with the same months of {baseline.label}"
        )
    _base_rows, base = period_rows(rows, baseline, base_months, covered)
    if not base.annual and len(base.months) < len(base_months):
        if base.months:
            notes.append(
                f"comparison period {baseline.label} is only partly in the data "
                f"({len(base.months)} of {len(base_months)} months): changes not shown"
            )
        else:
            notes.append(
                f"comparison period {baseline.label} is not in the data: changes not shown"
            )
    now = Window(
        tuple(period.months if current.annual else current.months),
        period.label if current.complete and period.is_annual_label() else None,
    )
    before = Window(
        tuple(base_months),
        baseline.label if current.complete and baseline.is_annual_label() else None,
    )
    return _HeldPeriods(current, base, now, before, tuple(notes))


def _sources(
    dataset: Dataset, rows: pd.DataFrame, figures: list[Figure]
) -> tuple[tuple[str, str], ...]:
    """Each file the figures came from, and the months (or annual periods) it supplied."""
    supplied: dict[int, set[int]] = {}
    for figure in figures:
        for side in (figure.now, figure.base):
            for source, months in side.sources.items():
                supplied.setdefault(source, set()).update(months)
    return tuple(
        (dataset.sources[i].name, _describe(supplied[i], rows, i)) for i in sorted(supplied)
    )


def _area_notes(
    mapping: CategoryMap,
    roles: AreaRoles,
    kind: str,
    area: str | None,
    rows: pd.DataFrame,
    holdings: Holdings,
    categories: list[str],
) -> list[str]:
    """What the area is (a border district, not a borough), and what street-level counts of
    it mean: a broader definition of some categories, and only the forces whose files are
    read."""
    notes = []
    if kind == "area" and area is not None and area in roles.border:
        notes.append(roles.border[area])
    elif kind == "area" and area is not None and area not in roles.home:
        notes.append(f"{area} is not a borough: it is counted in the force-wide total only")
    street_rows = rows[rows[C.SOURCE].isin(list(holdings.street))] if holdings.street else None
    street = [
        c for c in categories
        if mapping.differs_for_street(c) and street_rows is not None and not street_rows.empty
    ]  # fmt: skip
    if street:
        notes.append(
            f"from data.police.uk street-level data, {', '.join(street)} "
            f"{'counts' if len(street) == 1 else 'count'} the street crime types mapped to "
            f"{'it' if len(street) == 1 else 'them'} (e.g. serious acquisitive crime = Burglary + "
            "Robbery + Vehicle crime), a broader definition than the borough files'"
        )
    if kind == "area" and street_rows is not None and not street_rows.empty:
        forces = sorted({str(f) for f in street_rows[C.FORCE].unique() if str(f).strip()})
        notes.append(
            f"street-level counts for {area} come from the files of {', '.join(forces)}: crimes "
            "other forces recorded there count only if their files are read too"
        )
    return notes


def _describe(months: set[int], rows: pd.DataFrame, source: int) -> str:
    """The months (and annual periods) a source supplied to a report."""
    monthly = sorted(m for m in months if m != C.ANNUAL)
    annual: list[str] = []
    if C.ANNUAL in months:
        part = rows[(rows[C.SOURCE] == source) & (rows[C.MONTH] == C.ANNUAL)]
        annual = sorted(set(map(str, part[C.PERIOD])))
    return describe_supplied(monthly, annual)


def _label_notes(
    mapping: CategoryMap,
    rows: pd.DataFrame,
    figures: list[Figure],
    period: Period,
    baseline: Period,
) -> list[str]:
    """Where a category's source names differ between the two periods (BURGLARY IN A
    DWELLING, then BURGLARY - RESIDENTIAL): worth a look even where no break is known."""
    months = {m for f in figures for side in (f.now, f.base) for m in side.months}
    used = rows[rows[C.MONTH].isin(list(months)) & (rows[C.COUNT] > 0)]
    named: dict[tuple[int, int], dict[str, set[str]]] = {}
    for source, month, major, minor in (
        used[[C.SOURCE, C.MONTH, C.MAJOR, C.MINOR]].drop_duplicates().itertuples(index=False)
    ):
        cell = named.setdefault((int(source), int(month)), {})
        for category, name in mapping.categories_of(str(major), str(minor))[0]:
            cell.setdefault(category, set()).add(name)
    notes = []
    for figure in figures:
        if not figure.like_for_like or figure.category in mapping.totals:
            continue
        if figure.category in mapping.derived:
            continue
        now, before = (
            {
                name
                for source, months_used in side.sources.items()
                for month in months_used
                for name in named.get((source, month), {}).get(figure.category, ())
            }
            for side in (figure.now, figure.base)
        )
        if now and before and {s.casefold() for s in now} != {s.casefold() for s in before}:
            notes.append(
                f"definition changed for {figure.category}: {period.label} counts "
                f"{', '.join(sorted(now))}; {baseline.label} counts {', '.join(sorted(before))}"
            )
    return notes

"""The figures of one report: each category's count, its comparison count and the change.

Pure computation on the canonical table; nothing here prints or knows about output formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.errors import UsageProblem
from policing_cli.report.areas import FORCE_WIDE_NAME, is_borough, resolve_area
from policing_cli.report.categories import CategoryMap
from policing_cli.report.periods import (
    Period,
    PeriodKind,
    describe_months,
    financial_year,
    month_label,
)

if TYPE_CHECKING:
    import pandas as pd

    from policing_cli.loaders.inputs import Dataset


@dataclass(frozen=True)
class Row:
    """One category of the report. Counts are None where the data do not hold them."""

    category: str
    count: int | None
    baseline_count: int | None

    @property
    def change(self) -> int | None:
        if self.count is None or self.baseline_count is None:
            return None
        return self.count - self.baseline_count

    @property
    def pct_change_exact(self) -> Fraction | None:
        """Exact % change; None when there is no baseline or it is zero (never inf)."""
        if self.change is None or not self.baseline_count:
            return None
        return Fraction(self.change * 100, self.baseline_count)

    @property
    def pct_change(self) -> float | None:
        exact = self.pct_change_exact
        return None if exact is None else float(exact)


@dataclass(frozen=True)
class Coverage:
    """Which months of a period the data hold (or that annual figures were used)."""

    period: Period
    months: tuple[int, ...]
    annual: bool = False

    @property
    def complete(self) -> bool:
        return self.annual or len(self.months) == self.period.length

    @property
    def span(self) -> str:
        if self.annual:
            return f"{self.period.label} (annual figures)"
        return self.period.span_words


@dataclass
class Report:
    """Everything a renderer needs for one area and period."""

    area: str
    force_wide: bool
    period: Coverage
    baseline: Coverage
    rows: list[Row]
    sources: list[tuple[str, str]]  # (file name, months it supplied to this report)
    notes: list[str] = field(default_factory=list)


def _area_rows(frame: pd.DataFrame, area: str | None) -> pd.DataFrame:
    return frame if area is None else frame[frame[C.AREA] == area]


def _select(
    rows: pd.DataFrame, period: Period, months: range | list[int]
) -> tuple[pd.DataFrame, Coverage]:
    """Rows of a period: its annual rows when a tidy file gives them, else its months."""
    if period.is_annual_label():
        annual = rows[(rows[C.MONTH] == C.ANNUAL) & (rows[C.PERIOD] == period.label)]
        if not annual.empty:
            return annual, Coverage(period, (), annual=True)
    wanted = rows[rows[C.MONTH].isin(list(months))]
    present = tuple(sorted(set(int(m) for m in wanted[C.MONTH])))
    return wanted, Coverage(period, present)


def _sum_by_category(
    rows: pd.DataFrame, mapping: CategoryMap
) -> tuple[dict[str, int], dict[str, set[str]]]:
    """Counts per report category, and the source names with offences in each."""
    grouped = rows.groupby([C.MAJOR, C.MINOR], sort=False)[C.COUNT].sum()
    counts: dict[str, int] = {}
    named: dict[str, int] = {}
    sources: dict[str, set[str]] = {}
    for (major, minor), count in grouped.items():
        pairs, is_named = mapping.categories_of(str(major), str(minor))
        target = named if is_named else counts
        for category, source_name in pairs:
            target[category] = target.get(category, 0) + int(count)
            if count:
                sources.setdefault(category, set()).add(source_name)
    # Named rows (a tidy file's own figures) take precedence over sums of source rows.
    counts.update(named)
    for category, parts in mapping.derived.items():
        if category in counts:
            continue
        values = [counts.get(part) for part in parts]
        if all(v is not None for v in values):
            counts[category] = sum(v for v in values if v is not None)
            sources[category] = set().union(*(sources.get(p, set()) for p in parts))
    return counts, sources


def latest_complete_financial_year(rows: pd.DataFrame) -> Period | None:
    """Default period: the latest financial year the data hold in full."""
    months = set(int(m) for m in rows[C.MONTH] if m != C.ANNUAL)
    candidates = []
    if months:
        year = max(months) // 12
        while year * 12 >= min(months) - 12:
            fy = financial_year(year)
            if all(m in months for m in fy.months):
                candidates.append(fy)
                break
            year -= 1
    annual = [p for p in set(rows.loc[rows[C.MONTH] == C.ANNUAL, C.PERIOD]) if "/" in p]
    if annual:
        candidates.append(financial_year(max(int(p[:4]) for p in annual)))
    return max(candidates, key=lambda p: p.first) if candidates else None


def data_span(rows: pd.DataFrame) -> str:
    months = sorted(set(int(m) for m in rows[C.MONTH] if m != C.ANNUAL))
    annual = sorted(set(rows.loc[rows[C.MONTH] == C.ANNUAL, C.PERIOD]))
    parts = [f"{month_label(months[0])}..{month_label(months[-1])}"] if months else []
    return ", ".join(parts + annual) or "nothing"


def build_report(
    dataset: Dataset,
    mapping: CategoryMap,
    area_request: str,
    period: Period | None = None,
    baseline: Period | None = None,
) -> Report:
    """Compute one area's report. Raises UsageProblem for an unknown area or period."""
    frame = dataset.frame
    areas = sorted(set(frame[C.AREA]))
    area = resolve_area(area_request, areas)
    rows = _area_rows(frame, area)
    shown_area = area if area is not None else FORCE_WIDE_NAME
    if period is None:
        period = latest_complete_financial_year(rows)
        if period is None:
            raise UsageProblem(
                f"the data hold no complete financial year for {shown_area} "
                f"(they cover {data_span(rows)}): choose one with --period"
            )
    if baseline is None:
        baseline = period.previous()
    elif baseline.length != period.length:
        raise UsageProblem(
            f"--vs {baseline.label} covers {baseline.length} months but {period.label} covers "
            f"{period.length}: compare periods of the same length"
        )
    notes: list[str] = []
    current_rows, current = _select(rows, period, period.months)
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
    base_rows, base = _select(rows, baseline, base_months)
    base_ok = base.annual or len(base.months) == len(base_months)
    if not base_ok:
        if base.months:
            notes.append(
                f"comparison period {baseline.label} is only partly in the data "
                f"({len(base.months)} of {len(base_months)} months): changes not shown"
            )
        else:
            notes.append(
                f"comparison period {baseline.label} is not in the data: changes not shown"
            )

    counts, current_sources = _sum_by_category(current_rows, mapping)
    if base_ok:
        base_counts, base_sources = _sum_by_category(base_rows, mapping)
    else:
        base_counts, base_sources = {}, {}

    names = [c for c in mapping.order if c in counts or c in base_counts]
    extra = sorted((set(counts) | set(base_counts)) - set(names))
    # Unmapped categories before the totals, which close the table.
    body = [c for c in names if c not in mapping.totals] + extra
    names = body + [c for c in names if c in mapping.totals]
    report_rows = [Row(c, counts.get(c), base_counts.get(c) if base_ok else None) for c in names]

    if base_ok:
        for category in names:
            now, before = current_sources.get(category, set()), base_sources.get(category, set())
            if category in mapping.totals or category in mapping.derived or not now or not before:
                continue
            if {s.casefold() for s in now} != {s.casefold() for s in before}:
                notes.append(
                    f"definition changed for {category}: {period.label} counts "
                    f"{', '.join(sorted(now))}; {baseline.label} counts {', '.join(sorted(before))}"
                )
        layouts_now = _layouts(dataset, current_rows)
        layouts_before = _layouts(dataset, base_rows)
        if layouts_now and layouts_before and layouts_now != layouts_before:
            notes.append(
                f"{period.label} and {baseline.label} come from different classifications "
                f"({'; '.join(sorted(layouts_now))} against {'; '.join(sorted(layouts_before))}): "
                "categories present in only one period show n/a"
            )

    used = sorted(set(current_rows[C.SOURCE]) | set(base_rows[C.SOURCE] if base_ok else []))
    sources = [(dataset.sources[i].name, _supplied(current_rows, base_rows, i)) for i in used]
    notes += dataset.notes
    if area is not None and not is_borough(area):
        notes.append(f"{area} is not a borough: it is counted in the force-wide total only")
    return Report(shown_area, area is None, current, base, report_rows, sources, notes)


def _layouts(dataset: Dataset, rows: pd.DataFrame) -> set[str]:
    return {dataset.sources[int(i)].layout for i in set(rows[C.SOURCE])}


def _supplied(current_rows: pd.DataFrame, base_rows: pd.DataFrame, source: int) -> str:
    both = [
        current_rows[current_rows[C.SOURCE] == source],
        base_rows[base_rows[C.SOURCE] == source],
    ]
    months = sorted({int(m) for part in both for m in part[C.MONTH] if m != C.ANNUAL})
    annual = sorted({p for part in both for p in part.loc[part[C.MONTH] == C.ANNUAL, C.PERIOD]})
    return ", ".join(filter(None, [describe_months(months) if months else "", ", ".join(annual)]))


__all__ = ["Coverage", "PeriodKind", "Report", "Row", "build_report"]

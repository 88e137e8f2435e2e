"""The figures of one report: each category's count, its comparison count and the change.

Pure computation on the canonical table; nothing here prints or knows about output formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.errors import UsageProblem
from policing_cli.report.areas import (
    FORCE_WIDE_NAME,
    is_borough,
    is_force_alias,
    resolve_selection,
)
from policing_cli.report.categories import CategoryMap
from policing_cli.report.measures import Target
from policing_cli.report.narrative import (
    Narrative,
)
from policing_cli.report.outcomes import (
    OutcomeRow,
)
from policing_cli.report.periods import (
    Period,
    describe_supplied,
    financial_year,
    month_label,
)
from policing_cli.report.significance import DEFAULT_ALPHA, poisson_p_value
from policing_cli.report.targets import (
    GapResult,
    IndicatorResult,
    Verdict,
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
    target: Target | None = None
    verdict: Verdict = Verdict.NO_TARGET
    #: The force-wide % change of the same category, and this area's rank among the
    #: boroughs by % change (1 = largest fall), of ``rank_of``.
    force_pct: Fraction | None = None
    rank: int | None = None
    rank_of: int | None = None
    #: Offences per 1,000 residents in the period (None without a population estimate).
    rate: Fraction | None = None
    #: The monthly counts of the 24 months to the period's end (None: month not held).
    trend: tuple[int | None, ...] = ()

    @property
    def p_value(self) -> float | None:
        """Exact conditional test for two Poisson counts (periods of equal length)."""
        if self.count is None or self.baseline_count is None:
            return None
        return poisson_p_value(self.count, self.baseline_count)

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
    indicators: list[IndicatorResult] = field(default_factory=list)
    gaps: list[GapResult] = field(default_factory=list)
    looking_back: Narrative = field(default_factory=Narrative)
    next_period: str = ""
    looking_forward: list[str] = field(default_factory=list)
    force_wide_report: Report | None = None
    #: One line naming the inputs, tool version and generation time (snapshots).
    provenance: str = ""
    #: Significance level: changes with p >= alpha are "within normal variation".
    alpha: float = DEFAULT_ALPHA
    #: Population estimate used for rates, and its mid-year.
    population: int | None = None
    population_year: int | None = None
    #: First month of the 24-month trend series of the rows.
    trend_start: int | None = None
    #: Draw sparklines with ASCII characters (legacy terminals, plain email).
    ascii_trends: bool = False
    #: Street-level data: outcomes and positive outcome rates per category.
    outcomes: list[OutcomeRow] = field(default_factory=list)

    def within_normal_variation(self, row: Row) -> bool | None:
        p_value = row.p_value
        return None if p_value is None else p_value >= self.alpha

    @property
    def has_targets(self) -> bool:
        return (
            any(r.target for r in self.rows)
            or any(i.target for i in self.indicators)
            or bool(self.gaps)
        )

    @property
    def missed(self) -> int:
        """Targets missed in this area's own results (not the force-wide section)."""
        verdicts = [r.verdict for r in self.rows] + [i.verdict for i in self.indicators]
        verdicts += [g.verdict for g in self.gaps]
        return sum(v is Verdict.MISSED for v in verdicts)


STREET_LAYOUT = C.STREET_LAYOUT


def _area_rows(frame: pd.DataFrame, kind: str, name: str | None) -> pd.DataFrame:
    if kind == "all":
        return frame
    return frame[frame[C.FORCE if kind == "force" else C.AREA] == name]


def _select(
    rows: pd.DataFrame, period: Period, months: range | list[int], covered: set[int]
) -> tuple[pd.DataFrame, Coverage]:
    """Rows of a period: its months when the data hold them all, else its annual rows when
    a file gives them (a tidy or recorded-crime-rates file), else the months there are.

    A month counts as held when the area has rows in it, or when a street-level file
    covering it was read (a quiet month in a small area has no rows but is not missing).
    """
    wanted = rows[rows[C.MONTH].isin(list(months))]
    present = {int(m) for m in wanted[C.MONTH].unique()} | (covered & set(months))
    if len(present) < len(months) and period.is_annual_label():
        annual = rows[(rows[C.MONTH] == C.ANNUAL) & (rows[C.PERIOD] == period.label)]
        if not annual.empty:
            return annual, Coverage(period, (), annual=True)
    return wanted, Coverage(period, tuple(sorted(present)))


def _holds(rows: pd.DataFrame, period: Period, covered: set[int]) -> bool:
    """True when the rows hold any of the period (its months or its annual figures)."""
    _rows, coverage = _select(rows, period, period.months, covered)
    return coverage.annual or bool(coverage.months)


def _covered_months(dataset: Dataset, rows: pd.DataFrame) -> set[int]:
    """Months covered by street-level files, when the selection has street rows: every
    street file read covers its month for every district (a quiet month is a zero)."""
    sources = {int(i) for i in rows[C.SOURCE].unique()}
    if not any(dataset.sources[i].layout == STREET_LAYOUT for i in sources):
        return set()
    months: set[int] = set()
    for source in dataset.sources:
        if source.layout == STREET_LAYOUT:
            months |= source.months
    return months


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


def latest_complete_financial_year(
    rows: pd.DataFrame, covered: set[int] | None = None
) -> Period | None:
    """Default period: the latest financial year the data hold in full."""
    months = {int(m) for m in rows[C.MONTH].unique() if m != C.ANNUAL} | (covered or set())
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
    *,
    with_force_wide: bool = True,
    alpha: float = DEFAULT_ALPHA,
) -> Report:
    """Compute one area's report. Raises UsageProblem for an unknown area or period.

    With targets in the data, each result gets its verdict and the leaflet's sentences; a
    borough's report also carries the force-wide results (``force_wide_report``).
    """
    frame = dataset.frame
    areas = sorted(a for a in frame[C.AREA].unique() if str(a).strip())
    forces = sorted(f for f in frame[C.FORCE].unique() if str(f).strip())
    kind, area = resolve_selection(area_request, areas, forces)
    rows = _area_rows(frame, kind, area)
    if kind != "all" and is_force_alias(area_request):
        # The force-wide alias names rows of the data ("MPS", "Met Police Area") only where
        # they hold the period; elsewhere it is the sum of every area.
        target = period or latest_complete_financial_year(frame, _covered_months(dataset, frame))
        if target is not None and not _holds(rows, target, _covered_months(dataset, rows)):
            kind, area, rows = "all", None, frame
    covered = _covered_months(dataset, rows)
    shown_area = area if area is not None else FORCE_WIDE_NAME
    if period is None:
        period = latest_complete_financial_year(rows, covered)
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
    current_rows, current = _select(rows, period, period.months, covered)
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
    base_rows, base = _select(rows, baseline, base_months, covered)
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
    if base_ok and _only_street(dataset, current_rows, base_rows, current, base):
        # Street files list every crime: a crime type with no row in a month they cover
        # had none (0), where in borough files a missing category means another classification.
        for category in set(counts) | set(base_counts):
            counts.setdefault(category, 0)
            base_counts.setdefault(category, 0)

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
    if kind == "area" and area is not None and not is_borough(area):
        notes.append(f"{area} is not a borough: it is counted in the force-wide total only")
    street = [
        c for c in names if mapping.differs_for_street(c) and _from_street(dataset, current_rows)
    ]
    if street:
        notes.append(
            f"from data.police.uk street-level data, {', '.join(street)} "
            f"{'counts' if len(street) == 1 else 'count'} the street crime types mapped to "
            f"{'it' if len(street) == 1 else 'them'} (e.g. serious acquisitive crime = Burglary + "
            "Robbery + Vehicle crime), a broader definition than the borough files'"
        )
    if kind == "area" and _from_street(dataset, current_rows):
        forces = sorted({str(f) for f in current_rows[C.FORCE].unique() if str(f).strip()})
        notes.append(
            f"street-level counts for {area} come from the files of {', '.join(forces)}: crimes "
            "other forces recorded there count only if their files are read too"
        )
    force_wide = kind != "area" or is_force_alias(area or "")
    report = Report(shown_area, force_wide, current, base, report_rows, sources, notes)
    report.alpha = alpha
    from policing_cli.report.assessment import add_outcomes, assess
    from policing_cli.report.context import add_context

    assess(report, dataset, add_outcomes(report, dataset, mapping, kind, area))
    add_context(report, dataset, mapping, kind, area, rows)
    if with_force_wide and not force_wide and dataset.targets:
        try:
            report.force_wide_report = build_report(
                dataset, mapping, "london", period, baseline, with_force_wide=False, alpha=alpha
            )
        except UsageProblem:
            report.force_wide_report = None
    return report


def _only_street(
    dataset: Dataset, now: pd.DataFrame, before: pd.DataFrame, *coverages: Coverage
) -> bool:
    """Both periods wholly covered by street-level files."""
    layouts = _layouts(dataset, now) | _layouts(dataset, before)
    return layouts == {STREET_LAYOUT} and all(c.complete for c in coverages)


def _from_street(dataset: Dataset, rows: pd.DataFrame) -> bool:
    return any(dataset.sources[int(i)].layout == STREET_LAYOUT for i in rows[C.SOURCE].unique())


def _layouts(dataset: Dataset, rows: pd.DataFrame) -> set[str]:
    return {dataset.sources[int(i)].layout for i in set(rows[C.SOURCE])}


def _supplied(current_rows: pd.DataFrame, base_rows: pd.DataFrame, source: int) -> str:
    both = [
        current_rows[current_rows[C.SOURCE] == source],
        base_rows[base_rows[C.SOURCE] == source],
    ]
    months = sorted({int(m) for part in both for m in part[C.MONTH] if m != C.ANNUAL})
    annual = sorted({p for part in both for p in part.loc[part[C.MONTH] == C.ANNUAL, C.PERIOD]})
    return describe_supplied(months, annual)

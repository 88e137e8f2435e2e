"""The figures of one report: each category's count, its comparison count and the change.

Pure computation on the canonical table; nothing here prints or knows about output formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.errors import UsageProblem
from policing_cli.model import Target
from policing_cli.report.areas import (
    FORCE_WIDE_NAME,
    is_force_alias,
    resolve_selection,
)
from policing_cli.report.categories import CategoryMap
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
from policing_cli.report.significance import (
    DEFAULT_ALPHA,
    exact_p_value,
    poisson_p_value,
    within_normal_variation,
)
from policing_cli.report.targets import (
    GapResult,
    IndicatorResult,
    Verdict,
)

if TYPE_CHECKING:
    import pandas as pd

    from policing_cli.model import Dataset
    from policing_cli.report.comparison import Figure


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
    #: How the two figures were found: series, partial months, breaks (comparison.py).
    figure: Figure | None = None

    @property
    def marked(self) -> bool:
        """The change crosses a classification change or a definition break."""
        return (
            self.figure is not None
            and self.change is not None
            and (self.figure.crosses_classification or bool(self.figure.breaks))
        )

    @property
    def p_value(self) -> float | None:
        """Exact conditional test for two Poisson counts (periods of equal length)."""
        if self.count is None or self.baseline_count is None:
            return None
        exact = exact_p_value(self.count, self.baseline_count)
        if exact is not None:
            return float(exact)
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
    #: What the area's peers are called in its ranks: "boroughs", or "districts".
    peers: str = "boroughs"

    def within_normal_variation(self, row: Row) -> bool | None:
        if row.count is None or row.baseline_count is None:
            return None
        return within_normal_variation(row.count, row.baseline_count, self.alpha)

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


def _street_force(dataset: Dataset, kind: str, area: str | None) -> str | None:
    """The force whose own districts hold every row a district's report reads (its figures,
    and its ranks among its force's districts): for a district of street files, when every
    file read is of one series (so that no other series' rows could count); else None."""
    from policing_cli.report.forces import area_roles

    if kind != "area" or area is None or len({s.series for s in dataset.sources}) != 1:
        return None
    return area_roles(dataset).force_of(area)


def select_area(
    dataset: Dataset, area_request: str, period: Period | None = None
) -> tuple[str, str | None, pd.DataFrame]:
    """What a requested name selects: ``(kind, name, rows)`` with kind "area" (a borough or
    district), "force" (a force of street files) or "all" (the Met's area of London files).

    ``london``/``mps`` mean the Metropolitan Police's area: the London borough-level rows,
    else the Met's street files; with neither loaded it is an error naming the forces that
    are. A tidy file's own ``MPS`` rows answer for it where they hold the period.
    """
    from policing_cli.report.areas import force_key

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
            kind, area = "all", None
    if kind == "all":
        london = frame[frame[C.FORCE] == ""]
        met = [f for f in forces if force_key(f) == "metropolitan"]
        if not london.empty:
            rows = london
        elif met:
            kind, area, rows = "force", met[0], _area_rows(frame, "force", met[0])
        else:
            raise UsageProblem(
                f"'{area_request}' means the Metropolitan Police's area, and the data hold "
                f"none of it: they hold {', '.join(forces)}; report one of those, or one of "
                "their districts, by name"
            )
    return kind, area, rows


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

    Each category's figures are like for like where the data allow (report/comparison.py):
    both periods from one classification, marked where not, partial where a period is held
    only in part. With targets in the data, each result gets its verdict and the leaflet's
    sentences; a borough's report also carries the force-wide results (``force_wide_report``).
    """
    from policing_cli.report.comparison import Window, holdings_for
    from policing_cli.report.forces import area_roles

    kind, area, rows = select_area(dataset, area_request, period)
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
    _rows, current = _select(rows, period, period.months, covered)
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
    _base_rows, base = _select(rows, baseline, base_months, covered)
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

    now_window = Window(
        tuple(period.months if current.annual else current.months),
        period.label if current.complete and period.is_annual_label() else None,
    )
    base_window = Window(
        tuple(base_months),
        baseline.label if current.complete and baseline.is_annual_label() else None,
    )
    trend_months = set(range(period.last - 23, period.last + 1))
    months = set(now_window.months) | set(base_window.months) | trend_months
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
            holdings.figure(selection, category, now_window, base_window)
            for category in holdings.categories
        )
        if figure.now.held or figure.base.held
    ]
    report_rows = [Row(f.category, f.now.count, f.base.count, figure=f) for f in figures]
    from policing_cli.report.comparison import comparison_notes

    said = frozenset({baseline.label}) if not base.annual and not base.months else frozenset()
    notes += comparison_notes(figures, period, baseline, len(now_window.months), said=said)
    notes += _label_notes(mapping, rows, figures, period, baseline)

    supplied: dict[int, set[int]] = {}
    for figure in figures:
        for side in (figure.now, figure.base):
            for source, months in side.sources.items():
                supplied.setdefault(source, set()).update(months)
    sources = [(dataset.sources[i].name, _describe(supplied[i], rows, i)) for i in sorted(supplied)]
    notes += dataset.notes
    roles = area_roles(dataset)
    if kind == "area" and area is not None and area in roles.border:
        notes.append(roles.border[area])
    elif kind == "area" and area is not None and area not in roles.home:
        notes.append(f"{area} is not a borough: it is counted in the force-wide total only")
    street_rows = rows[rows[C.SOURCE].isin(list(holdings.street))] if holdings.street else None
    street = [
        c for c in (r.category for r in report_rows)
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
    force_wide = kind != "area" or is_force_alias(area or "")
    report = Report(
        shown_area, force_wide, current, base, report_rows, sources, notes, peers=roles.peers()
    )
    report.alpha = alpha
    from policing_cli.report.assessment import add_outcomes, assess
    from policing_cli.report.context import add_context

    assess(report, dataset, add_outcomes(report, dataset, mapping, kind, area))
    add_context(
        report, dataset, mapping, kind, area, holdings, selection, (now_window, base_window)
    )
    if with_force_wide and not force_wide and dataset.targets:
        try:
            report.force_wide_report = build_report(
                dataset, mapping, "london", period, baseline, with_force_wide=False, alpha=alpha
            )
        except UsageProblem:
            report.force_wide_report = None
    return report


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

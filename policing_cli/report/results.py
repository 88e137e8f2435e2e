"""The values a report is made of (its rows, the coverage of its two periods, indicators,
gaps, outcomes, sentences, the report itself) and what each step of building one returns.

All frozen: a step returns new values and never changes those it is given, and a Report is
built once (assembly.py). The steps (figures.py, outcomes.py, assessment.py, context.py)
import their values from here, and nothing here imports a step.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from policing_cli.model import Indicator, Target
from policing_cli.report.holdings import Figure, Holdings, Window
from policing_cli.report.periods import Period
from policing_cli.report.significance import (
    DEFAULT_ALPHA,
    exact_p_value,
    poisson_p_value,
    within_normal_variation,
)
from policing_cli.report.targets import Verdict


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

    def with_context(self, context: ContextRow) -> Row:
        """The row with its context (the force's change, its rank, rate and trend)."""
        return replace(
            self,
            force_pct=context.force_pct,
            rank=context.rank,
            rank_of=context.rank_of,
            rate=context.rate,
            trend=context.trend,
        )

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


@dataclass(frozen=True)
class IndicatorResult:
    """An indicator (a rate in %) in the period and the comparison period."""

    measure: str
    value: Decimal | None
    baseline_value: Decimal | None
    target: Target | None
    verdict: Verdict
    force_value: Decimal | None = None  # the force-wide figure, beside a borough's

    @property
    def change_pp(self) -> Decimal | None:
        if self.value is None or self.baseline_value is None:
            return None
        return self.value - self.baseline_value


@dataclass(frozen=True)
class GapResult:
    """The gap between two indicators in percentage points (``A - B``), against a target."""

    measure: str
    first: str
    second: str
    first_value: Decimal | None
    second_value: Decimal | None
    target: Target

    @property
    def gap_pp(self) -> Decimal | None:
        """The size of the gap: a distance, so the order of the two groups does not matter."""
        if self.first_value is None or self.second_value is None:
            return None
        return abs(self.first_value - self.second_value)

    @property
    def verdict(self) -> Verdict:
        gap = self.gap_pp
        if gap is None:
            return Verdict.NOT_AVAILABLE
        return Verdict.MET if gap <= self.target.value else Verdict.MISSED


@dataclass(frozen=True)
class OutcomeRow:
    """One category's outcomes in a period."""

    category: str
    crimes: int
    positive: int
    negative: int
    open: int
    unknown: int
    baseline_rate: Fraction | None = None
    #: Crimes whose outcome string the classification does not know.
    unrecognised: int = 0

    @property
    def with_outcome(self) -> int:
        return self.positive + self.negative

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.positive * 100, self.crimes) if self.crimes else None

    @property
    def change_pp(self) -> Fraction | None:
        if self.rate is None or self.baseline_rate is None:
            return None
        return self.rate - self.baseline_rate


@dataclass(frozen=True)
class Narrative:
    """The leaflet's "Looking back": targets met, then targets not met, one sentence each."""

    achievements: tuple[str, ...] = ()
    not_met: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.achievements and not self.not_met


@dataclass(frozen=True)
class Report:
    """Everything a renderer needs for one area and period: built once (assembly.py) from
    what each step found, and never changed afterwards. How it is shown (ASCII sparklines,
    the provenance line) is not part of it: document/options.py RenderOptions."""

    area: str
    force_wide: bool
    period: Coverage
    baseline: Coverage
    rows: tuple[Row, ...]
    sources: tuple[tuple[str, str], ...]  # (file name, months it supplied to this report)
    notes: tuple[str, ...] = ()
    indicators: tuple[IndicatorResult, ...] = ()
    gaps: tuple[GapResult, ...] = ()
    looking_back: Narrative = Narrative()
    next_period: str = ""
    looking_forward: tuple[str, ...] = ()
    force_wide_report: Report | None = None
    #: Significance level: changes with p >= alpha are "within normal variation".
    alpha: float = DEFAULT_ALPHA
    #: Population estimate used for rates, and its mid-year.
    population: int | None = None
    population_year: int | None = None
    #: First month of the 24-month trend series of the rows.
    trend_start: int | None = None
    #: Street-level data: outcomes and positive outcome rates per category.
    outcomes: tuple[OutcomeRow, ...] = ()
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


# -- what each step finds ------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What an area's name selected, and where its figures were read: what the context and
    outcomes steps look at beside the figures."""

    #: "area" (a borough or district), "force" (a force of street files) or "all".
    kind: str
    #: The area or force, as the data spell it (None: every area of the Met's files).
    name: str | None
    #: The areas whose figures are summed: the area itself, or every area of the rows.
    areas: tuple[str, ...]
    #: What each series holds for them, and the counts (shared by the context).
    holdings: Holdings
    #: The months of the period and of the comparison period (each with its annual label).
    now: Window
    base: Window


@dataclass(frozen=True)
class Figures:
    """The figures step (figures.py): each category's two counts, the periods as held, the
    files they came from, and what a reader must know about them."""

    area: str
    force_wide: bool
    period: Coverage
    baseline: Coverage
    rows: tuple[Row, ...]
    sources: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]
    peers: str
    scope: Scope


@dataclass(frozen=True)
class Outcomes:
    """The outcomes step (outcomes.py): outcome rows of street-level data, the positive
    outcome rate as indicators (so it can carry a target), and the notes on them."""

    rows: tuple[OutcomeRow, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """The assessment step (assessment.py): the rows with their targets and verdicts (and a
    row, verdict n/a, for each target on a category the data do not hold), the indicators,
    gaps and the leaflet's sentences."""

    rows: tuple[Row, ...]
    indicators: tuple[IndicatorResult, ...] = ()
    gaps: tuple[GapResult, ...] = ()
    looking_back: Narrative = Narrative()
    next_period: str = ""
    looking_forward: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContextRow:
    """What makes one row's number mean something (context.py); None or () where unknown."""

    force_pct: Fraction | None = None
    rank: int | None = None
    rank_of: int | None = None
    rate: Fraction | None = None
    trend: tuple[int | None, ...] = ()


@dataclass(frozen=True)
class Context:
    """The context step (context.py): one ContextRow per row it was given, in their order,
    the population estimate the rates use, the first month of the trends, and notes."""

    rows: tuple[ContextRow, ...]
    population: int | None = None
    population_year: int | None = None
    trend_start: int | None = None
    notes: tuple[str, ...] = ()

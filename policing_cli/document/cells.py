"""The cells and sections every text-like format shows, computed once for all of them.

Renderers differ in layout (plain text, Markdown, rich) and in escaping, not in content.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from policing_cli.document import numbers
from policing_cli.model import Target
from policing_cli.report.comparison import BREAK_MARK, partial_mark
from policing_cli.report.holdings import Side
from policing_cli.report.narrative import count_value, distinct, number
from policing_cli.report.results import Report, Row
from policing_cli.report.targets import Verdict


def target_text(target: Target | None, *, rate: bool = True) -> str:
    """A target in a table cell: ``-2.5%`` (reduce by), ``>= 51.4``, ``<= 3.8 pp``."""
    if target is None:
        return "-"
    value = (
        number(target.value)
        if rate or target.kind == "reduction_pct"
        else count_value(target.value)
    )
    return {
        "reduction_pct": f"-{value}%",
        "at_least": f">= {value}",
        "at_most": f"<= {value}",
        "max_gap_pp": f"<= {value} pp",
    }[target.kind]


def verdict_text(verdict: Verdict) -> str:
    return str(verdict)


def count_columns(report: Report) -> list[str]:
    columns = [
        "Category",
        report.period.period.label,
        report.baseline.period.label,
        "Change",
        "% change",
    ]
    return columns + (["Target", "Verdict"] if report.has_targets else [])


NOISE_MARK = "~"


def _noisy(report: Report, row: object) -> bool:
    """Within normal variation, as the JSON says (a change of 0 included)."""
    return bool(report.within_normal_variation(row))  # type: ignore[arg-type]


def count_cell(value: int | None, side: Side | None, length: int) -> str:
    """A count; a partial one with the share of the period's months it covers."""
    if value is None and side is not None and side.partial is not None:
        return f"{numbers.count(side.partial)} {partial_mark(len(side.months), length)}"
    return numbers.count(value)


def pct_cell(row: Row) -> str:
    """The % change, with the decimals needed to see a reduction target's verdict: a
    missed -2.46% against a 2.5% target is not shown as -2.5%."""
    exact = row.pct_change_exact
    if exact is None or row.target is None or row.target.kind != "reduction_pct":
        return numbers.pct(exact)
    shown = distinct(exact, -row.target.value)
    return f"+{shown}%" if exact > 0 and not shown.startswith("-") else f"{shown}%"


def count_rows(report: Report) -> list[list[str]]:
    rows = []
    noisy = [_noisy(report, row) for row in report.rows]
    broken = [row.marked for row in report.rows]
    length = len(report.period.months) if not report.period.annual else report.period.period.length
    for row, is_noisy, is_broken in zip(report.rows, noisy, broken, strict=True):
        pct = pct_cell(row)
        # The marks, or room for them, so that the figures stay aligned.
        if any(noisy):
            pct += f" {NOISE_MARK}" if is_noisy else "  "
        if any(broken):
            pct += f" {BREAK_MARK}" if is_broken else " " * (len(BREAK_MARK) + 1)
        figure = row.figure
        cells = [
            row.category,
            count_cell(row.count, figure.now if figure else None, length),
            count_cell(row.baseline_count, figure.base if figure else None, length),
            numbers.change(row.change),
            pct,
        ]
        if report.has_targets:
            cells += [target_text(row.target, rate=False), verdict_text(row.verdict)]
        rows.append(cells)
    return rows


def rate(value: Decimal | None) -> str:
    """An indicator value (%), one decimal place."""
    return "n/a" if value is None else str(numbers.round_half_up(Fraction(value), 1))


def pp_change(value: Decimal | None) -> str:
    if value is None:
        return "n/a"
    text = rate(value)
    return text if text.startswith("-") or text == "0.0" else f"+{text}"


def _force_column(report: Report) -> bool:
    return any(i.force_value is not None for i in report.indicators)


def indicator_columns(report: Report) -> list[str]:
    period = report.period.period.label
    columns = ["Indicator (%)", period, report.baseline.period.label, "Change (pp)"]
    if _force_column(report):
        columns.append(f"MPS {period}")
    return columns + (["Target", "Verdict"] if report.has_targets else [])


def indicator_rows(report: Report) -> list[list[str]]:
    rows = []
    for i in report.indicators:
        # A level target: as many decimals as it takes to see the verdict (51.35 against
        # >= 51.4 is not shown as 51.4).
        value = (
            distinct(i.value, i.target.value)
            if i.value is not None
            and i.target is not None
            and i.target.kind in ("at_least", "at_most")
            else rate(i.value)
        )
        cells = [i.measure, value, rate(i.baseline_value), pp_change(i.change_pp)]
        if _force_column(report):
            cells.append(rate(i.force_value))
        if report.has_targets:
            cells += [target_text(i.target), verdict_text(i.verdict)]
        rows.append(cells)
    return rows


GAP_COLUMNS = ["Gap (percentage points)", "Values (%)", "Gap", "Target", "Verdict"]


def gap_rows(report: Report) -> list[list[str]]:
    return [
        [g.measure, f"{rate(g.first_value)} - {rate(g.second_value)}",
         rate(g.gap_pp) if g.gap_pp is None else distinct(g.gap_pp, g.target.value),
         target_text(g.target), verdict_text(g.verdict)]
        for g in report.gaps
    ]  # fmt: skip


@dataclass(frozen=True)
class Section:
    """A heading and its sentences (or list items)."""

    heading: str
    items: list[str]


def narrative_sections(report: Report) -> list[Section]:
    """ "Looking back" (achievements, then targets not met), the force-wide results, and
    "Looking forward": the leaflet's sections, left out where there is nothing to say."""
    label = report.period.period.label
    sections = []
    back = report.looking_back
    if back.achievements:
        sections.append(
            Section(f"Looking back: {report.area} achieved in {label}", back.achievements)
        )
    if back.not_met:
        sections.append(Section(f"Targets not met in {label}", back.not_met))
    force = report.force_wide_report
    if force is not None and not force.looking_back.empty:
        if force.looking_back.achievements:
            sections.append(
                Section(
                    f"Force-wide ({force.area}) in {label}: achieved",
                    force.looking_back.achievements,
                )
            )
        if force.looking_back.not_met:
            sections.append(
                Section(
                    f"Force-wide ({force.area}) in {label}: targets not met",
                    force.looking_back.not_met,
                )
            )
    if report.looking_forward:
        sections.append(
            Section(f"Looking forward: priorities for {report.next_period}", report.looking_forward)
        )
    return sections


def noise_footnote(report: Report) -> str | None:
    """The one explanation of the "~" mark, when any row carries it."""
    if not any(_noisy(report, r) for r in report.rows):
        return None
    return (
        f"{NOISE_MARK} within normal variation: the change could be chance (exact conditional "
        f"test for two Poisson counts, two-sided p >= {report.alpha:g}); target verdicts are "
        "exact and unaffected"
    )


def context_columns(report: Report) -> list[str]:
    # Short headers keep category names whole within 80 columns; the heading says what
    # "Rank" ranks, and "Rate" is offences per 1,000 residents in the year shown.
    columns = ["Category", "Area %", "Force %", "Rank"]
    if report.population:
        columns.append(f"Rate {report.population_year}")
    return columns


def context_rows(report: Report) -> list[list[str]]:
    """Each category against the force-wide change, with the area's rank by % change."""
    from policing_cli.report.ranking import ordinal

    rows = []
    for row in report.rows:
        if row.force_pct is None and row.rank is None and row.rate is None:
            continue
        cells = [
            row.category,
            numbers.pct(row.pct_change_exact),
            numbers.pct(row.force_pct),
            f"{ordinal(row.rank)} of {row.rank_of}" if row.rank and row.rank_of else "n/a",
        ]
        if report.population:
            cells.append(numbers.rate(row.rate))
        rows.append(cells)
    return rows


SPARK = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"
SPARK_ASCII = "_.-:=+*#"


def sparkline(values: tuple[int | None, ...], ascii_only: bool = False) -> str:
    """Unicode blocks (or ASCII) scaled from the series' minimum to its maximum; a space
    for a month the data do not hold."""
    marks = SPARK_ASCII if ascii_only else SPARK
    held = [v for v in values if v is not None]
    if not held:
        return ""
    low, high = min(held), max(held)
    span = high - low
    return "".join(
        " " if v is None else marks[0 if not span else round((v - low) * (len(marks) - 1) / span)]
        for v in values
    )


def trend_columns(report: Report) -> list[str]:
    from policing_cli.report.periods import month_label

    start = report.trend_start or 0
    period = report.period.period
    return ["Category", f"Monthly, {month_label(start)}..{month_label(period.last)}", "Low", "High"]


def trend_rows(report: Report, ascii_only: bool = False) -> list[list[str]]:
    rows = []
    for row in report.rows:
        held = [v for v in row.trend if v is not None]
        if not held:
            continue
        rows.append([row.category, sparkline(row.trend, ascii_only), numbers.count(min(held)),
                     numbers.count(max(held))])  # fmt: skip
    return rows


OUTCOME_HEADING = (
    "Outcomes (Positive: charged or summonsed, cautioned, penalty notice, drugs warning, "
    "community resolution; Negative: no further action; Open: still under investigation; "
    "No update: status update unavailable; Rate: positive per 100 crimes; pp: change in "
    "percentage points)"
)


def outcome_columns(report: Report) -> list[str]:
    """Crimes, and each class of outcome, adding up to the crimes; rate and its change."""
    columns = ["Category", "Crimes", "Positive", "Negative", "Open", "No update"]
    if any(r.unrecognised for r in report.outcomes):
        columns.append("Other")
    return [*columns, "Rate %", "pp"]


def outcome_rows(report: Report) -> list[list[str]]:
    """Outcomes per category (street-level data): how many crimes, how each stands."""
    other = any(r.unrecognised for r in report.outcomes)
    rows = []
    for row in report.outcomes:
        rate_text = "n/a" if row.rate is None else str(numbers.round_half_up(row.rate, 1))
        change = row.change_pp
        change_text = "n/a" if change is None else _signed(numbers.round_half_up(change, 1))
        counts = [row.crimes, row.positive, row.negative, row.open, row.unknown]
        if other:
            counts.append(row.unrecognised)
        rows.append([row.category, *map(numbers.count, counts), rate_text, change_text])
    return rows


def context_heading(report: Report) -> str:
    """What the context table compares: the force, and the other boroughs (or districts)."""
    return (
        f"Compared with the force and the other {report.peers} (rank 1 = largest fall; "
        "rate = offences per 1,000 residents)"
    )


def _signed(value: Decimal) -> str:
    """``+1.6``, ``-3.1``, and ``0.0`` with no sign."""
    return f"{value:+}" if value else "0.0"

"""Targets, verdicts, indicators, gaps and the leaflet's sentences for a computed report,
and outcome rates from street-level data (which become an indicator)."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.model import Indicator
from policing_cli.report.areas import FORCE_WIDE_NAME, is_force_alias
from policing_cli.report.categories import CategoryMap
from policing_cli.report.figures import Coverage, Report, Row
from policing_cli.report.narrative import (
    count_sentence,
    forward_sentence,
    gap_sentence,
    indicator_sentence,
)
from policing_cli.report.outcomes import RATE_MEASURE, load_outcome_classes, outcome_rows
from policing_cli.report.periods import month_label
from policing_cli.report.targets import (
    GapResult,
    IndicatorResult,
    Verdict,
    count_verdict,
    find_indicator,
    find_target,
    indicator_names,
    indicator_verdict,
    targets_for,
)

if TYPE_CHECKING:
    import pandas as pd

    from policing_cli.model import Dataset


def _outcomes_of(dataset: Dataset, kind: str, area: str | None) -> pd.DataFrame:
    """The street outcome counts of an area (or of a force's files). A table of millions of
    rows (national scale): one report looks for its rows by their category code; from the
    third area asked about (a snapshot reports hundreds) where every area's rows are is
    found once for the dataset and kept."""
    import numpy as np

    outcomes = dataset.outcomes
    assert outcomes is not None
    if kind not in ("area", "force") or area is None:
        return outcomes
    column = C.AREA if kind == "area" else C.FORCE
    asked = dataset.memo.get(("outcome rows asked", column), 0)
    dataset.memo[("outcome rows asked", column)] = asked + 1  # type: ignore[operator]
    if asked < 2:
        names = outcomes[column].cat.categories
        if area not in names:
            return outcomes.iloc[:0]
        codes = outcomes[column].cat.codes.to_numpy()
        return outcomes.iloc[np.flatnonzero(codes == names.get_loc(area))]
    where = dataset.memo.get(("outcome rows", column))
    if where is None:
        where = dataset.memo[("outcome rows", column)] = outcomes.groupby(
            column, observed=True
        ).indices
    positions = where.get(area)  # type: ignore[attr-defined]
    return outcomes.iloc[positions] if positions is not None else outcomes.iloc[:0]


def add_outcomes(
    report: Report, dataset: Dataset, mapping: CategoryMap, kind: str, area: str | None
) -> list[Indicator]:
    """Outcome rows for street-level data, and the overall positive outcome rate as an
    indicator (so it can carry an at_least target and a sentence)."""
    from decimal import Decimal

    if dataset.outcomes is None or report.period.annual:
        return []
    classes = dataset.outcome_classes or load_outcome_classes()
    base_months = list(report.baseline.months) if report.baseline.months else None
    found = outcome_rows(
        _outcomes_of(dataset, kind, area), mapping, classes, kind, area,
        list(report.period.months), base_months, [row.category for row in report.rows],
    )  # fmt: skip
    report.outcomes = found.rows
    total = next((r for r in report.outcomes if r.category in mapping.totals), None)
    if total is None or total.rate is None:
        return []
    report.notes.append(
        f"positive outcome rate = positive outcomes per 100 crimes, all {total.crimes:,} "
        f"crimes counted: {total.open:,} still under investigation and {total.unknown:,} "
        f"with no update ('Status update unavailable': "
        f"{100 * total.unknown / total.crimes:.1f}%) included, so the rate does not rise "
        "merely because outcomes are missing"
    )
    if found.unrecognised:
        listed = "; ".join(
            f"'{text}' ({count:,} crime{'s' if count != 1 else ''})"
            for text, count in sorted(found.unrecognised.items(), key=lambda i: (-i[1], i[0]))
        )
        report.notes.append(
            f"outcomes not in the classification, counted as 'Other' (neither positive nor "
            f"negative): {listed}; classify them with --outcomes FILE"
        )
    if total.open:
        report.notes.append(
            f"outcomes are still maturing: {total.open:,} of {total.crimes:,} crimes "
            f"({100 * total.open / total.crimes:.1f}%) are still under investigation, so recent "
            "positive outcome rates will rise"
        )

    def as_decimal(value: Fraction) -> Decimal:
        return Decimal(value.numerator) / Decimal(value.denominator)

    made = [Indicator(report.area, report.period.period.label, RATE_MEASURE, as_decimal(total.rate),
                      "street-level outcomes", 0)]  # fmt: skip
    if total.baseline_rate is not None:
        made.append(Indicator(report.area, report.baseline.period.label, RATE_MEASURE,
                              as_decimal(total.baseline_rate), "street-level outcomes", 0))  # fmt: skip
    return made


def _labels(coverage: Coverage) -> tuple[str, ...]:
    """Where an indicator for a period may be stored: its label, or the month of its end."""
    return (coverage.period.label, month_label(coverage.period.last))


def assess(report: Report, dataset: Dataset, extra: list[Indicator] | None = None) -> None:
    """Targets, verdicts, indicators, gaps and sentences for a computed report."""
    targets, indicators = dataset.targets, [*dataset.indicators, *(extra or [])]
    area, force_wide = report.area, report.force_wide
    label = report.period.period.label
    rate_names = {i.measure.casefold() for i in indicators}
    # Only the two periods' figures are ever looked up: a survey export holds thousands.
    held = {*_labels(report.period), *_labels(report.baseline)}
    indicators = [i for i in indicators if i.period in held]
    applicable = targets_for(targets, area, force_wide, label)

    rows = []
    for row in report.rows:
        target = find_target(targets, area, force_wide, label, row.category)
        verdict = count_verdict(
            target, row.count, row.pct_change_exact, baseline_count=row.baseline_count
        )
        rows.append(replace(row, target=target, verdict=verdict))
    shown = {row.category.casefold() for row in rows}
    for target in applicable:
        key = target.measure.casefold()
        if target.kind != "max_gap_pp" and key not in rate_names and key not in shown:
            # A target for a category the data do not hold: shown, verdict n/a.
            rows.append(Row(target.measure, None, None, target, Verdict.NOT_AVAILABLE))
            shown.add(key)
    report.rows = rows

    now, before = _labels(report.period), _labels(report.baseline)
    names = indicator_names(indicators, area, force_wide, now)
    if not names and (earlier := indicator_names(indicators, area, force_wide, before)):
        report.notes.append(
            f"indicators such as {earlier[0]} have no figure for {label}: a survey figure is "
            f"taken at the period's last month ({now[-1]}), which the indicator data do not reach"
        )
    names += [
        t.measure for t in applicable
        if t.kind != "max_gap_pp" and t.measure.casefold() in rate_names
        and t.measure.casefold() not in {n.casefold() for n in names}
    ]  # fmt: skip
    for name in names:
        value = find_indicator(indicators, area, force_wide, now, name)
        base = find_indicator(indicators, area, force_wide, before, name)
        target = find_target(targets, area, force_wide, label, name)
        verdict = indicator_verdict(target, value, base)
        beside = (
            None if force_wide else find_indicator(indicators, FORCE_WIDE_NAME, True, now, name)
        )
        report.indicators.append(IndicatorResult(name, value, base, target, verdict, beside))

    for target in applicable:
        if target.kind == "max_gap_pp":
            first, second = target.gap_parts
            report.gaps.append(
                GapResult(
                    target.measure, first, second,
                    find_indicator(indicators, area, force_wide, now, first),
                    find_indicator(indicators, area, force_wide, now, second),
                    target,
                )
            )  # fmt: skip

    area_words = (
        f"across the {'MPS' if is_force_alias(area) or area == FORCE_WIDE_NAME else area}"
        if force_wide
        else f"in {area}"
    )
    by_measure_rows = {r.category.casefold(): r for r in report.rows}
    by_measure_rates = {i.measure.casefold(): i for i in report.indicators}
    by_measure_gaps = {g.measure.casefold(): g for g in report.gaps}
    for target in applicable:
        key = target.measure.casefold()
        sentence, verdict = None, Verdict.NOT_AVAILABLE
        if key in by_measure_gaps:
            gap = by_measure_gaps[key]
            verdict = gap.verdict
            if verdict in (Verdict.MET, Verdict.MISSED):
                sentence = gap_sentence(gap)
        elif key in by_measure_rates:
            rate = by_measure_rates[key]
            verdict = rate.verdict
            if verdict in (Verdict.MET, Verdict.MISSED):
                sentence = indicator_sentence(rate, area_words)
        elif key in by_measure_rows:
            row = by_measure_rows[key]
            verdict = row.verdict
            if (
                verdict in (Verdict.MET, Verdict.MISSED)
                and row.count is not None
                and row.baseline_count is not None
            ):
                sentence = count_sentence(
                    target, verdict, row.count, row.baseline_count, row.pct_change_exact
                )
        if sentence is None:
            continue
        (
            report.looking_back.achievements
            if verdict is Verdict.MET
            else report.looking_back.not_met
        ).append(sentence)

    following = report.period.period.shifted(report.period.period.length)
    report.next_period = following.label
    report.looking_forward = [
        forward_sentence(t, is_rate=t.measure.casefold() in rate_names)
        for t in targets_for(targets, area, force_wide, following.label)
    ]

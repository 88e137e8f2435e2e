"""The assessment step of a report: each result's target and verdict, the indicators and
gaps with theirs, and the leaflet's sentences ("Looking back", "Looking forward")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from policing_cli.model import Indicator, Target
from policing_cli.report.areas import FORCE_WIDE_NAME, is_force_alias
from policing_cli.report.narrative import (
    Phrases,
    count_sentence,
    forward_sentence,
    gap_sentence,
    indicator_sentence,
)
from policing_cli.report.periods import month_label
from policing_cli.report.results import (
    Assessment,
    Coverage,
    Figures,
    GapResult,
    IndicatorResult,
    Narrative,
    Row,
)
from policing_cli.report.targets import (
    Verdict,
    count_verdict,
    find_indicator,
    find_target,
    indicator_names,
    indicator_verdict,
    targets_for,
)

if TYPE_CHECKING:
    from policing_cli.model import Dataset


def _labels(coverage: Coverage) -> tuple[str, ...]:
    """Where an indicator for a period may be stored: its label, or the month of its end."""
    return (coverage.period.label, month_label(coverage.period.last))


def assess(
    dataset: Dataset, phrases: Phrases, figures: Figures, extra: Sequence[Indicator] = ()
) -> Assessment:
    """Targets, verdicts, indicators, gaps and sentences for the figures of a report, from
    the dataset's targets and indicators and ``extra`` indicators (the positive outcome rate
    of street-level data: outcomes.py)."""
    targets = list(dataset.targets)
    indicators = [*dataset.indicators, *extra]
    area, force_wide = figures.area, figures.force_wide
    label = figures.period.period.label
    rate_names = {i.measure.casefold() for i in indicators}
    # Only the two periods' figures are ever looked up: a survey export holds thousands.
    held = {*_labels(figures.period), *_labels(figures.baseline)}
    indicators = [i for i in indicators if i.period in held]
    applicable = targets_for(targets, area, force_wide, label)
    rows = _rows_with_targets(targets, figures, applicable, rate_names)

    now, before = _labels(figures.period), _labels(figures.baseline)
    notes = []
    names = indicator_names(indicators, area, force_wide, now)
    if not names and (earlier := indicator_names(indicators, area, force_wide, before)):
        notes.append(
            f"indicators such as {earlier[0]} have no figure for {label}: a survey figure is "
            f"taken at the period's last month ({now[-1]}), which the indicator data do not reach"
        )
    names += [
        t.measure for t in applicable
        if t.kind != "max_gap_pp" and t.measure.casefold() in rate_names
        and t.measure.casefold() not in {n.casefold() for n in names}
    ]  # fmt: skip
    results = _indicator_results(targets, indicators, figures, names)
    gaps = _gap_results(indicators, figures, applicable)

    following = figures.period.period.shifted(figures.period.period.length)
    return Assessment(
        rows=tuple(rows),
        indicators=tuple(results),
        gaps=tuple(gaps),
        looking_back=_looking_back(phrases, figures, applicable, rows, results, gaps),
        next_period=following.label,
        looking_forward=tuple(
            forward_sentence(phrases, t, is_rate=t.measure.casefold() in rate_names)
            for t in targets_for(targets, area, force_wide, following.label)
        ),
        notes=tuple(notes),
    )


def _rows_with_targets(
    targets: list[Target], figures: Figures, applicable: list[Target], rate_names: set[str]
) -> list[Row]:
    """The figures' rows with their targets and verdicts, then a row (verdict n/a) for each
    target on a category the data do not hold."""
    area, force_wide = figures.area, figures.force_wide
    label = figures.period.period.label
    rows = []
    for row in figures.rows:
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
    return rows


def _indicator_results(
    targets: list[Target], indicators: list[Indicator], figures: Figures, names: list[str]
) -> list[IndicatorResult]:
    """Each named indicator in the two periods, its target and verdict, and beside a
    borough's the force-wide figure."""
    area, force_wide = figures.area, figures.force_wide
    label = figures.period.period.label
    now, before = _labels(figures.period), _labels(figures.baseline)
    results = []
    for name in names:
        value = find_indicator(indicators, area, force_wide, now, name)
        base = find_indicator(indicators, area, force_wide, before, name)
        target = find_target(targets, area, force_wide, label, name)
        verdict = indicator_verdict(target, value, base)
        beside = (
            None if force_wide else find_indicator(indicators, FORCE_WIDE_NAME, True, now, name)
        )
        results.append(IndicatorResult(name, value, base, target, verdict, beside))
    return results


def _gap_results(
    indicators: list[Indicator], figures: Figures, applicable: list[Target]
) -> list[GapResult]:
    """The gap between two indicators in the period, for each max_gap_pp target."""
    area, force_wide = figures.area, figures.force_wide
    now = _labels(figures.period)
    gaps = []
    for target in applicable:
        if target.kind == "max_gap_pp":
            first, second = target.gap_parts
            gaps.append(
                GapResult(
                    target.measure, first, second,
                    find_indicator(indicators, area, force_wide, now, first),
                    find_indicator(indicators, area, force_wide, now, second),
                    target,
                )
            )  # fmt: skip
    return gaps


def _looking_back(
    phrases: Phrases,
    figures: Figures,
    applicable: list[Target],
    rows: list[Row],
    indicators: list[IndicatorResult],
    gaps: list[GapResult],
) -> Narrative:
    """One sentence per target met or missed, in the order of the targets."""
    area, force_wide = figures.area, figures.force_wide
    area_words = (
        f"across the {'MPS' if is_force_alias(area) or area == FORCE_WIDE_NAME else area}"
        if force_wide
        else f"in {area}"
    )
    by_measure_rows = {r.category.casefold(): r for r in rows}
    by_measure_rates = {i.measure.casefold(): i for i in indicators}
    by_measure_gaps = {g.measure.casefold(): g for g in gaps}
    achievements, not_met = [], []
    for target in applicable:
        key = target.measure.casefold()
        sentence, verdict = None, Verdict.NOT_AVAILABLE
        if key in by_measure_gaps:
            gap = by_measure_gaps[key]
            verdict = gap.verdict
            if verdict in (Verdict.MET, Verdict.MISSED):
                sentence = gap_sentence(phrases, gap)
        elif key in by_measure_rates:
            rate = by_measure_rates[key]
            verdict = rate.verdict
            if verdict in (Verdict.MET, Verdict.MISSED):
                sentence = indicator_sentence(phrases, rate, area_words)
        elif key in by_measure_rows:
            row = by_measure_rows[key]
            verdict = row.verdict
            if (
                verdict in (Verdict.MET, Verdict.MISSED)
                and row.count is not None
                and row.baseline_count is not None
            ):
                sentence = count_sentence(
                    phrases, target, verdict, row.count, row.baseline_count, row.pct_change_exact
                )
        if sentence is None:
            continue
        (achievements if verdict is Verdict.MET else not_met).append(sentence)
    return Narrative(tuple(achievements), tuple(not_met))

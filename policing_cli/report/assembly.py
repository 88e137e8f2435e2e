"""One area's report, built once from what each step finds: the figures (figures.py), the
outcomes of street-level data (outcomes.py), the targets and sentences (assessment.py) and the
context (context.py). Each step returns a frozen value and changes nothing it is given; the
report is made from their values in one go and never changed afterwards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from policing_cli.errors import UsageProblem
from policing_cli.report.assessment import assess
from policing_cli.report.categories import CategoryMap
from policing_cli.report.context import find_context
from policing_cli.report.figures import count_figures
from policing_cli.report.outcomes import find_outcomes
from policing_cli.report.periods import Period
from policing_cli.report.results import Report
from policing_cli.report.significance import DEFAULT_ALPHA

if TYPE_CHECKING:
    from policing_cli.model import Dataset


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
    The notes come in the order of the steps: figures, outcomes, assessment, context.
    """
    figures = count_figures(dataset, mapping, area_request, period, baseline)
    outcomes = find_outcomes(dataset, mapping, figures)
    assessment = assess(dataset, mapping.phrases, figures, outcomes.indicators)
    context = find_context(dataset, mapping, figures, assessment.rows)
    force_wide_report = None
    if with_force_wide and not figures.force_wide and dataset.targets:
        try:
            force_wide_report = build_report(
                dataset, mapping, "london", period, baseline, with_force_wide=False, alpha=alpha
            )
        except UsageProblem:
            force_wide_report = None
    return Report(
        area=figures.area,
        force_wide=figures.force_wide,
        period=figures.period,
        baseline=figures.baseline,
        rows=tuple(
            row.with_context(found)
            for row, found in zip(assessment.rows, context.rows, strict=True)
        ),
        sources=figures.sources,
        notes=(*figures.notes, *outcomes.notes, *assessment.notes, *context.notes),
        indicators=assessment.indicators,
        gaps=assessment.gaps,
        looking_back=assessment.looking_back,
        next_period=assessment.next_period,
        looking_forward=assessment.looking_forward,
        force_wide_report=force_wide_report,
        alpha=alpha,
        population=context.population,
        population_year=context.population_year,
        trend_start=context.trend_start,
        outcomes=outcomes.rows,
        peers=figures.peers,
    )

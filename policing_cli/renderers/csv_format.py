"""CSV: one row per category, for spreadsheets. Unrounded % change, blank where n/a."""

from __future__ import annotations

import csv
import io

from policing_cli.renderers.escape import spreadsheet_cell
from policing_cli.renderers.json_format import _comparability
from policing_cli.report.results import Report

COLUMNS = (
    "area", "period", "baseline_period", "category",
    "count", "baseline_count", "change", "pct_change",
    "target_kind", "target_value", "verdict", "p_value", "force_pct_change", "rank",
    "rate_per_1000", "like_for_like", "partial_count", "baseline_partial_count",
)  # fmt: skip


def render(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in report.rows:
        comparability = _comparability(row)
        values = (row.count, row.baseline_count, row.change, row.pct_change)
        cells = [
            report.area,
            report.period.period.label,
            report.baseline.period.label,
            row.category,
            *values,
            row.target.kind if row.target else None,
            row.target.value if row.target else None,
            str(row.verdict),
            row.p_value,
            row.force_pct,
            row.rank,
            row.rate,
            comparability["like_for_like"],
            comparability["partial_count"],
            comparability["baseline_partial_count"],
        ]
        writer.writerow([spreadsheet_cell(cell) for cell in cells])
    return buffer.getvalue()

"""CSV: one row per category, for spreadsheets. Unrounded % change, blank where n/a."""

from __future__ import annotations

import csv
import io

from policing_cli.renderers.escape import clean
from policing_cli.renderers.json_format import _comparability
from policing_cli.report.figures import Report

COLUMNS = (
    "area", "period", "baseline_period", "category",
    "count", "baseline_count", "change", "pct_change",
    "target_kind", "target_value", "verdict", "p_value", "force_pct_change", "rank",
    "rate_per_1000", "like_for_like", "partial_count", "baseline_partial_count",
)  # fmt: skip

#: Cells starting with these are formulas to a spreadsheet: prefix them with a quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str) -> str:
    """Control characters made visible, and formula-like cells quoted for spreadsheets."""
    text = clean(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in report.rows:
        comparability = _comparability(row)
        values = (row.count, row.baseline_count, row.change, row.pct_change)
        writer.writerow(
            [
                _safe(report.area),
                report.period.period.label,
                report.baseline.period.label,
                _safe(row.category),
                *("" if value is None else value for value in values),
                row.target.kind if row.target else "",
                row.target.value if row.target else "",
                str(row.verdict),
                "" if row.p_value is None else row.p_value,
                "" if row.force_pct is None else float(row.force_pct),
                "" if row.rank is None else row.rank,
                "" if row.rate is None else float(row.rate),
                *(
                    "" if value is None else value
                    for value in (
                        comparability["like_for_like"],
                        comparability["partial_count"],
                        comparability["baseline_partial_count"],
                    )
                ),
            ]
        )
    return buffer.getvalue()

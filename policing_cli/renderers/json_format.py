"""JSON for scripts: a stable, documented shape (see README, "JSON output").

Counts are integers, ``pct_change`` the unrounded percentage, ``null`` where not available
(a zero or missing baseline): never ``Infinity`` or ``NaN``.
"""

from __future__ import annotations

import json
from typing import Any

from policing_cli.report.figures import Coverage, Report
from policing_cli.report.periods import month_label

SCHEMA_VERSION = 1


def _months(coverage: Coverage) -> dict[str, Any]:
    period = coverage.period
    return {
        "label": period.label,
        "kind": str(period.kind),
        "first_month": month_label(period.first),
        "last_month": month_label(period.last),
        "months_in_data": len(coverage.months) if not coverage.annual else None,
        "annual_figures": coverage.annual,
    }


def as_dict(report: Report) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "area": report.area,
        "force_wide": report.force_wide,
        "period": report.period.period.label,
        "baseline_period": report.baseline.period.label,
        "period_detail": _months(report.period),
        "baseline_detail": _months(report.baseline),
        "sources": [{"file": name, "months": months} for name, months in report.sources],
        "rows": [
            {
                "category": row.category,
                "count": row.count,
                "baseline_count": row.baseline_count,
                "change": row.change,
                "pct_change": row.pct_change,
            }
            for row in report.rows
        ],
        "notes": list(report.notes),
    }


def render(report: Report) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"

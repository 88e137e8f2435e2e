"""A report as data: the JSON shape (a stable, documented shape, see README, "JSON output")
and the CSV records (one row per category, for spreadsheets).

Counts are integers, ``pct_change`` the unrounded percentage, ``null`` (CSV: blank) where
not available (a zero or missing baseline): never ``Infinity`` or ``NaN``. Indicator values,
targets and changes in percentage points are numbers as given (decimal, unrounded).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from policing_cli.document.blocks import Records
from policing_cli.model import Target
from policing_cli.report.comparison import describe_series
from policing_cli.report.holdings import Side
from policing_cli.report.periods import describe_months, month_label
from policing_cli.report.results import Coverage, Report, Row

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


def _num(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return (
        int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
    )


def _target(target: Target | None) -> dict[str, Any] | None:
    return None if target is None else {"kind": target.kind, "value": _num(target.value)}


def _comparability(row: Row) -> dict[str, Any]:
    """How a row's two figures were found (report/comparison.py): where from, whether like
    for like, partial counts (the months held of a period not held whole), breaks crossed."""
    figure = row.figure
    if figure is None:
        return {"like_for_like": None, "partial_count": None, "baseline_partial_count": None,
                "count_months": None, "baseline_months": None, "classification": None,
                "baseline_classification": None, "breaks": []}  # fmt: skip
    return {
        "like_for_like": None if row.change is None else not row.marked,
        "partial_count": figure.now.partial if figure.now.count is None else None,
        "baseline_partial_count": figure.base.partial if figure.base.count is None else None,
        "count_months": _held(figure.now),
        "baseline_months": _held(figure.base),
        "classification": describe_series(figure.now.series) if figure.now.held else None,
        "baseline_classification": describe_series(figure.base.series)
        if figure.base.held
        else None,
        "breaks": [
            {"category": b.category, "first_month": month_label(b.first_month), "what": b.what}
            for b in figure.breaks
        ],
    }


def _held(side: Side) -> str | None:
    """The months a figure covers, as ``2010-04..2010-12`` (None: annual or not held)."""
    return describe_months(list(side.months)) if side.months else None


def _summary(report: Report) -> dict[str, Any]:
    return {
        "looking_back": {
            "achievements": list(report.looking_back.achievements),
            "not_met": list(report.looking_back.not_met),
        },
        "looking_forward": {
            "period": report.next_period,
            "priorities": list(report.looking_forward),
        },
    }


def as_dict(
    report: Report, provenance: str | None = None, attribution: str | None = None
) -> dict[str, Any]:
    """The report's JSON: its keys in the order scripts have read them since schema 1."""
    force = report.force_wide_report
    return {
        "schema_version": SCHEMA_VERSION,
        "area": report.area,
        "force_wide": report.force_wide,
        "period": report.period.period.label,
        "baseline_period": report.baseline.period.label,
        "period_detail": _months(report.period),
        "baseline_detail": _months(report.baseline),
        "sources": [{"file": name, "months": months} for name, months in report.sources],
        "rows": [_row(report, row) for row in report.rows],
        "alpha": report.alpha,
        "population": report.population,
        "population_year": report.population_year,
        "trend_first_month": None
        if report.trend_start is None
        else month_label(report.trend_start),
        "indicators": [_indicator(i) for i in report.indicators],
        "gaps": [_gap(g) for g in report.gaps],
        "outcomes": [_outcome(o) for o in report.outcomes],
        "targets_missed": report.missed,
        "summary": _summary(report),
        "force_wide_summary": None if force is None else {"area": force.area, **_summary(force)},
        "notes": list(report.notes),
        "provenance": provenance or None,
        "attribution": attribution or None,
    }


def _fraction(value: Any) -> float | None:
    return None if value is None else float(value)


def _row(report: Report, row: Any) -> dict[str, Any]:
    return {
        "category": row.category,
        "count": row.count,
        "baseline_count": row.baseline_count,
        "change": row.change,
        "pct_change": row.pct_change,
        "target": _target(row.target),
        "verdict": str(row.verdict),
        "p_value": row.p_value,
        "within_normal_variation": report.within_normal_variation(row),
        "force_pct_change": _fraction(row.force_pct),
        "rank": row.rank,
        "rank_of": row.rank_of,
        "rate_per_1000": _fraction(row.rate),
        "trend": list(row.trend),
        **_comparability(row),
    }


def _indicator(i: Any) -> dict[str, Any]:
    return {
        "measure": i.measure,
        "value": _num(i.value),
        "baseline_value": _num(i.baseline_value),
        "change_pp": _num(i.change_pp),
        "force_value": _num(i.force_value),
        "target": _target(i.target),
        "verdict": str(i.verdict),
    }


def _gap(g: Any) -> dict[str, Any]:
    return {
        "measure": g.measure,
        "first": g.first,
        "second": g.second,
        "first_value": _num(g.first_value),
        "second_value": _num(g.second_value),
        "gap_pp": _num(g.gap_pp),
        "target": _target(g.target),
        "verdict": str(g.verdict),
    }


def _outcome(o: Any) -> dict[str, Any]:
    return {
        "category": o.category,
        "crimes": o.crimes,
        "with_outcome": o.with_outcome,
        "still_open": o.open,
        "positive": o.positive,
        "negative": o.negative,
        "unknown": o.unknown,
        "unrecognised": o.unrecognised,
        "positive_rate": _fraction(o.rate),
        "baseline_positive_rate": _fraction(o.baseline_rate),
        "change_pp": _fraction(o.change_pp),
    }


COLUMNS = (
    "area", "period", "baseline_period", "category",
    "count", "baseline_count", "change", "pct_change",
    "target_kind", "target_value", "verdict", "p_value", "force_pct_change", "rank",
    "rate_per_1000", "like_for_like", "partial_count", "baseline_partial_count",
    "attribution",
)  # fmt: skip


def records(report: Report, attribution: str | None = None) -> Records:
    """One row per category; the licence credit in a column of its own on every row, so
    that it travels with any row a spreadsheet keeps."""
    rows = []
    for row in report.rows:
        comparability = _comparability(row)
        rows.append((
            report.area, report.period.period.label, report.baseline.period.label,
            row.category, row.count, row.baseline_count, row.change, row.pct_change,
            row.target.kind if row.target else None,
            row.target.value if row.target else None,
            str(row.verdict), row.p_value, row.force_pct, row.rank, row.rate,
            comparability["like_for_like"], comparability["partial_count"],
            comparability["baseline_partial_count"], attribution,
        ))  # fmt: skip
    return Records(COLUMNS, tuple(rows))

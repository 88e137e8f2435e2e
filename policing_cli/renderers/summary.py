"""The header every text-like format shares: what, when, against what, from which files."""

from __future__ import annotations

from dataclasses import dataclass

from policing_cli.report.results import Coverage, Report


@dataclass(frozen=True)
class HeaderLine:
    label: str
    value: str


def _span(coverage: Coverage) -> str:
    if coverage.annual:
        return f"{coverage.period.label} (annual figures)"
    return f"{coverage.period.label} ({coverage.period.span_words})"


def title(report: Report) -> str:
    return f"{report.area}: {report.period.period.label} against {report.baseline.period.label}"


def header_lines(report: Report) -> list[HeaderLine]:
    lines = [
        HeaderLine("Area", report.area + (" (all areas in the data)" if report.force_wide else "")),
        HeaderLine("Period", _span(report.period)),
        HeaderLine("Compared with", _span(report.baseline)),
    ]
    lines += [HeaderLine("Source", f"{name} ({months})") for name, months in report.sources]
    return lines

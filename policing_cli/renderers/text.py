"""Plain text: for pipes, cron mail and terminals without colour. Fits 80 columns."""

from __future__ import annotations

from tabulate import tabulate

from policing_cli.renderers import numbers
from policing_cli.renderers.escape import clean
from policing_cli.renderers.summary import header_lines, title
from policing_cli.report.figures import Report

WIDTH = 80
#: Longest category name shown whole; longer ones are cut with "..." to keep 80 columns.
CATEGORY_WIDTH = 36


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def table_rows(report: Report) -> list[list[str]]:
    """Cells shared by the text and Markdown tables."""
    return [
        [
            row.category,
            numbers.count(row.count),
            numbers.count(row.baseline_count),
            numbers.change(row.change),
            numbers.pct(row.pct_change_exact),
        ]
        for row in report.rows
    ]


def column_names(report: Report) -> list[str]:
    return [
        "Category",
        report.period.period.label,
        report.baseline.period.label,
        "Change",
        "% change",
    ]


def render(report: Report) -> str:
    heading = clean(title(report))
    lines = [heading, "=" * min(len(heading), WIDTH), ""]
    width = max(len(line.label) for line in header_lines(report))
    for line in header_lines(report):
        lines += _wrap(f"{line.label + ':':<{width + 1}} {clean(line.value)}", " " * (width + 2))
    lines.append("")
    cells = [[_cut(clean(r[0]), CATEGORY_WIDTH), *r[1:]] for r in table_rows(report)]
    lines.append(
        tabulate(
            cells,
            headers=column_names(report),
            tablefmt="simple",
            colalign=("left", "right", "right", "right", "right"),
            disable_numparse=True,
        )
    )
    if report.notes:
        lines.append("")
        lines.append("Notes:")
        for note in report.notes:
            lines.extend(_wrap(f"- {clean(note)}"))
    return "\n".join(lines) + "\n"


def _wrap(text: str, indent: str = "  ") -> list[str]:
    import textwrap

    return textwrap.wrap(text, WIDTH, subsequent_indent=indent, break_on_hyphens=False) or [""]

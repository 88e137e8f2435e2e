"""GitHub-flavoured Markdown: for emails and wikis. Every data string is escaped."""

from __future__ import annotations

from tabulate import tabulate

from policing_cli.renderers import cells
from policing_cli.renderers.escape import markdown_cell
from policing_cli.renderers.summary import header_lines, title
from policing_cli.report.results import Report


def table(headers: list[str], rows: list[list[str]]) -> str:
    align = ("left",) + ("right",) * (len(headers) - 1)
    return tabulate(
        [[markdown_cell(cell) for cell in row] for row in rows],
        headers=[markdown_cell(h) for h in headers],
        tablefmt="github",
        colalign=align,
        disable_numparse=True,
    )


def render(report: Report) -> str:
    lines = [f"## {markdown_cell(title(report))}", ""]
    lines += [f"- **{line.label}:** {markdown_cell(line.value)}" for line in header_lines(report)]
    lines += ["", table(cells.count_columns(report), cells.count_rows(report))]
    if context := cells.context_rows(report):
        lines += ["", cells.context_heading(report) + ":", ""]
        lines += [table(cells.context_columns(report), context)]
    if trends := cells.trend_rows(report, report.ascii_trends):
        lines += ["", table(cells.trend_columns(report), trends)]
    if report.outcomes:
        lines += [
            "",
            cells.OUTCOME_HEADING + ":",
            "",
        ]
        lines += [table(cells.outcome_columns(report), cells.outcome_rows(report))]
    if report.indicators:
        lines += ["", table(cells.indicator_columns(report), cells.indicator_rows(report))]
    if report.gaps:
        lines += ["", table(cells.GAP_COLUMNS, cells.gap_rows(report))]
    for section in cells.narrative_sections(report):
        lines += ["", f"### {markdown_cell(section.heading)}", ""]
        lines += [f"- {markdown_cell(item)}" for item in section.items]
    notes = [*report.notes, *filter(None, [cells.noise_footnote(report)])]
    if notes:
        lines += ["", "**Notes**", ""]
        lines += [f"- {markdown_cell(note)}" for note in notes]
    if report.provenance:
        lines += ["", f"<sub>{markdown_cell(report.provenance)}</sub>"]
    return "\n".join(lines) + "\n"

"""GitHub-flavoured Markdown: for emails and wikis. Every data string is escaped."""

from __future__ import annotations

from tabulate import tabulate

from policing_cli.renderers.escape import markdown as md
from policing_cli.renderers.escape import markdown_cell
from policing_cli.renderers.summary import header_lines, title
from policing_cli.renderers.text import column_names, table_rows
from policing_cli.report.figures import Report


def render(report: Report) -> str:
    lines = [f"## {md(title(report))}", ""]
    lines += [f"- **{line.label}:** {markdown_cell(line.value)}" for line in header_lines(report)]
    lines.append("")
    cells = [[markdown_cell(cell) for cell in row] for row in table_rows(report)]
    lines.append(
        tabulate(
            cells,
            headers=[markdown_cell(name) for name in column_names(report)],
            tablefmt="github",
            colalign=("left", "right", "right", "right", "right"),
            disable_numparse=True,
        )
    )
    if report.notes:
        lines += ["", "**Notes**", ""]
        lines += [f"- {markdown_cell(note)}" for note in report.notes]
    return "\n".join(lines) + "\n"

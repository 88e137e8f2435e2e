"""The rich table for terminals: colour for a quick read, words and signs for everyone."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from policing_cli.renderers import numbers
from policing_cli.renderers.escape import clean
from policing_cli.renderers.summary import header_lines, title
from policing_cli.report.figures import Report


def _change_style(change: int | None) -> str:
    # Fewer crimes is good news: green; more is red. The sign says it without colour.
    if not change:
        return ""
    return "green" if change < 0 else "red"


def render(report: Report) -> Group:
    table = Table(title=Text(clean(title(report)), style="bold"), title_justify="left")
    table.add_column("Category")
    table.add_column(Text(report.period.period.label), justify="right")
    table.add_column(Text(report.baseline.period.label), justify="right")
    table.add_column("Change", justify="right")
    table.add_column("% change", justify="right")
    for row in report.rows:
        style = _change_style(row.change)
        is_total = row.category.casefold().startswith("total notifiable")
        table.add_row(
            Text(clean(row.category), style="bold" if is_total else ""),
            numbers.count(row.count),
            numbers.count(row.baseline_count),
            Text(numbers.change(row.change), style=style),
            Text(numbers.pct(row.pct_change_exact), style=style),
            end_section=is_total,
        )
    header = Text()
    for line in header_lines(report):
        header.append(f"{line.label}: ", style="bold")
        header.append(clean(line.value) + "\n")
    parts: list[Text | Table] = [header, table]
    if report.notes:
        notes = Text("\nNotes:\n", style="bold")
        for note in report.notes:
            notes.append(f"- {clean(note)}\n", style="")
        parts.append(notes)
    return Group(*parts)

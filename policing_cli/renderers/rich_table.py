"""The rich table for terminals: colour for a quick read, words and signs for everyone."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from policing_cli.renderers import cells
from policing_cli.renderers.escape import clean
from policing_cli.renderers.summary import header_lines, title
from policing_cli.report.results import Report

VERDICT_STYLES = {"met": "bold green", "missed": "bold red", "n/a": "yellow", "no target": "dim"}


def _change_style(text: str) -> str:
    # Fewer crimes is good news: green; more is red. The sign says it without colour.
    if text.startswith("-"):
        return "green"
    return "red" if text.startswith("+") else ""


def _table(
    heading: str | None, headers: list[str], rows: list[list[str]], signed: tuple[int, ...]
) -> Table:
    table = Table(title=Text(heading, style="bold") if heading else None, title_justify="left")
    for position, header in enumerate(headers):
        left = position == 0 or header == "Verdict"
        table.add_column(Text(clean(header)), justify="left" if left else "right")
    verdict_at = headers.index("Verdict") if "Verdict" in headers else None
    for row in rows:
        styled = []
        for position, cell in enumerate(row):
            style = ""
            if position in signed:
                style = _change_style(cell)
            elif position == verdict_at:
                style = VERDICT_STYLES.get(cell, "")
            styled.append(Text(clean(cell), style=style))
        is_total = row[0].casefold().startswith("total notifiable")
        if is_total:
            styled[0].stylize("bold")
        table.add_row(*styled, end_section=is_total)
    return table


def render(report: Report) -> Group:
    header = Text()
    for line in header_lines(report):
        header.append(f"{line.label}: ", style="bold")
        header.append(clean(line.value) + "\n")
    parts: list[Text | Table] = [
        header,
        _table(clean(title(report)), cells.count_columns(report), cells.count_rows(report), (3, 4)),
    ]
    if context := cells.context_rows(report):
        parts.append(
            _table(cells.context_heading(report), cells.context_columns(report), context, (1, 2))
        )
    if trends := cells.trend_rows(report, report.ascii_trends):
        parts.append(_table(None, cells.trend_columns(report), trends, ()))
    if report.outcomes:
        parts.append(
            _table(
                cells.OUTCOME_HEADING, cells.outcome_columns(report), cells.outcome_rows(report), ()
            )
        )
    if report.indicators:
        parts.append(
            _table(None, cells.indicator_columns(report), cells.indicator_rows(report), ())
        )
    if report.gaps:
        parts.append(_table(None, cells.GAP_COLUMNS, cells.gap_rows(report), ()))
    for section in cells.narrative_sections(report):
        text = Text("\n")
        text.append(f"{clean(section.heading)}\n", style="bold")
        for item in section.items:
            text.append(f"- {clean(item)}\n")
        text.rstrip()
        parts.append(text)
    footnotes = [*report.notes, *filter(None, [cells.noise_footnote(report)])]
    if footnotes:
        notes = Text("\n")
        notes.append("Notes:\n", style="bold")
        for note in footnotes:
            notes.append(f"- {clean(note)}\n")
        notes.rstrip()
        parts.append(notes)
    return Group(*parts)

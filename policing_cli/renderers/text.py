"""Plain text: for pipes, cron mail and terminals without colour. Fits 80 columns."""

from __future__ import annotations

import textwrap

import tabulate as tabulate_module
from tabulate import tabulate

from policing_cli.renderers import cells
from policing_cli.renderers.escape import clean
from policing_cli.renderers.summary import header_lines, title
from policing_cli.report.results import Report

WIDTH = 80


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 3, 1)] + "..."


def _wrap(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(
        text, WIDTH, subsequent_indent=indent, break_on_hyphens=False, break_long_words=False
    ) or [""]


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain table, its first column cut with "..." only as far as 80 columns require.

    tabulate pads every header by two spaces (its module-level MIN_PADDING); here columns
    are already two apart, so the padding is lifted for this table only and put back, never
    leaking into the Markdown renderer's tables in the same process.
    """
    saved = tabulate_module.MIN_PADDING
    tabulate_module.MIN_PADDING = 0
    try:
        return _table(headers, rows)
    finally:
        tabulate_module.MIN_PADDING = saved


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain table, its first column cut with "..." only as far as 80 columns require."""
    # "no target" is said by "-" in the Target column already; the space goes to names.
    rows = [[clean("-" if cell == "no target" else cell) for cell in row] for row in rows]
    align = ("left",) + ("right",) * (len(headers) - 1)
    first = max([len(headers[0])] + [len(r[0]) for r in rows])
    while True:
        shown = [[_cut(r[0], first), *r[1:]] for r in rows]
        # preserve_whitespace keeps the two spaces standing for an absent "~" mark, so the
        # figures stay aligned; trailing spaces are then stripped line by line.
        text = tabulate(shown, headers=[_cut(h, first) for h in headers], tablefmt="simple",
                        colalign=align, disable_numparse=True, preserve_whitespace=True)  # fmt: skip
        text = "\n".join(line.rstrip() for line in text.splitlines())
        excess = max(len(line) for line in text.splitlines()) - WIDTH
        if excess <= 0 or first <= 12:
            return text
        first = max(first - excess, 12)


def render(report: Report) -> str:
    heading = clean(title(report))
    lines = [heading, "=" * min(len(heading), WIDTH), ""]
    header = [line for line in header_lines(report) if line.label != "Source"]
    width = max(len(line.label) for line in header)
    for line in header:
        lines += _wrap(f"{line.label + ':':<{width + 1}} {clean(line.value)}", " " * (width + 2))
    lines.append("Sources:")
    for name, months in report.sources:
        lines += _wrap(f"- {clean(name)}: {clean(months)}", "    ")
    lines += ["", table(cells.count_columns(report), cells.count_rows(report))]
    if context := cells.context_rows(report):
        lines += ["", *_wrap(cells.context_heading(report) + ":", "")]
        lines += [table(cells.context_columns(report), context)]
    if trends := cells.trend_rows(report, report.ascii_trends):
        lines += ["", table(cells.trend_columns(report), trends)]
    if report.outcomes:
        lines += ["", *_wrap(cells.OUTCOME_HEADING + ":", "")]
        lines += [table(cells.outcome_columns(report), cells.outcome_rows(report))]
    if report.indicators:
        lines += ["", table(cells.indicator_columns(report), cells.indicator_rows(report))]
    if report.gaps:
        lines += ["", table(cells.GAP_COLUMNS, cells.gap_rows(report))]
    for section in cells.narrative_sections(report):
        lines += ["", clean(section.heading) + ":"]
        for item in section.items:
            lines += _wrap(f"- {clean(item)}")
    notes = [*report.notes, *filter(None, [cells.noise_footnote(report)])]
    if notes:
        lines += ["", "Notes:"]
        for note in notes:
            lines += _wrap(f"- {clean(note)}")
    if report.provenance:
        lines += ["", clean(report.provenance)]
    return "\n".join(lines) + "\n"

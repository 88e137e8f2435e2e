"""The rich table for terminals: colour for a quick read, words and signs for everyone."""

from __future__ import annotations

from dataclasses import replace

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table as RichTable
from rich.text import Text

from policing_cli.document.blocks import (
    Block,
    Bullets,
    ColumnKind,
    Document,
    Facts,
    Heading,
    Image,
    Notes,
    Paragraph,
    SmallPrint,
    Table,
)
from policing_cli.renderers.escape import clean
from policing_cli.renderers.wrapping import newest_marks, wrap

VERDICT_STYLES = {"met": "bold green", "missed": "bold red", "n/a": "yellow", "no target": "dim"}


def _change_style(text: str) -> str:
    # Fewer crimes is good news: green; more is red. The sign says it without colour.
    if text.startswith("-") and text != "-":
        return "green"
    return "red" if text.startswith("+") else ""


def _style(kind: ColumnKind, cell: str) -> str:
    if kind is ColumnKind.SIGNED:
        return _change_style(cell)
    if kind is ColumnKind.VERDICT:
        return VERDICT_STYLES.get(cell, "")
    return ""


def table(block: Table) -> RichTable:
    caption = Text(clean(block.caption), style="bold") if block.caption else None
    grid = RichTable(title=caption, title_justify="left")
    for column in block.columns:
        grid.add_column(Text(clean(column.heading)), justify="right" if column.right else "left")
    for number, row in enumerate(block.rows):
        styled = [
            Text(clean(str(cell)), style=_style(block.columns[i].kind, str(cell)))
            for i, cell in enumerate(row)
        ]
        total = number in block.totals
        if total:
            styled[0].stylize("bold")
        grid.add_row(*styled, end_section=total)
    return grid


class FittedFacts:
    """Facts wrapped to the console's width when it is known, so that a long file name breaks
    after one of its separators ("..._to_" / "2025-02.csv"), not in the middle of a word."""

    def __init__(self, block: Facts) -> None:
        self.block = block

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = Text()
        for fact in self.block.items:
            value = clean(fact.value + (f" ({fact.detail})" if fact.detail else ""))
            label = f"{fact.label}: "
            lines = wrap(label + value, options.max_width, "  ")
            text.append(lines[0][: len(label)].rstrip(), style="bold")
            text.append(lines[0][len(label) - 1 :].rstrip() + "\n")
            for line in lines[1:]:
                text.append(line + "\n")
        text.rstrip()
        yield text


#: A rich table's cost beside its cells: a rule between and around columns, a space of
#: padding each side of each cell.
def _frame(columns: int) -> int:
    return columns + 1 + 2 * columns


class FittedTable:
    """A table with sparklines, fitted to the console's width: where the marks do not fit
    beside the other columns, the oldest months are dropped ("…" in their place) and the
    heading names the months still shown; the newest month is never cut. Text columns
    are allowed 20 characters before the marks give way (they wrap between words)."""

    def __init__(self, block: Table) -> None:
        self.block = block

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        block = self.block
        charts = [i for i, c in enumerate(block.columns) if c.kind is ColumnKind.CHART]
        others = 0
        for i, column in enumerate(block.columns):
            if i in charts:
                continue
            widest = max([len(str(row[i])) for row in block.rows] + [len(column.heading)])
            others += min(widest, 20) if column.kind is ColumnKind.TEXT else widest
        room = options.max_width - _frame(len(block.columns)) - others
        columns, rows = list(block.columns), [list(row) for row in block.rows]
        for i in charts:
            cells, heading = newest_marks(
                [str(r[i]) for r in rows], columns[i].heading, room, options.ascii_only
            )
            for row, cell in zip(rows, cells, strict=True):
                row[i] = cell
            columns[i] = replace(columns[i], heading=heading)
        yield table(replace(block, columns=tuple(columns), rows=tuple(map(tuple, rows))))


def _lines(heading: str, items: tuple[str, ...]) -> Text:
    text = Text()
    if heading:
        text.append(f"{clean(heading)}\n", style="bold")
    for item in items:
        text.append(f"- {clean(item)}\n")
    text.rstrip()
    return text


def block_renderable(block: Block) -> RenderableType:
    if isinstance(block, Heading):
        return Text(clean(block.text), style="bold")
    if isinstance(block, Facts):
        return FittedFacts(block)
    if isinstance(block, Table):
        if any(column.kind is ColumnKind.CHART for column in block.columns):
            return FittedTable(block)
        return table(block)
    if isinstance(block, Bullets):
        return _lines(block.heading, block.items)
    if isinstance(block, Notes):
        return _lines("Notes:", block.items)
    if isinstance(block, Paragraph):
        return Text(clean(block.text))
    if isinstance(block, SmallPrint):
        return Text(clean(block.text), style="dim")
    if isinstance(block, Image):
        return Text(clean(f"[{block.alt}: {block.source}]"), style="dim")
    raise TypeError(f"no terminal rendering for {type(block).__name__}")


def render(document: Document) -> Group:
    parts: list[RenderableType] = []
    for block in document.blocks:
        if parts:
            parts.append(Text(""))
        parts.append(block_renderable(block))
    return Group(*parts)

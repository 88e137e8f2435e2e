"""The rich table for terminals: colour for a quick read, words and signs for everyone."""

from __future__ import annotations

from rich.console import Group, RenderableType
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
        text = Text()
        for fact in block.items:
            text.append(f"{fact.label}: ", style="bold")
            text.append(clean(fact.value + (f" ({fact.detail})" if fact.detail else "")) + "\n")
        text.rstrip()
        return text
    if isinstance(block, Table):
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

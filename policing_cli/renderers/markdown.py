"""GitHub-flavoured Markdown: for emails and wikis. Tables say their alignment (``---:``
for figures), so every renderer right-aligns numbers, and are padded so that they line
up read as plain text too; data are escaped only where a character would act as markup
(renderers/escape.py), and no raw HTML is written."""

from __future__ import annotations

from tabulate import tabulate

from policing_cli.document.blocks import (
    Block,
    Bullets,
    Cell,
    Document,
    Facts,
    Heading,
    Image,
    Link,
    Notes,
    Paragraph,
    SmallPrint,
    Table,
)
from policing_cli.renderers.escape import (
    markdown,
    markdown_cell,
    markdown_inline,
    markdown_link_text,
)


def _cell(cell: Cell) -> str:
    if isinstance(cell, Link):
        return f"[{markdown_link_text(cell.text)}]({cell.target})"
    return markdown_cell(cell)


def table(block: Table) -> str:
    return tabulate(
        [[_cell(cell) for cell in row] for row in block.rows],
        headers=[markdown_cell(c.heading) for c in block.columns],
        tablefmt="pipe",
        colalign=["right" if c.right else "left" for c in block.columns],
        disable_numparse=True,
    )


def block_lines(block: Block, level: int = 2) -> list[str]:
    """``level``: the Markdown heading level of the document's title (## in an email)."""
    if isinstance(block, Heading):
        return [f"{'#' * (level + block.level - 1)} {markdown_inline(block.text)}"]
    if isinstance(block, Facts):
        return [
            f"- **{fact.label}:** {markdown_inline(fact.value)}"
            + (f" ({markdown_inline(fact.detail)})" if fact.detail else "")
            for fact in block.items
        ]
    if isinstance(block, Table):
        caption = [markdown(block.caption) + ":", ""] if block.caption else []
        return [*caption, table(block)]
    if isinstance(block, Bullets):
        items = [f"- {markdown(item)}" for item in block.items]
        if not block.heading:
            return items
        return [f"{'#' * (level + 1)} {markdown_inline(block.heading)}", "", *items]
    if isinstance(block, Notes):
        return ["**Notes**", "", *(f"- {markdown(item)}" for item in block.items)]
    if isinstance(block, Paragraph):
        return [markdown(block.text)]  # a line of its own: a leading '-' is no list
    if isinstance(block, SmallPrint):
        return [markdown(block.text)]
    if isinstance(block, Image):
        return [f"![{markdown_link_text(block.alt)}]({block.source})"]
    raise TypeError(f"no Markdown for {type(block).__name__}")


def render(document: Document) -> str:
    lines: list[str] = []
    for block in document.blocks:
        lines += ([""] if lines else []) + block_lines(block)
    return "\n".join(lines) + "\n"

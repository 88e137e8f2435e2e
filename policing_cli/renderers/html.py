"""A self-contained HTML page with inline styles, for email clients that do not render
Markdown. Every data string is HTML-escaped."""

from __future__ import annotations

from html import escape

from policing_cli.document.blocks import (
    Block,
    Bullets,
    Cell,
    Column,
    ColumnKind,
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
from policing_cli.renderers.escape import clean

TABLE = (
    "border-collapse:collapse;font-family:Arial,Helvetica,sans-serif;font-size:14px;margin:8px 0"
)
CELL = "border:1px solid #ccc;padding:4px 8px"
HEAD = CELL + ";background:#f0f0f0"
COLOURS = {"met": "#1a7f37", "missed": "#cf222e", "n/a": "#9a6700"}


def text(value: str) -> str:
    """Data as HTML text: control characters made visible (raw ESC or BEL is no character
    an HTML page may hold), then markup escaped."""
    return escape(clean(value))


def _cell(value: Cell, column: Column, total: bool) -> str:
    style = f"{CELL};text-align:{'right' if column.right else 'left'}"
    shown = str(value)
    if column.kind is ColumnKind.VERDICT and shown in COLOURS:
        style += f";color:{COLOURS[shown]};font-weight:bold"
    elif column.kind is ColumnKind.SIGNED and shown[:1] in "+-" and shown != "-":
        # Fewer crimes is good news: green; more is red. The sign says it without colour.
        style += ";color:" + ("#1a7f37" if shown.startswith("-") else "#cf222e")
    if total:
        style += ";font-weight:bold"
    content = text(shown)
    if isinstance(value, Link):
        content = f'<a href="{text(value.target)}">{content}</a>'
    return f'<td style="{style}">{content}</td>'


def table(block: Table) -> str:
    head = "".join(
        f'<th style="{HEAD};text-align:{"right" if c.right else "left"}">{text(c.heading)}</th>'
        for c in block.columns
    )
    body = "".join(
        "<tr>"
        + "".join(_cell(v, block.columns[i], n in block.totals) for i, v in enumerate(row))
        + "</tr>"
        for n, row in enumerate(block.rows)
    )
    table_html = (
        f'<table style="{TABLE}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )
    return (f"<p>{text(block.caption)}:</p>" if block.caption else "") + table_html


def _items(items: tuple[str, ...]) -> str:
    return "<ul>" + "".join(f"<li>{text(item)}</li>" for item in items) + "</ul>"


def block_html(block: Block) -> str:
    if isinstance(block, Heading):
        tag = f"h{block.level + 1}"
        return f"<{tag}>{text(block.text)}</{tag}>"
    if isinstance(block, Facts):
        return "<ul>" + "".join(
            f"<li><b>{text(fact.label)}:</b> {text(fact.value)}"
            + (f" ({text(fact.detail)})" if fact.detail else "")
            + "</li>"
            for fact in block.items
        ) + "</ul>"  # fmt: skip
    if isinstance(block, Table):
        return table(block)
    if isinstance(block, Bullets):
        heading = f"<h3>{text(block.heading)}</h3>" if block.heading else ""
        return heading + _items(block.items)
    if isinstance(block, Notes):
        return "<h3>Notes</h3>" + _items(block.items)
    if isinstance(block, Paragraph):
        return f"<p>{text(block.text)}</p>"
    if isinstance(block, SmallPrint):
        return f'<p style="color:#57606a;font-size:12px">{text(block.text)}</p>'
    if isinstance(block, Image):
        if block.inline is not None and block.inline.lstrip().startswith("<svg"):
            # The tool's own drawing, its names already escaped: inline, so the page is
            # whole when mailed or opened alone (an <img> would need map.svg beside it).
            return f'<figure role="img" aria-label="{text(block.alt)}">{block.inline}</figure>'
        return f'<p><img src="{text(block.source)}" alt="{text(block.alt)}"></p>'
    raise TypeError(f"no HTML for {type(block).__name__}")


def render(document: Document) -> str:
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{text(document.title)}</title></head>\n"
        '<body style="font-family:Arial,Helvetica,sans-serif;color:#1f2328;max-width:960px">\n'
        + "\n".join(block_html(block) for block in document.blocks)
        + "\n</body></html>\n"
    )

"""A listing (areas, categories, periods, a league table, areas side by side, a trend) as a
document: headings for people, figures written as a report writes them (thousands
separators, signed changes, % to one decimal place, marks), typed columns so that every
format aligns them; and the same rows as data for JSON and CSV."""

from __future__ import annotations

from typing import Any

from policing_cli.document import numbers
from policing_cli.document.blocks import (
    Block,
    Column,
    ColumnKind,
    Document,
    Heading,
    Notes,
    Records,
    Table,
)
from policing_cli.document.options import RenderOptions
from policing_cli.document.report import credits
from policing_cli.report.listings import Exact, Field, Listing

KINDS = {
    "text": ColumnKind.TEXT,
    "flag": ColumnKind.TEXT,
    "count": ColumnKind.NUMBER,
    "rate": ColumnKind.NUMBER,
    "rank": ColumnKind.NUMBER,
    "change": ColumnKind.SIGNED,
    "pct": ColumnKind.SIGNED,
}


def shown(value: Any, kind: str = "text") -> str:
    """A value as people read it: an exact figure rounded as in a report (``+10.5%``,
    ``0.5``, with its mark), a count with separators, a change with its sign, yes/no."""
    if isinstance(value, Exact):
        text = numbers.pct(value.value) if value.kind == "pct" else numbers.rate(value.value)
        return f"{text} {value.mark}" if value.mark else text
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) and kind == "count":
        return numbers.count(value)
    if isinstance(value, int) and kind == "change":
        return numbers.change(value)
    return str(value)


def _column(field: Field) -> Column:
    return Column(field.heading, KINDS[field.kind])


def data(listing: Listing, attribution: str | None = None) -> dict[str, Any]:
    """The listing as JSON data: exact figures as the text formats show them (the shape
    scripts have read since listings began), and the data's licence credit."""
    rows = [
        {key: shown(value) if isinstance(value, Exact) else value for key, value in row.items()}
        for row in listing.rows
    ]
    found = {"title": listing.title, "rows": rows, "notes": list(listing.notes)}
    return found | {"attribution": attribution} if attribution else found


def _record_values(value: Any, marked: bool) -> list[Any]:
    """The CSV cell(s) of one value: an exact figure as its unrounded number (and its mark,
    in a column of its own, where the column may carry one); yes/no as the text shows."""
    if isinstance(value, Exact):
        return [value.value, value.mark] if marked else [value.value]
    return [shown(value) if isinstance(value, bool) else value] + ([""] if marked else [])


def records(listing: Listing) -> Records:
    header: list[str] = []
    for name in listing.columns:
        header += [name, f"{name}_mark"] if name in listing.marked else [name]
    rows = tuple(
        tuple(
            v for f in listing.fields for v in _record_values(row[f.name], f.name in listing.marked)
        )
        for row in listing.rows
    )
    return Records(tuple(header), rows)


def listing_document(listing: Listing, options: RenderOptions | None = None) -> Document:
    options = options or RenderOptions()
    table = Table(
        tuple(_column(f) for f in listing.fields),
        tuple(tuple(shown(row[f.name], f.kind) for f in listing.fields) for row in listing.rows),
    )
    blocks: list[Block] = [Heading(listing.title), table]
    if listing.notes:
        blocks.append(Notes(listing.notes))
    blocks += credits(options)
    return Document(
        listing.title,
        tuple(blocks),
        data=data(listing, options.attribution),
        records=records(listing),
    )

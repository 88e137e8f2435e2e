"""Renderers for the simple listings (areas, categories, periods), in every format."""

from __future__ import annotations

import csv
import io
from typing import Any

from policing_cli.renderers import numbers
from policing_cli.renderers.escape import clean, spreadsheet_cell
from policing_cli.renderers.escape import markdown as md
from policing_cli.report.listings import Exact, Listing


def _cell(value: Any) -> str:
    """A value as the text formats show it: an exact figure rounded as in a report."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Exact):
        shown = numbers.pct(value.value) if value.kind == "pct" else numbers.rate(value.value)
        return f"{shown} {value.mark}" if value.mark else shown
    return str(value)


def text(listing: Listing) -> str:
    from tabulate import tabulate

    cells = [[clean(_cell(row[c])) for c in listing.columns] for row in listing.rows]
    body = tabulate(cells, headers=listing.columns, tablefmt="simple", disable_numparse=True)
    notes = "".join(f"\n- {clean(n)}" for n in listing.notes)
    return f"{clean(listing.title)}\n\n{body}\n" + (f"\nNotes:{notes}\n" if notes else "")


def markdown(listing: Listing) -> str:
    from tabulate import tabulate

    cells = [[md(_cell(row[c])) for c in listing.columns] for row in listing.rows]
    body = tabulate(cells, headers=listing.columns, tablefmt="github", disable_numparse=True)
    notes = "".join(f"\n- {md(n)}" for n in listing.notes)
    return f"## {md(listing.title)}\n\n{body}\n" + (f"\n{notes.lstrip()}\n" if notes else "")


def json_text(listing: Listing) -> str:
    # Exact figures as the text formats show them: the listings' JSON shape is unchanged.
    rows = [
        {key: _cell(value) if isinstance(value, Exact) else value for key, value in row.items()}
        for row in listing.rows
    ]
    payload = {"title": listing.title, "rows": rows, "notes": listing.notes}
    from policing_cli.renderers.json_format import dumps

    return dumps(payload)


def _csv_values(value: Any, marked: bool) -> list[Any]:
    """The CSV cell(s) of one value: an exact figure as its unrounded number (and its mark,
    in a column of its own, where the column may carry one); yes/no as the text shows."""
    if isinstance(value, Exact):
        return [value.value, value.mark] if marked else [value.value]
    return [_cell(value) if isinstance(value, bool) else value] + ([""] if marked else [])


def csv_text(listing: Listing) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = []
    for column in listing.columns:
        header += [column, f"{column}_mark"] if column in listing.marked else [column]
    writer.writerow([spreadsheet_cell(name) for name in header])
    for row in listing.rows:
        cells = [v for c in listing.columns for v in _csv_values(row[c], c in listing.marked)]
        writer.writerow([spreadsheet_cell(cell) for cell in cells])
    return buffer.getvalue()


def table(listing: Listing) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    grid = Table(title=Text(clean(listing.title)), title_justify="left")
    for column in listing.columns:
        grid.add_column(Text(clean(column)))
    for row in listing.rows:
        grid.add_row(*(Text(clean(_cell(row[c]))) for c in listing.columns))
    notes = Text("".join(f"- {clean(n)}\n" for n in listing.notes))
    return Group(grid, notes)


def html(listing: Listing) -> str:
    from policing_cli.renderers.html import page, table
    from policing_cli.renderers.html import text as html_text

    rows = [[_cell(row[c]) for c in listing.columns] for row in listing.rows]
    notes = "".join(f"<li>{html_text(n)}</li>" for n in listing.notes)
    return page(listing.title, [f"<h2>{html_text(listing.title)}</h2>", table(listing.columns, rows),
                                f"<ul>{notes}</ul>" if notes else ""])  # fmt: skip

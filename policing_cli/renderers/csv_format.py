"""CSV: the document's records, for spreadsheets. Numbers stay numbers (unrounded % change,
blank where n/a); text that a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

import csv
import io

from policing_cli.document.blocks import Document
from policing_cli.renderers.escape import spreadsheet_cell


def render(document: Document) -> str:
    if document.records is None:
        raise ValueError(f"{document.title}: no records to write as CSV")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([spreadsheet_cell(name) for name in document.records.header])
    for row in document.records.rows:
        writer.writerow([spreadsheet_cell(cell) for cell in row])
    return buffer.getvalue()

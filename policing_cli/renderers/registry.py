"""Which renderer serves which format: one dict per kind of output."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from policing_cli.renderers import OutputFormat, csv_format, json_format, listing, markdown
from policing_cli.renderers import text as text_format
from policing_cli.report.figures import Report
from policing_cli.report.listings import Listing


def _rich_report(report: Report) -> Any:
    from policing_cli.renderers import rich_table

    return rich_table.render(report)


REPORT_RENDERERS: dict[OutputFormat, Callable[[Report], Any]] = {
    OutputFormat.TABLE: _rich_report,
    OutputFormat.MARKDOWN: markdown.render,
    OutputFormat.TEXT: text_format.render,
    OutputFormat.JSON: json_format.render,
    OutputFormat.CSV: csv_format.render,
}

LISTING_RENDERERS: dict[OutputFormat, Callable[[Listing], Any]] = {
    OutputFormat.TABLE: listing.table,
    OutputFormat.MARKDOWN: listing.markdown,
    OutputFormat.TEXT: listing.text,
    OutputFormat.JSON: listing.json_text,
    OutputFormat.CSV: listing.csv_text,
}


def render_report(report: Report, fmt: OutputFormat) -> Any:
    return REPORT_RENDERERS[fmt](report)


def render_listing(items: Listing, fmt: OutputFormat) -> Any:
    return LISTING_RENDERERS[fmt](items)

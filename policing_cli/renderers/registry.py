"""Which renderer serves which format: one table per kind of output.

Renderers are named by dotted path and imported only when used, so a JSON report never
imports rich or tabulate.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from policing_cli.renderers import OutputFormat

REPORT_RENDERERS: dict[OutputFormat, str] = {
    OutputFormat.TABLE: "policing_cli.renderers.rich_table:render",
    OutputFormat.MARKDOWN: "policing_cli.renderers.markdown:render",
    OutputFormat.TEXT: "policing_cli.renderers.text:render",
    OutputFormat.JSON: "policing_cli.renderers.json_format:render",
    OutputFormat.CSV: "policing_cli.renderers.csv_format:render",
    OutputFormat.HTML: "policing_cli.renderers.html:render",
}

LISTING_RENDERERS: dict[OutputFormat, str] = {
    OutputFormat.TABLE: "policing_cli.renderers.listing:table",
    OutputFormat.MARKDOWN: "policing_cli.renderers.listing:markdown",
    OutputFormat.TEXT: "policing_cli.renderers.listing:text",
    OutputFormat.JSON: "policing_cli.renderers.listing:json_text",
    OutputFormat.CSV: "policing_cli.renderers.listing:csv_text",
    OutputFormat.HTML: "policing_cli.renderers.listing:html",
}


def _resolve(dotted: str) -> Any:
    module, _, name = dotted.partition(":")
    return getattr(import_module(module), name)


def render_report(report: Any, fmt: OutputFormat) -> Any:
    return _resolve(REPORT_RENDERERS[fmt])(report)


def render_listing(items: Any, fmt: OutputFormat) -> Any:
    return _resolve(LISTING_RENDERERS[fmt])(items)

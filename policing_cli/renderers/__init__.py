"""Renderers: one module per output format. Each returns a string (or a rich renderable);
only the commands (``commands/``) print or write files."""

from __future__ import annotations

from enum import StrEnum


class OutputFormat(StrEnum):
    TABLE = "table"
    MARKDOWN = "markdown"
    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    HTML = "html"

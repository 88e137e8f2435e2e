"""Every output format, registered in one place.

A format is a name (what ``--format`` takes), the extension of its files (what ``snapshot``
writes, and what ``-o`` may be told by) and a renderer: a function from a ``Document`` to
text, or, for the terminal table, to a rich renderable. Renderers are named by dotted path
and imported only when used, so a JSON report never imports rich or tabulate.

Adding a format is one module in ``renderers/`` with ``render(document)`` and one
``register`` line below.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from policing_cli.document.blocks import Document


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    #: ``module:function`` rendering a Document.
    renderer: str
    #: A rich renderable for a terminal (colour, boxes), not text: never a snapshot file.
    terminal: bool = False

    def __str__(self) -> str:
        return self.name

    def render(self, document: Document) -> Any:
        module, _, name = self.renderer.partition(":")
        return getattr(import_module(module), name)(document)


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


TABLE = register(Format("table", "txt", "policing_cli.renderers.rich_table:render", terminal=True))
TEXT = register(Format("text", "txt", "policing_cli.renderers.text:render"))
MARKDOWN = register(Format("markdown", "md", "policing_cli.renderers.markdown:render"))
JSON = register(Format("json", "json", "policing_cli.renderers.json_format:render"))
CSV = register(Format("csv", "csv", "policing_cli.renderers.csv_format:render"))
HTML = register(Format("html", "html", "policing_cli.renderers.html:render"))


def file_formats() -> list[Format]:
    """The formats a file can hold (a snapshot writes), in registration order."""
    return [fmt for fmt in FORMATS.values() if not fmt.terminal]

"""Where a command's output goes: the format it is written in (``--format``, else the
extension of ``-o FILE``, else a table on a terminal and text elsewhere), standard output
or a file written atomically, and what the tool says on standard error.

Whatever a console can encode is printed as it is; what it cannot (a Windows console in
cp1252, ``PYTHONIOENCODING=ascii``) falls back to the nearest ASCII (sparklines drawn in
ASCII, dashes, quotes, accents dropped), never to a crash with nothing printed.
"""

from __future__ import annotations

import io
import os
import sys
import unicodedata
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from policing_cli.errors import UsageProblem
from policing_cli.renderers.formats import FORMATS, TABLE, TEXT, Format

if TYPE_CHECKING:
    from policing_cli.document.blocks import Document

#: File extensions and the formats they are written in.
EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".json": "json", ".csv": "csv", ".html": "html", ".htm": "html",
}  # fmt: skip

#: The nearest ASCII of characters the tool writes itself, for consoles that lack them.
ASCII = {
    **dict(zip("\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588", "_.-:=+*#", strict=True)),
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2018": "'", "\u2019": "'",
    "\u201c": '"', "\u201d": '"', "\u2026": "...", "\u2265": ">=", "\u2264": "<=",
    "\u00a9": "(c)", "\u00d7": "x", "\u2022": "*", "\u00a0": " ", "\u00a3": "GBP ",
}  # fmt: skip


def to_stdout(output: Path | None) -> bool:
    """``-o -``: standard output, as for most tools."""
    return output is not None and str(output) == "-"


def resolve_format(
    chosen: Format | None, output: Path | None, color: bool | None = None, *, to_file: bool = True
) -> Format:
    """``--format`` if given; else what ``-o FILE``'s extension says (``report.json`` is
    JSON), plain text for a file of another name; else a table on a terminal, text in a
    pipe, unless colour is asked for (``--color``, ``FORCE_COLOR``): then the coloured
    table, for ``less -R``. A format that contradicts the file's extension is a usage
    error: a file named .csv holding JSON would be opened by a spreadsheet and misread."""
    named = None
    if output is not None and not to_stdout(output) and to_file:
        named = EXTENSIONS.get(Path(output).suffix.lower())
    if chosen is not None:
        if named is not None and chosen.name != named and not chosen.terminal:
            raise UsageProblem(
                f"--format {chosen.name} contradicts {Path(output).name}: its extension "  # type: ignore[arg-type]
                f"says {named}; name the file .{chosen.extension} or leave --format out"
            )
        return chosen
    if named is not None:
        return FORMATS[named]
    if output is not None and not to_stdout(output):
        return TEXT
    forced = color is True or (color is None and bool(os.environ.get("FORCE_COLOR")))
    return TABLE if sys.stdout.isatty() or forced else TEXT


def encoding_of(stream: IO[str] | None) -> str:
    return (getattr(stream, "encoding", None) or "utf-8").lower()


def can_encode(text: str, stream: IO[str] | None = None) -> bool:
    """Whether the stream (standard output by default) can show ``text`` as it is."""
    try:
        text.encode(encoding_of(stream if stream is not None else sys.stdout))
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def encodable(text: str, encoding: str) -> str:
    """``text`` as ``encoding`` can hold it: what it cannot, as the nearest ASCII (accents
    dropped: "Ynys Môn" in ASCII is "Ynys Mon"), else "?"."""
    try:
        text.encode(encoding)
        return text
    except UnicodeEncodeError:
        pass
    except LookupError:
        return text
    out = []
    for char in text:
        try:
            char.encode(encoding)
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        near = ASCII.get(char)
        if near is None:
            decomposed = unicodedata.normalize("NFKD", char)
            near = "".join(c for c in decomposed if c.isascii() and not unicodedata.combining(c))
        out.append(near or "?")
    return "".join(out)


class EncodableStream(io.TextIOBase):
    """A console stream that never fails on a character it cannot encode (for rich)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return encoding_of(self.stream)

    def write(self, text: str) -> int:
        self.stream.write(encodable(text, self.encoding))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()


def say(text: str, *, err: bool = True, nl: bool = True, lines: bool = False) -> None:
    """Print what the tool says itself (notes, "wrote FILE", snapshot progress, problems
    found), and (``lines=True``) outputs of several lines: through ``clean``, so that a
    name quoted from a file, an archive or a folder never reaches the terminal as escape
    sequences, and a message stays one line whatever it quotes; in what the console can
    encode."""
    from policing_cli.renderers.escape import clean

    stream = sys.stderr if err else sys.stdout
    click.echo(encodable(clean(text, lines=lines), encoding_of(stream)), err=err, nl=nl)


def emit(document: Document, fmt: Format, color: bool | None, output: Path | None) -> None:
    """Render the document, print it to stdout, or write it atomically to ``output``."""
    if to_stdout(output):
        output = None
    renderable = fmt.render(document)
    if fmt.terminal:
        from rich.console import Console

        if output is not None:
            console = Console(record=True, width=100, file=io.StringIO())
            console.print(renderable)
            text = console.export_text(styles=False)
        else:
            console = Console(
                file=EncodableStream(sys.stdout),
                force_terminal=True if color else None,
                no_color=True if color is False else None,
                highlight=False,
            )
            console.print(renderable)
            return
    else:
        text = renderable
    if output is not None:
        write_output(output, text)
    else:
        say(text, err=False, nl=False, lines=True)


def write_output(output: Path, data: str | bytes) -> None:
    """Write ``-o``'s output: ``-`` to standard output, anything else by the rules of
    ``policing_cli.output`` (atomic replace, links written through, devices written to,
    pipes, sockets, folders, read-only files and hard-linked files refused)."""
    if to_stdout(output):
        if isinstance(data, bytes):
            click.echo(data, nl=False)  # to the binary stream
        else:
            say(data, err=False, nl=False, lines=True)
        return
    from policing_cli.output import write_atomic

    write_atomic(output, data)


def output_option(help_text: str, *, required: bool = False) -> Any:
    """``-o/--output FILE``, written by ``write_output``'s rules; ``-`` is standard output."""
    return click.option(
        "-o", "--output", required=required,
        type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
        help=help_text,
    )  # fmt: skip

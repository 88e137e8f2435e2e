"""The blocks a document is made of, and the document itself.

Blocks hold text already worded and numbers already written (``document/numbers.py``):
the formats differ in layout and escaping, never in content. Columns are typed so that each
format aligns them (words left, figures right) and marks them (a change coloured by its
sign, a verdict by its value) without looking at their headings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ColumnKind(StrEnum):
    """What a column holds, and so how it is aligned and marked."""

    TEXT = "text"  # names and words: left
    NUMBER = "number"  # counts, rates, ranks: right
    SIGNED = "signed"  # changes: right; a fall is good news (green), a rise bad (red)
    VERDICT = "verdict"  # met / missed / n/a: left, coloured by the verdict
    CHART = "chart"  # a sparkline: right, as the figures beside it


@dataclass(frozen=True)
class Column:
    heading: str
    kind: ColumnKind = ColumnKind.TEXT

    @property
    def right(self) -> bool:
        return self.kind in (ColumnKind.NUMBER, ColumnKind.SIGNED, ColumnKind.CHART)


@dataclass(frozen=True)
class Link:
    """A cell that names another file (the snapshot index's areas)."""

    text: str
    target: str

    def __str__(self) -> str:
        return self.text


Cell = str | Link


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: the document's title; 2: a part of it


@dataclass(frozen=True)
class Fact:
    """``Area: Bexley``; ``Source: file.csv (2022-04..2023-02)`` (name and detail apart,
    for the formats that list repeated facts under one plural label)."""

    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True)
class Facts:
    items: tuple[Fact, ...]
    #: Labels whose facts a format may list under the plural ("Sources:"), one or many.
    listed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    #: What the table compares, said above it.
    caption: str | None = None
    #: Rows that total the ones above them: emphasised and ruled off where a format can.
    totals: frozenset[int] = frozenset()
    #: The first column holds names that may be cut with "..." to fit a narrow format (a
    #: report's categories); otherwise long text wraps.
    cut_first: bool = False


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Image:
    source: str
    alt: str
    #: The drawing itself (SVG text the tool made), for a format that carries it inline: an
    #: HTML page mailed alone still shows its map. Other formats link to ``source``.
    inline: str | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Bullets:
    """A list under its heading ("" where a Heading block stands above it)."""

    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Notes:
    """The document's notes: what a reader needs to read its figures right."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class SmallPrint:
    """Where the figures came from (inputs, their digests, the version): the provenance."""

    text: str


Block = Heading | Facts | Table | Paragraph | Image | Bullets | Notes | SmallPrint


@dataclass(frozen=True)
class Records:
    """The document as one flat table, for CSV: a header and rows of plain values (numbers
    stay numbers, unrounded)."""

    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...]
    #: The document as JSON data (a dict of plain values), for the JSON format.
    data: Any = None
    #: The document as one flat table, for CSV.
    records: Records | None = None

"""One way in: every input layout is a ``Layout`` (its name, the headers it reads, what kind
of input it is, ``matches(header)`` and ``load(path, sniffed, on_bytes)``), and one loop,
``detect``, finds the layout of a file from its header. Adding a layout is one new module
that defines its ``LAYOUT`` and one line in ``LAYOUTS`` (``loaders/layouts.py``); the "known
layouts" of an unknown file's error are written from the descriptions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from policing_cli.loaders.csv_text import Sniffed


class Kind(StrEnum):
    """What an input holds, and so where it goes."""

    COUNTS = "counts"
    TARGETS = "targets"
    INDICATORS = "indicators"
    POPULATION = "population"


Loader = Callable[["Path", "Sniffed", "Callable[[int], None] | None"], Any]


@dataclass(frozen=True)
class Layout:
    """An input layout: what ``detect`` tries and ``load_file`` calls."""

    name: str
    #: The headers it reads, for the message that lists the known layouts.
    description: str
    kind: Kind
    matches: Callable[[list[str]], bool]
    load: Loader
    #: Comma-separated only (the MOPAC survey export is semicolon-separated by design).
    comma_only: bool = True
    #: Worth caching one by one (parsing takes a while): counts, the survey export.
    cacheable: bool = True

    def describe(self) -> str:
        return f"{self.name} ({self.description})"

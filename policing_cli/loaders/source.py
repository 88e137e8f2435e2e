"""What every loader returns: rows in the canonical layout plus a description of the file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from policing_cli import columns as C

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class LoadedFile:
    """One input file after loading.

    ``frame`` has the canonical columns except ``source`` (added when files are combined).
    ``first_month``/``last_month`` are month indexes (None for files of annual rows only);
    the newer release of two overlapping files is the one whose data run later.
    """

    path: str
    layout: str
    #: The rows, as a table; or None where ``columns`` holds them (see there).
    frame: pd.DataFrame | None
    first_month: int | None
    last_month: int | None
    notes: list[str] = field(default_factory=list)
    #: Months the file covers, even where an area had no rows (street files: one row per
    #: crime, so a quiet month in a small area leaves no row but is not missing).
    months: set[int] = field(default_factory=set)
    #: Street files: counts by outcome too (area, force, month, minor, outcome, count).
    outcomes: pd.DataFrame | None = None
    #: The classification its categories belong to (columns.MET_CATEGORIES, HOME_OFFICE ...)
    #: and the level of its areas ("borough", "ward", "district"): together, the series a
    #: figure may be compared within.
    classification: str = ""
    level: str = ""
    #: The rows as plain lists, one per canonical column: what loaders of small files give,
    #: since a folder may hold thousands of them and a pandas table costs a millisecond or
    #: two each; they are joined into one table when the files are combined.
    columns: dict[str, list[Any]] | None = None

    def table(self) -> pd.DataFrame:
        """The rows as a table, whichever way the loader gave them."""
        if self.frame is None:
            import pandas as pd

            self.frame = pd.DataFrame(self.columns)
            self.frame[C.MONTH] = self.frame[C.MONTH].astype("int64")
            self.frame[C.COUNT] = self.frame[C.COUNT].astype("int64")
        return self.frame


def map_unique(series: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    """``series.map(func)`` calling ``func`` once per distinct value (area names, months)."""
    return series.map({value: func(value) for value in series.unique()})

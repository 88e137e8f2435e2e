"""The data model both the loaders and the report work on: what a file held once loaded,
where each part of the combined table came from, targets and indicators, how a measure
reads in a sentence, and the whole dataset.

Frozen: a loaded file or a dataset is built once and never changed afterwards; later steps
make new values (``dataclasses.replace``). The one mutable part is ``Dataset.memo``, a
container of views computed from the frame and kept for the next report of the same run.

The cache stores these records field by field (``loaders/cache_format.py``): a new field is
stored with them unless it is marked ``NOT_CACHED``, and its type must be one the cache
writes (text, numbers, None, tuples, frozensets, decimals, these records, pandas tables).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policing_cli import columns as C

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Target:
    """One row of a targets file."""

    area: str  # "*" for every area
    period: str  # canonical period label ("2009/10")
    measure: str
    kind: str
    value: Decimal
    path: str
    line: int

    @property
    def gap_parts(self) -> tuple[str, str]:
        """The two indicator names of a ``max_gap_pp`` measure written ``A - B``."""
        left, _, right = self.measure.partition(" - ")
        return left.strip(), right.strip()


@dataclass(frozen=True)
class Indicator:
    """One indicator value (a rate or survey result in %) for an area and period."""

    area: str
    period: str  # a period label ("2009/10") or, for dated survey figures, the month "2023-03"
    measure: str
    value: Decimal
    path: str
    line: int


@dataclass(frozen=True)
class Phrase:
    """How a measure reads inside the leaflet's sentences (``policing_cli/data/phrases.csv``):
    "theft from motor vehicle crime" for the category "Theft from vehicles", and what it
    covers where a reader may not know ("residential burglary, robbery and ...")."""

    phrase: str
    description: str = ""


#: Field metadata of what the cache does not store: another form of a stored field, what is
#: added to a dataset after its count files are combined (from other files or options), and
#: what is kept for one run only.
NOT_CACHED = {"cached": False}


@dataclass(frozen=True)
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
    notes: tuple[str, ...] = ()
    #: Months the file covers, even where an area had no rows (street files: one row per
    #: crime, so a quiet month in a small area leaves no row but is not missing).
    months: frozenset[int] = frozenset()
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
    #: Street files: the (force, month) pairs whose files were read (see SourceFile).
    force_months: frozenset[tuple[str, int]] = frozenset()
    columns: dict[str, list[Any]] | None = field(default=None, compare=False, metadata=NOT_CACHED)

    @cached_property
    def table(self) -> pd.DataFrame:
        """The rows as a table, whichever way the loader gave them."""
        if self.frame is not None:
            return self.frame
        import pandas as pd

        frame = pd.DataFrame(self.columns)
        return frame.astype({C.MONTH: "int64", C.COUNT: "int64"})

    @cached_property
    def held_months(self) -> frozenset[int]:
        """The months the file covers: as the loader said, else those its rows hold."""
        if self.months:
            return self.months
        return frozenset(int(m) for m in self.table[C.MONTH].unique() if m != C.ANNUAL)


@dataclass(frozen=True)
class SourceFile:
    """One input file as the report header describes it."""

    path: str
    layout: str
    first_month: int | None
    last_month: int | None
    supplied: str = ""  # months this file supplied after overlaps were resolved
    months: frozenset[int] = frozenset()  # months the file covers
    classification: str = ""  # columns.MET_CATEGORIES, HOME_OFFICE, ...
    level: str = ""  # "borough", "ward", "district", "area"
    #: Street files: the (force, month) pairs whose files were read. A month is held for a
    #: force only where its own file for that month was read (an archive missing one
    #: force's month holds no figure, not a zero, for that force).
    force_months: frozenset[tuple[str, int]] = frozenset()

    @property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def series(self) -> tuple[str, str]:
        """Files of one series can replace each other month by month (newer releases of the
        same counts); figures of two series are never added, and a change compares two
        figures of one series wherever the data allow (report/comparison.py)."""
        return (self.classification, self.level)


@dataclass(frozen=True)
class Dataset:
    """Everything loaded: the canonical table, where it came from, and what to tell the user."""

    frame: pd.DataFrame
    sources: tuple[SourceFile, ...]
    notes: tuple[str, ...] = ()
    targets: tuple[Target, ...] = field(default=(), metadata=NOT_CACHED)
    indicators: tuple[Indicator, ...] = field(default=(), metadata=NOT_CACHED)
    #: Resident population by (area key, year), for rates per 1,000.
    population: dict[tuple[str, int], int] = field(
        default_factory=dict, compare=False, metadata=NOT_CACHED
    )
    #: Street files only: counts by last outcome (area, force, month, minor, outcome, count).
    outcomes: pd.DataFrame | None = None
    #: Outcome classification (outcome key -> class), from data/outcomes.csv or --outcomes.
    outcome_classes: dict[str, str] = field(
        default_factory=dict, compare=False, metadata=NOT_CACHED
    )
    #: Where the inputs were chosen from when no --data was given and the data folder of
    #: ``policing fetch`` was read ("fetched from the London Datastore ..."), else "".
    origin: str = field(default="", compare=False, metadata=NOT_CACHED)
    #: Views computed from the frame and kept for the next report of the same run (a
    #: snapshot reports every borough on the same figures): report.holdings.holdings_for.
    memo: dict[object, object] = field(
        default_factory=dict, repr=False, compare=False, metadata=NOT_CACHED
    )

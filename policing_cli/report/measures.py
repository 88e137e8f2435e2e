"""Targets, indicators and how a measure reads in a sentence, as the report core sees them
(loaders build these)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


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

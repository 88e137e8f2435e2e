"""Small helpers every loader uses (what a loader returns is ``model.LoadedFile``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def map_unique(series: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    """``series.map(func)`` calling ``func`` once per distinct value (area names, months)."""
    return series.map({value: func(value) for value in series.unique()})

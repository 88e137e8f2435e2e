"""The nearest names to one a user typed: "did you mean ...?" for categories, as for areas,
commands and formats."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(typed: str, names: Iterable[str], cutoff: float = 0.6) -> str:
    """`` (did you mean 'Residential burglary'?)`` for the one or two names closest to
    ``typed`` (case aside), or "" where none is close."""
    by_key = {name.casefold(): name for name in names}
    close = difflib.get_close_matches(typed.casefold(), list(by_key), n=2, cutoff=cutoff)
    if not close:
        return ""
    return " (did you mean " + " or ".join(f"'{by_key[key]}'" for key in close) + "?)"

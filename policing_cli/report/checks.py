"""Checks that need everything loaded: does each target name a measure the tool knows?

A typo in a targets file ("Residental burglary") would otherwise show as a target with no
data, verdict n/a, and go unnoticed; it is an error naming the file and line instead.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.errors import InputFormatError
from policing_cli.report.categories import CategoryMap
from policing_cli.report.narrative import phrases

if TYPE_CHECKING:
    from policing_cli.loaders.inputs import Dataset


def known_measures(dataset: Dataset, mapping: CategoryMap) -> dict[str, str]:
    """Every measure a target may name, by case-folded key: report categories (mapped or
    in the data), indicators in the data, and the well-known measures of phrases.csv."""
    names = [*mapping.order, *mapping.totals]
    pairs = dataset.frame[[C.MAJOR, C.MINOR]].drop_duplicates()
    for major, minor in pairs.itertuples(index=False):
        names += [category for category, _ in mapping.categories_of(str(major), str(minor))[0]]
    names += [indicator.measure for indicator in dataset.indicators]
    known = {name.casefold(): name for name in names}
    for key in phrases():
        known.setdefault(key, key)
    return known


def check_measures(dataset: Dataset, mapping: CategoryMap) -> None:
    if not dataset.targets:
        return
    known = known_measures(dataset, mapping)
    for target in dataset.targets:
        parts = target.gap_parts if target.kind == "max_gap_pp" else (target.measure,)
        for part in parts:
            if part.casefold() in known:
                continue
            close = difflib.get_close_matches(part.casefold(), list(known), n=1, cutoff=0.75)
            hint = f" (did you mean '{known[close[0]]}'?)" if close else ""
            raise InputFormatError(
                target.path,
                f"unknown measure '{part}': expected a report category or an indicator{hint}",
                line=target.line,
                column=3,
            )

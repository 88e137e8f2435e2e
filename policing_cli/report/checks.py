"""Checks that need everything loaded: does each target name a measure the tool knows?

A typo in a targets file ("Residental burglary") would otherwise show as a target with no
data, verdict n/a, and go unnoticed; it is an error naming the file and line instead.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.errors import InputFormatError
from policing_cli.report.areas import area_key, is_force_alias
from policing_cli.report.categories import CategoryMap

if TYPE_CHECKING:
    from policing_cli.model import Dataset


def _category_names(dataset: Dataset, mapping: CategoryMap) -> list[str]:
    """Report categories: counts of offences (mapped, or in the data)."""
    names = [*mapping.order, *mapping.totals]
    pairs = dataset.frame[[C.MAJOR, C.MINOR]].drop_duplicates()
    for major, minor in pairs.itertuples(index=False):
        names += [category for category, _ in mapping.categories_of(str(major), str(minor))[0]]
    return names


def known_measures(dataset: Dataset, mapping: CategoryMap) -> dict[str, str]:
    """Every measure a target may name, by case-folded key: report categories (mapped or
    in the data), indicators in the data, and the well-known measures of phrases.csv."""
    names = _category_names(dataset, mapping)
    names += [indicator.measure for indicator in dataset.indicators]
    known = {name.casefold(): name for name in names}
    for key in mapping.phrases:
        known.setdefault(key, key)
    return known


def _target_key(area: str, period: str, measure: str) -> tuple[str, str, str]:
    """One identity per target, as the loader's within-file check has it: however the area
    is spelled ("MPS" and "London" are one), whatever the measure's case."""
    if area != "*":
        area = "mps" if is_force_alias(area) else area_key(area)
    return (area, period, measure.casefold())


def check_duplicates(dataset: Dataset) -> None:
    """Two targets for one area, period and measure in two files: an error, as within one
    file. Otherwise the verdict would depend on which file was named first."""
    from pathlib import Path

    first: dict[tuple[str, str, str], object] = {}
    for target in dataset.targets:
        key = _target_key(target.area, target.period, target.measure)
        seen = first.setdefault(key, target)
        if seen is target or Path(seen.path).resolve() == Path(target.path).resolve():  # type: ignore[attr-defined]
            # The same file read twice (from a --data folder and --targets) is one file;
            # within one file the loader has already refused a repeat.
            continue
        earlier, later = sorted((seen, target), key=lambda t: (t.path, t.line))  # type: ignore[attr-defined]
        raise InputFormatError(
            later.path,
            f"a second target for {later.area} / {later.period} / {later.measure} (first in "
            f"{earlier.path} on line {earlier.line}): expected one per area, period and "
            "measure across all targets files",
            line=later.line,
        )


def check_measures(dataset: Dataset, mapping: CategoryMap) -> None:
    """The first problem of ``measure_problems``, as an error: what a report stops on."""
    if problems := measure_problems(dataset, mapping):
        raise problems[0]


def measure_problems(dataset: Dataset, mapping: CategoryMap) -> list[InputFormatError]:
    """Every target naming a measure the tool does not know, or a gap between crime
    categories, and a target given twice across files: what ``report`` refuses, and what
    ``validate`` lists (one code path, so the two never disagree)."""
    if not dataset.targets:
        return []
    try:
        check_duplicates(dataset)
        problems = []
    except InputFormatError as err:
        problems = [err]
    known = known_measures(dataset, mapping)
    indicators = {indicator.measure.casefold() for indicator in dataset.indicators}
    categories = {name.casefold() for name in _category_names(dataset, mapping)} - indicators
    for target in dataset.targets:
        parts = target.gap_parts if target.kind == "max_gap_pp" else (target.measure,)
        for part in parts:
            if target.kind == "max_gap_pp" and part.casefold() in categories:
                problems.append(
                    InputFormatError(
                        target.path,
                        f"a max_gap_pp target compares two indicators (rates in %), but "
                        f"'{part}' is a crime category (a count of offences)",
                        line=target.line,
                        column=3,
                    )
                )
            elif part.casefold() not in known:
                close = difflib.get_close_matches(part.casefold(), list(known), n=1, cutoff=0.75)
                hint = f" (did you mean '{known[close[0]]}'?)" if close else ""
                problems.append(
                    InputFormatError(
                        target.path,
                        f"unknown measure '{part}': expected a report category or an "
                        f"indicator{hint}",
                        line=target.line,
                        column=3,
                    )
                )
    return problems

"""Every input layout, in the order they are tried, and the one loop that finds a file's.

The survey export, targets, indicators and population files come first: their headers are
narrow and exact, while the count layouts' are told by a few columns among many.
"""

from __future__ import annotations

from pathlib import Path

from policing_cli.errors import InputFormatError
from policing_cli.loaders import borough_wide, crime_rates, pas, police_uk, population, tidy
from policing_cli.loaders.csv_text import DELIMITER_NAMES, Sniffed
from policing_cli.loaders.layout import Kind, Layout
from policing_cli.loaders.measures import INDICATORS, TARGETS

LAYOUTS: tuple[Layout, ...] = (
    pas.LAYOUT,
    TARGETS,
    INDICATORS,
    population.LAYOUT,
    borough_wide.LAYOUT,
    tidy.LAYOUT,
    police_uk.LAYOUT,
    crime_rates.LAYOUT,
)

#: Street files given as archives or folders of archives: their layout is known from the
#: archive's members (``*-street.csv``), not from a header.
STREET = police_uk.LAYOUT


def known_layouts() -> str:
    """The layouts the tool reads, for the error about a file it does not: crime counts
    first (what a user most likely meant to give), then the files that go with them."""
    ordered = sorted(LAYOUTS, key=lambda layout: layout.kind is not Kind.COUNTS)
    return "; ".join(layout.describe() for layout in ordered)


def detect(path: Path | str, sniffed: Sniffed) -> Layout:
    """The layout of a file from its sniffed header; an error naming the file, its header
    and the known layouts when none matches, or when a comma-only layout is given another
    delimiter (a spreadsheet's semicolon export of a Met file)."""
    layout = next((layout for layout in LAYOUTS if layout.matches(sniffed.header)), None)
    if layout is None:
        raise _unknown(path, sniffed)
    if layout.comma_only and sniffed.delimiter != ",":
        name = DELIMITER_NAMES[sniffed.delimiter]
        raise InputFormatError(
            path, f"is {name}-separated: expected comma-separated values", line=1
        )
    return layout


def _unknown(path: Path | str, sniffed: Sniffed) -> InputFormatError:
    header, delimiter = sniffed.header, sniffed.delimiter
    if delimiter != "," and len(header) > 1:
        detail = f"a {DELIMITER_NAMES[delimiter]}-separated header"
    else:
        shown = ",".join(header)
        detail = f"header '{shown[:80]}{'...' if len(shown) > 80 else ''}'"
    return InputFormatError(
        path, f"unknown layout ({detail}): expected one of {known_layouts()}", line=1
    )

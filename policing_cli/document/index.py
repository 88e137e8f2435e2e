"""A snapshot's index as a document: the force-wide report, then the league table of total
notifiable offences linking to each area's file, then the areas that failed; and the same
as JSON data (``index.json``)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from policing_cli.document import numbers
from policing_cli.document.blocks import (
    Block,
    Bullets,
    Column,
    ColumnKind,
    Document,
    Heading,
    Image,
    Link,
    Paragraph,
    Table,
)
from policing_cli.document.options import RenderOptions
from policing_cli.document.report import blocks, title
from policing_cli.document.report_data import as_dict
from policing_cli.report.results import Report

TOTAL = "Total notifiable offences"
K = ColumnKind
LEAGUE_COLUMNS = (
    Column("Rank", K.NUMBER), Column("Area"), Column("Offences", K.NUMBER),
    Column("Change", K.SIGNED), Column("% change", K.SIGNED), Column("Targets missed", K.NUMBER),
)  # fmt: skip
MAP_ALT = "Total notifiable offences: % change by borough"


@dataclass(frozen=True)
class Entry:
    """One area in the league: its report's total and the files written for it, by
    extension (the index in each format links to the files of that format where written)."""

    report: Report
    files: dict[str, str]
    rank: int | None = None

    @property
    def total(self) -> Any:
        return next((r for r in self.report.rows if r.category == TOTAL), None)

    @property
    def pct_exact(self) -> Fraction | None:
        return self.total.pct_change_exact if self.total else None

    def link(self, extension: str) -> str:
        """The file the index links to: of the index's own format where written, else the
        Markdown file, else the first written."""
        for wanted in (extension, "md"):
            if wanted in self.files:
                return self.files[wanted]
        return next(iter(self.files.values()))


def league_table(entries: list[Entry], extension: str) -> Table:
    rows = []
    for entry in entries:
        total = entry.total
        count = total.count if total else None
        change = total.change if total else None
        rows.append((
            "" if entry.rank is None else str(entry.rank),
            Link(entry.report.area, entry.link(extension)),
            numbers.count(count), numbers.change(change), numbers.pct(entry.pct_exact),
            str(entry.report.missed),
        ))  # fmt: skip
    return Table(LEAGUE_COLUMNS, tuple(rows))


def index_document(
    force: Report,
    entries: list[Entry],
    failed: list[tuple[str, str]],
    *,
    extension: str,
    map_svg: str | None = None,
    options: RenderOptions | None = None,
) -> Document:
    """The index in a format whose files end in ``extension`` (its links go to them)."""
    options = options or RenderOptions()
    found: list[Block] = [
        *blocks(force, options),
        Heading("League table: total notifiable offences"),
    ]
    if map_svg is not None:
        found.append(Image("map.svg", MAP_ALT, inline=map_svg))
    found += [
        Paragraph("Ranked by % change, largest fall first."),
        league_table(entries, extension),
    ]
    if failed:
        found.append(Heading("Areas that failed"))
        found.append(Bullets("", tuple(f"{a}: {e}" for a, e in failed)))
    data = index_data(force, entries, failed, options)
    return Document(title(force), tuple(found), data=data)


def index_data(
    force: Report, entries: list[Entry], failed: list[tuple[str, str]], options: RenderOptions
) -> dict[str, Any]:
    """``index.json``: the force-wide report, the league, the failures."""
    league = []
    for entry in entries:
        total = entry.total
        row: dict[str, Any] = {
            "area": entry.report.area,
            "file": entry.link("md"),
            "count": total.count if total else None,
            "baseline_count": total.baseline_count if total else None,
            "change": total.change if total else None,
            "pct_change": total.pct_change if total else None,
            "targets_missed": entry.report.missed,
        }
        if "html" in entry.files:
            row["html_file"] = entry.files["html"]
        row["rank"] = entry.rank
        league.append(row)
    return {
        "attribution": options.attribution,
        "force_wide": as_dict(force, options.provenance, options.attribution),
        "league": league,
        "failed": [{"area": area, "error": error} for area, error in failed],
    }

"""``policing snapshot``: every area's report written to a folder, for cron.

Each file is written atomically (temporary file, then rename) and only when its content
changed: a rerun on the same inputs leaves every file, and its modification time, as it
was. A failing area is reported and the others go on. Nothing is written outside the
output folder: file names come from area names through ``slug()``.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policing_cli import columns as C
from policing_cli.errors import PolicingError
from policing_cli.output import destination, write_atomic
from policing_cli.renderers import OutputFormat
from policing_cli.report.periods import Period, month_label

if TYPE_CHECKING:
    from policing_cli.model import Dataset
    from policing_cli.report.categories import CategoryMap
    from policing_cli.report.results import Report

EXTENSIONS = {
    OutputFormat.MARKDOWN: "md",
    OutputFormat.TEXT: "txt",
    OutputFormat.JSON: "json",
    OutputFormat.HTML: "html",
    OutputFormat.CSV: "csv",
}
#: Names Windows reserves for devices: never a file name, whatever the extension.
RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}
_GENERATED = re.compile(r"generated \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def slug(name: str) -> str:
    """A safe file name for an area: lower case letters, digits and hyphens only."""
    import unicodedata

    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    text = re.sub(r"[^a-z0-9]+", "-", text.replace("&", " and ")).strip("-")[:80] or "area"
    return f"area-{text}" if text in RESERVED else text


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def provenance_line(dataset: Dataset, mapping_path: str, *, timestamp: bool) -> str:
    """One line naming every input (with its SHA-256 and months), the tool version and the
    category mapping, and the generation time unless left out for byte-identical reruns."""
    from importlib.metadata import version

    parts = []
    for source in dataset.sources:
        path = Path(source.path)
        digest = file_digest(path)[:16] if path.is_file() else "n/a"
        months = (
            f"{month_label(source.first_month)}..{month_label(source.last_month)}"
            if source.first_month is not None and source.last_month is not None
            else source.supplied
        )
        parts.append(f"{path.name} (sha256 {digest}, {months})")
    others = dict.fromkeys(str(x.path) for x in [*dataset.targets, *dataset.indicators])
    for other in others:
        path = Path(other)
        digest = file_digest(path)[:16] if path.is_file() else "n/a"
        parts.append(f"{path.name} (sha256 {digest})")
    line = (
        f"Inputs: {'; '.join(parts)}. policing {version('policing')}; "
        f"categories: {Path(mapping_path).name}"
    )
    if timestamp:
        now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        line += f"; generated {now}"
    return line + "."


def write_if_changed(path: Path, text: str) -> bool:
    """Write atomically unless the file already says the same (its generation time aside).
    What is there is looked at first (``destination``): the old content is read only from a
    regular file, never from a FIFO (which would wait for ever) or a device."""
    where = destination(path)
    try:
        old = where.path.read_text(encoding="utf-8") if where.existing else None
    except (FileNotFoundError, UnicodeDecodeError):
        old = None
    if old is not None and _GENERATED.sub("", old) == _GENERATED.sub("", text):
        return False
    write_atomic(path, text)
    return True


@dataclass
class SnapshotResult:
    folder: Path
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    missed: int = 0

    def summary(self, period: str, areas: int) -> str:
        return (
            f"snapshot {period} -> {self.folder}: {areas} area(s), {len(self.written)} file(s) "
            f"written, {len(self.unchanged)} unchanged, {len(self.failed)} area(s) failed, "
            f"{self.missed} target(s) missed"
        )


def snapshot_areas(dataset: Dataset) -> list[str]:
    """Every borough (or district of a force whose files are read) in the data: not the
    force-wide alias, not "Unknown", not a border district."""
    from policing_cli.report.forces import area_roles

    areas = {str(a) for a in dataset.frame[C.AREA].unique()}
    return sorted(area_roles(dataset).league(sorted(areas)))


def force_wide_request(dataset: Dataset) -> str:
    """The force an index summarises: the Met's area for London files (or the Met's street
    files), else the force of the street files read (with several, the one policing most of
    the districts written)."""
    from policing_cli.report.areas import force_key
    from policing_cli.report.forces import area_roles

    roles = area_roles(dataset)
    if not roles.forces or any(not force for force in roles.home.values()):
        return "london"
    if any(force_key(f) == "metropolitan" for f in roles.forces):
        return "london"
    owned = {f: sum(1 for v in roles.home.values() if v == f) for f in roles.forces}
    return max(sorted(owned), key=lambda f: owned[f])


def _total_change(report: Report) -> Fraction | None:
    total = next((r for r in report.rows if r.category == "Total notifiable offences"), None)
    return total.pct_change_exact if total else None


def _league_row(report: Report, link: str) -> dict[str, Any]:
    total = next((r for r in report.rows if r.category in ("Total notifiable offences",)), None)
    return {
        "area": report.area,
        "file": link,
        "count": total.count if total else None,
        "baseline_count": total.baseline_count if total else None,
        "change": total.change if total else None,
        "pct_change": total.pct_change if total else None,
        "targets_missed": report.missed,
    }


def run_snapshot(
    dataset: Dataset,
    mapping: CategoryMap,
    period: Period | None,
    out: Path,
    formats: list[OutputFormat],
    *,
    timestamp: bool = True,
    on_file: Callable[[str], None] | None = None,
) -> SnapshotResult:
    from policing_cli.renderers.registry import render_report
    from policing_cli.report.assembly import build_report
    from policing_cli.report.ranking import competition_ranks

    force = build_report(dataset, mapping, force_wide_request(dataset), period)
    period = force.period.period
    # (a failure here, e.g. a period no data hold, is an error for the whole run: exit 2)
    folder = out / period.label.replace("/", "-").replace(":", "-")
    folder.mkdir(parents=True, exist_ok=True)
    result = SnapshotResult(folder)
    provenance = provenance_line(dataset, mapping.path, timestamp=timestamp)
    force = replace(force, provenance=provenance)

    def emit(path: Path, text: str) -> None:
        changed = write_if_changed(path, text)
        (result.written if changed else result.unchanged).append(path)
        if on_file:
            on_file(f"{'wrote' if changed else 'unchanged'} {path}")

    used: set[str] = set()
    league: list[dict[str, Any]] = []
    exact: dict[str, Fraction | None] = {}  # each area's exact % change, for its rank
    for area in snapshot_areas(dataset):
        name = slug(area)
        while name in used or name == "index":
            name += "-2"
        used.add(name)
        try:
            report = build_report(dataset, mapping, area, period)
            report = replace(report, provenance=provenance)
            for fmt in formats:
                emit(folder / f"{name}.{EXTENSIONS[fmt]}", render_report(report, fmt))
        except (PolicingError, OSError) as err:
            result.failed.append((area, str(err)))
            if on_file:
                on_file(f"failed {area}: {err}")
            continue
        result.missed += report.missed
        # Index links go to the Markdown files where there are any (index.md is Markdown),
        # whatever order the formats were given in; index.html links to the HTML files.
        main_format = OutputFormat.MARKDOWN if OutputFormat.MARKDOWN in formats else formats[0]
        league.append(_league_row(report, f"{name}.{EXTENSIONS[main_format]}"))
        exact[report.area] = _total_change(report)
        if OutputFormat.HTML in formats:
            league[-1]["html_file"] = f"{name}.html"
    ranks = competition_ranks({r["area"]: exact.get(r["area"]) for r in league})
    league.sort(key=lambda r: (r["pct_change"] is None, r["pct_change"] or 0, r["area"]))
    for row in league:
        row["rank"] = ranks[row["area"]]
    has_map = _write_map(dataset, mapping, period, folder, emit, result)
    emit(folder / "index.md", index_markdown(force, league, result.failed, has_map))
    emit(folder / "index.json", index_json(force, league, result.failed))
    if OutputFormat.HTML in formats:
        emit(folder / "index.html", index_html(force, league, result.failed, has_map))
    return result


def _write_map(dataset, mapping, period, folder: Path, emit, result: SnapshotResult) -> bool:
    """The choropleth of total notifiable offences (% change), for London borough data."""
    from policing_cli.renderers.choropleth import default_boundaries, map_svg

    if not default_boundaries().exists():
        return False
    from policing_cli.renderers.choropleth import load_boundaries
    from policing_cli.report.areas import area_key

    names = {area_key(name) for name, _ in load_boundaries(default_boundaries())}
    if not names & {area_key(a) for a in snapshot_areas(dataset)}:
        return False  # not London borough data: no map to draw
    try:
        svg = map_svg(dataset, mapping, "Total notifiable offences", period)
    except PolicingError as err:
        result.failed.append(("map", str(err)))
        return False
    emit(folder / "map.svg", svg)
    return True


def _league_cells(league: list[dict[str, Any]]) -> list[list[str]]:
    from policing_cli.renderers import numbers
    from policing_cli.report.results import Row

    cells = []
    for row in league:
        exact = Row("", row["count"], row["baseline_count"]).pct_change_exact
        rank = "" if row["rank"] is None else str(row["rank"])
        cells.append([rank, row["area"], numbers.count(row["count"]),
                      numbers.change(row["change"]), numbers.pct(exact),
                      str(row["targets_missed"])])  # fmt: skip
    return cells


LEAGUE_COLUMNS = ["Rank", "Area", "Offences", "Change", "% change", "Targets missed"]


def index_markdown(
    force: Report,
    league: list[dict[str, Any]],
    failed: list[tuple[str, str]],
    has_map: bool = False,
) -> str:
    from policing_cli.renderers import markdown
    from policing_cli.renderers.escape import markdown_cell

    lines = [
        markdown.render(force).rstrip("\n"),
        "",
        "## League table: total notifiable offences",
        "",
    ]
    if has_map:
        lines += ["![Total notifiable offences: % change by borough](map.svg)", ""]
    lines.append("Ranked by % change, largest fall first.")
    lines.append("")
    cells = _league_cells(league)
    for cell, row in zip(cells, league, strict=True):
        cell[1] = f"[{markdown_cell(row['area'])}]({row['file']})"
    rows = [[c if i == 1 else markdown_cell(c) for i, c in enumerate(cell)] for cell in cells]
    from tabulate import tabulate

    lines.append(
        tabulate(rows, headers=LEAGUE_COLUMNS, tablefmt="github", disable_numparse=True,
                 colalign=("right", "left", "right", "right", "right", "right"))
    )  # fmt: skip
    if failed:
        lines += ["", "## Areas that failed", ""]
        lines += [f"- {markdown_cell(area)}: {markdown_cell(error)}" for area, error in failed]
    return "\n".join(lines) + "\n"


def index_json(force: Report, league: list[dict[str, Any]], failed: list[tuple[str, str]]) -> str:
    from policing_cli.renderers.json_format import as_dict, dumps

    payload = {
        "force_wide": as_dict(force),
        "league": league,
        "failed": [{"area": area, "error": error} for area, error in failed],
    }
    return dumps(payload)


def index_html(
    force: Report,
    league: list[dict[str, Any]],
    failed: list[tuple[str, str]],
    has_map: bool = False,
) -> str:
    from policing_cli.renderers import html

    page = html.render(force)
    cells = _league_cells(league)
    table = html.table(LEAGUE_COLUMNS, cells)
    for row in league:
        name = html.text(row["area"])
        table = table.replace(
            f">{name}</td>",
            f'><a href="{html.text(row.get("html_file", row["file"]))}">{name}</a></td>',
            1,
        )
    extra = (
        "<h2>League table: total notifiable offences</h2><p>Ranked by % change, largest fall first.</p>"
        + table
    )
    if has_map:
        extra = (
            '<p><img src="map.svg" alt="Total notifiable offences: % change by borough"></p>'
            + extra
        )
    if failed:
        extra += (
            "<h2>Areas that failed</h2><ul>"
            + "".join(f"<li>{html.text(a)}: {html.text(e)}</li>" for a, e in failed)
            + "</ul>"
        )
    return page.replace("\n</body></html>", f"\n{extra}\n</body></html>")

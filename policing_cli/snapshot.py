"""``policing snapshot``: every area's report written to a folder, for cron.

Each file is written atomically (temporary file, then rename) and only when its content
changed: a rerun on the same inputs leaves every file, and its modification time, as it
was. A failing area is reported and the others go on. Nothing is written outside the
output folder: file names come from area names through ``slug()``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.errors import PolicingError
from policing_cli.loaders.fingerprints import file_sha256
from policing_cli.output import destination, write_atomic
from policing_cli.report.periods import Period, month_label

if TYPE_CHECKING:
    from policing_cli.model import Dataset
    from policing_cli.renderers.formats import Format
    from policing_cli.report.categories import CategoryMap
    from policing_cli.report.results import Report

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


class InputDigests:
    """The SHA-256 of each input file (the provenance line names them), computed in a
    background thread (hashlib releases the GIL) while the reports are built: hashing a
    national archive of a gigabyte takes most of a second."""

    def __init__(self, dataset: Dataset) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(1, thread_name_prefix="policing-digest")
        self._digests = {
            path: self._pool.submit(file_sha256, Path(path))
            for path in _input_paths(dataset)
            if Path(path).is_file()
        }

    def of(self, path: Path) -> str:
        """The file's SHA-256 in hexadecimal (waiting for it if it is being computed)."""
        found = self._digests.get(str(path))
        return found.result() if found is not None else file_sha256(path)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _input_paths(dataset: Dataset) -> list[str]:
    """Every input file the provenance line names, in its order."""
    others = [str(x.path) for x in [*dataset.targets, *dataset.indicators]]
    return list(dict.fromkeys([*(source.path for source in dataset.sources), *others]))


def provenance_line(
    dataset: Dataset, mapping_path: str, *, timestamp: bool, digests: InputDigests | None = None
) -> str:
    """One line naming every input (with its SHA-256 and months), the tool version and the
    category mapping, and the generation time unless left out for byte-identical reruns."""
    from importlib.metadata import version

    digest_of = digests.of if digests is not None else file_sha256
    parts = []
    for source in dataset.sources:
        path = Path(source.path)
        digest = digest_of(path)[:16] if path.is_file() else "n/a"
        months = (
            f"{month_label(source.first_month)}..{month_label(source.last_month)}"
            if source.first_month is not None and source.last_month is not None
            else source.supplied
        )
        parts.append(f"{path.name} (sha256 {digest}, {months})")
    others = dict.fromkeys(str(x.path) for x in [*dataset.targets, *dataset.indicators])
    for other in others:
        path = Path(other)
        digest = digest_of(path)[:16] if path.is_file() else "n/a"
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


def snapshot_areas(dataset: Dataset, force: str | None = None) -> list[str]:
    """Every borough (or district of a force whose files are read) in the data: not the
    force-wide alias, not "Unknown", not a border district. With ``force`` (as the data
    spell it, see ``chosen_force``), only that force's own districts."""
    from policing_cli.report.forces import area_roles

    roles = area_roles(dataset)
    areas = {str(a) for a in dataset.frame[C.AREA].unique()}
    league = roles.league(sorted(areas))
    return sorted(a for a in league if force is None or roles.home[a] == force)


def chosen_force(dataset: Dataset, requested: str) -> str:
    """The force of the street files read that ``requested`` names ("sussex", "Sussex
    Police"), as the data spell it; a usage error naming the forces read otherwise."""
    import difflib

    from policing_cli.errors import UsageProblem
    from policing_cli.report.areas import force_key
    from policing_cli.report.forces import area_roles

    forces = area_roles(dataset).forces
    by_key = {force_key(f): f for f in forces}
    if force_key(requested) in by_key:
        return by_key[force_key(requested)]
    if not forces:
        raise UsageProblem(
            f"--force {requested!r}: the data read hold no data.police.uk street files, "
            "whose forces it chooses among"
        )
    close = difflib.get_close_matches(force_key(requested), list(by_key), n=3, cutoff=0.6)
    hint = f"did you mean {', '.join(repr(by_key[k]) for k in close)}? " if close else ""
    raise UsageProblem(
        f"no police force {requested!r} in the street files read: {hint}"
        f"forces read: {', '.join(forces)}"
    )


def force_wide_request(dataset: Dataset, force: str | None = None) -> str:
    """The force an index summarises: ``force`` if given; the Met's area for London files
    (or the Met's street files), else the force of the street files read (with several,
    the one policing most of the districts written)."""
    from policing_cli.report.areas import force_key
    from policing_cli.report.forces import area_roles

    if force is not None:
        return "london" if force_key(force) == "metropolitan" else force
    roles = area_roles(dataset)
    if not roles.forces or any(not force for force in roles.home.values()):
        return "london"
    if any(force_key(f) == "metropolitan" for f in roles.forces):
        return "london"
    owned = {f: sum(1 for v in roles.home.values() if v == f) for f in roles.forces}
    return max(sorted(owned), key=lambda f: owned[f])


def run_snapshot(
    dataset: Dataset,
    mapping: CategoryMap,
    period: Period | None,
    out: Path,
    formats: list[Format],
    *,
    timestamp: bool = True,
    on_file: Callable[[str], None] | None = None,
    force: str | None = None,
) -> SnapshotResult:
    """Every area's report in each format (only ``force``'s districts, if given: see
    ``chosen_force``), the map, and the index (Markdown and JSON, and HTML when HTML files
    are written)."""
    from policing_cli.document.attribution import attribution
    from policing_cli.document.index import Entry
    from policing_cli.document.options import RenderOptions
    from policing_cli.document.report import report_document
    from policing_cli.report.assembly import build_report
    from policing_cli.report.ranking import competition_ranks

    digests = InputDigests(dataset)
    try:
        summary = build_report(dataset, mapping, force_wide_request(dataset, force), period)
        period = summary.period.period
        # (a failure here, e.g. a period no data hold, is an error for the whole run: exit 2)
        folder = out / period.label.replace("/", "-").replace(":", "-")
        folder.mkdir(parents=True, exist_ok=True)
        result = SnapshotResult(folder)
        # Every report first (the inputs are hashed meanwhile), then the files.
        areas = snapshot_areas(dataset, force)
        built = [(area, *_built(dataset, mapping, area, period)) for area in areas]
        options = RenderOptions(
            provenance=provenance_line(dataset, mapping.path, timestamp=timestamp, digests=digests),
            attribution=attribution(dataset),
            origin=dataset.origin,
        )
    finally:
        digests.close()

    def emit(path: Path, text: str) -> None:
        changed = write_if_changed(path, text)
        (result.written if changed else result.unchanged).append(path)
        if on_file:
            on_file(f"{'wrote' if changed else 'unchanged'} {path}")

    used: set[str] = set()
    entries: list[Entry] = []
    for area, report, error in built:
        name = slug(area)
        while name in used or name == "index":
            name += "-2"
        used.add(name)
        files = {fmt.extension: f"{name}.{fmt.extension}" for fmt in formats}
        try:
            if error is not None:
                raise error
            assert report is not None
            document = report_document(report, options)
            for fmt in formats:
                emit(folder / files[fmt.extension], fmt.render(document))
        except (PolicingError, OSError) as err:
            result.failed.append((area, str(err)))
            if on_file:
                on_file(f"failed {area}: {err}")
            continue
        result.missed += report.missed
        entries.append(Entry(report, files))
    ranks = competition_ranks({e.report.area: e.pct_exact for e in entries})
    entries = sorted(
        (replace(e, rank=ranks[e.report.area]) for e in entries),
        key=lambda e: (e.pct_exact is None, e.pct_exact or 0, e.report.area),
    )
    map_svg = _write_map(dataset, mapping, period, folder, emit, result, force)
    _write_index(summary, entries, result, formats, map_svg, options, emit)
    return result


def _built(
    dataset: Dataset, mapping: CategoryMap, area: str, period: Period
) -> tuple[Report | None, PolicingError | OSError | None]:
    """One area's report, or why it failed (the others go on)."""
    from policing_cli.report.assembly import build_report

    try:
        return build_report(dataset, mapping, area, period), None
    except (PolicingError, OSError) as err:
        return None, err


def _write_index(force, entries, result: SnapshotResult, formats, map_svg, options, emit) -> None:
    """index.md and index.json always (the index a reader and a script open first), and
    the index in each other format written that a browser opens (index.html)."""
    from policing_cli.document.index import index_document
    from policing_cli.renderers.formats import HTML, JSON, MARKDOWN

    for fmt in [MARKDOWN, JSON, *(f for f in formats if f is HTML)]:
        document = index_document(
            force, entries, result.failed, extension=fmt.extension, map_svg=map_svg,
            options=options,
        )  # fmt: skip
        emit(result.folder / f"index.{fmt.extension}", fmt.render(document))


def _write_map(
    dataset, mapping, period, folder: Path, emit, result: SnapshotResult, force: str | None
) -> str | None:
    """The choropleth of total notifiable offences (% change), for London borough data:
    written to map.svg, and its text returned for the index to carry (None: no map)."""
    from policing_cli.loaders.boundaries import default_boundaries, load_boundaries

    if not default_boundaries().exists():
        return None
    from policing_cli.document.attribution import BOUNDARIES, OGL
    from policing_cli.renderers.choropleth import render_map
    from policing_cli.report.areas import area_key
    from policing_cli.report.maps import map_figures

    shapes = load_boundaries(default_boundaries())
    names = {area_key(name) for name, _ in shapes}
    if not names & {area_key(a) for a in snapshot_areas(dataset, force)}:
        return None  # not London borough data: no map to draw
    try:
        figures = map_figures(dataset, mapping, "Total notifiable offences", period)
        svg = render_map(shapes, figures, (OGL, BOUNDARIES))
    except PolicingError as err:
        result.failed.append(("map", str(err)))
        return None
    emit(folder / "map.svg", svg)
    return svg

"""From ``--data`` paths to one canonical table: detect each file's layout, load, combine.

When two files hold the same area and month (the London Datastore's historical file and its
most-recent-24-months file overlap by several months, with revised figures), the newer
release, the file whose data run later, supplies that month for that area, whole: mixing
categories from two releases (or two classification systems) in one month would double count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.errors import InputFormatError
from policing_cli.loaders import borough_wide, pas, tidy
from policing_cli.loaders.csv_text import sniff
from policing_cli.loaders.measures import (
    load_indicators,
    load_targets,
    matches_indicators,
    matches_targets,
)
from policing_cli.loaders.source import LoadedFile
from policing_cli.report.areas import area_key
from policing_cli.report.measures import Indicator, Target
from policing_cli.report.periods import describe_months

if TYPE_CHECKING:
    import pandas as pd

#: Layouts in the order they are tried; each module has ``matches(header)`` and ``load``.
LAYOUTS = (borough_wide, tidy)

KNOWN_LAYOUTS = (
    "MPS borough-level crime (Borough,Major Category,Minor Category,YYYYMM...; "
    "MajorText,MinorText,BoroughName or LookUp_BoroughName,YYYYMM...), "
    "MPS ward-level crime (MajorText,MinorText,WardName,WardCode,LookUp_BoroughName,YYYYMM...), "
    "tidy counts (area,period,category,count), "
    "targets (area,period,measure,kind,value), indicators (area,period,measure,value), "
    "MOPAC PAS dashboard (Date;Survey;Borough;Measure;Proportion;MPS)"
)


@dataclass
class SourceFile:
    """One input file as the report header describes it."""

    path: str
    layout: str
    first_month: int | None
    last_month: int | None
    supplied: str = ""  # months this file supplied after overlaps were resolved

    @property
    def name(self) -> str:
        return Path(self.path).name


@dataclass
class Dataset:
    """Everything loaded: the canonical table, where it came from, and what to tell the user."""

    frame: pd.DataFrame
    sources: list[SourceFile]
    notes: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)


def sample_data_folder() -> Path:
    """Where the bundled sample data are.

    Installed, they are package data (``policing_cli.sample_data``, mapped from the top-level
    ``sample_data/`` folder by pyproject.toml); run from a source checkout, they are that folder.
    """
    from importlib.resources import files

    installed = Path(str(files("policing_cli"))) / "sample_data"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "sample_data"


def sample_data_paths() -> list[Path]:
    """The bundled real London Datastore files."""
    folder = sample_data_folder()
    found = sorted(p for p in folder.glob("*.csv")) if folder.is_dir() else []
    if not found:
        raise InputFormatError(folder, "bundled sample data not found: reinstall policing")
    return found


SAMPLE_PREFIX = "sample:"


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given; folders searched recursively for CSV files (sorted, for stable output).

    ``sample:NAME`` names a folder of the bundled sample data (``sample:leaflet``).
    """
    out: list[Path] = []
    for path in paths:
        if str(path).startswith(SAMPLE_PREFIX):
            name = str(path)[len(SAMPLE_PREFIX) :]
            path = sample_data_folder() / name if name else sample_data_folder()
            if not path.is_dir():
                raise InputFormatError(path, "no such bundled sample (try sample:leaflet)")
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".csv" and p.is_file())
            if not found:
                raise InputFormatError(path, "folder holds no .csv files")
            out.extend(found)
        else:
            out.append(path)
    seen: set[Path] = set()
    unique = []
    for path in out:
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            unique.append(path)
    return unique


def load_file(path: Path) -> LoadedFile | list[Target] | list[Indicator]:
    """Detect the layout from the header and load one file."""
    sniffed = sniff(path)
    if pas.matches(sniffed.header):
        return pas.load(path, sniffed)
    if matches_targets(sniffed.header):
        return load_targets(path)
    if matches_indicators(sniffed.header):
        return load_indicators(path)
    for layout in LAYOUTS:
        if layout.matches(sniffed.header):
            if sniffed.delimiter != ",":
                name = {";": "semicolon", "\t": "tab"}[sniffed.delimiter]
                raise InputFormatError(
                    path, f"is {name}-separated: expected comma-separated values", line=1
                )
            return layout.load(path, sniffed)
    if sniffed.delimiter != "," and len(sniffed.header) > 1:
        name = {";": "semicolon", "\t": "tab"}[sniffed.delimiter]
        detail = f"a {name}-separated header"
    else:
        shown = ",".join(sniffed.header)
        detail = f"header '{shown[:80]}{'...' if len(shown) > 80 else ''}'"
    raise InputFormatError(
        path, f"unknown layout ({detail}): expected one of {KNOWN_LAYOUTS}", line=1
    )


def combine(loaded: list[LoadedFile]) -> Dataset:
    """One table from many files, the newer release winning where they overlap."""
    import pandas as pd

    notes = [note for item in loaded for note in item.notes]
    frames = []
    # Rank: data running later = newer release; on a tie, the file given later wins.
    order = sorted(
        range(len(loaded)),
        key=lambda i: (loaded[i].last_month if loaded[i].last_month is not None else -1, i),
    )
    rank = {index: position for position, index in enumerate(order)}
    for index, item in enumerate(loaded):
        frame = item.frame.copy()
        frame[C.SOURCE] = index
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    # Names repeat hundreds of thousands of times: categoricals make grouping cheap.
    for column in (C.AREA, C.PERIOD, C.MAJOR, C.MINOR):
        table[column] = table[column].astype("category")
    table["_key"] = table[C.AREA].map({n: area_key(n) for n in table[C.AREA].cat.categories})
    table["_rank"] = table[C.SOURCE].map(rank).astype("int64")
    best = table.groupby(["_key", C.PERIOD], observed=True)["_rank"].transform("max")
    table = table[table["_rank"] == best]
    # One spelling per area: the newest file's.
    spelling = table.sort_values("_rank").groupby("_key", observed=True)[C.AREA].last()
    table[C.AREA] = table["_key"].map(spelling.astype(str)).astype("category")
    table = table.drop(columns=["_key", "_rank"]).reset_index(drop=True)
    for column in (C.AREA, C.PERIOD, C.MAJOR, C.MINOR):
        table[column] = table[column].cat.remove_unused_categories()

    sources = []
    for index, item in enumerate(loaded):
        used = table[table[C.SOURCE] == index]
        months = sorted(m for m in set(used[C.MONTH]) if m != C.ANNUAL)
        annual = sorted(set(used.loc[used[C.MONTH] == C.ANNUAL, C.PERIOD]))
        supplied = ", ".join(
            filter(None, [describe_months(months) if months else "", ", ".join(annual)])
        )
        sources.append(
            SourceFile(
                item.path, item.layout, item.first_month, item.last_month, supplied or "nothing"
            )
        )
    return Dataset(table, sources, notes)


def load_dataset(
    paths: list[Path] | None,
    targets: list[Path] | None = None,
    indicators: list[Path] | None = None,
) -> Dataset:
    """Load every ``--data`` path (the bundled sample data when none is given).

    Count files, targets and indicators are told apart by their headers, so a folder can
    hold all three; ``--targets`` and ``--indicators`` files are added to what it holds.
    """
    files = expand_paths(paths) if paths else sample_data_paths()
    extra = [*(targets or []), *(indicators or [])]
    key = tuple(_stamp(path) for path in [*files, *extra])
    cached = _MEMO.get(key)
    if cached is None:
        counts: list[LoadedFile] = []
        found_targets: list[Target] = []
        found_indicators: list[Indicator] = []
        for path in files:
            loaded = load_file(path)
            if isinstance(loaded, LoadedFile):
                counts.append(loaded)
            elif loaded and isinstance(loaded[0], Target):
                found_targets += loaded  # type: ignore[arg-type]
            else:
                found_indicators += loaded  # type: ignore[arg-type]
        for path in targets or []:
            found_targets += load_targets(path)
        for path in indicators or []:
            sniffed = sniff(path)
            found_indicators += (
                pas.load(path, sniffed) if pas.matches(sniffed.header) else load_indicators(path)
            )
        if not counts:
            raise InputFormatError(
                files[0] if files else Path("."), "no crime count file among the inputs"
            )
        cached = combine(counts)
        cached.targets = found_targets
        cached.indicators = found_indicators
        _MEMO.clear()
        _MEMO[key] = cached
    return Dataset(
        cached.frame, cached.sources, list(cached.notes), cached.targets, cached.indicators
    )


#: The last dataset loaded in this process, keyed on each file's path, size and mtime, so a
#: program (or test session) that reports several times reads unchanged files once.
_MEMO: dict[tuple[tuple[str, int, int], ...], Dataset] = {}


def _stamp(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns)

"""From ``--data`` paths to one canonical table: detect each file's layout, load, combine.

When two files of one series (the same classification and level: the London Datastore's
historical file and its most-recent-24-months file overlap by several months, with revised
figures) hold the same area and month, the newer release, the file whose data run later,
supplies that month for that area, whole: mixing categories from two releases in one month
would double count. Files of different series (the Met's own categories and the Home Office
classes; borough and ward files) are all kept: each figure is later taken from one series
(report/comparison.py), never from two added together.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from policing_cli import columns as C
from policing_cli.errors import InputFormatError
from policing_cli.loaders import cache, pas, police_uk, population
from policing_cli.loaders.csv_text import check_header, sniff
from policing_cli.loaders.layout import Kind, Layout
from policing_cli.loaders.layouts import LAYOUTS, STREET, detect
from policing_cli.loaders.measures import INDICATORS, load_targets
from policing_cli.model import Dataset, Indicator, LoadedFile, SourceFile, Target
from policing_cli.report.areas import area_key
from policing_cli.report.distinct import distinct_rows
from policing_cli.report.periods import describe_months, describe_supplied, month_label

if TYPE_CHECKING:
    import pandas as pd

#: The columns a tidy file gives (its rows' force is "", their source added on combining).
TIDY_COLUMNS = (C.AREA, C.PERIOD, C.MONTH, C.MAJOR, C.MINOR, C.COUNT)


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


@dataclass(frozen=True)
class Input:
    """One thing to read: a file, or a zip archive's street files (``members``). ``shown``
    is its name in messages where ``path`` is a private copy (of a pipe or standard input)."""

    path: Path
    members: tuple[str, ...] = ()
    shown: str = ""

    @property
    def name(self) -> str:
        return self.shown or str(self.path)


def expand_paths(paths: list[Path]) -> tuple[list[Input], list[str]]:
    """What to read, and notes on what was skipped.

    Files as given; ``-`` (standard input), a pipe or a device read once into a private
    copy; folders searched recursively, symbolic links to folders followed (once each), for
    CSV files and zip archives (sorted, for stable output), and anything there that cannot
    be read, or is not a regular file, named in a note rather than dropped; zip archives read
    in place. ``sample:NAME`` names a folder of the bundled sample data (``sample:leaflet``).
    data.police.uk outcomes and stop-and-search files, which come in the same archives, are
    skipped with a note.
    """
    files: list[tuple[Path, str]] = []
    passed_over: list[str] = []
    for path in paths:
        if str(path).startswith(SAMPLE_PREFIX):
            name = str(path)[len(SAMPLE_PREFIX) :]
            path = sample_data_folder() / name if name else sample_data_folder()
            if not path.is_dir():
                raise InputFormatError(path, "no such bundled sample (try sample:leaflet)")
        if str(path) != "-" and path.is_dir():
            found, unread = _walk(path)
            passed_over += unread
            if not found:
                raise InputFormatError(path, "folder holds no .csv or .zip files")
            files.extend((p, "") for p in found)
        else:
            files.append(readable(path))
    inputs: list[Input] = []
    skipped: list[str] = []
    repeated: list[str] = []
    seen: set[Path] = set()
    for path, shown in files:
        resolved = path.resolve()
        if resolved in seen:
            repeated.append(path.name)
            continue
        seen.add(resolved)
        if police_uk.OTHER_FILES.search(path.name):
            skipped.append(path.name)
            continue
        if path.suffix.lower() == ".zip" and path.is_file():
            street, other = police_uk.zip_members(path)
            skipped += [f"{path.name}:{name}" for name in other]
            if not street:
                raise InputFormatError(
                    shown or path, "archive holds no data.police.uk *-street.csv files"
                )
            inputs.append(Input(path, tuple(street), shown))
        else:
            inputs.append(Input(path, shown=shown))
    notes = [f"{name} was given more than once: read once" for name in dict.fromkeys(repeated)]
    if skipped:
        shown_names = ", ".join(skipped[:3]) + (
            f" and {len(skipped) - 3} more" if len(skipped) > 3 else ""
        )
        notes.append(
            f"skipped {len(skipped)} file(s) that hold no street crime counts: {shown_names}"
        )
    notes += passed_over
    return inputs, notes


def _walk(folder: Path) -> tuple[list[Path], list[str]]:
    """The .csv and .zip files below a folder, following links to folders (each real folder
    once, so a link loop ends), and notes on what could not be read or is not a file."""
    found: list[Path] = []
    unread: list[str] = []
    visited: set[str] = set()

    def note(error: OSError) -> None:
        unread.append(f"{error.filename}: skipped, cannot be read ({error.strerror or error})")

    for top, folders, names in os.walk(folder, onerror=note, followlinks=True):
        real = os.path.realpath(top)
        if real in visited:
            folders[:] = []
            continue
        visited.add(real)
        folders.sort()
        for name in sorted(names):
            path = Path(top) / name
            if path.suffix.lower() not in (".csv", ".zip"):
                continue
            try:
                mode = path.stat().st_mode
            except OSError as err:
                unread.append(f"{path}: skipped, cannot be read ({err.strerror or err})")
                continue
            if stat.S_ISREG(mode):
                found.append(path)
            else:
                unread.append(f"{path}: skipped, not a regular file")
    return sorted(found), unread


#: How long to wait for the first bytes of a pipe (or between two reads) before saying that
#: nothing is writing to it, rather than waiting for ever.
PIPE_WAIT_SECONDS = 30
#: The most read from a pipe, a device or standard input (a larger input is a file to save
#: first: street archives run to gigabytes).
MAX_SPOOL_BYTES = 1024**3
_SPOOL: list[Path] = []


def readable(path: Path) -> tuple[Path, str]:
    """A path to read, and the name to show for it: the path itself for a regular file (or
    one that does not exist: the loaders say so), else a private copy of what ``-``
    (standard input), a pipe or a device holds, read exactly once."""
    if str(path) != "-":
        try:
            mode = os.stat(path).st_mode
        except OSError:
            return path, ""
        if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
            return path, ""
    return _spool(path), str(path) if str(path) != "-" else "standard input"


def _spool_stream(stream: IO[bytes], target: Path, shown: str) -> Path:
    total = 0
    with target.open("wb") as out:
        for block in iter(lambda: stream.read(1 << 20), b""):
            total += len(block)
            if total > MAX_SPOOL_BYTES:
                raise InputFormatError(
                    shown,
                    f"holds more than {MAX_SPOOL_BYTES // 1024**2:,} MB: save it to a file "
                    "and give the file",
                )
            out.write(block)
    return target


def _spool(path: Path) -> Path:
    import atexit
    import select
    import shutil
    import tempfile

    if not _SPOOL:
        _SPOOL.append(Path(tempfile.mkdtemp(prefix="policing-input-")))
        atexit.register(shutil.rmtree, _SPOOL[0], True)
    shown = "standard input" if str(path) == "-" else str(path)
    number = len(list(_SPOOL[0].iterdir()))
    target = _SPOOL[0] / f"{number}-{'stdin' if str(path) == '-' else path.name or 'input'}"
    if str(path) == "-":
        if sys.stdin is None or sys.stdin.isatty():
            raise InputFormatError(shown, "is a terminal: pipe a file into it (… | policing …)")
        try:
            handle = sys.stdin.buffer.fileno()
        except (AttributeError, OSError, ValueError):  # a stream with no file (tests, embedding)
            return _as_archive(_spool_stream(sys.stdin.buffer, target, shown))
        close = False
    else:
        try:
            handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError as err:
            raise InputFormatError(shown, f"cannot be read ({err.strerror or err})") from err
        close = True
    waiting = select.poll()
    waiting.register(handle, select.POLLIN)
    total = 0
    try:
        with target.open("wb") as out:
            while True:
                if not waiting.poll(PIPE_WAIT_SECONDS * 1000):
                    raise InputFormatError(
                        shown,
                        f"nothing arrived for {PIPE_WAIT_SECONDS} seconds: is anything writing "
                        "to it?",
                    )
                try:
                    block = os.read(handle, 1 << 20)
                except BlockingIOError:
                    continue
                if not block:
                    break
                total += len(block)
                if total > MAX_SPOOL_BYTES:
                    raise InputFormatError(
                        shown,
                        f"holds more than {MAX_SPOOL_BYTES // 1024**2:,} MB: save it to a file "
                        "and give the file",
                    )
                out.write(block)
    finally:
        if close:
            os.close(handle)
    return _as_archive(target)


def _as_archive(target: Path) -> Path:
    """A copy that holds a zip archive is named as one (archives are told by their name)."""
    with target.open("rb") as copied:
        head = copied.read(4)
    if head == b"PK\x03\x04":
        target = target.rename(target.with_name(target.name + ".zip"))
    return target


#: Below this size an input is not cached on its own (parsing it is as quick as reading an
#: entry); the combined entry of all inputs still serves it.
SMALL_INPUT_BYTES = 64 * 1024


def load_file(
    item: Input,
    use_cache: bool = True,
    on_bytes: Callable[[int], None] | None = None,
    fingerprint: cache.Fingerprint | None = None,
) -> LoadedFile | list[Target] | list[Indicator]:
    """Detect the layout from the header and load one input (through the cache, by the
    fingerprint of what is read). A file that changes while it is read is an error: its
    figures could mix two versions (an archive replaced between two of its members)."""
    fingerprint = fingerprint or cache.fingerprint(item.path)
    cacheable = use_cache and fingerprint is not None
    with shown_as(item):
        loaded, hit, layout = _load(item, fingerprint if cacheable else None, on_bytes)
    if item.shown and isinstance(loaded, LoadedFile):
        loaded = replace(loaded, path=item.shown)  # what the user gave, not the private copy
    if fingerprint is not None and not cache.unchanged(fingerprint):
        raise InputFormatError(
            item.name, "changed while it was being read: read it again once it is complete"
        )
    if cacheable and not hit and layout.cacheable and not _small(fingerprint):
        if layout.kind is Kind.COUNTS:
            cache.put(fingerprint, loaded)  # type: ignore[arg-type]
        elif layout.kind is Kind.INDICATORS:
            cache.put_indicators(fingerprint, loaded)  # type: ignore[arg-type]
    return loaded


@contextmanager
def shown_as(item: Input) -> Iterator[None]:
    """Errors about a private copy (of a pipe, standard input) name what the user gave."""
    try:
        yield
    except InputFormatError as err:
        if item.shown and err.path == str(item.path):
            raise InputFormatError(
                item.shown, err.problem, line=err.line, column=err.column
            ) from err
        raise


def _small(fingerprint: cache.Fingerprint | None) -> bool:
    return fingerprint is not None and fingerprint.identity[2] < SMALL_INPUT_BYTES


def _load(
    item: Input, fingerprint: cache.Fingerprint | None, on_bytes: Callable[[int], None] | None
) -> tuple[Any, bool, Layout]:
    """The input's contents, whether they came from the cache, and its layout."""
    path = item.path
    if item.members:
        loaded = cache.get(fingerprint) if fingerprint else None
        if loaded is not None:
            return loaded, True, STREET
        members = [(path, m) for m in item.members]
        return police_uk.load_many(members, str(path), on_bytes), False, STREET
    sniffed = sniff(path)
    check_header(path, sniffed.header)
    layout = detect(path, sniffed)
    if layout.cacheable and fingerprint is not None and not _small(fingerprint):
        get = cache.get if layout.kind is Kind.COUNTS else cache.get_indicators
        found = get(fingerprint)
        if found is not None:
            return found, True, layout
    return layout.load(path, sniffed, on_bytes), False, layout


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
    # Files given as plain lists (small tidy files, perhaps thousands) become one table.
    lists: dict[str, list[Any]] = {c: [] for c in (*TIDY_COLUMNS, C.SOURCE, C.FORCE)}
    for index, item in enumerate(loaded):
        if item.frame is None and item.columns is not None:
            size = len(item.columns[C.AREA])
            for column in TIDY_COLUMNS:
                lists[column].extend(item.columns[column])
            lists[C.SOURCE].extend([index] * size)
            lists[C.FORCE].extend([""] * size)
            continue
        frame = item.table.copy()
        frame[C.SOURCE] = index
        if C.FORCE not in frame:
            frame[C.FORCE] = ""
        frames.append(frame)
    if lists[C.AREA]:
        joined = pd.DataFrame(lists)
        frames.append(joined.astype({C.MONTH: "int64", C.COUNT: "int64", C.SOURCE: "int64"}))
    table = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    # Names repeat hundreds of thousands of times: categoricals make grouping cheap.
    for column in (C.AREA, C.PERIOD, C.MAJOR, C.MINOR, C.FORCE):
        table[column] = table[column].astype("category")
    table["_key"] = table[C.AREA].map({n: area_key(n) for n in table[C.AREA].cat.categories})
    table["_rank"] = table[C.SOURCE].map(rank).astype("int64")
    series = {index: "|".join(_series(item)) for index, item in enumerate(loaded)}
    table["_series"] = table[C.SOURCE].map(series).astype("category")
    # The unit a release replaces: an area's month in borough and tidy files; a force's
    # month in street files (two forces' files both hold Westminster crimes, and a revised
    # force-month replaces the old one whole, districts it no longer lists included).
    street = (table[C.MAJOR] == C.STREET_MAJOR).to_numpy()
    table["_unit"] = table["_key"].astype(str).where(~street, "")
    unit = ["_series", C.FORCE, "_unit", C.PERIOD]
    best = table.groupby(unit, observed=True)["_rank"].transform("max")
    superseded = table[table["_rank"] != best]
    if not superseded.empty:
        winners = table.loc[table["_rank"] == best, [*unit, C.SOURCE]]
        # A London Datastore release revising an older one is the normal case, shown in
        # each report's list of sources; the same street force-month or tidy figure read
        # twice is worth a note.
        noted = superseded[superseded[C.MAJOR].isin([C.STREET_MAJOR, ""])]
        # One note per file that won, however many files it replaced: a folder and the
        # archive holding the same months read together say so once, with a month range.
        replaced: dict[tuple[str, ...], tuple[set[str], set[int], set[str]]] = {}
        for source, rows in noted.groupby(C.SOURCE):
            keys = rows[unit].drop_duplicates()
            won = keys.merge(winners.drop_duplicates(), on=unit)
            names = tuple(sorted({Path(loaded[int(i)].path).name for i in won[C.SOURCE].unique()}))
            losers, months, labels = replaced.setdefault(names, (set(), set(), set()))
            losers.add(Path(loaded[int(source)].path).name)
            months.update(int(m) for m in rows[C.MONTH].unique() if m != C.ANNUAL)
            labels.update(str(p) for p in rows.loc[rows[C.MONTH] == C.ANNUAL, C.PERIOD].unique())
        for names, (losers, months, labels) in replaced.items():
            what = ", ".join(([describe_months(sorted(months))] if months else []) + sorted(labels))
            shown = sorted(losers)
            files = (
                shown[0] if len(shown) == 1 else f"{len(shown)} files ({shown[0]} .. {shown[-1]})"
            )
            notes.append(
                f"{what}: read twice, in {files} and in {', '.join(names)}; counted once, "
                f"from {', '.join(names)} (the newer release wins)"
            )
    table = table[table["_rank"] == best]
    _refuse_mixed_layouts(table, loaded)
    # One spelling per area: the newest file's.
    spelling = table.sort_values("_rank").groupby("_key", observed=True)[C.AREA].last()
    table[C.AREA] = table["_key"].map(spelling.astype(str)).astype("category")
    table = table.drop(columns=["_key", "_rank", "_unit", "_series"]).reset_index(drop=True)
    for column in (C.AREA, C.PERIOD, C.MAJOR, C.MINOR, C.FORCE):
        table[column] = table[column].cat.remove_unused_categories()

    sources = []
    # What each file supplied, in one pass (not one scan of the table per file).
    held_months: dict[int, set[int]] = {}
    held_annual: dict[int, set[str]] = {}
    for source, month, period in distinct_rows(table, [C.SOURCE, C.MONTH, C.PERIOD]):
        if month == C.ANNUAL:
            held_annual.setdefault(int(source), set()).add(str(period))
        else:
            held_months.setdefault(int(source), set()).add(int(month))
    for index, item in enumerate(loaded):
        supplied = describe_supplied(
            sorted(held_months.get(index, ())), sorted(held_annual.get(index, ()))
        )
        sources.append(
            SourceFile(
                item.path,
                item.layout,
                item.first_month,
                item.last_month,
                supplied or "nothing",
                item.held_months,
                *_series(item),
            )
        )
    outcome_frames = []
    for index, item in enumerate(loaded):
        if item.outcomes is not None:
            frame = item.outcomes.copy()
            frame[C.SOURCE] = index
            outcome_frames.append(frame)
    outcomes = None
    if outcome_frames:
        # Keep the outcomes of the force-months whose counts were kept.
        kept = table.loc[table[C.MAJOR] == C.STREET_MAJOR, [C.SOURCE, C.FORCE, C.MONTH]]
        kept = kept.drop_duplicates().astype({C.FORCE: str})
        outcomes = pd.concat(outcome_frames, ignore_index=True)
        outcomes[C.FORCE] = outcomes[C.FORCE].astype(str)
        outcomes = outcomes.merge(kept, on=[C.SOURCE, C.FORCE, C.MONTH])
        for column in (C.AREA, C.FORCE, C.MINOR, "outcome"):
            outcomes[column] = outcomes[column].astype(str).astype("category")
    return Dataset(table, tuple(sources), tuple(notes), outcomes=outcomes)


def _series(item: LoadedFile) -> tuple[str, str]:
    """A loaded file's classification and level (files of older cache entries have none)."""
    return (item.classification or item.layout, item.level)


def load_dataset(
    paths: list[Path] | None,
    targets: list[Path] | None = None,
    indicators: list[Path] | None = None,
    *,
    use_cache: bool = True,
    populations: list[Path] | None = None,
    progress: Callable[[int], Callable[[int], None]] | None = None,
) -> Dataset:
    """Load every ``--data`` path (the bundled sample data when none is given).

    Count files, targets and indicators are told apart by their headers, so a folder can
    hold all three; ``--targets`` and ``--indicators`` files are added to what it holds.
    """
    if paths:
        inputs, skipped = expand_paths(paths)
    else:
        inputs, skipped = [Input(p) for p in sorted(sample_data_paths(), key=_bundled_order)], []
    # Targets, indicators and population files as readable paths (a pipe read once).
    targets = [readable(p)[0] for p in targets or []]
    indicators = [readable(p)[0] for p in indicators or []]
    populations = [readable(p)[0] for p in populations or []]
    extra = [*targets, *indicators, *populations]
    prints = {item: cache.fingerprint(item.path) for item in inputs}
    key = (
        use_cache,
        *(_token(item.path, prints[item]) for item in inputs),
        *(_token(path, cache.fingerprint(path)) for path in extra),
    )
    cached = _MEMO.get(key)
    if cached is None:
        found_targets: list[Target] = []
        found_indicators: list[Indicator] = []
        found_population: dict[tuple[str, int], int] = {}
        count_inputs: list[Input] = []
        for item in inputs:
            kind = _kind(item)
            if kind is Kind.COUNTS:
                count_inputs.append(item)
                continue
            found = load_file(item, use_cache, fingerprint=prints[item])
            if kind is Kind.TARGETS:
                found_targets += found  # type: ignore[operator]
            elif kind is Kind.INDICATORS:
                found_indicators += found  # type: ignore[operator]
            else:
                found_population.update(found)  # type: ignore[arg-type]
        if not count_inputs:
            raise InputFormatError(
                inputs[0].name if inputs else Path("."), "no crime count file among the inputs"
            )
        fingerprints = [prints[item] for item in count_inputs]
        whole = use_cache and all(f is not None for f in fingerprints)
        combined = cache.get_combined(fingerprints) if whole else None  # type: ignore[arg-type]
        if combined is None:
            combined = combine(_read_all(count_inputs, use_cache, progress, prints))
            if whole and all(cache.unchanged(f) for f in fingerprints):  # type: ignore[arg-type]
                cache.put_combined(fingerprints, combined)  # type: ignore[arg-type]
        for path in targets:
            found_targets += load_targets(path)
        for path in indicators:
            sniffed = sniff(path)
            layout = pas.LAYOUT if pas.matches(sniffed.header) else INDICATORS
            found_indicators += layout.load(path, sniffed, None)
        for path in populations:
            sniffed = sniff(path)
            if not population.matches(sniffed.header):
                raise InputFormatError(
                    path,
                    "expected the header 'area,year,population' (or a GLA population file)",
                    line=1,
                )
            found_population.update(population.load(path, sniffed))
        if not found_population:
            # Population estimates are reference data, not crime data: the bundled estimates
            # serve whatever crime files are read, unless others are given. ONS's district
            # estimates (England and Wales) first, then the GLA's for London's boroughs,
            # which the London Datastore publishes with its crime figures and which win.
            for path in sorted(sample_data_paths(), key=_bundled_order):
                sniffed = sniff(path)
                if population.matches(sniffed.header):
                    found_population.update(population.load(path, sniffed))
        cached = replace(
            combined,
            notes=(*skipped, *combined.notes),
            targets=tuple(found_targets),
            indicators=tuple(found_indicators),
            population=found_population,
        )
        _MEMO.clear()
        _MEMO[key] = cached
    return cached


def _bundled_order(path: Path) -> tuple[bool, str]:
    """The bundled files in the order they are read: ONS's district population estimates
    of England and Wales before the GLA's London borough estimates, which win for London
    (the London Datastore publishes them with its crime figures)."""
    return (not path.name.startswith("ons_"), path.name)


def _read_all(
    items: list[Input],
    use_cache: bool,
    progress: Callable[[int], Callable[[int], None]] | None,
    prints: dict[Input, cache.Fingerprint | None],
) -> list[LoadedFile]:
    """Load every count input; ``progress(total_bytes)`` (for large inputs only) returns the
    callback each reader calls with the bytes it has read."""
    total = sum(_size(item.path) for item in items)
    on_bytes = progress(total) if progress is not None and total >= PROGRESS_BYTES else None
    loaded = []
    for item in items:
        result = load_file(item, use_cache, on_bytes, prints.get(item))
        loaded.append(result)  # type: ignore[arg-type]
    return loaded  # type: ignore[return-value]


#: Inputs this large (about a second to read) get a progress bar on a terminal.
PROGRESS_BYTES = 200 * 1024 * 1024


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _refuse_mixed_layouts(table: pd.DataFrame, loaded: list[LoadedFile]) -> None:
    """Street-level counts and the Met's borough counts of the same area and month measure
    the same crimes twice: adding them would double count, picking one silently would hide
    a choice. Say so and stop."""
    street = (table[C.MAJOR] == C.STREET_MAJOR).to_numpy()
    monthly = (table[C.MONTH] != C.ANNUAL).to_numpy()
    named = (table[C.AREA].astype(str) != "").to_numpy()
    left = table.loc[street & named & monthly, ["_key", C.MONTH, C.SOURCE]]
    right = table.loc[~street & monthly, ["_key", C.MONTH, C.SOURCE]]
    if left.empty or right.empty:
        return
    both = left.drop_duplicates(["_key", C.MONTH]).merge(
        right.drop_duplicates(["_key", C.MONTH]), on=["_key", C.MONTH]
    )
    if both.empty:
        return
    first = both.iloc[0]
    area = table.loc[table["_key"] == first["_key"], C.AREA].iloc[0]
    raise InputFormatError(
        Path(loaded[int(first[f"{C.SOURCE}_x"])].path).name,
        f"street-level counts for {area} {month_label(int(first[C.MONTH]))} would be added to the "
        f"borough counts of {Path(loaded[int(first[f'{C.SOURCE}_y'])].path).name}: report "
        "street-level and borough-level files separately",
    )


def _kind(item: Input) -> Kind:
    """What an input holds, from its header (archives hold counts). An unknown header is
    taken for counts here; loading it says what is wrong."""
    if item.members:
        return Kind.COUNTS
    with shown_as(item):
        header = sniff(item.path).header
    return next((layout.kind for layout in LAYOUTS if layout.matches(header)), Kind.COUNTS)


#: The last dataset loaded in this process, keyed on each input's fingerprint (content,
#: size, times), so a program (or test session) that reports several times reads unchanged
#: files once.
_MEMO: dict[tuple[object, ...], Dataset] = {}


def _token(path: Path, fingerprint: cache.Fingerprint | None) -> str:
    """What an input was, for the in-process memo: its fingerprint, or for what cannot be
    fingerprinted (a missing file: the loaders will say so), a key that never repeats."""
    if fingerprint is not None:
        return fingerprint.token
    import uuid

    return f"{path}|{uuid.uuid4()}"

"""From ``--data`` paths to one dataset: tell what each input holds, load it (through the
cache), combine the count files, and add the targets, indicators and population estimates.

What to read is ``paths``; how the count files become one table (newer releases winning
where they overlap) is ``combine``; each layout is one module listed in ``layouts``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from policing_cli.errors import InputFormatError
from policing_cli.loaders import cache, fingerprints, pas, police_uk, population
from policing_cli.loaders.combine import combine
from policing_cli.loaders.csv_text import check_header, sniff
from policing_cli.loaders.fingerprints import Fingerprint
from policing_cli.loaders.layout import Kind, Layout
from policing_cli.loaders.layouts import LAYOUTS, STREET, detect
from policing_cli.loaders.measures import INDICATORS, load_targets
from policing_cli.loaders.paths import Input, expand_paths, readable, sample_data_paths, shown_as
from policing_cli.loaders.street_counts import warm_up_pandas
from policing_cli.model import Dataset, Indicator, LoadedFile, Target

#: Below this size an input is not cached on its own (parsing it is as quick as reading an
#: entry); the combined entry of all inputs still serves it.
SMALL_INPUT_BYTES = 64 * 1024


def load_file(
    item: Input,
    use_cache: bool = True,
    on_bytes: Callable[[int], None] | None = None,
    fingerprint: Fingerprint | None = None,
) -> LoadedFile | list[Target] | list[Indicator]:
    """Detect the layout from the header and load one input (through the cache, by the
    fingerprint of what is read). A file that changes while it is read is an error: its
    figures could mix two versions (an archive replaced between two of its members)."""
    fingerprint = fingerprint or fingerprints.fingerprint(item.path)
    cacheable = use_cache and fingerprint is not None
    with shown_as(item):
        loaded, hit, layout = _load(item, fingerprint if cacheable else None, on_bytes)
    if item.shown and isinstance(loaded, LoadedFile):
        loaded = replace(loaded, path=item.shown)  # what the user gave, not the private copy
    if fingerprint is not None and not fingerprints.unchanged(fingerprint):
        raise InputFormatError(
            item.name, "changed while it was being read: read it again once it is complete"
        )
    if cacheable and not hit and layout.cacheable and not _small(fingerprint):
        if layout.kind is Kind.COUNTS:
            cache.put(fingerprint, loaded)  # type: ignore[arg-type]
        elif layout.kind is Kind.INDICATORS:
            cache.put_indicators(fingerprint, loaded)  # type: ignore[arg-type]
    return loaded


def _small(fingerprint: Fingerprint | None) -> bool:
    return fingerprint is not None and fingerprint.identity[2] < SMALL_INPUT_BYTES


def _load(
    item: Input, fingerprint: Fingerprint | None, on_bytes: Callable[[int], None] | None
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
    # pandas (half a second to import) is imported meanwhile, while inputs are fingerprinted
    # and cache entries read and checked (which release the GIL).
    warm_up_pandas()
    if paths:
        inputs, skipped = expand_paths(paths)
    else:
        inputs, skipped = [Input(p) for p in sample_data_paths()], []
    # Targets, indicators and population files as readable paths (a pipe read once).
    targets = [readable(p)[0] for p in targets or []]
    indicators = [readable(p)[0] for p in indicators or []]
    populations = [readable(p)[0] for p in populations or []]
    prints = {item: fingerprints.fingerprint(item.path) for item in inputs}
    key = _memo_key(use_cache, inputs, prints, [*targets, *indicators, *populations])
    dataset = MEMO.get(key)
    if dataset is None:
        count_inputs, found = _load_measures(inputs, use_cache, prints)
        if not count_inputs:
            raise InputFormatError(
                inputs[0].name if inputs else Path("."), "no crime count file among the inputs"
            )
        combined = _combined(count_inputs, use_cache, progress, prints)
        given = _given_measures(targets, indicators, populations)
        # Population estimates are reference data, not crime data: the bundled estimates
        # serve whatever crime files are read, unless others are given.
        population = {**found.population, **given.population} or _bundled_population()
        dataset = replace(
            combined,
            notes=(*skipped, *combined.notes),
            targets=(*found.targets, *given.targets),
            indicators=(*found.indicators, *given.indicators),
            population=population,
        )
        MEMO.put(key, dataset)
    return dataset


@dataclass(frozen=True)
class _Measures:
    """What goes beside the counts: targets, indicators and population estimates."""

    targets: tuple[Target, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    population: dict[tuple[str, int], int] = field(default_factory=dict)


def _load_measures(
    inputs: list[Input], use_cache: bool, prints: dict[Input, Fingerprint | None]
) -> tuple[list[Input], _Measures]:
    """The count inputs among ``inputs`` (read later, together), and the targets,
    indicators and population estimates the others hold, read now."""
    targets: list[Target] = []
    indicators: list[Indicator] = []
    population: dict[tuple[str, int], int] = {}
    count_inputs: list[Input] = []
    for item in inputs:
        kind = _kind(item)
        if kind is Kind.COUNTS:
            count_inputs.append(item)
            continue
        found = load_file(item, use_cache, fingerprint=prints[item])
        if kind is Kind.TARGETS:
            targets += found  # type: ignore[operator]
        elif kind is Kind.INDICATORS:
            indicators += found  # type: ignore[operator]
        else:
            population.update(found)  # type: ignore[arg-type]
    return count_inputs, _Measures(tuple(targets), tuple(indicators), population)


def _combined(
    count_inputs: list[Input],
    use_cache: bool,
    progress: Callable[[int], Callable[[int], None]] | None,
    prints: dict[Input, Fingerprint | None],
) -> Dataset:
    """The count inputs as one dataset: from the combined cache entry of exactly these
    unchanged inputs, else read (each through its own entry) and combined."""
    count_prints = [prints[item] for item in count_inputs]
    whole = use_cache and all(f is not None for f in count_prints)
    combined = cache.get_combined(count_prints) if whole else None  # type: ignore[arg-type]
    if combined is None:
        combined = combine(_read_all(count_inputs, use_cache, progress, prints))
        if whole and all(fingerprints.unchanged(f) for f in count_prints):  # type: ignore[arg-type]
            cache.put_combined(count_prints, combined)  # type: ignore[arg-type]
    return combined


def _given_measures(
    targets: list[Path], indicators: list[Path], populations: list[Path]
) -> _Measures:
    """The ``--targets``, ``--indicators`` and ``--population`` files: each option says
    what its files hold, so only their header's variant is told from the header."""
    found_targets: list[Target] = []
    found_indicators: list[Indicator] = []
    found_population: dict[tuple[str, int], int] = {}
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
    return _Measures(tuple(found_targets), tuple(found_indicators), found_population)


def _bundled_population() -> dict[tuple[str, int], int]:
    """The bundled population estimates: ONS's district estimates (England and Wales)
    first, then the GLA's for London's boroughs, which the London Datastore publishes with
    its crime figures and which win."""
    found: dict[tuple[str, int], int] = {}
    for path in sample_data_paths():
        sniffed = sniff(path)
        if population.matches(sniffed.header):
            found.update(population.load(path, sniffed))
    return found


def _read_all(
    items: list[Input],
    use_cache: bool,
    progress: Callable[[int], Callable[[int], None]] | None,
    prints: dict[Input, Fingerprint | None],
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


def _kind(item: Input) -> Kind:
    """What an input holds, from its header (archives hold counts). An unknown header is
    taken for counts here; loading it says what is wrong."""
    if item.members:
        return Kind.COUNTS
    with shown_as(item):
        header = sniff(item.path).header
    return next((layout.kind for layout in LAYOUTS if layout.matches(header)), Kind.COUNTS)


class DatasetMemo:
    """The last dataset loaded in this process, with the key it was loaded under.

    The key is what was read (each input's fingerprint: path, content, size, times) and
    whether the cache was used, so a program (or a test session, or a snapshot) that reports
    several times reads unchanged files once, and a changed file is read again. Only the
    last dataset is kept: a long run over many inputs holds one, not all of them.
    """

    def __init__(self) -> None:
        self._key: tuple[object, ...] | None = None
        self._dataset: Dataset | None = None

    def get(self, key: tuple[object, ...]) -> Dataset | None:
        """The dataset loaded under ``key``, if it is the last one loaded."""
        return self._dataset if key == self._key else None

    def put(self, key: tuple[object, ...], dataset: Dataset) -> None:
        """Keep ``dataset`` under ``key``, forgetting the one kept before."""
        self._key, self._dataset = key, dataset

    def clear(self) -> None:
        """Forget the kept dataset, as a new process would start."""
        self._key = self._dataset = None


#: The one memo of this process, read and written by ``load_dataset`` only.
MEMO = DatasetMemo()


def _memo_key(
    use_cache: bool,
    inputs: list[Input],
    prints: dict[Input, Fingerprint | None],
    extra: list[Path],
) -> tuple[object, ...]:
    """The memo's key for one load: what each input was, and whether the cache was used."""
    return (
        use_cache,
        *(_token(item.path, prints[item]) for item in inputs),
        *(_token(path, fingerprints.fingerprint(path)) for path in extra),
    )


def _token(path: Path, fingerprint: Fingerprint | None) -> str:
    """What an input was, for the in-process memo: its fingerprint, or for what cannot be
    fingerprinted (a missing file: the loaders will say so), a key that never repeats."""
    if fingerprint is not None:
        return fingerprint.token
    import uuid

    return f"{path}|{uuid.uuid4()}"

"""Many loaded files made one dataset: overlaps resolved, newer releases winning.

When two files of one series (the same classification and level: the London Datastore's
historical file and its most-recent-24-months file overlap by several months, with revised
figures) hold the same area and month, the newer release, the file whose data run later,
supplies that month for that area, whole: mixing categories from two releases in one month
would double count. Files of different series (the Met's own categories and the Home Office
classes; borough and ward files) are all kept: each figure is later taken from one series
(report/comparison.py), never from two added together. Street-level and borough counts of
one area and month are refused: they count the same crimes twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from policing_cli import columns as C
from policing_cli.errors import InputFormatError
from policing_cli.model import Dataset, LoadedFile, SourceFile
from policing_cli.report.areas import area_key
from policing_cli.report.distinct import distinct_rows
from policing_cli.report.periods import describe_months, describe_supplied, month_label

if TYPE_CHECKING:
    import pandas as pd

#: The columns a tidy file gives (its rows' force is "", their source added on combining).
TIDY_COLUMNS = (C.AREA, C.PERIOD, C.MONTH, C.MAJOR, C.MINOR, C.COUNT)
#: Names repeat hundreds of thousands of times: categoricals make grouping cheap.
_NAMES = (C.AREA, C.PERIOD, C.MAJOR, C.MINOR, C.FORCE)


def combine(loaded: list[LoadedFile]) -> Dataset:
    """One table from many files, the newer release winning where they overlap."""
    notes = [note for item in loaded for note in item.notes]
    table, replaced = _newest_releases(_joined(loaded), loaded)
    notes += replaced
    _refuse_mixed_layouts(table, loaded)
    table = _tidied(table)
    return Dataset(
        table, _sources(table, loaded), tuple(notes), outcomes=_kept_outcomes(table, loaded)
    )


def _joined(loaded: list[LoadedFile]) -> pd.DataFrame:
    """Every file's rows in one table, with what resolving overlaps needs: each area's key,
    each file's rank (the newer release ranks higher) and series, and the unit a release
    replaces."""
    import pandas as pd

    frames = _frames(loaded)
    table = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    for column in _NAMES:
        table[column] = table[column].astype("category")
    table["_key"] = table[C.AREA].map({n: area_key(n) for n in table[C.AREA].cat.categories})
    # Rank: data running later = newer release; on a tie, the file given later wins.
    order = sorted(
        range(len(loaded)),
        key=lambda i: (loaded[i].last_month if loaded[i].last_month is not None else -1, i),
    )
    rank = {index: position for position, index in enumerate(order)}
    table["_rank"] = table[C.SOURCE].map(rank).astype("int64")
    series = {index: "|".join(_series(item)) for index, item in enumerate(loaded)}
    table["_series"] = table[C.SOURCE].map(series).astype("category")
    # The unit a release replaces: an area's month in borough and tidy files; a force's
    # month in street files (two forces' files both hold Westminster crimes, and a revised
    # force-month replaces the old one whole, districts it no longer lists included).
    street = (table[C.MAJOR] == C.STREET_MAJOR).to_numpy()
    table["_unit"] = table["_key"].astype(str).where(~street, "")
    return table


def _frames(loaded: list[LoadedFile]) -> list[pd.DataFrame]:
    """Each file's rows with its source (its position among the files) and force; files
    given as plain lists (small tidy files, perhaps thousands) become one table."""
    import pandas as pd

    frames = []
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
    return frames


def _newest_releases(
    table: pd.DataFrame, loaded: list[LoadedFile]
) -> tuple[pd.DataFrame, list[str]]:
    """The rows of the newest release of each unit, and notes on what was read twice."""
    unit = ["_series", C.FORCE, "_unit", C.PERIOD]
    best = table.groupby(unit, observed=True)["_rank"].transform("max")
    superseded = table[table["_rank"] != best]
    notes = []
    if not superseded.empty:
        winners = table.loc[table["_rank"] == best, [*unit, C.SOURCE]]
        notes = _read_twice(superseded, winners, unit, loaded)
    return table[table["_rank"] == best], notes


def _read_twice(
    superseded: pd.DataFrame, winners: pd.DataFrame, unit: list[str], loaded: list[LoadedFile]
) -> list[str]:
    """A London Datastore release revising an older one is the normal case, shown in each
    report's list of sources; the same street force-month or tidy figure read twice is worth
    a note. One note per file that won, however many files it replaced: a folder and the
    archive holding the same months read together say so once, with a month range."""
    noted = superseded[superseded[C.MAJOR].isin([C.STREET_MAJOR, ""])]
    replaced: dict[tuple[str, ...], tuple[set[str], set[int], set[str]]] = {}
    for source, rows in noted.groupby(C.SOURCE):
        keys = rows[unit].drop_duplicates()
        won = keys.merge(winners.drop_duplicates(), on=unit)
        names = tuple(sorted({Path(loaded[int(i)].path).name for i in won[C.SOURCE].unique()}))
        losers, months, labels = replaced.setdefault(names, (set(), set(), set()))
        losers.add(Path(loaded[int(source)].path).name)
        months.update(int(m) for m in rows[C.MONTH].unique() if m != C.ANNUAL)
        labels.update(str(p) for p in rows.loc[rows[C.MONTH] == C.ANNUAL, C.PERIOD].unique())
    notes = []
    for names, (losers, months, labels) in replaced.items():
        what = ", ".join(([describe_months(sorted(months))] if months else []) + sorted(labels))
        shown = sorted(losers)
        files = shown[0] if len(shown) == 1 else f"{len(shown)} files ({shown[0]} .. {shown[-1]})"
        notes.append(
            f"{what}: read twice, in {files} and in {', '.join(names)}; counted once, "
            f"from {', '.join(names)} (the newer release wins)"
        )
    return notes


def _tidied(table: pd.DataFrame) -> pd.DataFrame:
    """The kept rows as the canonical table: one spelling per area (the newest file's), the
    working columns dropped, and no category left that no row holds."""
    spelling = table.sort_values("_rank").groupby("_key", observed=True)[C.AREA].last()
    table[C.AREA] = table["_key"].map(spelling.astype(str)).astype("category")
    table = table.drop(columns=["_key", "_rank", "_unit", "_series"]).reset_index(drop=True)
    for column in _NAMES:
        table[column] = table[column].cat.remove_unused_categories()
    return table


def _sources(table: pd.DataFrame, loaded: list[LoadedFile]) -> tuple[SourceFile, ...]:
    """Each file as the report header describes it, with what it supplied once overlaps
    were resolved, found in one pass (not one scan of the table per file)."""
    held_months: dict[int, set[int]] = {}
    held_annual: dict[int, set[str]] = {}
    for source, month, period in distinct_rows(table, [C.SOURCE, C.MONTH, C.PERIOD]):
        if month == C.ANNUAL:
            held_annual.setdefault(int(source), set()).add(str(period))
        else:
            held_months.setdefault(int(source), set()).add(int(month))
    sources = []
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
                force_months=item.force_months,
            )
        )
    return tuple(sources)


def _kept_outcomes(table: pd.DataFrame, loaded: list[LoadedFile]) -> pd.DataFrame | None:
    """The street files' counts by outcome, of the force-months whose counts were kept.

    Millions of rows at national scale: rows are picked by their force's category code
    and month (no text made row by row), and the name columns stay categorical, each with
    the sorted names its rows hold."""
    import numpy as np
    import pandas as pd

    sources = [(i, item.outcomes) for i, item in enumerate(loaded) if item.outcomes is not None]
    if not sources:
        return None
    kept = table.loc[table[C.MAJOR] == C.STREET_MAJOR, [C.SOURCE, C.FORCE, C.MONTH]]
    wanted: dict[int, set[tuple[str, int]]] = {}
    for source, force, month in distinct_rows(kept, [C.SOURCE, C.FORCE, C.MONTH]):
        wanted.setdefault(int(source), set()).add((str(force), int(month)))
    names = (C.AREA, C.FORCE, C.MINOR, "outcome")
    frames = []
    for index, outcomes in sources:
        frame = outcomes.astype({c: "category" for c in names if outcomes[c].dtype != "category"})
        forces = [str(f) for f in frame[C.FORCE].cat.categories]
        pair = frame[C.FORCE].cat.codes.to_numpy().astype(np.int64) << 32
        pair += frame[C.MONTH].to_numpy(dtype=np.int64)
        allowed = [
            (code << 32) + month
            for code, force in enumerate(forces)
            for (kept_force, month) in wanted.get(index, ())
            if kept_force == force
        ]
        keep = np.isin(pair, np.array(allowed, dtype=np.int64))
        frames.append((frame if keep.all() else frame[keep]).assign(**{C.SOURCE: index}))
    for column in names:
        # The names the kept rows use, sorted: each frame's categories recoded to them.
        used: set[str] = set()
        for frame in frames:
            values = frame[column].cat
            codes = values.codes.to_numpy()
            held = np.bincount(codes[codes >= 0], minlength=len(values.categories)) > 0
            used.update(str(c) for c in values.categories[held])
        every = pd.Index(sorted(used)).astype(str)
        for frame in frames:
            named = frame[column].cat.rename_categories(
                [str(c) for c in frame[column].cat.categories]
            )
            frame[column] = named.cat.set_categories(every)
    outcomes = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    outcomes = outcomes.reset_index(drop=True)
    return outcomes


def _series(item: LoadedFile) -> tuple[str, str]:
    """A loaded file's classification and level (files of older cache entries have none)."""
    return (item.classification or item.layout, item.level)


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

"""What each series of files holds, and the counts: the facts a like-for-like figure is
chosen from (the choosing is comparison.py's), and the values it is made of.

A *series* is the files of one classification and level (``SourceFile.series``): the Met's
own categories of 2008-2018, the Home Office classes in borough files, the same in ward
files, data.police.uk crime types, tidy counts. Within a series a newer release replaces an
older one area-month by area-month (``loaders.inputs.combine``). A series *holds* a category
for an area in a month when the file supplying that area and month defines the category (has
rows mapping to it, for any area: a category a release reports with no row for one area is 0
there, not missing) and lists the area. Street files hold every crime type in every month
they cover. A side is *whole* in a series when the series holds all its months (or, for a
financial or calendar year, an annual figure of it).

``Holdings`` answers those questions for the rows of one selection over a set of months, and
sums a series' counts into a ``Side``; ``holdings_for`` keeps one per dataset, mapping and
months, shared by a snapshot's reports and each report's context.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.report.categories import Break, CategoryMap
from policing_cli.report.distinct import distinct_rows

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from policing_cli.model import Dataset, SourceFile

Series = tuple[str, str]


@dataclass(frozen=True)
class Window:
    """The months of one side of a comparison, and the label of an annual figure that may
    stand for them (financial and calendar years only)."""

    months: tuple[int, ...]
    annual_label: str | None = None


@dataclass(frozen=True)
class Side:
    """One side of a comparison for one category and set of areas."""

    #: The whole period's figure; None where no series holds all of it.
    count: int | None
    #: Where the period is held only in part: the count over the months held.
    partial: int | None = None
    #: Months the figure covers (all the window's when whole; empty for an annual figure).
    months: tuple[int, ...] = ()
    annual: bool = False
    series: Series | None = None
    #: Source index -> months it supplied (annual figures: the label under -1).
    sources: dict[int, set[int]] = field(default_factory=dict)

    @property
    def held(self) -> bool:
        return self.count is not None or self.partial is not None


NOTHING = Side(None)


@dataclass(frozen=True)
class Figure:
    """A category's two sides, and what a reader must know to compare them."""

    category: str
    now: Side
    base: Side
    #: Both sides whole in one series.
    like_for_like: bool = False
    #: Definition breaks crossed by the months compared.
    breaks: tuple[Break, ...] = ()
    #: Areas of a several-area figure held only in part, left out of both sides.
    left_out: tuple[str, ...] = ()

    @property
    def comparable(self) -> bool:
        return self.now.count is not None and self.base.count is not None

    @property
    def crosses_classification(self) -> bool:
        return self.comparable and not self.like_for_like


class Holdings:
    """Which series hold which category for which area and month, and the counts, for the
    rows of one selection (an area, a force, everything) over a set of months."""

    def __init__(
        self,
        dataset: Dataset,
        mapping: CategoryMap,
        rows: pd.DataFrame,
        months: set[int],
        annual_labels: set[str] = frozenset(),  # type: ignore[assignment]
    ) -> None:
        self.dataset = dataset
        self.mapping = mapping
        sources = dataset.sources
        self.series_of = [s.series for s in sources]
        # Newer release = data running later; on a tie, the file given later (as combine()).
        order = sorted(
            range(len(sources)),
            key=lambda i: (sources[i].last_month if sources[i].last_month is not None else -1, i),
        )
        self.rank = {index: position for position, index in enumerate(order)}
        monthly = rows[rows[C.MONTH].isin(list(months))]
        annual = rows[(rows[C.MONTH] == C.ANNUAL) & rows[C.PERIOD].isin(list(annual_labels))]
        self.street = {i for i, s in enumerate(sources) if s.classification == C.STREET_TYPES}
        memo_key = ("defines", mapping.key)
        if memo_key not in dataset.memo:
            dataset.memo[memo_key] = _defined_categories(dataset, mapping, self.street)
        self.defines: dict[int, frozenset[str]] = dataset.memo[memo_key]  # type: ignore[assignment]
        self.cells = _supplying_cells(
            sources, self.series_of, self.street, rows, monthly, annual, months
        )
        self._monthly, self._annual = monthly, annual
        #: What these holdings were built for (to build the same for other rows).
        self.months, self.labels = set(months), set(annual_labels)
        #: Results computed from these holdings and kept: figures (comparison.py), a
        #: borough's ranks (context.py).
        self.memo: dict[tuple, object] = {}
        self._held_cache: dict[tuple[Series, str, str], dict[int | str, int]] = {}

    @cached_property
    def values(self) -> MonthlyValues:
        """{(series, area, category): {month or annual label: count}}."""
        return MonthlyValues(self.series_of, self.mapping, self._monthly, self._annual)

    def series(self) -> list[Series]:
        return list(self.cells)

    def areas(self) -> list[str]:
        return sorted({area for held in self.cells.values() for area in held})

    def held(self, series: Series, area: str, category: str) -> dict[int | str, int]:
        """{month or annual label: source} where the series holds the category for the area."""
        key = (series, area, category)
        found = self._held_cache.get(key)
        if found is None:
            cells = self.cells.get(series, {}).get(area, {})
            found = {when: s for when, s in cells.items() if category in self.defines[s]}
            self._held_cache[key] = found
        return found

    def held_months(
        self, series: Series, area: str, category: str, window: Window
    ) -> tuple[tuple[int, ...], bool]:
        """The window's months the series holds for the area, and whether an annual figure
        holds the whole window instead."""
        held = self.held(series, area, category)
        months = tuple(m for m in window.months if m in held)
        if (
            len(months) < len(window.months)
            and window.annual_label is not None
            and window.annual_label in held
        ):
            return (), True
        return months, False

    def whole(self, series: Series, area: str, category: str, window: Window) -> bool:
        months, annual = self.held_months(series, area, category, window)
        return annual or len(months) == len(window.months)

    # -- counts -----------------------------------------------------------------------------

    def side(self, series: Series, areas: list[str], category: str, window: Window) -> Side:
        """The figure of ``areas`` in one series over a window (whole or partial)."""
        total, months_used, annual_used = 0, set(), False
        supplied: dict[int, set[int]] = defaultdict(set)
        whole = True
        wanted = len(window.months)
        for area in areas:
            held = self.held(series, area, category)
            values = self.values.get((series, area, category), {})
            months = [m for m in window.months if m in held]
            if len(months) < wanted and window.annual_label in held:
                annual_used = True
                total += values.get(window.annual_label, 0)  # type: ignore[arg-type]
                supplied[held[window.annual_label]].add(C.ANNUAL)  # type: ignore[index]
                continue
            whole = whole and len(months) == wanted
            for month in months:
                total += values.get(month, 0)
                supplied[held[month]].add(month)
            months_used.update(months)
        if not supplied:
            return NOTHING
        shown = tuple(sorted(months_used))
        if whole:
            return Side(total, None, shown, annual_used, series, dict(supplied))
        return Side(None, total, shown, annual_used, series, dict(supplied))

    @cached_property
    def categories(self) -> list[str]:
        """Report categories the files supplying these rows define (a category a release
        reports is shown, 0 where an area has no row for it), in the mapping's order,
        categories of no rule after the others, totals last."""
        found = {
            category
            for held in self.cells.values()
            for cells in held.values()
            for source in set(cells.values())
            for category in self.defines[source]
        }
        mapping = self.mapping
        names = [c for c in mapping.order if c in found]
        extra = sorted(found - set(names))
        body = [c for c in names if c not in mapping.totals] + extra
        return body + [c for c in names if c in mapping.totals]


def _supplying_cells(
    sources: tuple[SourceFile, ...],
    series_of: list[Series],
    street: set[int],
    rows: pd.DataFrame,
    monthly: pd.DataFrame,
    annual: pd.DataFrame,
    months: set[int],
) -> dict[Series, dict[str, dict[int | str, int]]]:
    """{series: {area: {month or annual label: the source supplying it}}}."""
    cells: dict[Series, dict[str, dict[int | str, int]]] = defaultdict(lambda: defaultdict(dict))
    for frame, key in ((monthly, C.MONTH), (annual, C.PERIOD)):
        if key == C.PERIOD:
            found = list(
                frame[[C.SOURCE, C.AREA, key]].drop_duplicates().itertuples(index=False, name=None)
            )
        else:
            found = distinct_rows(frame, [C.SOURCE, C.AREA, key])
        for source, area, when in found:
            held = cells[series_of[int(source)]][str(area)]
            held[int(when) if key == C.MONTH else str(when)] = int(source)
    if street:
        # Street files list every crime: a district with no row in a month a street file
        # covers had no crimes that month (0), and every crime type is defined.
        # Only in months when the file of every force holding the district's rows was read:
        # a force-month missing from an archive is not held, never a zero.
        from policing_cli.report.selection import street_months

        street_rows = rows[rows[C.SOURCE].isin(list(street))]
        supplier = {m: i for i in sorted(street) for m in sources[i].months}
        files = [sources[i] for i in sorted(street)]
        forces_of = {
            str(area): {str(f) for f in group}
            for area, group in street_rows.groupby(C.AREA, observed=True)[C.FORCE].unique().items()
        }
        covered_by: dict[frozenset[str], set[int]] = {}
        for series in {series_of[i] for i in street}:
            for area, forces in forces_of.items():
                key = frozenset(forces)
                if key not in covered_by:
                    covered_by[key] = street_months(files, set(forces)) & months
                held = cells[series][area]
                for month in covered_by[key]:
                    held.setdefault(month, supplier[month])
    return cells


def holdings_for(
    dataset: Dataset,
    mapping: CategoryMap,
    months: set[int],
    annual_labels: set[str],
    force: str | None = None,
    districts_of: str | None = None,
) -> Holdings:
    """Holdings of every row of the dataset (or of one force's street files; or, with
    ``districts_of``, of every row located in that force's own districts) over these months,
    computed once per dataset, mapping and months: a snapshot's reports, and each report's
    context (the force and every borough), share one."""
    key = (
        "holdings",
        mapping.key,
        frozenset(months),
        frozenset(annual_labels),
        force,
        districts_of,
    )
    found = dataset.memo.get(key)
    if found is None:
        # Keep only the latest few: each holds counts for every area over its months.
        stale = [k for k in dataset.memo if isinstance(k, tuple) and k[0] == "holdings"]
        for old in stale[:-3]:
            del dataset.memo[old]
        frame = dataset.frame
        rows = frame if force is None else frame[frame[C.FORCE] == force]
        if districts_of is not None:
            from policing_cli.report.forces import area_roles

            home = area_roles(dataset).home
            rows = rows[rows[C.AREA].isin([a for a, f in home.items() if f == districts_of])]
        found = Holdings(dataset, mapping, rows, months, annual_labels)
        dataset.memo[key] = found
    return found  # type: ignore[return-value]


def _defined_categories(
    dataset: Dataset, mapping: CategoryMap, street: set[int]
) -> dict[int, frozenset[str]]:
    """The report categories each source defines: those any of its rows map to, and groups
    whose parts it all defines. Street sources define every crime type of data.police.uk."""
    found: dict[int, set[str]] = defaultdict(set)
    for source, major, minor in distinct_rows(dataset.frame, [C.SOURCE, C.MAJOR, C.MINOR]):
        for category, _ in mapping.categories_of(str(major), str(minor))[0]:
            found[int(source)].add(category)
    # Every crime type data.police.uk publishes, whether or not any file has a row of it.
    shared = set().union(*(found[i] for i in street)) if street else set()
    if street:
        shared |= {c for cats in mapping.street_rules.values() for c in cats}
        shared |= set(mapping.totals)
    out = {}
    for index in range(len(dataset.sources)):
        names = found[index] | (shared if index in street else set())
        for category, parts in mapping.derived.items():
            if all(p in names for p in parts):
                names.add(category)
        out[index] = frozenset(names)
    return out


class MonthlyValues:
    """{(series, area, category): {month or annual label: count}}, a cell only where the
    count is not 0. A tidy row naming a report category is that category's figure, over any
    sum of other rows; a group of categories (serious acquisitive crime) is the sum of its
    parts where not given.

    Counted with numpy: each row's (major, minor) pair is looked up once per distinct pair,
    and each category's counts are one ``bincount`` over (series, area, month). The counts
    of one (series, area, category) are read out of those arrays when first asked for: a
    report asks for a few areas, and national data hold hundreds of thousands of cells."""

    def __init__(
        self,
        series_of: list[Series],
        mapping: CategoryMap,
        monthly: pd.DataFrame,
        annual: pd.DataFrame,
    ) -> None:
        import numpy as np

        series_names = sorted(set(series_of))
        series_code = np.array([series_names.index(s) for s in series_of], dtype=np.int64)
        self._derived = mapping.derived
        self._found: dict[tuple[Series, str, str], dict[int | str, int]] = {}
        self._tallies = [
            _Tally.of(series_names, series_code, mapping, frame, key)
            for frame, key in ((monthly, C.MONTH), (annual, C.PERIOD))
            if not frame.empty
        ]

    def get(
        self, key: tuple[Series, str, str], default: dict[int | str, int] | None = None
    ) -> dict[int | str, int] | None:
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._cell(*key)
        return found if found else default

    def _cell(self, series: Series, area: str, category: str) -> dict[int | str, int]:
        cell = self._counted(series, area, category)
        # Groups: the sum of their parts, month by month, where not named in the data.
        parts = [self._counted(series, area, part) for part in self._derived.get(category, ())]
        for when in set().union(*(part.keys() for part in parts)):
            if when not in cell:
                cell[when] = sum(part.get(when, 0) for part in parts)
        return cell

    def _counted(self, series: Series, area: str, category: str) -> dict[int | str, int]:
        import numpy as np

        cell: dict[int | str, int] = {}
        for tally in self._tallies:
            total = tally.totals.get(category)
            at = tally.series.get(series), tally.areas.get(area)
            if total is None or at[0] is None or at[1] is None:
                continue
            counts = total[at[0], at[1]]
            for when in np.flatnonzero(counts):
                cell[tally.whens[when]] = int(counts[when])
        return cell


class _Tally:
    """One table's counts (monthly or annual): for each category, counts by series, area
    and month (or annual label), and where each of those is in the array."""

    def __init__(
        self,
        series: dict[Series, int],
        areas: dict[str, int],
        whens: list[int | str],
        totals: dict[str, np.ndarray],
    ) -> None:
        self.series, self.areas, self.whens, self.totals = series, areas, whens, totals

    @classmethod
    def of(
        cls,
        series_names: list[Series],
        series_code: np.ndarray,
        mapping: CategoryMap,
        frame: pd.DataFrame,
        key: str,
    ) -> _Tally:
        import numpy as np

        majors, minors = frame[C.MAJOR].cat, frame[C.MINOR].cat
        pair_codes = majors.codes.to_numpy(np.int64) * (len(minors.categories) + 1) + (
            minors.codes.to_numpy(np.int64)
        )
        pairs, pair_index = np.unique(pair_codes, return_inverse=True)
        area_values = frame[C.AREA].cat
        area_names = list(map(str, area_values.categories))
        area_codes = area_values.codes.to_numpy(np.int64)
        if key == C.MONTH:
            when_values = frame[C.MONTH].to_numpy(np.int64)
            whens, when_codes = np.unique(when_values, return_inverse=True)
            when_names: list[int | str] = [int(w) for w in whens]
        else:
            labels = frame[C.PERIOD].astype(str).to_numpy()
            whens, when_codes = np.unique(labels, return_inverse=True)
            when_names = [str(w) for w in whens]
        cell = (
            series_code[frame[C.SOURCE].to_numpy(np.int64)] * len(area_names) + area_codes
        ) * len(when_names) + when_codes
        size = len(series_names) * len(area_names) * len(when_names)
        counts = frame[C.COUNT].to_numpy(np.int64)
        # Which pairs each (category, named) takes, from the mapping, once per pair.
        members: dict[tuple[str, bool], list[int]] = defaultdict(list)
        for index, pair in enumerate(pairs):
            major = str(majors.categories[pair // (len(minors.categories) + 1)])
            minor = str(minors.categories[pair % (len(minors.categories) + 1)])
            categories, is_named = mapping.categories_of(major, minor)
            for category, _ in dict.fromkeys(categories):
                members[(category, is_named)].append(index)
        totals: dict[str, np.ndarray] = {}
        for (category, is_named), indexes in members.items():
            chosen = np.isin(pair_index, indexes)
            total = np.bincount(cell[chosen], weights=counts[chosen], minlength=size)
            if is_named:
                # A named row (a tidy file's own figure) replaces sums of other rows.
                named = np.bincount(cell[chosen], minlength=size) > 0
                total = np.where(named, total, totals.get(category, 0))
            elif (category, True) in members:
                named_rows = np.isin(pair_index, members[(category, True)])
                named = np.bincount(cell[named_rows], minlength=size) > 0
                total = np.where(named, totals.get(category, 0), total)
            totals[category] = total
        shape = (len(series_names), len(area_names), len(when_names))
        return cls(
            {s: i for i, s in enumerate(series_names)},
            {a: i for i, a in enumerate(area_names)},
            when_names,
            {category: total.reshape(shape) for category, total in totals.items()},
        )

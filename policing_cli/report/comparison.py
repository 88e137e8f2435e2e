"""Like-for-like figures: a category's count in a period and in a comparison period, each
taken whole from one series of files wherever the data allow, and the notes that say what the
marks on a report's rows mean.

What each series holds, and its counts, is holdings.py's. Figures of two series are never
added together. For one category, a set of areas and two sets of months:

1. A series *holds* the category for an area in a month when the file supplying that area
   and month defines the category (holdings.py); a side is *whole* in a series when the
   series holds all its months (or, for a financial or calendar year, an annual figure of it).
2. The change is computed in a series that holds both sides whole; where several do, the one
   holding most boroughs wins, then borough files before ward files, then the newest release.
3. Where none does, each side is taken from the series that holds it whole and the row is
   marked as crossing a classification change; a side whole in no series shows the months
   it holds as a partial count, and no change is computed.
4. A dated definition break (``data/breaks.csv``) between the first and last month compared
   marks the row.

A figure for several areas (a force) sums the areas the chosen series holds whole on both
sides; an area held only in part (the Met's "Unknown" area, in some releases only) is left
out of both sides and named.
"""

from __future__ import annotations

from collections import defaultdict

from policing_cli.report.areas import is_borough
from policing_cli.report.holdings import NOTHING, Figure, Holdings, Series, Side, Window
from policing_cli.report.periods import Period, describe_months, month_words


def find_figure(
    holdings: Holdings, areas: list[str], category: str, now: Window, base: Window | None
) -> Figure:
    """A category's like-for-like figure for ``areas`` (one area, or every area of a
    force), following the rules in the module docstring. Kept: each borough's report
    asks for every borough's figures (its ranks)."""
    key = ("figure", tuple(areas), category, now, base)
    found = holdings.memo.get(key)
    if found is None:
        found = holdings.memo[key] = _figure(holdings, areas, category, now, base)
    return found  # type: ignore[return-value]


def _figure(
    holdings: Holdings, areas: list[str], category: str, now: Window, base: Window | None
) -> Figure:
    """Rules 2 to 4: one series holding both sides whole, else each side on its own."""
    candidates = []
    for series in holdings.series() if base is not None else []:
        full = [
            a
            for a in areas
            if holdings.whole(series, a, category, now)
            and holdings.whole(series, a, category, base)
        ]
        if full:
            candidates.append((series, full))
    if candidates:
        assert base is not None
        series, full = (
            candidates[0]
            if len(candidates) == 1
            else max(candidates, key=lambda c: _preference(holdings, c[0], c[1], [now, base]))
        )
        left_out = _left_out(holdings, series, areas, full, category, [now, base])
        figure = Figure(
            category,
            holdings.side(series, full, category, now),
            holdings.side(series, full, category, base),
            like_for_like=True,
            left_out=left_out,
        )
        return _with_breaks(holdings, figure, now, base)
    now_side, now_areas = _best_side(holdings, areas, category, now)
    if base is None:
        return Figure(category, now_side, NOTHING)
    base_side, base_areas = _best_side(holdings, areas, category, base)
    if now_side.count is not None and base_side.count is not None:
        # Both whole, in different series: compare the areas both hold, marked.
        shared = [a for a in now_areas if a in set(base_areas)]
        if shared:
            now_side = holdings.side(now_side.series, shared, category, now)  # type: ignore[arg-type]
            base_side = holdings.side(base_side.series, shared, category, base)  # type: ignore[arg-type]
            left = tuple(sorted(set(now_areas) ^ set(base_areas)))
            return _with_breaks(
                holdings, Figure(category, now_side, base_side, left_out=left), now, base
            )
    return Figure(category, now_side, base_side)


def monthly_series(
    holdings: Holdings, areas: list[str], category: str, months: list[int]
) -> list[int | None]:
    """A category's count in each month (None where not held), all from the one series
    holding most of the months (a sparkline or trend never mixes classifications)."""
    choices = []
    for series in holdings.series():
        held = {a: holdings.held(series, a, category) for a in areas}
        per_month: dict[int, list[str]] = {}
        for month in months:
            holders = [a for a in areas if month in held[a]]
            if holders:
                per_month[month] = holders
        if per_month:
            key = (len(per_month), *_preference(holdings, series, areas, [Window(tuple(months))]))
            choices.append((key, series, per_month))
    if not choices:
        return [None] * len(months)
    _, series, per_month = max(choices, key=lambda c: c[0])
    return [
        sum(holdings.values.get((series, a, category), {}).get(m, 0) for a in per_month[m])
        if m in per_month
        else None
        for m in months
    ]


def _best_side(
    holdings: Holdings, areas: list[str], category: str, window: Window
) -> tuple[Side, list[str]]:
    """One side on its own: whole in the preferred series that holds it whole, else the
    series holding most of its months (a partial figure)."""
    whole = []
    partial = []
    for series in holdings.series():
        full = [a for a in areas if holdings.whole(series, a, category, window)]
        if full:
            whole.append((_preference(holdings, series, full, [window]), series, full))
            continue
        held = {m for a in areas for m in holdings.held_months(series, a, category, window)[0]}
        if held:
            partial.append(((len(held), *_preference(holdings, series, areas, [window])), series))
    if whole:
        _, series, full = max(whole, key=lambda c: c[0])
        return holdings.side(series, full, category, window), full
    if partial:
        _, series = max(partial, key=lambda c: c[0])
        return holdings.side(series, areas, category, window), []
    return NOTHING, []


def _left_out(
    holdings: Holdings,
    series: Series,
    areas: list[str],
    full: list[str],
    category: str,
    windows: list[Window],
) -> tuple[str, ...]:
    """Areas the series holds in part of the months compared: left out of both sides."""
    chosen = set(full)
    return tuple(
        a
        for a in areas
        if a not in chosen and any(holdings.held_months(series, a, category, w)[0] for w in windows)
    )


def _with_breaks(holdings: Holdings, figure: Figure, now: Window, base: Window) -> Figure:
    """The figure with the definition breaks its months cross (in the classifications
    its sides come from)."""
    months = [*figure.now.months, *figure.base.months]
    if figure.now.annual:
        months += now.months
    if figure.base.annual:
        months += base.months
    classes = {s.series[0] for s in (figure.now, figure.base) if s.series is not None}
    crossed = tuple(
        dict.fromkeys(
            b
            for c in sorted(classes)
            for b in holdings.mapping.breaks_of(figure.category, c)
            if b.crossed(months)
        )
    )
    if not crossed:
        return figure
    return Figure(
        figure.category, figure.now, figure.base, figure.like_for_like, crossed,
        figure.left_out,
    )  # fmt: skip


def _preference(
    holdings: Holdings, series: Series, areas: list[str], windows: list[Window]
) -> tuple:
    """Which series wins (rule 2): most boroughs, borough files before ward files, newest."""
    boroughs = sum(1 for a in areas if is_borough(a) or not a)
    return (boroughs, series[1] != "ward", _newest(holdings, series, areas, windows))


def _newest(holdings: Holdings, series: Series, areas: list[str], windows: list[Window]) -> int:
    """How new the release supplying the series' months is (the newest file's rank)."""
    cells = holdings.cells.get(series, {})
    ranks = [
        holdings.rank[cells[a][m]]
        for a in areas
        for w in windows
        for m in (*w.months, w.annual_label)
        if m in cells.get(a, {})
    ]
    return max(ranks, default=-1)


#: The mark of a row whose change crosses a classification change or a definition break
#: (the ONS's shorthand for "break in series").
BREAK_MARK = "[b]"


def partial_mark(months: int, length: int) -> str:
    """The mark of a count that covers only some of its period's months: ``[9/12]``."""
    return f"[{months}/{length}]"


def _names(rows: list[str], everything: list[str], every: str) -> str:
    if len(rows) == len(everything) and len(rows) > 2:
        return every
    return ", ".join(rows)


def _classification(side: Side) -> str:
    return side.series[0] if side.series else "no classification"


def describe_series(series: Series | None) -> str:
    """``the Home Office classes (ward files)``: a series as a reader knows it."""
    if series is None:
        return "no classification"
    classification, level = series
    return f"{classification} ({level} files)" if level in ("borough", "ward") else classification


def comparison_notes(
    figures: list[Figure],
    period: Period,
    baseline: Period,
    length: int,
    names: list[str] | None = None,
    every: str = "every category",
    said: frozenset[str] = frozenset(),
) -> list[str]:
    """What the marks on the rows mean, one note per situation, naming the rows it touches
    (``names``: the rows' names where they are not the categories, e.g. a league's areas;
    ``said``: periods the report already says are missing from the data):
    partial counts, periods without a figure, comparisons across classifications,
    definition breaks, areas left out, zero baselines."""
    names = names or [f.category for f in figures]
    groups = _situations(figures, names, period, baseline, said)
    notes = []
    for key, rows in groups.items():
        shown = _names(rows, names, every)
        kind = key[0]
        if kind == "partial":
            _, label, months, classification = key
            notes.append(
                f"{partial_mark(len(months), length)} {shown}: {label} is held only for "
                f"{describe_months(list(months))} ({len(months)} of {length} months, in "
                f"{classification}): the count covers those months, and no change is shown"
            )
        elif kind == "none":
            _, label, classification = key
            notes.append(
                f"{shown}: no figure for {label} (n/a): the files read hold "
                f"{'it' if len(rows) == 1 else 'them'} (in {classification}) for other months only"
            )
        elif kind == "cross":
            _, now_class, base_class = key
            notes.append(
                f"{BREAK_MARK} {shown}: no one classification holds both periods, so "
                f"{period.label} is counted in the {now_class} and {baseline.label} in the "
                f"{base_class}: not like for like"
            )
        elif kind == "break":
            b = key[1]
            notes.append(
                f"{BREAK_MARK} {shown}: {b.category} changed in {month_words(b.first_month)}: "
                f"{b.what}; {period.label} against {baseline.label} spans the change"
            )
        elif kind == "left out":
            areas = key[1]
            notes.append(
                f"{', '.join(areas)}: left out of both periods of {shown}: the files hold "
                f"{'it' if len(areas) == 1 else 'them'} for only some of the months compared"
            )
        elif kind == "zero":
            notes.append(f"{shown}: 0 offences in {baseline.label}, so no % change (n/a)")
    return notes


def _situations(
    figures: list[Figure], names: list[str], period: Period, baseline: Period, said: frozenset[str]
) -> dict[tuple, list[str]]:
    """{situation: the names of the rows in it}, in the order first met: the notes' groups."""
    groups: dict[tuple, list[str]] = defaultdict(list)
    for f, name in zip(figures, names, strict=True):
        for label, side, other in ((period.label, f.now, f.base), (baseline.label, f.base, f.now)):
            if side.count is None and side.partial is not None:
                groups[("partial", label, side.months, _classification(side))].append(name)
            elif not side.held and other.held and label not in said:
                groups[("none", label, _classification(other))].append(name)
        if f.crosses_classification:
            groups[("cross", describe_series(f.now.series), describe_series(f.base.series))].append(
                name
            )
        for b in f.breaks:
            groups[("break", b)].append(name)
        if f.left_out and (f.now.held or f.base.held):
            groups[("left out", f.left_out)].append(name)
        if f.now.count is not None and f.base.count == 0:
            groups[("zero",)].append(name)
    return groups

"""What a report is about: the rows an area's name selects, the months of a period the data
hold (or its annual figures), and the default period.

Pure computation on the canonical table, shared by a report's figures (figures.py) and a
trend (trend.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.errors import UsageProblem
from policing_cli.report.areas import force_key, is_force_alias, resolve_selection
from policing_cli.report.periods import Period, financial_year, month_label
from policing_cli.report.results import Coverage

if TYPE_CHECKING:
    import pandas as pd

    from policing_cli.model import Dataset, SourceFile


STREET_LAYOUT = C.STREET_LAYOUT


def _area_rows(frame: pd.DataFrame, kind: str, name: str | None) -> pd.DataFrame:
    if kind == "all":
        return frame
    return frame[frame[C.FORCE if kind == "force" else C.AREA] == name]


def select_area(
    dataset: Dataset, area_request: str, period: Period | None = None
) -> tuple[str, str | None, pd.DataFrame]:
    """What a requested name selects: ``(kind, name, rows)`` with kind "area" (a borough or
    district), "force" (a force of street files) or "all" (the Met's area of London files).

    ``london``/``mps`` mean the Metropolitan Police's area: the London borough-level rows,
    else the Met's street files; with neither loaded it is an error naming the forces that
    are. A tidy file's own ``MPS`` rows answer for it where they hold the period.
    """
    frame = dataset.frame
    areas = sorted(a for a in frame[C.AREA].unique() if str(a).strip())
    forces = sorted(f for f in frame[C.FORCE].unique() if str(f).strip())
    kind, area = resolve_selection(area_request, areas, forces)
    rows = _area_rows(frame, kind, area)
    if kind != "all" and is_force_alias(area_request):
        # The force-wide alias names rows of the data ("MPS", "Met Police Area") only where
        # they hold the period; elsewhere it is the sum of every area.
        target = period or latest_complete_financial_year(frame, covered_months(dataset, frame))
        if target is not None and not _holds(rows, target, covered_months(dataset, rows)):
            kind, area = "all", None
    if kind == "all":
        london = frame[frame[C.FORCE] == ""]
        met = [f for f in forces if force_key(f) == "metropolitan"]
        if not london.empty:
            rows = london
        elif met:
            kind, area, rows = "force", met[0], _area_rows(frame, "force", met[0])
        else:
            raise UsageProblem(
                f"'{area_request}' means the Metropolitan Police's area, and the data hold "
                f"none of it: they hold {', '.join(forces)}; report one of those, or one of "
                "their districts, by name"
            )
    return kind, area, rows


def period_rows(
    rows: pd.DataFrame, period: Period, months: range | list[int], covered: set[int]
) -> tuple[pd.DataFrame, Coverage]:
    """Rows of a period: its months when the data hold them all, else its annual rows when
    a file gives them (a tidy or recorded-crime-rates file), else the months there are.

    A month counts as held when the area has rows in it, or when a street-level file
    covering it was read (a quiet month in a small area has no rows but is not missing).
    """
    wanted = rows[rows[C.MONTH].isin(list(months))]
    present = {int(m) for m in wanted[C.MONTH].unique()} | (covered & set(months))
    if len(present) < len(months) and period.is_annual_label():
        annual = rows[(rows[C.MONTH] == C.ANNUAL) & (rows[C.PERIOD] == period.label)]
        if not annual.empty:
            return annual, Coverage(period, (), annual=True)
    return wanted, Coverage(period, tuple(sorted(present)))


def _holds(rows: pd.DataFrame, period: Period, covered: set[int]) -> bool:
    """True when the rows hold any of the period (its months or its annual figures)."""
    _rows, coverage = period_rows(rows, period, period.months, covered)
    return coverage.annual or bool(coverage.months)


def covered_months(dataset: Dataset, rows: pd.DataFrame) -> set[int]:
    """Months covered by street-level files, when the selection has street rows: a month
    in which the file of every force holding the selection's rows was read (a quiet month
    is then a zero; a force-month whose file is missing is not held, never a zero)."""
    street = [i for i, s in enumerate(dataset.sources) if s.layout == STREET_LAYOUT]
    selected = rows[rows[C.SOURCE].isin(street)]
    if selected.empty:
        return set()
    return street_months(
        [dataset.sources[i] for i in street], {str(f) for f in selected[C.FORCE].unique()}
    )


def street_months(sources: list[SourceFile], forces: set[str]) -> set[int]:
    """The months in which every one of ``forces`` had its street file read (the union of
    the files' months where they do not say their forces: entries of old caches)."""
    by_force: dict[str, set[int]] = {}
    for source in sources:
        for force, month in source.force_months:
            by_force.setdefault(force, set()).add(month)
    if not by_force or not forces:
        return set().union(*(s.months for s in sources))
    return set.intersection(*(by_force.get(force, set()) for force in forces))


def latest_complete_financial_year(
    rows: pd.DataFrame, covered: set[int] | None = None
) -> Period | None:
    """Default period: the latest financial year the data hold in full."""
    months = {int(m) for m in rows[C.MONTH].unique() if m != C.ANNUAL} | (covered or set())
    candidates = []
    if months:
        year = max(months) // 12
        while year * 12 >= min(months) - 12:
            fy = financial_year(year)
            if all(m in months for m in fy.months):
                candidates.append(fy)
                break
            year -= 1
    annual = [p for p in set(rows.loc[rows[C.MONTH] == C.ANNUAL, C.PERIOD]) if "/" in p]
    if annual:
        candidates.append(financial_year(max(int(p[:4]) for p in annual)))
    return max(candidates, key=lambda p: p.first) if candidates else None


def data_span(rows: pd.DataFrame) -> str:
    months = sorted(set(int(m) for m in rows[C.MONTH] if m != C.ANNUAL))
    annual = sorted(set(rows.loc[rows[C.MONTH] == C.ANNUAL, C.PERIOD]))
    parts = [f"{month_label(months[0])}..{month_label(months[-1])}"] if months else []
    return ", ".join(parts + annual) or "nothing"

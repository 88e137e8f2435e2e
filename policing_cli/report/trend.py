"""One area's monthly series for one category, with its rolling 12-month total."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.errors import UsageProblem
from policing_cli.report.areas import FORCE_WIDE_NAME
from policing_cli.report.categories import CategoryMap
from policing_cli.report.comparison import monthly_series
from policing_cli.report.holdings import Holdings
from policing_cli.report.periods import month_label
from policing_cli.report.selection import covered_months, select_area

if TYPE_CHECKING:
    from policing_cli.model import Dataset


@dataclass(frozen=True)
class TrendPoint:
    month: int
    count: int | None  # None: the data do not hold this month
    rolling_12: int | None  # the 12 months to this one, when all 12 are held


@dataclass(frozen=True)
class Trend:
    area: str
    category: str
    points: list[TrendPoint]

    @property
    def span(self) -> str:
        return f"{month_label(self.points[0].month)}..{month_label(self.points[-1].month)}"


def build_trend(
    dataset: Dataset,
    mapping: CategoryMap,
    area_request: str,
    category: str,
    months: int = 36,
    last: int | None = None,
) -> Trend:
    kind, area, rows = select_area(dataset, area_request)
    held = {int(m) for m in rows[C.MONTH].unique() if m != C.ANNUAL} | covered_months(dataset, rows)
    if not held:
        raise UsageProblem("the data hold no monthly figures: a trend needs monthly data")
    if last is not None and not min(held) <= last <= max(held):
        raise UsageProblem(
            f"no figures for {month_label(last)}: the data for {area or FORCE_WIDE_NAME} run "
            f"from {month_label(min(held))} to {month_label(max(held))}; choose --to in between"
        )
    last = max(held) if last is None else last
    first = last - months + 1
    window = list(range(first - 11, last + 1))
    holdings = Holdings(dataset, mapping, rows, set(window))
    names = {name.casefold(): name for name in holdings.categories}
    name = names.get(category.casefold())
    if name is None:
        from policing_cli.report.names import did_you_mean

        hint = did_you_mean(category, holdings.categories)
        raise UsageProblem(
            f"no category '{category}' for {area or FORCE_WIDE_NAME}{hint}: run "
            "'policing categories' to list them"
        )
    selection = [area] if kind == "area" and area is not None else holdings.areas()
    values = dict(zip(window, monthly_series(holdings, selection, name, window), strict=True))

    points = []
    for month in range(first, last + 1):
        counts = [values[m] for m in range(month - 11, month + 1)]
        rolling = sum(counts) if all(v is not None for v in counts) else None  # type: ignore[misc]
        points.append(TrendPoint(month, values[month], rolling))
    return Trend(area or FORCE_WIDE_NAME, name, points)

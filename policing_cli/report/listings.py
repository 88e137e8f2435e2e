"""What the loaded data hold: areas, categories, periods. Tables of plain values."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from policing_cli import columns as C
from policing_cli.report.areas import area_key
from policing_cli.report.categories import CategoryMap
from policing_cli.report.distinct import distinct_rows
from policing_cli.report.periods import (
    Period,
    calendar_year,
    financial_year,
    month_label,
    month_words,
)
from policing_cli.report.selection import latest_complete_financial_year

if TYPE_CHECKING:
    from policing_cli.model import Dataset
    from policing_cli.report.trend import Trend


@dataclass(frozen=True)
class Exact:
    """A figure kept exact in a listing, so that each format writes it its own way: the
    text formats round it as a report does (``+10.5%``, ``0.5``), CSV writes the unrounded
    number for a spreadsheet to compute with (``-5.0%`` as text is no number, and would
    even read as a formula)."""

    value: Fraction | None
    kind: Literal["pct", "rate"]
    mark: str = ""  # shown after the figure, e.g. "[b]" (a break in series)


#: What a listing column holds, and so how it is written: words; a count (``1,234``); a
#: change in offences (``+62``); a % change or a rate (an ``Exact``); a rank; yes/no.
FieldKind = Literal["text", "count", "change", "pct", "rate", "rank", "flag"]


@dataclass(frozen=True)
class Field:
    """A listing column: its name in JSON and CSV (``pct_change``), its heading for people
    (``% change``), and what it holds."""

    name: str
    heading: str
    kind: FieldKind = "text"


@dataclass(frozen=True)
class Listing:
    """A titled table; ``rows`` hold plain values (str, int, None, bool, Exact) keyed by
    field name. ``marked``: fields whose figures may carry a mark, which CSV writes in a
    column of its own (``pct_change_mark``) beside the number."""

    title: str
    fields: tuple[Field, ...]
    rows: tuple[dict[str, Any], ...]
    notes: tuple[str, ...] = ()
    marked: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


def list_areas(dataset: Dataset) -> Listing:
    """Every area of the data: what it is (a borough, a district of a force read, a border
    district where a force's files locate a few crimes, a force), its force and its months."""
    from policing_cli.report.forces import area_roles

    roles = area_roles(dataset)
    frame = dataset.frame
    rows = []
    # Each area's months and annual periods, in one pass over the distinct cells.
    held: dict[str, tuple[set[int], set[str]]] = {}
    for area_name, month, label in distinct_rows(frame, [C.AREA, C.MONTH, C.PERIOD]):
        months_of, annual_of = held.setdefault(str(area_name), (set(), set()))
        if month == C.ANNUAL:
            annual_of.add(str(label))
        else:
            months_of.add(int(month))
    for area in sorted(held):
        if not area.strip():
            continue  # street rows with no location: their force's, no area's
        months = sorted(held[area][0])
        annual = sorted(held[area][1])
        rows.append(
            {
                "area": str(area),
                "kind": roles.kind(str(area)),
                "force": roles.home.get(str(area), ""),
                "first_month": month_label(months[0]) if months else None,
                "last_month": month_label(months[-1]) if months else None,
                "months": len(months),
                "annual_periods": ", ".join(annual),
            }
        )
    for force, part in frame[frame[C.FORCE] != ""].groupby(C.FORCE, sort=True, observed=True):
        months = sorted(int(m) for m in part[C.MONTH].unique() if m != C.ANNUAL)
        rows.append(
            {
                "area": str(force),
                "kind": "police force",
                "force": str(force),
                "first_month": month_label(months[0]) if months else None,
                "last_month": month_label(months[-1]) if months else None,
                "months": len(months),
                "annual_periods": "",
            }
        )
    notes = []
    if any(r["kind"] in ("borough", "not a borough") and not r["force"] for r in rows):
        notes.append(
            "'london' (or 'mps') reports every area of the London files together; areas "
            "that are not boroughs count in that total only"
        )
    notes += [roles.border[r["area"]] for r in rows if r["kind"] == "border district"]
    if roles.border:
        notes.append(
            "border districts are left out of rankings, maps and snapshots; a district "
            "belongs to the force whose area contains it (policing_cli/data/"
            "police_force_areas.csv)"
        )
    fields = (
        Field("area", "Area"), Field("kind", "Kind"), Field("force", "Force"),
        Field("first_month", "First month"), Field("last_month", "Last month"),
        Field("months", "Months", "count"), Field("annual_periods", "Annual figures"),
    )  # fmt: skip
    return Listing("Areas", fields, tuple(rows), tuple(notes))


def list_categories(dataset: Dataset, mapping: CategoryMap) -> Listing:
    """Each report category, the source names it counts in the data read, why a name
    belongs where the mapping says, and its dated definition breaks."""
    pairs = dataset.frame[[C.MAJOR, C.MINOR]].drop_duplicates()
    sources: dict[str, set[str]] = {}
    why: dict[str, list[str]] = {}
    for major, minor in pairs.itertuples(index=False):
        for category, name in mapping.categories_of(str(major), str(minor))[0]:
            if category in mapping.totals:
                continue
            shown = f"{major} / {minor}" if major and name == minor else str(name)
            sources.setdefault(category, set()).add(shown)
            for (rule_category, rule_source), note in mapping.notes.items():
                if rule_category == category and area_key(rule_source) == area_key(str(name)):
                    text = f"{name}: {note}"
                    if text not in why.setdefault(category, []):
                        why[category].append(text)
    for category, parts in mapping.derived.items():
        if any(part in sources for part in parts):
            sources.setdefault(category, set()).update(f"= {part}" for part in parts)
    order = [c for c in mapping.order if c in sources] + sorted(set(sources) - set(mapping.order))
    order += [t for t in mapping.totals if t not in order]

    def notes_of(category: str) -> str:
        found = list(why.get(category, []))
        found += [
            f"break {month_words(b.first_month)}: {b.what}"
            for b in dict.fromkeys(mapping.breaks)
            if b.category == category or b.category in mapping.derived.get(category, [])
        ]
        return "; ".join(found)

    rows = [
        {
            "category": c,
            "counts": "every offence in a monthly borough file"
            if c in mapping.totals
            else "; ".join(sorted(sources[c], key=str.casefold)),
            "notes": notes_of(c),
        }
        for c in order
    ]
    return Listing(
        "Report categories",
        (Field("category", "Category"), Field("counts", "Counts"), Field("notes", "Notes")),
        tuple(rows),
        (
            f"category mapping: {mapping.path}",
            "breaks: dates from which a category counts something else "
            "(policing_cli/data/breaks.csv); a change across one is marked [b] in reports",
        ),
    )


def list_periods(dataset: Dataset, mapping: CategoryMap | None = None) -> Listing:
    """Financial and calendar years the data hold, and whether whole: a year is complete when
    every category the data hold in it is held for all its months in one classification
    (2010 is not: the Home Office classes begin in April 2010). Without a mapping (shell
    completion), only the months are looked at."""
    from policing_cli.report.holdings import Holdings

    frame = dataset.frame
    months = sorted(int(m) for m in set(frame[C.MONTH]) if m != C.ANNUAL)
    present = set(months)
    holdings = Holdings(dataset, mapping, frame, present) if months and mapping else None
    # Months each series holds each category in (for any area).
    spans: dict[str, list[set[int]]] = {}
    if holdings is not None:
        areas = holdings.areas()
        for category in holdings.categories:
            spans[category] = [
                {m for a in areas for m in holdings.held(series, a, category) if isinstance(m, int)}
                for series in holdings.series()
            ]
    rows = []
    if months:
        first_year, last_year = months[0] // 12, months[-1] // 12
        for year in range(first_year - 1, last_year + 1):
            for period in (financial_year(year), calendar_year(year)):
                held = sum(1 for m in period.months if m in present)
                if not held:
                    continue
                wanted = set(period.months)
                partial = [
                    category
                    for category, held_by in spans.items()
                    if held == period.length
                    and 0 < max(len(wanted & h) for h in held_by) < period.length
                ]
                rows.append(
                    {
                        "period": period.label,
                        "kind": str(period.kind),
                        "months": f"{period.span_words}",
                        "months_in_data": held,
                        "complete": held == period.length and not partial,
                        "partial_categories": ", ".join(partial),
                    }
                )
    for label in sorted(set(frame.loc[frame[C.MONTH] == C.ANNUAL, C.PERIOD])):
        kind = "financial year" if "/" in label else "calendar year"
        rows.append({"period": label, "kind": f"{kind} (annual figures)", "months": "",
                     "months_in_data": None, "complete": True,
                     "partial_categories": ""})  # fmt: skip
    default = latest_complete_financial_year(frame)
    notes = []
    if months:
        notes.append(f"monthly data: {month_label(months[0])}..{month_label(months[-1])}")
    notes.append(
        f"default period: {default.label}"
        if default
        else "no complete financial year: use --period"
    )
    if any(row["partial_categories"] for row in rows):
        notes.append(
            "partial_categories: held for only some of the period's months in any one "
            "classification (a report shows their counts marked, with no change)"
        )
    notes.append("also: 12m:YYYY-MM (rolling 12 months), fytd:YYYY-MM, and single months YYYY-MM")
    fields = (
        Field("period", "Period"), Field("kind", "Kind"), Field("months", "Months"),
        Field("months_in_data", "Months in data", "count"), Field("complete", "Complete", "flag"),
        Field("partial_categories", "Partial categories"),
    )  # fmt: skip
    return Listing("Periods", fields, tuple(rows), tuple(notes))


def rank_listing(
    dataset: Dataset,
    mapping: CategoryMap,
    category: str,
    period: Period | None,
    by: str,
) -> Listing:
    """The league table of one category: every borough (or district of the forces read)
    ranked by ``by``."""
    from policing_cli.report.comparison import BREAK_MARK, comparison_notes
    from policing_cli.report.forces import area_roles
    from policing_cli.report.ranking import comparable_months, standard_league

    period, population, standings = standard_league(dataset, mapping, category, period, by)
    baseline = period.previous()
    year = period.first // 12
    now_months, _ = comparable_months(dataset, period, baseline)
    fields = [
        Field("rank", "Rank", "rank"), Field("area", "Area"),
        Field(period.label, period.label, "count"), Field(baseline.label, baseline.label, "count"),
        Field("change", "Change", "change"), Field("pct_change", "% change", "pct"),
    ]  # fmt: skip
    if population:
        fields.append(Field(f"per_1000_{year}", f"Rate {year}", "rate"))
    rows = []
    for s in standings:
        row: dict[str, Any] = {
            "rank": s.rank or None,
            "area": s.area,
            period.label: s.count,
            baseline.label: s.baseline_count,
            "change": s.change,
            "pct_change": Exact(s.pct_change_exact, "pct", BREAK_MARK if s.marked else ""),
        }
        if population:
            row[f"per_1000_{year}"] = Exact(s.rate_exact, "rate")
        rows.append(row)
    labels = {"count": "count", "change": "change in offences", "pct": "% change",
              "rate": "offences per 1,000 residents"}  # fmt: skip
    notes = [f"ranked by {labels[by]}, lowest first (rank 1 = fewest / largest fall)"]
    if len(now_months) < period.length:
        notes.append(
            f"partial: the data hold {len(now_months)} of {period.length} months of "
            f"{period.label}; compared with the same months of {baseline.label}"
        )
    figures = [s.figure for s in standings if s.figure is not None]
    notes += comparison_notes(
        figures, period, baseline, len(now_months), [s.area for s in standings if s.figure],
        f"every {'district' if area_roles(dataset).peers() == 'districts' else 'borough'}",
    )  # fmt: skip
    if population:
        notes.append(f"rates use the {year} mid-year population estimates")
        missing = [s.area for s in standings if s.population is None]
        if missing:
            notes.append(f"no population estimate for {', '.join(missing)}: no rate shown")
    title = f"{category}: {period.label} against {baseline.label}"
    return Listing(title, tuple(fields), tuple(rows), tuple(notes), marked=("pct_change",))


def compare_listing(reports: list[Any]) -> Listing:
    """Areas side by side: each category's count and % change in each area."""
    first = reports[0]
    period = first.period.period.label
    fields = [Field("category", "Category")]
    for report in reports:
        fields += [
            Field(f"{report.area} {period}", f"{report.area} {period}", "count"),
            Field(f"{report.area} %", f"{report.area} %", "pct"),
        ]
    order: list[str] = []
    for report in reports:
        order += [r.category for r in report.rows if r.category not in order]
    rows = []
    for category in order:
        row: dict[str, Any] = {"category": category}
        for report in reports:
            found = next((r for r in report.rows if r.category == category), None)
            row[f"{report.area} {period}"] = None if found is None else found.count
            row[f"{report.area} %"] = Exact(found.pct_change_exact if found else None, "pct")
        rows.append(row)
    title = f"{' / '.join(r.area for r in reports)}: {period} against {first.baseline.period.label}"
    return Listing(title, tuple(fields), tuple(rows))


def trend_listing(trend: Trend) -> Listing:
    """A trend's months as a table: each month's count and its rolling 12-month total."""
    rows = tuple(
        {"month": month_label(p.month), "count": p.count, "rolling_12_months": p.rolling_12}
        for p in trend.points
    )
    fields = (
        Field("month", "Month"),
        Field("count", "Count", "count"),
        Field("rolling_12_months", "Rolling 12 months", "count"),
    )
    notes = ("rolling 12 months: the 12 months to each month, where the data hold all 12",)
    return Listing(f"{trend.area}: {trend.category}, {trend.span}", fields, rows, notes)

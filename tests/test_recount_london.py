"""Independent recount of ``policing report AREA --period P --format json`` from the raw
London Datastore files.

Every expected figure here is recomputed from the raw CSV files with the standard library's
``csv`` module, following the rules of README.md ("Comparisons across classification changes",
"JSON output"); nothing but ``policing_cli.cli.main`` (run in-process through click's
``CliRunner``) is imported from the package, and none of its code, data files or output is
used to form an expectation.

The rules, in short:

* Parsing: month columns are ``YYYYMM``; counts are whole numbers (thousands separators
  allowed). A file is "old" (the Met's own categories) if it has a major category ``Theft and
  Handling``, else "ho" (Home Office classes); "ward" if it has a ``WardName`` column, else
  "borough" (ward rows are summed per borough). A month whose file-wide total is below 10% of
  the median month total of that file is an incomplete extract and is dropped from that file.
* Series = (classification, level). Within a series the (area, month) cell is supplied by the
  file with the latest last month among the series' files holding that month and listing that
  area (ties: the file given later). Series are never added together.
* A file defines a category if any of its rows maps to it (an area it lists without such a row
  then has 0); a series holds category c for (area, month) if the supplying file defines c.
* Report months: P_held = months of P the area (london: any area) has rows for; none -> exit
  2; a proper subset -> partial: P' = P_held, B' = the same months a year earlier.
* Per category: (1) series holding it for every month of P' and B' (london: for at least one
  area; only the areas held whole on both sides are summed); preference: most London boroughs
  held whole, then borough before ward level, then the newest release. (2) Otherwise each side
  from the series holding it whole (change computed, like_for_like false, over the areas both
  hold whole), or a partial figure (the months held in the series holding most of them) with no
  change, or null. (3) Dated definition breaks mark a change spanning them. (4) A category is
  shown if some series holds it for the selection in at least one compared month.
"""

from __future__ import annotations

import csv
import json
import os
import statistics
from dataclasses import dataclass, field

import pytest
from click.testing import CliRunner

from policing_cli.cli import main

from .conftest import real_file
from .helpers import report_json

# ---------------------------------------------------------------------------------------------
# The files and the three data configurations
# ---------------------------------------------------------------------------------------------

OLD_2008_2016 = "MPS_Borough_Level_Crime_Historic_2008-01_to_2016-12.csv"
HO_2010_2023 = "MPS_Borough_Level_Crime_Historical_2010-04_to_2023-09.csv"
HO_2023_2025 = "MPS_Borough_Level_Crime_most_recent_24_months_2023-03_to_2025-02.csv"
OLD_2017_2018 = "MPS_Borough_Level_Crime_most_recent_24_months_2017-01_to_2018-12.csv"
HOCAT_2010_2022 = "MPS_Borough_Level_Crime_Historical_HOcategories_2010-04_to_2022-01.csv"
HOCAT_2022_2024 = (
    "MPS_Borough_Level_Crime_most_recent_24_months_HOcategories_2022-02_to_2024-01.csv"
)
HO_2024_2026 = "MPS_Borough_Level_Crime_most_recent_24_months_2024-07_to_2026-06.csv"
WARD_2024_2026 = "MPS_Ward_Level_Crime_most_recent_24_months_2024-03_to_2026-03.csv"

#: configuration -> (files passed with --data, or None for no --data; the files the tool reads)
CONFIGS: dict[str, tuple[bool, tuple[str, ...]]] = {
    "A": (False, (OLD_2008_2016, HO_2010_2023, HO_2023_2025)),
    "B": (
        True,
        (
            OLD_2008_2016,
            HO_2010_2023,
            HO_2023_2025,
            OLD_2017_2018,
            HOCAT_2010_2022,
            HOCAT_2022_2024,
            HO_2024_2026,
            WARD_2024_2026,
        ),
    ),
    "C": (True, (HO_2023_2025, WARD_2024_2026)),
}

#: first and last month (inclusive) held by each configuration's files; checked against the
#: files themselves in test_configuration_month_ranges.
CONFIG_RANGES = {
    "A": ("2008-01", "2025-02"),
    "B": ("2008-01", "2026-06"),
    "C": ("2023-03", "2026-03"),
}


def path_of(name: str):
    # real_file falls back to sample_data/ for the files bundled there.
    return real_file("london-datastore", name)


# ---------------------------------------------------------------------------------------------
# Months: an integer index year*12 + (month-1)
# ---------------------------------------------------------------------------------------------


def mi(year: int, month: int) -> int:
    return year * 12 + month - 1


def parse_ym(text: str) -> int:
    year, month = text.split("-")
    return mi(int(year), int(month))


def mlabel(m: int) -> str:
    return f"{m // 12:04d}-{m % 12 + 1:02d}"


def period_months(label: str) -> list[int]:
    """'2009/10' = Apr 2009..Mar 2010; '2010' = Jan..Dec 2010; '12m:2026-06' = Jul 2025..Jun 2026."""
    if label.startswith("12m:"):
        end = parse_ym(label[4:])
        return list(range(end - 11, end + 1))
    start = mi(int(label.split("/")[0]), 4) if "/" in label else mi(int(label), 1)
    return list(range(start, start + 12))


def periods_for(config: str) -> list[str]:
    """Every financial and calendar year with at least one month in the configuration's data."""
    first, last = (parse_ym(x) for x in CONFIG_RANGES[config])
    labels = []
    for year in range(first // 12 - 1, last // 12 + 1):
        fy = f"{year}/{(year + 1) % 100:02d}"
        if any(first <= m <= last for m in period_months(fy)):
            labels.append(fy)
    for year in range(first // 12, last // 12 + 1):
        labels.append(str(year))
    return labels


# ---------------------------------------------------------------------------------------------
# Category mapping
# ---------------------------------------------------------------------------------------------


def norm(text: str) -> str:
    return " ".join(text.split()).lower()


RES_BURGLARY = "Residential burglary"
ROBBERY = "Total robbery"
THEFT_FROM_VEH = "Theft from vehicles"
THEFT_OF_VEH = "Theft or taking of vehicles"
SAC = "Serious acquisitive crime"
BC_BURGLARY = "Business and community burglary"
FRAUD = "Fraud and forgery"
TNO = "Total notifiable offences"

MINOR_CATEGORIES = {
    RES_BURGLARY: {
        "burglary in a dwelling",
        "burglary - residential",
        "domestic burglary",
        "res burglary of a home",
        "residential burglary",
        "res burglary of unconnected building",
    },
    THEFT_FROM_VEH: {
        "theft from motor vehicle",
        "theft from m/v",
        "theft from a motor vehicle",
        "theft from a vehicle",
    },
    THEFT_OF_VEH: {
        "theft/taking of motor vehicle",
        "theft/taking of m/v",
        "theft or taking of a motor vehicle",
        "theft or unauth taking of a motor veh",
        "aggravated vehicle taking",
    },
    BC_BURGLARY: {
        "burglary in other buildings",
        "burglary - business and community",
        "burglary business and community",
        "burglary non-dwelling",
    },
}
MINOR_TO_CATEGORY = {minor: cat for cat, minors in MINOR_CATEGORIES.items() for minor in minors}

MAJOR_TO_CATEGORY = {
    "robbery": ROBBERY,
    "violence against the person": "Violence against the person",
    "sexual offences": "Sexual offences",
    "burglary": "Burglary",
    "theft and handling": "Theft and handling",
    "theft": "Theft",
    "vehicle offences": "Vehicle offences",
    "criminal damage": "Arson and criminal damage",
    "arson and criminal damage": "Arson and criminal damage",
    "drugs": "Drug offences",
    "drug offences": "Drug offences",
    "possession of weapons": "Possession of weapons",
    "public order offences": "Public order offences",
    "miscellaneous crimes against society": "Miscellaneous crimes against society",
    "other notifiable offences": "Other notifiable offences",
    "fraud or forgery": FRAUD,
    "fraud and forgery": FRAUD,
    "historical fraud and forgery": FRAUD,
    "nfib fraud": "Fraud (NFIB)",
}
SAC_PARTS = (RES_BURGLARY, ROBBERY, THEFT_FROM_VEH, THEFT_OF_VEH)

#: (category, first month, classifications it applies to)
BREAKS = [
    (RES_BURGLARY, mi(2017, 4), {"old", "ho"}),
    (BC_BURGLARY, mi(2017, 4), {"old", "ho"}),
    (SAC, mi(2017, 4), {"old", "ho"}),
    (FRAUD, mi(2011, 12), {"old"}),
    (TNO, mi(2011, 12), {"old"}),
    (FRAUD, mi(2013, 2), {"old", "ho"}),
    (TNO, mi(2013, 2), {"old", "ho"}),
]

AIRPORTS = "London Heathrow and London City Airports"
#: areas of the files that are not London boroughs (ward file: "Aviation Security (SO18)").
NOT_BOROUGHS = {"Unknown", AIRPORTS, "Aviation Security (SO18)"}


# ---------------------------------------------------------------------------------------------
# Parsing (each file once per session)
# ---------------------------------------------------------------------------------------------


@dataclass
class FileData:
    name: str
    classification: str  # "old" | "ho"
    level: str  # "borough" | "ward"
    months: frozenset  # months kept (incomplete months dropped)
    last: int
    areas: frozenset
    cats: frozenset  # categories the file defines
    counts: dict = field(repr=False)  # (area, category) -> {month: count}
    dropped: tuple = ()


_PARSED: dict[str, FileData] = {}


def _first_column(header: list[str], names: tuple[str, ...]) -> int:
    for name in names:
        if name in header:
            return header.index(name)
    raise AssertionError(f"none of {names} in header {header[:6]}")


def parse_file(name: str) -> FileData:
    if name in _PARSED:
        return _PARSED[name]
    with open(path_of(name), newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader)]
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    month_cols = [
        (i, mi(int(h[:4]), int(h[4:]))) for i, h in enumerate(header) if len(h) == 6 and h.isdigit()
    ]
    assert month_cols, name
    level = "ward" if "WardName" in header else "borough"
    area_col = (
        header.index("LookUp_BoroughName")
        if level == "ward"
        else _first_column(header, ("Borough", "BoroughName", "LookUp_BoroughName", "BOCU"))
    )
    major_col = _first_column(header, ("Major Category", "MajorText", "Group"))
    minor_col = _first_column(header, ("Minor Category", "MinorText", "SubGroup"))

    classification = (
        "old" if any(norm(row[major_col]) == "theft and handling" for row in rows) else "ho"
    )
    month_totals = {m: 0 for _, m in month_cols}
    raw: dict = {}
    areas = set()
    cats = {TNO}
    for line_no, row in enumerate(rows, start=2):
        assert len(row) == len(header), f"{name}:{line_no}: {len(row)} cells"
        area = " ".join(row[area_col].split())
        areas.add(area)
        major, minor = norm(row[major_col]), norm(row[minor_col])
        assert major in MAJOR_TO_CATEGORY, f"{name}:{line_no}: unmapped major {row[major_col]!r}"
        row_cats = [TNO, MAJOR_TO_CATEGORY[major]]
        if minor in MINOR_TO_CATEGORY:
            row_cats.append(MINOR_TO_CATEGORY[minor])
        cats.update(row_cats)
        for i, m in month_cols:
            value = int(row[i].replace(",", "").strip())
            assert value >= 0
            month_totals[m] += value
            for cat in row_cats:
                cell = raw.setdefault((area, cat), {})
                cell[m] = cell.get(m, 0) + value
    median = statistics.median(month_totals.values())
    kept = frozenset(m for m, total in month_totals.items() if total >= 0.1 * median)
    dropped = tuple(sorted(set(month_totals) - kept))
    if all(part in cats for part in SAC_PARTS):
        cats.add(SAC)
        for area in areas:
            raw[(area, SAC)] = {
                m: sum(raw.get((area, part), {}).get(m, 0) for part in SAC_PARTS)
                for _, m in month_cols
            }
    data = FileData(
        name=name,
        classification=classification,
        level=level,
        months=kept,
        last=max(kept),
        areas=frozenset(areas),
        cats=frozenset(cats),
        counts=raw,
        dropped=dropped,
    )
    _PARSED[name] = data
    return data


# ---------------------------------------------------------------------------------------------
# The model of one configuration: series, supplying files, holdings
# ---------------------------------------------------------------------------------------------


class Model:
    def __init__(self, names: tuple[str, ...]):
        self.files = [parse_file(n) for n in names]
        self.areas = sorted(set().union(*(f.areas for f in self.files)))
        self.boroughs = [a for a in self.areas if a not in NOT_BOROUGHS]
        self.months = set().union(*(f.months for f in self.files))
        self.series: dict[tuple[str, str], dict] = {}
        by_series: dict[tuple[str, str], list] = {}
        for order, f in enumerate(self.files):
            by_series.setdefault((f.classification, f.level), []).append((order, f))
        for key, members in by_series.items():
            supply = {}
            for area in self.areas:
                for m in self.months:
                    best = None
                    for order, f in members:
                        if m in f.months and area in f.areas:
                            rank = (f.last, order)
                            if best is None or rank > best[0]:
                                best = (rank, f)
                    if best is not None:
                        supply[(area, m)] = best[1]
            self.series[key] = supply
        self._area_months = {
            area: {m for f in self.files if area in f.areas for m in f.months}
            for area in self.areas
        }

    # -- holdings ------------------------------------------------------------------------------
    def holds(self, s, area, m, cat) -> bool:
        f = self.series[s].get((area, m))
        return f is not None and cat in f.cats

    def value(self, s, area, m, cat) -> int:
        f = self.series[s][(area, m)]
        return f.counts.get((area, cat), {}).get(m, 0)

    def months_held(self, area) -> set:
        if area is None:
            return set(self.months)
        return self._area_months.get(area, set())

    def whole_areas(self, s, selection, months, cat) -> list:
        return [a for a in selection if all(self.holds(s, a, m, cat) for m in months)]

    def preference(self, s, held, months) -> tuple:
        newest = max(self.series[s][(a, m)].last for a in held for m in months)
        return (
            sum(1 for a in held if a not in NOT_BOROUGHS),
            s[1] == "borough",
            newest,
        )

    def total(self, s, areas, months, cat) -> int:
        return sum(self.value(s, a, m, cat) for a in areas for m in months)


def crosses_break(cat: str, classifications: set, months: list) -> bool:
    for bcat, first, applies in BREAKS:
        if bcat != cat or not (classifications & applies):
            continue
        if any(m < first for m in months) and any(m >= first for m in months):
            return True
    return False


ALL_CATEGORIES = [
    RES_BURGLARY,
    ROBBERY,
    THEFT_FROM_VEH,
    THEFT_OF_VEH,
    SAC,
    BC_BURGLARY,
    "Violence against the person",
    "Sexual offences",
    "Burglary",
    "Theft and handling",
    "Theft",
    "Vehicle offences",
    "Arson and criminal damage",
    "Drug offences",
    "Possession of weapons",
    "Public order offences",
    "Miscellaneous crimes against society",
    "Other notifiable offences",
    FRAUD,
    "Fraud (NFIB)",
    TNO,
]


def pct(change, baseline):
    if change is None or baseline is None or baseline == 0:
        return None
    return 100 * change / baseline


def expected_category(model: Model, selection: list, cur: list, base: list, cat: str):
    """The expected JSON row of one category, or None when it is not shown."""
    both = cur + base
    series = list(model.series)
    if not any(model.holds(s, a, m, cat) for s in series for a in selection for m in both):
        return None
    row = {
        "count": None,
        "baseline_count": None,
        "change": None,
        "pct_change": None,
        "partial_count": None,
        "baseline_partial_count": None,
        "like_for_like": None,
    }
    # 1. One series holding both sides whole.
    candidates = []
    for s in series:
        held = model.whole_areas(s, selection, both, cat)
        if held:
            candidates.append((model.preference(s, held, both), s, held))
    if candidates:
        _, s, held = max(candidates, key=lambda c: c[0])
        row["count"] = model.total(s, held, cur, cat)
        row["baseline_count"] = model.total(s, held, base, cat)
        row["change"] = row["count"] - row["baseline_count"]
        row["pct_change"] = pct(row["change"], row["baseline_count"])
        row["like_for_like"] = not crosses_break(cat, {s[0]}, both)
        row["_series"] = (s, s)
        return row

    # 2. Each side on its own.
    def side(months):
        whole = []
        for s in series:
            held = model.whole_areas(s, selection, months, cat)
            if held:
                whole.append((model.preference(s, held, months), s, held))
        if whole:
            _, s, held = max(whole, key=lambda c: c[0])
            return ("whole", s, held)
        partial = []
        for s in series:
            cells = [(a, m) for m in months for a in selection if model.holds(s, a, m, cat)]
            if cells:
                held_months = {m for _, m in cells}
                newest = max(model.series[s][c].last for c in cells)
                value = sum(model.value(s, a, m, cat) for a, m in cells)
                partial.append(((len(held_months), s[1] == "borough", newest), s, value))
        if partial:
            _, s, value = max(partial, key=lambda c: c[0])
            return ("partial", s, value)
        return ("none", None, None)

    cur_side, base_side = side(cur), side(base)
    if cur_side[0] == "whole" and base_side[0] == "whole":
        areas = [a for a in cur_side[2] if a in base_side[2]]
        row["count"] = model.total(cur_side[1], areas, cur, cat)
        row["baseline_count"] = model.total(base_side[1], areas, base, cat)
        row["change"] = row["count"] - row["baseline_count"]
        row["pct_change"] = pct(row["change"], row["baseline_count"])
        row["like_for_like"] = False
    else:
        for (kind, s, payload), months, whole_key, partial_key in (
            (cur_side, cur, "count", "partial_count"),
            (base_side, base, "baseline_count", "baseline_partial_count"),
        ):
            if kind == "whole":
                row[whole_key] = model.total(s, payload, months, cat)
            elif kind == "partial":
                row[partial_key] = payload
    row["_series"] = (cur_side[1], base_side[1])
    return row


def expected_report(model: Model, area, label: str, vs: str | None = None):
    """area: a canonical area name, or None for london. None when the tool must exit 2."""
    period = period_months(label)
    held = model.months_held(area)
    cur = [m for m in period if m in held]
    if not cur:
        return None
    if vs is not None:
        base = period_months(vs)
    elif len(cur) < len(period):
        base = [m - 12 for m in cur]
    else:
        base = [m - 12 for m in period]
    selection = model.areas if area is None else [area]
    rows = {}
    for cat in ALL_CATEGORIES:
        row = expected_category(model, selection, cur, base, cat)
        if row is not None:
            rows[cat] = row
    return {"months_in_data": len(cur), "rows": rows}


_MODELS: dict[str, Model] = {}


def model_for(config: str) -> Model:
    if config not in _MODELS:
        _MODELS[config] = Model(CONFIGS[config][1])
    return _MODELS[config]


def slug(area) -> str:
    return "london" if area is None else area.lower().replace(" ", "-")


def data_args(config: str) -> list[str]:
    given, names = CONFIGS[config]
    args: list[str] = []
    if given:
        for name in names:
            args += ["--data", str(path_of(name))]
    return args


def run_report(runner: CliRunner, config: str, area, label: str, *extra: str):
    args = ["report", slug(area), "--period", label, "--format", "json", *extra, *data_args(config)]
    return runner.invoke(main, args)


def tool_rows(report: dict) -> dict:
    return {norm(row["category"]): row for row in report["rows"]}


FIELDS = (
    "count",
    "baseline_count",
    "change",
    "pct_change",
    "partial_count",
    "baseline_partial_count",
    "like_for_like",
)


def same(field_name: str, got, want) -> bool:
    if want is None or got is None:
        return got is None and want is None
    if field_name == "pct_change":
        return got == pytest.approx(want, rel=1e-9, abs=1e-9)
    if field_name == "like_for_like":
        return got is want
    return isinstance(got, int) and not isinstance(got, bool) and got == want


def compare_report(name: str, label: str, report: dict, expected: dict, problems: list) -> None:
    def bad(category, field_name, got, want):
        problems.append(f"{name} {label} {category} {field_name}: tool {got!r}, expected {want!r}")

    got_months = report.get("period_detail", {}).get("months_in_data")
    if got_months != expected["months_in_data"]:
        bad("-", "period_detail.months_in_data", got_months, expected["months_in_data"])
    rows = tool_rows(report)
    want_rows = {norm(cat): (cat, row) for cat, row in expected["rows"].items()}
    for key in sorted(set(rows) - set(want_rows)):
        bad(rows[key]["category"], "(row shown)", "shown", "not shown")
    for key, (cat, want) in want_rows.items():
        if key not in rows:
            bad(cat, "(row shown)", "not shown", "shown")
            continue
        got = rows[key]
        for field_name in FIELDS:
            if not same(field_name, got.get(field_name), want[field_name]):
                bad(cat, field_name, got.get(field_name), want[field_name])


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


def test_configuration_month_ranges() -> None:
    """The hard-coded month ranges used for the parametrisation agree with the files; the
    ward file's first month (47 offences) is the only month dropped as an incomplete extract."""
    for config, (first, last) in CONFIG_RANGES.items():
        model = model_for(config)
        assert (mlabel(min(model.months)), mlabel(max(model.months))) == (first, last), config
        assert len(model.boroughs) == 32, (config, model.boroughs)
    dropped = {name: f.dropped for name, f in _PARSED.items() if f.dropped}
    assert dropped == {WARD_2024_2026: (mi(2024, 3),)}
    classes = {name: (f.classification, f.level) for name, f in _PARSED.items()}
    assert classes == {
        OLD_2008_2016: ("old", "borough"),
        OLD_2017_2018: ("old", "borough"),
        HO_2010_2023: ("ho", "borough"),
        HO_2023_2025: ("ho", "borough"),
        HOCAT_2010_2022: ("ho", "borough"),
        HOCAT_2022_2024: ("ho", "borough"),
        HO_2024_2026: ("ho", "borough"),
        WARD_2024_2026: ("ho", "ward"),
    }


def cases() -> list[tuple[str, str]]:
    """(configuration, period) pairs.

    Budget: each report takes the tool 40-130 ms in-process and every period runs 33 reports,
    so the full lists (A 36, B 39, C 8 periods) took 2-5 minutes, over the ~3 minute budget.
    As agreed for that case, configuration B (the largest) keeps every other year only: the
    financial years starting in an odd year (2007/08, 2009/10, ..., 2025/26, which include
    2011/12, 2013/14 and 2017/18, the years that span the Dec 2011 / Feb 2013 / Apr 2017
    breaks), the even calendar years (2008, ..., 2026) and the partial 2026/27 (Apr-Jun 2026).
    Set RECOUNT_ALL_PERIODS=1 to run B's every period.
    """
    out = []
    for config in CONFIGS:
        for label in periods_for(config):
            if config == "B" and not os.environ.get("RECOUNT_ALL_PERIODS"):
                year = int(label.split("/")[0])
                keep = (year % 2 == 1) if "/" in label else (year % 2 == 0)
                if not keep and label != "2026/27":
                    continue
            out.append((config, label))
    return out


CASES = cases()


@pytest.mark.parametrize(("config", "label"), CASES, ids=[f"{c}-{p}" for c, p in CASES])
def test_recount_every_area(runner: CliRunner, config: str, label: str) -> None:
    model = model_for(config)
    problems: list[str] = []
    areas = [None, *model.boroughs]
    expected = {area: expected_report(model, area, label) for area in areas}
    reports = {}
    for area in areas:
        result = run_report(runner, config, area, label)
        name = slug(area)
        if expected[area] is None:
            if result.exit_code != 2:
                problems.append(f"{name} {label}: exit code {result.exit_code}, expected 2")
            continue
        if result.exit_code != 0:
            problems.append(f"{name} {label}: exit code {result.exit_code}: {result.output[-300:]}")
            continue
        report = json.loads(result.stdout)
        reports[area] = report
        compare_report(name, label, report, expected[area], problems)

    if config == "A":
        check_ranks(model, label, expected, reports, problems)

    assert not problems, f"{len(problems)} mismatches ({config}):\n" + "\n".join(problems)


def check_ranks(model: Model, label: str, expected: dict, reports: dict, problems: list) -> None:
    """rank / rank_of / force_pct_change of every borough row with a percentage change."""
    london = expected[None]
    for cat in ALL_CATEGORIES:
        computed = {
            area: expected[area]["rows"][cat]["pct_change"]
            for area in model.boroughs
            if expected[area] is not None
            and cat in expected[area]["rows"]
            and expected[area]["rows"][cat]["change"] is not None
        }
        force = london["rows"][cat]["pct_change"] if london and cat in london["rows"] else None
        for area, value in computed.items():
            if value is None or area not in reports:
                continue
            got = tool_rows(reports[area]).get(norm(cat))
            if got is None:
                continue  # already reported as a missing row
            # rank = 1 + boroughs with a strictly smaller pct_change; rank_of = the boroughs
            # ranked, those with a % change: a zero baseline (0 -> 0 fraud after 2013) has a
            # change but no percentage to rank by.
            want_rank = 1 + sum(1 for v in computed.values() if v is not None and v < value)
            want_of = sum(1 for v in computed.values() if v is not None)
            for field_name, want in (("rank", want_rank), ("rank_of", want_of)):
                if got.get(field_name) != want:
                    problems.append(
                        f"{slug(area)} {label} {cat} {field_name}: tool {got.get(field_name)!r}, "
                        f"expected {want!r}"
                    )
            if not same("pct_change", got.get("force_pct_change"), force):
                problems.append(
                    f"{slug(area)} {label} {cat} force_pct_change: tool "
                    f"{got.get('force_pct_change')!r}, expected {force!r}"
                )


def test_period_without_data_exits_2(runner: CliRunner) -> None:
    """A period none of whose months the data hold is a usage error (exit code 2)."""
    for config, area, label in (
        ("A", None, "2025/26"),  # config A ends in Feb 2025
        ("A", "Bexley", "2026"),
        ("C", None, "2022"),  # config C begins in Mar 2023
        ("C", "Bexley", "2021/22"),
    ):
        assert expected_report(model_for(config), area, label) is None
        result = run_report(runner, config, area, label)
        assert result.exit_code == 2, (config, area, label, result.output[-300:])


# ---------------------------------------------------------------------------------------------
# Hand-worked cases: literal numbers summed from the raw files by hand (a throwaway script
# outside the repository), each sum shown in a comment.
# ---------------------------------------------------------------------------------------------


def row_of(report: dict, category: str) -> dict:
    rows = tool_rows(report)
    assert norm(category) in rows, (category, sorted(rows))
    return rows[norm(category)]


def test_hand_bexley_12_months_to_june_2026_newest_layout(runner: CliRunner) -> None:
    # MPS_Borough_Level_Crime_most_recent_24_months_2024-07_to_2026-06.csv alone, BOCU Bexley,
    # Jul 2025..Jun 2026 against Jul 2024..Jun 2025 (every row of Bexley):
    #   Total notifiable offences: 16,071 vs 16,446
    #   Burglary = BUSINESS AND COMMUNITY 208 + RES OF A HOME 463 + RES OF UNCONNECTED BUILDING 126
    #            = 797 vs 231 + 365 + 120 = 716
    #   Total robbery = BUSINESS PROPERTY 200 + PERSONAL PROPERTY 195 = 395 vs 116 + 206 = 322
    #   Residential burglary = OF A HOME 463 + UNCONNECTED BUILDING 126 = 589 vs 365 + 120 = 485
    report = report_json("bexley", "--period", "12m:2026-06", "--data", str(path_of(HO_2024_2026)))
    for category, count, baseline in (
        (TNO, 16071, 16446),
        ("Burglary", 797, 716),
        (ROBBERY, 395, 322),
        (RES_BURGLARY, 589, 485),
    ):
        row = row_of(report, category)
        assert (row["count"], row["baseline_count"]) == (count, baseline), category
        assert row["change"] == count - baseline, category
        assert row["pct_change"] == pytest.approx(100 * (count - baseline) / baseline), category


def test_hand_islington_2010_theft_and_handling_whole_theft_partial(runner: CliRunner) -> None:
    report = report_json("islington", "--period", "2010")
    # Theft and Handling, Islington, old 2008-2016 file: Jan..Dec 2010 = 12,636;
    # Jan..Dec 2009 = 12,380 (the old file holds both years whole).
    row = row_of(report, "Theft and handling")
    assert (row["count"], row["baseline_count"], row["change"]) == (12636, 12380, 256)
    assert row["pct_change"] == pytest.approx(100 * 256 / 12380)
    assert row["like_for_like"] is True
    # THEFT (Home Office classes), Islington, 2010-04..2023-09 file: Apr..Dec 2010 = 7,139;
    # 2010 is held for 9 of 12 months and 2009 not at all.
    row = row_of(report, "Theft")
    assert row["count"] is None
    assert row["partial_count"] == 7139
    assert row["baseline_count"] is None and row["baseline_partial_count"] is None
    assert row["change"] is None and row["pct_change"] is None
    assert row["like_for_like"] is None


def test_hand_london_2010_11_from_the_old_file(runner: CliRunner) -> None:
    report = report_json("london", "--period", "2010/11")
    # Violence Against the Person, all 32 boroughs of the 2008-2016 file:
    #   Apr 2010..Mar 2011: 14394+15482+15694+16022+13880+13684+13867+12949+11857+12667+11924
    #                       +13207 = 165,627
    #   Apr 2009..Mar 2010: 14185+15724+15762+15316+15007+14165+14762+14282+13313+13514+13063
    #                       +15157 = 174,250
    #   change -8,623 = -4.95%
    row = row_of(report, "Violence against the person")
    assert (row["count"], row["baseline_count"], row["change"]) == (165627, 174250, -8623)
    assert row["pct_change"] == pytest.approx(-4.948637015781922)
    assert round(row["pct_change"], 1) == -4.9
    assert row["like_for_like"] is True
    # Fraud or Forgery, same file:
    #   Apr 2010..Mar 2011: 3110+3158+3238+3389+3115+3205+3203+3204+2721+3152+3035+3220 = 37,750
    #   Apr 2009..Mar 2010: 3047+2840+3248+3205+2918+3316+3272+3077+2828+3244+3233+3629 = 37,857
    #   change -107 = -0.28% (no break crossed: Dec 2011 and Feb 2013 are later)
    row = row_of(report, FRAUD)
    assert (row["count"], row["baseline_count"], row["change"]) == (37750, 37857, -107)
    assert row["pct_change"] == pytest.approx(-0.2826425760097208)
    assert round(row["pct_change"], 1) == -0.3
    assert row["like_for_like"] is True


def test_hand_london_2017_18_residential_burglary_crosses_april_2017(runner: CliRunner) -> None:
    report = report_json("london", "--period", "2017/18", *data_args("B"))
    # Both the Met's categories (2008-2016 + 2017-2018 files) and the Home Office classes hold
    # 2016/17 and 2017/18 whole for all 32 boroughs; the newest release wins: the Home Office
    # 2010-04..2023-09 file (it supplies these months over the 2010-04..2022-01 one).
    # BURGLARY IN A DWELLING over its 34 areas (32 boroughs, Unknown 73 vs 25, airports 0 vs 0):
    #   Apr 2017..Mar 2018 = 58,040; Apr 2016..Mar 2017 = 43,424; change 14,616 = +33.66%,
    #   across the April 2017 definition break, so not like for like.
    row = row_of(report, RES_BURGLARY)
    assert (row["count"], row["baseline_count"], row["change"]) == (58040, 43424, 14616)
    assert row["pct_change"] == pytest.approx(33.658806190125276)
    assert round(row["pct_change"], 1) == 33.7
    assert row["like_for_like"] is False


def test_hand_kingston_2023_24_fraud_is_zero_not_missing(runner: CliRunner) -> None:
    report = report_json("kingston-upon-thames", "--period", "2023/24")
    # 2022/23: Apr 2022..Feb 2023 from the 2010-04..2023-09 file, whose FRAUD AND FORGERY row
    # for Kingston is 0 in all 11 months; Mar 2023..Mar 2024 from the 2023-03..2025-02 file,
    # which has FRAUD AND FORGERY rows (for 32 areas) but none for Kingston: 0.
    row = row_of(report, FRAUD)
    assert (row["count"], row["baseline_count"], row["change"]) == (0, 0, 0)
    assert row["pct_change"] is None
    assert row["partial_count"] is None and row["baseline_partial_count"] is None


def test_hand_bexley_2023_24_vs_2009_10_fraud_rank(runner: CliRunner) -> None:
    report = report_json("bexley", "--period", "2023/24", "--vs", "2009/10")
    # Fraud and forgery, 2023/24 from the 2023-03..2025-02 file (FRAUD AND FORGERY), 2009/10
    # from the 2008-2016 file (Fraud or Forgery): Bexley 1 vs 669 = -99.8505%.
    # Boroughs' changes, lowest first: 13 boroughs at -100% (0 against 462..1557), then
    # Westminster -99.954, Croydon -99.946, Bromley -99.931, Haringey -99.924, Ealing -99.923,
    # Hillingdon -99.912, Tower Hamlets -99.903, Harrow -99.891, Newham -99.882,
    # Hammersmith and Fulham -99.877, Islington -99.877, Waltham Forest -99.872, Brent -99.869
    # (26 boroughs below Bexley), Bexley -99.851, Merton -99.826, Richmond -99.799,
    # Sutton -99.781, Hackney -99.676, Kensington and Chelsea -99.604: rank 27 of 32.
    row = row_of(report, FRAUD)
    assert (row["count"], row["baseline_count"], row["change"]) == (1, 669, -668)
    assert row["pct_change"] == pytest.approx(100 * -668 / 669)
    assert row["like_for_like"] is False
    assert (row["rank"], row["rank_of"]) == (27, 32)


def test_hand_barking_2011_12_business_and_community_burglary(runner: CliRunner) -> None:
    report = report_json("barking-and-dagenham", "--period", "2011/12")
    # The Home Office 2010-04..2023-09 file (newer than the 2008-2016 file, which also holds
    # both years) has one BURGLARY BUSINESS AND COMMUNITY row for Barking and Dagenham:
    #   Apr 2011..Mar 2012: 60+44+59+60+93+65+64+63+52+45+43+60 = 708
    #   Apr 2010..Mar 2011: 49+58+58+46+46+51+53+62+49+50+51+65 = 638
    row = row_of(report, BC_BURGLARY)
    assert (row["count"], row["baseline_count"], row["change"]) == (708, 638, 70)
    assert row["pct_change"] == pytest.approx(100 * 70 / 638)

"""Report figures checked against sums worked out independently from the raw CSV files.

The expected values here are computed with nothing but the standard library ``csv`` module
reading the three London Datastore files in ``sample_data/``; nothing from ``policing_cli`` is
imported to compute them. The tool is only run through its CLI (``report ... --format json``).

Rules used for the independent computation:

* Every file is wide: id columns, then one column per month ``YYYYMM``.
* When several files hold the same (area, month), the file whose data run latest (largest last
  month) supplies that month; so 2008-01..2010-03 come from the 2008-2016 file,
  2010-04..2023-02 from the 2010-2023 file and 2023-03..2025-02 from the 2023-2025 file.
* Categories are matched case-insensitively on the minor (or major) category text.
* ``london`` is every area in the data, airports and "Unknown" included.
* % change = 100 * (count - baseline) / baseline, null when the baseline is 0.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from policing_cli.cli import main

SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"
FILES = (
    "MPS_Borough_Level_Crime_Historic_2008-01_to_2016-12.csv",
    "MPS_Borough_Level_Crime_Historical_2010-04_to_2023-09.csv",
    "MPS_Borough_Level_Crime_most_recent_24_months_2023-03_to_2025-02.csv",
)

RESIDENTIAL_BURGLARY = {
    "burglary in a dwelling",
    "burglary - residential",
    "domestic burglary",
    "res burglary of a home",
    "residential burglary",
}
THEFT_FROM_VEHICLES = {
    "theft from motor vehicle",
    "theft from m/v",
    "theft from a motor vehicle",
    "theft from a vehicle",
}
# The Met's old "Theft/Taking Of Motor Vehicle" includes aggravated vehicle taking, which the
# Home Office classes count apart: the leaflet's category is both (Barking and Dagenham
# 2010/11: 1,125 + 21 in the Home Office classes = 1,146 in the Met's own categories).
THEFT_OF_VEHICLES = {
    "theft/taking of motor vehicle",
    "theft/taking of m/v",
    "theft or taking of a motor vehicle",
    "theft or unauth taking of a motor veh",
    "aggravated vehicle taking",
}

CATEGORIES = (
    "Residential burglary",
    "Total robbery",
    "Theft from vehicles",
    "Theft or taking of vehicles",
    "Serious acquisitive crime",
    "Violence against the person",
    "Total notifiable offences",
)


# --------------------------------------------------------------------------------------------
# Independent computation (standard library csv only)
# --------------------------------------------------------------------------------------------


Row = tuple[str, str, str, tuple[int, ...]]  # (area, major, minor, counts per month)
RawFile = tuple[str, tuple[str, ...], tuple[Row, ...]]  # (file name, month columns, rows)


@cache
def _raw_files() -> tuple[RawFile, ...]:
    """Each file as (name, month columns, rows of (area, major, minor, counts))."""
    loaded = []
    for name in FILES:
        with open(SAMPLE_DATA / name, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            if header[0] == "Borough":  # Borough,Major Category,Minor Category,200801,...
                area_col, major_col, minor_col = 0, 1, 2
            else:  # MajorText,MinorText,BoroughName,201004,...
                major_col, minor_col, area_col = 0, 1, 2
            months = tuple(header[3:])
            assert all(len(m) == 6 and m.isdigit() for m in months)
            rows = tuple(
                (
                    row[area_col].strip(),
                    row[major_col].strip(),
                    row[minor_col].strip(),
                    tuple(int(cell) for cell in row[3:]),
                )
                for row in reader
                if row
            )
        loaded.append((name, months, rows))
    return tuple(loaded)


def _categories_of(major: str, minor: str) -> list[str]:
    major, minor = major.lower(), minor.lower()
    found = ["Total notifiable offences"]
    sac = False
    if minor in RESIDENTIAL_BURGLARY:
        found.append("Residential burglary")
        sac = True
    if major == "robbery":
        found.append("Total robbery")
        sac = True
    if minor in THEFT_FROM_VEHICLES:
        found.append("Theft from vehicles")
        sac = True
    if minor in THEFT_OF_VEHICLES:
        found.append("Theft or taking of vehicles")
        sac = True
    if sac:
        found.append("Serious acquisitive crime")
    if major == "violence against the person":
        found.append("Violence against the person")
    return found


def _areas_for(request: str) -> set[str]:
    """The area names in the files that a requested area stands for."""
    every = {row[0] for _, _, rows in _raw_files() for row in rows}
    if request.lower() == "london":
        return every
    wanted = " ".join(request.lower().replace("&", "and").split())
    chosen = {a for a in every if a.lower() == wanted}
    assert chosen, f"no area {request!r} in the sample data"
    return chosen


def _month_range(first: str, last: str) -> list[str]:
    """``YYYYMM`` strings from first to last inclusive."""
    year, month = int(first[:4]), int(first[4:])
    out = []
    while True:
        label = f"{year:04d}{month:02d}"
        out.append(label)
        if label == last:
            return out
        month += 1
        if month == 13:
            year, month = year + 1, 1


@cache
def _totals(request: str, first: str, last: str) -> dict[str, int]:
    """Category totals for an area over first..last (inclusive, ``YYYYMM``)."""
    totals = dict.fromkeys(CATEGORIES, 0)
    files = _raw_files()
    for area in _areas_for(request):
        for month in _month_range(first, last):
            # The file supplying (area, month): the one among those holding both whose
            # data run latest.
            holders = [
                (months[-1], months, rows)
                for _, months, rows in files
                if month in months and any(row[0] == area for row in rows)
            ]
            if not holders:
                continue
            _, months, rows = max(holders, key=lambda h: h[0])
            col = months.index(month)
            for row_area, major, minor, counts in rows:
                if row_area != area:
                    continue
                for category in _categories_of(major, minor):
                    totals[category] += counts[col]
    return totals


# period as typed -> (label, first, last, baseline label, baseline first, baseline last)
PERIODS = {
    "2023/24": ("2023/24", "202304", "202403", "2022/23", "202204", "202303"),
    "2009/10": ("2009/10", "200904", "201003", "2008/09", "200804", "200903"),
    "2023": ("2023", "202301", "202312", "2022", "202201", "202212"),
    "12m:2024-10": ("12m:2024-10", "202311", "202410", "12m:2023-10", "202211", "202310"),
    "2024-10": ("2024-10", "202410", "202410", "2023-10", "202310", "202310"),
    "1m:2024-10": ("1m:2024-10", "202410", "202410", "1m:2023-10", "202310", "202310"),
    "fytd:2024-10": ("fytd:2024-10", "202404", "202410", "fytd:2023-10", "202304", "202310"),
}

AREAS = ("bexley", "Westminster", "Kensington & Chelsea", "london")


def _dash(yyyymm: str) -> str:
    return f"{yyyymm[:4]}-{yyyymm[4:]}"


# --------------------------------------------------------------------------------------------
# Running the tool
# --------------------------------------------------------------------------------------------


@cache
def _report(area: str, period: str) -> dict:
    result = CliRunner().invoke(
        main, ["report", area, "--period", period, "--format", "json"], catch_exceptions=False
    )
    assert result.exit_code == 0, f"exit {result.exit_code}: {result.stdout}{result.stderr}"
    return json.loads(result.stdout)


def _rows(data: dict) -> dict[str, dict]:
    return {row["category"].lower(): row for row in data["rows"]}


def _check_row(row: dict, count: int, baseline: int) -> None:
    assert row["count"] == count
    assert row["baseline_count"] == baseline
    assert row["change"] == count - baseline
    if baseline == 0:
        assert row["pct_change"] is None
    else:
        assert row["pct_change"] == pytest.approx(100 * (count - baseline) / baseline)


# --------------------------------------------------------------------------------------------
# Computed, parametrized checks
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("period", list(PERIODS))
@pytest.mark.parametrize("area", AREAS)
def test_report_matches_independent_sums(area: str, period: str) -> None:
    label, first, last, base_label, base_first, base_last = PERIODS[period]
    data = _report(area, period)

    assert data["period"] == label
    assert data["baseline_period"] == base_label
    assert data["period_detail"]["first_month"] == _dash(first)
    assert data["period_detail"]["last_month"] == _dash(last)
    assert data["baseline_detail"]["first_month"] == _dash(base_first)
    assert data["baseline_detail"]["last_month"] == _dash(base_last)

    current = _totals(area, first, last)
    baseline = _totals(area, base_first, base_last)
    rows = _rows(data)
    for category in CATEGORIES:
        assert category.lower() in rows, f"{category} missing from the report"
        row = rows[category.lower()]
        try:
            _check_row(row, current[category], baseline[category])
        except AssertionError as exc:
            raise AssertionError(
                f"{area} {period} {category}: tool {row} vs hand "
                f"count={current[category]} baseline={baseline[category]}"
            ) from exc


def test_serious_acquisitive_is_sum_of_its_parts() -> None:
    """Sanity check of the hand computation itself (no row counted twice or missed)."""
    for area in AREAS:
        for _, first, last, _, _, _ in PERIODS.values():
            t = _totals(area, first, last)
            assert t["Serious acquisitive crime"] == (
                t["Residential burglary"]
                + t["Total robbery"]
                + t["Theft from vehicles"]
                + t["Theft or taking of vehicles"]
            )


def test_bexley_2023_24_sources() -> None:
    """The 2022/23 baseline straddles two files: Apr 2022..Feb 2023 from the 2010-2023 file,
    Mar 2023 onwards from the most-recent-24-months file (the later-running one)."""
    data = _report("bexley", "2023/24")
    sources = {s["file"]: s["months"] for s in data["sources"]}
    assert sources == {
        FILES[1]: "2022-04..2023-02",
        FILES[2]: "2023-03..2024-03",
    }


# --------------------------------------------------------------------------------------------
# Literal figures a reader can check by hand
# --------------------------------------------------------------------------------------------
#
# Computed with two separate throwaway scripts (not this module), each using only the stdlib
# csv module:
#  1. csv.reader over all three files, picking per (area, month) the file whose last month
#     column is latest, summing the matching rows (the same rules as the helper above);
#  2. csv.DictReader with the month columns named explicitly per era, e.g. Bexley 2023/24 =
#     columns 202304..202403 of the 2023-2025 file; Bexley 2022/23 = 202204..202302 of the
#     2010-2023 file + 202303 of the 2023-2025 file; Westminster 2009/10 and 2008/09 =
#     200904..201003 and 200804..200903 of the 2008-2016 file.
# Both scripts gave identical figures.
#
# Note Bexley 2023/24 residential burglary adds the 2023-2025 file's "BURGLARY IN A DWELLING"
# and "BURGLARY - RESIDENTIAL" rows (the MPS renamed the category in March 2024), and theft or
# taking of vehicles adds "AGGRAVATED VEHICLE TAKING": 919 + 23 = 942 in 2023/24, 878 + 32 =
# 910 in 2022/23 (so serious acquisitive crime 2,884 + 23 and 2,673 + 32).

# (area, period, category, count, baseline_count)
LITERAL_FIGURES = [
    ("bexley", "2023/24", "Residential burglary", 692, 558),
    ("bexley", "2023/24", "Total robbery", 354, 292),
    ("bexley", "2023/24", "Theft from vehicles", 919, 945),
    ("bexley", "2023/24", "Theft or taking of vehicles", 942, 910),
    ("bexley", "2023/24", "Serious acquisitive crime", 2907, 2705),
    ("bexley", "2023/24", "Violence against the person", 5716, 5707),
    ("bexley", "2023/24", "Total notifiable offences", 16704, 15746),
    ("Westminster", "2009/10", "Residential burglary", 1314, 1491),
    ("Westminster", "2009/10", "Total robbery", 1720, 1861),
    ("Westminster", "2009/10", "Theft from vehicles", 2508, 3200),
    ("Westminster", "2009/10", "Theft or taking of vehicles", 588, 589),
    ("Westminster", "2009/10", "Serious acquisitive crime", 6130, 7141),
    ("Westminster", "2009/10", "Violence against the person", 8831, 8569),
    ("Westminster", "2009/10", "Total notifiable offences", 64020, 63336),
]


@pytest.mark.parametrize(("area", "period", "category", "count", "baseline"), LITERAL_FIGURES)
def test_literal_figures(area: str, period: str, category: str, count: int, baseline: int) -> None:
    row = _rows(_report(area, period))[category.lower()]
    _check_row(row, count, baseline)


@pytest.mark.parametrize(("area", "period", "category", "count", "baseline"), LITERAL_FIGURES)
def test_literal_figures_agree_with_helper(
    area: str, period: str, category: str, count: int, baseline: int
) -> None:
    """The in-module helper reproduces the separately computed literals."""
    _, first, last, _, base_first, base_last = PERIODS[period]
    assert _totals(area, first, last)[category] == count
    assert _totals(area, base_first, base_last)[category] == baseline


def test_literal_percentages() -> None:
    """A few % changes written out (100 * change / baseline, worked by hand)."""
    rows = _rows(_report("bexley", "2023/24"))
    assert rows["residential burglary"]["pct_change"] == pytest.approx(100 * 134 / 558)  # 24.01
    assert rows["total notifiable offences"]["pct_change"] == pytest.approx(100 * 958 / 15746)
    rows = _rows(_report("Westminster", "2009/10"))
    assert rows["theft from vehicles"]["pct_change"] == pytest.approx(-21.625)  # -692 / 3200


# --------------------------------------------------------------------------------------------
# The golden files' key figures, against the independent sums (so that regenerating a golden
# after a bug cannot hide it)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("golden", "area"),
    [("bexley_2023-24.txt", "bexley"), ("kensington_2023-24.md", "Kensington & Chelsea")],
)
def test_golden_key_figures(golden: str, area: str) -> None:
    text = (Path(__file__).resolve().parent / "golden" / golden).read_text(encoding="utf-8")
    _, first, last, _, base_first, base_last = PERIODS["2023/24"]
    now, before = _totals(area, first, last), _totals(area, base_first, base_last)
    for category in CATEGORIES:
        line = next(ln for ln in text.splitlines() if ln.lstrip("| ").startswith(category + " "))
        cells = [c.strip() for c in line.replace("|", "  ").split("  ") if c.strip()]
        count, baseline = (int(c.replace(",", "")) for c in cells[1:3])
        assert (count, baseline) == (now[category], before[category]), (golden, category)

"""Cases found in review: each once gave a wrong figure or a wrong refusal."""

from __future__ import annotations

import csv
import json
import shutil

from policing_cli.cli import main

from .conftest import real_file
from .helpers import report_json


def test_street_and_borough_counts_are_never_added(runner):
    borough = real_file(
        "london-datastore", "MPS_Borough_Level_Crime_Historical_2010-04_to_2023-09.csv"
    )
    street = real_file("police-uk", "2023-01-metropolitan-street_SAMPLE_first4000rows.csv")
    result = runner.invoke(
        main,
        ["report", "barnet", "--data", str(borough), "--data", str(street), "--period", "2023-01"],
    )
    assert result.exit_code == 1
    assert "report street-level and borough-level files separately" in result.stderr


def test_ward_file_residential_burglary_includes_unconnected_buildings(runner):
    ward = real_file(
        "london-datastore", "MPS_Ward_Level_Crime_most_recent_24_months_2024-03_to_2026-03.csv"
    )
    months = [f"2025{m:02d}" for m in range(4, 13)] + ["202601", "202602", "202603"]
    expected = 0
    with ward.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["LookUp_BoroughName"] == "Bexley" and row["MinorText"] in (
                "RES BURGLARY OF A HOME", "RES BURGLARY OF UNCONNECTED BUILDING", "BURGLARY - RESIDENTIAL",
            ):  # fmt: skip
                expected += sum(int(row[m]) for m in months)
    data = report_json("bexley", "--data", str(ward), "--period", "2025/26")
    row = next(r for r in data["rows"] if r["category"] == "Residential burglary")
    assert row["count"] == expected


def test_monthly_data_win_over_annual_figures_and_london_is_the_sum(runner, tmp_path):
    folder = tmp_path / "all"
    folder.mkdir()
    for name in ("MPS_Borough_Level_Crime_Historic_2008-01_to_2016-12.csv",
                 "crime-rates_borough_fiscal_1999-00_to_2016-17.csv",
                 "MPS_Borough_Level_Crime_most_recent_24_months_2023-03_to_2025-02.csv"):  # fmt: skip
        shutil.copy(real_file("london-datastore", name), folder / name)
    data = report_json("bexley", "--data", str(folder), "--period", "2015/16")
    assert data["period_detail"]["annual_figures"] is False  # the months are all there
    assert any(r["category"] == "Residential burglary" for r in data["rows"])
    london = report_json("london", "--data", str(folder), "--period", "12m:2024-10")
    assert london["area"] == "London (MPS)" and london["period_detail"]["months_in_data"] == 12
    annual = report_json("bexley", "--data", str(folder), "--period", "1999/00")
    assert annual["period_detail"]["annual_figures"] is True  # no months: the annual rows


def test_rank_compares_like_with_like_and_refuses_absent_periods(runner):
    result = runner.invoke(main, ["rank", "--period", "2024/25", "--format", "json"])
    data = json.loads(result.stdout)
    bexley = next(r for r in data["rows"] if r["area"] == "Bexley")
    # The data end in Feb 2025: Apr 2024..Feb 2025 against Apr 2023..Feb 2024, summed from
    # the 2023-03..2025-02 file with the csv module: 15,016 against 15,239 (the whole of
    # 2023/24 would be 16,704, with March 2024's 1,465).
    assert (bexley["2024/25"], bexley["2023/24"]) == (15016, 15239)
    assert any("partial" in note for note in data["notes"])
    assert runner.invoke(main, ["rank", "--period", "2030/31"]).exit_code == 2


def test_no_context_against_a_partial_comparison(runner):
    data = report_json("bexley", "--period", "12m:2009-06")
    assert all(r["rank"] is None and r["force_pct_change"] is None for r in data["rows"])


def test_quiet_month_in_street_data_is_zero(runner):
    now = real_file("police-uk", "2024-12-city-of-london-street.csv")
    before = real_file("police-uk", "2023-12-city-of-london-street.csv")
    data = report_json("haringey", "--data", str(now), "--data", str(before), "--period", "2024-12")
    total = next(r for r in data["rows"] if r["category"] == "Total notifiable offences")
    assert total["count"] == 0 and total["baseline_count"] > 0


def test_bundled_population_serves_other_data(runner):
    recent = real_file(
        "london-datastore", "MPS_Borough_Level_Crime_most_recent_24_months_2023-03_to_2025-02.csv"
    )
    data = report_json("bexley", "--data", str(recent), "--period", "2024-01")
    assert (data["population"], data["population_year"]) == (262798, 2024)  # GLA file, 2024

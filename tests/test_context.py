"""Rankings, rates per 1,000, the significance test and sparklines, checked by hand."""

from __future__ import annotations

import csv
import json

import pytest

from policing_cli.cli import main
from policing_cli.document.cells import sparkline
from policing_cli.report.ranking import ordinal
from policing_cli.report.significance import poisson_p_value

from .conftest import SAMPLE

RECENT = SAMPLE / "MPS_Borough_Level_Crime_most_recent_24_months_2023-03_to_2025-02.csv"
HISTORICAL = SAMPLE / "MPS_Borough_Level_Crime_Historical_2010-04_to_2023-09.csv"
POP = SAMPLE / "borough_population_2023-2024.csv"


def residential_burglary(months: list[str]) -> dict[str, int]:
    """Per borough, by hand from the recent file: the two residential burglary minors."""
    out: dict[str, int] = {}
    with RECENT.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["MinorText"] in ("BURGLARY IN A DWELLING", "BURGLARY - RESIDENTIAL"):
                out[row["BoroughName"]] = out.get(row["BoroughName"], 0) + sum(
                    int(row[m]) for m in months
                )
    return out


def population_2024() -> dict[str, int]:
    with POP.open(encoding="utf-8-sig", newline="") as handle:
        return {row["Area name"]: int(row["2024_Population"]) for row in csv.DictReader(handle)}


def test_rank_by_rate_matches_hand_computation(runner):
    # 12 months to 2025-02 against the 12 before: both inside the most-recent file.
    now = residential_burglary([f"2024{m:02d}" for m in range(3, 13)] + ["202501", "202502"])
    pop = population_2024()
    rates = {a: now[a] * 1000 / pop[a] for a in now if a in pop}
    expected = sorted(rates, key=lambda a: (rates[a], a))
    result = runner.invoke(
        main,
        ["rank", "--period", "12m:2025-02", "--category", "Residential burglary", "--per", "1000",
         "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    ranked = [r["area"] for r in rows if r["rank"] is not None]
    assert ranked == expected
    top = rows[0]
    assert top["12m:2025-02"] == now[top["area"]]
    assert top["per_1000_2024"] == f"{now[top['area']] * 1000 / pop[top['area']]:.1f}"


def test_rank_by_pct_and_report_rank_agree(runner):
    result = runner.invoke(main, ["rank", "--format", "json"])
    rows = json.loads(result.stdout)["rows"]
    bexley = next(r for r in rows if r["area"] == "Bexley")
    report = json.loads(runner.invoke(main, ["report", "bexley", "--format", "json"]).stdout)
    total = next(r for r in report["rows"] if r["category"] == "Total notifiable offences")
    assert total["rank"] == bexley["rank"] and total["rank_of"] == 32


def london_total(months_by_file: dict) -> int:
    """Every offence of every area (airports and "Unknown" included) in the given months of
    each file, summed with csv."""
    total = 0
    for path, months in months_by_file.items():
        with path.open(newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                total += sum(int(row[m]) for m in months)
    return total


def test_force_context_is_the_sum_of_all_areas(runner):
    data = json.loads(runner.invoke(main, ["report", "bexley", "--format", "json"]).stdout)
    # London 2023/24 against 2022/23, by hand: 2023/24 all in the 2023-2025 file; 2022/23 is
    # Apr 2022..Feb 2023 of the 2010-2023 file and Mar 2023 of the 2023-2025 file (newer).
    now = london_total(
        {RECENT: [f"2023{m:02d}" for m in range(4, 13)] + ["202401", "202402", "202403"]}
    )
    before = london_total(
        {
            HISTORICAL: [f"2022{m:02d}" for m in range(4, 13)] + ["202301", "202302"],
            RECENT: ["202303"],
        }
    )
    total = next(r for r in data["rows"] if r["category"] == "Total notifiable offences")
    assert total["force_pct_change"] == pytest.approx(100 * (now - before) / before)
    force = json.loads(runner.invoke(main, ["report", "london", "--format", "json"]).stdout)
    by_category = {r["category"]: r for r in force["rows"]}
    for row in data["rows"]:
        if row["force_pct_change"] is not None:
            assert row["force_pct_change"] == pytest.approx(
                by_category[row["category"]]["pct_change"]
            )


def test_rate_uses_the_year_the_period_starts(runner):
    data = json.loads(runner.invoke(main, ["report", "bexley", "--format", "json"]).stdout)
    assert data["population_year"] == 2023 and data["population"] == 260232  # the GLA file's
    total = next(r for r in data["rows"] if r["category"] == "Total notifiable offences")
    assert total["rate_per_1000"] == pytest.approx(total["count"] * 1000 / 260232)


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        # Values from scipy.stats.binomtest(current, current + previous, 0.5).pvalue
        (35, 50, 0.12839640292640084),
        (3, 9, 0.14599609375),
        (120, 100, 0.2000922290282712),
        (1310, 1430, 0.022986044819980126),
        (0, 5, 0.0625),  # by hand: 2 * (1/2)^5
        (5, 0, 0.0625),
        (10, 10, 1.0),
    ],
)
def test_exact_poisson_test_known_values(current, previous, expected):
    assert poisson_p_value(current, previous) == pytest.approx(expected, rel=1e-9)


def test_large_counts_are_fast_and_tiny():
    assert poisson_p_value(935_333, 882_309) < 1e-100 or poisson_p_value(935_333, 882_309) == 0
    assert poisson_p_value(0, 0) is None


def test_gun_crime_50_to_35_is_marked_as_noise(runner, tmp_path):
    counts = tmp_path / "c.csv"
    counts.write_text(
        "area,period,category,count\nBexley,2009/10,Gun crime,35\nBexley,2008/09,Gun crime,50\n"
        "Bexley,2009/10,Total robbery,287\nBexley,2008/09,Total robbery,376\n"
    )
    result = runner.invoke(main, ["report", "bexley", "--data", str(counts), "--format", "text"])
    assert "-30.0% ~" in result.stdout  # p = 0.128: within normal variation
    robbery = next(line for line in result.stdout.splitlines() if line.startswith("Total robbery"))
    gun = next(line for line in result.stdout.splitlines() if line.startswith("Gun crime"))
    assert robbery.endswith("-23.7%")  # 376 -> 287: p < 0.01, no mark
    assert robbery.index("%") == gun.index("%")  # the figures stay aligned
    assert "~ within normal variation" in " ".join(result.stdout.split())
    data = json.loads(runner.invoke(main, ["report", "bexley", "--data", str(counts),
                                           "--format", "json"]).stdout)  # fmt: skip
    gun = next(r for r in data["rows"] if r["category"] == "Gun crime")
    assert gun["within_normal_variation"] is True and gun["p_value"] == pytest.approx(
        0.1284, abs=1e-4
    )
    strict = runner.invoke(main, ["report", "bexley", "--data", str(counts), "--alpha", "0.2"])
    assert "-30.0% ~" not in strict.stdout


def test_sparkline():
    assert sparkline((0, 7, 14)) == "\u2581\u2585\u2588"
    assert sparkline((5, 5, 5)) == "\u2581\u2581\u2581"
    assert sparkline((1, None, 3), ascii_only=True) == "_ #"
    assert sparkline(()) == ""


@pytest.mark.parametrize(("n", "text"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"),
                                         (11, "11th"), (12, "12th"), (13, "13th"), (21, "21st"),
                                         (32, "32nd")])  # fmt: skip
def test_ordinal(n, text):
    assert ordinal(n) == text


def test_compare_side_by_side(runner):
    result = runner.invoke(main, ["compare", "bexley", "bromley", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["category"]: r for r in json.loads(result.stdout)["rows"]}
    assert rows["Residential burglary"]["Bexley 2023/24"] == 692
    assert rows["Residential burglary"]["Bexley %"] == "+24.0%"

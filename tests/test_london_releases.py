"""London Datastore releases as users download them: the newest layout, renamed columns,
ward and borough files together, and what `periods`, `rank` and `categories` say about
classification changes.

Expected figures are summed here from the raw files with the csv module.
"""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from policing_cli.cli import main

from .conftest import SAMPLE, real_file

NEWEST = "MPS_Borough_Level_Crime_most_recent_24_months_2024-07_to_2026-06.csv"
WARD = "MPS_Ward_Level_Crime_most_recent_24_months_2024-03_to_2026-03.csv"
BOROUGH_2025 = SAMPLE / "MPS_Borough_Level_Crime_most_recent_24_months_2023-03_to_2025-02.csv"


def invoke(*args: str):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def report(*args: str) -> dict:
    return json.loads(invoke("report", *args, "--format", "json").stdout)


def rows(data: dict) -> dict[str, dict]:
    return {r["category"]: r for r in data["rows"]}


def months_of(first: str, count: int) -> list[str]:
    year, month = int(first[:4]), int(first[4:])
    out = []
    for _ in range(count):
        out.append(f"{year}{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


def raw_sum(path, area_column: str, area: str, months: list[str], keep=lambda row: True) -> int:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return sum(
            int(row[m])
            for row in csv.DictReader(handle)
            if row[area_column] == area and keep(row)
            for m in months
        )


# -- the newest layout ---------------------------------------------------------------------


def test_newest_layout_bexley_12_months_to_june_2026():
    # Worked out from the raw file: Jul 2025..Jun 2026 against Jul 2024..Jun 2025.
    path = real_file("london-datastore", NEWEST)
    got = rows(report("bexley", "--data", path, "--period", "12m:2026-06"))
    expected = {
        "Total notifiable offences": (16071, 16446),
        "Burglary": (797, 716),
        "Total robbery": (395, 322),
        "Residential burglary": (589, 485),  # RES BURGLARY OF A HOME + OF UNCONNECTED BUILDING
    }
    for category, (count, baseline) in expected.items():
        assert (got[category]["count"], got[category]["baseline_count"]) == (count, baseline)
        assert got[category]["like_for_like"] is True


@pytest.mark.parametrize(
    "header",
    [
        "Crime Group,Crime Subgroup,Borough Name",  # all three renamed: read by content
        "SubGroup,BOCU,Group",  # known names, another order
        "Offence Group,Offence Subgroup,BOCU",  # the area's name known, the others not
    ],
)
def test_renamed_columns_are_recognised_by_what_they_hold(tmp_path, header):
    source = real_file("london-datastore", NEWEST)
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    names = header.split(",")
    original = lines[0].split(",")
    months = original[3:]
    order = {"group": 0, "crime group": 0, "offence group": 0,
             "subgroup": 1, "crime subgroup": 1, "offence subgroup": 1,
             "bocu": 2, "borough name": 2}  # fmt: skip
    picks = [order[n.casefold()] for n in names]
    out = [",".join([*names, *months])]
    for row in csv.reader(lines[1:]):
        out.append(",".join(f'"{v}"' for v in [*(row[i] for i in picks), *row[3:]]))
    renamed = tmp_path / "renamed.csv"
    renamed.write_text("\n".join(out) + "\n", encoding="utf-8")
    assert rows(report("bexley", "--data", renamed, "--period", "12m:2026-06")) == rows(
        report("bexley", "--data", source, "--period", "12m:2026-06")
    )


def test_a_header_with_no_borough_column_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Group,SubGroup,Place,202401\nROBBERY,ROBBERY OF PERSONAL PROPERTY,Nowhere,3\n")
    result = CliRunner().invoke(main, ["report", "bexley", "--data", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bad}:1: cannot tell which column holds the boroughs")
    assert "Traceback" not in result.output


# -- ward and borough files together --------------------------------------------------------


def test_borough_file_wins_over_ward_file_for_the_months_it_holds():
    ward = real_file("london-datastore", WARD)
    both = ["--data", BOROUGH_2025, "--data", ward]
    months_2024 = months_of("202401", 12)
    bexley = rows(report("bexley", *both, "--period", "2024"))["Total notifiable offences"]
    assert bexley["count"] == raw_sum(BOROUGH_2025, "BoroughName", "Bexley", months_2024)
    # (The ward file's own figure for the months both hold is lower: never mixed in.)
    april_on = months_2024[3:]
    assert raw_sum(ward, "LookUp_BoroughName", "Bexley", april_on) < raw_sum(
        BOROUGH_2025, "BoroughName", "Bexley", april_on
    )
    london = report("london", *both, "--period", "2024")
    total = rows(london)["Total notifiable offences"]
    with open(BOROUGH_2025, newline="", encoding="utf-8-sig") as handle:
        every_area = sum(int(r[m]) for r in csv.DictReader(handle) for m in months_2024)
    assert total["count"] == every_area  # the borough file alone, "Unknown" included
    assert [s["file"] for s in london["sources"]] == [BOROUGH_2025.name]


def test_ward_files_serve_months_no_borough_file_holds_and_a_switch_is_marked():
    ward = real_file("london-datastore", WARD)
    data = report("bexley", "--data", BOROUGH_2025, "--data", ward, "--period", "2025")
    total = rows(data)["Total notifiable offences"]
    # 2025 only in the ward file; 2024 whole in the borough file: two series, marked.
    assert total["count"] == raw_sum(ward, "LookUp_BoroughName", "Bexley", months_of("202501", 12))
    assert total["baseline_count"] == raw_sum(
        BOROUGH_2025, "BoroughName", "Bexley", months_of("202401", 12)
    )
    assert total["like_for_like"] is False
    assert total["classification"] == "the Home Office classes (ward files)"
    assert total["baseline_classification"] == "the Home Office classes (borough files)"
    assert any("not like for like" in n and "ward files" in n for n in data["notes"])


# -- periods, ranks and categories across the April 2010 change -------------------------------


def test_periods_says_2010_is_not_complete_and_why():
    listing = json.loads(invoke("periods", "--format", "json").stdout)
    by_period = {r["period"]: r for r in listing["rows"]}
    assert by_period["2010"]["complete"] is False
    assert "Theft" in by_period["2010"]["partial_categories"].split(", ")
    assert by_period["2010/11"]["complete"] is True
    assert by_period["2009"]["complete"] is True


def test_rank_never_ranks_a_change_built_on_nine_months():
    listing = json.loads(invoke("rank", "--period", "2011", "--category", "Theft", "--format",
                                "json").stdout)  # fmt: skip
    assert listing["rows"] and all(r["rank"] is None for r in listing["rows"])
    assert all(r["2010"] is None and r["pct_change"] in (None, "n/a") for r in listing["rows"])
    assert any("[9/12]" in n and "2010-04..2010-12" in n for n in listing["notes"])


def test_rank_marks_a_league_that_crosses_a_definition_break():
    listing = json.loads(
        invoke("rank", "--period", "2017/18", "--category", "Residential burglary",
               "--data", SAMPLE / "MPS_Borough_Level_Crime_Historical_2010-04_to_2023-09.csv",
               "--format", "json").stdout
    )  # fmt: skip
    assert all(str(r["pct_change"]).endswith("[b]") for r in listing["rows"] if r["rank"])
    assert any("Apr 2017" in n for n in listing["notes"])


def test_categories_lists_aggravated_vehicle_taking_and_the_breaks():
    listing = json.loads(invoke("categories", "--format", "json").stdout)
    by_name = {r["category"]: r for r in listing["rows"]}
    taking = by_name["Theft or taking of vehicles"]
    assert "AGGRAVATED VEHICLE TAKING" in taking["counts"]
    assert "1,146" in taking["notes"]
    assert "break Apr 2017" in by_name["Residential burglary"]["notes"]
    assert "break Feb 2013" in by_name["Fraud and forgery"]["notes"]
    assert "BURGLARY NON-DWELLING" in by_name["Business and community burglary"]["counts"]


def test_a_mapping_with_a_note_column_is_read(tmp_path):
    mapping = tmp_path / "mapping.csv"
    mapping.write_text(
        "category,match,source,note\n"
        "Robbery total,major,Robbery,the robbery majors of every era\n"
        "All offences,all,*,\n"
    )
    data = report("bexley", "--categories", mapping, "--period", "2023/24")
    assert [r["category"] for r in data["rows"]][-1] == "All offences"
    assert (
        rows(data)["Robbery total"]["count"]
        == rows(report("bexley", "--period", "2023/24"))["Total robbery"]["count"]
    )

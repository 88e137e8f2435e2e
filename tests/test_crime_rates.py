"""The London Datastore recorded-crime-rates file (long layout, financial years)."""

from __future__ import annotations

import csv
import json

from policing_cli.cli import main

from .conftest import real_file


def by_hand(path, area: str, year: str) -> dict[str, int]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            row["Offences"]: int(row["Number_of_offences"].replace(",", ""))
            for row in csv.DictReader(handle)
            if row["Borough"] == area and row["Year"] == year and row["Number_of_offences"] != "n/a"
        }


def test_bexley_and_force_wide_match_the_file(runner):
    path = real_file("london-datastore", "crime-rates_borough_fiscal_1999-00_to_2016-17.csv")
    now, before = by_hand(path, "Bexley", "2016-17"), by_hand(path, "Bexley", "2015-16")
    result = runner.invoke(main, ["report", "bexley", "--data", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["period"], data["baseline_period"]) == ("2016/17", "2015/16")
    rows = {r["category"]: r for r in data["rows"]}
    total = rows["Total notifiable offences"]
    assert (total["count"], total["baseline_count"]) == (
        now["All recorded offences"],
        before["All recorded offences"],
    )
    assert rows["Total robbery"]["count"] == now["Robbery"]
    assert rows["Arson and criminal damage"]["count"] == now["Criminal Damage"]
    assert any("unreadable year" in note for note in data["notes"])
    force = json.loads(
        runner.invoke(main, ["report", "london", "--data", str(path), "--format", "json"]).stdout
    )
    assert force["area"] == "Met Police Area"
    met = by_hand(path, "Met Police Area", "2016-17")
    assert (
        next(r for r in force["rows"] if r["category"] == "Total notifiable offences")["count"]
        == met["All recorded offences"]
    )


def test_aggregates_are_not_ranked(runner):
    path = real_file("london-datastore", "crime-rates_borough_fiscal_1999-00_to_2016-17.csv")
    result = runner.invoke(main, ["rank", "--data", str(path), "--format", "json"])
    areas = {r["area"] for r in json.loads(result.stdout)["rows"]}
    assert len(areas) == 32
    assert not areas & {
        "England and Wales",
        "Inner London",
        "Outer London",
        "Met Police Area",
        "Heathrow",
    }

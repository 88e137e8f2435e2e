"""MOPAC Public Attitude Survey export read as indicators (real file)."""

from __future__ import annotations

import json

from policing_cli.cli import main

from .conftest import SAMPLE, real_file

PAS = SAMPLE / "PAS_T_and_C_dashboard_Borough_2014Q4-2023Q4.csv"


def indicators(runner, *args):
    result = runner.invoke(main, ["report", *args, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return {i["measure"]: i for i in data["indicators"]}


def test_public_confidence_for_a_financial_year(runner):
    # The file's lines, read by hand:
    #   31/03/2023;PAS;Bexley;"""Good Job"" local";0,51;0,5
    #   31/03/2022;PAS;Bexley;"""Good Job"" local";0,51;0,49
    found = indicators(runner, "bexley", "--period", "2022/23")
    confidence = found["Public confidence"]
    assert confidence["value"] == 51
    assert confidence["baseline_value"] == 51
    assert confidence["change_pp"] == 0
    assert confidence["force_value"] == 50


def test_city_of_westminster_is_westminster(runner):
    # 31/03/2023;PAS;City of Westminster;"""Good Job"" local";0,56;0,5
    found = indicators(runner, "westminster", "--period", "2022/23")
    assert found["Public confidence"]["value"] == 56


def test_force_wide_uses_the_mps_column(runner):
    found = indicators(runner, "london", "--period", "2022/23")
    assert found["Public confidence"]["value"] == 50
    assert found["Public confidence"]["baseline_value"] == 49


def test_confidence_target_against_real_survey(runner, tmp_path):
    targets = tmp_path / "targets.csv"
    targets.write_text("area,period,measure,kind,value\n*,2022/23,Public confidence,at_least,52\n")
    result = runner.invoke(
        main,
        ["report", "bexley", "--period", "2022/23", "--targets", str(targets), "--format", "text"],
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert (
        "a target of at least 52.0% for public confidence in Bexley: it was 51.0%, 1.0 percentage points short"
        in text
    )


def test_mps_total_twin_file_reads(runner):
    path = real_file("mopac-pas", "PAS_T_and_C_dashboard_MPS_total_2014Q4-2023Q4.csv")
    result = runner.invoke(
        main,
        ["report", "london", "--period", "2022/23", "--indicators", str(path), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    # The file's own figure for "Good Job" local dated 31/03/2023 (the end of 2022/23), read
    # here with csv: semicolons, a decimal comma, a proportion of 1.
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        found = [
            row["Proportion"]
            for row in csv.DictReader(handle, delimiter=";")
            if row["Date"] == "31/03/2023" and row["Measure"] == '"Good Job" local'
        ]
    assert len(found) == 1
    expected = round(float(found[0].replace(",", ".")) * 100, 6)
    confidence = {i["measure"]: i for i in json.loads(result.stdout)["indicators"]}
    assert confidence["Public confidence"]["value"] == expected

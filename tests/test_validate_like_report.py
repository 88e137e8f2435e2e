"""``validate`` makes the checks ``report`` makes (issue 15): a targets file that validate
called clean used to fail ``report --targets`` with "unknown measure". Each case here is
checked both ways: validate names the same file:line:column and problem as report's error."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from policing_cli.cli import main

from .conftest import SAMPLE

LEAFLET = SAMPLE / "leaflet"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def targets_file(tmp_path, *rows: str):
    path = tmp_path / "targets.csv"
    path.write_text("area,period,measure,kind,value\n" + "".join(r + "\n" for r in rows))
    return path


CASES = {
    "a mis-spelt category": ("Bexley,2023/24,Resdential burglary,at_most,500", 2, 1,
                             "unknown measure 'Resdential burglary'",
                             "did you mean 'Residential burglary'?"),
    "a gap between two crime categories": (
        "MPS,2023/24,Residential burglary - Robbery,max_gap_pp,3", 2, 2,
        "'Residential burglary' is a crime category", "max_gap_pp"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_validate_and_report_name_the_same_problem(tmp_path, case):
    row, line, problems, *needles = CASES[case]
    path = targets_file(tmp_path, "Bexley,2023/24,Total notifiable offences,at_most,20000", row)
    reported = run("report", "bexley", "--targets", path)
    assert reported.exit_code == 1
    error = reported.stderr.strip().removeprefix("Error: ")
    assert error.startswith(f"{path}:{line + 1}:3: ") and all(n in error for n in needles)
    validated = run("validate", path)
    assert validated.exit_code == 1
    assert error in validated.stdout.splitlines(), (error, validated.stdout)
    # validate lists every problem (both halves of a gap), report stops at the first.
    assert validated.stdout.splitlines()[-1] == f"{problems} problem(s) in 1 of 1 file(s)"


def test_the_measures_are_those_of_the_data_a_report_would_read(tmp_path):
    # A category of the user's own counts: known with those counts, unknown against the
    # bundled London Datastore files, by validate and report alike.
    path = targets_file(tmp_path, "Bexley,2023/24,Dog fouling,at_most,10")
    counts = tmp_path / "counts.csv"
    counts.write_text("area,period,category,count\nBexley,2023/24,Dog fouling,7\n")
    assert run("validate", path, counts).exit_code == 0
    assert run("validate", path, "--data", counts).exit_code == 0
    assert run("report", "bexley", "--data", counts, "--targets", path).exit_code == 0
    against_bundled = run("validate", path)
    assert against_bundled.exit_code == 1
    assert "unknown measure 'Dog fouling'" in against_bundled.stdout
    assert run("report", "bexley", "--targets", path).exit_code == 1


def test_the_leaflet_folder_is_clean_both_ways():
    assert run("validate", LEAFLET).exit_code == 0
    assert run("report", "bexley", "--data", LEAFLET, "--period", "2009/10").exit_code == 0


def test_a_target_given_twice_across_files(tmp_path):
    first = targets_file(tmp_path, "Bexley,2023/24,Total notifiable offences,at_most,20000")
    second = tmp_path / "more.csv"
    second.write_text(first.read_text())
    result = run("validate", first, second)
    assert result.exit_code == 1
    # The later of the two by name is the second (as report says it).
    assert f"{first}:2: a second target for Bexley / 2023/24 / Total notifiable offences" in (
        result.stdout
    )
    reported = run("report", "bexley", "--targets", first, "--targets", second)
    assert reported.stderr.strip().removeprefix("Error: ") in result.stdout


def test_population_files_are_named_for_what_they_are():
    result = run("validate", SAMPLE / "borough_population_2023-2024.csv", "--format", "json")
    import json

    assert [f["layout"] for f in json.loads(result.stdout)["files"]] == ["population"]

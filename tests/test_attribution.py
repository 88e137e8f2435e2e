"""Every output made from public data credits it as the Open Government Licence asks:
"Contains public sector information licensed under the Open Government Licence v3.0." (and,
on maps, the boundaries' ONS and Ordnance Survey credits); a user's own tidy file of areas
with no published estimates asks for nothing."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from policing_cli.cli import main

OGL = "Contains public sector information licensed under the Open Government Licence v3.0."
OS = "ontains Ordnance Survey data © Crown copyright and database right"


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "table"])
def test_every_readable_format_credits_the_data(fmt: str) -> None:
    out = run("report", "bexley", "--format", fmt)
    assert OGL in " ".join(out.split())


def test_json_and_csv_carry_the_credit_as_data() -> None:
    assert json.loads(run("report", "bexley", "--format", "json"))["attribution"] == OGL
    rows = list(csv.DictReader(io.StringIO(run("report", "bexley", "--format", "csv"))))
    assert rows and {row["attribution"] for row in rows} == {OGL}
    assert json.loads(run("rank", "--category", "Theft", "--format", "json"))["attribution"] == OGL
    assert OGL in " ".join(run("areas", "--format", "text").split())


def test_snapshot_index_map_and_charts_credit_the_data(tmp_path) -> None:
    run("snapshot", "--out", str(tmp_path), "-q", "--format", "markdown,html")
    folder = tmp_path / "2023-24"
    assert json.loads((folder / "index.json").read_text())["attribution"] == OGL
    for name in ("index.md", "index.html", "bexley.md", "bexley.html"):
        assert OGL in (folder / name).read_text(encoding="utf-8"), name
    svg = (folder / "map.svg").read_text(encoding="utf-8")
    assert OGL in svg and OS in svg
    chart = tmp_path / "trend.svg"
    run("trend", "bexley", "--output", str(chart))
    assert "Open Government Licence" in chart.read_text(encoding="utf-8")


def test_a_users_own_figures_ask_for_no_credit(tmp_path) -> None:
    path = tmp_path / "own.csv"
    path.write_text(
        "area,period,category,count\nNorth Ward,2023,Robbery,5\nNorth Ward,2024,Robbery,4\n"
    )
    out = run("report", "north ward", "--data", str(path), "--period", "2024", "--format", "json")
    assert json.loads(out)["attribution"] is None
    assert "Open Government Licence" not in run("report", "north ward", "--data", str(path),
                                                "--period", "2024", "--format", "text")  # fmt: skip

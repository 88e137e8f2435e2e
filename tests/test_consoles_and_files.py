"""A Windows-style console and a plain ASCII one get the whole report, in every format,
with what they cannot show replaced by the nearest ASCII; and a file is written in the
format its name says."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from policing_cli.cli import main

from .conftest import ROOT


def policing(*args: str, encoding: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "policing_cli", *args], capture_output=True, env=env, check=False
    )


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "table", "json", "csv"])
def test_a_narrow_console_gets_the_whole_report(encoding: str, fmt: str) -> None:
    result = policing("report", "bexley", "--format", fmt, encoding=encoding)
    assert result.returncode == 0, result.stderr.decode(encoding, "replace")
    text = result.stdout.decode(encoding)  # strict: every byte is the console's own
    assert "Total notifiable offences" in text
    assert ("16704" if fmt in ("json", "csv") else "16,704") in text
    assert "internal error" not in result.stderr.decode(encoding, "replace")


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_sparklines_fall_back_to_ascii(encoding: str) -> None:
    text = policing("report", "bexley", "--format", "text", encoding=encoding).stdout.decode()
    line = next(line for line in text.splitlines() if line.startswith("Residential burglary")
                and "%" not in line)  # fmt: skip
    assert set(line.split()[2]) <= set("_.-:=+*#"), line
    bars = policing("trend", "bexley", "--format", "text", encoding=encoding)
    assert bars.returncode == 0


def test_names_the_console_cannot_show_keep_their_letters(tmp_path) -> None:
    path = tmp_path / "counts.csv"
    path.write_text(
        "area,period,category,count\nYnys Môn,2023,Robbery – street,3\nYnys Môn,2024,Robbery – street,4\n",
        encoding="utf-8",
    )
    result = policing("report", "ynys mon", "--data", str(path), "--period", "2024",
                      "--format", "text", encoding="ascii")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Ynys Mon" in result.stdout.decode("ascii")
    assert "Robbery - street" in result.stdout.decode("ascii")


@pytest.mark.parametrize(
    ("name", "check"),
    [("out.json", lambda t: json.loads(t)["area"] == "Bexley"),
     ("out.md", lambda t: t.startswith("## Bexley") and "|--" in t.replace(":", "")),
     ("out.html", lambda t: t.startswith("<!DOCTYPE html>")),
     ("out.csv", lambda t: t.startswith("area,period,baseline_period,category")),
     ("out.txt", lambda t: t.startswith("Bexley: ")),
     ("out.report", lambda t: t.startswith("Bexley: "))],
)  # fmt: skip
def test_a_file_is_written_in_the_format_its_name_says(tmp_path, name, check) -> None:
    target = tmp_path / name
    result = CliRunner().invoke(main, ["report", "bexley", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert check(target.read_text(encoding="utf-8"))


def test_a_format_contradicting_the_file_name_is_a_usage_error(tmp_path) -> None:
    target = tmp_path / "x.csv"
    result = CliRunner().invoke(main, ["report", "bexley", "--format", "json", "-o", str(target)])
    assert result.exit_code == 2
    assert "contradicts x.csv" in result.stderr and not target.exists()


def test_a_map_is_svg_or_refused(tmp_path) -> None:
    result = CliRunner().invoke(main, ["map", "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 2 and "a map is written as SVG" in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_snapshot_takes_output_like_the_other_commands(tmp_path) -> None:
    result = CliRunner().invoke(main, ["snapshot", "-o", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "2023-24" / "bexley.md").exists()

"""What a reader sees beside a verdict: never a rounded figure that looks on target when it is
not, never a shortfall rounded into another number, and the "~" mark on a change of zero.

Every figure here is worked out by hand from the tiny input files the tests write.
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from policing_cli.cli import main


@pytest.fixture
def leaflet_like(tmp_path):
    # Robbery 10,000 -> 9,754: -246, -2.46% against a 2.5% reduction target: missed.
    # Gun crime 100 -> 100: no change, p = 1: within normal variation.
    # Public confidence 51.35% against at least 51.4%: missed by 0.05 percentage points.
    counts = tmp_path / "counts.csv"
    counts.write_text(
        "area,period,category,count\n"
        "Alpha,2008/09,Robbery,10000\nAlpha,2009/10,Robbery,9754\n"
        "Alpha,2008/09,Gun crime,100\nAlpha,2009/10,Gun crime,100\n"
    )
    targets = tmp_path / "targets.csv"
    targets.write_text(
        "area,period,measure,kind,value\n"
        "Alpha,2009/10,Robbery,reduction_pct,2.5\n"
        "Alpha,2009/10,Public confidence,at_least,51.4\n"
    )
    indicators = tmp_path / "indicators.csv"
    indicators.write_text("area,period,measure,value\nAlpha,2009/10,Public confidence,51.35\n")
    return ["--data", str(counts), "--targets", str(targets), "--indicators", str(indicators)]


def run(args: list[str], fmt: str) -> str:
    result = CliRunner().invoke(main, ["report", "alpha", *args, "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.stdout


def line_of(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.lstrip("| ").startswith(start))


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_missed_reduction_shows_the_decimals_that_decide_it(leaflet_like, fmt):
    text = run(leaflet_like, fmt)
    if fmt == "html":
        row = re.search(r"<tr><td[^>]*>Robbery</td>.*?</tr>", text).group(0)
        cells = re.findall(r">([^<]*)</td>", row)
        assert cells[4].startswith("-2.46%") and cells[5] == "-2.5%" and cells[6] == "missed"
        return
    cells = [c.strip() for c in re.split(r"\s{2,}|\|", line_of(text, "Robbery")) if c.strip()]
    # category, count, baseline, change, % change (with its mark), target, verdict
    assert cells[4].startswith("-2.46%") and cells[-2] == "-2.5%" and cells[-1] == "missed"


def test_level_target_value_and_shortfall_are_not_rounded_onto_the_target(leaflet_like):
    text = run(leaflet_like, "text")
    confidence = line_of(text, "Public confidence")
    assert "51.35" in confidence and "missed" in confidence
    flat = " ".join(text.split())
    assert "it was 51.35%, 0.05 percentage points short" in flat
    assert "0.1 percentage points" not in flat


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_zero_change_carries_the_noise_mark_as_the_json_says(leaflet_like, fmt):
    data = json.loads(run(leaflet_like, "json"))
    gun = next(r for r in data["rows"] if r["category"] == "Gun crime")
    assert gun["change"] == 0 and gun["within_normal_variation"] is True
    text = run(leaflet_like, fmt)
    if fmt == "html":
        row = re.search(r"<tr><td[^>]*>Gun crime</td>.*?</tr>", text).group(0)
        assert "0.0% ~" in row
    else:
        # (Markdown may escape the mark; how it is escaped is the email renderer's business.)
        assert "0.0% ~" in line_of(text, "Gun crime").replace("\\", "")


def test_json_keeps_the_exact_figure(leaflet_like):
    data = json.loads(run(leaflet_like, "json"))
    robbery = next(r for r in data["rows"] if r["category"] == "Robbery")
    assert robbery["pct_change"] == pytest.approx(-2.46)
    assert robbery["verdict"] == "missed"

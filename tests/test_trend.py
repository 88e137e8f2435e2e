"""``policing trend``: monthly series and rolling 12-month totals, checked by hand."""

from __future__ import annotations

import csv
import json

from policing_cli.cli import main

from .conftest import SAMPLE

RECENT = SAMPLE / "MPS_Borough_Level_Crime_most_recent_24_months_2023-03_to_2025-02.csv"


def bexley_robbery() -> dict[str, int]:
    """Bexley robbery per month, by hand from the most recent file (csv module only)."""
    with RECENT.open(newline="") as handle:
        rows = [r for r in csv.DictReader(handle)
                if r["BoroughName"] == "Bexley" and r["MajorText"] == "ROBBERY"]  # fmt: skip
    months = [c for c in rows[0] if c.isdigit()]
    return {f"{m[:4]}-{m[4:]}": sum(int(r[m]) for r in rows) for m in months}


def test_series_and_rolling_total(runner):
    by_hand = bexley_robbery()
    result = runner.invoke(
        main,
        ["trend", "bexley", "--category", "Total robbery", "--months", "12", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    assert [r["month"] for r in rows][-1] == "2025-02" and len(rows) == 12
    for row in rows:
        assert row["count"] == by_hand[row["month"]]
    months = sorted(by_hand)
    assert rows[-1]["rolling_12_months"] == sum(by_hand[m] for m in months[-12:])


def test_chart_files(runner, tmp_path):
    for name in ("chart.svg", "chart.png"):
        out = tmp_path / name
        result = runner.invoke(main, ["trend", "bexley", "--output", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    assert (tmp_path / "chart.svg").read_text().lstrip().startswith("<?xml")
    bad = runner.invoke(main, ["trend", "bexley", "--output", str(tmp_path / "chart.pdf")])
    assert bad.exit_code == 1 and ".png or .svg" in bad.stderr


def test_unknown_category_and_bad_month(runner):
    result = runner.invoke(main, ["trend", "bexley", "--category", "Nope"])
    assert result.exit_code == 2 and "no category 'Nope'" in result.stderr
    result = runner.invoke(main, ["trend", "bexley", "--to", "2024-13"])
    assert result.exit_code == 2

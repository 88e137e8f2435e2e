"""``policing report`` end to end through click, on the bundled real data."""

from __future__ import annotations

import csv
import io
import json
import os
import re

import pytest

from policing_cli.cli import main

from .conftest import GOLDEN


def run(runner, *args):
    result = runner.invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_text_golden(runner):
    result = run(runner, "report", "bexley", "--format", "text")
    check_golden("bexley_2023-24.txt", result.stdout)
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    assert "\x1b" not in result.stdout


def test_markdown_golden(runner):
    result = run(
        runner, "report", "Kensington & Chelsea", "--period", "2023/24", "--format", "markdown"
    )
    check_golden("kensington_2023-24.md", result.stdout)
    # Within each table, every row has the same number of cells.
    tables, current = [], []
    for line in [*result.stdout.splitlines(), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    assert len(tables) >= 2
    for table in tables:
        assert len({line.count("|") for line in table}) == 1


def test_default_is_latest_complete_financial_year(runner):
    data = json.loads(run(runner, "report", "bexley", "--format", "json").stdout)
    # The bundled data run to February 2025, so 2024/25 is incomplete and 2023/24 is the latest.
    assert (data["period"], data["baseline_period"]) == ("2023/24", "2022/23")
    assert data["period_detail"]["first_month"] == "2023-04"
    assert data["period_detail"]["last_month"] == "2024-03"


def test_json_shape(runner):
    data = json.loads(
        run(runner, "report", "bexley", "--period", "2023", "--format", "json").stdout
    )
    assert (
        data["area"] == "Bexley" and data["period"] == "2023" and data["baseline_period"] == "2022"
    )
    for row in data["rows"]:
        assert {"category", "count", "baseline_count", "change", "pct_change"} <= set(row)
        assert row["verdict"] in {"met", "missed", "no target", "n/a"}
        if row["count"] is not None and row["baseline_count"] is not None:
            assert row["change"] == row["count"] - row["baseline_count"]
        if row["baseline_count"] == 0:
            assert row["pct_change"] is None


def test_csv_format(runner):
    text = run(runner, "report", "westminster", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["area"] == "Westminster"
    total = next(r for r in rows if r["category"] == "Total notifiable offences")
    assert int(total["change"]) == int(total["count"]) - int(total["baseline_count"])


def test_table_format_on_terminal(runner):
    result = run(runner, "report", "bexley", "--format", "table", "--color")
    assert "\x1b[" in result.stdout  # colour when asked
    assert "Residential burglary" in result.stdout
    plain = run(runner, "report", "bexley", "--format", "table", "--no-color").stdout
    assert "\x1b[" not in plain


def test_piped_default_is_plain_text(runner):
    result = run(runner, "report", "bexley")
    assert result.stdout.startswith("Bexley: 2023/24 against 2022/23\n")
    assert "\x1b" not in result.stdout


def test_force_wide_rolling(runner):
    data = json.loads(
        run(runner, "report", "london", "--period", "12m:2024-10", "--format", "json").stdout
    )
    assert data["force_wide"] is True and data["baseline_period"] == "12m:2023-10"
    assert data["period_detail"]["months_in_data"] == 12


def test_output_file_atomic(runner, tmp_path):
    out = tmp_path / "bexley.md"
    run(runner, "report", "bexley", "--format", "markdown", "-o", str(out))
    assert out.read_text().startswith("## Bexley")
    assert [p.name for p in tmp_path.iterdir()] == ["bexley.md"]


def test_partial_period_is_said(runner):
    # The bundled data stop at February 2025: 2024/25 has 11 of 12 months.
    text = " ".join(run(runner, "report", "bexley", "--period", "2024/25").stdout.split())
    assert "partial: the data hold 11 of 12 months of 2024/25" in text
    assert "compared with the same months of 2023/24" in text


def test_reclassification_is_said(runner):
    text = run(runner, "report", "bexley", "--period", "2023/24").stdout
    assert "definition changed for Residential burglary" in re.sub(r"\s+", " ", text)


#: Facts of the bundled data each listing must show, in every format: the 32 boroughs, the
#: airports and "Unknown" rows of the Met's files; categories with the source names the files
#: use; the financial years the files hold in full.
LISTED = {
    "areas": ("Bexley", "Westminster", "London Heathrow and London City Airports", "Unknown"),
    "categories": ("Residential burglary", "AGGRAVATED VEHICLE TAKING", "Theft and handling"),
    "periods": ("2008/09", "2023/24", "2024/25"),
}


@pytest.mark.parametrize("command", ["areas", "categories", "periods"])
@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "csv", "table"])
def test_listings(runner, command, fmt):
    result = run(runner, command, "--format", fmt)
    # (The rich table wraps long cells to the terminal's width: checked by its title.)
    facts = LISTED[command] if fmt != "table" else (command[:5],)
    shown = result.stdout.casefold()
    if fmt == "text":
        # Text fits 80 columns: long cells wrap, a name's words are kept in order.
        shown = " ".join(shown.split())
    for fact in facts:
        if fmt == "text":
            # A wrapped cell's words are found in order, lines of other columns between.
            words = fact.casefold().split()
            at = 0
            for word in words:
                at = shown.find(word, at)
                assert at >= 0, (command, fmt, fact, word)
        else:
            assert fact.casefold() in shown, (command, fmt, fact)
    if fmt == "json":
        rows = json.loads(result.stdout)["rows"]
        if command == "areas":
            assert len(rows) == 34  # 32 boroughs, the airports, "Unknown"
        if command == "periods":
            complete = {r["period"] for r in rows if r["complete"]}
            assert {"2009/10", "2011/12", "2023/24"} <= complete
            assert "2024/25" not in complete  # 11 months: the data end in February 2025


def test_areas_lists_non_boroughs(runner):
    data = json.loads(run(runner, "areas", "--format", "json").stdout)
    kinds = {row["area"]: row["kind"] for row in data["rows"]}
    assert kinds["Bexley"] == "borough"
    assert kinds["London Heathrow and London City Airports"] == "not a borough"
    assert len([k for k in kinds.values() if k == "borough"]) == 32


def test_periods_default(runner):
    data = json.loads(run(runner, "periods", "--format", "json").stdout)
    assert "default period: 2023/24" in data["notes"]


def test_version_and_module(runner):
    assert re.match(r"policing, version \d", run(runner, "--version").stdout)

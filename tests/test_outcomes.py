"""Outcome (sanction detection) rates from street files, against an independent count."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from policing_cli.cli import main

from .conftest import real_file

CLASSES_FILE = Path(__file__).resolve().parents[1] / "policing_cli" / "data" / "outcomes.csv"


def classes() -> dict[str, str]:
    with CLASSES_FILE.open(newline="") as handle:
        return {row["outcome"]: row["class"] for row in csv.DictReader(handle)}


def count(
    path: Path, *, force: str | None = None, district: str | None = None
) -> dict[str, dict[str, int]]:
    """Per crime type: crimes, positive, negative, open; by csv.DictReader, not the tool."""
    table = classes()
    out: dict[str, dict[str, int]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Crime type"] == "Anti-social behaviour":
                continue
            if force and row["Falls within"] != force:
                continue
            if district and " ".join(row["LSOA name"].split()[:-1]) != district:
                continue
            kind = table.get(row["Last outcome category"], "unknown")
            cell = out.setdefault(row["Crime type"], {"crimes": 0, "positive": 0, "negative": 0,
                                                      "open": 0, "unknown": 0})  # fmt: skip
            cell["crimes"] += 1
            cell[kind] += 1
    return out


def report(*args: str) -> dict:
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["report", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(("area", "force", "district"), [
    ("city of london police", "City of London Police", None),
    ("city of london", None, "City of London"),
])  # fmt: skip
def test_rates_match_an_independent_count(area, force, district):
    now = real_file("police-uk", "2024-12-city-of-london-street.csv")
    before = real_file("police-uk", "2023-12-city-of-london-street.csv")
    expected_now = count(now, force=force, district=district)
    expected_before = count(before, force=force, district=district)
    data = report(area, "--data", str(now), "--data", str(before), "--period", "2024-12")
    rows = {r["category"]: r for r in data["outcomes"]}
    pairs = {"Burglary": "Burglary", "Shoplifting": "Shoplifting", "Drug offences": "Drugs",
             "Total robbery": "Robbery", "Violence and sexual offences": "Violence and sexual offences"}  # fmt: skip
    for category, crime_type in pairs.items():
        cell, row = expected_now[crime_type], rows[category]
        assert row["crimes"] == cell["crimes"]
        assert row["positive"] == cell["positive"]
        assert row["with_outcome"] == cell["positive"] + cell["negative"]
        assert row["still_open"] == cell["open"]
        assert row["positive_rate"] == pytest.approx(100 * cell["positive"] / cell["crimes"])
        base = expected_before[crime_type]
        assert row["change_pp"] == pytest.approx(
            100 * cell["positive"] / cell["crimes"] - 100 * base["positive"] / base["crimes"]
        )
    total_crimes = sum(c["crimes"] for c in expected_now.values())
    total_positive = sum(c["positive"] for c in expected_now.values())
    total = rows["Total notifiable offences"]
    assert (total["crimes"], total["positive"]) == (total_crimes, total_positive)
    rate = next(i for i in data["indicators"] if i["measure"] == "Positive outcome rate")
    assert rate["value"] == pytest.approx(100 * total_positive / total_crimes)


def test_open_crimes_are_said_to_be_maturing():
    path = real_file("police-uk", "2023-01-metropolitan-street_SAMPLE_first4000rows.csv")
    expected = count(path, district="Barking and Dagenham")
    data = report("barking and dagenham", "--data", str(path), "--period", "2023-01")
    still_open = sum(c["open"] for c in expected.values())
    assert still_open > 0
    assert any(f"{still_open:,} of" in note and "still under investigation" in note
               for note in data["notes"])  # fmt: skip


def test_rate_target_and_sentence(tmp_path):
    now = real_file("police-uk", "2024-12-city-of-london-street.csv")
    before = real_file("police-uk", "2023-12-city-of-london-street.csv")
    targets = tmp_path / "targets.csv"
    targets.write_text(
        "area,period,measure,kind,value\n*,2024-12,Positive outcome rate,at_least,12\n"
    )
    data = report("city of london police", "--data", str(now), "--data", str(before),
                  "--period", "2024-12", "--targets", str(targets))  # fmt: skip
    rate = next(i for i in data["indicators"] if i["measure"] == "Positive outcome rate")
    assert rate["verdict"] == "missed"
    [sentence] = data["summary"]["looking_back"]["not_met"]
    assert sentence.startswith(
        "a target of at least 12.0% for positive outcome rate across the City of London Police"
    )


def test_classification_can_be_overridden(tmp_path):
    now = real_file("police-uk", "2024-12-city-of-london-street.csv")
    table = tmp_path / "outcomes.csv"
    table.write_text("outcome,class\nInvestigation complete; no suspect identified,positive\n")
    data = report("city of london police", "--data", str(now), "--period", "2024-12",
                  "--outcomes", str(table))  # fmt: skip
    expected = count(now, force="City of London Police")
    total = next(r for r in data["outcomes"] if r["category"] == "Total notifiable offences")
    no_suspect = 0
    with now.open(newline="") as handle:
        no_suspect = sum(1 for r in csv.DictReader(handle)
                         if r["Last outcome category"] == "Investigation complete; no suspect identified")  # fmt: skip
    assert total["positive"] == no_suspect
    assert total["crimes"] == sum(c["crimes"] for c in expected.values())

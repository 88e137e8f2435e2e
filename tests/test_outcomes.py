"""Outcome (sanction detection) rates from street files, against an independent count."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from policing_cli.cli import main

from .conftest import real_file

#: Written here from data.police.uk's "Last outcome category" values and the Home Office
#: outcomes framework, not read from the package: positive = a sanction or disposal (charged
#: or summonsed, whatever the court then decided; cautioned; penalty notice; cannabis/khat
#: (drugs possession) warning; community resolution); negative = no further action; open =
#: under investigation; unknown = no update available.
POSITIVE = (
    "Awaiting court outcome", "Court result unavailable", "Court case unable to proceed",
    "Defendant found not guilty", "Defendant sent to Crown Court", "Local resolution",
    "Offender deprived of property", "Offender fined", "Offender given a caution",
    "Offender given a drugs possession warning", "Offender given absolute discharge",
    "Offender given community sentence", "Offender given a community sentence",
    "Offender given conditional discharge", "Offender given penalty notice",
    "Offender given a penalty notice", "Offender given suspended prison sentence",
    "Offender ordered to pay compensation", "Offender otherwise dealt with",
    "Offender sent to prison", "Suspect charged", "Suspect charged as part of another case",
)  # fmt: skip
NEGATIVE = (
    "Action to be taken by another organisation", "Formal action is not in the public interest",
    "Further action is not in the public interest",
    "Further investigation is not in the public interest",
    "Investigation complete; no suspect identified", "Unable to prosecute suspect",
)  # fmt: skip
OPEN = ("Under investigation",)
UNKNOWN = ("Status update unavailable", "")


def classes() -> dict[str, str]:
    table = {}
    for kind, names in (("positive", POSITIVE), ("negative", NEGATIVE), ("open", OPEN),
                        ("unknown", UNKNOWN)):  # fmt: skip
        table.update(dict.fromkeys(names, kind))
    return table


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
            kind = table[row["Last outcome category"]]  # every real string is in the table
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
        assert row["unknown"] == cell["unknown"]
        # The outcome lines add up to the crimes.
        assert (
            row["crimes"]
            == row["positive"]
            + row["negative"]
            + row["still_open"]
            + row["unknown"]
            + row["unrecognised"]
        )
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


def test_city_of_london_december_rates_worked_by_hand():
    """City of London Police, all crimes (anti-social behaviour aside): December 2023, 110
    positive outcomes of 823 crimes = 13.37%; December 2024, 78 of 763 = 10.22%; the change
    is 10.2228 - 13.3657 = -3.14 percentage points (a caution counted as positive)."""
    now = real_file("police-uk", "2024-12-city-of-london-street.csv")
    before = real_file("police-uk", "2023-12-city-of-london-street.csv")
    data = report("city of london police", "--data", str(now), "--data", str(before),
                  "--period", "2024-12")  # fmt: skip
    total = next(r for r in data["outcomes"] if r["category"] == "Total notifiable offences")
    assert (total["crimes"], total["positive"]) == (763, 78)
    assert total["baseline_positive_rate"] == pytest.approx(100 * 110 / 823)
    assert total["change_pp"] == pytest.approx(100 * 78 / 763 - 100 * 110 / 823)
    assert round(total["change_pp"], 2) == -3.14
    december = report("city of london police", "--data", str(before), "--period", "2023-12")
    cautions = next(r for r in december["outcomes"] if r["category"] == "Total notifiable offences")
    assert (cautions["crimes"], cautions["positive"]) == (823, 110)


def test_outcome_spellings_and_unknown_strings(tmp_path):
    """Both spellings of a published outcome are one outcome; a string never published is
    counted as "unrecognised" and named in a note, never dropped."""
    header = (
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
        "LSOA name,Crime type,Last outcome category,Context"
    )
    outcomes = [
        "Offender given community sentence", "Offender given a community sentence",
        "offender  given a Community Sentence", "Offender given penalty notice",
        "Offender given a penalty notice", "Status update unavailable",
        "Sent to the naughty step", "Sent to the naughty step", "Under investigation",
    ]  # fmt: skip
    lines = [header] + [
        f"id{i},2024-12,Force A Police,Force A Police,-0.1,51.5,On or near X,E01000001,"
        f"Westminster 001A,Shoplifting,{outcome},"
        for i, outcome in enumerate(outcomes)
    ]
    path = tmp_path / "2024-12-force-a-street.csv"
    path.write_text("\n".join(lines) + "\n")
    data = report("force a police", "--data", str(path), "--period", "2024-12")
    total = next(r for r in data["outcomes"] if r["category"] == "Total notifiable offences")
    assert total["crimes"] == 9
    assert total["positive"] == 5  # three community sentences, two penalty notices
    assert total["still_open"] == 1 and total["unknown"] == 1 and total["unrecognised"] == 2
    assert any("'Sent to the naughty step' (2 crimes)" in note for note in data["notes"])
    assert any("Status update unavailable" in note and "all 9 crimes counted" in note
               for note in data["notes"])  # fmt: skip
    text = CliRunner().invoke(
        main, ["report", "force a police", "--data", str(path), "--period", "2024-12",
               "--format", "text"],
    ).stdout  # fmt: skip
    header_line = next(
        line for line in text.splitlines() if line.startswith("Category") and "No update" in line
    )
    assert "Other" in header_line

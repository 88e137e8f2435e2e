"""Which districts belong to which force, names as users write them, populations for every
district, and the notes a multi-file street read gives.

Expected values come from the real ONS files in tests/data/real, read here with csv, and
from figures worked out by hand in the comments.
"""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from policing_cli.report.areas import area_key

from .conftest import real_file
from .helpers import invoke

ROOT = Path(__file__).resolve().parents[1]
NORTH_WALES = sorted(
    (Path(__file__).parent / "data" / "real" / "police-uk" / "north-wales").glob("*.csv")
)
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)


def report(*args) -> dict:
    result = invoke("report", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def ons_districts() -> dict[str, tuple[str, int, int]]:
    """{code: (name, mid-2022, mid-2023)} for the 318 districts of England and Wales."""
    folder = Path(__file__).parent / "data" / "real" / "ons-population"
    with (folder / "ons_mid2022_population_uk_areas.csv").open(encoding="utf-8-sig") as handle:
        mid2022 = {r["Code"]: int(r["Population"]) for r in csv.DictReader(handle)}
    out = {}
    with (folder / "ons_mid2023_population_england_wales_areas.csv").open(
        encoding="utf-8-sig"
    ) as handle:
        for row in csv.DictReader(handle):
            if row["Code"][:3] in ("E06", "E07", "E08", "E09", "W06"):
                out[row["Code"]] = (row["Name"], mid2022[row["Code"]], int(row["All ages"]))
    return out


def test_the_force_areas_table_covers_every_district_once():
    """Each of ONS's 318 districts (as from April 2023) is in exactly one force's area."""
    table = ROOT / "policing_cli" / "data" / "police_force_areas.csv"
    with table.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["current"] == "yes"]
    keys = [area_key(r["district"]) for r in rows]
    assert len(keys) == len(set(keys))
    ons = {area_key(name) for name, _, _ in ons_districts().values()}
    assert len(ons) == 318
    assert set(keys) == ons
    # 43 territorial forces of England and Wales, the Met's 32 boroughs, the City's one.
    forces = {r["force"] for r in rows}
    assert len(forces) == 43
    assert sum(r["force"] == "Metropolitan Police Service" for r in rows) == 32
    assert [r["district"] for r in rows if r["force"] == "City of London Police"] == [
        "City of London"
    ]


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("The Vale of Glamorgan", "Vale of Glamorgan"),
        ("Bro Morgannwg", "Vale of Glamorgan"),
        ("Ynys Môn", "Isle of Anglesey"),
        ("Wrecsam", "Wrexham"),
        ("Kingston upon Hull, City of", "Kingston upon Hull"),
        ("Bristol, City of", "Bristol"),
        ("ST. HELENS", "St Helens"),
        ("kensington-and-chelsea", "Kensington & Chelsea"),
    ],
)
def test_names_match_as_people_write_them(written, canonical):
    assert area_key(written) == area_key(canonical)


def test_a_welsh_district_is_found_by_its_welsh_name():
    english = report("isle of anglesey", "--data", NORTH_WALES[-1], "--period", "2020-11")
    welsh = report("Ynys Môn", "--data", NORTH_WALES[-1], "--period", "2020-11")
    assert english["rows"] == welsh["rows"] and welsh["area"] == "Isle of Anglesey"


def test_a_district_outside_london_has_a_rate_from_ons():
    """Wrexham 2020-11 against 2020-10: no 2020 estimate is bundled, so the nearest, mid-2022
    (ONS: Wrexham 135,394), with a note; the rate is count * 1,000 / 135,394."""
    data = report("wrexham", "--data", NORTH_WALES[-2], "--data", NORTH_WALES[-1],
                  "--period", "2020-11", "--vs", "2020-10")  # fmt: skip
    wrexham = next(v for v in ons_districts().values() if v[0] == "Wrexham")
    assert data["population"] == wrexham[1] == 135394 and data["population_year"] == 2022
    total = next(r for r in data["rows"] if r["category"] == "Total notifiable offences")
    assert total["rate_per_1000"] == pytest.approx(total["count"] * 1000 / 135394)
    assert any("nearest" in n and "2022" in n for n in data["notes"])
    force = report("north wales police", "--data", NORTH_WALES[-1], "--period", "2020-11")
    # The force's population: its six districts, mid-2022 estimates, summed.
    six = ("Conwy", "Denbighshire", "Flintshire", "Gwynedd", "Isle of Anglesey", "Wrexham")
    assert force["population"] == sum(v[1] for v in ons_districts().values() if v[0] in six)


def test_a_district_merged_away_says_so(tmp_path):
    path = tmp_path / "2022-01-cumbria-street.csv"
    lines = [HEADER] + [
        f"x{i},2022-01,Cumbria Constabulary,Cumbria Constabulary,-3.1,54.6,On or near X,"
        f"E01019000,Allerdale 00{i}A,Burglary,Under investigation,"
        for i in range(3)
    ]
    path.write_text("\n".join(lines) + "\n")
    data = report("allerdale", "--data", path, "--period", "2022-01")
    assert data["population"] is None
    assert any("Allerdale became part of Cumberland in Apr 2023" in n for n in data["notes"])
    areas = json.loads(invoke("areas", "--data", path, "--format", "json").stdout)
    allerdale = next(r for r in areas["rows"] if r["area"] == "Allerdale")
    assert allerdale["kind"] == "district" and allerdale["force"] == "Cumbria Constabulary"


def test_a_folder_and_its_archive_read_together_give_one_note(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    archive = tmp_path / "north-wales.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in NORTH_WALES:
            shutil.copy(path, folder / path.name)
            zipped.write(path, f"{path.name[:7]}/{path.name}")
    result = invoke("report", "conwy", "--data", folder, "--data", archive, "--period", "2020-11",
                    "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    notes = [n for n in json.loads(result.stdout)["notes"] if "read twice" in n]
    assert notes == [
        "2020-07..2020-11: read twice, in 5 files (2020-07-north-wales-street.csv .. "
        "2020-11-north-wales-street.csv) and in north-wales.zip; counted once, from "
        "north-wales.zip (the newer release wins)"
    ]


def test_rank_of_street_districts_leaves_border_districts_out():
    args = [a for p in NORTH_WALES for a in ("--data", p)]
    listing = json.loads(
        invoke("rank", *args, "--period", "2020-11", "--category", "Burglary", "--format",
               "json").stdout
    )  # fmt: skip
    assert sorted(r["area"] for r in listing["rows"]) == [
        "Conwy", "Denbighshire", "Flintshire", "Gwynedd", "Isle of Anglesey", "Wrexham",
    ]  # fmt: skip
    assert any("every district" in n for n in listing["notes"])


def test_snapshot_writes_only_the_forces_own_districts(tmp_path):
    args = [a for p in NORTH_WALES for a in ("--data", p)]
    result = invoke("snapshot", *args, "--period", "2020-11", "--out", tmp_path, "-q",
                    "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    written = sorted(p.stem for p in (tmp_path / "2020-11").glob("*.json") if p.stem != "index")
    assert written == [
        "conwy", "denbighshire", "flintshire", "gwynedd", "isle-of-anglesey", "wrexham",
    ]  # fmt: skip


def test_a_city_of_london_district_of_the_mets_area_is_a_border_district():
    now = real_file("police-uk", "2024-12-city-of-london-street.csv")
    before = real_file("police-uk", "2023-12-city-of-london-street.csv")
    data = report("westminster", "--data", now, "--data", before, "--period", "2024-12")
    total = next(r for r in data["rows"] if r["category"] == "Total notifiable offences")
    # Westminster LSOAs in City of London Police's files: 1 crime in 2024-12, 5 in 2023-12.
    assert (total["count"], total["baseline_count"]) == (1, 5)
    assert total["rank"] is None and total["force_pct_change"] is None
    assert any(
        # 1 crime in 2024-12 and 5 in 2023-12: the files read hold 6 located there.
        "only 6 crimes from City of London Police's files are located here" in n
        and "Metropolitan Police Service's files are not loaded" in n
        for n in data["notes"]
    )


def test_snapshot_of_one_force_among_several(tmp_path):
    """--force writes that force's own districts only, under its force-wide summary."""
    city = [real_file("police-uk", f"{y}-12-city-of-london-street.csv") for y in (2023, 2024)]
    args = [a for p in [*NORTH_WALES, *city] for a in ("--data", p)]
    result = invoke("snapshot", *args, "--period", "2020-11", "--out", tmp_path, "--format",
                    "json", "--force", "north-wales")  # fmt: skip
    assert result.exit_code == 0, result.output
    written = sorted(p.stem for p in (tmp_path / "2020-11").glob("*.json") if p.stem != "index")
    assert written == [
        "conwy", "denbighshire", "flintshire", "gwynedd", "isle-of-anglesey", "wrexham",
    ]  # fmt: skip
    index = json.loads((tmp_path / "2020-11" / "index.json").read_text())
    assert index["force_wide"]["area"] == "North Wales Police"
    assert "6 area(s)" in result.stderr
    result = invoke("snapshot", *args, "--period", "2024-12", "--out", tmp_path, "--format",
                    "json", "--force", "City of London Police", "-q")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [p.stem for p in (tmp_path / "2024-12").glob("*.json") if p.stem != "index"] == [
        "city-of-london"
    ]
    result = invoke("snapshot", *args, "--out", tmp_path, "--force", "north walse")
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        "Error: no police force 'north walse' in the street files read: did you mean "
        "'North Wales Police'? forces read: City of London Police, North Wales Police"
    )

"""data.police.uk street-level files: counts checked against an independent count of the
real files, forces and districts, no-location rows, folders and zip archives, duplicates,
bad inputs, the cache and partial periods."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from policing_cli.cli import main
from policing_cli.loaders.cache import SUBFOLDER

from .conftest import real_file

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
    "LSOA code,LSOA name,Crime type,Last outcome category,Context"
)

#: The report categories each street crime type counts in (categories.csv ``street`` rules),
#: written out here so the expected figures do not come from the code under test.
STREET_CATEGORIES = {
    "Burglary": ("Burglary", "Serious acquisitive crime"),
    "Robbery": ("Total robbery", "Serious acquisitive crime"),
    "Vehicle crime": ("Vehicle crime", "Serious acquisitive crime"),
    "Violence and sexual offences": ("Violence and sexual offences",),
    "Criminal damage and arson": ("Arson and criminal damage",),
    "Drugs": ("Drug offences",),
    "Possession of weapons": ("Possession of weapons",),
    "Public order": ("Public order offences",),
    "Shoplifting": ("Shoplifting",),
    "Theft from the person": ("Theft from the person",),
    "Bicycle theft": ("Bicycle theft",),
    "Other theft": ("Other theft",),
    "Other crime": ("Other crime",),
    "Anti-social behaviour": ("Anti-social behaviour",),
}
TOTAL = "Total notifiable offences"
#: Every category a street-level report shows: all 14 crime types are published every month,
#: so a type with no crime is 0, not missing.
ALL_CATEGORIES = {c for cats in STREET_CATEGORIES.values() for c in cats} | {TOTAL}


def full(counts: dict[str, int]) -> dict[str, int]:
    """Counts with every category of a street-level report, 0 where none is given."""
    return {c: counts.get(c, 0) for c in ALL_CATEGORIES}


# -- helpers -------------------------------------------------------------------------------


def district(lsoa_name: str) -> str:
    parts = lsoa_name.split()
    return " ".join(parts[:-1]) if len(parts) > 1 else ""


def expected_counts(paths: list[Path], *, district_name=None, force=None, month=None):
    """Counts per report category, by a plain csv.DictReader pass over the files."""
    counts: Counter[str] = Counter({c: 0 for c in ALL_CATEGORIES})
    for path in paths:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                if month is not None and row["Month"] != month:
                    continue
                if district_name is not None and district(row["LSOA name"]) != district_name:
                    continue
                if force is not None and row["Falls within"] != force:
                    continue
                crime_type = row["Crime type"]
                for category in STREET_CATEGORIES[crime_type]:
                    counts[category] += 1
                if crime_type != "Anti-social behaviour":
                    counts[TOTAL] += 1
    return dict(counts)


def invoke(*args: str) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


def report_json(area: str, period: str, *data: Path, extra: tuple[str, ...] = ()) -> dict:
    args = ["report", area, "--period", period, "--format", "json"]
    for path in data:
        args += ["--data", str(path)]
    result = invoke(*args, *extra)
    assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    return json.loads(result.stdout)


def by_category(data: dict, key: str = "count") -> dict[str, int | None]:
    return {row["category"]: row[key] for row in data["rows"]}


def rows_of(data: dict) -> list[tuple]:
    return [
        (r["category"], r["count"], r["baseline_count"], r["change"], r["pct_change"])
        for r in data["rows"]
    ]


def all_notes(result) -> str:
    """Notes from both the JSON body and the ``note:`` lines on stderr."""
    notes = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    with contextlib.suppress(ValueError, KeyError):
        notes += json.loads(result.stdout)["notes"]
    return "\n".join(notes)


def write_street(path: Path, rows: list[tuple[str, ...]]) -> Path:
    """A street file; each row is (month, force, lsoa name, crime type)."""
    lines = [HEADER]
    for number, (month, force, lsoa, crime_type) in enumerate(rows):
        code = "E01000001" if lsoa else ""
        location = "On or near Somewhere" if lsoa else "No Location"
        lon, lat = ("-0.1", "51.5") if lsoa else ("", "")
        lines.append(
            f"id{path.stem}{number},{month},{force},{force},{lon},{lat},{location},"
            f"{code},{lsoa},{crime_type},Under investigation,"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def city_files() -> tuple[Path, Path]:
    return (
        real_file("police-uk", "2024-12-city-of-london-street.csv"),
        real_file("police-uk", "2023-12-city-of-london-street.csv"),
    )


def one_line_error(result, name: str, code: int = 1) -> str:
    assert result.exit_code == code, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), lines[0]
    assert name in lines[0], lines[0]
    assert result.stdout == ""
    return lines[0]


def forget_loaded_data() -> None:
    """Drop the in-process memo of the last dataset, as a new process would start: the
    cache tests must exercise the on-disk cache, not this memo."""
    from policing_cli.loaders import inputs

    inputs.MEMO.clear()


# -- 1. counts from the real files ---------------------------------------------------------


def test_real_city_of_london_district_counts():
    now, before = city_files()
    data = report_json("City of London", "2024-12", now, before)
    assert data["area"] == "City of London"
    assert data["period"] == "2024-12" and data["baseline_period"] == "2023-12"
    want_now = expected_counts([now], district_name="City of London")
    want_before = expected_counts([before], district_name="City of London")
    assert set(by_category(data)) == set(want_now) | set(want_before)
    for row in data["rows"]:
        assert row["count"] == want_now.get(row["category"], 0), row
        assert row["baseline_count"] == want_before.get(row["category"], 0), row
        assert row["change"] == row["count"] - row["baseline_count"]
    counts = by_category(data)
    # The headline figures, spelled out.
    assert counts[TOTAL] == want_now[TOTAL]
    assert counts[TOTAL] == sum(
        n for c, n in want_now.items() if c in {v[0] for v in STREET_CATEGORIES.values()}
    ) - want_now.get("Anti-social behaviour", 0)
    assert counts["Serious acquisitive crime"] == (
        want_now.get("Burglary", 0) + want_now.get("Total robbery", 0)
        + want_now.get("Vehicle crime", 0)
    )  # fmt: skip
    assert counts["Total robbery"] == want_now["Total robbery"]
    # The district excludes the force's crimes in neighbouring boroughs and with no location.
    force_total = expected_counts([now], force="City of London Police")[TOTAL]
    assert counts[TOTAL] < force_total


def test_real_city_of_london_police_force_counts():
    now, before = city_files()
    data = report_json("City of London Police", "2024-12", now, before)
    assert data["area"] == "City of London Police"
    want_now = expected_counts([now], force="City of London Police")
    want_before = expected_counts([before], force="City of London Police")
    assert by_category(data) == {c: want_now.get(c, 0) for c in by_category(data)}
    assert by_category(data, "baseline_count") == {
        c: want_before.get(c, 0) for c in by_category(data)
    }
    assert set(by_category(data)) == set(want_now) | set(want_before)
    counts = by_category(data)
    assert counts[TOTAL] == want_now[TOTAL]
    assert counts["Serious acquisitive crime"] == want_now["Serious acquisitive crime"]
    assert counts["Total robbery"] == want_now["Total robbery"]
    # Every row of the force's file counts, with a location or not, ASB apart.
    with now.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert counts[TOTAL] == sum(1 for r in rows if r["Crime type"] != "Anti-social behaviour")


def test_real_met_sample_district_without_baseline():
    path = real_file("police-uk", "2023-01-metropolitan-street_SAMPLE_first4000rows.csv")
    data = report_json("Barking and Dagenham", "2023-01", path)
    assert data["area"] == "Barking and Dagenham"
    assert data["period"] == "2023-01" and data["baseline_period"] == "2022-01"
    want = expected_counts([path], district_name="Barking and Dagenham", month="2023-01")
    assert want[TOTAL] > 0
    assert by_category(data) == want
    for key in ("baseline_count", "change", "pct_change"):
        assert set(by_category(data, key).values()) == {None}, key
    assert any("2022-01" in n and "not in the data" in n for n in data["notes"]), data["notes"]


def test_real_met_sample_force_in_lower_case():
    path = real_file("police-uk", "2023-01-metropolitan-street_SAMPLE_first4000rows.csv")
    data = report_json("metropolitan police service", "2023-01", path)
    assert data["area"] == "Metropolitan Police Service"
    want = expected_counts([path], force="Metropolitan Police Service", month="2023-01")
    assert by_category(data) == want
    counts = by_category(data)
    assert counts[TOTAL] == 4000 - want["Anti-social behaviour"]
    assert counts["Serious acquisitive crime"] == want["Serious acquisitive crime"]
    assert counts["Total robbery"] == want["Total robbery"]
    assert set(by_category(data, "baseline_count").values()) == {None}
    assert any("not in the data" in n for n in data["notes"]), data["notes"]


# -- 2. a district policed by two forces ----------------------------------------------------


@pytest.fixture
def two_forces(tmp_path) -> tuple[Path, Path]:
    a = write_street(
        tmp_path / "a" / "2024-12-force-a-street.csv",
        [
            ("2024-12", "Force A Police", "Westminster 001A", "Robbery"),
            ("2024-12", "Force A Police", "Westminster 001A", "Robbery"),
            ("2024-12", "Force A Police", "Westminster 001A", "Burglary"),
            ("2024-12", "Force A Police", "Westminster 001A", "Anti-social behaviour"),
            ("2024-12", "Force A Police", "Camden 001A", "Drugs"),
            ("2024-12", "Force A Police", "", "Robbery"),
        ],
    )
    b = write_street(
        tmp_path / "b" / "2024-12-force-b-street.csv",
        [
            ("2024-12", "Force B Police", "Westminster 001A", "Robbery"),
            ("2024-12", "Force B Police", "Westminster 001A", "Vehicle crime"),
            ("2024-12", "Force B Police", "Westminster 002B", "Public order"),
            ("2024-12", "Force B Police", "", "Drugs"),
        ],
    )
    return a, b


def test_district_of_two_forces_is_their_sum(two_forces):
    a, b = two_forces
    data = report_json("Westminster", "2024-12", a, b)
    assert by_category(data) == full(
        {
            "Total robbery": 3,
            "Serious acquisitive crime": 5,
            "Burglary": 1,
            "Vehicle crime": 1,
            "Public order offences": 1,
            "Anti-social behaviour": 1,
            TOTAL: 6,
        }
    )
    assert by_category(data) == expected_counts([a, b], district_name="Westminster")


@pytest.mark.parametrize(
    ("force", "expected"),
    [
        (
            "Force A Police",
            {
                "Total robbery": 3,
                "Serious acquisitive crime": 4,
                "Burglary": 1,
                "Drug offences": 1,
                "Anti-social behaviour": 1,
                TOTAL: 5,
            },
        ),
        (
            "force b police",
            {
                "Total robbery": 1,
                "Serious acquisitive crime": 2,
                "Vehicle crime": 1,
                "Drug offences": 1,
                "Public order offences": 1,
                TOTAL: 4,
            },
        ),
    ],
)
def test_each_force_counts_its_own(two_forces, force, expected):
    a, b = two_forces
    data = report_json(force, "2024-12", a, b)
    assert data["area"].casefold() == force.casefold()
    assert by_category(data) == full(expected)
    assert full(expected) == expected_counts([a, b], force=data["area"])


def test_district_of_two_forces_with_baseline(tmp_path):
    """Each force's comparison month is summed too; a force-month read once is never
    mistaken for a duplicate of the other force's same month."""
    files = [
        write_street(
            tmp_path / f"{m}-{f}-street.csv",
            [(m, f"{f} Police", "Westminster 001A", "Robbery")] * n,
        )
        for m, f, n in [("2024-12", "A", 2), ("2024-12", "B", 3), ("2023-12", "A", 1)]
    ]
    files.append(
        write_street(
            tmp_path / "2023-12-B-street.csv",
            [("2023-12", "B Police", "Westminster 001A", "Robbery")] * 4,
        )
    )
    data = report_json("Westminster", "2024-12", *files)
    assert by_category(data)["Total robbery"] == 5
    assert by_category(data, "baseline_count")["Total robbery"] == 5
    assert by_category(data, "change")["Total robbery"] == 0


# -- 3. rows with no location --------------------------------------------------------------


def test_no_location_rows_count_toward_the_force_only(tmp_path):
    path = write_street(
        tmp_path / "2024-12-force-a-street.csv",
        [
            ("2024-12", "Force A Police", "Westminster 001A", "Robbery"),
            ("2024-12", "Force A Police", "", "Robbery"),
            ("2024-12", "Force A Police", "", "Robbery"),
            ("2024-12", "Force A Police", "", "Burglary"),
        ],
    )
    force = by_category(report_json("Force A Police", "2024-12", path))
    assert force["Total robbery"] == 3 and force["Burglary"] == 1 and force[TOTAL] == 4
    borough = by_category(report_json("Westminster", "2024-12", path))
    assert borough == full({"Total robbery": 1, "Serious acquisitive crime": 1, TOTAL: 1})


def test_no_location_rows_of_real_file_are_force_only():
    now, _ = city_files()
    with now.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    no_location = [r for r in rows if not r["LSOA name"].strip()]
    assert no_location  # the real file has some
    force = by_category(report_json("City of London Police", "2024-12", now))[TOTAL]
    districts = {district(r["LSOA name"]) for r in rows if r["LSOA name"].strip()}
    summed = sum(by_category(report_json(d, "2024-12", now))[TOTAL] for d in sorted(districts))
    no_location_total = sum(1 for r in no_location if r["Crime type"] != "Anti-social behaviour")
    assert summed == force - no_location_total


def test_no_location_rows_are_not_listed_as_an_area(tmp_path):
    path = write_street(
        tmp_path / "2024-12-force-a-street.csv",
        [
            ("2024-12", "Force A Police", "Westminster 001A", "Robbery"),
            ("2024-12", "Force A Police", "", "Robbery"),
        ],
    )
    result = invoke("areas", "--data", path, "--format", "json")
    assert result.exit_code == 0, result.output
    names = [row["area"] for row in json.loads(result.stdout)["rows"]]
    assert all(name.strip() for name in names), names


def test_crime_type_absent_in_a_covered_month_counts_zero(tmp_path):
    files = [
        write_street(
            tmp_path / "2024-12-force-a-street.csv",
            [("2024-12", "Force A Police", "Westminster 001A", "Burglary")],
        ),
        write_street(
            tmp_path / "2023-12-force-a-street.csv",
            [
                ("2023-12", "Force A Police", "Westminster 001A", "Burglary"),
                ("2023-12", "Force A Police", "Westminster 001A", "Robbery"),
            ],
        ),
    ]
    data = report_json("Westminster", "2024-12", *files)
    assert by_category(data)["Total robbery"] == 0
    assert by_category(data, "change")["Total robbery"] == -1


# -- 4. folders, zip archives, repeated --data, duplicates -------------------------------------


def make_zip(path: Path, members: dict[str, Path | str]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            if isinstance(content, Path):
                archive.write(content, name)
            else:
                archive.writestr(name, content)
    return path


@pytest.fixture
def city_zip(tmp_path) -> Path:
    now, before = city_files()
    return make_zip(
        tmp_path / "city.zip",
        {
            "2024-12/2024-12-city-of-london-street.csv": now,
            "2023-12/2023-12-city-of-london-street.csv": before,
            "2024-12/2024-12-city-of-london-outcomes.csv": "Crime ID,Month\nx,2024-12\n",
        },
    )


@pytest.fixture
def city_folder(tmp_path) -> Path:
    now, before = city_files()
    folder = tmp_path / "folder"
    (folder / "2024" / "12").mkdir(parents=True)
    (folder / "2023" / "deeper" / "12").mkdir(parents=True)
    shutil.copy(now, folder / "2024" / "12" / now.name)
    shutil.copy(before, folder / "2023" / "deeper" / "12" / before.name)
    (folder / "2024" / "12" / "2024-12-city-of-london-outcomes.csv").write_text(
        "Crime ID,Month\nx,2024-12\n", encoding="utf-8"
    )
    (folder / "2024" / "2024-12-city-of-london-stop-and-search.csv").write_text(
        "Type,Date\nPerson search,2024-12-01T00:00:00+00:00\n", encoding="utf-8"
    )
    (folder / "README.txt").write_text("not data", encoding="utf-8")
    return folder


@pytest.mark.parametrize("area", ["City of London", "City of London Police"])
def test_folder_zip_and_files_agree(city_zip, city_folder, area):
    now, before = city_files()
    from_files = report_json(area, "2024-12", now, before)
    from_zip = report_json(area, "2024-12", city_zip)
    from_folder = report_json(area, "2024-12", city_folder)
    assert rows_of(from_files) == rows_of(from_zip) == rows_of(from_folder)
    assert (
        by_category(from_files)[TOTAL]
        == expected_counts(
            [now], **({"force": area} if "Police" in area else {"district_name": area})
        )[TOTAL]
    )


def test_zip_skips_outcomes_member_with_a_note(city_zip):
    result = invoke(
        "report", "City of London", "--period", "2024-12", "--data", city_zip, "--format", "json"
    )
    assert result.exit_code == 0, result.output
    note_lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert note_lines and all(line.startswith("note:") for line in note_lines), result.stderr
    assert "outcomes" in result.stderr and "skipped" in result.stderr
    assert any("outcomes" in n for n in json.loads(result.stdout)["notes"])


def test_folder_skips_outcomes_and_stop_and_search_with_a_note(city_folder):
    result = invoke(
        "report", "City of London", "--period", "2024-12", "--data", city_folder,
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    notes = all_notes(result)
    assert "skipped" in notes
    assert "outcomes" in notes and "stop-and-search" in notes


def test_real_stop_and_search_file_is_skipped(tmp_path):
    now, _ = city_files()
    stop = real_file("police-uk", "2016-06-metropolitan-stop-and-search.csv")
    result = invoke(
        "report", "City of London", "--period", "2024-12", "--data", now, "--data", stop,
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "stop-and-search" in all_notes(result)


def duplicate_inputs(kind: str, tmp_path: Path) -> list[Path]:
    now, before = city_files()
    if kind == "same path twice":
        return [now, before, now]
    if kind == "copy in two folders":
        for sub in ("one", "two"):
            (tmp_path / "dup" / sub).mkdir(parents=True)
            shutil.copy(now, tmp_path / "dup" / sub / now.name)
        shutil.copy(before, tmp_path / "dup" / "one" / before.name)
        return [tmp_path / "dup"]
    if kind == "loose and in zip":
        archive = make_zip(
            tmp_path / "city.zip",
            {
                "2024-12/2024-12-city-of-london-street.csv": now,
                "2023-12/2023-12-city-of-london-street.csv": before,
            },
        )
        return [now, archive]
    if kind == "twice in one zip":
        archive = make_zip(
            tmp_path / "city.zip",
            {
                "a/2024-12-city-of-london-street.csv": now,
                "b/2024-12-city-of-london-street.csv": now,
                "2023-12/2023-12-city-of-london-street.csv": before,
            },
        )
        return [archive]
    raise AssertionError(kind)


DUPLICATES = ["same path twice", "copy in two folders", "loose and in zip", "twice in one zip"]


def run_with(paths: list[Path], area: str = "City of London Police"):
    args = ["report", area, "--period", "2024-12", "--format", "json"]
    for path in paths:
        args += ["--data", str(path)]
    return invoke(*args)


@pytest.mark.parametrize("kind", DUPLICATES)
def test_duplicate_force_month_counted_once(tmp_path, kind):
    now, before = city_files()
    single = report_json("City of London Police", "2024-12", now, before)
    result = run_with(duplicate_inputs(kind, tmp_path))
    assert result.exit_code == 0, result.output
    assert rows_of(json.loads(result.stdout)) == rows_of(single)
    assert (
        by_category(json.loads(result.stdout))[TOTAL]
        == (expected_counts([now], force="City of London Police")[TOTAL])
    )


def test_duplicate_in_one_zip_has_a_note(tmp_path):
    result = run_with(duplicate_inputs("twice in one zip", tmp_path))
    assert result.exit_code == 0, result.output
    notes = all_notes(result)
    assert "counted once" in notes and "2024-12" in notes, notes
    assert result.stderr.startswith("note:")


@pytest.mark.parametrize("kind", ["same path twice", "copy in two folders", "loose and in zip"])
def test_duplicate_across_inputs_has_a_note(tmp_path, kind):
    result = run_with(duplicate_inputs(kind, tmp_path))
    assert result.exit_code == 0, result.output
    notes = all_notes(result)
    assert "once" in notes or "already read" in notes or "duplicate" in notes, notes


def test_two_versions_of_a_force_month_are_not_mixed(tmp_path):
    old = write_street(
        tmp_path / "old" / "2024-12-force-a-street.csv",
        [
            ("2024-12", "Force A Police", "Westminster 001A", "Robbery"),
            ("2024-12", "Force A Police", "Camden 001A", "Robbery"),
        ],
    )
    new = write_street(
        tmp_path / "new" / "2024-12-force-a-street.csv",
        [
            ("2024-12", "Force A Police", "Westminster 001A", "Robbery"),
            ("2024-12", "Force A Police", "Westminster 001B", "Robbery"),
        ],
    )
    force = by_category(report_json("Force A Police", "2024-12", old, new))
    assert force["Total robbery"] == 2


# -- 5. bad inputs -------------------------------------------------------------------------


def bad_input(kind: str, tmp_path: Path) -> Path:
    good = f"{HEADER}\nx1,2024-12,A Police,A Police,0,0,L,E1,Westminster 001A,Robbery,Done,\n"
    if kind == "missing Crime type column":
        path = tmp_path / "2024-12-a-street.csv"
        header = HEADER.replace("Crime type,", "")
        path.write_text(
            f"{header}\nx1,2024-12,A Police,A Police,0,0,L,E1,Westminster 001A,Done,\n",
            encoding="utf-8",
        )
        return path
    if kind == "missing Last outcome category column":
        path = tmp_path / "2024-12-a-street.csv"
        header = HEADER.replace("Last outcome category,", "")
        path.write_text(
            f"{header}\nx1,2024-12,A Police,A Police,0,0,L,E1,Westminster 001A,Robbery,\n",
            encoding="utf-8",
        )
        return path
    if kind == "truncated last line":
        path = tmp_path / "2024-12-a-street.csv"
        path.write_text(good + "x2,2024-12,A Police,A Police,0,0,L,E1,Westmi", encoding="utf-8")
        return path
    if kind == "truncated real file":
        now, _ = city_files()
        path = tmp_path / now.name
        path.write_bytes(now.read_bytes()[:-60])
        return path
    if kind == "header only":
        path = tmp_path / "2024-12-a-street.csv"
        path.write_text(HEADER + "\n", encoding="utf-8")
        return path
    if kind == "empty":
        path = tmp_path / "2024-12-a-street.csv"
        path.write_bytes(b"")
        return path
    if kind == "corrupt zip":
        path = tmp_path / "broken.zip"
        path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
        return path
    if kind == "zip without street files":
        return make_zip(
            tmp_path / "nostreet.zip",
            {
                "2024-12/2024-12-a-outcomes.csv": "Crime ID,Month\nx,2024-12\n",
                "2024-12/2024-12-a-stop-and-search.csv": "Type,Date\nx,y\n",
            },
        )
    if kind == "zip with truncated member":
        return make_zip(
            tmp_path / "cut.zip",
            {"2024-12/2024-12-a-street.csv": good + "x2,2024-12,A Police,A Po"},
        )
    if kind == "month 2024-13":
        path = tmp_path / "2024-13-a-street.csv"
        path.write_text(good.replace("2024-12", "2024-13"), encoding="utf-8")
        return path
    raise AssertionError(kind)


BAD = [
    "missing Crime type column",
    "missing Last outcome category column",
    "truncated last line",
    "truncated real file",
    "header only",
    "empty",
    "corrupt zip",
    "zip without street files",
    "zip with truncated member",
    "month 2024-13",
]


@pytest.mark.parametrize("kind", BAD)
@pytest.mark.parametrize("no_cache", [False, True], ids=["cache", "no-cache"])
def test_bad_input_is_one_line_error(tmp_path, kind, no_cache):
    path = bad_input(kind, tmp_path)
    args = ["report", "Westminster", "--period", "2024-12", "--data", path]
    result = invoke(*args, *(["--no-cache"] if no_cache else []))
    one_line_error(result, path.name)


@pytest.mark.parametrize("kind", ["truncated last line", "month 2024-13", "corrupt zip"])
def test_bad_input_among_good_files_is_still_an_error(tmp_path, kind):
    now, before = city_files()
    path = bad_input(kind, tmp_path)
    result = invoke(
        "report", "City of London", "--period", "2024-12",
        "--data", now, "--data", before, "--data", path,
    )  # fmt: skip
    one_line_error(result, path.name)


def test_truncated_real_file_names_the_cut_line(tmp_path):
    path = bad_input("truncated real file", tmp_path)
    line = one_line_error(invoke("report", "London", "--data", path), path.name)
    lines = path.read_bytes().count(b"\n") + 1
    assert f"{path.name}:{lines}:" in line, line


def test_truncated_line_number_with_repeated_row_start(tmp_path):
    path = tmp_path / "2024-12-a-street.csv"
    row = ",2024-12,A Police,A Police,,,No Location,,,Anti-social behaviour,,"
    path.write_text(f"{HEADER}\n{row}\n{row[:-15]}", encoding="utf-8")
    line = one_line_error(invoke("report", "A Police", "--data", path), path.name)
    assert f"{path.name}:3:" in line, line


# -- 6. the cache ------------------------------------------------------------------------


def cache_dir() -> Path:
    return Path(os.environ["POLICING_CACHE_DIR"])


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("POLICING_CACHE_DIR", str(folder))
    forget_loaded_data()
    yield folder
    forget_loaded_data()


def cached_report(*paths: Path, extra: tuple[str, ...] = ()) -> tuple[dict, str]:
    forget_loaded_data()
    args = ["report", "City of London", "--period", "2024-12", "--format", "json"]
    for path in paths:
        args += ["--data", str(path)]
    result = invoke(*args, *extra)
    assert result.exit_code == 0, (result.output, result.exception)
    return json.loads(result.stdout), result.stdout


def test_cache_reused_changed_file_and_corrupt_entries(tmp_path, fresh_cache, monkeypatch):
    now, before = city_files()
    work = tmp_path / "data"
    work.mkdir()
    current = work / now.name
    shutil.copy(now, current)
    shutil.copy(before, work / before.name)
    paths = (current, work / before.name)

    first, first_text = cached_report(*paths)
    want = expected_counts([current], district_name="City of London")
    assert by_category(first) == {c: want.get(c, 0) for c in by_category(first)}
    entries = [p for p in (fresh_cache / SUBFOLDER).iterdir() if p.is_file()]
    assert entries, "the first run wrote no cache"

    # Second run: identical output, from the cache (parsing is made impossible).
    from policing_cli.loaders import street_counts

    def no_parsing(*_args, **_kwargs):
        raise AssertionError("the cache was not used: the street file was parsed again")

    with monkeypatch.context() as patch:
        patch.setattr(street_counts, "read_counts", no_parsing)
        _, second_text = cached_report(*paths)
    assert second_text == first_text

    # Change the file: fewer robberies, another mtime. The new counts must show.
    with current.open(newline="", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    kept = [lines[0]]
    dropped = 0
    for line in lines[1:]:
        if ",City of London 0" in line and ",Robbery," in line and dropped < 5:
            dropped += 1
            continue
        kept.append(line)
    assert dropped == 5
    current.write_text("\n".join(kept) + "\n", encoding="utf-8")
    stat = current.stat()
    os.utime(current, ns=(stat.st_atime_ns, stat.st_mtime_ns - 86_400 * 10**9))
    changed, _ = cached_report(*paths)
    want_changed = expected_counts([current], district_name="City of London")
    assert by_category(changed)["Total robbery"] == want["Total robbery"] - 5
    assert by_category(changed) == {c: want_changed.get(c, 0) for c in by_category(changed)}

    # Corrupt every cache file: the report still gives the right numbers.
    files = [p for p in cache_dir().rglob("*") if p.is_file()]
    assert files
    for path in files:
        path.write_bytes(b"\x00\xffgarbage\x89PNG not parquet nor json {")
    again, _ = cached_report(*paths)
    assert by_category(again) == by_category(changed)
    assert rows_of(again) == rows_of(changed)
    # ... and a further run reads the rebuilt cache.
    rebuilt, _ = cached_report(*paths)
    assert rows_of(rebuilt) == rows_of(changed)


def read_per_file_entries(target: Path, folder: Path) -> None:
    """Make the next run read the per-file entries (unless ``target`` is a combined one)."""
    if not target.name.startswith("all-"):
        for combined in folder.glob("all-*"):
            combined.unlink()


def test_damaged_cache_bytes_are_never_read_as_figures(tmp_path, fresh_cache):
    """A cache entry changed in a way that still opens without error (a count's bytes in the
    Arrow file, a month in the metadata) must not reach the report: the entry fails its
    checksum and is rebuilt."""
    import struct

    import pyarrow as pa

    now, before = city_files()
    first, _ = cached_report(now, before)
    for target in sorted((fresh_cache / SUBFOLDER).glob("*.arrow")):
        original = target.read_bytes()
        counts = pa.ipc.open_file(pa.py_buffer(original)).read_all().column("count").to_pylist()
        packed = next(
            struct.pack("<q", c) for c in sorted(counts, reverse=True)
            if original.count(struct.pack("<q", c)) == 1
        )  # fmt: skip
        target.write_bytes(original.replace(packed, struct.pack("<q", 999_999)))
        read_per_file_entries(target, fresh_cache / SUBFOLDER)
        again, _ = cached_report(now, before)
        assert rows_of(again) == rows_of(first), target.name
        assert target.read_bytes() == original, f"{target.name} was not rebuilt"
    for target in sorted((fresh_cache / SUBFOLDER).glob("*.json")):
        original = target.read_text()
        # A record's field, or a column of a list of records (cache_format._encode_rows).
        found = re.search(r'"last_month": (?:\{"(?:items|values)": \[)?(\d+)', original)
        assert found, target.name
        month = found.group(1)
        damaged = found.group(0)[: -len(month)] + str(int(month) - 1)
        target.write_text(original.replace(found.group(0), damaged, 1))
        read_per_file_entries(target, fresh_cache / SUBFOLDER)
        again, _ = cached_report(now, before)
        assert rows_of(again) == rows_of(first), target.name

        def entry(text: str) -> dict:  # what the entry says, its time of writing aside
            payload = json.loads(text)["payload"]
            return {k: v for k, v in payload.items() if k != "written"}

        assert entry(target.read_text()) == entry(original), f"{target.name} was not rebuilt"


def test_files_the_cache_cannot_prove_it_wrote_are_left_alone(tmp_path, fresh_cache):
    """An old-format file, a stray file and an unsealed look-alike entry, all old: kept."""
    now, _ = city_files()
    entries = fresh_cache / SUBFOLDER
    entries.mkdir(parents=True, exist_ok=True)
    strays = [fresh_cache / "0123.parquet", entries / "4567.arrow", entries / ("a" * 40 + ".json")]
    for stray in strays:
        stray.write_bytes(b"x")
        long_ago = stray.stat().st_mtime - 200 * 86_400
        os.utime(stray, (long_ago, long_ago))
    cached_report(now)
    assert all(stray.exists() for stray in strays)
    assert any(p.suffix == ".arrow" and p not in strays for p in entries.iterdir())


def test_changed_file_with_same_size_new_mtime_is_reread(tmp_path, fresh_cache):
    rows = [("2024-12", "Force A Police", "Westminster 001A", "Robbery")] * 3
    path = write_street(tmp_path / "2024-12-force-a-street.csv", rows)
    first = report_json("Westminster", "2024-12", path)
    assert by_category(first)["Total robbery"] == 3
    size = path.stat().st_size
    # One Robbery (7 characters) becomes a Burglary (8), its location one character shorter.
    text = path.read_text(encoding="utf-8")
    text = text.replace("On or near Somewhere,E01000001,Westminster 001A,Robbery", (
        "On or near Somewher,E01000001,Westminster 001A,Burglary"), 1)  # fmt: skip
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size == size
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5 * 10**9))
    forget_loaded_data()
    second = report_json("Westminster", "2024-12", path)
    assert by_category(second)["Total robbery"] == 2
    assert by_category(second)["Burglary"] == 1


def test_no_cache_same_numbers_and_writes_nothing(tmp_path, monkeypatch):
    now, before = city_files()
    with_cache = report_json("City of London", "2024-12", now, before)
    empty = tmp_path / "empty-cache"
    empty.mkdir()
    monkeypatch.setenv("POLICING_CACHE_DIR", str(empty))
    forget_loaded_data()
    without = report_json("City of London", "2024-12", now, before, extra=("--no-cache",))
    assert rows_of(without) == rows_of(with_cache)
    assert list(empty.rglob("*")) == []
    # Not even the folder is created when it does not exist.
    missing = tmp_path / "no-such-cache"
    monkeypatch.setenv("POLICING_CACHE_DIR", str(missing))
    forget_loaded_data()
    again = report_json("City of London", "2024-12", now, before, extra=("--no-cache",))
    assert rows_of(again) == rows_of(with_cache)
    assert not missing.exists()


def test_zip_cache_sees_a_changed_archive(tmp_path, fresh_cache):
    now, before = city_files()
    archive = make_zip(
        tmp_path / "city.zip",
        {"a/2024-12-city-of-london-street.csv": now, "b/2023-12-city-of-london-street.csv": before},
    )
    first, _ = cached_report(archive)
    small = write_street(
        tmp_path / "small" / "2024-12-city-of-london-street.csv",
        [("2024-12", "City of London Police", "City of London 001A", "Robbery")],
    )
    archive.unlink()
    make_zip(archive, {"a/2024-12-city-of-london-street.csv": small})
    stat = archive.stat()
    os.utime(archive, ns=(stat.st_atime_ns, stat.st_mtime_ns + 7 * 10**9))
    second, _ = cached_report(archive)
    assert by_category(first)["Total robbery"] > 1
    assert by_category(second) == full(
        {"Total robbery": 1, "Serious acquisitive crime": 1, TOTAL: 1}
    )


# -- 7. partial periods ----------------------------------------------------------------------


def test_calendar_year_with_one_month_is_partial():
    now, _ = city_files()
    result = invoke(
        "report", "City of London", "--period", "2024", "--data", now, "--format", "json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["period"] == "2024"
    assert any("partial" in note for note in data["notes"]), data["notes"]
    assert data["period_detail"]["months_in_data"] == 1
    want = expected_counts([now], district_name="City of London")
    assert by_category(data) == want


def test_month_not_in_data_is_usage_error():
    now, _ = city_files()
    result = invoke("report", "City of London", "--period", "2024-11", "--data", now)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "2024-11" in lines[0]
    assert "Traceback" not in result.output and result.stdout == ""

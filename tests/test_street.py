"""data.police.uk street-level files: counts checked against an independent count of the
real files, forces and districts, no-location rows, folders and zip archives, duplicates,
bad inputs and partial periods (the cache with street files: test_cache_street_files.py)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from .conftest import real_file
from .helpers import by_category, invoke, one_line_error
from .street_files import (
    HEADER,
    STREET_CATEGORIES,
    TOTAL,
    all_notes,
    city_files,
    district,
    expected_counts,
    full,
    make_zip,
    report_json,
    rows_of,
    write_street,
)

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


# -- 6. partial periods ----------------------------------------------------------------------


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

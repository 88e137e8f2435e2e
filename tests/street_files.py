"""Street-level files for the tests: their header, writing one, the real City of London pair,
an independent count of the categories a street file's rows fall in, and reading a report's
JSON of street data."""

from __future__ import annotations

import contextlib
import csv
import json
import zipfile
from collections import Counter
from pathlib import Path

from .conftest import real_file
from .helpers import invoke

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


def report_json(area: str, period: str, *data: Path, extra: tuple[str, ...] = ()) -> dict:
    args = ["report", area, "--period", period, "--format", "json"]
    for path in data:
        args += ["--data", str(path)]
    result = invoke(*args, *extra)
    assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    return json.loads(result.stdout)


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


def forget_loaded_data() -> None:
    """Drop the in-process memo of the last dataset, as a new process would start: the
    cache tests must exercise the on-disk cache, not this memo."""
    from policing_cli.loaders import inputs

    inputs.MEMO.clear()


def make_zip(path: Path, members: dict[str, Path | str]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            if isinstance(content, Path):
                archive.write(content, name)
            else:
                archive.writestr(name, content)
    return path

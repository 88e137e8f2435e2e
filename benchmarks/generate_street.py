"""Write synthetic data.police.uk street-level CSV files in the real layout.

Deterministic (seeded), so every run of the benchmark reads the same bytes. Rows are drawn
from real-looking values: Met LSOA names across the 32 boroughs, the 14 crime types and the
usual outcomes; about 1 row in 50 has "No location" (blank LSOA), as in the real files.

    python benchmarks/generate_street.py --rows 1000000 --files 1 --out /tmp/street

``national_forces`` and ``force_month_csv`` make the national archive's members (every
force of England and Wales, see run_national.py): each force's districts as the project's
force areas table lists them, its LSOAs (about one per 1,700 residents, from the bundled ONS
estimates: "Arun 001A" ...) and its share of the rows by population; crime types and
outcomes in roughly their national proportions, outcomes maturing with the months (recent
crimes mostly "Under investigation"); 1 row in 50 with no location and 1 in 200 located in
another force's district (the next by population), as real files hold a few crimes located
just over their border.
"""

from __future__ import annotations

import argparse
import csv
import functools
import random
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\r\n"
)
BOROUGHS = [
    "Barking and Dagenham", "Barnet", "Bexley", "Brent", "Bromley", "Camden", "Croydon",
    "Ealing", "Enfield", "Greenwich", "Hackney", "Hammersmith and Fulham", "Haringey",
    "Harrow", "Havering", "Hillingdon", "Hounslow", "Islington", "Kensington and Chelsea",
    "Kingston upon Thames", "Lambeth", "Lewisham", "Merton", "Newham", "Redbridge",
    "Richmond upon Thames", "Southwark", "Sutton", "Tower Hamlets", "Waltham Forest",
    "Wandsworth", "Westminster",
]  # fmt: skip
TYPES = [
    "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs",
    "Other crime", "Other theft", "Possession of weapons", "Public order", "Robbery",
    "Shoplifting", "Theft from the person", "Vehicle crime", "Violence and sexual offences",
]  # fmt: skip
OUTCOMES = [
    "Under investigation", "Investigation complete; no suspect identified",
    "Unable to prosecute suspect", "Awaiting court outcome", "Local resolution",
    "Offender given a caution", "Status update unavailable",
]  # fmt: skip


def write_file(path: Path, rows: int, month: str, seed: int) -> None:
    rng = random.Random(seed)
    lsoas = [(f"E0100{i:04d}", f"{b} {n:03d}{'ABCDE'[n % 5]}") for i, (b, n) in
             enumerate((b, n) for b in BOROUGHS for n in range(1, 160))]  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        lines = []
        for i in range(rows):
            kind = rng.choice(TYPES)
            asb = kind == "Anti-social behaviour"
            crime_id = "" if asb else f"{rng.getrandbits(128):032x}{i:032x}"
            outcome = "" if asb else rng.choice(OUTCOMES)
            if rng.random() < 0.02:
                code, name, lon, lat, loc = "", "", "", "", "No location"
            else:
                code, name = rng.choice(lsoas)
                lon, lat = f"{-0.5 + rng.random():.6f}", f"{51.3 + rng.random() / 2:.6f}"
                loc = "On or near Parking Area"
            lines.append(
                f"{crime_id},{month},Metropolitan Police Service,Metropolitan Police Service,"
                f"{lon},{lat},{loc},{code},{name},{kind},{outcome},\r\n"
            )
            if len(lines) == 10000:
                out.write("".join(lines))
                lines = []
        out.write("".join(lines))


#: Crime types with roughly their national shares of street rows (per cent).
TYPE_SHARES = {
    "Violence and sexual offences": 33, "Anti-social behaviour": 17, "Public order": 9,
    "Criminal damage and arson": 8, "Other theft": 7, "Shoplifting": 7, "Vehicle crime": 5,
    "Burglary": 4, "Drugs": 3, "Other crime": 2, "Theft from the person": 1.5, "Robbery": 1.2,
    "Bicycle theft": 1.1, "Possession of weapons": 1.2,
}  # fmt: skip
#: Outcomes of crimes old enough to have one, with rough shares (per cent).
SETTLED_OUTCOMES = {
    "Investigation complete; no suspect identified": 38, "Unable to prosecute suspect": 33,
    "Status update unavailable": 5, "Local resolution": 3, "Awaiting court outcome": 3,
    "Court result unavailable": 2, "Further action is not in the public interest": 2,
    "Formal action is not in the public interest": 1, "Offender given a caution": 1,
    "Action to be taken by another organisation": 2, "Suspect charged as part of another case": 1,
    "Offender sent to prison": 1, "Offender given a drugs possession warning": 1,
    "Offender fined": 0.5, "Offender given suspended prison sentence": 0.5,
    "Offender given community sentence": 0.5, "Offender given conditional discharge": 0.3,
    "Defendant found not guilty": 0.3, "Offender given penalty notice": 0.3,
    "Further investigation is not in the public interest": 1, "Under investigation": 4,
}  # fmt: skip
STREETS = ["High Street", "Station Road", "Church Lane", "Park Road", "Supermarket",
           "Shopping Area", "Parking Area", "Petrol Station", "Nightclub", "Sports/Recreation Area"]  # fmt: skip


@dataclass(frozen=True)
class Force:
    """One force of the synthetic national archive."""

    name: str  # as "Falls within" spells it
    slug: str  # as member names spell it: 2024-10/2024-10-<slug>-street.csv
    districts: tuple[tuple[str, int], ...]  # (district, number of its LSOAs)
    population: int


def _slug(force: str) -> str:
    if force == "Metropolitan Police Service":
        return "metropolitan"
    name = re.sub(r" (Police|Constabulary)$", "", force).replace("&", "and")
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def national_forces() -> list[Force]:
    """Every force of England and Wales, largest first (by residents), with its districts
    (the force areas table) and their LSOAs (one per 1,700 residents, ONS mid-2023)."""
    people = {}
    with (ROOT / "sample_data" / "ons_district_population_mid2022_mid2023.csv").open() as f:
        for row in csv.DictReader(f):
            people[row["Area name"].split(",")[0]] = int(row["2023_Population"])
    by_force: dict[str, list[tuple[str, int]]] = {}
    with (ROOT / "policing_cli" / "data" / "police_force_areas.csv").open() as f:
        for row in csv.DictReader(f):
            if row["current"] == "yes":
                by_force.setdefault(row["force"], []).append(
                    (row["district"], people.get(row["district"], 100_000))
                )
    forces = [
        Force(name, _slug(name), tuple((d, max(p // 1700, 4)) for d, p in held),
              sum(p for _, p in held))
        for name, held in by_force.items()
    ]  # fmt: skip
    return sorted(forces, key=lambda force: (-force.population, force.name))


@functools.cache
def _lsoas(force: Force) -> list[tuple[str, str]]:
    """(LSOA code, LSOA name) of each of a force's LSOAs: "Arun 001A", "Arun 001B", ..."""
    found = []
    for district, count in force.districts:
        for i in range(count):
            name = f"{district} {i // 4 + 1:03d}{'ABCD'[i % 4]}"
            code = f"E01{zlib.crc32(name.encode()) % 10**6:06d}"
            found.append((code, f'"{name}"' if "," in name else name))  # as the real files quote
    return found


def force_month_csv(
    force: Force, neighbour: Force, month: str, rows: int, age: int, seed: int
) -> bytes:
    """One force-month street file (header and ``rows`` rows) as CSV bytes. ``age``: months
    before the archive's last month (outcomes mature: a crime of the last month is mostly
    under investigation, one of three years ago almost never)."""
    rng = random.Random(seed)
    types = rng.choices(list(TYPE_SHARES), weights=list(TYPE_SHARES.values()), k=rows)
    open_share = max(0.04, 0.85 * 0.7**age)
    outcome_names = list(SETTLED_OUTCOMES)
    settled = rng.choices(outcome_names, weights=list(SETTLED_OUTCOMES.values()), k=rows)
    here, there = _lsoas(force), _lsoas(neighbour)
    places = rng.choices(here, k=rows)
    ids = rng.randbytes(32 * rows).hex()
    reporter = force.name
    lines = [HEADER]
    for i in range(rows):
        kind = types[i]
        if kind == "Anti-social behaviour":
            crime_id, outcome = "", ""
        else:
            crime_id = ids[64 * i : 64 * i + 64]
            outcome = "Under investigation" if rng.random() < open_share else settled[i]
        where = rng.random()
        if where < 0.02:
            code, name, lon, lat, loc = "", "", "", "", "No location"
        else:
            code, name = places[i] if where > 0.025 else rng.choice(there)
            lon, lat = f"{-3 + 3 * rng.random():.6f}", f"{50.5 + 3 * rng.random():.6f}"
            loc = f"On or near {STREETS[i % len(STREETS)]}"
        lines.append(
            f"{crime_id},{month},{reporter},{reporter},{lon},{lat},{loc},{code},{name},"
            f"{kind},{outcome},\r\n"
        )
    return "".join(lines).encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows per file")
    parser.add_argument("--files", type=int, default=1, help="number of monthly files")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--first-month", default="2024-01")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    year, month = map(int, args.first_month.split("-"))
    for n in range(args.files):
        y, m = year + (month - 1 + n) // 12, (month - 1 + n) % 12 + 1
        label = f"{y:04d}-{m:02d}"
        folder = args.out / label
        folder.mkdir(exist_ok=True)
        write_file(folder / f"{label}-metropolitan-street.csv", args.rows, label, seed=n)
        print(f"wrote {folder}/{label}-metropolitan-street.csv")


if __name__ == "__main__":
    main()

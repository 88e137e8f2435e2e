"""Write synthetic data.police.uk street-level CSV files in the real layout.

Deterministic (seeded), so every run of the benchmark reads the same bytes. Rows are drawn
from real-looking values: Met LSOA names across the 32 boroughs, the 14 crime types and the
usual outcomes; about 1 row in 50 has "No location" (blank LSOA), as in the real files.

    python benchmarks/generate_street.py --rows 1000000 --files 1 --out /tmp/street
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

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

"""Peak memory of reading street files whose rows are short, or whose archive compresses
far: memory must depend on neither (issue 13).

Builds, without writing the CSV text to disk, a zip archive holding one data.police.uk
street file of ``--size`` uncompressed bytes of ``--row`` -byte rows (the default, 1.5 GB of
24-byte rows, is a 3.9 MB zip: a compression ratio of about 400), and optionally a plain
file of the same rows, then runs ``policing report`` on each under ``/usr/bin/time -v`` and
prints its wall time and maximum resident set size.

    python benchmarks/run_short_rows.py                       # 1.5 GB of 24-byte rows, zipped
    python benchmarks/run_short_rows.py --size 6000 --normal  # 6 GB of ordinary rows, zipped
    python benchmarks/run_short_rows.py --plain               # the same rows, also unzipped

Files go to --work (default /tmp/policing-bench) and are kept for the next run.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
)
#: The shortest plausible street rows: 24 bytes each, two districts, two types.
SHORT_ROWS = (",2024-01,,M,,,,,B 1,T,O,\n", ",2024-01,,M,,,,,C 1,U,O,\n")
#: An ordinary row as the real files have them (about 230 bytes).
NORMAL_ROW = (
    "0f3a5c1d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1,2024-01,"
    "Metropolitan Police Service,Metropolitan Police Service,-0.103415,51.470217,"
    "On or near Parking Area,E01000001,Bexley 001A,Violence and sexual offences,"
    "Investigation complete; no suspect identified,\n"
)


def rows_text(normal: bool, size: int) -> bytes:
    """About 8 MB of rows, to be written again and again."""
    rows = (NORMAL_ROW,) if normal else SHORT_ROWS
    block = "".join(rows).encode()
    return block * max(1, min(size, 8 * 1024 * 1024) // len(block))


def write_rows(out, normal: bool, size: int) -> None:
    out.write(HEADER.encode())
    chunk = rows_text(normal, size)
    written = len(HEADER)
    while written + len(chunk) <= size:
        out.write(chunk)
        written += len(chunk)


def build(work: Path, normal: bool, size_mb: int, plain: bool) -> list[Path]:
    work.mkdir(parents=True, exist_ok=True)
    size = size_mb * 1000 * 1000
    stem = f"{'normal' if normal else 'short'}-{size_mb}MB"
    archive = work / f"{stem}.zip"
    if not archive.exists():
        partial = archive.with_suffix(".part")
        with (
            zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zipped,
            zipped.open("2024-01/2024-01-metropolitan-street.csv", "w", force_zip64=True) as out,
        ):
            write_rows(out, normal, size)
        partial.replace(archive)
    made = [archive]
    if plain:
        folder = work / f"{stem}-plain" / "2024-01"
        csv = folder / "2024-01-metropolitan-street.csv"
        if not csv.exists():
            folder.mkdir(parents=True, exist_ok=True)
            with csv.open("wb") as out:
                write_rows(out, normal, size)
        made.append(csv)
    return made


def measure(python: str, data: Path, area: str) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (MB) and the first error (or "ok") of one report."""
    command = ["/usr/bin/time", "-v", python, "-m", "policing_cli", "report", area,
               "--data", str(data), "--period", "2024-01", "--no-cache", "--format", "json"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    seconds = 0.0
    if wall:
        hours, minutes, secs = wall.groups()
        seconds = int(hours or 0) * 3600 + int(minutes) * 60 + float(secs)
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error")]
    return seconds, int(peak.group(1)) // 1024 if peak else -1, errors[0] if errors else "ok"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1500, help="uncompressed MB (default 1500)")
    parser.add_argument("--normal", action="store_true", help="ordinary rows, not 24-byte ones")
    parser.add_argument("--plain", action="store_true", help="also measure the unzipped file")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "policing-bench")
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    for path in build(args.work, args.normal, args.size, args.plain):
        # The short rows' district is "B" (LSOA "B 1"); the ordinary rows' is Bexley.
        seconds, peak, outcome = measure(args.python, path, "bexley" if args.normal else "b")
        kind = "ordinary" if args.normal else "24-byte"
        print(
            f"{path.name} ({path.stat().st_size / 1e6:,.1f} MB on disk, {args.size:,} MB of "
            f"{kind} rows): {seconds:.1f} s, peak RSS {peak:,} MB ({outcome})"
        )


if __name__ == "__main__":
    main()

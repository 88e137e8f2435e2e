"""Benchmark `policing` at national scale: data.police.uk's monthly archive, every force's
street files for 36 months (about 18 million rows, 4-5 GB of CSV), read in place from the zip.

Generates (seeded, once; reused while its parameters are unchanged) a zip of the real
shape, ``YYYY-MM/YYYY-MM-<force>-street.csv`` members (see generate_street.py), and the same
files extracted beside it, then measures, each in its own process, in the same run:

  a. the first report on one district from the zip (empty cache, filled by the run);
  b. polars counting the extracted files by force, LSOA name, month, crime type and outcome
     (the work a report needs): the yardstick of issue 16 (1.5 times polars at most);
  c. the same report again (cache filled);
  d. a snapshot of every district of one force (cache filled), into an empty folder;

with wall time, CPU time (user + system) and peak RSS of each, as medians (and ranges) of
``--repeat`` runs taken in turn (a b c d, a b c d, ...), so that drift of a shared machine
touches each alike.

    python benchmarks/run_national.py                              # 18M rows, 43 forces, 36 months
    python benchmarks/run_national.py --rows 6000000 --forces 6    # the issue's 6M-row archive
    python benchmarks/run_national.py --rows 200000 --forces 3 --months 4 --repeat 1   # a quick look

polars is a benchmark dependency only: ``pip install -e '.[bench]'``. By hand, each figure
is one process: ``/usr/bin/time -v policing report arun --data archive.zip --period ...``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate_street  # noqa: E402
from timing import byte_compile, measure  # noqa: E402

POLARS = """
import sys, polars as pl
frame = (
    pl.scan_csv(sys.argv[1] + "/*/*-street.csv", infer_schema=False)
    .group_by("Falls within", "LSOA name", "Month", "Crime type", "Last outcome category")
    .len()
    .collect()
)
print(frame.height, frame["len"].sum())
"""


def _months(last: str, count: int) -> list[str]:
    year, month = map(int, last.split("-"))
    index = year * 12 + month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def _tasks(args: argparse.Namespace) -> list[tuple[object, ...]]:
    """One task per member: each force's rows shared out by its residents, month by month
    with a seasonal swing of 8%."""
    import math

    forces = generate_street.national_forces()[: args.forces]
    people = sum(force.population for force in forces)
    months = _months(args.last_month, args.months)
    weights = [1 + 0.08 * math.sin(2 * math.pi * int(m[5:]) / 12) for m in months]
    tasks = []
    for number, month in enumerate(months):
        for f, force in enumerate(forces):
            share = force.population / people * weights[number] / sum(weights)
            neighbour = forces[(f + 1) % len(forces)]
            seed = number * 1000 + f
            age = len(months) - 1 - number
            tasks.append((force, neighbour, month, round(args.rows * share), age, seed))
    return tasks


def _member(task: tuple[object, ...]) -> tuple[str, bytes]:
    force, neighbour, month, rows, age, seed = task
    data = generate_street.force_month_csv(force, neighbour, month, rows, age, seed)  # type: ignore[arg-type]
    return f"{month}/{month}-{force.slug}-street.csv", data  # type: ignore[attr-defined]


def generate(args: argparse.Namespace, folder: Path) -> None:
    """The archive and its extracted copy: members made by worker processes, written (and
    deflated, as data.police.uk's archives are) by this one as they come."""
    done = folder / "complete.json"
    if done.exists():
        return
    shutil.rmtree(folder, ignore_errors=True)
    extracted = folder / "extracted"
    extracted.mkdir(parents=True)
    rows = 0
    with (
        zipfile.ZipFile(folder / "archive.zip", "w", zipfile.ZIP_DEFLATED) as archive,
        multiprocessing.Pool(max(os.cpu_count() or 1, 1)) as pool,
    ):
        for name, data in pool.imap(_member, _tasks(args)):
            target = extracted / name
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(data)
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
            rows += data.count(b"\n") - 1
    done.write_text(json.dumps({"rows": rows}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=18_000_000, help="street rows in all")
    parser.add_argument("--forces", type=int, default=43, help="forces, largest first (1-43)")
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--last-month", default="2025-10")
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "policing-national"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--force", help="force whose districts the snapshot writes (default: the one with most)"
    )
    parser.add_argument("--district", help="district of the report (default: the force's first)")
    parser.add_argument(
        "--python", default=sys.executable, help="interpreter with policing installed"
    )
    parser.add_argument("--skip", default="", help="comma-separated steps not to run: a,b,c,d")
    args = parser.parse_args()

    folder = args.work / f"{args.rows}x{args.forces}x{args.months}-{args.last_month}"
    generate(args, folder)
    archive = folder / "archive.zip"
    rows = json.loads((folder / "complete.json").read_text())["rows"]
    size = sum(p.stat().st_size for p in (folder / "extracted").rglob("*.csv"))
    with zipfile.ZipFile(archive) as opened:
        members = len(opened.namelist())
    forces = generate_street.national_forces()[: args.forces]
    chosen = next((f for f in forces if f.name == args.force or f.slug == args.force), None)
    chosen = chosen or max(forces, key=lambda f: (len(f.districts), f.population))
    district = args.district or chosen.districts[0][0]
    period = f"12m:{args.last_month}"

    python = args.python
    byte_compile(python)
    cache = args.work / "cache"
    snapshots = args.work / "snapshots"
    env = {**os.environ, "POLICING_CACHE_DIR": str(cache)}
    policing = [python, "-m", "policing_cli"]
    report = [*policing, "report", district, "--data", str(archive), "--period", period]
    snapshot = [*policing, "snapshot", "--force", chosen.name, "--data", str(archive),
                "--period", period, "-q", "-o", str(snapshots)]  # fmt: skip
    steps = {
        "a": ("first report, from the zip (no cache)", report, True),
        "b": ("polars, extracted files, group by 5 columns", [python, "-c", POLARS, str(folder / "extracted")], False),
        "c": ("later report (cached)", report, False),
        "d": (f"snapshot of {chosen.name}'s {len(chosen.districts)} districts (cached)", snapshot, False),
    }  # fmt: skip
    steps = {k: v for k, v in steps.items() if k not in args.skip.split(",")}
    print(
        f"{members} members ({args.months} months x {len(forces)} forces), {rows:,} rows, "
        f"{size / 1e9:.2f} GB of CSV, zip {archive.stat().st_size / 1e9:.2f} GB; "
        f"report: {district} --period {period}"
    )
    results: dict[str, list[tuple[float, float, int]]] = {k: [] for k in steps}
    for _ in range(args.repeat):
        for key, (_label, command, cold) in steps.items():
            if cold:
                shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(snapshots, ignore_errors=True)
            results[key].append(measure(command, env))
    polars_median = statistics.median(t for t, _, _ in results["b"]) if "b" in results else None
    print(
        f"{'':3}{'step':58} {'wall s (median, range)':>24} {'CPU s':>7} {'peak MB':>8} {'/ polars':>9}"
    )
    for key, (label, _command, _cold) in steps.items():
        times = [t for t, _, _ in results[key]]
        cpu = statistics.median(c for _, c, _ in results[key])
        peak = max(m for _, _, m in results[key])
        wall = statistics.median(times)
        ratio = f"{wall / polars_median:.2f}x" if polars_median else ""
        spread = f"{wall:.2f} ({min(times):.2f}-{max(times):.2f})"
        print(f"{key}. {label:58} {spread:>24} {cpu:>7.2f} {peak:>8} {ratio:>9}")


if __name__ == "__main__":
    main()

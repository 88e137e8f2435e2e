"""Benchmark `policing report` on synthetic data.police.uk street files: cold (no cache),
warm (cache filled), and a plain pandas read_csv of the same files as the baseline, each in
its own process, reporting wall time and peak RSS (resource.getrusage of the child).

    python benchmarks/run_street.py --rows 1000000            # one file of 1M rows
    python benchmarks/run_street.py --rows 5000000            # one file of 5M rows (1.2 GB)
    python benchmarks/run_street.py --rows 1000000 --files 30 # 30 monthly files, bounded memory
    python benchmarks/run_street.py --python ~/venv/bin/python  # an installed policing

The package is byte-compiled first (as pip does on install): with PYTHONDONTWRITEBYTECODE
set, an editable checkout would otherwise be compiled afresh on every run, which is not
what users see.

Data are generated (seeded) by generate_street.py into --work (default /tmp/policing-bench).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import byte_compile, measure

HERE = Path(__file__).resolve().parent

BASELINE = """
import sys, pandas as pd
from pathlib import Path
total = 0
for path in sorted(Path(sys.argv[1]).rglob('*-street.csv')):
    frame = pd.read_csv(path)
    total += len(frame.groupby(['Month', 'LSOA name', 'Crime type']).size())
print(total)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "policing-bench")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", action="store_true", help="also time plain pandas")
    parser.add_argument(
        "--python", default=sys.executable, help="interpreter with policing installed"
    )
    args = parser.parse_args()
    data = args.work / f"{args.rows}x{args.files}"
    if not data.exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate_street.py"), "--rows", str(args.rows),
             "--files", str(args.files), "--out", str(data)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    size = sum(p.stat().st_size for p in data.rglob("*.csv")) / 1e6
    last = f"2024-{args.files:02d}" if args.files <= 12 else None
    period = ["--period", last] if last else ["--period", "2024-01"]
    cache = args.work / "cache"
    env = {**os.environ, "POLICING_CACHE_DIR": str(cache)}
    python = args.python
    byte_compile(python)
    report = [
        python,
        "-m",
        "policing_cli",
        "report",
        "bexley",
        "--data",
        str(data),
        *period,
    ]
    print(f"{args.files} file(s), {args.rows:,} rows each, {size:,.0f} MB")
    # first: an empty cache, filled by the run (as a user's first report); later: cache filled
    for label, clear in (("first report", True), ("later report", False)):
        times, peaks = [], []
        for _ in range(args.repeat):
            if clear:
                shutil.rmtree(cache, ignore_errors=True)
            elapsed, _, peak = measure(report, env)
            times.append(elapsed)
            peaks.append(peak)
        print(
            f"  policing {label}: best {min(times):.2f} s, median {sorted(times)[len(times) // 2]:.2f} s, peak RSS {max(peaks)} MB"
        )
    if args.baseline:
        elapsed, _, peak = measure([python, "-c", BASELINE, str(data)], env)
        print(
            f"  plain pandas read_csv (all columns) + groupby: {elapsed:.2f} s, peak RSS {peak} MB"
        )
    for flag in ("--version", "--help"):
        runs = sorted(measure([python, "-m", "policing_cli", flag], env)[0] for _ in range(9))
        print(f"  policing {flag}: median {runs[4] * 1000:.0f} ms, best {runs[0] * 1000:.0f} ms")


if __name__ == "__main__":
    main()

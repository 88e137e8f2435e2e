"""Benchmark what the cache's safety costs and saves, each run its own process (wall time and
peak RSS of the child, as run_street.py measures them):

* a later report on the bundled data: the cache read (inputs fingerprinted by their content:
  SHA-256 of every file up to 32 MiB) against ``--no-cache``;
* a folder of many tiny tidy CSVs (``--files``, default 10,000): the first run, which parses
  them all, and a later one.

    python benchmarks/run_cache.py
    python benchmarks/run_cache.py --files 10000 --repeat 5
    python benchmarks/run_cache.py --python ~/venv/bin/python   # an installed policing

Equivalent by hand: ``/usr/bin/time -v policing report bexley`` (twice: the second run reads
the cache), and ``/usr/bin/time -v policing areas --data FOLDER``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from timing import measure


def tiny_folder(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"f{i:05d}.csv").write_text(
            f"area,period,category,count\nArea{i},2024-{i % 12 + 1:02d},Robbery,{i % 7}\n"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="policing-cache-bench-"))
    env = {**os.environ, "POLICING_CACHE_DIR": str(work / "cache"),
           "POLICING_CACHE_KEY": str(work / "cache.key")}  # fmt: skip
    policing = [args.python, "-m", "policing_cli"]

    def runs(command: list[str], first: bool = False) -> str:
        if first:
            seconds, _, peak = measure(command, env)
            return f"{seconds:.2f} s, {peak} MB"
        results = [measure(command, env) for _ in range(args.repeat)]
        times = [r[0] for r in results]
        return (
            f"median {statistics.median(times):.2f} s (best {min(times):.2f}), "
            f"{max(r[2] for r in results)} MB"
        )

    report = [*policing, "report", "bexley"]
    measure(report, env)  # fill the cache
    print(f"later report, cached:   {runs(report)}")
    print(f"later report, no cache: {runs([*report, '--no-cache'])}")
    folder = work / "tiny"
    tiny_folder(folder, args.files)
    listing = [*policing, "areas", "--data", str(folder)]
    print(f"{args.files:,} tiny CSVs, first run: {runs(listing, first=True)}")
    print(f"{args.files:,} tiny CSVs, later run: {runs(listing)}")


if __name__ == "__main__":
    main()

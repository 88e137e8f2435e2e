"""What every benchmark here measures the same way: one command as a whole process (wall
time, CPU time and peak RSS, read by a fresh wrapper process so that each run's peak is its
own: ru_maxrss of children only ever grows), and the package byte-compiled first, as pip
does on install (else an editable checkout is compiled on every run when
PYTHONDONTWRITEBYTECODE is set)."""

from __future__ import annotations

import subprocess
import sys

WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(time.perf_counter() - start, use.ru_utime + use.ru_stime, use.ru_maxrss)
"""


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one run of ``command``."""
    out = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2]) // 1024


def byte_compile(python: str) -> None:
    """Byte-compile the policing package that ``python`` imports."""
    package = subprocess.run(
        [python, "-c", "import os, policing_cli; print(os.path.dirname(policing_cli.__file__))"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    subprocess.run(
        [python, "-m", "compileall", "-q", package], check=True, stdout=subprocess.DEVNULL
    )

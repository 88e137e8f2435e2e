"""Every input read exactly once, whatever it is: standard input, a pipe, a process
substitution, a folder with links, unreadable parts and files that are not files; and many
small files quickly (issue: a hostile review).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from policing_cli.cli import main
from policing_cli.loaders import paths

from .conftest import SAMPLE

RECENT = SAMPLE / "MPS_Borough_Level_Crime_most_recent_24_months_2023-03_to_2025-02.csv"


def bexley_2024(*args: str, stdin: bytes | None = None) -> dict:
    result = CliRunner().invoke(
        main, ["report", "bexley", "--period", "2024", "--format", "json", *args], input=stdin
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def total(data: dict) -> int:
    return next(r for r in data["rows"] if r["category"] == "Total notifiable offences")["count"]


@pytest.fixture(scope="module")
def expected() -> int:
    """Bexley's offences in 2024, summed from the raw file with csv."""
    import csv

    with RECENT.open(newline="", encoding="utf-8-sig") as handle:
        return sum(
            int(row[f"2024{m:02d}"])
            for row in csv.DictReader(handle)
            if row["BoroughName"] == "Bexley"
            for m in range(1, 13)
        )


def test_standard_input(expected):
    data = bexley_2024("--data", "-", stdin=RECENT.read_bytes())
    assert total(data) == expected
    assert [s["file"] for s in data["sources"]] == ["standard input"]


def test_a_named_pipe_is_read_once(tmp_path, expected):
    fifo = tmp_path / "counts.csv"
    os.mkfifo(fifo)

    def feed() -> None:
        with fifo.open("wb") as out:  # blocks until the tool opens it
            out.write(RECENT.read_bytes())

    writer = threading.Thread(target=feed)
    writer.start()
    data = bexley_2024("--data", str(fifo))
    writer.join(5)
    assert total(data) == expected  # before, the header was read twice: "appears twice"


def test_a_pipe_nobody_writes_to_is_an_error_not_a_hang(tmp_path, monkeypatch):
    fifo = tmp_path / "empty-pipe"
    os.mkfifo(fifo)
    monkeypatch.setattr(paths, "PIPE_WAIT_SECONDS", 1)
    start = time.monotonic()
    result = CliRunner().invoke(main, ["report", "bexley", "--data", str(fifo)])
    assert time.monotonic() - start < 10
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {fifo}: nothing arrived for 1 seconds: is anything writing to it?"
    )


def test_process_substitution_through_a_real_shell(tmp_path, expected):
    """`--data <(cat file)`, as a shell passes it: /dev/fd/N, readable once."""
    script = (
        f'"{sys.executable}" -m policing_cli report bexley --period 2024 --format json '
        f'--data <(cat "{RECENT}")'
    )
    env = {**os.environ, "POLICING_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert total(json.loads(done.stdout)) == expected


def test_dev_null_is_an_empty_input():
    result = CliRunner().invoke(main, ["report", "bexley", "--data", "/dev/null"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: /dev/null: is empty: expected a header line and data rows"
    )


def test_a_folder_with_a_linked_subfolder_a_link_loop_and_things_not_files(tmp_path, expected):
    data = tmp_path / "data"
    (data / "real").mkdir(parents=True)
    (data / "real" / RECENT.name).write_bytes(RECENT.read_bytes())
    (data / "linked").symlink_to(data / "real", target_is_directory=True)  # the same folder
    (data / "real" / "loop").symlink_to(data, target_is_directory=True)  # a loop
    (data / "gone.csv").symlink_to(tmp_path / "nowhere.csv")  # dangling
    os.mkfifo(data / "pipe.csv")
    result = CliRunner().invoke(
        main, ["report", "bexley", "--period", "2024", "--format", "json", "--data", str(data)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert total(report) == expected  # read once, though reachable three ways
    notes = " ".join(report["notes"])
    assert "gone.csv: skipped, cannot be read" in notes
    assert "pipe.csv: skipped, not a regular file" in notes


def test_an_unreadable_subfolder_is_said_not_dropped(tmp_path, monkeypatch, expected):
    data = tmp_path / "data"
    (data / "locked").mkdir(parents=True)
    (data / RECENT.name).write_bytes(RECENT.read_bytes())
    real_walk = os.walk

    def walk(top, onerror=None, followlinks=False):
        for entry in real_walk(top, onerror=onerror, followlinks=followlinks):
            yield entry
            if entry[0] == str(data) and onerror is not None:
                onerror(PermissionError(13, "Permission denied", str(data / "locked")))

    monkeypatch.setattr(paths.os, "walk", walk)
    report = bexley_2024("--data", str(data))
    assert total(report) == expected
    assert any(f"{data / 'locked'}: skipped, cannot be read (Permission denied)" in n
               for n in report["notes"])  # fmt: skip


def test_ten_thousand_tiny_files_are_read_in_seconds(tmp_path):
    """Before: 62 s on the reviewer's machine (a pandas table and a cache entry per file,
    and one scan of the whole table per file when combining). The bound here is loose: the
    point is the order of magnitude, measured in benchmarks/run_cache.py."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    for i in range(10_000):
        (folder / f"f{i:05d}.csv").write_text(
            f"area,period,category,count\nArea{i},2024-{i % 12 + 1:02d},Robbery,{i % 7}\n"
        )
    start = time.monotonic()
    result = CliRunner().invoke(
        main, ["report", "area7", "--data", str(folder), "--period", "2024-08", "--format", "json"]
    )
    elapsed = time.monotonic() - start
    assert result.exit_code == 0, result.output
    assert total_robbery(json.loads(result.stdout)) == 0  # Area7: August, 7 % 7 = 0
    assert elapsed < 30, elapsed


def total_robbery(data: dict) -> int:
    return next(r for r in data["rows"] if r["category"] == "Robbery")["count"]


def test_a_file_in_a_folder_given_twice_is_read_once(tmp_path, expected):
    folder = tmp_path / "data"
    folder.mkdir()
    copy = folder / RECENT.name
    copy.write_bytes(RECENT.read_bytes())
    data = bexley_2024("--data", str(folder), "--data", str(copy))
    assert total(data) == expected
    assert any("given more than once: read once" in n for n in data["notes"])


def test_inputs_never_need_a_second_open(monkeypatch, tmp_path, expected):
    """A spooled copy is what every later read opens: the pipe itself only once."""
    opened: list[str] = []
    real_open = os.open

    def counting_open(path, flags, *args):
        if str(path).endswith("counted-pipe"):
            opened.append(str(path))
        return real_open(path, flags, *args)

    fifo = tmp_path / "counted-pipe"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: Path(fifo).write_bytes(RECENT.read_bytes()))
    writer.start()
    monkeypatch.setattr(paths.os, "open", counting_open)
    data = bexley_2024("--data", str(fifo))
    writer.join(5)
    assert total(data) == expected
    assert opened == [str(fifo)]

"""Errors that are not bugs must not look like bugs, and bugs must be told apart: exit 70 for
a fault of the tool, 130 for Ctrl-C, one line for a closed standard output, and
``--traceback`` wherever a user types it (issue: a hostile review)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from policing_cli.cli import main
from policing_cli.report import assembly


def python(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policing_cli", *args], capture_output=True,
                          text=True, **kwargs)  # fmt: skip


def test_a_bug_in_the_tool_exits_70_in_one_line(monkeypatch):
    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(assembly, "build_report", broken)
    result = CliRunner().invoke(main, ["report", "bexley"])
    assert result.exit_code == 70
    assert result.stderr.strip() == (
        "Error: internal error (ZeroDivisionError: division by zero); rerun with --traceback "
        "and report it"
    )


@pytest.mark.parametrize("where", ["before", "after"])
def test_traceback_works_where_the_message_says(monkeypatch, where):
    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(assembly, "build_report", broken)
    args = ["--traceback", "report", "bexley"] if where == "before" else [
        "report", "bexley", "--traceback"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert isinstance(result.exception, ZeroDivisionError), result.output
    assert "No such option" not in result.output


def test_a_data_error_is_still_exit_1(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("area,period,category,count\nBexley,2023/24,Robbery,n/a\n")
    result = CliRunner().invoke(main, ["report", "bexley", "--data", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bad}:2:4: count 'n/a'")


@pytest.mark.parametrize(
    "command",
    [
        ["report", "bexley"],
        ["report", "bexley", "--format", "json"],
        ["rank"],
        ["compare", "bexley", "bromley"],
        ["trend", "bexley"],
        ["areas"],
        ["periods"],
        ["categories"],
    ],
)
def test_a_closed_standard_output_is_one_line_and_exit_1(command, tmp_path):
    env = {**os.environ, "POLICING_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-m", "policing_cli", *command], stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, env=env,
        preexec_fn=lambda: os.close(1),
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == (
        "Error: standard output is closed: nothing can be written (use -o FILE)"
    )


def test_a_closed_standard_output_does_not_stop_writing_a_file(tmp_path):
    target = tmp_path / "out.txt"
    env = {**os.environ, "POLICING_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-m", "policing_cli", "report", "bexley", "-o", str(target)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
        preexec_fn=lambda: os.close(1),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert target.read_text().startswith("Bexley: 2023/24 against 2022/23")


def test_ctrl_c_exits_130_with_no_traceback_and_nothing_partial(tmp_path):
    """Interrupted while waiting for a pipe that nothing writes to."""
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    target = tmp_path / "out.txt"
    env = {**os.environ, "POLICING_CACHE_DIR": str(tmp_path / "cache")}
    process = subprocess.Popen(
        [sys.executable, "-m", "policing_cli", "report", "bexley", "--data", str(fifo), "-o",
         str(target)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    time.sleep(3)  # started, and waiting on the pipe
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "Traceback" not in err and err.strip() == "Interrupted."
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.txt")]


def test_an_unreadable_data_file_is_one_line(monkeypatch, tmp_path):
    path = tmp_path / "secret.csv"
    path.write_text("area,period,category,count\n")
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if str(self) == str(path):
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    result = CliRunner().invoke(main, ["report", "bexley", "--data", str(path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {path}: cannot be read (Permission denied)"
    assert "Usage:" not in result.output

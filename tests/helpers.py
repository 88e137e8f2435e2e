"""What many tests do, written once (as csvkit's tests/utils.py has ``get_output`` and
``assertError``): run the CLI in-process, read a report's JSON, and check that a failure is
one clean line on stderr."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner, Result

from policing_cli.cli import main


def invoke(*args: object, env: dict[str, str] | None = None) -> Result:
    """Run ``policing ARGS`` in this process (paths and numbers given as they are)."""
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def output_of(*args: object, env: dict[str, str] | None = None) -> str:
    """What a run that must succeed printed on stdout."""
    result = invoke(*args, env=env)
    assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    return result.stdout


def report_json(*args: object) -> dict[str, Any]:
    """``policing report ARGS --format json``, parsed."""
    return json.loads(output_of("report", *args, "--format", "json"))


def by_category(data: dict[str, Any], key: str = "count") -> dict[str, Any]:
    """One field of each row of a report's JSON, by category."""
    return {row["category"]: row[key] for row in data["rows"]}


def one_line_error(result: Result, *needles: str, code: int = 1, usage: bool = False) -> str:
    """The single ``Error:`` line of a failed run (notes aside), checked: the exit code,
    no traceback or internal error, nothing on stdout, and each needle (the file, its line
    and column, the reason) in the line. ``usage``: click's usage errors print the usage
    and a hint first."""
    assert result.exit_code == code, (result.exit_code, result.output, result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.stderr.strip().splitlines() if not line.startswith("note:")]
    if usage:
        assert lines[0].startswith("Usage: ") and lines[1].startswith("Try '"), lines
        lines = [line for line in lines[2:] if line]
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("Error: "), line
    assert "internal error" not in line and "Traceback" not in result.output, line
    for needle in needles:
        assert needle in line, (needle, line)
    assert result.stdout == "", result.stdout
    return line

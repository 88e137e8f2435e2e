"""Start-up stays light: importing the CLI, --help and --version load no heavy library."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "pyarrow", "rich.table", "tabulate", "numpy")


def python(
    code_or_args: list[str], tmp_path: Path, stdout: Any = subprocess.PIPE, **options: Any
) -> subprocess.CompletedProcess[str]:
    """Run Python on the checkout in a child process, stderr captured; ``stdout`` may be any
    stream (a full disk), ``options`` go to subprocess.run (a closed stdout)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["POLICING_CACHE_DIR"] = str(tmp_path / "cache")
    return subprocess.run(
        [sys.executable, *code_or_args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        **options,
    )


def test_importing_the_cli_loads_no_heavy_module(tmp_path):
    code = (
        "import policing_cli.cli, sys; "
        f"bad = [m for m in {HEAVY!r} if m in sys.modules]; print(bad)"
    )
    result = python(["-c", code], tmp_path)
    assert result.returncode == 0, result.stderr
    assert ast.literal_eval(result.stdout.strip()) == []


@pytest.mark.parametrize("flag", ["--help", "-h", "--version"])
def test_module_entry_point_help_and_version(tmp_path, flag):
    result = python(["-m", "policing_cli", flag], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert "Traceback" not in result.stderr
    if flag == "--version":
        assert result.stdout.startswith("policing, version ")
    else:
        assert "report" in result.stdout


@pytest.mark.parametrize(
    "args",
    [["--help"], ["--version"], ["report", "--help"], ["areas", "--help"], ["validate", "--help"]],
    ids=" ".join,
)
def test_help_and_version_import_no_heavy_module(tmp_path, args):
    code = (
        "import sys\n"
        "from policing_cli.cli import main\n"
        "try:\n"
        f"    main({args!r}, standalone_mode=False)\n"
        "except SystemExit as err:\n"
        "    assert not err.code, err.code\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    result = python(["-c", code], tmp_path)
    assert result.returncode == 0, result.stderr
    assert ast.literal_eval(result.stdout.strip().splitlines()[-1]) == []


@pytest.mark.parametrize("args", [["--help"], ["--version"]], ids=" ".join)
def test_top_level_help_and_version_import_no_command_module(tmp_path, args):
    code = (
        "import sys\n"
        "from policing_cli.cli import main\n"
        "try:\n"
        f"    main({args!r}, standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('policing_cli.commands.')\n"
        "             or m in ('importlib.metadata', 'dataclasses')))\n"
    )
    result = python(["-c", code], tmp_path)
    assert result.returncode == 0, result.stderr
    assert ast.literal_eval(result.stdout.strip().splitlines()[-1]) == []


def test_version_is_the_package_version(tmp_path):
    import tomllib

    import policing_cli

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["tool"]["setuptools"]["dynamic"]["version"]["attr"] == "policing_cli.__version__"
    result = python(["-m", "policing_cli", "--version"], tmp_path)
    assert result.stdout.strip() == f"policing, version {policing_cli.__version__}"


def test_lazy_command_table_matches_the_commands():
    """`policing --help` lists COMMANDS' short help without importing the commands: each must
    be what the command's own help would show, at any width, and every command module must be
    an installed package."""
    import tomllib

    import click

    from policing_cli.cli import COMMANDS, main, short_help

    ctx = click.Context(main)
    for name in COMMANDS:
        command = main.get_command(ctx, name)
        assert command is not None and command.name == name
        for limit in (30, 45, 60, 200):
            assert short_help(name, limit) == command.get_short_help_str(limit), name
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "policing_cli.commands" in project["tool"]["setuptools"]["packages"]
    assert main.get_command(ctx, "no-such-command") is None


def test_every_subpackage_is_installed():
    """A plain ``pip install .`` (the README's first command) installs only the packages
    pyproject.toml lists: a folder of modules left out imports from a checkout and fails
    once installed (policing_cli.document was, and `policing report` failed)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(project["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "policing_cli").rglob("__init__.py")
    }
    assert found - listed == set()


def test_unknown_command_is_a_usage_error(tmp_path):
    result = python(["-m", "policing_cli", "reprot"], tmp_path)
    assert result.returncode == 2
    assert "No such command 'reprot'" in result.stderr
    assert "Traceback" not in result.stderr


def test_entry_point_output_is_complete_and_exit_codes_are_kept(tmp_path):
    """``run()`` ends with os._exit (no interpreter teardown): output must still be flushed
    in full, and every exit code must be click's."""
    import json

    result = python(["-m", "policing_cli", "report", "bexley", "--format", "json"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["area"] == "Bexley"
    result = python(["-m", "policing_cli", "report", "nowhere"], tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("Error: no area 'nowhere'")
    bad = tmp_path / "bad.csv"
    bad.write_text("nothing,like,a,crime,file\n1,2,3,4,5\n")
    result = python(["-m", "policing_cli", "report", "bexley", "--data", str(bad)], tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    args = ["-m", "policing_cli", "report", "bexley", "--data", "sample:leaflet"]
    result = python([*args, "--fail-on-missed"], tmp_path)
    assert result.returncode == 3, result.stderr
    assert "Bexley" in result.stdout


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_a_one_line_error_not_success(tmp_path):
    with open("/dev/full", "w") as full:
        result = python(["-m", "policing_cli", "report", "bexley"], tmp_path, stdout=full)
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: No space left on device"


def test_collector_paused_for_start_up_and_resumed_once_data_are_loaded(tmp_path):
    code = (
        "import gc, sys\n"
        "from policing_cli import runtime\n"
        "from policing_cli.cli import main\n"
        "runtime.resume_collector()\n"
        "assert gc.isenabled()  # never paused: left alone\n"
        "runtime.pause_collector()\n"
        "assert not gc.isenabled()\n"
        "try:\n"
        "    main(['report', 'bexley', '--format', 'json'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 0)\n"
    )
    result = python(["-c", code], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True True"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_help_and_version_to_a_full_disk_are_one_line_errors(tmp_path, flag):
    with open("/dev/full", "w") as full:
        result = python(["-m", "policing_cli", flag], tmp_path, stdout=full)
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: No space left on device"


@pytest.mark.parametrize("args", [["--version"], ["report", "bexley", "--format", "json"]])
def test_a_closed_stdout_is_no_traceback(tmp_path, args):
    result = python(["-m", "policing_cli", *args], tmp_path, stdout=subprocess.DEVNULL,
                    preexec_fn=lambda: os.close(1))  # fmt: skip
    assert "Traceback" not in result.stderr
    # Nothing can be written: a one-line error and exit 1, not silence and exit 0.
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == (
        "Error: standard output is closed: nothing can be written (use -o FILE)"
    )

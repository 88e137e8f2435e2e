"""Config precedence, shell completion, and every command and option documented."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest

from policing_cli.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def fmt_of(result) -> str:
    out = result.stdout
    if out.startswith("{"):
        return "json"
    if out.startswith("## "):
        return "markdown"
    return "text"


def test_precedence_option_over_env_over_config_over_default(runner, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('format = "markdown"\n')
    monkeypatch.setenv("POLICING_CONFIG", str(config))
    # default (no config): text when piped
    monkeypatch.setenv("POLICING_CONFIG", str(tmp_path / "absent.toml"))
    assert fmt_of(runner.invoke(main, ["report", "bexley"])) == "text"
    # config file
    monkeypatch.setenv("POLICING_CONFIG", str(config))
    assert fmt_of(runner.invoke(main, ["report", "bexley"])) == "markdown"
    # environment over config
    monkeypatch.setenv("POLICING_FORMAT", "json")
    assert fmt_of(runner.invoke(main, ["report", "bexley"])) == "json"
    # option over environment
    assert fmt_of(runner.invoke(main, ["report", "bexley", "--format", "text"])) == "text"


def test_data_from_environment_and_config_show(runner, tmp_path, monkeypatch):
    config = tmp_path / "c.toml"
    config.write_text('data = ["sample:leaflet"]\nalpha = "0.2"\n')
    result = runner.invoke(main, ["--config", str(config), "report", "bexley", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["period"] == "2009/10"
    assert json.loads(result.stdout)["alpha"] == 0.2
    monkeypatch.setenv("POLICING_ALPHA", "0.01")
    shown = runner.invoke(main, ["--config", str(config), "config", "show"]).stdout
    assert f"data = sample:leaflet    [config file {config}" in shown
    assert "alpha = 0.01    [environment POLICING_ALPHA" in shown
    assert "targets = -    [default" in shown


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 1\n", "unknown setting 'colour'"),
        ("data = [\n", "is not valid TOML"),
        ("data = [1, 2]\n", "'data' must be a path or a list of paths"),
    ],
)
def test_bad_config_is_one_line_error(runner, tmp_path, text, message):
    config = tmp_path / "c.toml"
    config.write_text(text)
    result = runner.invoke(main, ["--config", str(config), "report", "bexley"])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr


def test_missing_explicit_config(runner, tmp_path):
    result = runner.invoke(main, ["--config", str(tmp_path / "nope.toml"), "areas"])
    assert result.exit_code == 1 and "no such config file" in result.stderr


def complete(words: str, monkeypatch, capsys) -> list[str]:
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(words.split()) - (0 if words.endswith(" ") else 1)))
    monkeypatch.setenv("_POLICING_COMPLETE", "bash_complete")
    with pytest.raises(SystemExit):
        main(prog_name="policing")
    lines = [line for line in capsys.readouterr().out.splitlines() if line]
    return [line.split(",", 1)[1] for line in lines]


def test_completion_of_area_names(monkeypatch, capsys):
    assert complete("policing report bex", monkeypatch, capsys) == ["Bexley"]
    assert "Kensington and Chelsea" in complete("policing report kensington", monkeypatch, capsys)
    assert "Richmond upon Thames" in complete("policing compare bexley rich", monkeypatch, capsys)


def test_completion_of_periods(monkeypatch, capsys):
    found = complete("policing report bexley --period 2023", monkeypatch, capsys)
    assert "2023/24" in found and "2023" in found


def walk(group: click.Group, prefix: str = "policing"):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from walk(command, f"{prefix} {name}")


@pytest.mark.parametrize(("name", "command"), list(walk(main)), ids=lambda v: getattr(v, "name", v))
def test_every_command_and_option_is_documented(name, command):
    assert name in README, f"{name} is not in README.md"
    assert command.help and "Example" in command.help, f"{name} --help has no example"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            flags = [f for f in param.opts + param.secondary_opts if f.startswith("--")]
            assert any(re.search(re.escape(f) + r"\b", README) for f in flags), (name, flags)


def test_group_options_documented():
    for flag in ("--version", "--config", "--help"):
        assert flag in README


def test_completion_reads_data_from_the_settings(tmp_path, monkeypatch, capsys):
    """Completing runs no group callback: --data from POLICING_DATA (or the config file)
    must still decide which areas are offered."""
    counts = tmp_path / "counts.csv"
    counts.write_text("area,period,category,count\nAlphaville,2024-01,Robbery,3\n")
    monkeypatch.setenv("POLICING_DATA", str(counts))
    assert complete("policing report alph", monkeypatch, capsys) == ["Alphaville"]
    assert complete("policing report bex", monkeypatch, capsys) == []

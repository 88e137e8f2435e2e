"""Settings people keep: a TOML config file and environment variables.

Precedence, highest first: a command-line option, an environment variable, the config file,
the built-in default. The config file is ``--config FILE`` (or ``$POLICING_CONFIG``), else
``policing/config.toml`` in the platform's config folder (``$XDG_CONFIG_HOME`` or
``~/.config`` on Linux, ``~/Library/Application Support`` on macOS, ``%APPDATA%`` on Windows).

Example ``config.toml``::

    data = ["~/data/street/", "~/data/MPS_Borough_Level_Crime_Historical.csv"]
    targets = "~/data/targets.csv"
    format = "markdown"
    snapshot_dir = "~/reports"

    [fetch]
    into = "~/data/fetched"
    london = "https://mirror.example.org/recorded_crime_summary.json"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policing_cli.errors import InputFormatError
from policing_cli.folders import config_home
from policing_cli.small_inputs import CONFIG_BYTES, read_bounded_text


@dataclass(frozen=True)
class Setting:
    """One setting: its key, what it does, which options it fills, and its environment name.
    A key with a dot is in a table of the config file (``fetch.london`` is ``london`` under
    ``[fetch]``; its environment name is ``POLICING_FETCH_LONDON``)."""

    key: str
    help: str
    params: tuple[str, ...]  # command parameter names it is the default of
    many: bool = False  # a list of paths (os.pathsep-separated in the environment)
    path: bool = True

    @property
    def env(self) -> str:
        return f"POLICING_{self.key.upper().replace('.', '_')}"


SETTINGS = (
    Setting("data", "input files or folders (--data)", ("data_paths",), many=True),
    Setting("targets", "targets files (--targets)", ("target_files",), many=True),
    Setting("indicators", "indicators files (--indicators)", ("indicator_files",), many=True),
    Setting("population", "population files (--population)", ("population_files",), many=True),
    Setting("categories", "category mapping (--categories)", ("categories_file",)),
    Setting("outcomes", "outcome classification (--outcomes)", ("outcomes_file",)),
    Setting(
        "format", "output format of report and listings (--format)", ("output_format",), path=False
    ),
    Setting(
        "snapshot_formats",
        "formats of snapshot files (snapshot --format)",
        ("formats",),
        path=False,
    ),
    Setting("snapshot_dir", "snapshot folder (snapshot --out)", ("out",)),
    Setting("alpha", "significance level (--alpha)", ("alpha",), path=False),
    Setting(
        "stale_after",
        "months after which the newest figures are called old on stderr (0: never)",
        (),
        path=False,
    ),
    Setting(
        "fetch.into",
        "folder policing fetch writes into (--into), read when no --data is given",
        (),
    ),
    Setting(
        "fetch.london",
        "London Datastore dataset metadata or page address (policing fetch london)",
        (),
        path=False,
    ),
    Setting(
        "fetch.police_uk",
        "data.police.uk archive address, {month} for the month (policing fetch police-uk)",
        (),
        path=False,
    ),
)


@dataclass(frozen=True)
class Effective:
    setting: Setting
    value: Any
    source: str  # "config file <path>", "environment POLICING_X", or "default"


def config_path(explicit: str | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    if env := os.environ.get("POLICING_CONFIG"):
        return Path(env).expanduser()
    return config_home() / "config.toml"


def _normalise(setting: Setting, value: Any, where: str) -> Any:
    if setting.many:
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(i, str) and i for i in items):
            raise InputFormatError(where, f"'{setting.key}' must be a path or a list of paths")
        return [str(Path(i).expanduser()) for i in items]
    if isinstance(value, (list, dict)):
        raise InputFormatError(where, f"'{setting.key}' must be a single value")
    return str(Path(str(value)).expanduser()) if setting.path else str(value)


def effective_settings(explicit_config: str | None = None) -> tuple[Path, list[Effective]]:
    """Every setting's value and where it came from (environment over config file)."""
    path = config_path(explicit_config)
    table: dict[str, Any] = {}
    if path.exists():
        text = read_bounded_text(path, "a config file", CONFIG_BYTES)
        try:
            table = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise InputFormatError(path, f"is not valid TOML ({err})") from err
        _check_keys(path, table)
    elif explicit_config:
        raise InputFormatError(path, "no such config file")
    out = []
    for setting in SETTINGS:
        if (env := os.environ.get(setting.env)) is not None and env != "":
            raw: Any = env.split(os.pathsep) if setting.many else env
            out.append(
                Effective(
                    setting, _normalise(setting, raw, setting.env), f"environment {setting.env}"
                )
            )
        elif (found := _lookup(table, setting.key)) is not None:
            out.append(
                Effective(setting, _normalise(setting, found, str(path)), f"config file {path}")
            )
        else:
            out.append(Effective(setting, None, "default"))
    return path, out


def _check_keys(path: Path, table: dict[str, Any]) -> None:
    """Every key of the config file is a setting (a table's keys too)."""
    tables: dict[str, set[str]] = {}
    for setting in SETTINGS:
        head, _, rest = setting.key.partition(".")
        tables.setdefault(head, set()).update([rest] if rest else [])
    for key, value in table.items():
        if key not in tables:
            raise InputFormatError(
                path, f"unknown setting '{key}': expected one of {', '.join(sorted(tables))}"
            )
        if not tables[key]:
            continue
        if not isinstance(value, dict):
            raise InputFormatError(path, f"'{key}' must be a table ([{key}])")
        for inner in value:
            if inner not in tables[key]:
                expected = ", ".join(sorted(tables[key]))
                raise InputFormatError(
                    path, f"unknown setting '{key}.{inner}': expected one of {expected}"
                )


def _lookup(table: dict[str, Any], key: str) -> Any:
    """A setting's value in the config file (``fetch.london``: ``london`` under ``[fetch]``)."""
    value: Any = table
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def value_of(effective: list[Effective], key: str) -> Any:
    """The value in force of one setting (None where it is left to the default)."""
    return next((item.value for item in effective if item.setting.key == key), None)


def default_map(
    effective: list[Effective], commands: dict[str, list[str]]
) -> dict[str, dict[str, Any]]:
    """click's ``default_map``: for each command, the settings that fill its parameters."""
    out: dict[str, dict[str, Any]] = {}
    for name, params in commands.items():
        for item in effective:
            if item.value is None:
                continue
            for param in item.setting.params:
                if param in params:
                    out.setdefault(name, {})[param] = item.value
    return out

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
"""

from __future__ import annotations

import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policing_cli.errors import InputFormatError
from policing_cli.small_inputs import CONFIG_BYTES, read_bounded_text


@dataclass(frozen=True)
class Setting:
    """One setting: its key, what it does, which options it fills, and its environment name."""

    key: str
    help: str
    params: tuple[str, ...]  # command parameter names it is the default of
    many: bool = False  # a list of paths (os.pathsep-separated in the environment)
    path: bool = True

    @property
    def env(self) -> str:
        return f"POLICING_{self.key.upper()}"


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
)


@dataclass(frozen=True)
class Effective:
    setting: Setting
    value: Any
    source: str  # "config file <path>", "environment POLICING_X", or "default"


def user_folder(kind: str) -> Path:
    """The platform's folder for the user's ``"config"`` or ``"data"`` of this tool: on Linux
    ``$XDG_CONFIG_HOME`` (``~/.config``) or ``$XDG_DATA_HOME`` (``~/.local/share``), on macOS
    ``~/Library/Application Support``, on Windows ``%APPDATA%``; then ``policing``."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    elif kind == "config":
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "policing"


def config_path(explicit: str | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    if env := os.environ.get("POLICING_CONFIG"):
        return Path(env).expanduser()
    return user_folder("config") / "config.toml"


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
        known = {s.key for s in SETTINGS}
        for key in table:
            if key not in known:
                raise InputFormatError(
                    path, f"unknown setting '{key}': expected one of {', '.join(sorted(known))}"
                )
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
        elif setting.key in table:
            out.append(
                Effective(
                    setting,
                    _normalise(setting, table[setting.key], str(path)),
                    f"config file {path}",
                )
            )
        else:
            out.append(Effective(setting, None, "default"))
    return path, out


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

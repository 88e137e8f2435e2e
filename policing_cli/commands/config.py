"""``policing config``: the settings in force and where each came from."""

from __future__ import annotations

import click


@click.group(name="config")
def config_group() -> None:
    """The settings in force: config file, environment variables, defaults.

    \b
    Example:
      policing config show
      POLICING_FORMAT=markdown policing config show
    """


@config_group.command("show")
@click.pass_context
def config_show(ctx: click.Context) -> None:
    """Print each setting, its value, and where it came from (precedence: command-line option >
    environment variable > config file > default).

    \b
    Example:
      policing --config ~/policing.toml config show
    """
    from policing_cli.commands.printing import say
    from policing_cli.settings import config_path

    effective = ctx.find_root().meta.get("policing.settings", [])
    path = config_path(ctx.find_root().params.get("config_file"))
    say(f"config file: {path}{'' if path.exists() else ' (not found)'}", err=False)
    for item in effective:
        value = item.value if item.value is not None else "-"
        if isinstance(value, list):
            value = ", ".join(value)
        say(f"{item.setting.key} = {value}    [{item.source}; env {item.setting.env}]", err=False)

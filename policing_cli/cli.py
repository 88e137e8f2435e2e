"""The ``policing`` command line: the group, its error handling, and the lazy command table.

Only click is imported here. Each command lives in its own module under ``commands/`` and
is imported only when it runs, and pandas, rich and tabulate only inside the commands that
use them, so ``policing --help`` and ``--version`` load none of them.
"""

from __future__ import annotations

import errno
import importlib
import io
from typing import Any

import click

from policing_cli import __version__
from policing_cli.errors import ExitCode, PolicingError

# name -> (module:attribute, short help). The short help is what ``policing --help`` lists
# without importing the command; tests/test_startup.py checks it against each command's own.
COMMANDS: dict[str, tuple[str, str]] = {
    "report": (
        "policing_cli.commands.report:report",
        "Summary for one AREA: each category's count and change against the previous period.",
    ),
    "areas": (
        "policing_cli.commands.listings:areas",
        "List the areas in the data, with the months each covers.",
    ),
    "categories": (
        "policing_cli.commands.listings:categories",
        "List the report categories and the source categories each one counts.",
    ),
    "periods": (
        "policing_cli.commands.listings:periods",
        "List the periods the data can report: months covered, complete years, the default.",
    ),
    "rank": (
        "policing_cli.commands.rank:rank",
        "Every borough (or district) ranked for one category: a league table.",
    ),
    "compare": (
        "policing_cli.commands.compare:compare",
        "Areas side by side: each category's count and % change in each.",
    ),
    "trend": (
        "policing_cli.commands.trend:trend",
        "The monthly series of one category in AREA, with its rolling 12-month total.",
    ),
    "map": (
        "policing_cli.commands.map:map_command",
        "A choropleth of London's boroughs coloured by the change (or rate) in one category, "
        "as a standalone SVG: green for falls, red for rises, grey where there is no figure.",
    ),
    "snapshot": (
        "policing_cli.commands.snapshot:snapshot",
        "Write every area's report for a period into a folder: the yearly (or monthly) cron job.",
    ),
    "validate": (
        "policing_cli.commands.validate:validate",
        "Check input files without reporting: list every problem found in each.",
    ),
    "fetch": (
        "policing_cli.commands.fetch:fetch_group",
        "Download the current public files (London Datastore, data.police.uk) into the data "
        "folder the other commands read.",
    ),
    "config": (
        "policing_cli.commands.config:config_group",
        "The settings in force: config file, environment variables, defaults.",
    ),
}


class PolicingClickError(click.ClickException):
    """A PolicingError shown as click's one-line ``Error: ...`` with its own exit code."""

    def __init__(self, error: PolicingError) -> None:
        super().__init__(str(error))
        self.exit_code = int(error.exit_code)


def shown(err: click.ClickException) -> click.ClickException:
    """The one place every error passes before click prints it: an error quotes what it
    was given (a row of a file, a file or archive member's name, an area, an option's
    value), and none of that may reach the terminal as escape sequences or bells. Control
    characters are made visible (``\\x1b``), whatever raised the error (policing, click's
    own usage errors, the system)."""
    from policing_cli.renderers.escape import clean

    err.message = clean(err.message)
    return err


def short_help(name: str, limit: int) -> str:
    """A command's one-line help from ``COMMANDS``, shortened to ``limit`` as click would."""
    return click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit)


class PolicingGroup(click.Group):
    """Turns the library's exceptions into one-line errors, once, for every command, and
    imports each command only when it is asked for (``COMMANDS``)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """A command by name, or a usage error that suggests the nearest ("reprot")."""
        name = click.utils.make_str(args[0])
        if name not in COMMANDS and not name.startswith("-"):
            import difflib

            close = difflib.get_close_matches(name.lower(), sorted(COMMANDS), n=2, cutoff=0.6)
            hint = " or ".join(f"'{c}'" for c in close)
            ctx.fail(f"No such command {name!r}." + (f" Did you mean {hint}?" if close else ""))
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, _, attribute = target[0].partition(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the short help in ``COMMANDS``, importing no command."""
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [(name, short_help(name, limit)) for name in sorted(COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.ClickException as err:  # the group's own options and arguments
            raise shown(err) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PolicingError as err:
            if ctx.meta.get("policing.traceback"):
                raise
            raise shown(PolicingClickError(err)) from err
        except click.ClickException as err:
            raise shown(err) from None
        except (click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except OSError as err:
            # The system refusing a read or write (full disk, closed pipe, permissions): the
            # user's to fix, not a bug. A closed pipe is left to click (quiet exit 1).
            if err.errno == errno.EPIPE or ctx.meta.get("policing.traceback"):
                raise
            where = f"{err.filename}: " if err.filename else ""
            raise shown(click.ClickException(f"{where}{err.strerror or err}")) from err
        except KeyboardInterrupt:
            # Ctrl-C: no traceback; every file is written atomically, so nothing is partial.
            click.echo("Interrupted.", err=True)
            raise click.exceptions.Exit(ExitCode.INTERRUPTED) from None
        except Exception as err:
            # A bug in policing itself: still one line, never a traceback, unless asked; its
            # own exit code, so that a script can tell "your data" from "the tool".
            if ctx.meta.get("policing.traceback"):
                raise
            message = (
                f"internal error ({type(err).__name__}: {err}); rerun with --traceback and "
                "report it"
            )
            failure = shown(click.ClickException(" ".join(message.split())))
            failure.exit_code = ExitCode.INTERNAL_ERROR
            raise failure from err

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """``--traceback`` wherever it is written (``policing report bexley --traceback``),
        as the error message suggests, not only before the command."""
        if "--traceback" in args:
            end = args.index("--") if "--" in args else len(args)
            if "--traceback" in args[:end]:
                ctx.meta["policing.traceback"] = True
                args = [a for a in args[:end] if a != "--traceback"] + args[end:]
        return super().parse_args(ctx, args)


def _traceback_flag(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    ctx.meta["policing.traceback"] = value or ctx.meta.get("policing.traceback", False)


@click.group(cls=PolicingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policing")
@click.option(
    "--traceback",
    is_flag=True,
    hidden=True,
    expose_value=False,
    callback=_traceback_flag,
    help="Show Python tracebacks (for debugging policing itself).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Config file (TOML). Default: policing/config.toml in the platform's config folder.",
)
@click.pass_context
def main(ctx: click.Context, config_file: str | None) -> None:
    """Local crime and policing performance summaries.

    Reads London Datastore MPS borough/ward crime files and tidy CSVs (the bundled real
    sample data when no --data is given) and reports each crime category's count and its
    change against the previous period.

    \b
    Example:
      policing report bexley
      policing report "Kensington & Chelsea" --period 2023/24 --format markdown
    """
    from policing_cli.settings import default_map, effective_settings

    try:
        _, effective = effective_settings(config_file)
    except PolicingError as err:
        raise shown(PolicingClickError(err)) from err
    ctx.meta["policing.settings"] = effective
    # Settings fill the parameters of the command being run (only it is imported).
    name = ctx.invoked_subcommand
    command = main.get_command(ctx, name) if name else None
    commands = {name: [p.name for p in command.params if p.name]} if command and name else {}
    ctx.default_map = default_map(effective, commands)


class ClosedOutput(io.TextIOBase):
    """Standard output when the process was started with it closed: writing to it is a
    one-line error (exit 1), where it used to be an internal error, or silence and exit 0
    (JSON); a run that writes to a file with ``-o`` is unaffected."""

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(
            errno.EBADF, "standard output is closed: nothing can be written (use -o FILE)"
        )

    def flush(self) -> None:
        return None


def run() -> None:
    """The console entry point: click's ``main``, then an exit that skips the interpreter's
    teardown of pandas, numpy and pyarrow (module by module, with their thread pools), which
    takes 70-150 ms of a report's time for nothing: by then every file has been written and
    closed. Output is flushed, exit handlers run, and the exit code is click's; a stdout that
    cannot be flushed (a full disk) makes a successful run exit 1."""
    import atexit
    import contextlib
    import os
    import sys

    from policing_cli.runtime import pause_collector

    pause_collector()
    if sys.stdout is None:  # started with standard output closed (``>&-``)
        sys.stdout = ClosedOutput()
    try:
        main()
        code: Any = 0
    except SystemExit as done:
        code = done.code
    except OSError as err:  # writing --help or --version, outside any command
        if err.errno != errno.EPIPE and sys.stderr is not None:
            with contextlib.suppress(OSError, ValueError):
                print(f"Error: {err.strerror or err}", file=sys.stderr)
        code = 1
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with the stream closed: nothing to flush
            continue
        try:
            stream.flush()
        except (OSError, ValueError) as err:
            if stream is sys.stdout and sys.stderr and not isinstance(err, BrokenPipeError):
                with contextlib.suppress(OSError, ValueError):
                    print(f"Error: cannot write the output: {err}", file=sys.stderr, flush=True)
            code = code or 1
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()

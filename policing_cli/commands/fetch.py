"""``policing fetch``: the current public files, downloaded into the data folder that the
other commands read when no --data is given (the work is in ``policing_cli/fetch/``)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from policing_cli.errors import ExitCode

if TYPE_CHECKING:
    from policing_cli.fetch.http import Progress
    from policing_cli.fetch.manifest import LeftAlone


@click.group(name="fetch")
def fetch_group() -> None:
    """Download the current public files (London Datastore, data.police.uk) into the data
    folder the other commands read.

    Files go into --into DIR, else the fetch.into setting, else the platform's user data
    folder (~/.local/share/policing/data on Linux). A rerun downloads only what changed.
    Commands given no --data read this folder when it holds fetched files.

    \b
    Example:
      policing fetch london
      policing fetch police-uk --month latest --force "north wales"
      policing fetch london -q && policing snapshot -q -o reports/
    """


def fetch_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options both sources take."""
    command = click.option(
        "--timeout",
        type=click.FloatRange(min=0.1),
        default=30.0,
        show_default=True,
        help="Seconds to wait for the server (to connect, to answer, for the next bytes).",
    )(command)
    command = click.option(
        "-q", "--quiet", is_flag=True, help="Print nothing but errors (for cron)."
    )(command)
    return click.option(
        "--into",
        type=click.Path(path_type=Path, file_okay=False),
        help="Data folder to fetch into. Default: the fetch.into setting, else the "
        "platform's user data folder.",
    )(command)


@fetch_group.command("london")
@fetch_options
@click.pass_context
def london(ctx: click.Context, into: Path | None, quiet: bool, timeout: float) -> None:
    """The London Datastore's MPS Borough and Ward Level Crime files.

    The most recent 24 months and the historical files, found from the recorded crime
    summary dataset's metadata (their addresses change with each release), into
    DIR/london/. Another address: POLICING_FETCH_LONDON or [fetch] london.

    \b
    Example:
      policing fetch london
      policing fetch london --into ~/data -q
    """
    from policing_cli.fetch.http import Client, check_address
    from policing_cli.fetch.london import DEFAULT_ADDRESS, fetch_london
    from policing_cli.fetch.manifest import folder_lock

    address = _setting(ctx, "fetch.london") or DEFAULT_ADDRESS
    address = check_address(address, "POLICING_FETCH_LONDON / [fetch] london")
    folder = _folder(ctx, into)
    with folder_lock(folder), _progress(quiet) as bar:
        result = fetch_london(Client(timeout), folder, address, bar, _say(quiet))
    changed = sum(outcome.changed for outcome in result.outcomes)
    if not quiet:
        from policing_cli.commands.printing import say

        removed = f", {len(result.removed)} removed" if result.removed else ""
        say(f"fetch london -> {result.folder}: {len(result.outcomes)} file(s), {changed} "
            f"downloaded, {len(result.outcomes) - changed} unchanged{removed}")  # fmt: skip
    _left_alone(result.left_alone)


class MonthType(click.ParamType):
    """``YYYY-MM`` (a month that has begun) or ``latest``."""

    name = "month"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from policing_cli.report.periods import current_month, month_label, parse_month

        text = str(value).strip().lower()
        if text == "latest":
            return text
        month = parse_month(text) if len(text) == 7 else None
        if month is None:
            self.fail(
                f"{value!r} is not a month: expected YYYY-MM (2025-01) or 'latest'", param, ctx
            )
        if month > current_month():
            self.fail(f"{value} has not begun yet: no archive can exist for it", param, ctx)
        return month_label(month)


@fetch_group.command("police-uk")
@click.option(
    "--month",
    type=MonthType(),
    required=True,
    help="The archive's month, YYYY-MM, or 'latest' (each holds the 36 months to it).",
)
@click.option(
    "--force",
    "forces",
    multiple=True,
    metavar="NAME",
    help="Keep only this force's street files (repeatable): 'north wales', 'metropolitan', "
    "'City of London Police'. Default: the whole archive.",
)
@fetch_options
@click.pass_context
def police_uk(
    ctx: click.Context,
    month: str,
    forces: tuple[str, ...],
    into: Path | None,
    quiet: bool,
    timeout: float,
) -> None:
    """data.police.uk's monthly archive: every force's files for 36 months.

    Without --force the archive is kept whole (DIR/police-uk/2025-01.zip). With --force
    only those forces' street files are kept, as the archive lays them out
    (DIR/police-uk/2024-10/2024-10-north-wales-street.csv): where the server answers
    range requests only they are downloaded, else the archive is streamed once. Another
    address: POLICING_FETCH_POLICE_UK or [fetch] police_uk, with {month} for the month.

    \b
    Example:
      policing fetch police-uk --month latest --force "north wales"
      policing fetch police-uk --month 2025-01
    """
    from policing_cli.fetch.http import Client
    from policing_cli.fetch.manifest import folder_lock
    from policing_cli.fetch.police_uk import DEFAULT_TEMPLATE, fetch_police_uk

    template = _setting(ctx, "fetch.police_uk") or DEFAULT_TEMPLATE
    folder = _folder(ctx, into)
    with folder_lock(folder), _progress(quiet) as bar:
        result = fetch_police_uk(
            Client(timeout), folder, template, month, list(forces), bar, _say(quiet)
        )
    if not quiet:
        from policing_cli.commands.printing import say

        changed = sum(outcome.changed for outcome in result.outcomes)
        how = " (the server answers no range requests: streamed whole)" * result.streamed_whole
        say(f"fetch police-uk {month} -> {result.folder}: {len(result.outcomes)} file(s), "
            f"{changed} downloaded, {len(result.outcomes) - changed} unchanged{how}")  # fmt: skip
    _left_alone(result.left_alone)


def _settings(ctx: click.Context) -> list[Any]:
    settings: list[Any] = ctx.find_root().meta.get("policing.settings", [])
    return settings


def _setting(ctx: click.Context, key: str) -> Any:
    from policing_cli.settings import value_of

    return value_of(_settings(ctx), key)


def _folder(ctx: click.Context, into: Path | None) -> Path:
    from policing_cli.fetch.folder import data_folder

    return data_folder(str(into) if into else _setting(ctx, "fetch.into"))


def _say(quiet: bool) -> Callable[[str], None]:
    if quiet:
        return lambda _text: None
    from policing_cli.commands.printing import say

    return say


def _left_alone(errors: list[LeftAlone]) -> None:
    """The user's own files that were in the way: each said, even with -q, then exit 1."""
    if not errors:
        return
    from policing_cli.commands.printing import say

    for error in errors:
        say(f"Error: {error}")
    sys.exit(ExitCode.BAD_DATA)


@contextmanager
def _progress(quiet: bool) -> Iterator[Progress]:
    """A progress bar on stderr (size, speed, time left) on a terminal; nothing with -q,
    in cron or in a pipe."""
    from policing_cli.fetch.http import NoProgress

    if quiet or not sys.stderr.isatty():
        yield NoProgress()
        return
    bar = _Bar()
    try:
        yield bar
    finally:
        bar.finish()


class _Bar:
    """One rich progress bar at a time, for the file being downloaded."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self.bar = Progress(
            TextColumn("{task.description}", markup=False), BarColumn(), DownloadColumn(),
            TransferSpeedColumn(), TimeRemainingColumn(),
            console=Console(stderr=True), transient=True,
        )  # fmt: skip
        self.task: Any = None

    def start(self, label: str, total: int | None, done: int = 0) -> None:
        from policing_cli.renderers.escape import clean

        self.finish()
        self.task = self.bar.add_task(clean(label)[:40], total=total, completed=done)
        self.bar.start()

    def advance(self, count: int) -> None:
        if self.task is not None:
            self.bar.advance(self.task, count)

    def finish(self) -> None:
        if self.task is not None:
            self.bar.remove_task(self.task)
            self.task = None
        self.bar.stop()

"""``policing snapshot``: every area's report for a period written into a folder (cron)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from policing_cli.commands.options import (
    InputOptions,
    data_options,
    load_inputs,
    period_option,
)
from policing_cli.commands.printing import (
    say,
)
from policing_cli.errors import ExitCode

if TYPE_CHECKING:
    from policing_cli.renderers.formats import Format
    from policing_cli.report.periods import Period


def _formats(_ctx: click.Context, _param: click.Parameter, value: str) -> list[Format]:
    from policing_cli.renderers.formats import file_formats

    names = [part.strip().casefold() for part in value.split(",") if part.strip()]
    allowed = {f.name: f for f in file_formats()}
    unknown = [n for n in names if n not in allowed]
    if unknown or not names:
        raise click.BadParameter(
            f"{', '.join(unknown) or 'nothing'}: expected a comma-separated list of {', '.join(allowed)}"
        )
    return list(dict.fromkeys(allowed[n] for n in names))


@click.command()
@period_option("report")
@click.option(
    "-o",
    "--output",
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to write into; files go in a subfolder named after the period (2023-24/).",
)
@click.option(
    "--format",
    "formats",
    default="markdown,json",
    callback=_formats,
    help="Comma-separated formats: markdown, text, json, html, csv. Default: markdown,json.",
)
@data_options
@click.option(
    "--no-timestamp", is_flag=True, help="Leave the generation time out, for byte-identical reruns."
)
@click.option("--fail-on-missed", is_flag=True, help="Exit 3 when any area missed a target.")
@click.option(
    "--force",
    "force_name",
    metavar="NAME",
    help="Only the districts of this police force (data.police.uk street files), e.g. "
    "sussex; its force-wide summary heads the index.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="Say what happens to each file.")
def snapshot(
    period: Period | None,
    out: Path,
    formats: list[Format],
    inputs: InputOptions,
    no_timestamp: bool,
    fail_on_missed: bool,
    force_name: str | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Write every area's report for a period into a folder: the yearly (or monthly) cron job.

    One file per area and format (reports/2023-24/bexley.md ...) plus index.md and
    index.json: the force-wide summary and a league table linking to each area. Files are
    written atomically and only when their content changed; a failing area is reported and
    the others go on. Prints a one-line summary on stderr (nothing with -q).

    \b
    Exit codes: 0 all written; 1 an area failed or bad data; 2 bad usage;
    3 --fail-on-missed and a target was missed.

    \b
    Example:
      policing snapshot --period 2023/24 -o reports/
      policing snapshot --out reports/ --format markdown,html --data sample:leaflet
      policing snapshot --force sussex --data police-data.zip -o reports/
    """
    from policing_cli.snapshot import chosen_force, run_snapshot, snapshot_areas

    dataset, mapping = load_inputs(inputs, quiet=quiet)
    force = chosen_force(dataset, force_name) if force_name else None
    on_file = say if verbose else None
    result = run_snapshot(
        dataset, mapping, period, out, formats, timestamp=not no_timestamp, on_file=on_file,
        force=force,
    )  # fmt: skip
    label = result.folder.name
    for area, error in result.failed:
        say(f"Error: {area}: {error}")
    if not quiet:
        say(result.summary(label, len(snapshot_areas(dataset, force))))
    if result.failed:
        sys.exit(ExitCode.BAD_DATA)
    if fail_on_missed and result.missed:
        # Said even with -q: a cron job's exit 3 needs its one-line reason.
        say(f"{result.missed} target(s) missed in snapshot {label} (--fail-on-missed): see "
            f"{result.folder / 'index.md'}")  # fmt: skip
        sys.exit(ExitCode.TARGETS_MISSED)

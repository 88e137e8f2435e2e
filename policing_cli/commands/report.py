"""``policing report``: one area's summary, the leaflet's table and more."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from policing_cli.commands.options import (
    InputOptions,
    PeriodType,
    SignificanceLevel,
    complete_area,
    data_options,
    format_option,
    load_inputs,
    period_option,
    render_options,
)
from policing_cli.commands.printing import (
    can_encode,
    emit,
    output_option,
    resolve_format,
    say,
    to_stdout,
)
from policing_cli.errors import ExitCode

if TYPE_CHECKING:
    from policing_cli.renderers.formats import Format
    from policing_cli.report.periods import Period


@click.command()
@click.argument("area", shell_complete=complete_area)
@period_option("report")
@click.option(
    "--vs",
    "baseline",
    type=PeriodType(),
    help="Comparison period. Default: the previous period of the same length.",
)
@data_options
@format_option
@output_option("Write to this file (atomically) instead of stdout ('-': stdout).")
@click.option(
    "--fail-on-missed",
    is_flag=True,
    help="Exit with code 3 when any of the area's own targets was missed (for cron alerts).",
)
@click.option(
    "--alpha",
    type=SignificanceLevel(),
    default=0.05,
    show_default=True,
    help="Significance level: changes with p >= alpha are marked ~ (within normal variation).",
)
@click.option("--ascii", "ascii_only", is_flag=True, help="Draw sparklines with ASCII characters.")
def report(
    area: str,
    period: Period | None,
    baseline: Period | None,
    inputs: InputOptions,
    output_format: Format | None,
    color: bool | None,
    output: Path | None,
    fail_on_missed: bool,
    alpha: float,
    ascii_only: bool,
) -> None:
    """Summary for one AREA: each category's count and change against the previous period.

    AREA is a borough or district (any case, spaces or hyphens; '&' or 'and'), a police
    force of street-level files ('north wales police'), or 'london' / 'mps' for the
    Metropolitan Police's area.

    \b
    Examples:
      policing report bexley
      policing report "Kensington & Chelsea" --period 2023/24 --format markdown
      policing report bexley --period 2023 --format json
      policing report london --period 12m:2024-10
      policing report bexley --data sample:leaflet --fail-on-missed
    """
    from policing_cli.document.cells import SPARK
    from policing_cli.document.report import report_document
    from policing_cli.report.assembly import build_report

    dataset, mapping = load_inputs(inputs)
    result = build_report(dataset, mapping, area, period, baseline, alpha=alpha)
    fmt = resolve_format(output_format, output, color)
    # A console that cannot show the sparklines' blocks (cp1252, ascii) gets ASCII ones.
    on_screen = output is None or to_stdout(output)
    ascii_only = ascii_only or (on_screen and not can_encode(SPARK))
    emit(report_document(result, render_options(dataset, ascii=ascii_only)), fmt, color, output)
    if fail_on_missed and result.missed:
        say(f"{result.missed} target(s) missed for {result.area}")
        sys.exit(ExitCode.TARGETS_MISSED)

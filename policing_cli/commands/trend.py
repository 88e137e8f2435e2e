"""``policing trend``: one category's monthly series in one area."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from policing_cli.commands.options import (
    InputOptions,
    category_option,
    complete_area,
    data_options,
    format_option,
    load_inputs,
    render_options,
)
from policing_cli.commands.printing import (
    can_encode,
    emit,
    output_option,
    resolve_format,
    say,
    to_stdout,
    write_output,
)

if TYPE_CHECKING:
    from policing_cli.renderers.formats import Format


@click.command()
@click.argument("area", shell_complete=complete_area)
@category_option("follow")
@click.option(
    "--months",
    type=click.IntRange(1, 600),
    default=36,
    show_default=True,
    help="How many months to show.",
)
@click.option(
    "--to",
    "last_month",
    help="Last month shown (YYYY-MM). Default: the latest month in the data.",
)
@output_option(
    "Write a chart to this .png or .svg file (needs matplotlib: pip install 'policing[charts]'); "
    "'-': SVG to stdout."
)
@click.option("--ascii", "ascii_only", is_flag=True, help="Terminal chart bars in ASCII.")
@data_options
@format_option
def trend(
    area: str,
    category: str,
    months: int,
    last_month: str | None,
    output: Path | None,
    ascii_only: bool,
    inputs: InputOptions,
    output_format: Format | None,
    color: bool | None,
) -> None:
    """The monthly series of one category in AREA, with its rolling 12-month total.

    On a terminal, a bar per month; --format gives the table (text, markdown, json, csv);
    --output draws a line chart to PNG or SVG.

    \b
    Examples:
      policing trend bexley --category "Residential burglary"
      policing trend london --months 60 --output london.svg
    """
    from policing_cli.document.listing import listing_document
    from policing_cli.renderers.trend_chart import chart, terminal_bars
    from policing_cli.report.listings import trend_listing
    from policing_cli.report.periods import parse_month
    from policing_cli.report.trend import build_trend

    last = None
    if last_month is not None:
        last = parse_month(last_month)
        if last is None:
            raise click.BadParameter(f"'{last_month}' is not a month (YYYY-MM)", param_hint="--to")
    dataset, mapping = load_inputs(inputs)
    result = build_trend(dataset, mapping, area, category, months, last)
    if output is not None:
        write_output(output, chart(result, output, render_options(dataset).attribution))
        if not to_stdout(output):
            say(f"wrote {output}")
        return
    if output_format is None and sys.stdout.isatty():
        credit = render_options(dataset).attribution
        say(
            terminal_bars(result, ascii_only=ascii_only or not can_encode("\u2588"), credit=credit),
            err=False,
            nl=False,
            lines=True,
        )
        return
    fmt = resolve_format(output_format, None, color)
    emit(listing_document(trend_listing(result), render_options(dataset)), fmt, color, None)

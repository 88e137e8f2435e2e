"""``policing rank``: a league table of every borough for one category."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from policing_cli.commands.options import (
    InputOptions,
    category_option,
    data_options,
    format_option,
    load_inputs,
    period_option,
    render_options,
)
from policing_cli.commands.printing import (
    emit,
    resolve_format,
)

if TYPE_CHECKING:
    from policing_cli.renderers.formats import Format
    from policing_cli.report.periods import Period


@click.command()
@period_option("rank")
@category_option("rank")
@click.option(
    "--by",
    type=click.Choice(["count", "change", "pct", "rate"]),
    default="pct",
    show_default=True,
    help="Rank by count, change in offences, % change, or rate per 1,000 residents.",
)
@click.option(
    "--per",
    type=click.Choice(["1000"]),
    help="Rank by rate per 1,000 residents (same as --by rate).",
)
@data_options
@format_option
def rank(
    period: Period | None,
    category: str,
    by: str,
    per: str | None,
    inputs: InputOptions,
    output_format: Format | None,
    color: bool | None,
) -> None:
    """Every borough (or district) ranked for one category: a league table.

    Rank 1 is the lowest: fewest offences, largest fall, or lowest rate. Rates use the
    mid-year population estimate of the year in which the period starts.

    \b
    Examples:
      policing rank --period 2023/24 --category "Residential burglary"
      policing rank --category "Total robbery" --per 1000 --format markdown
    """
    from policing_cli.document.listing import listing_document
    from policing_cli.report.listings import rank_listing

    dataset, mapping = load_inputs(inputs)
    listing = rank_listing(dataset, mapping, category, period, "rate" if per else by)
    fmt = resolve_format(output_format, None, color)
    emit(listing_document(listing, render_options(dataset)), fmt, color, None)

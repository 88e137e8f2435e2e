"""``policing compare``: areas side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from policing_cli.commands.options import (
    InputOptions,
    complete_area,
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
@click.argument("areas", nargs=-1, required=True, shell_complete=complete_area)
@period_option("compare")
@data_options
@format_option
def compare(
    areas: tuple[str, ...],
    period: Period | None,
    inputs: InputOptions,
    output_format: Format | None,
    color: bool | None,
) -> None:
    """Areas side by side: each category's count and % change in each.

    \b
    Example:
      policing compare bexley bromley greenwich --period 2023/24
    """
    from policing_cli.document.listing import listing_document
    from policing_cli.report.assembly import build_report
    from policing_cli.report.listings import compare_listing

    dataset, mapping = load_inputs(inputs)
    first = build_report(dataset, mapping, areas[0], period)
    reports = [first] + [
        build_report(dataset, mapping, area, first.period.period, first.baseline.period)
        for area in areas[1:]
    ]
    fmt = resolve_format(output_format, None, color)
    emit(listing_document(compare_listing(reports), render_options(dataset)), fmt, color, None)

"""``policing areas``, ``categories`` and ``periods``: what the data hold."""

from __future__ import annotations

import click

from policing_cli.commands.options import (
    InputOptions,
    data_options,
    emit,
    format_option,
    load_inputs,
    resolve_format,
)
from policing_cli.renderers import OutputFormat


@click.command()
@data_options
@format_option
def areas(
    inputs: InputOptions,
    output_format: OutputFormat | None,
    color: bool | None,
) -> None:
    """List the areas in the data, with the months each covers.

    \b
    Example:
      policing areas
      policing areas --data my_counts.csv --format json
    """
    from policing_cli.renderers.registry import render_listing
    from policing_cli.report.listings import list_areas

    dataset, _ = load_inputs(inputs)
    fmt = resolve_format(output_format, False)
    emit(render_listing(list_areas(dataset), fmt), fmt, color, None)


@click.command()
@data_options
@format_option
def categories(
    inputs: InputOptions,
    output_format: OutputFormat | None,
    color: bool | None,
) -> None:
    """List the report categories and the source categories each one counts.

    \b
    Example:
      policing categories
      policing categories --categories my_mapping.csv
    """
    from policing_cli.renderers.registry import render_listing
    from policing_cli.report.listings import list_categories

    dataset, mapping = load_inputs(inputs)
    fmt = resolve_format(output_format, False)
    emit(render_listing(list_categories(dataset, mapping), fmt), fmt, color, None)


@click.command()
@data_options
@format_option
def periods(
    inputs: InputOptions,
    output_format: OutputFormat | None,
    color: bool | None,
) -> None:
    """List the periods the data can report: months covered, complete years, the default.

    \b
    Example:
      policing periods
    """
    from policing_cli.renderers.registry import render_listing
    from policing_cli.report.listings import list_periods

    dataset, mapping = load_inputs(inputs)
    fmt = resolve_format(output_format, False)
    emit(render_listing(list_periods(dataset, mapping), fmt), fmt, color, None)

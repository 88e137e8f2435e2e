"""``policing areas``, ``categories`` and ``periods``: what the data hold."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from policing_cli.commands.options import (
    InputOptions,
    format_option,
    input_options,
    load_inputs,
    render_options,
)
from policing_cli.commands.printing import (
    emit,
    resolve_format,
)

if TYPE_CHECKING:
    from policing_cli.renderers.formats import Format


@click.command()
@input_options("data_paths", "no_cache")
@format_option
def areas(
    inputs: InputOptions,
    output_format: Format | None,
    color: bool | None,
) -> None:
    """List the areas in the data, with the months each covers.

    \b
    Example:
      policing areas
      policing areas --data my_counts.csv --format json
    """
    from policing_cli.document.listing import listing_document
    from policing_cli.report.listings import list_areas

    dataset, _ = load_inputs(inputs)
    fmt = resolve_format(output_format, None, color)
    emit(listing_document(list_areas(dataset), render_options(dataset)), fmt, color, None)


@click.command()
@input_options("data_paths", "categories_file", "no_cache")
@format_option
def categories(
    inputs: InputOptions,
    output_format: Format | None,
    color: bool | None,
) -> None:
    """List the report categories and the source categories each one counts.

    \b
    Example:
      policing categories
      policing categories --categories my_mapping.csv
    """
    from policing_cli.document.listing import listing_document
    from policing_cli.report.listings import list_categories

    dataset, mapping = load_inputs(inputs)
    fmt = resolve_format(output_format, None, color)
    emit(
        listing_document(list_categories(dataset, mapping), render_options(dataset)),
        fmt,
        color,
        None,
    )


@click.command()
@input_options("data_paths", "categories_file", "no_cache")
@format_option
def periods(
    inputs: InputOptions,
    output_format: Format | None,
    color: bool | None,
) -> None:
    """List the periods the data can report: months covered, complete years, the default.

    \b
    Example:
      policing periods
    """
    from policing_cli.document.listing import listing_document
    from policing_cli.report.listings import list_periods

    dataset, mapping = load_inputs(inputs)
    fmt = resolve_format(output_format, None, color)
    emit(
        listing_document(list_periods(dataset, mapping), render_options(dataset)), fmt, color, None
    )

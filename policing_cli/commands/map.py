"""``policing map``: a choropleth SVG of London's boroughs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from policing_cli.commands.options import (
    InputOptions,
    category_option,
    data_options,
    load_inputs,
    period_option,
)
from policing_cli.commands.printing import (
    output_option,
    say,
    to_stdout,
    write_output,
)

if TYPE_CHECKING:
    from policing_cli.report.periods import Period


@click.command(name="map")
@period_option("map")
@category_option("map")
@click.option(
    "--by",
    type=click.Choice(["pct", "rate"]),
    default="pct",
    show_default=True,
    help="Colour by % change or by rate per 1,000 residents.",
)
@click.option(
    "--boundaries",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Borough boundaries GeoJSON (EPSG:27700, NAME property). Default: the bundled London boroughs.",
)
@output_option("The .svg file to write (atomically; '-': stdout).", required=True)
@data_options
def map_command(
    period: Period | None,
    category: str,
    by: str,
    boundaries: Path | None,
    output: Path,
    inputs: InputOptions,
) -> None:
    """A choropleth of London's boroughs coloured by the change (or rate) in one category,
    as a standalone SVG: green for falls, red for rises, grey where there is no figure.

    \b
    Example:
      policing map --period 2023/24 --category "Residential burglary" --output burglary.svg
      policing map --by rate --output rates.svg
    """
    from policing_cli.document.attribution import BOUNDARIES, OGL
    from policing_cli.loaders.boundaries import default_boundaries, load_boundaries
    from policing_cli.renderers.choropleth import render_map
    from policing_cli.report.maps import map_figures

    if not to_stdout(output) and output.suffix.lower() not in ("", ".svg"):
        raise click.BadParameter(
            f"{output.name}: a map is written as SVG: name the file .svg (for a PNG, convert "
            "the SVG, e.g. rsvg-convert map.svg -o map.png)",
            param_hint="--output",
        )
    dataset, mapping = load_inputs(inputs)
    figures = map_figures(dataset, mapping, category, period, by)
    shapes = load_boundaries(boundaries or default_boundaries())
    credits = (OGL, BOUNDARIES) if boundaries is None else (OGL,)
    write_output(output, render_map(shapes, figures, credits))
    if not to_stdout(output):
        say(f"wrote {output}")

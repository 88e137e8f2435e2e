"""A standalone SVG choropleth of boroughs, from real boundaries (GeoJSON in British
National Grid metres, EPSG:27700: drawn as they are, no reprojection needed).

Fills run from green (the largest fall, or lowest rate) through white to red; boroughs
without a figure are grey. Every borough carries a tooltip with its name and figure.
"""

from __future__ import annotations

import json
from fractions import Fraction
from html import escape
from pathlib import Path

from policing_cli.errors import InputFormatError
from policing_cli.report.areas import area_key
from policing_cli.small_inputs import BOUNDARIES_BYTES, read_bounded_text

WIDTH = 800
MARGIN = 20


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def load_boundaries(path: Path) -> list[tuple[str, list[list[list[float]]]]]:
    # Read with a cap: --boundaries /dev/zero (or a FIFO that never ends) must not fill memory.
    text = read_bounded_text(path, "a boundaries GeoJSON", BOUNDARIES_BYTES)
    try:
        data = json.loads(text)
        features = data["features"]
        return [(f["properties"]["NAME"], _rings(f["geometry"])) for f in features]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise InputFormatError(
            path, f"is not a GeoJSON FeatureCollection with NAME properties ({err})"
        ) from err


def _colour(value: Fraction | None, low: Fraction, high: Fraction) -> str:
    if value is None:
        return "#d0d0d0"
    # Zero (no change) is white when the figures straddle it; else the middle of the range.
    mid = Fraction(0) if low < 0 < high else (low + high) / 2
    if value <= mid:
        t = float((mid - value) / (mid - low)) if mid != low else 0.0
        start, end = (255, 255, 255), (26, 127, 55)  # white -> green
    else:
        t = float((value - mid) / (high - mid)) if high != mid else 0.0
        start, end = (255, 255, 255), (207, 34, 46)  # white -> red
    t = max(0.0, min(1.0, t))
    r, g, b = (round(s + (e - s) * t) for s, e in zip(start, end, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def render_map(
    boundaries: list[tuple[str, list[list[list[float]]]]],
    values: dict[str, Fraction | None],
    title: str,
    unit: str,
) -> str:
    """The SVG text. ``values`` are keyed by area_key of the borough name."""
    points = [pt for _, rings in boundaries for ring in rings for pt in ring]
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    scale = (WIDTH - 2 * MARGIN) / (max_x - min_x)
    height = int((max_y - min_y) * scale) + 2 * MARGIN + 70
    known = [v for v in values.values() if v is not None]
    low, high = (min(known), max(known)) if known else (Fraction(-1), Fraction(1))
    if low == high:
        low, high = low - 1, high + 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="Arial,Helvetica,sans-serif">',
        f'<text x="{MARGIN}" y="24" font-size="16" font-weight="bold">{escape(title)}</text>',
    ]
    for name, rings in boundaries:
        value = values.get(area_key(name))
        commands = []
        for ring in rings:
            previous = None
            coords = []
            for x, y in ring:
                px = round(MARGIN + (x - min_x) * scale, 1)
                py = round(40 + (max_y - y) * scale, 1)
                if previous is None or abs(px - previous[0]) + abs(py - previous[1]) >= 0.8:
                    coords.append(f"{px},{py}")
                    previous = (px, py)
            if len(coords) >= 3:
                commands.append("M" + " L".join(coords) + " Z")
        shown = "no figure" if value is None else f"{float(value):+.1f}{unit}"
        parts.append(
            f'<path d="{" ".join(commands)}" fill="{_colour(value, low, high)}" '
            f'stroke="#555" stroke-width="0.6"><title>{escape(name)}: {escape(shown)}</title></path>'
        )
    legend_y = height - 40
    for i in range(11):
        value = low + (high - low) * Fraction(i, 10)
        parts.append(f'<rect x="{MARGIN + i * 30}" y="{legend_y}" width="30" height="12" '
                     f'fill="{_colour(value, low, high)}" stroke="#999" stroke-width="0.3"/>')  # fmt: skip
    parts.append(
        f'<text x="{MARGIN}" y="{legend_y + 26}" font-size="11">{float(low):+.1f}{escape(unit)}</text>'
    )
    parts.append(f'<text x="{MARGIN + 300}" y="{legend_y + 26}" font-size="11" text-anchor="end">'
                 f'{float(high):+.1f}{escape(unit)}</text>')  # fmt: skip
    parts.append(f'<rect x="{MARGIN + 360}" y="{legend_y}" width="30" height="12" fill="#d0d0d0"/>'
                 f'<text x="{MARGIN + 396}" y="{legend_y + 10}" font-size="11">no figure</text>')  # fmt: skip
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def default_boundaries() -> Path:
    from policing_cli.loaders.inputs import sample_data_folder

    return sample_data_folder() / "boundaries" / "London_Borough_Excluding_MHW_EPSG27700.geojson"


def map_svg(
    dataset, mapping, category: str, period=None, by: str = "pct", boundaries: Path | None = None
) -> str:
    """The choropleth of one category's % change (or rate per 1,000) across the boroughs,
    for ``period`` (default: the latest complete financial year)."""
    from policing_cli.report.ranking import standard_league

    period, _, standings = standard_league(dataset, mapping, category, period, by)
    year = period.first // 12
    values = {
        area_key(s.area): (s.rate_exact if by == "rate" else s.pct_change_exact) for s in standings
    }
    what = (
        f"per 1,000 residents ({year})"
        if by == "rate"
        else f"% change against {period.previous().label}"
    )
    title = f"{category}, {period.label}: {what}"
    return render_map(load_boundaries(boundaries or default_boundaries()), values, title,
                      "" if by == "rate" else "%")  # fmt: skip

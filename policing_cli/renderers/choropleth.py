"""A standalone SVG choropleth of boroughs, from real boundaries (GeoJSON in British
National Grid metres, EPSG:27700: drawn as they are, no reprojection needed).

Fills run from green (the largest fall, or lowest rate) through white to red; boroughs
without a figure are grey. Every borough carries a tooltip with its name and figure.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path

from policing_cli.errors import InputFormatError
from policing_cli.renderers.html import text as _text
from policing_cli.report.areas import area_key
from policing_cli.small_inputs import BOUNDARIES_BYTES, read_bounded_text

WIDTH = 800
MARGIN = 20


Ring = list[tuple[float, float]]


def load_boundaries(path: Path) -> list[tuple[str, list[Ring]]]:
    """Each feature's NAME and rings, checked: a file that cannot be drawn is a one-line
    error naming the feature and what is wrong, never an SVG with empty paths (an infinite
    or NaN coordinate made every path empty) or a crash. Read with a cap: ``--boundaries
    /dev/zero`` (or a pipe that never ends) must not fill memory."""
    text = read_bounded_text(path, "a boundaries GeoJSON", BOUNDARIES_BYTES)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputFormatError(
            path, f"is not JSON ({err.msg}): expected GeoJSON", line=err.lineno, column=err.colno
        ) from err
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise InputFormatError(path, 'is not a GeoJSON FeatureCollection (no "features" list)')
    if not features:
        raise InputFormatError(path, "holds no features: expected the boroughs' boundaries")
    boundaries = [_feature(path, number, f) for number, f in enumerate(features, start=1)]
    xs = [x for _, rings in boundaries for ring in rings for x, _ in ring]
    ys = [y for _, rings in boundaries for ring in rings for _, y in ring]
    if not xs:
        raise InputFormatError(path, "holds no coordinates: expected the boroughs' boundaries")
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    if not (0 < width < math.inf and height < math.inf):
        raise InputFormatError(
            path, f"coordinates span {width:g} by {height:g}: expected an area to draw"
        )
    return boundaries


def _feature(path: Path, number: int, feature: object) -> tuple[str, list[Ring]]:
    """One feature's NAME (text) and its rings of finite (x, y) coordinates."""
    where = f"feature {number}"
    properties = feature.get("properties") if isinstance(feature, dict) else None
    name = properties.get("NAME") if isinstance(properties, dict) else None
    if not isinstance(name, str) or not name.strip():
        given = isinstance(properties, dict) and "NAME" in properties
        shown = json.dumps(name)[:40] if given else "missing"
        raise InputFormatError(path, f"{where}: NAME is {shown}: expected the area's name as text")
    where = f"{where} ({name})"
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        shown = "missing" if kind is None else json.dumps(kind)[:40]
        raise InputFormatError(path, f"{where}: geometry type is {shown}: expected Polygon or "
                                     "MultiPolygon")  # fmt: skip
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not all(isinstance(p, list) for p in polygons):
        raise InputFormatError(path, f"{where}: coordinates are not a list of rings")
    rings = []
    for ring in (ring for polygon in polygons for ring in polygon):
        if not isinstance(ring, list):
            raise InputFormatError(path, f"{where}: a ring is {json.dumps(ring)[:40]}: expected "
                                         "a list of [x, y] positions")  # fmt: skip
        rings.append([_position(path, where, position) for position in ring])
    return name, rings


def _position(path: Path, where: str, position: object) -> tuple[float, float]:
    """An [x, y] (or [x, y, z]) position of finite numbers."""
    if isinstance(position, list) and len(position) >= 2:
        x, y = _finite(position[0]), _finite(position[1])
        if x is not None and y is not None:
            return x, y
    shown = json.dumps(position, allow_nan=True)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    raise InputFormatError(
        path, f"{where}: position {shown} is not [x, y] in finite numbers (metres, EPSG:27700)"
    )


def _finite(value: object) -> float | None:
    """A JSON number as a finite float (an integer too large for a float is not one)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


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
    boundaries: list[tuple[str, list[Ring]]],
    values: dict[str, Fraction | None],
    title: str,
    unit: str,
) -> str:
    """The SVG text. ``values`` are keyed by area_key of the borough name. Names are shown
    as written, control characters made visible (XML may not hold them), then escaped."""
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
        f'<text x="{MARGIN}" y="24" font-size="16" font-weight="bold">{_text(title)}</text>',
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
            f'stroke="#555" stroke-width="0.6"><title>{_text(name)}: {_text(shown)}</title></path>'
        )
    legend_y = height - 40
    for i in range(11):
        value = low + (high - low) * Fraction(i, 10)
        parts.append(f'<rect x="{MARGIN + i * 30}" y="{legend_y}" width="30" height="12" '
                     f'fill="{_colour(value, low, high)}" stroke="#999" stroke-width="0.3"/>')  # fmt: skip
    parts.append(
        f'<text x="{MARGIN}" y="{legend_y + 26}" font-size="11">{float(low):+.1f}{_text(unit)}</text>'
    )
    parts.append(f'<text x="{MARGIN + 300}" y="{legend_y + 26}" font-size="11" text-anchor="end">'
                 f'{float(high):+.1f}{_text(unit)}</text>')  # fmt: skip
    parts.append(f'<rect x="{MARGIN + 360}" y="{legend_y}" width="30" height="12" fill="#d0d0d0"/>'
                 f'<text x="{MARGIN + 396}" y="{legend_y + 10}" font-size="11">no figure</text>')  # fmt: skip
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def default_boundaries() -> Path:
    from policing_cli.loaders.paths import sample_data_folder

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

"""Area boundaries for maps: a GeoJSON FeatureCollection in British National Grid metres
(EPSG:27700), each feature's ``NAME`` and its rings, checked before anything is drawn; and
where the bundled London boroughs' boundaries are."""

from __future__ import annotations

import json
import math
from pathlib import Path

from policing_cli.errors import InputFormatError
from policing_cli.small_inputs import BOUNDARIES_BYTES, read_bounded_text

Ring = list[tuple[float, float]]
Boundaries = list[tuple[str, list[Ring]]]


def default_boundaries() -> Path:
    """The London boroughs' boundaries bundled with the sample data."""
    from policing_cli.loaders.paths import sample_data_folder

    return sample_data_folder() / "boundaries" / "London_Borough_Excluding_MHW_EPSG27700.geojson"


def load_boundaries(path: Path) -> Boundaries:
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

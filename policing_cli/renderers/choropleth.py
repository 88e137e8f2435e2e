"""A standalone SVG choropleth of boroughs, from real boundaries (GeoJSON in British
National Grid metres, EPSG:27700: drawn as they are, no reprojection needed).

Fills run from green (the largest fall, or lowest rate) through white to red; boroughs
without a figure are grey. Every borough carries a tooltip with its name and figure.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from policing_cli.renderers.html import text as _text
from policing_cli.report.areas import area_key

if TYPE_CHECKING:
    from policing_cli.loaders.boundaries import Boundaries
    from policing_cli.report.maps import MapFigures

WIDTH = 800
MARGIN = 20


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


def render_map(boundaries: Boundaries, figures: MapFigures, credits: tuple[str, ...] = ()) -> str:
    """The SVG text, ``credits`` (the data's and the boundaries' licence lines) at its foot.
    Names are shown as written, control characters made visible (XML may not hold them),
    then escaped."""
    values, title, unit = figures.values, figures.title, figures.unit
    points = [pt for _, rings in boundaries for ring in rings for pt in ring]
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    scale = (WIDTH - 2 * MARGIN) / (max_x - min_x)
    height = int((max_y - min_y) * scale) + 2 * MARGIN + 70 + 14 * len(credits)
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
    legend_y = height - 40 - 14 * len(credits)
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
    for number, credit in enumerate(credits):
        parts.append(f'<text x="{MARGIN}" y="{height - 14 * (len(credits) - number) + 8}" '
                     f'font-size="9" fill="#57606a">{_text(credit)}</text>')  # fmt: skip
    parts.append("</svg>")
    return "\n".join(parts) + "\n"

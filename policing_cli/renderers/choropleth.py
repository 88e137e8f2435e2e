"""A standalone SVG choropleth of boroughs, from real boundaries (GeoJSON in British
National Grid metres, EPSG:27700: drawn as they are, no reprojection needed).

Figures fall into classes with labelled breaks, so a reader can tell a borough's figure from
its colour: changes on a diverging scale (three greens for falls, three reds for rises,
split at 0), rates on a sequential one (six blues, light to dark: a rate has no good or bad
middle). Boroughs without a figure are grey. Each borough is labelled where its name fits
(else a short form: "K&C", "Richmond", "City"), and carries a tooltip with its name and
figure; the data's and the boundaries' credits are at the foot.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from policing_cli.renderers.html import text as _text
from policing_cli.report.areas import area_key

if TYPE_CHECKING:
    from policing_cli.loaders.boundaries import Boundaries
    from policing_cli.report.maps import MapFigures

WIDTH = 800
MARGIN = 20
NO_FIGURE = "#d0d0d0"
#: Falls, largest first, and rises, smallest first (GitHub's green and red at the ends).
FALLS = ("#1a7f37", "#6cb57e", "#c4e4cb")
RISES = ("#f6c4c7", "#e4777e", "#cf222e")
#: Rates, lowest first (ColorBrewer's Blues, 6 classes).
BLUES = ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
LABEL_SIZE = 9


@dataclass(frozen=True)
class Band:
    """One class of the legend: figures above ``low`` (from it, for the first) up to and
    including ``high``, filled with ``colour``."""

    low: Fraction
    high: Fraction
    colour: str


def _steps(low: Fraction, high: Fraction, colours: tuple[str, ...]) -> list[Band]:
    width = (high - low) / len(colours)
    return [
        Band(low + width * i, low + width * (i + 1), colour) for i, colour in enumerate(colours)
    ]


def _quantiles(known: list[Fraction], colours: tuple[str, ...]) -> list[Band]:
    """Classes holding about as many areas each (breaks at figures of the areas): rates are
    skewed (Westminster's is three times the next), and equal intervals would leave every
    other borough in the lightest class."""
    ordered = sorted(known)
    count = len(colours)
    highs = [ordered[max(-(-i * len(ordered) // count) - 1, 0)] for i in range(1, count + 1)]
    found: list[Band] = []
    low = ordered[0]
    for high, fill in zip(highs, colours, strict=True):
        if found and high == found[-1].high:
            continue  # an empty class (tied figures): left out of the legend
        found.append(Band(low, high, fill))
        low = high
    return found


def bands(known: list[Fraction], sequential: bool) -> list[Band]:
    """The classes: for rates six blues, each holding about a sixth of the areas; for
    changes equal intervals, three greens from the largest fall to 0 and three reds from 0
    to the largest rise (one side only where every figure is a fall, or every one a rise)."""
    low, high = (min(known), max(known)) if known else (Fraction(0), Fraction(1))
    if sequential and len(set(known)) >= len(BLUES):
        return _quantiles(known, BLUES)
    if low == high:
        low, high = low - 1, high + 1
    if sequential:
        return _steps(low, high, BLUES)
    if low < 0 < high:
        return _steps(low, Fraction(0), FALLS) + _steps(Fraction(0), high, RISES)
    return _steps(low, high, FALLS if high <= 0 else RISES)


def colour(value: Fraction | None, classes: list[Band]) -> str:
    """The fill of a figure: the first class whose upper break it does not pass."""
    if value is None:
        return NO_FIGURE
    return next((band.colour for band in classes if value <= band.high), classes[-1].colour)


def short_names(name: str) -> list[str]:
    """What a borough may be labelled, longest first: its name, initials of a two-part name
    ("K&C", "H&F"), the part before "upon" ("Richmond"), its first word ("City")."""
    words = name.replace(" & ", " and ").split()
    found = [name]
    if "upon" in words:
        found.append(" ".join(words[: words.index("upon")]))
    if "and" in words:
        at = words.index("and")
        found.append(f"{words[0][0]}&{words[at + 1][0]}" if at + 1 < len(words) else words[0])
    found.append(words[0] if words else name)
    found.append(name[:3])
    return list(dict.fromkeys(found))


def _label(name: str, ring: list[tuple[float, float]]) -> str:
    """The borough's label at the middle of its largest outline, the longest short name
    that fits its width; none where not even three letters fit."""
    xs = [p[0] for p in ring]
    room = (max(xs) - min(xs)) * 0.75
    fitting = [s for s in short_names(name) if len(s) * LABEL_SIZE * 0.56 <= room]
    if not fitting:
        return ""
    x, y = _centre(ring)
    where = (
        f'x="{x:.1f}" y="{y + LABEL_SIZE / 3:.1f}" font-size="{LABEL_SIZE}" text-anchor="middle"'
    )
    # A white outline drawn first, then the name: legible on the darkest fill, in every
    # viewer (paint-order is not understood by all).
    return (
        f'<text {where} fill="#ffffff" stroke="#ffffff" stroke-width="2.2" '
        f'stroke-opacity="0.8">{_text(fitting[0])}</text>'
        f'<text {where} fill="#1f2328">{_text(fitting[0])}</text>'
    )


def _centre(ring: list[tuple[float, float]]) -> tuple[float, float]:
    """The centroid of a polygon (the shoelace formula), its mean point if it has no area."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-9:
        return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)
    return cx / (3 * area), cy / (3 * area)


def _figure(value: Fraction, unit: str) -> str:
    return f"{float(value):+.1f}{unit}" if unit == "%" else f"{float(value):,.1f}"


def _legend(classes: list[Band], unit: str, y: float) -> list[str]:
    """One box per class, its breaks written beneath (0 as "0"), then "no figure"."""
    parts = []
    box = 70
    for number, band in enumerate(classes):
        parts.append(f'<rect x="{MARGIN + number * box}" y="{y}" width="{box}" height="12" '
                     f'fill="{band.colour}" stroke="#999" stroke-width="0.3"/>')  # fmt: skip
    breaks = [classes[0].low, *(band.high for band in classes)]
    for number, value in enumerate(breaks):
        shown = "0" if value == 0 else _figure(value, unit)
        parts.append(f'<text x="{MARGIN + number * box}" y="{y + 26}" font-size="10" '
                     f'text-anchor="middle">{_text(shown)}</text>')  # fmt: skip
    end = MARGIN + len(classes) * box + 30
    parts.append(f'<rect x="{end}" y="{y}" width="30" height="12" fill="{NO_FIGURE}"/>'
                 f'<text x="{end + 36}" y="{y + 10}" font-size="10">no figure</text>')  # fmt: skip
    return parts


def render_map(boundaries: Boundaries, figures: MapFigures, credits: tuple[str, ...] = ()) -> str:
    """The SVG text, ``credits`` (the data's and the boundaries' licence lines) at its foot.
    Names are shown as written, control characters made visible (XML may not hold them),
    then escaped."""
    values, title, unit = figures.values, figures.title, figures.unit
    points = [pt for _, rings in boundaries for ring in rings for pt in ring]
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    scale = (WIDTH - 2 * MARGIN) / (max_x - min_x)
    height = int((max_y - min_y) * scale) + 2 * MARGIN + 80 + 14 * len(credits)
    classes = bands([v for v in values.values() if v is not None], figures.sequential)

    def at(x: float, y: float) -> tuple[float, float]:
        return round(MARGIN + (x - min_x) * scale, 1), round(40 + (max_y - y) * scale, 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="Arial,Helvetica,sans-serif">',
        f'<text x="{MARGIN}" y="24" font-size="16" font-weight="bold">{_text(title)}</text>',
    ]
    labels = []
    for name, rings in boundaries:
        value = values.get(area_key(name))
        commands = []
        for ring in rings:
            previous = None
            coords = []
            for x, y in ring:
                px, py = at(x, y)
                if previous is None or abs(px - previous[0]) + abs(py - previous[1]) >= 0.8:
                    coords.append(f"{px},{py}")
                    previous = (px, py)
            if len(coords) >= 3:
                commands.append("M" + " L".join(coords) + " Z")
        shown = "no figure" if value is None else _figure(value, unit)
        parts.append(
            f'<path d="{" ".join(commands)}" fill="{colour(value, classes)}" '
            f'stroke="#555" stroke-width="0.6"><title>{_text(name)}: {_text(shown)}</title></path>'
        )
        if rings:
            largest = max(rings, key=lambda ring: abs(_shoelace(ring)))
            labels.append(_label(name, [at(x, y) for x, y in largest]))
    parts += [label for label in labels if label]
    legend_y = height - 44 - 14 * len(credits)
    parts += _legend(classes, unit, legend_y)
    for number, credit in enumerate(credits):
        parts.append(f'<text x="{MARGIN}" y="{height - 14 * (len(credits) - number) + 8}" '
                     f'font-size="9" fill="#57606a">{_text(credit)}</text>')  # fmt: skip
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _shoelace(ring: list[tuple[float, float]]) -> float:
    return sum(
        x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
    )

"""Maps people can read (issue 15): borough labels, a legend with labelled class breaks, a
diverging scale split at 0 for changes and a sequential one for rates, the credits; each
borough's fill checked against its own figure and the legend's breaks, read from the SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest
from click.testing import CliRunner

from policing_cli.cli import main
from policing_cli.renderers.choropleth import (
    BLUES,
    FALLS,
    NO_FIGURE,
    RISES,
    bands,
    colour,
    short_names,
)

SVG = "{http://www.w3.org/2000/svg}"


def drawn(tmp_path, *args: str) -> ET.Element:
    out = tmp_path / "map.svg"
    result = CliRunner().invoke(main, ["map", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return ET.parse(out).getroot()


def areas(root: ET.Element) -> dict[str, tuple[str, str]]:
    """Each borough's fill and the figure its tooltip gives."""
    found = {}
    for path in root.iter(f"{SVG}path"):
        name, figure = path.find(f"{SVG}title").text.rsplit(": ", 1)
        found[name] = (path.get("fill"), figure)
    return found


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def legend(root: ET.Element) -> tuple[list[str], list[str]]:
    """The legend's boxes (fills, left to right) and its break labels."""
    boxes = [r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("width") == "70"]
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("font-size") == "10"]
    return boxes, labels[: len(boxes) + 1]


def test_hand_checked_classes():
    # Falls from -3 to 0 in three greens, rises from 0 to 6 in three reds.
    found = bands([Fraction(-3), Fraction(-1), Fraction(2), Fraction(6)], sequential=False)
    assert [(b.low, b.high) for b in found] == [(-3, -2), (-2, -1), (-1, 0), (0, 2), (2, 4), (4, 6)]
    assert colour(Fraction(-3), found) == FALLS[0] and colour(Fraction(6), found) == RISES[2]
    assert colour(Fraction(-1), found) == FALLS[1]  # a break belongs to the class below it
    assert colour(None, found) == NO_FIGURE
    # Rates: six classes of about a sixth of the areas each (12 areas: 2 a class).
    rates = [Fraction(v) for v in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 300)]
    found = bands(rates, sequential=True)
    assert [b.high for b in found] == [2, 4, 6, 8, 10, 300]
    assert [colour(r, found) for r in rates] == [c for c in BLUES for _ in range(2)]


def test_short_names():
    assert short_names("Kensington and Chelsea")[:2] == ["Kensington and Chelsea", "K&C"]
    assert "Richmond" in short_names("Richmond upon Thames")
    assert short_names("City of London")[1] == "City"


@pytest.mark.parametrize("by", ["pct", "rate"])
def test_every_fill_is_the_class_of_its_figure(tmp_path, by):
    root = drawn(tmp_path, "--by", by)
    shapes = areas(root)
    assert len(shapes) == 33
    boxes, labels = legend(root)
    breaks = [Fraction(0) if t == "0" else Fraction(t.rstrip("%").replace(",", "")) for t in labels]
    figures = {n: f for n, (_, f) in shapes.items() if f != "no figure"}
    values = [Fraction(f.rstrip("%").replace(",", "")) for f in figures.values()]
    assert breaks[0] == min(values) and breaks[-1] == max(values)  # the legend spans them
    for name, (fill, figure) in shapes.items():
        if figure == "no figure":
            assert fill == NO_FIGURE, name
            continue
        value = Fraction(figure.rstrip("%").replace(",", ""))
        # The class whose upper break it does not pass (breaks are shown to 0.1: a figure
        # within 0.05 of a break may fall either side).
        first = next(i for i, high in enumerate(breaks[1:]) if value <= high + Fraction(1, 20))
        last = next(
            (i for i, high in enumerate(breaks[1:]) if value <= high - Fraction(1, 20)),
            len(boxes) - 1,
        )
        assert fill in boxes[first : last + 1], (name, figure, fill)
    if by == "rate":
        assert set(boxes) == set(BLUES)  # one sequential scale, no green or red
        assert shapes["Westminster"][0] == BLUES[-1]  # by far the highest rate
    else:
        assert set(boxes) <= set(FALLS) | set(RISES) and "0" in labels
        assert shapes["Bexley"] == (colour(Fraction(61, 10), _bands_of(labels)), "+6.1%")


def _bands_of(labels):  # type: ignore[no-untyped-def]
    values = [Fraction(0) if t == "0" else Fraction(t.rstrip("%")) for t in labels]
    return bands([values[0], values[-1]], sequential=False)


def test_boroughs_are_labelled_and_the_sources_credited(tmp_path):
    root = drawn(tmp_path)
    words = texts(root)
    names = list(areas(root))
    labelled = [n for n in names if any(s in words for s in short_names(n))]
    assert len(labelled) >= 30, sorted(set(names) - set(labelled))
    assert "K&C" in words and "Bexley" in words
    assert any("Open Government Licence" in w for w in words)
    assert any(re.search("Ordnance Survey", w) for w in words)

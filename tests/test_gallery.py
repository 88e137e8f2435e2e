"""The README gallery is generated from the bundled data by scripts/gallery.py: it must
match what the tool prints today."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_gallery_is_up_to_date(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gallery.py"), "--check"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "POLICING_CACHE_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr


def test_the_terminal_svg_carries_its_own_font():
    """Offline (or shown as an image, which may fetch nothing) the SVG once fell back to a
    font whose block characters were wider than a cell: sparklines ran into the next
    column. Its font is inside it now, holds every character the SVG shows, and its
    advance is the cell width rich laid the text out with."""
    import base64
    import html
    import io
    import re

    from fontTools.ttLib import TTFont

    svg = (ROOT / "docs" / "gallery" / "bexley-table.svg").read_text()
    assert (
        "cdnjs" not in svg
        and "http://" not in svg.replace("http://www.w3.org/2000/svg", "")
        and "https://" not in svg.split("<!-- Generated with Rich https://www.textualize.io -->")[1]
    )
    fonts = re.findall(r'url\("data:font/woff;base64,([A-Za-z0-9+/=]+)"\)', svg)
    assert len(fonts) == 2  # regular and bold
    shown = set(html.unescape("".join(re.findall(r">([^<>]+)</text>", svg)))) - {"\n"}
    assert "\u2588" in shown and "\u2501" in shown  # sparklines and the table's rules
    for data in fonts:
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        cmap = font.getBestCmap()
        missing = {c for c in shown if ord(c) not in cmap and c != "\xa0"}
        assert not missing, missing
        advance = font["hmtx"][cmap[ord("a")]][0] / font["head"].unitsPerEm
        assert all(font["hmtx"][cmap[ord(c)]][0] == font["hmtx"][cmap[ord("a")]][0]
                   for c in shown if ord(c) in cmap)  # fmt: skip
        # rich places each run of n cells in n x font size x aspect ratio (20 px x 1233/2048).
        cell = 20 * advance
        for length in map(float, re.findall(r'textLength="([0-9.]+)"', svg)):
            assert abs(length / cell - round(length / cell)) < 0.01, length

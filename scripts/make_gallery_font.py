"""Make the font the gallery's terminal SVG carries inside it (run once; the output is
committed): DejaVu Sans Mono, regular and bold, cut down to the characters a report prints
(ASCII, Latin-1, box drawing, block elements for sparklines, typographic dashes and quotes),
as WOFF files in scripts/fonts/.

    python scripts/make_gallery_font.py

Why: rich's SVG export loads Fira Code from a CDN. Offline, or where an SVG shown as an
image may not fetch anything (GitHub's README), the viewer falls back to a font whose block
characters are wider than a cell, and the sparklines ran into the next column. A font inside
the SVG renders the same everywhere. The source is matplotlib's copy of DejaVu Sans Mono
(matplotlib is in the test extras; fontTools comes with it). DejaVu fonts are free to embed
and redistribute: Bitstream Vera licence, see scripts/fonts/LICENSE-DejaVu.txt.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
#: ASCII and Latin-1, box drawing and block elements, dashes, quotes, ellipsis, pound.
CHARACTERS = [
    *range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x2500, 0x25A0),
    0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2022, 0x2212,
]  # fmt: skip


def main() -> None:
    import matplotlib
    from fontTools import subset

    source = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for style in ("", "-Bold"):
        options = subset.Options()
        options.flavor = "woff"
        options.layout_features = []
        options.name_IDs = ["*"]  # keep the copyright and licence names
        options.notdef_outline = True
        font = subset.load_font(str(source / f"DejaVuSansMono{style}.ttf"), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=CHARACTERS)
        subsetter.subset(font)
        out = HERE / "fonts" / f"DejaVuSansMono{style}-gallery.woff"
        subset.save_font(font, str(out), options)
        print(f"wrote {out} ({out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()

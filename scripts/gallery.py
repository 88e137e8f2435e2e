"""Regenerate the README gallery from the bundled sample data, so it never drifts.

    python scripts/gallery.py            # writes docs/gallery/
    python scripts/gallery.py --check    # exit 1 if docs/gallery/ is out of date

Writes: the rich table of Bexley as SVG (rich's own export), the Markdown email of Bexley,
the leaflet report in text, the snapshot index (Markdown), the borough map and a trend chart.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
GALLERY = ROOT / "docs" / "gallery"


def build(out: Path) -> None:
    from rich.console import Console

    from policing_cli.cli import main
    from policing_cli.document.report import report_document
    from policing_cli.loaders.inputs import load_dataset
    from policing_cli.loaders.reference import load_mapping
    from policing_cli.renderers.rich_table import render
    from policing_cli.report.assembly import build_report

    out.mkdir(parents=True, exist_ok=True)
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(main, list(args), catch_exceptions=False)
        if result.exit_code not in (0, 3):
            raise SystemExit(f"policing {' '.join(args)} failed: {result.output}")
        return result.stdout

    (out / "bexley-email.md").write_text(run("report", "bexley", "--format", "markdown"))
    (out / "leaflet-bexley.txt").write_text(run("report", "bexley", "--data", "sample:leaflet"))
    report = build_report(load_dataset(None), load_mapping(), "bexley")
    console = Console(record=True, width=110, file=io.StringIO(), color_system="truecolor")
    console.print(render(report_document(report)))
    svg = console.export_svg(title="policing report bexley", font_aspect_ratio=1233 / 2048)
    (out / "bexley-table.svg").write_text(with_own_font(svg))
    with tempfile.TemporaryDirectory() as folder:
        run("snapshot", "--out", folder, "--no-timestamp", "-q")
        (out / "snapshot-index.md").write_text((Path(folder) / "2023-24" / "index.md").read_text())
        (out / "map.svg").write_text((Path(folder) / "2023-24" / "map.svg").read_text())
    run("trend", "bexley", "--category", "Residential burglary", "--output", str(out / "trend.svg"))


FONTS = Path(__file__).resolve().parent / "fonts"
FONT_FACE = re.compile(r"@font-face \{.*?\}\s*", re.S)


def with_own_font(svg: str) -> str:
    """rich's SVG with its CDN font (Fira Code, fetched from cdnjs) replaced by DejaVu Sans
    Mono carried inside it (scripts/make_gallery_font.py): offline, and where an SVG shown as
    an image may fetch nothing, the fallback font's block characters were wider than a cell
    and the sparklines ran into the next column."""
    import base64

    faces = []
    for weight, name in (
        (400, "DejaVuSansMono-gallery.woff"),
        (700, "DejaVuSansMono-Bold-gallery.woff"),
    ):
        data = base64.b64encode((FONTS / name).read_bytes()).decode("ascii")
        faces.append(
            '@font-face {\n        font-family: "DejaVu Sans Mono Gallery";\n'
            f'        src: url("data:font/woff;base64,{data}") format("woff");\n'
            f"        font-weight: {weight};\n    }}\n    "
        )
    svg = FONT_FACE.sub("", svg, count=2)
    svg = svg.replace("<style>\n", "<style>\n    " + "".join(faces), 1)
    svg = svg.replace(
        "font-family: Fira Code, monospace;",
        'font-family: "DejaVu Sans Mono Gallery", "DejaVu Sans Mono", Menlo, Consolas, monospace;',
    )
    if "cdnjs" in svg or "Fira Code" in svg:
        raise SystemExit("gallery: rich's SVG template changed: the CDN font is still in it")
    return svg


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("POLICING_CACHE_DIR", tempfile.mkdtemp())
    if not args.check:
        build(GALLERY)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        build(Path(folder))
        stale = [
            p.name
            for p in sorted(Path(folder).iterdir())
            if p.read_text() != (GALLERY / p.name).read_text()
        ]
    if stale:
        print(
            f"gallery out of date: {', '.join(stale)}; run python scripts/gallery.py",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

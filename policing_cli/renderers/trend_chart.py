"""A trend's pictures (its table is ``report/listings.trend_listing``): bars for a
terminal, and a line chart as PNG or SVG bytes, by matplotlib, imported only here and only
when a file is asked for."""

from __future__ import annotations

from pathlib import Path

from policing_cli.errors import PolicingError
from policing_cli.report.periods import month_label
from policing_cli.report.trend import Trend


def terminal_bars(trend: Trend, width: int = 50, ascii_only: bool = False) -> str:
    """A horizontal bar per month, scaled to the largest month."""
    from policing_cli.renderers.escape import clean

    block = "#" if ascii_only else "\u2588"
    top = max((p.count for p in trend.points if p.count is not None), default=0)
    lines = [clean(f"{trend.area}: {trend.category}, monthly, {trend.span}"), ""]
    for point in trend.points:
        if point.count is None:
            bar, shown = "", "n/a"
        else:
            bar = block * (round(point.count * width / top) if top else 0)
            shown = f"{point.count:,}"
        lines.append(f"{month_label(point.month)} {shown:>7} {bar}")
    return "\n".join(lines) + "\n"


def chart(trend: Trend, output: Path) -> bytes:
    """A line chart of the monthly counts and the rolling 12-month average, as PNG or SVG
    bytes, as ``output`` is named (``-``, standard output, is SVG). The command writes them
    (``write_output``), by the same rules as every other output.

    Names are drawn as written: their control characters made visible (an SVG may not hold
    them: matplotlib copies the title into a comment), and never read as matplotlib's maths
    markup ("Theft $100-$500" was drawn as "Theft 100 - 500") or, whatever a matplotlibrc
    says, as TeX.
    """
    fmt = "svg" if str(output) == "-" else {".png": "png", ".svg": "svg"}.get(output.suffix.lower())
    if fmt is None:
        raise PolicingError(f"{output}: a chart is written as .png or .svg")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as err:
        raise PolicingError("charts need matplotlib: pip install 'policing[charts]'") from err
    import io
    import warnings

    from policing_cli.renderers.escape import clean

    labels = [month_label(p.month) for p in trend.points]
    # A fixed salt: the SVG's ids, drawn at random otherwise, are the same on every run.
    rc = {"text.usetex": False, "svg.hashsalt": "policing"}
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        # A character the font lacks is drawn as a box; matplotlib's warning would quote it.
        warnings.filterwarnings("ignore", "Glyph .* missing from", UserWarning)
        figure, axis = plt.subplots(figsize=(10, 4), dpi=100)
        try:
            axis.plot(labels, [p.count for p in trend.points], marker="o", linewidth=1,
                      label="monthly")  # fmt: skip
            axis.plot(labels, [None if p.rolling_12 is None else p.rolling_12 / 12
                               for p in trend.points],
                      linewidth=2, label="rolling 12-month average")  # fmt: skip
            # parse_math=False: every "$" shown as written (no escaping to get wrong).
            axis.set_title(clean(f"{trend.area}: {trend.category}"), parse_math=False)
            axis.set_ylabel("offences per month")
            axis.set_ylim(bottom=0)
            step = max(1, len(labels) // 12)
            axis.set_xticks(range(0, len(labels), step),
                            [labels[i] for i in range(0, len(labels), step)],
                            rotation=45, ha="right")  # fmt: skip
            axis.legend()
            figure.tight_layout()
            buffer = io.BytesIO()
            figure.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
        finally:
            plt.close(figure)
    return buffer.getvalue()

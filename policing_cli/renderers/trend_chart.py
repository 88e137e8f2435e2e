"""A trend's pictures (its table is ``report/listings.trend_listing``): bars for a
terminal, and a line chart as PNG or SVG bytes, by matplotlib, imported only here and only
when a file is asked for."""

from __future__ import annotations

from pathlib import Path

from policing_cli.errors import PolicingError
from policing_cli.report.periods import month_label
from policing_cli.report.trend import Trend


def terminal_bars(
    trend: Trend, width: int = 50, ascii_only: bool = False, credit: str | None = None
) -> str:
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
    if credit:
        lines += ["", credit]
    return "\n".join(lines) + "\n"


def tick_positions(months: list[int]) -> list[int]:
    """Where the month axis is labelled: at each January over more than two years, at each
    quarter's first month over more than eight months, else every month (``months`` are
    month indexes, January = 0 mod 12)."""
    if len(months) <= 8:
        return list(range(len(months)))
    every = 12 if len(months) > 24 else 3
    found = [i for i, month in enumerate(months) if month % every == 0]
    return found or [0]


def chart(trend: Trend, output: Path, credit: str | None = None) -> bytes:
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
        from matplotlib.ticker import FuncFormatter
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
            axis.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
            ticks = tick_positions([p.month for p in trend.points])
            axis.set_xticks(ticks, [labels[i] for i in ticks], rotation=45, ha="right")
            axis.legend()
            if credit:
                figure.text(0.01, 0.015, clean(credit), fontsize=7, color="#57606a",
                            parse_math=False)  # fmt: skip
            figure.tight_layout(rect=(0, 0.04 if credit else 0, 1, 1))
            buffer = io.BytesIO()
            figure.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
        finally:
            plt.close(figure)
    return buffer.getvalue()

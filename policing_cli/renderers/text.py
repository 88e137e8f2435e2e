"""Plain text: for pipes, cron mail and terminals without colour. Fits 80 columns: a
report's category names are cut with "..." where they must be, other long text wraps."""

from __future__ import annotations

import textwrap

import tabulate as tabulate_module
from tabulate import tabulate

from policing_cli.document.blocks import (
    Block,
    Bullets,
    Document,
    Facts,
    Heading,
    Image,
    Notes,
    Paragraph,
    SmallPrint,
    Table,
)
from policing_cli.renderers.escape import clean
from policing_cli.renderers.wrapping import wrap

WIDTH = 80
#: Narrowest a column is cut or wrapped to.
NARROW = 12


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 3, 1)] + "..."


def _wrap(text: str, indent: str = "  ") -> list[str]:
    """Words wrapped to the width; a word longer than a line (a file name) is broken after
    one of its separators (``wrapping.wrap``), never left running past the width."""
    lines = textwrap.wrap(
        text, WIDTH, subsequent_indent=indent, break_on_hyphens=False, break_long_words=False
    ) or [""]
    if any(len(line) > WIDTH for line in lines):
        return wrap(text, WIDTH, indent)
    return lines


def table(block: Table) -> str:
    """A plain table fitting 80 columns as far as its names allow.

    tabulate pads every header by two spaces (its module-level MIN_PADDING); here columns
    are already two apart, so the padding is lifted for this table only and put back, never
    leaking into the Markdown renderer's tables in the same process.
    """
    saved = tabulate_module.MIN_PADDING
    tabulate_module.MIN_PADDING = 0
    try:
        return _fit(block)
    finally:
        tabulate_module.MIN_PADDING = saved


def _fit(block: Table) -> str:
    """The table within 80 columns as far as its contents allow.

    A report's tables (``cut_first``) cut their first column, the category names, with
    "..." (its goldens are laid out so); a listing's tables keep every word: headings wrap
    between words first, then the widest text columns other than the first at spaces, down
    to 12 characters, and only then the first column's names, down to 20; a figure never
    wraps.
    """
    headers = [clean(c.heading) for c in block.columns]
    # "no target" is said by "-" in the Target column already; the space goes to names.
    rows = [[clean("-" if str(cell) == "no target" else str(cell)) for cell in row]
            for row in block.rows]  # fmt: skip
    align = ["right" if c.right else "left" for c in block.columns]
    natural = [_longest([h, *(r[i] for r in rows)]) for i, h in enumerate(headers)]
    if block.cut_first:
        first = natural[0]
        while True:
            text = _draw(headers, rows, align, {0: first}, cut=True)
            excess = max(len(line) for line in text.splitlines()) - WIDTH
            if excess <= 0 or first <= NARROW:
                return text
            first = max(first - excess, NARROW)
    # First the headings wrap between words, down to their column's widest cell; then
    # the widest text columns wrap.
    cells = [_longest(r[i] for r in rows) for i in range(len(headers))]
    words = [_longest(h.split()) for h in headers]
    room = WIDTH - 2 * (len(headers) - 1)
    widths = _level(natural, [max(c, w) for c, w in zip(cells, words, strict=True)], room)
    least = [
        w if c.right or i == 0 else max(words[i], min(w, NARROW))
        for i, (w, c) in enumerate(zip(widths, block.columns, strict=True))
    ]
    widths = _level(widths, least, room)
    # Last, a first column of long names wraps too (London Heathrow and London City
    # Airports), never narrower than 20 characters.
    least[0] = max(words[0], min(widths[0], 20))
    widths = _level(widths, least, room)
    shrunk = {i: w for i, w in enumerate(widths) if w < natural[i]}
    return _draw(headers, rows, align, shrunk, cut=False)


def _longest(texts) -> int:  # type: ignore[no-untyped-def]
    return max((len(line) for text in texts for line in text.split("\n")), default=0)


def _level(widths: list[int], least: list[int], room: int) -> list[int]:
    """Narrow the widest columns, one character at a time from the top, until they fit in
    ``room`` or none can narrow further."""
    widths = list(widths)
    while sum(widths) > room:
        narrowable = [i for i, w in enumerate(widths) if w > least[i]]
        if not narrowable:
            break
        widest = max(widths[i] for i in narrowable)
        for i in narrowable:
            if widths[i] == widest and sum(widths) > room:
                widths[i] -= 1
    return widths


def _draw(
    headers: list[str],
    rows: list[list[str]],
    align: list[str],
    widths: dict[int, int],
    *,
    cut: bool,
) -> str:
    """tabulate's table, the columns in ``widths`` narrowed to their width: the first cut
    with "..." (``cut``), any other wrapped."""

    def fitted(text: str, column: int) -> str:
        if column not in widths:
            return text
        if cut:
            return _cut(text, widths[column])
        return "\n".join(
            textwrap.wrap(text, widths[column], break_on_hyphens=False, break_long_words=True)
            or [""]
        )

    shown = [[fitted(cell, i) for i, cell in enumerate(row)] for row in rows]
    heads = [fitted(h, i) for i, h in enumerate(headers)]
    # preserve_whitespace keeps the two spaces standing for an absent "~" mark, so the
    # figures stay aligned; trailing spaces are then stripped line by line.
    text = tabulate(shown, headers=heads, tablefmt="simple", colalign=align,
                    disable_numparse=True, preserve_whitespace=True)  # fmt: skip
    return "\n".join(line.rstrip() for line in text.splitlines())


def _facts(block: Facts) -> list[str]:
    """Facts aligned on their labels; those of a listed label (Source) listed under its
    plural."""
    single = [fact for fact in block.items if fact.label not in block.listed]
    lines = []
    width = max((len(fact.label) for fact in single), default=0)
    for fact in single:
        value = fact.value + (f" ({fact.detail})" if fact.detail else "")
        lines += _wrap(f"{fact.label + ':':<{width + 1}} {clean(value)}", " " * (width + 2))
    for label in block.listed:
        listed = [fact for fact in block.items if fact.label == label]
        if listed:
            lines.append(f"{label}s:")
        for fact in listed:
            shown = fact.value + (f": {fact.detail}" if fact.detail else "")
            lines += _wrap(f"- {clean(shown)}", "    ")
    return lines


def block_lines(block: Block) -> list[str]:
    if isinstance(block, Heading):
        heading = clean(block.text)
        rule = "=" if block.level == 1 else "-"
        return [heading, rule * min(len(heading), WIDTH)]
    if isinstance(block, Facts):
        return _facts(block)
    if isinstance(block, Table):
        caption = [*_wrap(clean(block.caption) + ":", "")] if block.caption else []
        return [*caption, table(block)]
    if isinstance(block, Bullets | Notes):
        heading = block.heading if isinstance(block, Bullets) else "Notes"
        lines = [clean(heading) + ":"] if heading else []
        for item in block.items:
            lines += _wrap(f"- {clean(item)}")
        return lines
    if isinstance(block, Paragraph | SmallPrint):
        return _wrap(clean(block.text), "")
    if isinstance(block, Image):
        return _wrap(f"[{clean(block.alt)}: {clean(block.source)}]", "")
    raise TypeError(f"no text for {type(block).__name__}")


def render(document: Document) -> str:
    lines: list[str] = []
    for block in document.blocks:
        lines += ([""] if lines else []) + block_lines(block)
    return "\n".join(lines) + "\n"

"""Data is data: text from input files must never act as markup or terminal control codes."""

from __future__ import annotations

import numbers
import re
import unicodedata
from fractions import Fraction

# "_" only where it could start or end emphasis: file_names_like_this stay readable.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]<>|~]|(?<!\w)_|_(?!\w))|&(?=#?\w+;)")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


#: What a terminal acts on: the C0 controls but the line break, DEL and the C1 controls.
_TERMINAL_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _visible(char: str) -> str:
    return f"\\x{ord(char):02x}"


def clean(text: str, *, lines: bool = False) -> str:
    """Make control characters visible as ``\\xNN`` escapes, so that nothing from a file
    reaches a terminal raw, and no file the tool writes holds a character XML forbids.

    The one function everything printed or written goes through. A name or a cell (the
    default): every control or invisible formatting character (ANSI escapes, bells,
    carriage returns, C1 controls such as the one-byte CSI ``\\x9b``, line breaks, soft
    hyphens, bidirectional overrides) is shown. A whole output or message (``lines=True``:
    every output, message and written file, as a last net): line breaks are kept and only
    what a terminal acts on is shown, as the rest may be data a JSON string rightly holds.
    Escaped text is left as it is: applying it twice changes nothing.
    """
    if lines:
        return _TERMINAL_CONTROLS.sub(lambda m: _visible(m.group()), text)
    if text.isprintable():  # the common case, at C speed
        return text
    return "".join(
        ch if ch.isprintable() or ch == " " or unicodedata.category(ch)[0] != "C" else _visible(ch)
        for ch in text
    )


def markdown_cell(text: str) -> str:
    """Escape text inside a Markdown table cell or after a list marker."""
    return _MARKDOWN_SPECIAL.sub(lambda m: "\\" + (m.group(1) or "&"), clean(text))


def markdown(text: str) -> str:
    """Escape a table cell or line for GitHub-flavoured Markdown.

    Pipes would split cells, ``*``/``_`` would emphasise, ``<script>`` would be HTML: each is
    backslash-escaped so it shows literally.
    """
    escaped = markdown_cell(text)
    # A leading "#", "-", "1." would make a heading or a list item.
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], escaped)


#: A spreadsheet runs a cell starting with one of these as a formula (OWASP's list: "=",
#: "+", "-", "@", tab, carriage return), and some read the full-width forms alike.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_cell(value: object) -> object:
    """One CSV cell, the way every CSV writer of the tool writes it.

    A number stays a number (an exact fraction written as a float), so a spreadsheet can
    sum it; text is data: its control characters are made visible and, where a spreadsheet
    would run it as a formula (``=HYPERLINK(...)``, ``@SUM(...)``), it is prefixed with
    ``'``, which spreadsheets read as "this is text" and do not show.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, numbers.Number):
        return value
    raw = str(value)
    text = clean(raw)
    return "'" + text if raw.lstrip(" ").startswith(FORMULA_START) else text

"""Data is data: text from input files must never act as markup or terminal control codes."""

from __future__ import annotations

import numbers
import re
import unicodedata
from fractions import Fraction

# "_" only where it could start or end emphasis: file_names_like_this stay readable.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]<>|~]|(?<!\w)_|_(?!\w))|&(?=#?\w+;)")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def clean(text: str) -> str:
    """Replace control characters (ANSI escapes, bells, carriage returns...) with visible
    ``\\xNN`` escapes, so nothing from a file reaches a terminal raw."""
    return "".join(
        ch if unicodedata.category(ch)[0] != "C" or ch == " " else f"\\x{ord(ch):02x}"
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

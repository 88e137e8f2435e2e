"""Data is data: text from input files must never act as markup or terminal control codes."""

from __future__ import annotations

import re
import unicodedata

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

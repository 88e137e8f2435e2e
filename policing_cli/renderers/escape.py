"""Data is data: text from input files must never act as markup or terminal control codes."""

from __future__ import annotations

import numbers
import re
import unicodedata
from fractions import Fraction

# Markdown is escaped only where a character would act as markup where it stands, so that
# an email read as plain text shows no backslashes (a "~" mark, a "p >= 0.05", a "[1/12]"
# are written as they are), and so that Python-Markdown, which knows fewer escapes than
# CommonMark ("\~" shows literally), renders it too.
_MD_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~])")  # a backslash that would escape
_MD_CODE = re.compile(r"`")
_MD_STAR = re.compile(r"(?<!\s)\*|\*(?!\s)")  # "*" that could open or close emphasis
_MD_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")  # file_names_like_this stay
_MD_TILDES = re.compile(r"~{2,}")  # strikethrough takes two
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_TAG = re.compile(r"<(?=[A-Za-z/!?])")  # raw HTML, an autolink
_MD_LINK = re.compile(r"\](?=[(\[:])")  # "](url)", "][ref]", "]: url"
#: What starts a heading, a quote or a list at the start of a line ("-0.7%" and "1.4%" do not).
_MD_LINE_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|[+*-](?=\s|$)|\d{1,9}[.)](?=\s|$))")

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


def _markdown(text: str, *, brackets: bool = False) -> str:
    text = _MD_BACKSLASH.sub(r"\\\\", clean(text))
    text = _MD_ENTITY.sub("&amp;", text)
    text = _MD_TAG.sub("&lt;", text)
    text = _MD_CODE.sub(r"\\`", text)
    text = _MD_STAR.sub(r"\\*", text)
    text = _MD_UNDERSCORE.sub(r"\\_", text)
    text = _MD_TILDES.sub(lambda m: "&#126;" * len(m.group()), text)
    if brackets:
        return text.replace("[", "\\[").replace("]", "\\]")
    return _MD_LINK.sub(r"\\]", text)


def markdown_inline(text: str) -> str:
    """Text within a line of Markdown (after a list marker or a label): each character
    that would act as markup there shown as itself, by a backslash escape that both
    CommonMark and Python-Markdown read, or an entity where no escape works in both."""
    return _markdown(text)


def markdown_cell(text: str) -> str:
    """Text in a table cell: as inline text, and a "|" would split the cell."""
    return _markdown(text).replace("|", "\\|")


def markdown_link_text(text: str) -> str:
    """Text between a link's brackets, in a table cell: a bracket would end it."""
    return _markdown(text, brackets=True).replace("|", "\\|")


def markdown(text: str) -> str:
    """A line or list item of its own: as inline text, and a leading "#", ">", "-", "+",
    "=" or "1." would make a heading, a quote or a list."""
    escaped = markdown_inline(text)
    return _MD_LINE_START.sub(
        lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], escaped
    )


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

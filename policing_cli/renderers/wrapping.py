"""Lines of text that fit a width, breaking long names (file names, paths) after one of their
own separators rather than in the middle of a word, and sparklines fitted by dropping their
oldest months, never their newest."""

from __future__ import annotations

import re

#: Where a long word may break, best first: after these, so "..._2023-03_to_" ends a line
#: and "2025-02.csv" starts the next; a hyphen (inside a date) or a dot only where no
#: better break fills at least half the line.
SEPARATORS = ("_/\\", "-", ".,")


def _break(word: str, left: int) -> int:
    """Where in ``word`` to break within ``left`` characters: the index of the separator the
    piece ends with, or -1 where there is none."""
    best = -1
    for tier in SEPARATORS:
        cut = max(word.rfind(mark, 1, left) for mark in tier)
        if cut >= left // 2:
            return cut
        best = max(best, cut) if best < 0 else best
    return best


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` wrapped to ``width`` between words; lines after the first start with
    ``indent``. A word too long for any line (a file name) is broken after one of its
    separators, filling the line it starts on; cut at the width only where it has none."""
    width = max(width, len(indent) + 8)
    lines: list[str] = []
    line = ""
    # Words with the spaces before them, kept as written within a line (a label padded to
    # line up with the others keeps its padding); a break drops them.
    for gap, word in re.findall(r"( *)(\S+)", text):
        while word:
            room = width - (len(indent) if lines else 0)
            space = gap if line else ""
            left = room - len(line) - len(space)
            if len(word) <= left:
                line, word = line + space + word, ""
                continue
            if line and len(word) <= width - len(indent):  # fits on a line of its own
                lines.append(line)
                line = ""
                continue
            cut = _break(word, left) if left > 1 else -1
            if cut <= 0:
                if line:
                    lines.append(line)
                    line = ""
                    continue
                cut = left - 1
            lines.append(line + space + word[: cut + 1])
            line, word, gap = "", word[cut + 1 :], ""
    if line or not lines:
        lines.append(line)
    return [lines[0], *(indent + rest for rest in lines[1:])]


_SPAN = re.compile(r"(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$")


def newest_marks(
    cells: list[str], heading: str, room: int, ascii_only: bool = False
) -> tuple[list[str], str]:
    """Sparklines cut to the newest months that fit in ``room`` behind a "…" ("..." in
    ASCII), and the heading's span ("Monthly, 2022-04..2024-03") moved to the months still
    shown; unchanged where they fit."""
    longest = max((len(c) for c in cells), default=0)
    if longest <= room:
        return cells, heading
    ascii_only = ascii_only or all(c.isascii() for c in cells)
    marker = "..." if ascii_only else "\u2026"
    keep = max(room - len(marker), 3)
    shown = [marker + c[-keep:] if len(c) > keep else c for c in cells]
    found = _SPAN.search(heading)
    if found:
        end_year, end_month = int(found.group(3)), int(found.group(4))
        last = end_year * 12 + end_month - 1
        first = last - keep + 1
        start = f"{first // 12:04d}-{first % 12 + 1:02d}"
        heading = heading[: found.start()] + f"{start}..{found.group(3)}-{found.group(4)}"
    return shown, heading

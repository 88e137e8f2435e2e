"""Narrow terminals (issue 15): at COLUMNS=60 the rich table's sparklines used to be cut with
"...", dropping the 7 newest months; file names broke in mid-word. Now the newest months
that fit are shown (the heading names them) and names break after their separators."""

from __future__ import annotations

import re

from click.testing import CliRunner

from policing_cli.cli import main
from policing_cli.renderers.wrapping import newest_marks, wrap

ANSI = re.compile(r"\x1b\[[0-9;]*m")
NAME = "MPS_Borough_Level_Crime_most_recent_24_months_2023-03_to_2025-02.csv"


def terminal(*args: str, columns: int) -> list[str]:
    result = CliRunner().invoke(main, [*args, "--color"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return ANSI.sub("", result.stdout).splitlines()


def test_a_file_name_breaks_after_a_separator():
    assert wrap(f"Source: {NAME} (2023-03..2024-03)", 60, "  ") == [
        "Source: MPS_Borough_Level_Crime_most_recent_24_months_",
        "  2023-03_to_2025-02.csv (2023-03..2024-03)",
    ]
    assert wrap(f"- {NAME}", 80, "    ") == [f"- {NAME}"]  # fits: unchanged
    # A label padded to line up with the others keeps its padding.
    padded = f"Source:        {NAME} (2023-03..2024-03)"
    assert wrap(padded, 80, " " * 15) == [
        "Source:        MPS_Borough_Level_Crime_most_recent_24_months_2023-03_to_",
        "               2025-02.csv (2023-03..2024-03)",
    ]


def test_sparklines_keep_their_newest_months():
    marks = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588\u2581\u2582"  # 10 months
    cells, heading = newest_marks([marks], "Monthly, 2023-06..2024-03", 5)
    assert cells == ["\u2026" + marks[-4:]]  # the 4 newest of 10 months
    assert heading == "Monthly, 2023-12..2024-03"  # Dec, Jan, Feb, Mar
    assert newest_marks([marks[:3]], "Monthly, 2024-01..2024-03", 5) == (
        [marks[:3]],
        "Monthly, 2024-01..2024-03",
    )
    # ASCII sparklines (--ascii, or a console that cannot show "…") get "...".
    assert newest_marks(["_.-:=+*#_."], "x", 6)[0] == ["...#_."]
    assert newest_marks([marks], "x", 6, ascii_only=True)[0] == ["..." + marks[-3:]]


def test_a_60_column_terminal_shows_the_newest_months_and_whole_names():
    wide = terminal("report", "bexley", columns=200)
    narrow = terminal("report", "bexley", columns=60)
    assert all(len(line) <= 60 for line in narrow)

    def sparks(lines: list[str]) -> dict[str, str]:
        found = {}
        for line in lines:
            cells = [c.strip() for c in line.split("\u2502")]
            if len(cells) == 6 and re.fullmatch(r"\u2026?[\u2581-\u2588 ]+", cells[2] or "-"):
                found[cells[1]] = cells[2]
        return found

    full, cut = sparks(wide), sparks(narrow)
    assert full["Total robbery"] and len(full["Total robbery"]) == 24  # Apr 2022 - Mar 2024
    shown = cut["Total robbery"]
    assert shown.startswith("\u2026") and full["Total robbery"].endswith(shown[1:])
    months = len(shown) - 1
    assert 8 <= months < 24
    first = 2024 * 12 + 2 - months + 1  # the month index of the first mark shown
    span = f"{first // 12}-{first % 12 + 1:02d}..2024-03"
    assert any(span in line for line in narrow), span
    # The file name is whole once its pieces are joined, broken after an underscore.
    text = "\n".join(narrow)
    assert "most_recent_24_months_\n  2023-03_to_2025-02.csv" in text

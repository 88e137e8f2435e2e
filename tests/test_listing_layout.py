"""Listings look like the report: headings for people, figures written as a report writes
them (thousands separators, signed changes, % to one place), right-aligned, and piped text
within 80 columns; and every format comes from one registry, so a new format is one module
and one line.

The figures are checked against the JSON of the same command and of ``report`` (which the
independent recount, tests/test_recount_london.py, checks against the raw files); the
formatting is written here by hand (f-strings, Decimal rounding), not by the package.
"""

from __future__ import annotations

import json
import re
import sys
from decimal import ROUND_HALF_UP, Decimal

import pytest
from click.testing import CliRunner

from policing_cli.cli import main
from policing_cli.renderers import formats

PERIOD = ("--period", "2023/24")
CATEGORY = "Residential burglary"


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def pct(count: int, base: int) -> str:
    value = (Decimal(count - base) * 100 / Decimal(base)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return f"+{value}%" if value > 0 else f"{value}%"


def signed(number: int) -> str:
    return f"{number:+,}" if number else "0"


def test_rank_text_is_written_like_the_report() -> None:
    rows = json.loads(run("rank", *PERIOD, "--category", CATEGORY, "--format", "json"))["rows"]
    text = run("rank", *PERIOD, "--category", CATEGORY, "--format", "text")
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    header = next(line for line in lines if line.lstrip().startswith("Rank"))
    assert "% change" in header and "Rate 2023" in header
    assert "pct_change" not in text and "per_1000" not in text
    for row in rows:
        line = next(line for line in lines if f"  {row['area']}  " in line)
        count, base = row["2023/24"], row["2022/23"]
        cells = [
            str(row["rank"]),
            f"{count:,}",
            f"{base:,}",
            signed(count - base),
            pct(count, base),
        ]
        assert re.search(r"\s+".join(map(re.escape, cells[1:])), line), (line, cells)
        assert line.split()[0] == cells[0]
        # Figures right-aligned under their heading.
        assert line.index(f"{count:,}") + len(f"{count:,}") == header.index("2023/24") + 7
    # Hand-checked: Haringey 1,225 against 1,367, 142 fewer, -10.4%; Sutton 609 against 758.
    assert re.search(r"\bHaringey\s+1,225\s+1,367\s+-142\s+-10\.4%", text)
    assert re.search(r"\bSutton\s+609\s+758\s+-149\s+-19\.7%", text)


def test_rank_figures_are_each_borough_report_figures() -> None:
    """The league and each borough's report find the same figures (the report's are
    recounted from the raw files)."""
    rows = json.loads(run("rank", *PERIOD, "--category", CATEGORY, "--format", "json"))["rows"]
    assert len(rows) == 32
    for row in rows[::7]:
        report = json.loads(run("report", row["area"], *PERIOD, "--format", "json"))
        found = next(r for r in report["rows"] if r["category"] == CATEGORY)
        assert (found["count"], found["baseline_count"]) == (row["2023/24"], row["2022/23"])


def test_compare_is_written_like_the_report_within_80_columns() -> None:
    text = run("compare", "bexley", "bromley", "greenwich", *PERIOD, "--format", "text")
    assert all(len(line) <= 80 for line in text.splitlines())
    for area in ("bexley", "bromley", "greenwich"):
        report = json.loads(run("report", area, *PERIOD, "--format", "json"))
        total = next(r for r in report["rows"] if r["category"] == "Total notifiable offences")
        assert f"{total['count']:,}" in text
        assert pct(total["count"], total["baseline_count"]) in text
    # Hand-checked from the report golden: Bexley 16,704 against 15,746, +6.1%.
    line = next(line for line in text.splitlines() if line.startswith("Total notifiable"))
    assert re.search(r"16,704\s+\+6\.1%", line)


@pytest.mark.parametrize(
    "args",
    [("areas",), ("categories",), ("periods",), ("trend", "bexley"),
     ("rank", "--category", "Theft"), ("compare", "bexley", "bromley", "greenwich")],
)  # fmt: skip
def test_piped_listings_fit_80_columns(args: tuple[str, ...]) -> None:
    text = run(*args, "--format", "text")
    widest = max(text.splitlines(), key=len)
    assert len(widest) <= 80, widest
    assert not re.search(r"\b[a-z]+_[a-z_0-9]+\b", text.split("\n\n")[1]), "machine headings"


def test_trend_counts_have_separators_and_json_keys_stay() -> None:
    data = json.loads(run("trend", "bexley", "--format", "json"))
    assert set(data["rows"][0]) == {"month", "count", "rolling_12_months"}
    text = run("trend", "bexley", "--format", "text")
    assert "Rolling 12 months" in text.replace("\n", " ") or "Rolling" in text
    last = data["rows"][-1]
    line = next(line for line in text.splitlines() if line.startswith(last["month"]))
    assert line.split()[1:] == [f"{last['count']:,}", f"{last['rolling_12_months']:,}"]


def test_a_new_format_is_one_module_and_one_registration(tmp_path, monkeypatch) -> None:
    """A format module in a folder of its own, registered with one line: the snapshot
    writes its files for every area, through the same documents as the other formats."""
    (tmp_path / "plain_titles.py").write_text(
        "def render(document):\n    return document.title + '\\n'\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(formats, "FORMATS", dict(formats.FORMATS))
    formats.register(formats.Format("titles", "title", "plain_titles:render"))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["snapshot", *PERIOD, "--out", str(out), "--format", "titles", "-q"]
    )
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (out / "2023-24").glob("*.title"))
    assert len(written) == 32 and "bexley.title" in written
    assert (out / "2023-24" / "bexley.title").read_text() == "Bexley: 2023/24 against 2022/23\n"
    sys.modules.pop("plain_titles", None)

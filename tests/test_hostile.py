"""Hostile inputs: every command gives one line on stderr, exit 1, never a traceback, and
data from files never acts as markup or terminal control codes."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from policing_cli.cli import main

from .helpers import one_line_error

HOSTILE = sorted((Path(__file__).parent / "hostile").iterdir())
#: What each hostile file's one-line error must say: where (line:column) and why.
REASONS = {
    "bad_period.csv": ":2:2: period '2023-13' is not a month",
    "binary.csv": ": looks binary (NUL bytes)",
    "blank_area.csv": ":2:1: blank area: expected a name",
    "blank_count.csv": ":2:4: blank count: expected a whole number",
    "dash.csv": ":2:4: count '-' is not a whole number",
    "duplicate_header.csv": ":1:5: column 'count' appears twice in the header",
    "duplicate_rows.csv": ":3: Bexley / 2023/24 / Robbery appears twice",
    "duplicate_rows_other_spelling.csv": ":3: Kensington and Chelsea / 2023/24 / Robbery appears twice",
    "embedded_newline_count.csv": ":3:4: count '1\\n2' is not a whole number",
    "empty.csv": ": is empty: expected a header line and data rows",
    "exponent.csv": ":2:4: count '1e3' is not a whole number",
    "fake.zip": ": is not a readable zip archive",
    "fractional.csv": ":2:4: count '1.5' is not a whole number",
    "header_only.csv": ": has a header but no data rows",
    "huge_count.csv": ":2:4: count 99999999999 is implausibly large",
    "impossible_month.csv": ":1:4: column '202413' is not a real month",
    "na.csv": ":2:4: count 'n/a' is not a whole number",
    "negative.csv": ":2:4: count '-4' is not a whole number",
    "semicolon.csv": ":1: is semicolon-separated: expected comma-separated values",
    "street_bad_month.csv": "month '2024-13' is not a month written YYYY-MM",
    "street_header_only.csv": ": has a header but no data rows",
    "street_truncated.csv": ":3: is not a valid street-level CSV",
    "tab.csv": ":1: is tab-separated: expected comma-separated values",
    "truncated.csv": ":3: has 3 fields, expected 4 like the header (is the file cut off?)",
    "unknown_layout.csv": ":1: unknown layout (header 'a,b,c')",
    "wide_bad_column.csv": ":1:5: unexpected column 'Oops': expected month columns",
    "wide_duplicate.csv": ":3: the same area and category appear twice in this file",
    "wide_non_numeric.csv": ":2:5: count 'x' is not a whole number",
}
COMMANDS = [
    ["report", "bexley", "--period", "2023/24"],
    ["areas"],
    ["categories"],
    ["periods"],
]


def test_every_hostile_file_has_its_reason_written_down():
    assert sorted(p.name for p in HOSTILE) == sorted(REASONS)


def test_a_month_in_the_future_is_refused(runner, tmp_path):
    """Two years after today, whenever the tests run (a fixed year would expire)."""
    import datetime

    today = datetime.date.today()
    future = f"{today.year + 2}{today.month:02d}"
    path = tmp_path / "future_month.csv"
    path.write_text(
        f"Borough,Major Category,Minor Category,{future}\nBexley,Robbery,Personal Property,3\n"
    )
    result = runner.invoke(main, ["report", "bexley", "--data", str(path), "--no-cache"])
    one_line_error(result, path.name, f":1:4: column '{future}' is a month in the future")


@pytest.mark.parametrize("path", HOSTILE, ids=lambda p: p.name)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_hostile_file_every_command(runner, path, command):
    result = runner.invoke(main, [*command, "--data", str(path), "--no-cache"])
    one_line_error(result, path.name, REASONS[path.name])


@pytest.mark.parametrize("path", HOSTILE, ids=lambda p: p.name)
def test_validate_lists_problems(runner, path):
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert path.name in result.stdout
    assert "Traceback" not in result.output
    data = json.loads(runner.invoke(main, ["validate", str(path), "--format", "json"]).stdout)
    assert data["ok"] is False and data["files"][0]["problems"]


def test_validate_reports_every_problem_not_only_the_first(runner, tmp_path):
    path = tmp_path / "many.csv"
    path.write_text(
        "area,period,category,count\n"
        "Bexley,2023/24,Robbery,n/a\n"
        "Bexley,2023/25,Burglary,1\n"
        "Bexley,2023/24,Theft,-1\n"
        ",2023/24,Drugs,1\n"
    )
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert lines[:4] == [
        f"{path}:2:4: count 'n/a' is not a whole number of offences (0 or more)",
        f"{path}:3:2: period '2023/25' is not a month (2024-10), financial year (2023/24) or calendar year (2023)",
        f"{path}:4:4: count '-1' is not a whole number of offences (0 or more)",
        f"{path}:5:1: blank area: expected a name",
    ]
    assert lines[-1] == "4 problem(s) in 1 of 1 file(s)"


def test_validate_clean_files(runner):
    folder = Path(__file__).resolve().parents[1] / "sample_data" / "leaflet"
    result = runner.invoke(main, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("no problems")


def test_missing_file_and_folder_as_output(runner, tmp_path):
    result = runner.invoke(main, ["report", "bexley", "--data", str(tmp_path / "nope.csv")])
    one_line_error(result, "nope.csv")
    result = runner.invoke(main, ["report", "bexley", "-o", str(tmp_path)])
    assert result.exit_code == 2  # click refuses a folder for a file option


def test_unwritable_output_leaves_nothing(runner, tmp_path):
    target = tmp_path / "missing-folder" / "out.md"
    result = runner.invoke(main, ["report", "bexley", "--format", "markdown", "-o", str(target)])
    one_line_error(result, "out.md")
    assert not target.parent.exists()


def tidy(tmp_path: Path, rows: list[tuple[str, str, str, int]], *, encoding: str = "utf-8") -> Path:
    path = tmp_path / "counts.csv"
    text = "area,period,category,count\n" + "".join(f"{a},{p},{c},{n}\n" for a, p, c, n in rows)
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16", b""), ("cp1252", b"")],
)
def test_encodings_read_correctly(runner, tmp_path, encoding, prefix):
    path = tidy(tmp_path, [("Bexley", "2023/24", "Fraud \u00a3 \u201cquoted\u201d", 5),
                           ("Bexley", "2022/23", "Fraud \u00a3 \u201cquoted\u201d", 4)], encoding=encoding)  # fmt: skip
    path.write_bytes(prefix + path.read_bytes())
    result = runner.invoke(main, ["report", "bexley", "--data", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    assert rows[0]["category"] == "Fraud \u00a3 \u201cquoted\u201d"
    assert (rows[0]["count"], rows[0]["baseline_count"]) == (5, 4)


HOSTILE_NAMES = [
    "[bold red]x[/]",
    "\x1b[31mred\x1b[0m",
    "<script>alert(1)</script>",
    "a|b|c",
    "*star* _under_ `code`",
    "# heading",
    "bell\x07and\rcr",
]


@pytest.mark.parametrize("fmt", ["table", "text", "markdown", "json", "csv"])
def test_data_is_data(runner, tmp_path, fmt):
    rows = []
    for name in HOSTILE_NAMES:
        rows += [("Bexley", "2023/24", name.replace(",", ";"), 3), ("Bexley", "2022/23", name, 0)]
    path = tmp_path / "counts.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        import csv

        writer = csv.writer(out)
        writer.writerow(["area", "period", "category", "count"])
        writer.writerows(rows)
    result = runner.invoke(
        main, ["report", "bexley", "--data", str(path), "--format", fmt, "--color"]
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    controls = {ch for ch in out if ord(ch) < 32 and ch not in "\n"} - (
        {"\x1b"} if fmt == "table" else set()
    )
    assert not controls, controls
    if fmt == "table":
        assert "[bold red]x[/]" in out  # shown literally, not as markup
        assert "\x1b[31mred" not in out  # the file's escape code never reaches the terminal
    if fmt == "markdown":
        # Escaped only where it would act ("<script" as an entity: no escape works for "<"
        # in both CommonMark and Python-Markdown); tests/test_markdown_email.py renders it.
        assert "&lt;script>" in out and "a\\|b\\|c" in out and "\\*star\\*" in out
        table = [line for line in out.splitlines() if line.startswith("|")]
        assert len({line.count("|") - line.count("\\|") for line in table}) == 1
    if fmt == "json":
        data = json.loads(out)
        assert {r["category"] for r in data["rows"]} >= {"<script>alert(1)</script>", "a|b|c"}
    if fmt == "csv":
        assert "'# heading" not in out  # only formula-like cells are quoted


def test_month_gap_is_reported_not_read_as_zero(runner, tmp_path):
    months = [f"2023{m:02d}" for m in range(1, 13) if m != 6] + [
        f"2024{m:02d}" for m in range(1, 13)
    ]
    path = tmp_path / "gap.csv"
    path.write_text(
        "MajorText,MinorText,BoroughName," + ",".join(months) + "\n"
        "ROBBERY,ROBBERY OF PERSONAL PROPERTY,Bexley," + ",".join("10" for _ in months) + "\n"
    )
    result = runner.invoke(
        main, ["report", "bexley", "--data", str(path), "--period", "2024", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert any("2023-06" in note and "missing" in note for note in data["notes"])
    assert all(row["baseline_count"] is None for row in data["rows"])  # 11 of 12: not compared
    assert any("only partly in the data (11 of 12 months)" in note for note in data["notes"])


def test_month_columns_out_of_order_are_read_by_name(runner, tmp_path):
    path = tmp_path / "order.csv"
    path.write_text(
        "MajorText,MinorText,BoroughName,202402,202401\n"
        "ROBBERY,ROBBERY OF PERSONAL PROPERTY,Bexley,7,3\n"
    )
    result = runner.invoke(
        main, ["report", "bexley", "--data", str(path), "--period", "2024-02", "--format", "json"]
    )
    data = json.loads(result.stdout)
    assert data["rows"][0]["count"] == 7
    assert any("out of order" in note for note in data["notes"])

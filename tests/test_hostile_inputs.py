"""Issue 13, a hostile review: inputs built to hurt. Every bad input is a one-line error on
stderr naming the file (and line and column where there is one) and why, exit 1 (2 for a
bad option), never a traceback or "internal error"; files that can be read in another way
(UTF-16, Windows-1252) are read, with a note saying so."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from policing_cli.cli import main
from policing_cli.loaders import police_uk, street_counts, street_keys

from .helpers import one_line_error

STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
MET = "Metropolitan Police Service"
MEMBER = "2024-01/2024-01-metropolitan-street.csv"


def street_text(rows: int = 6, crime_type: str = "Burglary") -> str:
    line = (
        f"abc,2024-01,{MET},{MET},0.1,51.4,On or near Somewhere,E01000001,Bexley 001A,"
        f"{crime_type},Under investigation,"
    )
    return "\r\n".join([STREET_HEADER, *[line] * rows]) + "\r\n"


def make_zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def patch_headers(path: Path, *, flag: int | None = None, method: int | None = None) -> None:
    """Set the general-purpose flag bits or the compression method of every entry, in both
    the local headers and the central directory (Python's zipfile cannot write encrypted
    or Deflate64 members, so they are made by hand, as a hostile file would be)."""
    raw = bytearray(path.read_bytes())
    for signature, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = raw.find(signature)
        while start != -1:
            if flag is not None:
                raw[start + flag_at : start + flag_at + 2] = flag.to_bytes(2, "little")
            if method is not None:
                raw[start + method_at : start + method_at + 2] = method.to_bytes(2, "little")
            start = raw.find(signature, start + 4)
    path.write_bytes(bytes(raw))


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def street_report(*data: Path, extra: tuple[str, ...] = ()):
    args = ["report", "bexley", "--period", "2024-01", "--format", "json", "--no-cache"]
    for path in data:
        args += ["--data", str(path)]
    return run(*args, *extra)


def burglaries(result) -> int:
    assert result.exit_code == 0, (result.output, result.stderr)
    rows = json.loads(result.stdout)["rows"]
    return next(row["count"] for row in rows if row["category"] == "Burglary")


# -- 1. bounded memory for street files ----------------------------------------------------


def test_parse_plan_bounds_rows_not_only_bytes():
    """A 1.5 GB member of 24-byte rows (64 million rows, a 4 MB zip) was parsed whole and
    peaked at 2.4 GB: now the rows are counted first and it is streamed in blocks of at most
    MAX_BLOCK_ROWS rows, whatever the rows' length."""
    size = 1_500_000_000
    counted = []

    def rows_up_to(limit: int) -> int:
        counted.append(limit)
        return size // 24 if size // 24 <= limit else limit + 1

    plan = street_counts.plan_parse(size, 12, rows_up_to)
    assert counted == [street_counts.WHOLE_FILE_ROWS]
    assert not plan.whole
    assert plan.max_rows <= street_counts.MAX_BLOCK_ROWS
    # Even rows of one byte per field cannot put more rows than that in one block.
    assert plan.block_size // 12 <= street_counts.MAX_BLOCK_ROWS
    # 1.2 GB of ordinary rows (about 5 million) is still parsed whole (the fast way)...
    ordinary = street_counts.plan_parse(1_200_000_000, 12, lambda limit: 5_000_000)
    assert ordinary.whole and ordinary.max_rows <= street_counts.WHOLE_FILE_ROWS
    # ... and a small file never needs counting: its size alone bounds its rows.
    small = street_counts.plan_parse(10_000_000, 12, lambda limit: pytest.fail("counted"))
    assert small.whole


def test_short_rows_are_streamed_in_row_bounded_blocks(tmp_path, monkeypatch):
    """On a small synthetic file, with the limits made small: a file of many short rows is
    not parsed whole, every block holds at most MAX_BLOCK_ROWS rows, and the counts are
    those of the whole parse, from a plain file and from an archive member alike."""
    short = "\n".join(
        [STREET_HEADER]
        + [f",2024-01,,{MET},,,,,Bexley 1,{'T' if i % 3 else 'U'},O," for i in range(3000)]
    )
    plain = tmp_path / "2024-01-metropolitan-street.csv"
    plain.write_text(short + "\n", encoding="utf-8")
    archive = make_zip(tmp_path / "short.zip", {MEMBER: plain.read_bytes()})
    expected = police_uk.load(plain).frame[["minor", "count"]].values.tolist()

    monkeypatch.setattr(street_counts, "WHOLE_FILE_ROWS", 500)
    monkeypatch.setattr(street_counts, "MAX_BLOCK_ROWS", 64)
    plans, batches = [], []
    real_plan, real_pack = street_counts.plan_parse, street_keys.pack

    def spy_plan(*args):
        plans.append(real_plan(*args))
        return plans[-1]

    def spy_pack(batch, codes):
        batches.append(batch.num_rows)
        return real_pack(batch, codes)

    monkeypatch.setattr(street_counts, "plan_parse", spy_plan)
    monkeypatch.setattr(street_keys, "pack", spy_pack)
    for loaded in (police_uk.load(plain), police_uk.load_many([(archive, MEMBER)], "short.zip")):
        assert loaded.frame[["minor", "count"]].values.tolist() == expected
    assert [plan.whole for plan in plans] == [False, False]
    assert all(plan.max_rows <= 64 for plan in plans)
    assert batches and max(batches) <= 64 and sum(batches) == 2 * 3000


def test_count_lines_stops_past_its_limit_and_bounds_the_rows(tmp_path):
    path = tmp_path / "lines.csv"
    path.write_bytes(b"a\r\nb\r\n" * 1000)
    assert street_counts.count_lines(lambda: path.open("rb"), 10**9) == 2000  # CR LF: exact
    path.write_bytes(b"a\r\nb\rc\nd\n" * 1000)  # 4000 rows, lone CRs and LFs mixed
    assert 2 * street_counts.count_lines(lambda: path.open("rb"), 10**9) >= 4000
    path.write_bytes(b"a\n" * 3 * street_counts.COUNT_CHUNK)
    assert street_counts.count_lines(lambda: path.open("rb"), 10) < 3 * street_counts.COUNT_CHUNK


# -- 2 and 7. archive members: encrypted, damaged, unsupported, nested; encodings ----------


def test_encrypted_member_is_a_one_line_error(tmp_path):
    archive = make_zip(tmp_path / "locked.zip", {MEMBER: street_text().encode()})
    patch_headers(archive, flag=0x1)
    one_line_error(street_report(archive), f"locked.zip:{MEMBER}", "is encrypted (password")


def test_deflate64_member_is_a_one_line_error(tmp_path):
    archive = make_zip(tmp_path / "big.zip", {MEMBER: street_text().encode()})
    patch_headers(archive, method=9)
    one_line_error(
        street_report(archive), f"big.zip:{MEMBER}", "compressed with Deflate64 (zip method 9)"
    )


def test_member_failing_its_crc_check_is_a_one_line_error(tmp_path):
    archive = make_zip(tmp_path / "bad.zip", {MEMBER: street_text().encode()}, zipfile.ZIP_STORED)
    raw = bytearray(archive.read_bytes())
    at = raw.index(b"Bexley 001A", raw.index(b"Burglary"))
    raw[at] = ord("C")
    archive.write_bytes(bytes(raw))
    one_line_error(street_report(archive), f"bad.zip:{MEMBER}", "is damaged (Bad CRC-32")


def test_archive_whose_street_files_are_in_an_inner_archive_says_so(tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr(MEMBER, street_text())
    outer = make_zip(tmp_path / "outer.zip", {"police-data.zip": inner.getvalue()})
    one_line_error(
        street_report(outer), "outer.zip", "holds no *-street.csv files", "police-data.zip"
    )


def test_inner_archive_beside_street_files_is_noted_not_dropped_silently(tmp_path):
    outer = make_zip(
        tmp_path / "outer.zip",
        {MEMBER: street_text().encode(), "more/2024-02.zip": b"PK\x05\x06" + bytes(18)},
    )
    result = street_report(outer)
    assert burglaries(result) == 6
    assert "outer.zip holds 1 zip archive(s) inside it (more/2024-02.zip), not read" in (
        result.stderr
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "cp1252"])
@pytest.mark.parametrize("zipped", [False, True])
def test_street_files_in_utf16_or_cp1252_are_read_with_a_note(tmp_path, encoding, zipped):
    """Excel's "Unicode text" (UTF-16, with or without BOM) and Windows "CSV" (cp1252, where
    a curly apostrophe is one byte): counted like UTF-8, and the note says how it was read."""
    text = street_text(crime_type="Burglary") + street_text(3, "Other’s theft").split("\r\n", 1)[1]
    data = text.encode(encoding)
    if zipped:
        path = make_zip(tmp_path / "street.zip", {MEMBER: data})
    else:
        path = tmp_path / "2024-01-metropolitan-street.csv"
        path.write_bytes(data)
    result = street_report(path)
    assert burglaries(result) == 6
    rows = json.loads(result.stdout)["rows"]
    assert any(row["category"] == "Other’s theft" and row["count"] == 3 for row in rows), rows
    said = "not UTF-8; read as Windows-1252" if encoding == "cp1252" else "saved as UTF-16"
    assert said in result.stderr


def test_street_file_neither_utf8_nor_cp1252_is_a_one_line_error(tmp_path):
    path = tmp_path / "2024-01-metropolitan-street.csv"
    path.write_bytes(street_text().encode() + b"x,2024-01,,M,,,,,Bexley 1,Bad\x81,O,\r\n")
    one_line_error(street_report(path), path.name, "is neither UTF-8 nor Windows-1252")


def test_validate_goes_on_after_an_unreadable_archive_and_prints_json(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    locked = make_zip(folder / "a-locked.zip", {MEMBER: street_text().encode()})
    patch_headers(locked, flag=0x1)
    make_zip(folder / "b-nested.zip", {"inner.zip": b"PK\x05\x06" + bytes(18)})
    (folder / "c-good-street.csv").write_text(street_text(), encoding="utf-8")
    result = run("validate", str(folder), "--format", "json")
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    by_name = {Path(item["path"]).name: item["problems"] for item in payload["files"]}
    assert list(by_name) == ["a-locked.zip", "b-nested.zip", "c-good-street.csv"]
    assert "is encrypted" in by_name["a-locked.zip"][0]["message"]
    assert "inner.zip" in by_name["b-nested.zip"][0]["message"]
    assert by_name["c-good-street.csv"] == []
    assert payload["ok"] is False
    text = run("validate", str(folder))
    assert text.exit_code == 1
    assert "2 problem(s) in 2 of 3 file(s)" in text.stdout


# -- 3. one set of count rules for every layout --------------------------------------------

WIDE = "MajorText,MinorText,BoroughName,202301,202302\nROBBERY,ROBBERY OF PERSONAL PROPERTY,Bexley,3,{}\n"
TIDY = "area,period,category,count\nBexley,2023-02,Robbery,{}\n"


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("99999999", "count 99999999 is implausibly large (more than 10,000,000)"),
        ("10000001", "count 10000001 is implausibly large (more than 10,000,000)"),
        ("²", "count '²' is not a whole number of offences"),
        ("①", "count '①' is not a whole number of offences"),
        ("٣", "count '٣' is not a whole number of offences"),
    ],
)
@pytest.mark.parametrize(("layout", "column"), [(WIDE, 5), (TIDY, 4)], ids=["wide", "tidy"])
def test_the_same_count_gets_the_same_error_in_every_layout(tmp_path, cell, reason, layout, column):
    path = tmp_path / "counts.csv"
    path.write_text(layout.format(cell), encoding="utf-8")
    result = run("areas", "--data", str(path), "--no-cache")
    one_line_error(result, f"counts.csv:2:{column}: {reason}")


def test_largest_plausible_count_is_accepted_in_wide_files(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text(WIDE.format("10000000"), encoding="utf-8")
    result = run("areas", "--data", str(path), "--no-cache")
    assert result.exit_code == 0, result.stderr


# -- 4. --alpha nan ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf"])
def test_alpha_that_is_not_a_number_is_a_usage_error(value):
    result = run("report", "bexley", "--period", "2023/24", f"--alpha={value}")
    line = one_line_error(result, "Invalid value for '--alpha'", code=2, usage=True)
    assert value in line


def test_alpha_nan_from_the_environment_is_a_usage_error():
    result = run("report", "bexley", "--period", "2023/24", env={"POLICING_ALPHA": "nan"})
    one_line_error(
        result, "'nan' is not a number between 0 and 1", "POLICING_ALPHA", code=2, usage=True
    )


# -- 5. targets ----------------------------------------------------------------------------

TARGETS = "area,period,measure,kind,value\n"


def leaflet_report(*targets: Path):
    args = ["report", "bexley", "--data", "sample:leaflet", "--format", "json", "--no-cache"]
    for path in targets:
        args += ["--targets", str(path)]
    return run(*args)


def test_two_targets_files_that_disagree_are_the_same_error_in_either_order(tmp_path):
    met = tmp_path / "a.csv"
    met.write_text(TARGETS + "Bexley,2009/10,Residential burglary,reduction_pct,1\n")
    missed = tmp_path / "b.csv"
    missed.write_text(TARGETS + "\nBexley,2009/10,residential burglary,reduction_pct,90\n")
    first = one_line_error(leaflet_report(met, missed), "b.csv:3: a second target for Bexley")
    second = one_line_error(leaflet_report(missed, met), "b.csv:3: a second target for Bexley")
    assert first == second
    assert "first in" in first and "a.csv on line 2" in first


def test_the_same_targets_file_given_twice_is_read_once(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(TARGETS + "Bexley,2009/10,Residential burglary,reduction_pct,1\n")
    result = leaflet_report(path, path)
    assert result.exit_code == 0, result.stderr


def test_gap_target_between_crime_categories_is_an_error(tmp_path):
    path = tmp_path / "gap.csv"
    path.write_text(TARGETS + "Bexley,2009/10,Residential burglary - Total robbery,max_gap_pp,5\n")
    one_line_error(
        leaflet_report(path),
        "gap.csv:2:3: a max_gap_pp target compares two indicators",
        "'Residential burglary' is a crime category",
    )


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("reduction_pct", "1000000000", "between 0 and 100 (%)"),
        ("reduction_pct", "-5", "between 0 and 100 (%)"),
        ("reduction_pct", "100.5", "between 0 and 100 (%)"),
        ("max_gap_pp", "-1", "a gap between 0 and 100 percentage points"),
        ("at_most", "-3", "a count or percentage of 0 or more"),
    ],
)
def test_target_values_out_of_range_are_errors_naming_file_and_line(
    tmp_path, kind, value, expected
):
    measure = "Victim satisfaction (White) - Victim satisfaction (BME)"
    if kind != "max_gap_pp":
        measure = "Residential burglary"
    path = tmp_path / "targets.csv"
    path.write_text(TARGETS + f"Bexley,2009/10,{measure},{kind},{value}\n")
    line = one_line_error(
        leaflet_report(path), f"targets.csv:2:5: {kind} value {value} is out of range", expected
    )
    assert "exceeding" not in line


def test_reduction_of_exactly_0_or_100_is_accepted(tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text(
        TARGETS + "Bexley,2009/10,Residential burglary,reduction_pct,0\n"
        "Bexley,2009/10,Total robbery,reduction_pct,100\n"
    )
    assert leaflet_report(path).exit_code == 0


# -- 6. small-by-nature inputs read with a cap ---------------------------------------------


def test_config_that_never_ends_is_refused_at_the_cap():
    one_line_error(run("--config", "/dev/zero", "areas"), "/dev/zero", "larger than 1 MB")
    one_line_error(
        run("areas", env={"POLICING_CONFIG": "/dev/zero"}), "/dev/zero", "larger than 1 MB"
    )


def test_config_that_is_not_utf8_is_a_one_line_error(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b'format = "text"\n# caf\xe9\n')
    one_line_error(run("--config", str(path), "areas"), "config.toml:2", "is not valid UTF-8")


@pytest.mark.parametrize(
    "command", [("categories", "--categories"), ("report", "bexley", "--outcomes")]
)
def test_endless_mapping_files_are_refused_at_the_cap(command):
    one_line_error(run(*command, "/dev/zero"), "/dev/zero", "larger than 16 MB")


def test_endless_boundaries_are_refused_at_the_cap(tmp_path):
    result = run("map", "--boundaries", "/dev/zero", "--output", str(tmp_path / "m.svg"))
    one_line_error(result, "/dev/zero", "larger than 128 MB")


@pytest.mark.parametrize(
    ("option", "header", "row"),
    [
        ("--targets", "area,period,measure,kind,value", "Bexley,2023/24,Total robbery,at_most,5"),
        ("--indicators", "area,period,measure,value", "Bexley,2023/24,Public confidence,50"),
        ("--population", "area,year,population", "Bexley,2023,250000"),
    ],
)
def test_huge_small_csv_inputs_are_refused_at_the_cap(tmp_path, option, header, row):
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write(header + "\n")
        line = row + "\n"
        out.write(line * (17 * 2**20 // len(line)))
    one_line_error(
        run("report", "bexley", option, str(path), "--no-cache"), "huge.csv", "larger than 16 MB"
    )


def pipe_opener(data: bytes):
    """An opener for data that can be read once, as from a FIFO or standard input: a second
    open fails the test (a FIFO opened again would wait for a writer for ever)."""
    import os

    opened = []

    def opener():
        assert not opened, "a pipe was opened twice"
        read_end, write_end = os.pipe()
        os.write(write_end, data)
        os.close(write_end)
        opened.append(True)
        return open(read_end, "rb")

    return opener


def test_street_data_from_a_pipe_is_opened_once(tmp_path):
    """The start is read to tell the encoding, then put back: a pipe is read once."""
    codes = street_keys.new_codes()
    data = street_text(rows=7).encode("utf-16")
    notes: list[str] = []
    _keys, counts = street_counts.read_counts("stdin", pipe_opener(data), codes, notes=notes)
    assert int(counts.sum()) == 7
    assert notes == ["stdin: saved as UTF-16 text; read as such"]


def test_cp1252_street_data_from_a_pipe_is_a_one_line_error():
    codes = street_keys.new_codes()
    data = street_text(rows=2, crime_type="Café crime").encode("cp1252")
    with pytest.raises(police_uk.InputFormatError, match="a pipe cannot be read again"):
        street_counts.read_counts("stdin", pipe_opener(data), codes)

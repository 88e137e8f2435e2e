"""An archive's members read several at a time (loaders/archive_counts.py) must give exactly
what reading them one by one gives: the same counts, the same codes in the same order, the
same notes, and for a bad member the same one-line error naming ``archive.zip:member`` and
the line. Checked on the real North Wales, City of London and Met files."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from policing_cli.cli import main
from policing_cli.loaders import archive_counts, police_uk, street_counts

from .conftest import real_file

REAL_MEMBERS = [
    ("north-wales", "2020-07-north-wales-street.csv"),
    ("north-wales", "2020-08-north-wales-street.csv"),
    ("2023-01-metropolitan-street_SAMPLE_first4000rows.csv",),
    ("north-wales", "2020-09-north-wales-street.csv"),
    ("2023-12-city-of-london-street.csv",),
    ("north-wales", "2020-10-north-wales-street.csv"),
    ("2024-12-city-of-london-street.csv",),
    ("north-wales", "2020-11-north-wales-street.csv"),
]


def real_archive(tmp_path: Path, extra: dict[str, bytes] | None = None) -> Path:
    """The real street files as a data.police.uk archive (``YYYY-MM/<file>`` members),
    with ``extra`` members after them."""
    path = tmp_path / "police-data.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for parts in REAL_MEMBERS:
            name = parts[-1].replace("_SAMPLE_first4000rows", "")
            archive.writestr(f"{name[:7]}/{name}", real_file("police-uk", *parts).read_bytes())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def load(path: Path):
    members = police_uk.zip_members(path)[0]
    return police_uk.load_many([(path, m) for m in members], str(path))


def one_by_one(monkeypatch, path: Path):
    """The archive read member by member by the ordinary reader."""
    with monkeypatch.context() as patched:
        patched.setattr(archive_counts, "MEMBER_BYTES", -1)
        return load(path)


def assert_same(parallel, serial) -> None:
    pd.testing.assert_frame_equal(parallel.frame, serial.frame)
    pd.testing.assert_frame_equal(parallel.outcomes, serial.outcomes)
    for column in ("area", "force", "minor", "outcome"):  # codes given in the same order
        assert list(parallel.outcomes[column].cat.categories) == list(
            serial.outcomes[column].cat.categories
        )
    assert parallel.notes == serial.notes
    assert parallel.months == serial.months


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_members_read_in_threads_count_as_one_by_one(tmp_path, monkeypatch, threads):
    archive = real_archive(tmp_path)
    monkeypatch.setattr(archive_counts, "MAX_WORKERS", threads)
    buffered = []
    real_count_buffer = street_counts.count_buffer

    def spy(data):
        buffered.append(len(data))
        return real_count_buffer(data)

    monkeypatch.setattr(street_counts, "count_buffer", spy)
    parallel = load(archive)
    assert len(buffered) == len(REAL_MEMBERS)  # every member took the threaded path
    serial = one_by_one(monkeypatch, archive)
    assert_same(parallel, serial)
    # ... and both are the files' own counts, read as files (in the archive's order)
    ordered = sorted(REAL_MEMBERS, key=lambda parts: parts[-1].replace("_SAMPLE", "-street"))
    files = [(real_file("police-uk", *parts), None) for parts in ordered]
    alone = police_uk.load_many(files, "files")
    pd.testing.assert_frame_equal(parallel.frame, alone.frame)
    # 3 forces, 8 force-months: North Wales Jul-Nov 2020, the Met Jan 2023, City Dec 2023/24
    assert set(parallel.frame["force"].astype(str)) == {
        "North Wales Police",
        "City of London Police",
        "Metropolitan Police Service",
    }
    assert len(parallel.months) == 8


def test_member_with_too_many_rows_goes_to_the_ordinary_reader(tmp_path, monkeypatch):
    archive = real_archive(tmp_path)
    serial = one_by_one(monkeypatch, archive)
    monkeypatch.setattr(street_counts, "BUFFER_ROWS", 500)  # every real member has more
    declined = []
    real_read_counts = street_counts.read_counts

    def spy(name, *args):
        declined.append(name)
        return real_read_counts(name, *args)

    monkeypatch.setattr(street_counts, "read_counts", spy)
    assert_same(load(archive), serial)
    assert len(declined) == len(REAL_MEMBERS)


def test_reading_ahead_is_bounded(tmp_path, monkeypatch):
    """No more than workers() + 1 members are read before the first is taken (memory)."""
    archive = real_archive(tmp_path)
    monkeypatch.setattr(archive_counts, "MAX_WORKERS", 2)
    monkeypatch.setattr(archive_counts.os, "sched_getaffinity", lambda _: {0, 1}, raising=False)
    started = []
    real_count_member = archive_counts._count_member

    def spy(source, info):
        started.append(info.filename)
        return real_count_member(source, info)

    monkeypatch.setattr(archive_counts, "_count_member", spy)
    members = police_uk.zip_members(archive)[0]
    from policing_cli.loaders import street_keys

    counted = archive_counts.count_members(archive, members, street_keys.new_codes())
    first = next(counted)
    assert first[0].endswith(members[0])
    assert len(started) <= archive_counts.workers() + 2 < len(members)
    assert len(list(counted)) == len(members) - 1


def run_report(archive: Path):
    args = ["report", "bexley", "--period", "2024-01", "--format", "json", "--no-cache"]
    return CliRunner().invoke(main, [*args, "--data", str(archive)])


def error_line(result) -> str:
    assert result.exit_code == 1, (result.output, result.stderr)
    lines = [line for line in result.stderr.splitlines() if not line.startswith("note:")]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    return lines[0]


def test_bad_row_in_one_member_is_one_line_naming_the_member_and_line(tmp_path, monkeypatch):
    good = real_file("police-uk", "2024-12-city-of-london-street.csv").read_bytes()
    lines = good.splitlines(keepends=True)
    lines[41] = lines[41].replace(b",", b";", 3)  # row 41 (line 42) loses three fields
    member = "2024-11/2024-11-city-of-london-street.csv"
    archive = real_archive(tmp_path, {member: b"".join(lines)})
    parallel = error_line(run_report(archive))
    assert parallel.startswith(f"Error: {archive}:{member}:42: is not a valid street-level CSV")
    monkeypatch.setattr(archive_counts, "MEMBER_BYTES", -1)
    assert error_line(run_report(archive)) == parallel


def test_member_not_utf8_is_read_as_windows_1252_with_its_note(tmp_path, monkeypatch):
    text = real_file("police-uk", "2024-12-city-of-london-street.csv").read_text("utf-8")
    # Bytes arrow checks only in the columns counted: "Ynys Môn" in cp1252 is not UTF-8
    text = text.replace("Camden 0", "Ynys M\u00f4n 0")
    member = "2024-11/2024-11-city-of-london-street.csv"
    archive = real_archive(tmp_path, {member: text.encode("cp1252")})
    parallel = load(archive)
    assert any("not UTF-8; read as Windows-1252" in note for note in parallel.notes)
    assert "Ynys M\u00f4n" in set(parallel.frame["area"].astype(str))
    assert_same(parallel, one_by_one(monkeypatch, archive))


def member_info(data: bytes, crc: int | None = None, size: int | None = None):
    info = zipfile.ZipInfo("2024-01/2024-01-x-street.csv")
    info.compress_type = zipfile.ZIP_DEFLATED
    info.file_size = len(data) if size is None else size
    info.CRC = zlib.crc32(data) if crc is None else crc
    return info


@pytest.mark.parametrize("module", ["isal", "zlib"])
def test_inflated_member_must_be_whole_as_the_directory_says(monkeypatch, module):
    """With ISA-L (where installed, as on CI) and with Python's zlib (without it)."""
    if module == "zlib":
        monkeypatch.setattr(archive_counts, "deflate_module", lambda: zlib)
    else:
        assert archive_counts.deflate_module().__name__ == "isal.isal_zlib"
    data = b"Crime ID,Month\r\n" * 1000
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    assert archive_counts._inflated(packed, member_info(data)) == data
    assert archive_counts._inflated(packed, member_info(data, crc=1)) is None  # damaged
    assert archive_counts._inflated(packed, member_info(data, size=len(data) - 1)) is None
    assert archive_counts._inflated(packed, member_info(data, size=len(data) + 1)) is None
    assert archive_counts._inflated(packed[: len(packed) // 2], member_info(data)) is None
    assert archive_counts._inflated(b"not deflate at all", member_info(data)) is None
    stored = member_info(data)
    stored.compress_type = zipfile.ZIP_STORED
    assert archive_counts._inflated(data, stored) == data


def test_member_bytes_refuse_a_local_header_not_where_the_directory_says(tmp_path):
    archive = real_archive(tmp_path)
    with zipfile.ZipFile(archive) as opened:
        info = opened.infolist()[1]
    source = archive_counts.MemberBytes(archive)
    try:
        assert source.read(info) is not None
        info.header_offset += 1
        assert source.read(info) is None
    finally:
        source.close()


def test_without_isal_members_are_inflated_by_zlib(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "isal", None)  # not installed
    assert archive_counts.deflate_module.__wrapped__() is zlib

"""The cache with street-level files: an entry reused, a changed file read again (even at the
same size), damaged or foreign entries never read as figures and never deleted, --no-cache
writing nothing, an archive changed between runs. Moved out of test_street.py (issue 14)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from policing_cli.loaders.cache import SUBFOLDER

from .helpers import by_category, invoke
from .street_files import (
    TOTAL,
    city_files,
    expected_counts,
    forget_loaded_data,
    full,
    make_zip,
    report_json,
    rows_of,
    write_street,
)


def cache_dir() -> Path:
    return Path(os.environ["POLICING_CACHE_DIR"])


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("POLICING_CACHE_DIR", str(folder))
    forget_loaded_data()
    yield folder
    forget_loaded_data()


def cached_report(*paths: Path, extra: tuple[str, ...] = ()) -> tuple[dict, str]:
    forget_loaded_data()
    args = ["report", "City of London", "--period", "2024-12", "--format", "json"]
    for path in paths:
        args += ["--data", str(path)]
    result = invoke(*args, *extra)
    assert result.exit_code == 0, (result.output, result.exception)
    return json.loads(result.stdout), result.stdout


def test_cache_reused_changed_file_and_corrupt_entries(tmp_path, fresh_cache, monkeypatch):
    now, before = city_files()
    work = tmp_path / "data"
    work.mkdir()
    current = work / now.name
    shutil.copy(now, current)
    shutil.copy(before, work / before.name)
    paths = (current, work / before.name)

    first, first_text = cached_report(*paths)
    want = expected_counts([current], district_name="City of London")
    assert by_category(first) == {c: want.get(c, 0) for c in by_category(first)}
    entries = [p for p in (fresh_cache / SUBFOLDER).iterdir() if p.is_file()]
    assert entries, "the first run wrote no cache"

    # Second run: identical output, from the cache (parsing is made impossible).
    from policing_cli.loaders import street_counts

    def no_parsing(*_args, **_kwargs):
        raise AssertionError("the cache was not used: the street file was parsed again")

    with monkeypatch.context() as patch:
        patch.setattr(street_counts, "read_counts", no_parsing)
        _, second_text = cached_report(*paths)
    assert second_text == first_text

    # Change the file: fewer robberies, another mtime. The new counts must show.
    with current.open(newline="", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    kept = [lines[0]]
    dropped = 0
    for line in lines[1:]:
        if ",City of London 0" in line and ",Robbery," in line and dropped < 5:
            dropped += 1
            continue
        kept.append(line)
    assert dropped == 5
    current.write_text("\n".join(kept) + "\n", encoding="utf-8")
    stat = current.stat()
    os.utime(current, ns=(stat.st_atime_ns, stat.st_mtime_ns - 86_400 * 10**9))
    changed, _ = cached_report(*paths)
    want_changed = expected_counts([current], district_name="City of London")
    assert by_category(changed)["Total robbery"] == want["Total robbery"] - 5
    assert by_category(changed) == {c: want_changed.get(c, 0) for c in by_category(changed)}

    # Corrupt every cache file: the report still gives the right numbers.
    files = [p for p in cache_dir().rglob("*") if p.is_file()]
    assert files
    for path in files:
        path.write_bytes(b"\x00\xffgarbage\x89PNG not parquet nor json {")
    again, _ = cached_report(*paths)
    assert by_category(again) == by_category(changed)
    assert rows_of(again) == rows_of(changed)
    # ... and a further run reads the rebuilt cache.
    rebuilt, _ = cached_report(*paths)
    assert rows_of(rebuilt) == rows_of(changed)


def read_per_file_entries(target: Path, folder: Path) -> None:
    """Make the next run read the per-file entries (unless ``target`` is a combined one)."""
    if not target.name.startswith("all-"):
        for combined in folder.glob("all-*"):
            combined.unlink()


def test_damaged_cache_bytes_are_never_read_as_figures(tmp_path, fresh_cache):
    """A cache entry changed in a way that still opens without error (a count's bytes in the
    Arrow file, a month in the metadata) must not reach the report: the entry fails its
    checksum and is rebuilt."""
    import struct

    import pyarrow as pa

    now, before = city_files()
    first, _ = cached_report(now, before)
    for target in sorted((fresh_cache / SUBFOLDER).glob("*.arrow")):
        original = target.read_bytes()
        counts = pa.ipc.open_file(pa.py_buffer(original)).read_all().column("count").to_pylist()
        packed = next(
            struct.pack("<q", c) for c in sorted(counts, reverse=True)
            if original.count(struct.pack("<q", c)) == 1
        )  # fmt: skip
        target.write_bytes(original.replace(packed, struct.pack("<q", 999_999)))
        read_per_file_entries(target, fresh_cache / SUBFOLDER)
        again, _ = cached_report(now, before)
        assert rows_of(again) == rows_of(first), target.name
        assert target.read_bytes() == original, f"{target.name} was not rebuilt"
    for target in sorted((fresh_cache / SUBFOLDER).glob("*.json")):
        original = target.read_text()
        # A record's field, or a column of a list of records (cache_format._encode_rows).
        found = re.search(r'"last_month": (?:\{"(?:items|values)": \[)?(\d+)', original)
        assert found, target.name
        month = found.group(1)
        damaged = found.group(0)[: -len(month)] + str(int(month) - 1)
        target.write_text(original.replace(found.group(0), damaged, 1))
        read_per_file_entries(target, fresh_cache / SUBFOLDER)
        again, _ = cached_report(now, before)
        assert rows_of(again) == rows_of(first), target.name

        def entry(text: str) -> dict:  # what the entry says, its time of writing aside
            payload = json.loads(text)["payload"]
            return {k: v for k, v in payload.items() if k != "written"}

        assert entry(target.read_text()) == entry(original), f"{target.name} was not rebuilt"


def test_files_the_cache_cannot_prove_it_wrote_are_left_alone(tmp_path, fresh_cache):
    """An old-format file, a stray file and an unsealed look-alike entry, all old: kept."""
    now, _ = city_files()
    entries = fresh_cache / SUBFOLDER
    entries.mkdir(parents=True, exist_ok=True)
    strays = [fresh_cache / "0123.parquet", entries / "4567.arrow", entries / ("a" * 40 + ".json")]
    for stray in strays:
        stray.write_bytes(b"x")
        long_ago = stray.stat().st_mtime - 200 * 86_400
        os.utime(stray, (long_ago, long_ago))
    cached_report(now)
    assert all(stray.exists() for stray in strays)
    assert any(p.suffix == ".arrow" and p not in strays for p in entries.iterdir())


def test_changed_file_with_same_size_new_mtime_is_reread(tmp_path, fresh_cache):
    rows = [("2024-12", "Force A Police", "Westminster 001A", "Robbery")] * 3
    path = write_street(tmp_path / "2024-12-force-a-street.csv", rows)
    first = report_json("Westminster", "2024-12", path)
    assert by_category(first)["Total robbery"] == 3
    size = path.stat().st_size
    # One Robbery (7 characters) becomes a Burglary (8), its location one character shorter.
    text = path.read_text(encoding="utf-8")
    text = text.replace("On or near Somewhere,E01000001,Westminster 001A,Robbery", (
        "On or near Somewher,E01000001,Westminster 001A,Burglary"), 1)  # fmt: skip
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size == size
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5 * 10**9))
    forget_loaded_data()
    second = report_json("Westminster", "2024-12", path)
    assert by_category(second)["Total robbery"] == 2
    assert by_category(second)["Burglary"] == 1


def test_no_cache_same_numbers_and_writes_nothing(tmp_path, monkeypatch):
    now, before = city_files()
    with_cache = report_json("City of London", "2024-12", now, before)
    empty = tmp_path / "empty-cache"
    empty.mkdir()
    monkeypatch.setenv("POLICING_CACHE_DIR", str(empty))
    forget_loaded_data()
    without = report_json("City of London", "2024-12", now, before, extra=("--no-cache",))
    assert rows_of(without) == rows_of(with_cache)
    assert list(empty.rglob("*")) == []
    # Not even the folder is created when it does not exist.
    missing = tmp_path / "no-such-cache"
    monkeypatch.setenv("POLICING_CACHE_DIR", str(missing))
    forget_loaded_data()
    again = report_json("City of London", "2024-12", now, before, extra=("--no-cache",))
    assert rows_of(again) == rows_of(with_cache)
    assert not missing.exists()


def test_zip_cache_sees_a_changed_archive(tmp_path, fresh_cache):
    now, before = city_files()
    archive = make_zip(
        tmp_path / "city.zip",
        {"a/2024-12-city-of-london-street.csv": now, "b/2023-12-city-of-london-street.csv": before},
    )
    first, _ = cached_report(archive)
    small = write_street(
        tmp_path / "small" / "2024-12-city-of-london-street.csv",
        [("2024-12", "City of London Police", "City of London 001A", "Robbery")],
    )
    archive.unlink()
    make_zip(archive, {"a/2024-12-city-of-london-street.csv": small})
    stat = archive.stat()
    os.utime(archive, ns=(stat.st_atime_ns, stat.st_mtime_ns + 7 * 10**9))
    second, _ = cached_report(archive)
    assert by_category(first)["Total robbery"] > 1
    assert by_category(second) == full(
        {"Total robbery": 1, "Serious acquisitive crime": 1, TOTAL: 1}
    )

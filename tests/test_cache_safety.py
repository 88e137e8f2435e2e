"""The cache never deletes what it did not write, never serves figures of a changed file,
and never trusts an entry it cannot prove it wrote (issue: a hostile review).

Each test builds the bad situation the review found and checks the figure a user sees.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from policing_cli.cli import main
from policing_cli.loaders import cache, fingerprints, inputs, layouts, tidy

from .conftest import SAMPLE


def report_count(*args, category: str = "Total notifiable offences") -> int:
    result = CliRunner().invoke(main, ["report", *map(str, args), "--format", "json"])
    assert result.exit_code == 0, result.output
    row = next(r for r in json.loads(result.stdout)["rows"] if r["category"] == category)
    return row["count"]


@pytest.fixture
def fresh(tmp_path, monkeypatch, fresh_memo):
    """A cache folder of this test's own, and no dataset kept in the process."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("POLICING_CACHE_DIR", str(folder))
    monkeypatch.setattr(cache, "PRUNED", cache.PrunedFolders())
    return folder


def test_pruning_never_deletes_the_users_files(tmp_path, monkeypatch):
    """The review's case: the cache folder set to a folder of the user's, every file in it
    dated 2024-01-15; before, pruning left only cache entries."""
    folder = tmp_path / "d"
    folder.mkdir()
    for path in (SAMPLE / "leaflet").glob("*.csv"):
        shutil.copy(path, folder / path.name)
    (folder / "notes.txt").write_text("x\n")
    (folder / "0123456789abcdef0123456789abcdef01234567.json").write_text("{}")  # entry-like
    old = 1705276800  # 2024-01-15
    for path in folder.iterdir():
        os.utime(path, (old, old))
    before = sorted(p.name for p in folder.iterdir())
    monkeypatch.setenv("POLICING_CACHE_DIR", str(folder))
    monkeypatch.setattr(cache, "PRUNED", cache.PrunedFolders())
    result = CliRunner().invoke(main, ["report", "bexley", "--data", "sample:leaflet"])
    assert result.exit_code == 0, result.output
    after = sorted(p.name for p in folder.iterdir() if p.name != cache.SUBFOLDER)
    assert after == before
    assert (folder / "notes.txt").read_text() == "x\n"


def test_pruning_removes_only_old_entries_of_its_own(fresh):
    assert report_count("bexley") == 16704  # fills the cache
    entries = cache.entries_dir()
    ours = sorted(entries.glob("*.json"))
    assert ours
    # A stranger's file in the subfolder, named like an entry, and one of ours made old.
    stranger = entries / ("f" * 40 + ".json")
    stranger.write_text(json.dumps({"policing-cache": 2, "payload": {}, "seal": "0" * 64}))
    victim = ours[0]
    payload = json.loads(victim.read_text())
    payload["payload"]["written"] = 0
    secret = cache._secret()
    victim.write_text(cache._seal(payload["payload"], secret))
    cache.PRUNED.clear()
    cache._prune(entries, secret)
    assert not victim.exists()
    assert stranger.exists()
    assert all(p.exists() for p in ours[1:])


def test_an_edit_of_the_same_size_with_its_time_put_back_is_seen(tmp_path, fresh):
    """counts.csv 1310 -> 1901: same size, modification time restored (``touch -r``)."""
    path = tmp_path / "counts.csv"
    path.write_text(
        "area,period,category,count\nAlpha,2008/09,Robbery,1200\nAlpha,2009/10,Robbery,1310\n"
    )
    assert report_count("alpha", "--data", path, category="Robbery") == 1310
    info = path.stat()
    path.write_text(
        "area,period,category,count\nAlpha,2008/09,Robbery,1200\nAlpha,2009/10,Robbery,1901\n"
    )
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns
    inputs.MEMO.clear()
    assert report_count("alpha", "--data", path, category="Robbery") == 1901


def test_a_file_changed_while_it_is_read_is_an_error_and_never_cached(tmp_path, fresh, monkeypatch):
    """An archive replaced between two of its members: simulated by writing to the file
    while its loader runs."""
    path = tmp_path / "counts.csv"
    path.write_text(
        "area,period,category,count\nAlpha,2008/09,Robbery,1\nAlpha,2009/10,Robbery,2\n"
    )

    def load_then_change(target, sniffed, on_bytes=None):
        loaded = tidy.load(target, sniffed)
        with open(target, "a") as handle:
            handle.write("Alpha,2009/10,Burglary,3\n")
        return loaded

    changing = dataclasses.replace(tidy.LAYOUT, load=load_then_change)
    swapped = tuple(changing if each is tidy.LAYOUT else each for each in layouts.LAYOUTS)
    monkeypatch.setattr(layouts, "LAYOUTS", swapped)
    result = CliRunner().invoke(main, ["report", "alpha", "--data", str(path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {path}: changed while it was being read: read it again once it is complete"
    )
    assert not list(cache.entries_dir().glob("all-*")) if cache.entries_dir().exists() else True


def test_an_entry_edited_with_recomputed_checksums_is_not_trusted(fresh):
    """Someone sharing the cache folder rewrites an entry's figures and recomputes its
    SHA-256s: without the user's key the seal fails, and the entry is rebuilt."""
    import pyarrow as pa

    assert report_count("bexley") == 16704
    entries = cache.entries_dir()
    meta_path = next(entries.glob("all-*.json"))
    data_path = meta_path.with_suffix(".arrow")
    table = pa.ipc.open_file(pa.py_buffer(data_path.read_bytes())).read_all()
    counts = table.column("count").to_pylist()
    forged = table.set_column(
        table.schema.get_field_index("count"), "count", pa.array([c * 2 for c in counts])
    )
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, forged.schema) as writer:
        writer.write_table(forged)
    raw = sink.getvalue().to_pybytes()
    data_path.write_bytes(raw)
    sealed = json.loads(meta_path.read_text())
    sealed["payload"]["digests"]["rows"] = cache._digest(raw)
    # ... and every checksum anyone can compute without the user's key.
    canonical = json.dumps(sealed["payload"], sort_keys=True, separators=(",", ":")).encode()
    sealed["seal"] = hashlib.sha256(canonical).hexdigest()
    meta_path.write_text(json.dumps(sealed))
    inputs.MEMO.clear()
    assert report_count("bexley") == 16704  # not 33,408


def test_another_users_entries_are_not_read(fresh, tmp_path, monkeypatch):
    assert report_count("bexley") == 16704
    monkeypatch.setenv("POLICING_CACHE_KEY", str(tmp_path / "someone-else.key"))
    inputs.MEMO.clear()
    assert cache.get_combined([fingerprints.fingerprint(p) for p in _sample_counts()]) is None
    assert report_count("bexley") == 16704


def _sample_counts() -> list[Path]:
    return [p for p in sorted(SAMPLE.glob("MPS_*.csv"))]


def test_the_key_is_the_users_alone(fresh):
    report_count("bexley")
    key = cache.key_path()
    assert key.exists() and (key.stat().st_mode & 0o077) == 0
    assert cache.entries_dir() not in key.parents


@pytest.mark.parametrize("where", ["home", "cwd"])
def test_a_cache_in_a_users_folder_loses_nothing(tmp_path, monkeypatch, fresh_memo, where):
    folder = tmp_path / where
    folder.mkdir()
    (folder / "thesis.txt").write_text("three years\n")
    old = 1600000000
    os.utime(folder / "thesis.txt", (old, old))
    monkeypatch.setenv("POLICING_CACHE_DIR", str(folder) if where == "home" else ".")
    monkeypatch.chdir(folder)
    monkeypatch.setattr(cache, "PRUNED", cache.PrunedFolders())
    assert report_count("bexley") == 16704
    assert sorted(p.name for p in folder.iterdir()) == [cache.SUBFOLDER, "thesis.txt"]


def test_every_stored_field_reads_back_as_written(fresh):
    """Entries are written from the model's dataclasses: every field not marked NOT_CACHED
    of a street file (rows and outcomes), a combined dataset and a survey export's
    indicators reads back equal, so a field added to the model is checked here too."""
    from policing_cli.loaders import combine, pas, police_uk
    from policing_cli.loaders.csv_text import sniff

    from .conftest import real_file

    def same(a, b) -> bool:
        return a.reset_index(drop=True).equals(b) if hasattr(a, "equals") else a == b

    def stored(record) -> list[str]:
        return [f.name for f in dataclasses.fields(record) if f.metadata.get("cached", True)]

    street = real_file("police-uk", "2024-12-city-of-london-street.csv")
    loaded = police_uk.load(street)
    prints = [fingerprints.fingerprint(street)]
    cache.put(prints[0], loaded)
    back = cache.get(prints[0])
    assert back is not None and loaded.outcomes is not None
    assert all(same(getattr(loaded, n), getattr(back, n)) for n in stored(loaded))
    dataset = combine.combine([loaded])
    cache.put_combined(prints, dataset)
    again = cache.get_combined(prints)
    assert again is not None
    assert all(same(getattr(dataset, n), getattr(again, n)) for n in stored(dataset))
    survey = real_file("mopac-pas", "PAS_T_and_C_dashboard_MPS_total_2014Q4-2023Q4.csv")
    indicators = pas.LAYOUT.load(survey, sniff(survey), None)
    cache.put_indicators(fingerprints.fingerprint(survey), indicators)
    assert cache.get_indicators(fingerprints.fingerprint(survey)) == indicators


def test_the_cache_of_the_bundled_data_is_smaller_than_the_data(fresh):
    """One report on the bundled data once wrote 20 MB of cache for 2.7 MB of CSV (the long
    tables uncompressed, 10,000 survey indicators as JSON with every field named): the
    entries now take less room than the files they stand for."""
    baseline = report_count("bexley")
    inputs_size = sum(p.stat().st_size for p in SAMPLE.rglob("*.csv"))
    cache_size = sum(p.stat().st_size for p in fresh.rglob("*") if p.is_file())
    assert 0 < cache_size < inputs_size, (cache_size, inputs_size)
    assert report_count("bexley") == baseline  # and read back to the same figure

"""Shared test helpers: locate real data files from this file, never the working directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
#: Copies of the real public files the tests read (see PROVENANCE.md there); the London
#: Datastore files bundled with the tool are read from sample_data/.
REAL = Path(__file__).resolve().parent / "data" / "real"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Tests never read or write the user's own cache folder, config file, settings,
    fetched data or notices."""
    base = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("POLICING_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("POLICING_CACHE_KEY", str(base / "cache.key"))
    monkeypatch.setenv("POLICING_CONFIG", str(base / "no-config.toml"))
    # ... nor the data folder of policing fetch (the platform's user data folder): each
    # test its own, so that what one test fetches is never another's default data.
    data_home = tmp_path_factory.mktemp("data-home")
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    monkeypatch.setenv("APPDATA", str(data_home))
    from policing_cli.settings import SETTINGS

    for setting in SETTINGS:
        monkeypatch.delenv(setting.env, raising=False)
    # The bundled data end in 2025-02: the "figures are old" line (tests/test_staleness.py)
    # would otherwise be in every test's stderr.
    monkeypatch.setenv("POLICING_STALE_AFTER", "0")


@pytest.fixture
def fresh_memo(monkeypatch):
    """No dataset kept in the process from earlier tests: loads in this test read its own
    inputs and cache folder. The session's memo is put back afterwards."""
    from policing_cli.loaders import inputs

    memo = inputs.DatasetMemo()
    monkeypatch.setattr(inputs, "MEMO", memo)
    return memo


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def real_file(*parts: str) -> Path:
    """A real public file of tests/data/real (or sample_data/). Never skipped: the files are
    in the repository, so a missing one is a broken checkout and fails the test."""
    path = REAL.joinpath(*parts)
    if not path.exists() and (SAMPLE / parts[-1]).exists():
        path = SAMPLE / parts[-1]
    assert path.exists(), f"real data file missing from the repository: {path}"
    return path

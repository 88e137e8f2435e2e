"""Shared test helpers: locate real data files from this file, never the working directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
REAL = ROOT.parent / "shared" / "data" / "real"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Tests never read or write the user's own cache folder, config file or settings."""
    base = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("POLICING_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("POLICING_CONFIG", str(base / "no-config.toml"))
    from policing_cli.settings import SETTINGS

    for setting in SETTINGS:
        monkeypatch.delenv(setting.env, raising=False)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def real_file(*parts: str) -> Path:
    """A file of ../shared/data/real, skipping the test where that folder is absent."""
    path = REAL.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data file not available: {path}")
    return path

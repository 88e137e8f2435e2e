"""The README gallery is generated from the bundled data by scripts/gallery.py: it must
match what the tool prints today."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_gallery_is_up_to_date(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gallery.py"), "--check"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "POLICING_CACHE_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr

"""Writing output files atomically: a reader (or a cron job killed half-way) never sees a
half-written file, and a failed run leaves the previous file as it was."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from policing_cli.errors import PolicingError


def default_mode() -> int:
    """The mode a plainly created file would get (0666 less the umask): temporary files are
    created private (0600), and a report should stay readable as any file the user makes."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise PolicingError(f"{path}: is a folder, expected a file name to write")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise PolicingError(f"{path}: cannot write here ({err.strerror or err})") from err
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temp_name, default_mode())
        os.replace(temp_name, path)
    except BaseException as err:
        Path(temp_name).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise PolicingError(f"{path}: cannot write ({err.strerror or err})") from err
        raise

"""Where fetched files go, and what a report says of them.

The data folder is ``--into DIR``, else the ``fetch.into`` setting (``[fetch] into`` in the
config file, ``$POLICING_FETCH_INTO``), else ``data`` in the platform's user data folder
(``~/.local/share/policing/data`` on Linux: beside the cache's key, see ``folders``). The
London files go into ``london/``, data.police.uk's into ``police-uk/``.

Commands given no ``--data`` read the data folder when it holds files fetched by this tool,
and say so ("Data: fetched ..."), else the bundled sample data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policing_cli.fetch import manifest
from policing_cli.folders import data_home

#: What each source is called where a report names it.
SOURCE_NAMES = {"london": "the London Datastore", "police-uk": "data.police.uk"}


def data_folder(setting: str | None = None) -> Path:
    """The data folder: the setting (``--into`` or ``fetch.into``) if given, else the
    platform's."""
    if setting:
        return Path(setting).expanduser()
    return data_home() / "data"


@dataclass(frozen=True)
class Fetched:
    """A data folder holding fetched files: where, from what sources, and when last."""

    folder: Path
    sources: tuple[str, ...]
    newest: str

    def describe(self) -> str:
        names = " and ".join(SOURCE_NAMES.get(s, s) for s in self.sources)
        return f"fetched from {names} by policing fetch (last {self.newest[:10]}), in {shown(self.folder)}"


def shown(folder: Path) -> str:
    """A folder as a report shows it: under the home folder, as ``~/...`` (a report mailed
    round need not carry the user's name)."""
    try:
        return str(Path("~") / folder.resolve().relative_to(Path.home().resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(folder)


def fetched(folder: Path) -> Fetched | None:
    """What ``folder`` holds of fetched files (present ones only), or None when nothing."""
    found = [record for path, record in manifest.fetched_files(folder) if path.is_file()]
    if not found:
        return None
    sources = tuple(sorted({record.source for record in found if record.source}))
    return Fetched(folder, sources, max(record.fetched_at for record in found))

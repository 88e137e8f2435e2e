"""``policing validate``: every problem in each input file, without reporting."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policing_cli.errors import InputFormatError
from policing_cli.loaders import police_uk
from policing_cli.loaders.csv_text import sniff
from policing_cli.loaders.inputs import Input, load_file
from policing_cli.loaders.problems import MAX_PROBLEMS, collecting
from policing_cli.report.categories import load_mapping


@dataclass(frozen=True)
class FileCheck:
    """One file's verdict: what it was read as, and its problems (empty when clean)."""

    path: str
    layout: str
    problems: list[InputFormatError]


def _layout_of(loaded: object) -> str:
    if isinstance(loaded, list):
        kind = type(loaded[0]).__name__.lower() if loaded else "empty"
        return {"target": "targets", "indicator": "indicators"}.get(kind, kind)
    return getattr(loaded, "layout", "unknown")


def check_file(path: Path) -> FileCheck:
    """Read one file the way reports do, collecting every row-level problem."""
    layout = "unknown"
    with collecting() as found:
        try:
            if path.suffix.lower() == ".zip" and path.is_file():
                street, _ = police_uk.zip_members(path)
                layout = "data.police.uk archive"
                load_file(Input(path, tuple(street)), use_cache=False)
            else:
                header = [h.casefold() for h in sniff(path).header]
                if header == ["category", "match", "source"]:
                    layout = "category mapping"
                    load_mapping(path)
                else:
                    layout = _layout_of(load_file(Input(path), use_cache=False))
        except InputFormatError as err:
            found.append(err)
    if len(found) >= MAX_PROBLEMS:
        found.append(InputFormatError(path, f"stopped after {MAX_PROBLEMS} problems"))
    found.sort(key=lambda err: (err.line or 0, str(err.column or "")))
    return FileCheck(str(path), layout, found)

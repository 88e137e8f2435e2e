"""``policing validate``: every problem in each input file, without reporting."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policing_cli.errors import InputFormatError
from policing_cli.loaders import police_uk
from policing_cli.loaders.csv_text import sniff
from policing_cli.loaders.inputs import load_file
from policing_cli.loaders.layouts import detect
from policing_cli.loaders.paths import Input
from policing_cli.loaders.problems import MAX_PROBLEMS, collecting
from policing_cli.loaders.reference import load_mapping


@dataclass(frozen=True)
class FileCheck:
    """One file's verdict: what it was read as, and its problems (empty when clean)."""

    path: str
    layout: str
    problems: list[InputFormatError]
    #: What the file is to a report: "counts", "targets", "indicators", "population",
    #: "mapping" (a category mapping), or "" (not read).
    kind: str = ""


def _layout_of(loaded: object) -> str:
    if isinstance(loaded, list):
        kind = type(loaded[0]).__name__.lower() if loaded else "empty"
        return {"target": "targets", "indicator": "indicators"}.get(kind, kind)
    return getattr(loaded, "layout", "unknown")


def files_to_check(paths: list[Path]) -> list[Path]:
    """The files to check: files as given, folders searched recursively for CSV files and
    zip archives (as ``--data`` does, without opening any: an archive that cannot be read
    is one file's problem, reported with the others, not the end of the run)."""
    from policing_cli.loaders.paths import SAMPLE_PREFIX, expand_paths

    found: list[Path] = []
    for path in paths:
        if str(path).startswith(SAMPLE_PREFIX):
            found += [item.path for item in expand_paths([path])[0]]
        elif path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in (".csv", ".zip")
                and p.is_file()
                and not police_uk.OTHER_FILES.search(p.name)
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def check_file(path: Path) -> FileCheck:
    """Read one file the way reports do, collecting every row-level problem. A file that
    cannot be read at all is one problem of that file: the other files are still checked."""
    layout, kind = "unknown", ""
    with collecting() as found:
        try:
            if path.suffix.lower() == ".zip" and path.is_file():
                street, _ = police_uk.zip_members(path)
                layout, kind = "data.police.uk archive", "counts"
                if not street:
                    raise InputFormatError(
                        path, "archive holds no data.police.uk *-street.csv files"
                    )
                load_file(Input(path, tuple(street)), use_cache=False)
            else:
                sniffed = sniff(path)
                header = [h.casefold() for h in sniffed.header]
                if header == ["category", "match", "source"]:
                    layout, kind = "category mapping", "mapping"
                    load_mapping(path)
                else:
                    found_layout = detect(path, sniffed)
                    kind = found_layout.kind.value
                    layout = _layout_of(load_file(Input(path), use_cache=False))
                    if layout == "unknown":
                        layout = found_layout.name
        except InputFormatError as err:
            found.append(err)
        except OSError as err:
            found.append(InputFormatError(path, f"cannot be read ({err.strerror or err})"))
    if len(found) >= MAX_PROBLEMS:
        found.append(InputFormatError(path, f"stopped after {MAX_PROBLEMS} problems"))
    found.sort(key=lambda err: (err.line or 0, str(err.column or "")))
    return FileCheck(str(path), layout, found, kind)


def check_together(checks: list[FileCheck], data: list[Path]) -> list[FileCheck]:
    """The checks that need the files together, as ``report`` makes them: each target's
    measure against the categories and indicators of the data a report would read with it
    (the count files checked, else ``data``: --data, the config file's, or the bundled
    data), targets given twice across files. Their problems join the file they name."""
    from policing_cli.loaders.inputs import load_dataset
    from policing_cli.report.checks import measure_problems

    clean = [check for check in checks if not check.problems]
    targets = [Path(c.path) for c in clean if c.kind == "targets"]
    if not targets:
        return checks
    counts = [Path(c.path) for c in clean if c.kind == "counts"]
    indicators = [Path(c.path) for c in clean if c.kind == "indicators"]
    mapping_files = [Path(c.path) for c in clean if c.kind == "mapping"]
    mapping = load_mapping(mapping_files[0] if mapping_files else None)
    try:
        dataset = load_dataset(counts or data, targets, indicators)
        problems = measure_problems(dataset, mapping)
    except InputFormatError as err:
        problems = [err]
    by_path: dict[str, list[InputFormatError]] = {}
    for problem in problems:
        by_path.setdefault(problem.path, []).append(problem)
    out = []
    for check in checks:
        found = by_path.pop(check.path, [])
        out.append(check if not found else FileCheck(
            check.path, check.layout, sorted([*check.problems, *found], key=_where), check.kind
        ))  # fmt: skip
    for path, found in by_path.items():  # a problem of a --data file: its own entry
        out.append(FileCheck(path, "data", found, "counts"))
    return out


def _where(err: InputFormatError) -> tuple[int, str]:
    return (err.line or 0, str(err.column or ""))

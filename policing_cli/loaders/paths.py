"""From what the user gave (``--data`` paths, folders, archives, ``-``, pipes, ``sample:``)
to the list of inputs to read, each exactly once.

Files are read as given; folders are walked, following links to folders once each, for CSV
files and zip archives, and anything there that cannot be read or is not a regular file is
named in a note rather than dropped. ``-`` (standard input), a pipe or a device is read once
into a private copy (waiting at most PIPE_WAIT_SECONDS for a writer, holding at most
MAX_SPOOL_BYTES), which every later read opens: a FIFO opened twice would wait for a second
writer for ever. What each input holds is decided later, from its header (``inputs``).
"""

from __future__ import annotations

import functools
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from policing_cli.errors import InputFormatError
from policing_cli.loaders import police_uk

SAMPLE_PREFIX = "sample:"
#: How long to wait for the first bytes of a pipe (or between two reads) before saying that
#: nothing is writing to it, rather than waiting for ever.
PIPE_WAIT_SECONDS = 30
#: The most read from a pipe, a device or standard input (a larger input is a file to save
#: first: street archives run to gigabytes).
MAX_SPOOL_BYTES = 1024**3


def sample_data_folder() -> Path:
    """Where the bundled sample data are.

    Installed, they are package data (``policing_cli.sample_data``, mapped from the top-level
    ``sample_data/`` folder by pyproject.toml); run from a source checkout, they are that folder.
    """
    from importlib.resources import files

    installed = Path(str(files("policing_cli"))) / "sample_data"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "sample_data"


def sample_data_paths() -> list[Path]:
    """The bundled real London Datastore files, in the order they are read: ONS's district
    population estimates of England and Wales before the GLA's London borough estimates,
    which win for London (the London Datastore publishes them with its crime figures)."""
    folder = sample_data_folder()
    found = sorted(p for p in folder.glob("*.csv")) if folder.is_dir() else []
    if not found:
        raise InputFormatError(folder, "bundled sample data not found: reinstall policing")
    return sorted(found, key=lambda path: (not path.name.startswith("ons_"), path.name))


@dataclass(frozen=True)
class Input:
    """One thing to read: a file, or a zip archive's street files (``members``). ``shown``
    is its name in messages where ``path`` is a private copy (of a pipe or standard input)."""

    path: Path
    members: tuple[str, ...] = ()
    shown: str = ""

    @property
    def name(self) -> str:
        return self.shown or str(self.path)


@contextmanager
def shown_as(item: Input) -> Iterator[None]:
    """Errors about a private copy (of a pipe, standard input) name what the user gave."""
    try:
        yield
    except InputFormatError as err:
        if item.shown and err.path == str(item.path):
            raise InputFormatError(
                item.shown, err.problem, line=err.line, column=err.column
            ) from err
        raise


def expand_paths(paths: list[Path]) -> tuple[list[Input], list[str]]:
    """What to read, and notes on what was skipped.

    Files as given; ``-`` (standard input), a pipe or a device read once into a private
    copy; folders searched recursively, symbolic links to folders followed (once each), for
    CSV files and zip archives (sorted, for stable output), and anything there that cannot
    be read, or is not a regular file, named in a note rather than dropped; zip archives read
    in place. ``sample:NAME`` names a folder of the bundled sample data (``sample:leaflet``).
    data.police.uk outcomes and stop-and-search files, which come in the same archives, are
    skipped with a note.
    """
    files, passed_over = _files_given(paths)
    inputs: list[Input] = []
    skipped: list[str] = []
    repeated: list[str] = []
    seen: set[Path] = set()
    for path, shown in files:
        resolved = path.resolve()
        if resolved in seen:
            repeated.append(path.name)
            continue
        seen.add(resolved)
        if police_uk.OTHER_FILES.search(path.name):
            skipped.append(path.name)
            continue
        if path.suffix.lower() == ".zip" and path.is_file():
            street, other = police_uk.zip_members(path)
            skipped += [f"{path.name}:{name}" for name in other]
            if not street:
                raise InputFormatError(
                    shown or path, "archive holds no data.police.uk *-street.csv files"
                )
            inputs.append(Input(path, tuple(street), shown))
        else:
            inputs.append(Input(path, shown=shown))
    notes = [f"{name} was given more than once: read once" for name in dict.fromkeys(repeated)]
    if skipped:
        shown_names = ", ".join(skipped[:3]) + (
            f" and {len(skipped) - 3} more" if len(skipped) > 3 else ""
        )
        notes.append(
            f"skipped {len(skipped)} file(s) that hold no street crime counts: {shown_names}"
        )
    notes += passed_over
    return inputs, notes


def _files_given(paths: list[Path]) -> tuple[list[tuple[Path, str]], list[str]]:
    """Each file to read with the name to show for it (see ``readable``), folders walked,
    and notes on what the folders held that cannot be read."""
    files: list[tuple[Path, str]] = []
    passed_over: list[str] = []
    for path in paths:
        if str(path).startswith(SAMPLE_PREFIX):
            name = str(path)[len(SAMPLE_PREFIX) :]
            path = sample_data_folder() / name if name else sample_data_folder()
            if not path.is_dir():
                raise InputFormatError(path, "no such bundled sample (try sample:leaflet)")
        if str(path) != "-" and path.is_dir():
            found, unread = _walk(path)
            passed_over += unread
            if not found:
                raise InputFormatError(path, "folder holds no .csv or .zip files")
            files.extend((p, "") for p in found)
        else:
            files.append(readable(path))
    return files, passed_over


def _walk(folder: Path) -> tuple[list[Path], list[str]]:
    """The .csv and .zip files below a folder, following links to folders (each real folder
    once, so a link loop ends), and notes on what could not be read or is not a file."""
    found: list[Path] = []
    unread: list[str] = []
    visited: set[str] = set()

    def note(error: OSError) -> None:
        unread.append(f"{error.filename}: skipped, cannot be read ({error.strerror or error})")

    for top, folders, names in os.walk(folder, onerror=note, followlinks=True):
        real = os.path.realpath(top)
        if real in visited:
            folders[:] = []
            continue
        visited.add(real)
        folders.sort()
        for name in sorted(names):
            path = Path(top) / name
            if path.suffix.lower() not in (".csv", ".zip"):
                continue
            try:
                mode = path.stat().st_mode
            except OSError as err:
                unread.append(f"{path}: skipped, cannot be read ({err.strerror or err})")
                continue
            if stat.S_ISREG(mode):
                found.append(path)
            else:
                unread.append(f"{path}: skipped, not a regular file")
    return sorted(found), unread


def readable(path: Path) -> tuple[Path, str]:
    """A path to read, and the name to show for it: the path itself for a regular file (or
    one that does not exist: the loaders say so), else a private copy of what ``-``
    (standard input), a pipe or a device holds, read exactly once."""
    if str(path) != "-":
        try:
            mode = os.stat(path).st_mode
        except OSError:
            return path, ""
        if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
            return path, ""
    return _spool(path), str(path) if str(path) != "-" else "standard input"


@functools.cache
def _spool_folder() -> Path:
    """The private folder of this process's copies of pipes and standard input, made when
    the first is needed and removed when the process ends."""
    import atexit
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="policing-input-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def _too_large(shown: str) -> InputFormatError:
    return InputFormatError(
        shown,
        f"holds more than {MAX_SPOOL_BYTES // 1024**2:,} MB: save it to a file and give the file",
    )


def _spool_stream(stream: IO[bytes], target: Path, shown: str) -> Path:
    total = 0
    with target.open("wb") as out:
        for block in iter(lambda: stream.read(1 << 20), b""):
            total += len(block)
            if total > MAX_SPOOL_BYTES:
                raise _too_large(shown)
            out.write(block)
    return target


def _spool(path: Path) -> Path:
    """A private copy of what ``-`` (standard input), a pipe or a device holds."""
    folder = _spool_folder()
    shown = "standard input" if str(path) == "-" else str(path)
    number = len(list(folder.iterdir()))
    target = folder / f"{number}-{'stdin' if str(path) == '-' else path.name or 'input'}"
    if str(path) == "-":
        if sys.stdin is None or sys.stdin.isatty():
            raise InputFormatError(shown, "is a terminal: pipe a file into it (… | policing …)")
        try:
            handle = sys.stdin.buffer.fileno()
        except (AttributeError, OSError, ValueError):  # a stream with no file (tests, embedding)
            return _as_archive(_spool_stream(sys.stdin.buffer, target, shown))
        close = False
    else:
        try:
            handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError as err:
            raise InputFormatError(shown, f"cannot be read ({err.strerror or err})") from err
        close = True
    try:
        _copy_waiting(handle, target, shown)
    finally:
        if close:
            os.close(handle)
    return _as_archive(target)


def _copy_waiting(handle: int, target: Path, shown: str) -> None:
    """Copy what a pipe holds to ``target``, waiting at most PIPE_WAIT_SECONDS for each
    block: a pipe nothing writes to is an error, not a hang."""
    import select

    waiting = select.poll()
    waiting.register(handle, select.POLLIN)
    total = 0
    with target.open("wb") as out:
        while True:
            if not waiting.poll(PIPE_WAIT_SECONDS * 1000):
                raise InputFormatError(
                    shown,
                    f"nothing arrived for {PIPE_WAIT_SECONDS} seconds: is anything writing to it?",
                )
            try:
                block = os.read(handle, 1 << 20)
            except BlockingIOError:
                continue
            if not block:
                break
            total += len(block)
            if total > MAX_SPOOL_BYTES:
                raise _too_large(shown)
            out.write(block)


def _as_archive(target: Path) -> Path:
    """A copy that holds a zip archive is named as one (archives are told by their name)."""
    with target.open("rb") as copied:
        head = copied.read(4)
    if head == b"PK\x03\x04":
        target = target.rename(target.with_name(target.name + ".zip"))
    return target

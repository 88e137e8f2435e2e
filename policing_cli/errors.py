"""Errors users can see.

Loaders and the report core raise these plain exceptions; only the CLI (``cli.py``) turns them into
click's one-line ``Error: ...`` messages and exit codes, so the core stays usable as a library.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


class ExitCode(IntEnum):
    """Exit codes a script can act on (documented in the README)."""

    OK = 0
    BAD_DATA = 1
    BAD_USAGE = 2
    TARGETS_MISSED = 3
    #: A bug in policing itself (EX_SOFTWARE in sysexits.h): the tool, not the data.
    INTERNAL_ERROR = 70
    #: Interrupted (Ctrl-C): 128 + SIGINT, as shells report it.
    INTERRUPTED = 130


class PolicingError(Exception):
    """Base class: a problem the user can fix, reported as one line, exit 1."""

    exit_code: int = ExitCode.BAD_DATA

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


class InputFormatError(PolicingError):
    """A file that cannot be read as any supported layout, or holds a bad value.

    The message names the file, and the line and column where they are known, then says what
    was expected, in the compiler-style form ``file:line:column: problem``.
    """

    def __init__(
        self,
        path: str | Path,
        problem: str,
        *,
        line: int | None = None,
        column: int | str | None = None,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.column = column
        self.problem = problem
        where = self.path
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        elif column is not None:
            where += f": column {column}"
        super().__init__(f"{where}: {problem}")


class UsageProblem(PolicingError):
    """A request the data cannot answer as asked (unknown area, period...): exit 2."""

    exit_code = ExitCode.BAD_USAGE


class FetchError(PolicingError):
    """A download that could not be made (offline, a name not found, an HTTP error, a time
    out, a body cut short, a page whose layout changed): one line, exit 1, and nothing
    half-written where a whole file is expected."""

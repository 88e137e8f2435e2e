"""Row-level problems: raised at once when reporting, collected when validating.

``policing report`` stops at the first bad value (nothing half-computed is ever printed);
``policing validate`` wants every problem in a file. Loaders call ``problem(err)`` for a
problem they can step over (a bad cell, a bad row): inside ``collecting()`` it is recorded
and the loader carries on, elsewhere it is raised.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from policing_cli.errors import InputFormatError

#: Beyond this many problems in one run, stop collecting: the file is not of this layout.
MAX_PROBLEMS = 1000

_sink: ContextVar[list[InputFormatError] | None] = ContextVar("problems", default=None)


class TooManyProblems(Exception):
    """Raised inside ``collecting()`` once MAX_PROBLEMS have been recorded."""


def problem(err: InputFormatError) -> None:
    sink = _sink.get()
    if sink is None:
        raise err
    sink.append(err)
    if len(sink) >= MAX_PROBLEMS:
        raise TooManyProblems


@contextmanager
def collecting() -> Iterator[list[InputFormatError]]:
    found: list[InputFormatError] = []
    token = _sink.set(found)
    try:
        yield found
    except TooManyProblems:
        pass
    finally:
        _sink.reset(token)

"""An input opened once and read again from its start: what lets a FIFO or standard input
be read at all (opening one twice would wait for a second writer for ever).

A file or an archive member is read again by seeking back; a pipe is given once more, its
first bytes (read to tell its encoding) put back before the rest, and asking for it again
raises ``NotRereadable``: the caller says what that means for the user.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO, Any


class NotRereadable(Exception):
    """A pipe's data were read once and cannot be read again."""


class _Prefixed(io.RawIOBase):
    """A pipe's first bytes (read to tell its encoding) put back before the rest."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if len(self._head):
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        return self._rest.readinto(buffer)  # type: ignore[attr-defined,no-any-return]


def replayer(handle: IO[bytes], head: bytes) -> Callable[[], Any]:
    """An opener giving the one open handle again from its start, without closing it.

    Each input is opened once (a FIFO or standard input can be read only once): a file or
    archive member is read again by seeking back (counting lines, a second try as
    Windows-1252, finding a bad row's line); a pipe is given once, its first bytes put back.
    """
    import contextlib

    if handle.seekable():

        def rewind() -> contextlib.AbstractContextManager[IO[bytes]]:
            handle.seek(0)
            return contextlib.nullcontext(handle)

        return rewind
    once: list[IO[bytes]] = [io.BufferedReader(_Prefixed(head, handle))]  # type: ignore[list-item]

    def replay() -> contextlib.AbstractContextManager[IO[bytes]]:
        if not once:
            raise NotRereadable
        return contextlib.nullcontext(once.pop())

    return replay

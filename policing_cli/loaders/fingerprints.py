"""What an input was when it was read: its fingerprint, the key of its cache entries and of
the in-process memo, and the proof that it did not change while it was read.

A fingerprint holds the input's path, device and inode, size, modification *and change*
times (``touch -r`` can set the first back, not the second) and a SHA-256 of its content
(whole up to WHOLE_HASH_BYTES; for larger street files, of sampled blocks: the first and
last MiB and 16 between), read from the open file. The loader checks it again after reading
(``unchanged``): a file changed while it was read (an archive replaced between its members)
is an error, never a cache entry. A pipe or a device has no fingerprint: it is read once.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

#: Up to this size an input's whole content is hashed; above it, sampled blocks.
WHOLE_HASH_BYTES = 32 * 1024 * 1024
_SAMPLE_EDGE = 1024 * 1024
_SAMPLE_BLOCK = 64 * 1024
_SAMPLES = 16


@dataclass(frozen=True)
class Fingerprint:
    """What an input was when it was read: identity, size, times and content."""

    path: str
    identity: tuple[int, int, int, int, int]  # device, inode, size, mtime_ns, ctime_ns
    content: str  # SHA-256 of the content (or of sampled blocks of a large file)

    @property
    def token(self) -> str:
        device, inode, size, mtime, ctime = self.identity
        return f"{self.path}|{device}|{inode}|{size}|{mtime}|{ctime}|{self.content}"


def _identity(info: os.stat_result) -> tuple[int, int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def fingerprint(path: Path) -> Fingerprint | None:
    """The input's fingerprint, read from the open file; None for what is not a regular
    file (a pipe, a device) or cannot be read."""
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return None
            digest = hashlib.sha256()
            size = info.st_size
            if size <= WHOLE_HASH_BYTES:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            else:
                offsets = [0, size - _SAMPLE_EDGE]
                step = (size - 2 * _SAMPLE_EDGE) // (_SAMPLES + 1)
                offsets[1:1] = [_SAMPLE_EDGE + step * (i + 1) for i in range(_SAMPLES)]
                for offset in offsets:
                    handle.seek(offset)
                    length = _SAMPLE_EDGE if offset in (0, size - _SAMPLE_EDGE) else _SAMPLE_BLOCK
                    digest.update(handle.read(length))
            after = os.fstat(handle.fileno())
    except OSError:
        return None
    if _identity(after) != _identity(info):
        return None  # changing as we look: not a file to cache
    return Fingerprint(str(path.resolve()), _identity(info), digest.hexdigest())


def unchanged(fingerprint: Fingerprint) -> bool:
    """True when the file is still what was fingerprinted (checked after reading it: a file
    replaced or written to meanwhile must not be cached, nor its figures trusted)."""
    try:
        return _identity(os.stat(fingerprint.path)) == fingerprint.identity
    except OSError:
        return False


def file_sha256(path: Path) -> str:
    """The SHA-256 of a whole file, read in 1 MiB blocks (snapshot provenance lines, fetch
    manifests)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

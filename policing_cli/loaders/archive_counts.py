"""Counts of a zip archive's street members, several members at a time.

data.police.uk's archive holds one file per force and month: 1,548 members for 43 forces and
36 months. Read one after another, each member is inflated, then parsed, then counted, and
one of two cores waits. Here a few threads (one per core) each take a member in turn,
inflate it into memory, parse it with arrow and count it by its own codes
(``street_counts.count_buffer``); inflating, parsing and the counting arithmetic release the
GIL, so the cores stay busy. This thread takes the members' counts in archive order and
gives them the global codes (``street_keys.pack_local``), so the codes, the keys and the
counts are exactly those of reading the members one by one.

The archive is opened once (its directory read once, not once per member). The threads
read a member's compressed bytes from one file (``MemberBytes``: zipfile's own objects are
not meant to be shared between threads) and inflate them whole, checking the length and
CRC-32 the directory gives; any doubt sends the member to the ordinary reader. At most
``workers() + 1`` members are in memory at once, each at most MEMBER_BYTES (and
``street_counts.BUFFER_ROWS`` rows), so memory stays bounded whatever the archive holds. A
member that does not fit this path (larger, encrypted, compressed with a method zipfile
lacks, damaged, not UTF-8, with a bad row) is read at its turn by ``street_counts``'
ordinary reader, which reads it in bounded memory or gives the one-line error naming
``archive.zip:member`` (and the line) that a file on its own would get.
"""

from __future__ import annotations

import functools
import os
import struct
import threading
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from policing_cli.errors import InputFormatError
from policing_cli.loaders import street_counts, street_keys
from policing_cli.loaders.street_keys import Codes

if TYPE_CHECKING:
    import zipfile

    import numpy as np

#: Zip compression methods Python's zipfile reads: stored, deflated, bzip2, LZMA.
READABLE_METHODS = {0: "stored", 8: "Deflate", 12: "bzip2", 14: "LZMA"}
#: Names of the methods it does not, for the error message.
METHOD_NAMES = {1: "Shrink", 6: "Implode", 9: "Deflate64", 93: "Zstandard", 95: "XZ", 98: "PPMd"}
#: Members up to this size (uncompressed) are read whole into memory by the threads; a
#: force-month of the largest force is about 25 MB.
MEMBER_BYTES = 64 * 1024 * 1024
#: At most this many threads read members (each keeps a core busy).
MAX_WORKERS = 4


def workers() -> int:
    """Threads reading members: one per core this process may use, at most MAX_WORKERS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def check_member(name: str, info: Any) -> None:
    """Refuse an archive member zipfile cannot read, saying why and what to do."""
    if info.flag_bits & 0x1:
        raise InputFormatError(
            name,
            "is encrypted (password-protected): extract the archive with its password "
            "and give the extracted CSV files",
        )
    method = info.compress_type
    if method not in READABLE_METHODS:
        shown = METHOD_NAMES.get(method, "an unknown method")
        raise InputFormatError(
            name,
            f"is compressed with {shown} (zip method {method}), which cannot be read here: "
            "extract the archive (or re-zip it with ordinary Deflate) and give the files",
        )


def count_members(
    path: Path,
    members: list[str],
    codes: dict[str, Codes],
    on_bytes: Callable[[int], None] | None = None,
    notes: list[str] | None = None,
) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    """Each member's name (``archive.zip:member``) and counts by packed key, in the order
    given; members are read ahead by worker threads, at most ``workers() + 1`` at once."""
    import zipfile
    from concurrent.futures import Future, ThreadPoolExecutor

    street_counts.warm_up_pandas()
    try:
        archive = zipfile.ZipFile(path)
        source = MemberBytes(path)
    except (zipfile.BadZipFile, OSError) as err:
        raise InputFormatError(path, f"is not a readable zip archive ({err})") from err
    threads = workers()
    pool = ThreadPoolExecutor(threads, thread_name_prefix="policing-member")
    ahead: deque[tuple[zipfile.ZipInfo, Future[street_keys.LocalCounts | None]]] = deque()
    upcoming = iter(members)

    def read_ahead() -> None:
        member = next(upcoming, None)
        if member is not None:
            info = archive.getinfo(member)
            ahead.append((info, pool.submit(_count_member, source, info)))

    try:
        for _ in range(threads + 1):
            read_ahead()
        while ahead:
            info, counted = ahead.popleft()
            read_ahead()
            name = f"{path}:{info.filename}"
            check_member(name, info)
            local = counted.result()
            if local is None:
                keys, counts = street_counts.read_counts(
                    name, _opener(archive, info), codes, on_bytes, info.file_size, None, notes
                )
            else:
                keys, counts = street_keys.pack_local(local, codes)
                if on_bytes is not None:
                    on_bytes(info.file_size)
            yield name, keys, counts
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        source.close()
        archive.close()


class MemberBytes:
    """Archive members' compressed bytes, read for several threads from one open file."""

    #: A local file header: signature, versions, flags, method, times, CRC, sizes, then
    #: the lengths of the name and the extra field that come before the data.
    HEADER = struct.Struct("<4s22xHH")

    def __init__(self, path: Path) -> None:
        self._file = open(path, "rb")  # noqa: SIM115 (closed by close())
        self._lock = threading.Lock()

    def read(self, info: zipfile.ZipInfo) -> bytes | None:
        """The member's compressed bytes; None if its local header is not where the
        directory says."""
        with self._lock:
            self._file.seek(info.header_offset)
            header = self._file.read(self.HEADER.size)
            if len(header) != self.HEADER.size:
                return None
            signature, name_length, extra_length = self.HEADER.unpack(header)
            if signature != b"PK\x03\x04":
                return None
            self._file.seek(name_length + extra_length, os.SEEK_CUR)
            data = self._file.read(info.compress_size)
        return data if len(data) == info.compress_size else None

    def close(self) -> None:
        self._file.close()


def _count_member(source: MemberBytes, info: zipfile.ZipInfo) -> street_keys.LocalCounts | None:
    """One member inflated into memory and counted (in a worker thread); None when it is
    for the ordinary reader (see the module's description)."""
    if info.flag_bits & 0x1 or max(info.file_size, info.compress_size) > MEMBER_BYTES:
        return None
    try:
        packed = source.read(info)
    except OSError:
        return None
    data = _inflated(packed, info) if packed is not None else None
    return street_counts.count_buffer(data) if data is not None else None


@functools.cache
def deflate_module() -> Any:
    """What inflates Deflate members: ISA-L's zlib (``isal``, a dependency where it has
    wheels: the same bytes, about 2.5 times as fast), else Python's zlib."""
    try:
        from isal import isal_zlib
    except ImportError:
        return zlib
    return isal_zlib


def _inflated(packed: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A stored or deflated member's bytes, if they are whole: as long as the directory
    says (no more is ever made: a member cannot inflate past it) and with its CRC-32."""
    deflate = deflate_module()
    if info.compress_type == 0:
        data = packed
    elif info.compress_type == 8:
        inflater = deflate.decompressobj(-15)
        try:
            data = inflater.decompress(packed, info.file_size + 1)
        except (zlib.error, deflate.error):
            return None
        if not inflater.eof:
            return None
    else:
        return None
    if len(data) != info.file_size or deflate.crc32(data) != info.CRC:
        return None
    return data


def _opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
    """Opens the member from the archive already open (its directory is not read again)."""
    return lambda: archive.open(info)

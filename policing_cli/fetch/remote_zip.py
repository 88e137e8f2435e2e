"""A zip archive's directory and members, read over HTTP range requests.

data.police.uk's monthly archive holds every force's files for 36 months (gigabytes). To
keep a few forces' files, the end of the archive is read (its end-of-directory record, and
the zip64 one of an archive over 4 GB or 65,535 members), then its central directory, then
each wanted member: a range from its local header to the end of its compressed data, which
is inflated as it arrives and checked against the directory's CRC-32 and size. Each range
carries ``If-Range`` with the archive's validator, so an archive replaced on the server
while it is read is noticed (a whole 200 answer instead of the range), never mixed.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from policing_cli.errors import FetchError
from policing_cli.fetch.http import Client, Retry

#: The end of an archive read first: the end record (22 bytes) with the longest comment
#: (65,535), the zip64 locator (20) and record (56).
TAIL_BYTES = 22 + 65535 + 20 + 56
_EOCD = struct.Struct("<4sHHHHIIH")
_LOCATOR = struct.Struct("<4sIQI")
_EOCD64 = struct.Struct("<4sQHHIIQQQQ")
_ENTRY = struct.Struct("<4sHHHHHHIIIHHHHHII")
_LOCAL = struct.Struct("<4sHHHHHIIIHH")
#: A local header's extra field may be longer than the directory entry's: a member's range
#: allows this much more, and a second range (of at most _LOCAL_SLACK) follows if needed.
_HEADER_SLACK = 1024
_LOCAL_SLACK = 30 + 65535


class BadArchive(FetchError):
    def __init__(self, url: str, what: str) -> None:
        super().__init__(f"{url}: not a zip archive that can be read ({what})")


@dataclass(frozen=True)
class Member:
    """One file in the archive, as its central directory describes it."""

    name: str
    method: int
    flags: int
    crc: int
    compressed: int
    size: int
    offset: int
    #: The length of its directory entry's fixed part, name and extra field: about what its
    #: local header takes.
    header: int = 30


def parse_directory(
    url: str, tail: bytes, tail_start: int, read: Callable[[int, int], bytes]
) -> list[Member]:
    """The members listed in the central directory of the archive whose last bytes, from
    offset ``tail_start``, are ``tail``; ``read(first, last)`` fetches other bytes."""
    at = _find_end(url, tail)
    _sig, disk, _start_disk, _here, entries, cd_size, cd_offset, _comment = _EOCD.unpack_from(
        tail, at
    )
    if disk not in (0, 0xFFFF):
        raise BadArchive(url, "an archive split over several disks")
    if 0xFFFF in (entries,) or 0xFFFFFFFF in (cd_size, cd_offset):
        entries, cd_size, cd_offset = _zip64_end(url, tail, tail_start, at, read)
    if cd_offset + cd_size > tail_start + len(tail):
        raise BadArchive(url, "its directory lies past its end")
    if cd_offset >= tail_start:
        directory = tail[cd_offset - tail_start : cd_offset - tail_start + cd_size]
    else:
        directory = read(cd_offset, cd_offset + cd_size - 1)
    return _entries(url, directory, entries)


def _find_end(url: str, tail: bytes) -> int:
    """Where the end-of-central-directory record starts: the last one whose comment runs
    exactly to the end (a comment may itself hold the signature)."""
    at = tail.rfind(b"PK\x05\x06")
    while at >= 0:
        if at + _EOCD.size <= len(tail):
            comment = _EOCD.unpack_from(tail, at)[-1]
            if at + _EOCD.size + comment == len(tail):
                return at
        at = tail.rfind(b"PK\x05\x06", 0, at)
    raise BadArchive(url, "no end-of-directory record")


def _zip64_end(
    url: str, tail: bytes, tail_start: int, at: int, read: Callable[[int, int], bytes]
) -> tuple[int, int, int]:
    locator = at - _LOCATOR.size
    if locator < 0 or tail[locator : locator + 4] != b"PK\x06\x07":
        raise BadArchive(url, "a zip64 archive without its zip64 locator")
    _sig, _disk, record_offset, _disks = _LOCATOR.unpack_from(tail, locator)
    if record_offset >= tail_start:
        record = tail[record_offset - tail_start : record_offset - tail_start + _EOCD64.size]
    else:
        record = read(record_offset, record_offset + _EOCD64.size - 1)
    if len(record) < _EOCD64.size or record[:4] != b"PK\x06\x06":
        raise BadArchive(url, "no zip64 end-of-directory record")
    fields = _EOCD64.unpack_from(record)
    return fields[7], fields[8], fields[9]


def _entries(url: str, directory: bytes, expected: int) -> list[Member]:
    members: list[Member] = []
    at = 0
    while at + _ENTRY.size <= len(directory) and directory[at : at + 4] == b"PK\x01\x02":
        (_sig, _made, _needed, flags, method, _time, _date, crc, compressed, size, name_len,
         extra_len, comment_len, _disk, _internal, _external, offset) = _ENTRY.unpack_from(
            directory, at
        )  # fmt: skip
        start = at + _ENTRY.size
        raw_name = directory[start : start + name_len]
        extra = directory[start + name_len : start + name_len + extra_len]
        size, compressed, offset = _zip64_sizes(extra, size, compressed, offset)
        name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
        header = 30 + name_len + extra_len
        members.append(Member(name, method, flags, crc, compressed, size, offset, header))
        at = start + name_len + extra_len + comment_len
    if len(members) != expected:
        raise BadArchive(url, f"its directory lists {len(members)} of {expected} members")
    return members


def _zip64_sizes(extra: bytes, size: int, compressed: int, offset: int) -> tuple[int, int, int]:
    """Sizes and offset too large for 32 bits, from the zip64 extra field (0x0001)."""
    at = 0
    while at + 4 <= len(extra):
        kind, length = struct.unpack_from("<HH", extra, at)
        if kind == 0x0001:
            values = iter(
                struct.unpack_from(f"<{length // 8}Q", extra, at + 4) if length >= 8 else ()
            )
            if size == 0xFFFFFFFF:
                size = next(values, size)
            if compressed == 0xFFFFFFFF:
                compressed = next(values, compressed)
            if offset == 0xFFFFFFFF:
                offset = next(values, offset)
            break
        at += 4 + length
    return size, compressed, offset


def read_range(client: Client, url: str, first: int, last: int, validator: str | None) -> bytes:
    """Bytes ``first..last`` of the archive (one attempt: the caller retries)."""
    with client.open(url, _range(first, last, validator)) as answer:
        _partial(url, answer.status)
        return answer.read_all(last - first + 1)


def _range(first: int, last: int, validator: str | None) -> dict[str, str]:
    """The headers asking for bytes ``first..last`` of the archive as it was when its
    directory was read (``If-Range``: else the whole of a changed archive comes back)."""
    headers = {"Range": f"bytes={first}-{last}"}
    if validator:
        headers["If-Range"] = validator
    return headers


def _partial(url: str, status: int) -> None:
    """Anything but 206 Partial Content to a range request: the archive changed meanwhile."""
    if status != 206:
        raise FetchError(
            f"{url}: the archive changed on the server while it was being read (or "
            "stopped answering range requests): fetch again"
        )


def inflate_member(
    client: Client, url: str, member: Member, total: int, validator: str | None
) -> Iterator[bytes]:
    """The member's content, inflated as its compressed bytes arrive, checked at the end
    against the directory's CRC-32 and size (a ``Retry`` if they disagree: a damaged
    transfer is worth another)."""
    if member.flags & 0x1:
        raise FetchError(f"{url}:{member.name}: is encrypted: cannot be read")
    if member.method not in (0, 8):
        raise FetchError(f"{url}:{member.name}: compressed with zip method {member.method}")
    yield from _inflate(url, member, _window(client, url, member, total, validator))


def _window(
    client: Client, url: str, member: Member, total: int, validator: str | None
) -> Iterator[bytes]:
    """The archive's bytes from the member's local header on, as far as they are read: one
    range for the header (as long as the directory's entry, and a little more) and the
    compressed data; another only if the local header turns out longer."""
    position = member.offset
    last = min(total - 1, member.offset + member.header + _HEADER_SLACK + member.compressed)
    while position < total:
        with client.open(url, _range(position, last, validator)) as answer:
            _partial(url, answer.status)
            for block in answer.blocks():
                position += len(block)
                yield block
        last = min(total - 1, position + _LOCAL_SLACK)


def _inflate(url: str, member: Member, blocks: Iterator[bytes]) -> Iterator[bytes]:
    head = b""
    data_start = None
    left = member.compressed
    inflater = zlib.decompressobj(-15) if member.method == 8 else None
    crc, size = 0, 0
    for block in blocks:
        if data_start is None:
            head += block
            if len(head) < _LOCAL.size:
                continue
            fields = _LOCAL.unpack_from(head)
            if fields[0] != b"PK\x03\x04":
                raise FetchError(f"{url}:{member.name}: no local header where the directory says")
            data_start = _LOCAL.size + fields[9] + fields[10]
            if len(head) < data_start:
                data_start = None
                continue
            block = head[data_start:]
        piece = block[:left]
        left -= len(piece)
        try:
            out = inflater.decompress(piece) if inflater is not None else piece
        except zlib.error as err:
            raise Retry(f"{url}:{member.name}: damaged in transfer ({err})", wait=0) from err
        if out:
            crc, size = zlib.crc32(out, crc), size + len(out)
            if size > member.size:
                raise FetchError(f"{url}:{member.name}: holds more than its declared size")
            yield out
        if left <= 0:
            break
    if inflater is not None:
        try:
            out = inflater.flush()
        except zlib.error as err:
            raise Retry(f"{url}:{member.name}: damaged in transfer ({err})", wait=0) from err
        if out:
            crc, size = zlib.crc32(out, crc), size + len(out)
            yield out
    if left > 0 or crc != member.crc or size != member.size:
        raise Retry(f"{url}:{member.name}: damaged in transfer (size or CRC-32 wrong)", wait=0)

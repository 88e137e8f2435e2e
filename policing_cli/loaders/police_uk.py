"""data.police.uk street-level crime files: one row per crime, one file per force and month.

``Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,
Crime type,Last outcome category,Context``

Read with pyarrow's streaming CSV reader, only the columns reports need, dictionary-encoded,
batch by batch: each batch is reduced at once to counts per month, force, district, crime
type and outcome, so memory stays bounded whatever the size or number of files. The district
is the LSOA name without its last token ("Barking and Dagenham 001A" -> "Barking and
Dagenham"); rows with no LSOA ("No location") count toward their force only (area "").
"""

from __future__ import annotations

import codecs
import functools
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from policing_cli import columns as C
from policing_cli.errors import InputFormatError
from policing_cli.loaders.csv_text import Sniffed, utf16_without_bom
from policing_cli.loaders.layout import Kind, Layout
from policing_cli.model import LoadedFile
from policing_cli.report.periods import current_month, month_label, parse_month

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

HEADER_START = ("crime id", "month", "reported by", "falls within")
NEEDED = ("Month", "Falls within", "LSOA name", "Crime type", "Last outcome category")
LAYOUT_NAME = C.STREET_LAYOUT
STREET_MAJOR = C.STREET_MAJOR
#: Other data.police.uk files that come in the same archives and hold no street crime.
OTHER_FILES = re.compile(r"-(outcomes|stop-and-search)\.csv$", re.IGNORECASE)
BLOCK_SIZE = 1 << 21  # 2 MiB of CSV text per batch: bounded memory, little per-batch cost
#: Files above LARGE_FILE are read in bigger batches: fewer batches to reduce (faster), at a
#: memory cost that stays far below the file's size (about 450 MB for a 1.2 GB file).
LARGE_FILE = 512 * 1024 * 1024
#: Files up to this size (uncompressed) are parsed whole by pyarrow's multi-threaded reader
#: (about twice as fast as streaming; peak memory about a quarter of the file: 310 MB for
#: 1.2 GB of ordinary rows), larger ones streamed batch by batch so that memory stays bounded
#: whatever the size...
WHOLE_FILE = 1536 * 1024 * 1024
#: ... but only if they hold at most this many rows: a whole parse costs memory by the row
#: (about 40 bytes each), not by the byte, so 1.5 GB of 24-byte rows (64 million rows, in a
#: 4 MB zip) peaked at 2.4 GB. Six million rows is 1.4 GB of ordinary rows (about 230 bytes).
WHOLE_FILE_ROWS = 6_000_000
WHOLE_BLOCK_SIZE = 1 << 22
#: Up to this size, parse in 1 MiB blocks (least memory: 1M rows in about 235 MB); above
#: it, in 4 MiB blocks (faster).
SMALL_FILE = 256 * 1024 * 1024
LARGE_BLOCK_SIZE = 1 << 23
#: At most this many rows in one streamed batch, whatever its bytes: a batch's memory is
#: mostly per row (each field's offset, each column's index), so a block of the shortest
#: rows a file can hold (one byte per field) is made no larger than this many rows.
MAX_BLOCK_ROWS = 1 << 19
#: Read this much of a file's start to tell its encoding and count its columns.
HEAD_BYTES = 64 * 1024
#: Read this much at a time when counting a file's lines (small: the comparisons stay in cache).
COUNT_CHUNK = 1024 * 1024
#: Zip compression methods Python's zipfile reads: stored, deflated, bzip2, LZMA.
READABLE_METHODS = {0: "stored", 8: "Deflate", 12: "bzip2", 14: "LZMA"}
#: Names of the methods it does not, for the error message.
METHOD_NAMES = {1: "Shrink", 6: "Implode", 9: "Deflate64", 93: "Zstandard", 95: "XZ", 98: "PPMd"}


def matches(header: list[str]) -> bool:
    names = tuple(h.strip().casefold() for h in header[:4])
    return names == HEADER_START and "crime type" in {h.strip().casefold() for h in header}


def district_of(lsoa_name: str) -> str:
    """The local authority district of an LSOA name: all but its last token."""
    parts = lsoa_name.split()
    return " ".join(parts[:-1]) if len(parts) > 1 else ""


@functools.cache
def _cleaned(value: str, district: bool) -> str:
    """A raw value trimmed (and an LSOA name cut to its district), once per process: a
    folder of monthly files repeats the same few thousand LSOA names in every file."""
    text = " ".join(value.split())
    return district_of(text) if district else text


@dataclass
class _Codes:
    """Global integer codes for one column's values, across batches and files.

    Each batch of the streaming reader has its own dictionary of strings; matching it to the
    values seen so far is one vectorised ``index_in`` in arrow, and only strings never seen
    before are cleaned (trimmed; LSOA names cut to their district) in Python, once each.
    """

    district: bool = False
    values: list[str] = field(default_factory=list)  # cleaned value of each global code
    index: dict[str, int] = field(default_factory=dict)
    raw_codes: list[int] = field(default_factory=list)  # global code of each raw string seen
    _raw_array: object = None
    _raw_lookup: object = None

    def codes_of(self, dictionary: object) -> np.ndarray:
        """Global code of each entry of an arrow dictionary."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        if self._raw_array is not None:
            found = pc.index_in(dictionary, value_set=self._raw_array)
            if found.null_count == 0:
                return self._raw_lookup[_int_values(found)]
            fresh = pc.unique(dictionary.filter(pc.is_null(found)))
            # Arrow arrays joined in arrow: pa.array() of a Python list would import pandas
            # (pyarrow checks for pandas objects) and wait here for its half-second import.
            self._raw_array = pa.concat_arrays([self._raw_array, fresh.cast(pa.string())])
        else:
            fresh = pc.unique(dictionary)
            self._raw_array = fresh.cast(pa.string())
        for value in fresh.to_pylist():
            cleaned = _cleaned(value, self.district)
            code = self.index.get(cleaned)
            if code is None:
                code = self.index[cleaned] = len(self.values)
                self.values.append(cleaned)
            self.raw_codes.append(code)
        self._raw_lookup = np.array(self.raw_codes, dtype=np.int64)
        return self.codes_of(dictionary)


#: Bits of the packed key given to each column's code: month, force, area, type, outcome.
_BITS = (("month", 12), ("force", 8), ("area", 17), ("type", 8), ("outcome", 8))


def _int_values(array: object) -> np.ndarray:
    """A null-free arrow integer array (or chunked array) as numpy, without copying a single
    chunk. ``Array.to_numpy`` would import pandas (pyarrow checks for it), and wait for it
    while pandas is still being imported in the background."""
    import numpy as np
    import pyarrow as pa

    if isinstance(array, pa.ChunkedArray):
        parts = [_int_values(chunk) for chunk in array.chunks]
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
    assert array.null_count == 0 and pa.types.is_signed_integer(array.type)
    dtype = np.dtype(f"int{array.type.bit_width}")
    return np.frombuffer(
        array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * dtype.itemsize
    )


def _dictionary_codes(column: object, codes: _Codes) -> np.ndarray:
    """Global codes of a dictionary-encoded column, row by row (one numpy take)."""
    import pyarrow as pa

    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    return codes.codes_of(array.dictionary)[_int_values(array.indices)]


def _check_width(name: str, codes: dict[str, _Codes]) -> None:
    """Refuse an input whose values of one column outnumber that column's bits in _BITS."""
    bits = dict(_BITS)[name]
    if len(codes[name].values) >= 1 << bits:
        column = NEEDED[[n for n, _ in _BITS].index(name)]
        raise InputFormatError(column, f"more than {1 << bits} distinct values in one input")


def _shift_in(key: np.ndarray, name: str, part: np.ndarray, codes: dict[str, _Codes]) -> np.ndarray:
    """``key`` with one more column's global codes packed in below it."""
    _check_width(name, codes)
    return (key << dict(_BITS)[name]) | part


def _pack(batch: object, codes: dict[str, _Codes]) -> np.ndarray:
    """One int64 key per row packing the five columns' codes."""
    import numpy as np

    key = np.zeros(batch.num_rows, dtype=np.int64)
    for (name, _), column in zip(_BITS, NEEDED, strict=True):
        key = _shift_in(key, name, _dictionary_codes(batch.column(column), codes[name]), codes)
    return key


#: Up to this many possible combinations of the five columns' codes, count with one counter
#: per combination (np.bincount, 32 MB at most); beyond, sort (np.unique).
DENSE_KEYS = 1 << 22


def _count_table(table: object, codes: dict[str, _Codes]) -> tuple[np.ndarray, np.ndarray]:
    """Counts by packed global key of a whole parsed file (``unify_dictionaries`` done).

    Each column's one dictionary is mapped to global codes once (which merges the LSOAs of a
    district); each row's five codes are combined into one mixed-radix number, in place,
    chunk by chunk, in 32 bits where they suffice, and counted with bincount: no temporary
    copy of a whole column, no sort, no hashing (about five times faster than arrow's hash
    grouping on five million rows).
    """
    import math

    import numpy as np

    columns = [table.column(name) for name in NEEDED]
    # Per column: the global codes this file uses ("present") and, for each dictionary
    # entry, its position among them: numbering only what this file holds keeps the key
    # space small (a force-month file: some 15,000 combinations) however many files came
    # before.
    present, lookups = [], []
    for (name, _), column in zip(_BITS, columns, strict=True):
        used, position = np.unique(codes[name].codes_of(column.chunk(0).dictionary),
                                   return_inverse=True)  # fmt: skip
        _check_width(name, codes)
        present.append(used)
        lookups.append(position)
    sizes = [max(len(used), 1) for used in present]
    space = math.prod(sizes)  # < 2**53: codes fit the bits of _BITS, checked just above
    dtype = np.int32 if space < 1 << 31 else np.int64
    key = np.zeros(table.num_rows, dtype=dtype)
    for column, lookup, size in zip(columns, lookups, sizes, strict=True):
        if size > 1:
            np.multiply(key, size, out=key)
        lookup = lookup.astype(dtype)
        start = 0
        for chunk in column.chunks:
            window = key[start : start + len(chunk)]
            np.add(window, lookup[_int_values(chunk.indices)], out=window)
            start += len(chunk)
    if space <= DENSE_KEYS:
        tally = np.bincount(key)
        combined = np.flatnonzero(tally)
        counted = tally[combined]
    else:
        combined, counted = np.unique(key, return_counts=True)
    parts = []
    for size in reversed(sizes):
        parts.append(combined % size)
        combined = combined // size
    packed = np.zeros(len(counted), dtype=np.int64)
    for (name, _), used, part in zip(_BITS, present, reversed(parts), strict=True):
        packed = _shift_in(packed, name, used[part].astype(np.int64), codes)
    return packed, counted.astype(np.int64)


def _unpack(keys: np.ndarray) -> dict[str, np.ndarray]:
    out = {}
    for name, bits in reversed(_BITS):
        out[name] = keys & ((1 << bits) - 1)
        keys = keys >> bits
    return out


def _find_line(stream_opener, row_text: str) -> int | None:
    """The line number of the bad row arrow quotes (error path only): the line equal to it,
    else the last line starting with it (a cut-off row is usually the last)."""
    exact, prefix = None, None
    try:
        with stream_opener() as handle:
            for number, raw in enumerate(handle, start=1):
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                if line == row_text and exact is None:
                    exact = number
                elif line.startswith(row_text[:60]):
                    prefix = number
    except (OSError, _NotRereadable):
        return None
    return exact or prefix


def _reduce(keys: list[np.ndarray], counts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    unique, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    return unique, np.bincount(inverse, weights=np.concatenate(counts)).astype(np.int64)


@dataclass(frozen=True)
class ParsePlan:
    """How one street file is parsed: whole (multi-threaded) or streamed, in which blocks."""

    whole: bool
    block_size: int
    #: The most rows parsed at once: the whole file's (at most WHOLE_FILE_ROWS), or a
    #: streamed block's (at most MAX_BLOCK_ROWS, rows being at least a byte per column).
    max_rows: int


def plan_parse(size: int, columns: int, rows_up_to: Callable[[int], int]) -> ParsePlan:
    """Whole or streamed, and the block size, from the file's uncompressed size and rows.

    Memory must depend neither on the length of the rows nor on how far an archive member
    is compressed. A row has at least one byte per column (its separators and newline), so
    ``size // columns`` bounds the rows; when that bound is above WHOLE_FILE_ROWS the line
    ends are counted (``rows_up_to(limit)``, see count_lines: at most twice as many rows,
    and it may stop once past the limit) before a whole parse is allowed. Streamed blocks are made small enough that even rows of one byte per
    field fill no more than MAX_BLOCK_ROWS rows.
    """
    columns = max(columns, 1)
    if 0 < size <= WHOLE_FILE:
        rows = size // columns
        if rows > WHOLE_FILE_ROWS:
            rows = rows_up_to(WHOLE_FILE_ROWS)
        if rows <= WHOLE_FILE_ROWS:
            block = 1 << 20 if size <= SMALL_FILE else WHOLE_BLOCK_SIZE
            return ParsePlan(True, block, rows)
    wanted = LARGE_BLOCK_SIZE if size > LARGE_FILE else BLOCK_SIZE
    block = min(wanted, MAX_BLOCK_ROWS * columns)
    return ParsePlan(False, block, block // columns)


def count_lines(opener: Callable[[], IO[bytes]], limit: int) -> int:
    """The line ends of a file, counting no further than just past ``limit``: the number of
    LF bytes or of CR bytes, whichever is larger.

    That is the file's lines when it keeps one convention (LF, CR LF or CR), and at least
    half of them when it mixes lone CRs with LFs (arrow takes both as line ends): so a
    file counted at ``n`` holds at most ``2 n`` rows (a quoted field's newline and a blank
    line count too: an upper bound). Counting the CR LF pairs exactly cost half as much
    again; two byte comparisons per 1 MiB chunk, in cache, take about 0.4 s a GB.
    """
    import numpy as np

    most = lfs = crs = 0
    buffer = bytearray(COUNT_CHUNK)
    with opener() as handle:
        while most <= limit:
            read = handle.readinto(buffer)  # type: ignore[attr-defined]
            if not read:
                break
            data = np.frombuffer(buffer, dtype=np.uint8, count=read)
            lfs += int(np.count_nonzero(data == 10))
            crs += int(np.count_nonzero(data == 13))
            most = max(lfs, crs)
    return most


def street_encoding(name: str, head: bytes) -> str:
    """The encoding of a street file from its start: UTF-8 (with or without BOM), or UTF-16
    (by its BOM, or by the NUL bytes of every other byte of ASCII text written in it).
    Windows-1252 cannot be told from its start; it is tried when UTF-8 fails."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        found = utf16_without_bom(head)
        if found is None:
            raise InputFormatError(name, "looks binary (NUL bytes), expected a CSV text file")
        return found
    return "utf8"


def _field_count(head: bytes, encoding: str) -> int:
    """The number of columns of the header line (for the bound on rows per block)."""
    import csv

    text = head.decode(encoding, errors="replace").lstrip("\ufeff")
    first = text.splitlines()[0] if text.strip() else ""
    return max(len(next(csv.reader([first]), [])), 1)


class _NotUtf8(Exception):
    """A street file with bytes that are not UTF-8: read again as Windows-1252."""


def read_counts(
    name: str,
    opener: Callable[[], IO[bytes]],
    codes: dict[str, _Codes],
    on_bytes: Callable[[int], None] | None = None,
    size: int = 0,
    native: str | None = None,
    notes: list[str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Counts of one street file by packed key; ``opener()`` opens it. Batches are reduced
    as they come, so memory does not grow with the file.

    Files saved as UTF-16 (Excel's "Unicode text") are read as such; files with bytes that
    are not UTF-8 are read again as Windows-1252 (Excel's "CSV" on Windows, where a "£" or
    a curly quote is one byte). Either way a note says so: a file is never dropped silently.
    """
    try:
        handle = opener()
        head = handle.read(HEAD_BYTES)
    except (OSError, *zipfile_errors()) as err:
        raise _damaged(name, err) from err
    try:
        again = _replayer(handle, head)
        encoding = street_encoding(name, head)
        columns = _field_count(head, encoding)
        where = Path(name).name
        if encoding != "utf8" and notes is not None:
            notes.append(f"{where}: saved as UTF-16 text; read as such")
        try:
            return _parse_counts(name, again, codes, on_bytes, size, native, encoding, columns)
        except _NotUtf8:
            if encoding != "utf8":
                raise InputFormatError(name, f"is not valid {encoding} text") from None
        try:
            found = _parse_counts(name, again, codes, None, size, native, "cp1252", columns)
        except UnicodeDecodeError as err:
            raise InputFormatError(
                name, "is neither UTF-8 nor Windows-1252 (cp1252) text: save it as UTF-8"
            ) from err
        except _NotRereadable:
            raise InputFormatError(
                name, "is not UTF-8 text (and a pipe cannot be read again): save it as UTF-8"
            ) from None
        if notes is not None:
            notes.append(f"{where}: not UTF-8; read as Windows-1252 (cp1252) text")
        return found
    finally:
        handle.close()


class _NotRereadable(Exception):
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


def _replayer(handle: IO[bytes], head: bytes) -> Callable[[], Any]:
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
            raise _NotRereadable
        return contextlib.nullcontext(once.pop())

    return replay


def zipfile_errors() -> tuple[type[Exception], ...]:
    """What reading an archive member raises when the archive is damaged or cut off."""
    import zipfile
    import zlib

    return (zipfile.BadZipFile, zlib.error, EOFError)


def _damaged(name: str, err: Exception) -> InputFormatError:
    """A one-line error for a file that could not be read to its end."""
    if isinstance(err, OSError):
        return InputFormatError(name, f"cannot be read ({err.strerror or err})")
    detail = str(err) or type(err).__name__
    return InputFormatError(
        name, f"is damaged ({detail}): the archive is corrupt or cut off; download it again"
    )


def _parse_counts(
    name: str,
    opener: Callable[[], IO[bytes]],
    codes: dict[str, _Codes],
    on_bytes: Callable[[int], None] | None,
    size: int,
    native: str | None,
    encoding: str,
    columns: int,
) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pcsv

    convert = pcsv.ConvertOptions(
        include_columns=list(NEEDED),
        column_types={c: pa.dictionary(pa.int32(), pa.string()) for c in NEEDED},
        strings_can_be_null=False,
    )
    try:
        plan = plan_parse(size, columns, lambda limit: count_lines(opener, limit))
    except (OSError, *zipfile_errors()) as err:
        raise _damaged(name, err) from err
    keys: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    pending = 0
    _warm_up_pandas()
    with opener() as handle:
        # A large plain file is handed to arrow by path (its own I/O, faster than Python's
        # file object); small ones through the handle, which holds less in memory.
        source = native if native and size > SMALL_FILE else handle
        try:
            if plan.whole:
                # Small enough to parse whole, in parallel blocks (faster than streaming).
                table = pcsv.read_csv(
                    source,
                    read_options=pcsv.ReadOptions(block_size=plan.block_size, encoding=encoding),
                    convert_options=convert,
                )
                if on_bytes is not None:
                    on_bytes(size)
                if table.num_rows == 0:
                    return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
                return _count_table(table.unify_dictionaries(), codes)
            reader = pcsv.open_csv(
                source,
                read_options=pcsv.ReadOptions(block_size=plan.block_size, encoding=encoding),
                convert_options=convert,
            )
            for batch in reader:
                if batch.num_rows == 0:
                    continue
                if on_bytes is not None:
                    on_bytes(plan.block_size)
                batch_keys, batch_counts = np.unique(_pack(batch, codes), return_counts=True)
                keys.append(batch_keys)
                counts.append(batch_counts)
                pending += len(batch_keys)
                if pending > 2_000_000:
                    unique, summed = _reduce(keys, counts)
                    keys, counts, pending = [unique], [summed], len(unique)
        except (pa.ArrowInvalid, pa.ArrowKeyError) as err:
            message = str(err)
            if "invalid UTF8" in message:
                raise _NotUtf8 from err
            line = None
            if ": " in message and "Expected" in message:
                line = _find_line(opener, message.split(": ", 2)[-1].splitlines()[0])
            cut = " (is the file cut off?)" if "Expected" in message else ""
            # arrow quotes the bad row: kept short (a row can be megabytes long); its control
            # characters are made visible where errors are printed (cli.shown).
            quoted = message.splitlines()[0]
            quoted = quoted if len(quoted) <= 160 else quoted[:157] + "..."
            raise InputFormatError(
                name, f"is not a valid street-level CSV: {quoted}{cut}", line=line
            ) from err
        except (OSError, *zipfile_errors()) as err:
            raise _damaged(name, err) from err
    if not keys:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return _reduce(keys, counts)


def _warm_up_pandas() -> None:
    """Import pandas in a background thread while arrow parses (releasing the GIL): the
    half-second import then overlaps the parse. Started only now, not earlier, so that it
    does not slow the Python work before the parse (imports, sniffing) by taking the GIL."""
    import sys
    import threading

    if "pandas" not in sys.modules:
        threading.Thread(target=__import__, args=("pandas",), daemon=True).start()


def _member_size(path: Path, member: str | None) -> int:
    """Uncompressed size of a file or an archive member (0 when unknown); an archive member
    that cannot be read (encrypted, or compressed with a method zipfile lacks) is refused
    here, with a reason, before any reading. A member's declared size is an upper bound of
    what is read: zipfile stops at it (and fails the CRC check if the data run longer)."""
    try:
        if member is None:
            return path.stat().st_size if path.is_file() else 0
        import zipfile

        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(member)
    except (OSError, KeyError, ValueError):
        return 0
    check_member(f"{path}:{member}", info)
    return info.file_size


def check_member(name: str, info: object) -> None:
    """Refuse an archive member zipfile cannot read, saying why and what to do."""
    if info.flag_bits & 0x1:  # type: ignore[attr-defined]
        raise InputFormatError(
            name,
            "is encrypted (password-protected): extract the archive with its password "
            "and give the extracted CSV files",
        )
    method = info.compress_type  # type: ignore[attr-defined]
    if method not in READABLE_METHODS:
        shown = METHOD_NAMES.get(method, "an unknown method")
        raise InputFormatError(
            name,
            f"is compressed with {shown} (zip method {method}), which cannot be read here: "
            "extract the archive (or re-zip it with ordinary Deflate) and give the files",
        )


def nested_archives(path: Path) -> list[str]:
    """Zip archives held inside an archive: never opened (a file inside a file inside an
    archive would be read without being seen), but never passed over in silence either."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return sorted(n for n in archive.namelist() if n.lower().endswith(".zip"))
    except (zipfile.BadZipFile, OSError):
        return []


def _opener_for(path: Path, member: str | None):
    if member is None:
        return lambda: path.open("rb")
    import zipfile

    def open_member() -> IO[bytes]:
        archive = zipfile.ZipFile(path)
        handle = archive.open(member)
        handle_close = handle.close

        def close() -> None:
            handle_close()
            archive.close()

        handle.close = close  # type: ignore[method-assign]
        return handle

    return open_member


def load_many(
    items: list[tuple[Path, str | None]],
    display: str,
    on_bytes: Callable[[int], None] | None = None,
) -> LoadedFile:
    """Counts of several street files (a zip archive's members, or one file)."""
    import numpy as np

    codes = {name: _Codes(district=name == "area") for name, _ in _BITS}
    keys: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    seen: dict[tuple[int, int], str] = {}
    notes: list[str] = []
    for archive in dict.fromkeys(path for path, member in items if member):
        if inner := nested_archives(archive):
            notes.append(_nested_note(archive, inner))
    for path, member in items:
        name = f"{path}:{member}" if member else str(path)
        size = _member_size(path, member)
        native = None if member else str(path)
        file_keys, file_counts = read_counts(
            name, _opener_for(path, member), codes, on_bytes, size, native, notes
        )
        if not len(file_keys):
            continue
        parts = _unpack(file_keys)
        pairs = set(zip(parts["force"].tolist(), parts["month"].tolist(), strict=True))
        repeated = [pair for pair in pairs if pair in seen]
        for force, month in repeated:
            notes.append(
                f"{Path(name).name}: {codes['month'].values[month]} of "
                f"{codes['force'].values[force]} was already read from "
                f"{Path(seen[(force, month)]).name}: counted once"
            )
        if repeated:
            continue
        seen.update(dict.fromkeys(pairs, name))
        keys.append(file_keys)
        counts.append(file_counts)
    if not keys:
        raise InputFormatError(display, "has a header but no data rows")
    unique, summed = _reduce(keys, counts)
    parts = _unpack(unique)
    # Only now: pandas is being imported in a background thread while arrow parses (which
    # releases the GIL); importing it before reading would make the parse wait for it.
    import pandas as pd

    months = codes["month"].values
    bad = [m for m in months if parse_month(m) is None]
    if bad:
        raise InputFormatError(
            display, f"month {bad[0]!r} is not a month written YYYY-MM", column=2
        )
    month_index = np.array([parse_month(m) for m in months], dtype=np.int64)
    if future := [m for m, i in zip(months, month_index, strict=True) if i > current_month()]:
        raise InputFormatError(display, f"month {future[0]} is in the future", column=2)

    def categorical(name: str) -> pd.Categorical:
        return pd.Categorical.from_codes(parts[name], codes[name].values)

    outcomes = pd.DataFrame(
        {
            C.AREA: categorical("area"),
            C.FORCE: categorical("force"),
            C.MONTH: month_index[parts["month"]],
            C.MINOR: categorical("type"),
            "outcome": categorical("outcome"),
            C.COUNT: summed,
        }
    )
    frame = outcomes.groupby([C.AREA, C.FORCE, C.MONTH, C.MINOR], as_index=False, observed=True)[
        C.COUNT
    ].sum()
    frame[C.PERIOD] = frame[C.MONTH].map(month_label)
    frame[C.MAJOR] = STREET_MAJOR
    present = sorted(set(frame[C.MONTH]))
    return LoadedFile(
        path=display,
        layout=LAYOUT_NAME,
        frame=frame[[C.AREA, C.PERIOD, C.MONTH, C.MAJOR, C.MINOR, C.COUNT, C.FORCE]],
        first_month=present[0],
        last_month=present[-1],
        notes=tuple(notes),
        months=frozenset(present),
        outcomes=outcomes,
        classification=C.STREET_TYPES,
        level="district",
    )


def load(
    path: Path, sniffed: Sniffed | None = None, on_bytes: Callable[[int], None] | None = None
) -> LoadedFile:
    """One street file (its header was sniffed already; the reader reads its own way)."""
    return load_many([(path, None)], str(path), on_bytes)


LAYOUT = Layout(
    name="data.police.uk street-level crime",
    description="Crime ID,Month,Reported by,Falls within,...; *-street.csv files, folders, zips",
    kind=Kind.COUNTS,
    matches=matches,
    load=load,
)


def _nested_note(path: Path, inner: list[str]) -> str:
    shown = ", ".join(inner[:3]) + (f" and {len(inner) - 3} more" if len(inner) > 3 else "")
    return (
        f"{Path(path).name} holds {len(inner)} zip archive(s) inside it ({shown}), not read: "
        "archives inside archives are not opened; extract them and give them with --data"
    )


def zip_members(path: Path) -> tuple[list[str], list[str]]:
    """Street CSV members of a data.police.uk archive, and the other files it holds.

    An archive whose only street files are inside another archive is an error that says so
    (not "holds no street files", which would leave the user puzzled).
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            every = archive.namelist()
    except (zipfile.BadZipFile, OSError) as err:
        raise InputFormatError(path, f"is not a readable zip archive ({err})") from err
    names = [n for n in every if n.lower().endswith(".csv")]
    street = sorted(n for n in names if n.lower().endswith("-street.csv"))
    other = sorted(n for n in names if n not in street)
    inner = sorted(n for n in every if n.lower().endswith(".zip"))
    if not street and inner:
        raise InputFormatError(path, "holds no *-street.csv files: " + _nested_note(path, inner))
    return street, other

"""One street file read into counts by packed key, in memory bounded whatever its size.

Read with pyarrow's CSV reader, only the columns reports need, dictionary-encoded: whole
(multi-threaded) when the file is small enough in bytes *and* rows, else streamed batch by
batch, each batch reduced at once to counts per packed key (``street_keys``), so memory
stays bounded whatever the size or number of files (``plan_parse``). Each input is opened
once: the start read to tell the encoding (UTF-8, UTF-16, else Windows-1252) is put back,
so a FIFO or standard input is never opened twice (``replay``). A damaged archive member or
a bad row is a one-line error naming the file (and the line, where arrow quotes the row).
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from policing_cli.errors import InputFormatError
from policing_cli.loaders import street_keys
from policing_cli.loaders.csv_text import utf16_without_bom
from policing_cli.loaders.replay import NotRereadable, replayer
from policing_cli.loaders.street_keys import NEEDED, Codes

if TYPE_CHECKING:
    import numpy as np

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
#: A file held in memory is counted by ``count_buffer`` if it has at most this many rows
#: (parsing costs memory by the row, about 40 bytes each: 80 MB); more go to ``read_counts``.
#: Files up to BUFFER_ROWS bytes a column (24 MB) hold no more: their lines are not counted.
BUFFER_ROWS = 2_000_000
#: ``count_buffer`` parses in blocks this large (fewer blocks: faster; a row must fit in one).
BUFFER_BLOCK_SIZE = 1 << 22


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


def count_buffer(data: bytes) -> street_keys.LocalCounts | None:
    """Counts of a whole street file held in memory, by its own codes (``count_local``), in
    the calling thread: parsed by arrow single-threaded (the caller runs several at once).
    None when the file needs ``read_counts``: not plain UTF-8 (UTF-16, or bytes that are
    not UTF-8), more than BUFFER_ROWS rows, or anything arrow or the counting refuse; that
    reader then reads it, or says what is wrong with it, exactly as for a file on its own.
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    head = data[:HEAD_BYTES]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        return None
    most = min(BUFFER_ROWS, WHOLE_FILE_ROWS)  # rows parsed at once: as few as a whole parse
    if len(data) // _field_count(head, "utf8") > most and (
        max(data.count(b"\n"), data.count(b"\r")) > most  # at least half the rows: see count_lines
    ):
        return None
    read = pcsv.ReadOptions(block_size=BUFFER_BLOCK_SIZE, encoding="utf8", use_threads=False)
    # Bytes, not text: the distinct values are checked as UTF-8 when decoded (count_local),
    # not every value of every row as it is parsed.
    convert = pcsv.ConvertOptions(
        include_columns=list(NEEDED),
        column_types={c: pa.dictionary(pa.int32(), pa.binary()) for c in NEEDED},
        strings_can_be_null=False,
    )
    try:
        table = pcsv.read_csv(pa.py_buffer(data), read_options=read, convert_options=convert)
    except (pa.ArrowInvalid, pa.ArrowKeyError):
        return None
    if table.num_rows == 0:
        return street_keys.LocalCounts.empty()
    return street_keys.count_local(table.unify_dictionaries())


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
    codes: dict[str, Codes],
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
        again = replayer(handle, head)
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
        except NotRereadable:
            raise InputFormatError(
                name, "is not UTF-8 text (and a pipe cannot be read again): save it as UTF-8"
            ) from None
        if notes is not None:
            notes.append(f"{where}: not UTF-8; read as Windows-1252 (cp1252) text")
        return found
    finally:
        handle.close()


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
    codes: dict[str, Codes],
    on_bytes: Callable[[int], None] | None,
    size: int,
    native: str | None,
    encoding: str,
    columns: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Counts of one street file in one encoding, parsed whole or streamed as planned."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    try:
        plan = plan_parse(size, columns, lambda limit: count_lines(opener, limit))
    except (OSError, *zipfile_errors()) as err:
        raise _damaged(name, err) from err
    read = pcsv.ReadOptions(block_size=plan.block_size, encoding=encoding)
    warm_up_pandas()
    with opener() as handle:
        # A large plain file is handed to arrow by path (its own I/O, faster than Python's
        # file object); small ones through the handle, which holds less in memory.
        source = native if native and size > SMALL_FILE else handle
        try:
            if plan.whole:
                return _count_whole(source, read, codes, on_bytes, size)
            return _count_streamed(source, read, codes, on_bytes, plan.block_size)
        except (pa.ArrowInvalid, pa.ArrowKeyError) as err:
            raise _invalid(name, opener, err) from err
        except (OSError, *zipfile_errors()) as err:
            raise _damaged(name, err) from err


def _convert_options() -> Any:
    """Only the columns counted, each dictionary-encoded (a few thousand distinct values
    repeated over millions of rows), blanks kept as empty text."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    return pcsv.ConvertOptions(
        include_columns=list(NEEDED),
        column_types={c: pa.dictionary(pa.int32(), pa.string()) for c in NEEDED},
        strings_can_be_null=False,
    )


def _no_counts() -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)


def _count_whole(
    source: Any,
    read: Any,
    codes: dict[str, Codes],
    on_bytes: Callable[[int], None] | None,
    size: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Small enough to parse whole, in parallel blocks (faster than streaming)."""
    import pyarrow.csv as pcsv

    table = pcsv.read_csv(source, read_options=read, convert_options=_convert_options())
    if on_bytes is not None:
        on_bytes(size)
    if table.num_rows == 0:
        return _no_counts()
    return street_keys.count_table(table.unify_dictionaries(), codes)


def _count_streamed(
    source: Any,
    read: Any,
    codes: dict[str, Codes],
    on_bytes: Callable[[int], None] | None,
    block_size: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Batch by batch, each reduced to counts by key at once, and the counts summed again
    whenever they hold two million keys: memory bounded by the plan's block, not the file."""
    import numpy as np
    import pyarrow.csv as pcsv

    reader = pcsv.open_csv(source, read_options=read, convert_options=_convert_options())
    keys: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    pending = 0
    for batch in reader:
        if batch.num_rows == 0:
            continue
        if on_bytes is not None:
            on_bytes(block_size)
        batch_keys, batch_counts = np.unique(street_keys.pack(batch, codes), return_counts=True)
        keys.append(batch_keys)
        counts.append(batch_counts)
        pending += len(batch_keys)
        if pending > 2_000_000:
            unique, summed = street_keys.sum_by_key(keys, counts)
            keys, counts, pending = [unique], [summed], len(unique)
    if not keys:
        return _no_counts()
    return street_keys.sum_by_key(keys, counts)


def _invalid(name: str, opener: Callable[[], Any], err: Exception) -> Exception:
    """What arrow's complaint about a file means: bytes that are not UTF-8 (to be read
    again as Windows-1252), else a one-line error quoting the bad row, with its line."""
    message = str(err)
    if "invalid UTF8" in message:
        return _NotUtf8()
    line = None
    if ": " in message and "Expected" in message:
        line = _find_line(opener, message.split(": ", 2)[-1].splitlines()[0])
    cut = " (is the file cut off?)" if "Expected" in message else ""
    # arrow quotes the bad row: kept short (a row can be megabytes long); its control
    # characters are made visible where errors are printed (cli.shown).
    quoted = message.splitlines()[0]
    quoted = quoted if len(quoted) <= 160 else quoted[:157] + "..."
    return InputFormatError(name, f"is not a valid street-level CSV: {quoted}{cut}", line=line)


def warm_up_pandas() -> None:
    """Import pandas in a background thread while arrow parses (releasing the GIL): the
    half-second import then overlaps the parse. Started only now, not earlier, so that it
    does not slow the Python work before the parse (imports, sniffing) by taking the GIL."""
    import sys
    import threading

    if "pandas" not in sys.modules:
        threading.Thread(target=__import__, args=("pandas",), daemon=True).start()


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
    except (OSError, NotRereadable):
        return None
    return exact or prefix

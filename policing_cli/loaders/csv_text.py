"""Reading CSV text safely: encodings, delimiters, ragged lines, with file:line errors.

Every loader reads through here so that each bad-file case gets the same one-line error.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from policing_cli.errors import InputFormatError
from policing_cli.loaders.problems import problem

if TYPE_CHECKING:
    import pandas as pd

#: Borough-level and tidy files are read whole; anything this large is not one of them
#: (street-level files, which can be far larger, are streamed by their own reader).
MAX_BYTES = 512 * 1024 * 1024
MAX_LINES = 5_000_000

#: How error messages name a delimiter other than a comma.
DELIMITER_NAMES = {";": "semicolon", "\t": "tab"}

#: Read this much of a file to detect its encoding, delimiter and header.
SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class Sniffed:
    """What the start of a file says about how to read it."""

    encoding: str
    delimiter: str
    header: list[str]


def _encoding_of(path: Path, head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        # Cut at the last newline so a multi-byte character split by SNIFF_BYTES is not
        # mistaken for bad UTF-8.
        cut = head.rfind(b"\n") if len(head) == SNIFF_BYTES else len(head)
        head[: cut if cut > 0 else len(head)].decode("utf-8")
    except UnicodeDecodeError:
        # Spreadsheets saved on Windows: "£" and curly quotes in cp1252.
        return "cp1252"
    return "utf-8"


def utf16_without_bom(head: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" for UTF-16 text saved without its byte-order mark (ASCII
    text then has a NUL in every other byte, on one side), else None (binary)."""
    even, odd = head[0::2], head[1::2]
    if len(head) < 4:
        return None
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def sniff(path: Path) -> Sniffed:
    """Encoding, delimiter and header of a CSV file; one-line errors for the unreadable."""
    if not path.exists():
        raise InputFormatError(path, "no such file")
    if path.is_dir():
        raise InputFormatError(path, "is a folder, expected a CSV file")
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as err:
        raise InputFormatError(path, f"cannot be read ({err.strerror or err})") from err
    if not head.strip():
        raise InputFormatError(path, "is empty: expected a header line and data rows")
    bom = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\x00" in head and not bom:
        encoding = utf16_without_bom(head)
        if encoding is None:
            raise InputFormatError(path, "looks binary (NUL bytes), expected a CSV text file")
    else:
        encoding = _encoding_of(path, head)
    text = head.decode(encoding, errors="replace")
    first_line = text.splitlines()[0] if text.splitlines() else ""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d])
    if counts[delimiter] == 0:
        delimiter = ","
    header = next(csv.reader([first_line], delimiter=delimiter), [])
    header = [name.strip() for name in header]
    return Sniffed(encoding, delimiter, header)


def check_header(path: Path, header: list[str]) -> None:
    """Reject blank and duplicated column names, which would silently shift or merge data."""
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        key = name.casefold()
        if not name:
            raise InputFormatError(path, "blank column name in the header", line=1, column=position)
        if key in seen:
            raise InputFormatError(
                path,
                f"column '{name}' appears twice in the header (columns {seen[key]} and "
                f"{position}): expected each column once",
                line=1,
                column=position,
            )
        seen[key] = position


def read_strings(path: Path, sniffed: Sniffed) -> tuple[pd.DataFrame, list[int]]:
    """The whole file as a table of strings (see ``read_rows``), one column per header name."""
    import pandas as pd

    rows, lines = read_rows(path, sniffed)
    return pd.DataFrame(rows, columns=sniffed.header, dtype=object), lines


def read_rows(path: Path, sniffed: Sniffed) -> tuple[list[list[str]], list[int]]:
    """The whole file as rows of strings, and the line number where each row ends.

    Every line is checked to have the header's field count. Reading as strings first lets
    each value be validated with its line and column, rather than letting pandas guess types
    and turn "n/a" or "12,345" into something else. Meant for the borough-level files
    (thousands of rows) and tidy files (often tiny, and many: no pandas here); street-level
    files have their own fast reader.
    """
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputFormatError(
            path,
            f"is {size / 1e6:,.0f} MB: borough-level and tidy files over {MAX_BYTES // 2**20} MB "
            "are not read (split it by year)",
        )
    try:
        with path.open("r", encoding=sniffed.encoding, newline="") as handle:
            text = handle.read()
    except UnicodeDecodeError as err:
        raise InputFormatError(
            path, f"is not valid {sniffed.encoding} text (byte {err.start}): save it as UTF-8"
        ) from err
    except OSError as err:
        raise InputFormatError(path, f"cannot be read ({err.strerror or err})") from err
    width = len(sniffed.header)
    reader = csv.reader(io.StringIO(text), delimiter=sniffed.delimiter, strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        next(reader, None)
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != width:
                line = reader.line_num
                cut = " (is the file cut off?)" if _is_last_line(text, line) else ""
                problem(
                    InputFormatError(
                        path,
                        f"has {len(row)} fields, expected {width} like the header{cut}",
                        line=line,
                    )
                )
                continue
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as err:
        raise InputFormatError(path, f"is not valid CSV ({err})", line=reader.line_num) from err
    if not rows:
        raise InputFormatError(path, "has a header but no data rows")
    if text.count("\n") > MAX_LINES:
        raise InputFormatError(
            path, f"has more than {MAX_LINES:,} lines: too large for this layout"
        )
    return rows, lines


def _is_last_line(text: str, line: int) -> bool:
    return line >= len(text.rstrip("\r\n").splitlines())


#: Whole numbers, optionally with UK thousands separators ("12,345"), as in real London files.
#: ASCII digits only: ``\d`` alone would also take Arabic-Indic or full-width digits.
_COUNT = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")
#: Anything above this in one cell is a typo or corruption, not a count of offences.
MAX_COUNT = 10_000_000


def parse_count_columns(
    path: Path, strings: pd.DataFrame, lines: list[int], columns: list[tuple[int, str]]
) -> dict[str, list[int]] | dict[str, object]:
    """Counts of several columns at once: a vectorised fast path for clean files (plain
    digits), falling back to ``parse_counts`` (which names the bad cell) otherwise."""
    import numpy as np

    names = [name for _, name in columns]
    block = strings[names].to_numpy(dtype=str)
    stripped = np.char.strip(block)
    # The fast path must accept exactly what parse_counts accepts: ASCII digits only
    # (str.isdigit is also true of "²" and "①", which int() refuses) and nothing above
    # MAX_COUNT (eight digits still allow 99,999,999). Anything else goes the slow way, which
    # names the bad cell with the same message whatever the layout.
    if (
        stripped.size
        and np.char.isdigit(stripped).all()
        and "".join(stripped.ravel()).isascii()
        and max(map(len, stripped.ravel())) < 9
    ):
        numbers = stripped.astype("int64")
        if int(numbers.max()) <= MAX_COUNT:
            return {name: numbers[:, i] for i, name in enumerate(names)}
    return {
        name: parse_counts(path, strings[name].tolist(), lines, position)
        for position, name in columns
    }


def parse_counts(path: Path, values: list[str], lines: list[int], column: str | int) -> list[int]:
    """Whole, non-negative counts; a one-line error naming the first bad cell.

    Accepted: ``123``, ``12,345`` (thousands separators), surrounding spaces.
    Rejected: blank, negative, fractional, ``n/a``, ``-``, ``1e3``, and counts above
    ``MAX_COUNT``, because each of these would be silently wrong if guessed at.
    """
    out: list[int] = []
    for value, line in zip(values, lines, strict=True):
        number, issue = read_count(value)
        if issue:
            problem(InputFormatError(path, issue, line=line, column=column))
        out.append(number or 0)
    return out


def read_count(value: str) -> tuple[int | None, str]:
    """One cell as a count of offences, or the reason it is not one.

    The one set of rules for every layout (wide borough files, tidy counts, crime rates), so
    that the same cell gets the same verdict and the same message whichever file holds it.
    """
    text = value.strip()
    if _COUNT.fullmatch(text):
        number = int(text.replace(",", ""))
        if number <= MAX_COUNT:
            return number, ""
        return None, f"count {text} is implausibly large (more than {MAX_COUNT:,})"
    if not text:
        return None, "blank count: expected a whole number of offences (0 if none)"
    return None, f"count {text!r} is not a whole number of offences (0 or more)"

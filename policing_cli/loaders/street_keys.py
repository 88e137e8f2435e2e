"""Street rows as packed integer keys, and counts by key: the arithmetic of street counting.

Each of the five columns a report needs (month, force, LSOA name, crime type, outcome) is
given global integer codes, shared by every batch and file of one input (``Codes``); a row's
five codes are packed into one int64 (``BITS`` says how many bits each gets), so counting
rows is counting integers, in numpy, without hashing strings row by row. Values are cleaned
once per distinct string: trimmed, and an LSOA name cut to its district
("Barking and Dagenham 001A" -> "Barking and Dagenham"), which merges a district's LSOAs.

Reading a file into arrow batches is ``street_counts``; the layout is ``police_uk``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from policing_cli.errors import InputFormatError

if TYPE_CHECKING:
    import numpy as np

#: The columns counted, in the order their codes are packed (see BITS).
NEEDED = ("Month", "Falls within", "LSOA name", "Crime type", "Last outcome category")
#: Bits of the packed key given to each column's code: month, force, area, type, outcome.
BITS = (("month", 12), ("force", 8), ("area", 17), ("type", 8), ("outcome", 8))
#: Up to this many possible combinations of the five columns' codes, count with one counter
#: per combination (np.bincount, 32 MB at most); beyond, sort (np.unique).
DENSE_KEYS = 1 << 22


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
class Codes:
    """Global integer codes for one column's values, across batches and files.

    Each batch of the streaming reader (and each file) has its own dictionary of strings;
    matching it to the values seen so far is one dictionary look-up per distinct string,
    and only strings never seen before are cleaned (trimmed; LSOA names cut to their
    district) in Python, once each. Codes are given in order of first appearance, so the
    same files read in the same order get the same codes, however they are read.
    """

    district: bool = False
    values: list[str] = field(default_factory=list)  # cleaned value of each global code
    index: dict[str, int] = field(default_factory=dict)  # cleaned value -> global code
    raw: dict[str, int] = field(default_factory=dict)  # raw string seen -> global code

    def codes_of(self, dictionary: object) -> np.ndarray:
        """Global code of each entry of an arrow dictionary."""
        return self.codes_of_raw(dictionary.to_pylist())  # type: ignore[attr-defined]

    def codes_of_raw(self, values: list[str]) -> np.ndarray:
        """Global code of each raw string (cleaned here, the first time it is seen)."""
        import numpy as np

        raw = self.raw
        try:
            return np.fromiter(map(raw.__getitem__, values), dtype=np.int64, count=len(values))
        except KeyError:
            for value in values:
                if value not in raw:
                    raw[value] = self._code(_cleaned(value, self.district))
        return np.fromiter(map(raw.__getitem__, values), dtype=np.int64, count=len(values))

    def codes_of_cleaned(self, values: tuple[str, ...]) -> np.ndarray:
        """Global code of each value already cleaned (``count_local``'s values)."""
        import numpy as np

        return np.fromiter(map(self._code, values), dtype=np.int64, count=len(values))

    def _code(self, cleaned: str) -> int:
        code = self.index.get(cleaned)
        if code is None:
            code = self.index[cleaned] = len(self.values)
            self.values.append(cleaned)
        return code


def new_codes() -> dict[str, Codes]:
    """Empty codes for each packed column, to be shared by every file of one input (the LSOA
    names cut to their districts)."""
    return {name: Codes(district=name == "area") for name, _ in BITS}


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


def _dictionary_codes(column: object, codes: Codes) -> np.ndarray:
    """Global codes of a dictionary-encoded column, row by row (one numpy take)."""
    import pyarrow as pa

    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    return codes.codes_of(array.dictionary)[_int_values(array.indices)]


def _check_width(name: str, codes: dict[str, Codes]) -> None:
    """Refuse an input whose values of one column outnumber that column's bits in BITS."""
    bits = dict(BITS)[name]
    if len(codes[name].values) >= 1 << bits:
        column = NEEDED[[n for n, _ in BITS].index(name)]
        raise InputFormatError(column, f"more than {1 << bits} distinct values in one input")


def _shift_in(key: np.ndarray, name: str, part: np.ndarray, codes: dict[str, Codes]) -> np.ndarray:
    """``key`` with one more column's global codes packed in below it."""
    _check_width(name, codes)
    return (key << dict(BITS)[name]) | part


def pack(batch: object, codes: dict[str, Codes]) -> np.ndarray:
    """One int64 key per row of a streamed batch, packing the five columns' codes."""
    import numpy as np

    key = np.zeros(batch.num_rows, dtype=np.int64)
    for (name, _), column in zip(BITS, NEEDED, strict=True):
        key = _shift_in(key, name, _dictionary_codes(batch.column(column), codes[name]), codes)
    return key


def count_table(table: object, codes: dict[str, Codes]) -> tuple[np.ndarray, np.ndarray]:
    """Counts by packed global key of a whole parsed file (``unify_dictionaries`` done).

    Each column's one dictionary is mapped to global codes once (which merges the LSOAs of a
    district); each row's five codes are combined into one mixed-radix number, in place,
    chunk by chunk, in 32 bits where they suffice, and counted with bincount: no temporary
    copy of a whole column, no sort, no hashing (about five times faster than arrow's hash
    grouping on five million rows).
    """
    import numpy as np

    columns = [table.column(name) for name in NEEDED]  # type: ignore[attr-defined]
    present, lookups = _codes_present(columns, codes)
    parts, counted = _tally(columns, lookups, [max(len(used), 1) for used in present])
    packed = np.zeros(len(counted), dtype=np.int64)
    for (name, _), used, part in zip(BITS, present, parts, strict=True):
        packed = _shift_in(packed, name, used[part].astype(np.int64), codes)
    return packed, counted


def _tally(
    columns: list[object], lookups: list[np.ndarray], sizes: list[int]
) -> tuple[list[np.ndarray], np.ndarray]:
    """Counts of each combination of the columns' codes (``lookups`` gives the code of each
    dictionary entry, ``sizes`` how many codes each column has): each combination as a
    mixed-radix number, counted with bincount (or by sorting, in a space too large), then
    split into each column's code again."""
    import math

    import numpy as np

    space = math.prod(sizes)  # < 2**62: the callers see to it (bits of BITS, count_local)
    dtype = np.int32 if space < 1 << 31 else np.int64
    rows = sum(len(chunk) for chunk in columns[0].chunks)  # type: ignore[attr-defined]
    key = np.zeros(rows, dtype=dtype)
    for column, lookup, size in zip(columns, lookups, sizes, strict=True):
        if size > 1:
            np.multiply(key, size, out=key)
        lookup = lookup.astype(dtype)
        start = 0
        for chunk in column.chunks:  # type: ignore[attr-defined]
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
    return parts[::-1], counted.astype(np.int64)


@dataclass(frozen=True)
class LocalCounts:
    """One file's counts by its own codes, made without the shared ``Codes`` (so that
    several files can be counted at once, in threads): each column's cleaned values in
    order of first appearance, and for each combination counted, each column's position
    among them. ``pack_local`` gives them global codes."""

    values: tuple[tuple[str, ...], ...]  # per column, in NEEDED order
    parts: tuple[np.ndarray, ...]
    counts: np.ndarray

    @classmethod
    def empty(cls) -> LocalCounts:
        """The counts of a file with a header and no rows."""
        import numpy as np

        nothing = np.empty(0, dtype=np.int64)
        return cls(tuple(() for _ in NEEDED), tuple(nothing for _ in NEEDED), nothing)


def count_local(table: object) -> LocalCounts | None:
    """Counts of a whole parsed file (``unify_dictionaries`` done) by its own codes; None
    when a value is not UTF-8 (columns parsed as bytes), or the columns hold so many
    distinct values that their combinations overflow (the caller then reads the file the
    ordinary way, which says what is wrong or reads it as Windows-1252)."""
    import math

    import numpy as np

    columns = [table.column(name) for name in NEEDED]  # type: ignore[attr-defined]
    values: list[tuple[str, ...]] = []
    lookups: list[np.ndarray] = []
    for (name, _), column in zip(BITS, columns, strict=True):
        raw = column.chunk(0).dictionary.to_pylist()  # type: ignore[attr-defined]
        if raw and isinstance(raw[0], bytes):
            try:
                raw = [value.decode("utf-8") for value in raw]
            except UnicodeDecodeError:
                return None
        position: dict[str, int] = {}
        district = name == "area"
        lookup = np.fromiter(
            (position.setdefault(_cleaned(v, district), len(position)) for v in raw),
            dtype=np.int64,
            count=len(raw),
        )
        values.append(tuple(position))
        lookups.append(lookup)
    sizes = [max(len(found), 1) for found in values]
    if math.prod(sizes) >= 1 << 62:
        return None
    parts, counted = _tally(columns, lookups, sizes)
    return LocalCounts(tuple(values), tuple(parts), counted)


def pack_local(local: LocalCounts, codes: dict[str, Codes]) -> tuple[np.ndarray, np.ndarray]:
    """A file's ``count_local`` counts by packed global key: the keys and counts that
    ``count_table`` gives for the same file and codes (in another order), with the same
    global codes given to values first seen here."""
    import numpy as np

    packed = np.zeros(len(local.counts), dtype=np.int64)
    for (name, _), values, part in zip(BITS, local.values, local.parts, strict=True):
        packed = _shift_in(packed, name, codes[name].codes_of_cleaned(values)[part], codes)
    return packed, local.counts


def _codes_present(
    columns: list[object], codes: dict[str, Codes]
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per column: the global codes this file uses ("present") and, for each dictionary
    entry, its position among them: numbering only what this file holds keeps the key space
    small (a force-month file: some 15,000 combinations) however many files came before."""
    import numpy as np

    present, lookups = [], []
    for (name, _), column in zip(BITS, columns, strict=True):
        used, position = np.unique(codes[name].codes_of(column.chunk(0).dictionary),
                                   return_inverse=True)  # fmt: skip
        _check_width(name, codes)
        present.append(used)
        lookups.append(position)
    return present, lookups


def unpack(keys: np.ndarray) -> dict[str, np.ndarray]:
    """Each column's global codes, from packed keys, each in the narrowest integers that
    hold its bits (national scale: millions of keys)."""
    import numpy as np

    out = {}
    shift = 0
    for name, bits in reversed(BITS):
        dtype = np.int16 if bits < 16 else np.int32
        out[name] = ((keys >> shift) & ((1 << bits) - 1)).astype(dtype)
        shift += bits
    return out


def force_months(keys: np.ndarray) -> set[tuple[int, int]]:
    """The (force code, month code) pairs that packed keys hold (a file: usually one)."""
    import numpy as np

    below = sum(bits for name, bits in BITS if name not in ("month", "force"))
    force_bits = dict(BITS)["force"]
    pairs = np.unique(keys >> below).tolist()
    return {(pair & ((1 << force_bits) - 1), pair >> force_bits) for pair in pairs}


def merged(keys: list[np.ndarray], counts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Several files' counts by key as one, sorted by key, each key once (its counts
    summed). The lists are emptied as they are joined (their arrays are not kept twice).
    Files of different force-months share no key, so there is usually nothing to sum: a
    sort, not the hashing or the float weights of ``sum_by_key`` (less memory, national
    scale)."""
    import numpy as np

    joined = np.concatenate(keys)
    keys.clear()
    order = np.argsort(joined, kind="stable")
    joined = joined[order]
    counted = np.concatenate(counts)[order]
    counts.clear()
    del order
    if len(joined) > 1:
        starts = np.flatnonzero(np.concatenate(([True], joined[1:] != joined[:-1])))
        if len(starts) < len(joined):
            joined, counted = joined[starts], np.add.reduceat(counted, starts)
    return joined, counted.astype(np.int64, copy=False)


def sum_by_key(keys: list[np.ndarray], counts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Several (keys, counts) pairs as one: each distinct key once, its counts summed."""
    import numpy as np

    unique, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    return unique, np.bincount(inverse, weights=np.concatenate(counts)).astype(np.int64)

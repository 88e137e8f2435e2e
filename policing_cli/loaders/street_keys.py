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
    import math

    import numpy as np

    columns = [table.column(name) for name in NEEDED]
    present, lookups = _codes_present(columns, codes)
    sizes = [max(len(used), 1) for used in present]
    space = math.prod(sizes)  # < 2**53: codes fit the bits of BITS, checked just above
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
    for (name, _), used, part in zip(BITS, present, reversed(parts), strict=True):
        packed = _shift_in(packed, name, used[part].astype(np.int64), codes)
    return packed, counted.astype(np.int64)


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
    """Each column's global codes, from packed keys."""
    out = {}
    for name, bits in reversed(BITS):
        out[name] = keys & ((1 << bits) - 1)
        keys = keys >> bits
    return out


def sum_by_key(keys: list[np.ndarray], counts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Several (keys, counts) pairs as one: each distinct key once, its counts summed."""
    import numpy as np

    unique, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    return unique, np.bincount(inverse, weights=np.concatenate(counts)).astype(np.int64)

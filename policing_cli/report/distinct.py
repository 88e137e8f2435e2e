"""The distinct combinations of a few columns of the canonical table, fast.

Every report asks which (source, major, minor) pairs, (force, area) pairs or (source, area,
month) cells the data hold, over hundreds of thousands of rows. The columns are categoricals
or small integers, so each row's combination is one mixed-radix number and the distinct ones
are the non-zero bins of one ``bincount``: no sort, no hashing, a millisecond or two where
``drop_duplicates`` takes fifteen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: Beyond this many possible combinations, fall back to pandas.
MAX_BINS = 50_000_000


def distinct_rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple[Any, ...]]:
    """The distinct value tuples of ``columns`` (categorical or integer) in ``frame``."""
    import numpy as np

    if frame.empty:
        return []
    codes, decoders, sizes = [], [], []
    for column in columns:
        series = frame[column]
        if hasattr(series, "cat"):
            values = series.cat.codes.to_numpy(np.int64)
            categories = list(series.cat.categories)
            codes.append(values)
            decoders.append(lambda i, c=categories: c[i])
            sizes.append(len(categories))
        else:
            values = series.to_numpy(np.int64)
            low = int(values.min())
            codes.append(values - low)
            decoders.append(lambda i, low=low: i + low)
            sizes.append(int(values.max()) - low + 1)
    total = 1
    for size in sizes:
        total *= size
    if total > MAX_BINS or any(int(c.min()) < 0 for c in codes):
        unique = frame[columns].drop_duplicates()
        return list(unique.itertuples(index=False, name=None))
    key = np.zeros(len(frame), dtype=np.int64)
    for values, size in zip(codes, sizes, strict=True):
        key = key * size + values
    found = np.flatnonzero(np.bincount(key, minlength=total))
    out = []
    for flat in found.tolist():
        parts = []
        for size in reversed(sizes):
            flat, part = divmod(flat, size)
            parts.append(part)
        parts.reverse()
        out.append(tuple(decode(p) for decode, p in zip(decoders, parts, strict=True)))
    return out

"""The ways a street file is read (whole, counted by bincount or by sorting; streamed in
batches) must give the same counts."""

from __future__ import annotations

import pytest

from policing_cli.loaders import police_uk, street_counts, street_keys

from .conftest import real_file


def counts(path):
    loaded = police_uk.load(path)
    frame = loaded.outcomes
    return sorted(
        (str(r.area), str(r.force), int(r.month), str(r.minor), str(r.outcome), int(r.count))
        for r in frame.itertuples(index=False)
    )


@pytest.mark.parametrize("name", ["2024-12-city-of-london-street.csv",
                                  "2023-01-metropolitan-street_SAMPLE_first4000rows.csv"])  # fmt: skip
def test_readers_agree(monkeypatch, name):
    path = real_file("police-uk", name)
    whole_numpy = counts(path)
    monkeypatch.setattr(street_counts, "SMALL_FILE", 0)  # whole, bigger blocks
    assert counts(path) == whole_numpy
    monkeypatch.setattr(street_keys, "DENSE_KEYS", 0)  # whole, counted by sorting
    whole_sorted = counts(path)
    monkeypatch.setattr(street_counts, "WHOLE_FILE", 0)  # streamed
    monkeypatch.setattr(street_counts, "BLOCK_SIZE", 1 << 16)  # in many small batches
    streamed = counts(path)
    assert whole_numpy == whole_sorted == streamed
    assert sum(row[-1] for row in whole_numpy) > 700


def test_int_values_reads_arrow_integers_without_pandas_and_respects_slices():
    import numpy as np
    import pyarrow as pa

    whole = pa.array(np.arange(10, dtype=np.int32))
    assert street_keys._int_values(whole).tolist() == list(range(10))
    assert street_keys._int_values(whole.slice(3, 4)).tolist() == [3, 4, 5, 6]
    wide = pa.array(np.arange(5, dtype=np.int64)).slice(1)
    assert street_keys._int_values(wide).tolist() == [1, 2, 3, 4]
    chunked = pa.chunked_array([whole.slice(8), whole.slice(0, 2)])
    assert street_keys._int_values(chunked).tolist() == [8, 9, 0, 1]


def test_readers_agree_across_several_files(monkeypatch):
    """Codes accumulate across the files of one input (an archive's members): each file's
    count must still be its own, whichever reader counts it."""
    names = ["2024-12-city-of-london-street.csv",
             "2023-01-metropolitan-street_SAMPLE_first4000rows.csv",
             "2023-12-city-of-london-street.csv"]  # fmt: skip
    items = [(real_file("police-uk", name), None) for name in names]

    def many():
        frame = police_uk.load_many(items, "several").outcomes
        return sorted(tuple(map(str, row)) for row in frame.itertuples(index=False))

    whole = many()
    monkeypatch.setattr(street_keys, "DENSE_KEYS", 0)
    assert many() == whole
    monkeypatch.setattr(street_counts, "WHOLE_FILE", 0)
    assert many() == whole
    assert len({row[1] for row in whole}) == 2  # two forces


def test_merged_counts_are_sorted_by_key_each_key_once():
    import numpy as np

    keys = [np.array([5, 1], dtype=np.int64), np.array([3, 5], dtype=np.int64)]
    counts = [np.array([2, 1], dtype=np.int64), np.array([4, 3], dtype=np.int64)]
    merged_keys, merged_counts = street_keys.merged(keys, counts)
    assert merged_keys.tolist() == [1, 3, 5] and merged_counts.tolist() == [1, 4, 5]
    assert keys == [] and counts == []  # emptied as joined
    distinct = street_keys.merged([np.array([9, 2], dtype=np.int64)], [np.array([7, 8])])
    assert [a.tolist() for a in distinct] == [[2, 9], [8, 7]]


def test_unpack_gives_back_each_columns_code():
    import numpy as np

    codes = {"month": 4095, "force": 255, "area": 131071, "type": 13, "outcome": 0}
    key = np.zeros(1, dtype=np.int64)
    for name, bits in street_keys.BITS:
        key = (key << bits) | codes[name]
    parts = street_keys.unpack(key)
    assert {name: int(part[0]) for name, part in parts.items()} == codes

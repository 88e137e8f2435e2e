"""The format of a cache entry: the model's records as JSON, their tables kept apart.

Records (``LoadedFile``, ``SourceFile``, ``Dataset``, ``Indicator``) are written field by
field from their dataclass (``dataclasses.fields``), so a field added to the model is stored
and read back with no change here; fields marked ``model.NOT_CACHED`` are left out (what is
added after combining, or kept for one run). Tuples, frozensets and decimals are written so
that they read back as what they were; each table (pandas) is handed to the caller, which
stores it as an Arrow file, and named in its place. Only the classes listed in ``_records``
are ever made from an entry, and only an entry sealed by the user is ever decoded
(``cache``).
"""

from __future__ import annotations

import dataclasses
import numbers
import re
import sys
from decimal import Decimal
from typing import Any

from policing_cli.model import Dataset, LoadedFile, SourceFile

#: What a table of an entry may be called: the name of its data file after the key.
PART = re.compile(r"[a-z][a-z_]*")


def encode(value: Any, tables: dict[str, Any], name: str = "") -> Any:
    """``value`` as JSON. A dataclass is written field by field (``dataclasses.fields``),
    leaving out fields marked ``model.NOT_CACHED``; a table (pandas) is put in ``tables``
    under its field's name (``frame``: ``rows``) and named in its place. Anything else the
    cache cannot store is a TypeError: a bug to fix, never an entry half written."""
    if value is None or isinstance(value, bool | str | float):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, tuple | list):
        return [encode(item, tables, name) for item in value]
    if isinstance(value, frozenset):
        return {"frozenset": sorted(encode(item, tables, name) for item in value)}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {
            field.name: encode(getattr(value, field.name), tables, field.name)
            for field in dataclasses.fields(value)
            if field.metadata.get("cached", True)
        }
        return {"record": type(value).__name__, "fields": fields}
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(value, pandas.DataFrame):
        part = "rows" if name == "frame" else name
        if part in tables or not PART.fullmatch(part):
            raise TypeError(f"the cache cannot name a table {part!r} (taken, or not a name)")
        tables[part] = value
        return {"table": part}
    raise TypeError(f"the cache cannot store a {type(value).__name__} ({name})")


def decode(data: Any, tables: dict[str, Any]) -> Any:
    """What ``encode`` wrote, read back: lists as tuples (the model is frozen), records
    only of the classes an entry may hold (``_records``)."""
    if isinstance(data, list):
        return tuple(decode(item, tables) for item in data)
    if not isinstance(data, dict):
        return data
    if "frozenset" in data:
        return frozenset(decode(item, tables) for item in data["frozenset"])
    if "decimal" in data:
        return Decimal(data["decimal"])
    if "table" in data:
        return tables[data["table"]]
    record = _records()[data["record"]]
    return record(**{name: decode(item, tables) for name, item in data["fields"].items()})


def _records() -> dict[str, type]:
    """The classes an entry may hold, by name: only these are ever made from an entry."""
    from policing_cli.model import Indicator

    return {record.__name__: record for record in (LoadedFile, SourceFile, Dataset, Indicator)}

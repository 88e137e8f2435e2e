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
import json
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
        if len(value) > 1 and _same_records(value):
            return _encode_rows(value, tables, name)
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
    if "records" in data:
        return _decode_rows(data, tables)
    record = _records()[data["record"]]
    return record(**{name: decode(item, tables) for name, item in data["fields"].items()})


def _same_records(items: tuple | list) -> bool:
    """Whether ``items`` are all records of one class (thousands of indicators, say)."""
    first = type(items[0])
    return (
        dataclasses.is_dataclass(first)
        and not any(dataclasses.is_dataclass(v) for v in vars(items[0]).values())
        and all(type(item) is first for item in items)
    )


def _encode_rows(items: tuple | list, tables: dict[str, Any], name: str) -> Any:
    """A list of records of one class written column by column, each column's distinct values
    once and a code a record where values repeat: a survey's 9,603 indicators (34 areas, 8
    measures, one path) take 0.1 MB of JSON, not 2.3 MB with every field named each time."""
    names = [f.name for f in dataclasses.fields(items[0]) if f.metadata.get("cached", True)]
    columns: dict[str, Any] = {}
    for field in names:
        values = [encode(getattr(item, field), tables, field) for item in items]
        keys = [json.dumps(v, sort_keys=True) for v in values]
        distinct = dict.fromkeys(keys)
        if len(distinct) * 2 <= len(values):
            code = {key: number for number, key in enumerate(distinct)}
            columns[field] = {
                "values": [json.loads(key) for key in distinct],
                "codes": [code[key] for key in keys],
            }
        else:
            columns[field] = {"items": values}
    return {"records": type(items[0]).__name__, "count": len(items), "columns": columns}


def _decode_rows(data: dict[str, Any], tables: dict[str, Any]) -> tuple:
    """The records ``_encode_rows`` wrote, in their order."""
    record = _records()[data["records"]]
    count = data["count"]
    columns = {}
    for field, column in data["columns"].items():
        if "codes" in column:
            values = [decode(value, tables) for value in column["values"]]
            columns[field] = [values[code] for code in column["codes"]]
        else:
            columns[field] = [decode(value, tables) for value in column["items"]]
        if len(columns[field]) != count:
            raise ValueError(f"column {field} holds {len(columns[field])} of {count} records")
    return tuple(record(**{f: v[i] for f, v in columns.items()}) for i in range(count))


def _records() -> dict[str, type]:
    """The classes an entry may hold, by name: only these are ever made from an entry."""
    from policing_cli.model import Indicator

    return {record.__name__: record for record in (LoadedFile, SourceFile, Dataset, Indicator)}

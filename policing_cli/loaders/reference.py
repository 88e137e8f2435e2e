"""The reference tables a report reads its inputs through, read from their CSV files: the
category mapping (``policing_cli/data/categories.csv``, or ``--categories FILE``), the dated
definition breaks (``data/breaks.csv``), how measures read in sentences (``data/phrases.csv``)
and the outcome classification (``data/outcomes.csv``, or ``--outcomes FILE``).

Reading and checking the files is done here, so that the report core only ever receives the
parsed tables (``report.categories.CategoryMap`` carries them into a report). What the
tables mean (the match kinds, the outcome classes, the matching key of an outcome string) is
the report core's, and is imported from it. Errors are one line with the file and line.
"""

from __future__ import annotations

import csv
from importlib.resources import files
from pathlib import Path

from policing_cli import columns as C
from policing_cli.errors import InputFormatError
from policing_cli.model import Phrase
from policing_cli.report.areas import area_key as name_key
from policing_cli.report.categories import MATCH_KINDS, Break, CategoryMap
from policing_cli.report.outcomes import CLASSES, outcome_key
from policing_cli.report.periods import parse_month
from policing_cli.small_inputs import SMALL_CSV_BYTES, read_bounded_text


def _bundled(name: str) -> Path:
    return Path(str(files("policing_cli") / "data" / name))


def default_mapping_path() -> Path:
    return _bundled("categories.csv")


def load_mapping(path: Path | None = None) -> CategoryMap:
    """Parse and check a category mapping file; one-line errors with file and line.

    The mapping carries the tables every report reads beside it, whatever the mapping: the
    definition breaks, the phrases of the leaflet's sentences and the bundled outcome
    classification (``--outcomes FILE`` replaces the last on the dataset)."""
    path = path or default_mapping_path()
    text = read_bounded_text(path, "a category mapping CSV", SMALL_CSV_BYTES, "utf-8-sig")
    reader = csv.reader(text.splitlines())
    header = [h.strip().casefold() for h in next(reader, [])]
    if header not in (["category", "match", "source"], ["category", "match", "source", "note"]):
        raise InputFormatError(
            path, "expected the header 'category,match,source' (or with ',note')", line=1
        )
    mapping = CategoryMap(
        str(path),
        breaks=load_breaks(),
        phrases=load_phrases(),
        outcome_classes=load_outcome_classes(),
    )
    for line, row in enumerate(reader, start=2):
        if not row or not "".join(row).strip():
            continue
        if len(row) not in (3, len(header)):
            raise InputFormatError(
                path, f"has {len(row)} fields, expected {len(header)}", line=line
            )
        category, kind, source = (value.strip() for value in row[:3])
        if len(row) > 3 and row[3].strip():
            mapping.notes[(category, source)] = row[3].strip()
        kind = kind.casefold()
        if not category or not source:
            raise InputFormatError(path, "blank category or source", line=line)
        if kind not in MATCH_KINDS:
            raise InputFormatError(
                path, f"match {kind!r} is not one of {', '.join(MATCH_KINDS)}", line=line, column=2
            )
        if category not in mapping.order:
            mapping.order.append(category)
        if kind == "minor":
            _add(mapping.minor_rules, name_key(source), category)
        elif kind == "major":
            _add(mapping.major_rules, name_key(source), category)
        elif kind == "category":
            mapping.derived.setdefault(category, []).append(source)
        elif kind == "street":
            _add(mapping.street_rules, name_key(source), category)
        elif category not in mapping.totals:
            mapping.totals.append(category)
    for category, parts in mapping.derived.items():
        for part in parts:
            if part not in mapping.order or part in mapping.derived:
                raise InputFormatError(
                    path,
                    f"'{category}' sums '{part}', which is not a category defined by minor, "
                    "major or all rules in this file",
                )
    return mapping


def _add(rules: dict[str, list[str]], key: str, category: str) -> None:
    """One rule per name and category: two spellings of one name (``Burglary - Business and
    Community``, ``BURGLARY BUSINESS AND COMMUNITY``) share a key and must not count its
    rows twice."""
    found = rules.setdefault(key, [])
    if category not in found:
        found.append(category)


def load_breaks(path: Path | None = None) -> list[Break]:
    """The dated definition breaks: ``category,first_month,applies_to,what,evidence``."""
    path = path or _bundled("breaks.csv")
    text = read_bounded_text(path, "a definition breaks CSV", SMALL_CSV_BYTES)
    rows = list(csv.reader(text.splitlines()))
    found = []
    for line, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        category, first, applies, what, evidence = (value.strip() for value in row)
        month = parse_month(first)
        codes = applies.split()
        if month is None or any(c != "met" and c not in C.CLASSIFICATION_CODES for c in codes):
            raise InputFormatError(path, "expected YYYY-MM and known classifications", line=line)
        classes = {
            name
            for code in codes
            for name in (C.MET_CLASSIFICATIONS if code == "met" else {C.CLASSIFICATION_CODES[code]})
        }
        found.append(Break(category, month, frozenset(classes), what, evidence))
    return found


def load_phrases() -> dict[str, Phrase]:
    """{case-folded measure: how it reads in a sentence}, from the bundled phrases table."""
    text = (files("policing_cli") / "data" / "phrases.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return {
        row["measure"].casefold(): Phrase(row["phrase"], row.get("description") or "")
        for row in rows
    }


def load_outcome_classes(path: Path | None = None) -> dict[str, str]:
    """{outcome key: class}; a file ``outcome,class`` replaces the bundled table."""
    source = path or _bundled("outcomes.csv")
    text = read_bounded_text(source, "an outcome classification CSV", SMALL_CSV_BYTES, "utf-8-sig")
    reader = csv.reader(text.splitlines())
    if [h.strip().casefold() for h in next(reader, [])] != ["outcome", "class"]:
        raise InputFormatError(source, "expected the header 'outcome,class'", line=1)
    out = {}
    for line, row in enumerate(reader, start=2):
        if not row or not "".join(row).strip():
            continue
        if len(row) != 2 or row[1].strip().casefold() not in CLASSES:
            raise InputFormatError(
                source, f"expected an outcome and one of {', '.join(CLASSES)}", line=line
            )
        out[outcome_key(row[0])] = row[1].strip().casefold()
    # A crime with no outcome given at all has had no update.
    out.setdefault("", "unknown")
    return out

"""Report categories: how source category names (which change between data eras) map to the
categories a report shows.

The mapping is a CSV ``category,match,source[,note]`` (bundled default: ``policing_cli/data/
categories.csv``; ``--categories FILE`` replaces it; ``note`` says why a source name belongs
where it is, and is shown by ``policing categories``). ``match`` is one of:

* ``minor``: rows whose minor (detailed) category is ``source``;
* ``major``: rows whose major category is ``source``;
* ``category``: the sum of another report category (derived groups such as serious
  acquisitive crime); used only when the data do not give the group directly;
* ``street``: data.police.uk street rows of crime type ``source`` (a crime type with no
  ``street`` rule is reported under its own name);
* ``all``: every row of a monthly borough or street file (``source`` is ``*``): the total.
  Anti-social behaviour, not a notifiable offence, is left out of it.

Names match whatever their case, spacing and punctuation ("BURGLARY IN A DWELLING" =
"Burglary in a Dwelling"). Every major category in the data that no ``major`` rule names is
reported under its own name. Rows of a tidy file (no major category) whose category is a
report category's name count toward that category only; other tidy names go through the
``minor`` rules, or else are reported under their own name. Tidy rows never add to an
``all`` total: a tidy file gives its total as a row of its own.

Dated definition breaks (``policing_cli/data/breaks.csv``: category, first month, the
classifications it applies to, what changed, the evidence) are facts about the data, not
about a mapping: they are loaded whatever the mapping, and apply to its categories of the
same names (and to groups summing them).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from policing_cli import columns as C
from policing_cli.errors import InputFormatError
from policing_cli.report.areas import area_key as name_key
from policing_cli.report.periods import month_label, parse_month
from policing_cli.small_inputs import SMALL_CSV_BYTES, read_bounded_text

MATCH_KINDS = ("minor", "major", "category", "street", "all")


@dataclass(frozen=True)
class Break:
    """A change in what a category counts, from ``first_month`` on, in some classifications."""

    category: str
    first_month: int
    classifications: frozenset[str]
    what: str
    evidence: str

    def crossed(self, months: list[int] | tuple[int, ...] | range) -> bool:
        """True when some of ``months`` fall before the break and some on or after it."""
        return bool(months) and min(months) < self.first_month <= max(months)

    @property
    def label(self) -> str:
        return month_label(self.first_month)


@dataclass
class CategoryMap:
    """The parsed mapping: rules plus the display order of report categories."""

    path: str
    order: list[str] = field(default_factory=list)
    minor_rules: dict[str, list[str]] = field(default_factory=dict)  # minor key -> categories
    major_rules: dict[str, list[str]] = field(default_factory=dict)  # major key -> categories
    derived: dict[str, list[str]] = field(default_factory=dict)  # category -> components
    street_rules: dict[str, list[str]] = field(default_factory=dict)  # crime type key -> categories
    totals: list[str] = field(default_factory=list)
    #: Why a source name belongs to a category (the mapping's optional ``note`` column).
    notes: dict[tuple[str, str], str] = field(default_factory=dict)
    #: Dated definition breaks (data/breaks.csv).
    breaks: list[Break] = field(default_factory=list)
    #: categories_of's answers, by (major, minor): the same few hundred pairs are asked for
    #: again and again.
    _answers: dict[tuple[str, str], tuple[list[tuple[str, str]], bool]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def key(self) -> str:
        """What the figures depend on: the rules, not the object (a memo key)."""
        rules = (self.order, self.minor_rules, self.major_rules, self.derived,
                 self.street_rules, self.totals, self.breaks)  # fmt: skip
        return repr(rules)

    def breaks_of(self, category: str, classification: str) -> list[Break]:
        """The breaks of a category in a classification, a group's its parts' included."""
        names = {category, *self.derived.get(category, [])}
        return [
            b for b in self.breaks if b.category in names and classification in b.classifications
        ]

    def differs_for_street(self, category: str) -> bool:
        """True where a category built from street crime types means something other than
        in the borough files (derived groups and minor-category definitions)."""
        if category in self.derived:
            return True
        return any(category in cats for cats in self.minor_rules.values())

    def display_name(self, key: str) -> str | None:
        """The mapping's spelling of a report category, by key."""
        for name in self.order:
            if name_key(name) == key:
                return name
        return None

    def categories_of(self, major: str, minor: str) -> tuple[list[tuple[str, str]], bool]:
        """(report category, source name) pairs a source row counts toward, and whether
        the row is a named report row.

        The source name is what the row counts as in that category (the minor name for a
        minor rule, the major name for a major rule), used to spot definition changes. The
        flag is True for tidy rows that name a report category (or a category of their own),
        which count toward that one category only.
        """
        found = self._answers.get((major, minor))
        if found is None:
            found = self._answers[(major, minor)] = self._categories_of(major, minor)
        return found

    def _categories_of(self, major: str, minor: str) -> tuple[list[tuple[str, str]], bool]:
        minor_key = name_key(minor)
        if major == C.STREET_MAJOR:
            mapped = self.street_rules.get(minor_key) or [minor]
            out = [(category, minor) for category in mapped]
            if minor_key not in C.NOT_NOTIFIABLE:
                out += [(category, "*") for category in self.totals]
            return out, False
        if not major:
            own = self.display_name(minor_key)
            if own is not None:
                return [(own, minor)], True
            mapped = self.minor_rules.get(minor_key)
            if mapped:
                return [(category, minor) for category in mapped], False
            return [(minor, minor)], True
        out = [(category, minor) for category in self.minor_rules.get(minor_key, [])]
        major_key = name_key(major)
        if major_key in self.major_rules:
            out += [(category, major) for category in self.major_rules[major_key]]
        else:
            out.append((major_display(major), major))
        out += [(category, "*") for category in self.totals]
        return out, False


def major_display(major: str) -> str:
    """Sentence case for an unmapped major category ("NFIB FRAUD" -> "Nfib fraud")."""
    text = " ".join(major.split())
    return text[:1].upper() + text[1:].lower()


def default_mapping_path() -> Path:
    return Path(str(files("policing_cli") / "data" / "categories.csv"))


def load_mapping(path: Path | None = None) -> CategoryMap:
    """Parse and check a category mapping file; one-line errors with file and line."""
    path = path or default_mapping_path()
    text = read_bounded_text(path, "a category mapping CSV", SMALL_CSV_BYTES, "utf-8-sig")
    reader = csv.reader(text.splitlines())
    header = [h.strip().casefold() for h in next(reader, [])]
    if header not in (["category", "match", "source"], ["category", "match", "source", "note"]):
        raise InputFormatError(
            path, "expected the header 'category,match,source' (or with ',note')", line=1
        )
    mapping = CategoryMap(str(path), breaks=load_breaks())
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
    path = path or Path(str(files("policing_cli") / "data" / "breaks.csv"))
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

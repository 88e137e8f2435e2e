"""Report categories: how source category names (which change between data eras) map to the
categories a report shows.

The mapping is a CSV ``category,match,source[,note]`` (bundled default: ``policing_cli/data/
categories.csv``; ``--categories FILE`` replaces it; ``note`` says why a source name belongs
where it is, and is shown by ``policing categories``), read and checked by
``loaders/reference.py``. ``match`` is one of:

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
same names (and to groups summing them). So are two more tables of names every report reads
beside the mapping: how measures read in sentences (``data/phrases.csv``) and the bundled
outcome classification (``data/outcomes.csv``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from policing_cli import columns as C
from policing_cli.model import Phrase
from policing_cli.report.areas import area_key as name_key
from policing_cli.report.periods import month_label

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
    #: How measures read in the leaflet's sentences, by case-folded measure (data/phrases.csv).
    phrases: dict[str, Phrase] = field(default_factory=dict, repr=False, compare=False)
    #: The bundled outcome classification, outcome key -> class (data/outcomes.csv); a
    #: dataset's own (``--outcomes FILE``, Dataset.outcome_classes) replaces it.
    outcome_classes: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
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

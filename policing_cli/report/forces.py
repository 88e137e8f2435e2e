"""Which areas belong to which police force, and what each area of the data is.

data.police.uk files are published per force, and every force's files hold a few crimes
located just over its border (Gwent's files put a handful in Telford and Wrekin and one in
Croydon; City of London Police's hold Tower Hamlets and Camden crimes). A report on a
district, its force-wide comparison, its rank and every league need the districts a force
polices, not those where its files happen to locate a crime.

The rule, in order:

1. A district belongs to the force whose police force area contains it
   (``data/police_force_areas.csv``: every district of England and Wales, and the districts
   merged away since 2019 under their old names, with the force that polices them).
2. A district the table does not know (a name not seen before) belongs to the force whose
   files hold most of the crimes located in it, if those are at least 1% of that force's
   located crimes; otherwise it is a border district.
3. A district whose force's files are not loaded is a *border* district: listed by
   ``policing areas`` as such, kept out of leagues, ranks, maps and snapshots, and reported,
   when asked for, with a note saying whose files were read and whose were not.

London borough-level files (no force column) are the Metropolitan Police's: their boroughs
are boroughs, and their other rows ("Unknown", the airports) are areas but not boroughs.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from policing_cli import columns as C
from policing_cli.report.areas import LONDON_BOROUGH_KEYS, area_key, force_key, is_borough
from policing_cli.report.distinct import distinct_rows
from policing_cli.report.periods import parse_month

if TYPE_CHECKING:
    from policing_cli.model import Dataset

#: A district holding less than this share of a force's located crimes is a border district
#: of that force's files, where the force areas table does not know the district.
MIN_SHARE = 0.01


@dataclass(frozen=True)
class DistrictChange:
    district: str
    became: str
    first_month: int


@cache
def force_of_district() -> dict[str, str]:
    """{district key: the force (as the table names it) whose area contains it}."""
    text = (files("policing_cli") / "data" / "police_force_areas.csv").read_text(encoding="utf-8")
    return {area_key(row["district"]): row["force"] for row in csv.DictReader(text.splitlines())}


@cache
def district_changes() -> dict[str, DistrictChange]:
    """{former district key: what it became and when} (the 2019-2023 reorganisations)."""
    text = (files("policing_cli") / "data" / "district_changes.csv").read_text(encoding="utf-8")
    out = {}
    for row in csv.DictReader(text.splitlines()):
        month = parse_month(row["from"])
        assert month is not None
        out[area_key(row["district"])] = DistrictChange(row["district"], row["became"], month)
    return out


@dataclass
class AreaRoles:
    """What each area of the data is."""

    #: Forces whose street files are read, as the data spell them.
    forces: list[str] = field(default_factory=list)
    #: Area -> the loaded force it belongs to (street data), or "" (borough-level and tidy
    #: files, whose areas are all boroughs of one force).
    home: dict[str, str] = field(default_factory=dict)
    #: Area -> why it is a border district (the note a report on it carries).
    border: dict[str, str] = field(default_factory=dict)
    #: Force ("" for the rows of borough-level and tidy files) -> every area of its rows,
    #: "" (crimes with no location) included: what a force-wide figure sums.
    areas: dict[str, list[str]] = field(default_factory=dict)

    def kind(self, area: str) -> str:
        """ "borough", "district", "border district", "police force", "not a borough"."""
        if area in self.forces:
            return "police force"
        if area in self.border:
            return "border district"
        if area in self.home:
            if self.home[area] and area_key(area) not in LONDON_BOROUGH_KEYS:
                return "district"
            return "borough"
        return "not a borough"

    def league(self, areas: list[str]) -> list[str]:
        """The areas a league table ranks: boroughs and districts of the forces read."""
        return [a for a in areas if a in self.home]

    def peers(self, areas: list[str] | None = None) -> str:
        """How a league's areas are called: "boroughs", or "districts" outside London."""
        chosen = self.league(areas) if areas is not None else list(self.home)
        return "districts" if any(self.kind(a) == "district" for a in chosen) else "boroughs"

    def force_of(self, area: str) -> str | None:
        """The loaded force an area belongs to (street data); None otherwise."""
        return self.home.get(area) or None


def area_roles(dataset: Dataset) -> AreaRoles:
    """The roles of the dataset's areas (kept on the dataset: every report asks)."""
    found = dataset.memo.get("roles")
    if found is None:
        found = dataset.memo["roles"] = _roles(dataset)
    return found  # type: ignore[return-value]


def _roles(dataset: Dataset) -> AreaRoles:
    frame = dataset.frame
    pairs = [(str(f), str(a)) for f, a in distinct_rows(frame, [C.FORCE, C.AREA])]
    roles = AreaRoles(forces=sorted({f for f, _ in pairs if f}))
    for force, area in sorted(pairs):
        roles.areas.setdefault(force, []).append(area)
        if not force and area.strip() and is_borough(area):
            roles.home[area] = ""
    if not roles.forces:
        return roles
    located = frame[(frame[C.FORCE] != "") & (frame[C.AREA] != "")]
    counts = located.groupby([C.AREA, C.FORCE], observed=True)[C.COUNT].sum()
    by_district: dict[str, dict[str, int]] = {}
    for (area, force), count in counts.items():
        if count:
            by_district.setdefault(str(area), {})[str(force)] = int(count)
    force_totals = located.groupby(C.FORCE, observed=True)[C.COUNT].sum()
    loaded = {force_key(f): f for f in roles.forces}
    table = force_of_district()
    for district, held in by_district.items():
        own = table.get(area_key(district))
        if own is not None:
            if force_key(own) in loaded:
                roles.home[district] = loaded[force_key(own)]
            else:
                roles.border[district] = _border_note(district, held, own)
            continue
        force, count = max(held.items(), key=lambda item: (item[1], item[0]))
        if count >= MIN_SHARE * int(force_totals.get(force, 0)):
            roles.home[district] = force
        else:
            roles.border[district] = _border_note(district, held, None)
    return roles


def _border_note(district: str, held: dict[str, int], own: str | None) -> str:
    read = "; ".join(
        f"only {count:,} crime{'s' if count != 1 else ''} from {force}'s files "
        f"{'are' if count != 1 else 'is'} located here"
        for force, count in sorted(held.items(), key=lambda item: (-item[1], item[0]))
    )
    whose = (
        f"{own}'s files are not loaded"
        if own
        else "the files of the force that polices it are not loaded"
    )
    return f"{district} is outside the areas of the forces whose files are read: {read}; {whose}"

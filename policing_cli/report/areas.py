"""Area names: forgiving matching, force-wide aliases and non-borough areas."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

from policing_cli.errors import UsageProblem

#: What users type for "all of London / the whole force".
FORCE_ALIASES = frozenset(
    {"london", "mps", "met", "metropolitanpolice", "metropolitanpoliceservice", "metpolicearea"}
)

#: The name used for a force-wide total built by summing every area.
FORCE_WIDE_NAME = "London (MPS)"

#: Areas in the Met's files that are not boroughs: counted in the force-wide total, kept out
#: of borough lists and rankings.
NON_BOROUGH_KEYS = frozenset(
    {
        "londonheathrowandlondoncityairports",
        "unknown",
        "aviationsecurityso18",
        "heathrow",
        "englandandwales",
        "innerlondon",
        "outerlondon",
    }
)


#: The 32 London boroughs and the City of London, as the London Datastore spells them.
LONDON_BOROUGHS = (
    "Barking and Dagenham", "Barnet", "Bexley", "Brent", "Bromley", "Camden", "City of London",
    "Croydon", "Ealing", "Enfield", "Greenwich", "Hackney", "Hammersmith and Fulham",
    "Haringey", "Harrow", "Havering", "Hillingdon", "Hounslow", "Islington",
    "Kensington and Chelsea", "Kingston upon Thames", "Lambeth", "Lewisham", "Merton", "Newham",
    "Redbridge", "Richmond upon Thames", "Southwark", "Sutton", "Tower Hamlets",
    "Waltham Forest", "Wandsworth", "Westminster",
)  # fmt: skip

#: Other names of the same area, by key: in real files (MOPAC's survey writes "City of
#: Westminster"), and as people write them: the Welsh names of Welsh principal areas (the
#: English forms are the ones data.police.uk and ONS files use) and older spellings.
AREA_ALIASES = {
    "cityofwestminster": "westminster",
    "ynysmon": "isleofanglesey",
    "anglesey": "isleofanglesey",
    "siryfflint": "flintshire",
    "sirddinbych": "denbighshire",
    "wrecsam": "wrexham",
    "sirbenfro": "pembrokeshire",
    "sirgaerfyrddin": "carmarthenshire",
    "abertawe": "swansea",
    "castellneddporttalbot": "neathporttalbot",
    "penybontarogwr": "bridgend",
    "bromorgannwg": "valeofglamorgan",
    "caerdydd": "cardiff",
    "rhonddacynontaff": "rhonddacynontaf",
    "merthyrtudful": "merthyrtydfil",
    "caerffili": "caerphilly",
    "torfaen": "torfaen",
    "sirfynwy": "monmouthshire",
    "casnewydd": "newport",
    "hull": "kingstonuponhull",
}
#: ONS writes some names inverted ("Bristol, City of", "Herefordshire, County of"); a few
#: are formally "The ..." ("The Vale of Glamorgan").
_INVERTED = re.compile(r",\s*(city|county|city and county) of\s*$")


@functools.lru_cache(maxsize=65536)
def area_key(name: str) -> str:
    """The matching key of an area name (kept for the names seen: a national report asks
    about the same few hundred districts many times).

    Case, spacing (including non-breaking spaces), hyphens, punctuation, accents and
    ``&`` versus ``and`` do not matter: ``Kensington & Chelsea``, ``kensington-and-chelsea``
    and ``KENSINGTON AND CHELSEA`` share one key; nor do a leading "The", ONS's inverted
    ", City of", or a Welsh name for an English one (``Bro Morgannwg`` = ``The Vale of
    Glamorgan`` = ``vale of glamorgan``).
    """
    text = unicodedata.normalize("NFKD", name).casefold().replace("&", " and ")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _INVERTED.sub("", text)
    key = re.sub(r"[^0-9a-z]+", "", text)
    if key.startswith("the") and re.match(r"\s*the\s+\S", text):
        key = key[3:]
    return AREA_ALIASES.get(key, key)


#: Matching keys of LONDON_BOROUGHS (filled below, once area_key is defined).
LONDON_BOROUGH_KEYS: frozenset[str] = frozenset()


_FORCE_WORDS = re.compile(r"(police(service)?|constabulary)$")


def force_key(name: str) -> str:
    """The matching key of a police force's name: "Devon & Cornwall Police", "devon and
    cornwall" and "DEVON-AND-CORNWALL" share one; "Metropolitan Police Service" is
    "metropolitan"."""
    key = area_key(name)
    return _FORCE_WORDS.sub("", key) or key


def is_borough(name: str) -> bool:
    key = area_key(name)
    return bool(key) and key not in NON_BOROUGH_KEYS and key not in FORCE_ALIASES


def is_force_alias(name: str) -> bool:
    return area_key(name) in FORCE_ALIASES


def resolve_selection(
    requested: str, areas: list[str], forces: list[str]
) -> tuple[str, str | None]:
    """What a requested name selects: ``("area", name)``, ``("force", name)`` for a police
    force of street-level data, or ``("all", None)`` for the force-wide alias."""
    key = area_key(requested)
    for name in areas:
        if area_key(name) == key:
            return "area", name
    for name in forces:
        if force_key(name) == force_key(requested):
            return "force", name
    found = resolve_area(requested, [*areas, *forces])
    if found is None:
        return "all", None
    return ("force", found) if found in forces else ("area", found)


def resolve_area(requested: str, known: list[str]) -> str | None:
    """The data's own spelling of ``requested``; None for the force-wide alias.

    An area literally present in the data wins over the alias, so a tidy file with its own
    ``MPS`` rows reports those rows rather than a sum of its boroughs.
    """
    key = area_key(requested)
    by_key = {area_key(name): name for name in known}
    if key in by_key:
        return by_key[key]
    if key in FORCE_ALIASES:
        for alias in FORCE_ALIASES:
            if alias in by_key:
                return by_key[alias]
        return None
    if not key:
        raise UsageProblem("the area name is empty: give a borough name, or 'london' for all")
    close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.6)
    close += [k for k in by_key if key in k and k not in close][: 3 - len(close)]
    hint = (
        "did you mean " + ", ".join(f"'{by_key[k]}'" for k in close) + "?"
        if close
        else "run 'policing areas' to list them"
    )
    raise UsageProblem(f"no area '{requested}' in the data: {hint}")


LONDON_BOROUGH_KEYS = frozenset(area_key(name) for name in LONDON_BOROUGHS)

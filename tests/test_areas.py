import pytest

from policing_cli.errors import UsageProblem
from policing_cli.report.areas import area_key, is_borough, resolve_area

KNOWN = [
    "Bexley",
    "Kensington and Chelsea",
    "Westminster",
    "London Heathrow and London City Airports",
]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("bexley", "Bexley"),
        ("BEXLEY", "Bexley"),
        ("  Bexley ", "Bexley"),
        ("kensington-and-chelsea", "Kensington and Chelsea"),
        ("Kensington & Chelsea", "Kensington and Chelsea"),
        ("Kensington\u00a0and\u00a0Chelsea", "Kensington and Chelsea"),
        ("westminster", "Westminster"),
    ],
)
def test_forgiving_names(typed, found):
    assert resolve_area(typed, KNOWN) == found


@pytest.mark.parametrize("alias", ["london", "London", "mps", "MPS"])
def test_force_alias_is_all_areas(alias):
    assert resolve_area(alias, KNOWN) is None


def test_area_named_like_alias_wins():
    assert resolve_area("mps", [*KNOWN, "MPS"]) == "MPS"


def test_unknown_area_suggests():
    with pytest.raises(UsageProblem, match="did you mean 'Bexley'"):
        resolve_area("bexly", KNOWN)


def test_non_boroughs():
    assert not is_borough("London Heathrow and London City Airports")
    assert not is_borough("Unknown")
    assert is_borough("Bexley")
    assert area_key("Richmond Upon Thames") == area_key("Richmond upon Thames")

from fractions import Fraction

import pytest

from policing_cli.document import numbers
from policing_cli.report.results import Row


@pytest.mark.parametrize(
    ("count", "baseline", "shown"),
    [
        (1308, 1428, "-8.4%"),  # 120 fewer of 1428 = -8.403...%
        (287, 376, "-23.7%"),  # 89 fewer of 376 = -23.67...%
        (35, 50, "-30.0%"),
        (50, 50, "0.0%"),
        (1691, 1000, "+69.1%"),
        (10, 0, "n/a"),
        (0, 0, "n/a"),
    ],
)
def test_pct_display(count, baseline, shown):
    assert numbers.pct(Row("x", count, baseline).pct_change_exact) == shown


def test_half_rounds_away_from_zero():
    # 0.05 is not exact in binary; the exact fraction must still round up.
    assert numbers.pct(Fraction(1, 20)) == "+0.1%"
    assert numbers.pct(Fraction(-1, 20)) == "-0.1%"
    assert numbers.pct(Fraction(845, 100)) == "+8.5%"


def test_missing_values():
    row = Row("x", 10, None)
    assert row.change is None and row.pct_change is None
    assert numbers.count(None) == "n/a" and numbers.change(None) == "n/a"
    assert numbers.change(0) == "0" and numbers.change(-1234) == "-1,234"

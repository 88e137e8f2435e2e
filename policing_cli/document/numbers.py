"""How figures are written: one place, so every format rounds and signs them alike.

Rounding happens only here, on the exact value, half away from zero (8.45% -> 8.5%), the
way people round by hand, rather than Python's round-half-even on a binary float.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

NA = "n/a"


def count(value: int | None) -> str:
    return NA if value is None else f"{value:,}"


def change(value: int | None) -> str:
    if value is None:
        return NA
    return f"{value:+,}" if value else "0"


def round_half_up(value: Fraction, places: int = 1) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def pct(value: Fraction | None, places: int = 1) -> str:
    """``+8.4%``, ``-23.7%``, ``0.0%``, or ``n/a`` (zero or missing baseline)."""
    if value is None:
        return NA
    rounded = round_half_up(value, places)
    sign = "+" if rounded > 0 else ""
    return f"{sign}{rounded}%"


def rate(value: Fraction | None) -> str:
    """Offences per 1,000 residents, one decimal place."""
    return NA if value is None else str(round_half_up(value, 1))

"""Is a change in a count more than chance? The exact conditional test for two Poisson counts.

Recorded crime is a full count, but counts still vary by chance. Given ``n = current +
previous`` offences over two periods of equal length, and no real change, ``current`` is
Binomial(n, 1/2) (for unequal lengths, p = current length / total length). The two-sided
p-value is the probability of a split at least as uneven as the one seen. A change is
"within normal variation" when p >= alpha (default 0.05, ``--alpha``).

For up to EXACT_UP_TO offences in all the tail is summed exactly in integers, so that a
p-value exactly at alpha (0 against 5 offences: p = 1/16) is compared exactly, not as a
float a hair below it; beyond that it is computed with log-gamma, summing the tail only as
far as its terms matter (O(sqrt n) terms), so totals of a million offences cost
microseconds, not seconds.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

DEFAULT_ALPHA = 0.05
#: Up to this many offences in both periods together, p is an exact fraction.
EXACT_UP_TO = 4000


def _log_pmf(k: int, n: int, log_p: float, log_q: float) -> float:
    return (
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * log_p
        + (n - k) * log_q
    )


def _tail(k: int, n: int, p: float, lower: bool) -> float:
    """P(X <= k) (lower) or P(X >= k) for X ~ Binomial(n, p)."""
    log_p, log_q = math.log(p), math.log1p(-p)
    step = -1 if lower else 1
    end = -1 if lower else n + 1
    top = _log_pmf(k, n, log_p, log_q)
    total = 0.0
    for i in range(k, end, step):
        term = math.exp(_log_pmf(i, n, log_p, log_q) - top)
        total += term
        if term < 1e-17 * total and abs(i - k) > 10:
            break
    return min(1.0, total * math.exp(top))


@functools.lru_cache(maxsize=8192)
def exact_p_value(current: int, previous: int) -> Fraction | None:
    """The two-sided p-value of equal-length periods as an exact fraction (n <= EXACT_UP_TO),
    None where there is nothing to test or n is larger."""
    n = current + previous
    if n == 0 or n > EXACT_UP_TO or current < 0 or previous < 0:
        return None
    k = min(current, previous)
    term = tail = 1  # C(n, 0), then C(n, i) from C(n, i - 1): one multiplication each
    for i in range(1, k + 1):
        term = term * (n - i + 1) // i
        tail += term
    return min(Fraction(1), Fraction(2 * tail, 2**n))


def within_normal_variation(current: int, previous: int, alpha: float) -> bool | None:
    """p >= alpha, exactly where p can be had exactly (alpha as written: 0.05 is 1/20)."""
    exact = exact_p_value(current, previous)
    if exact is not None:
        return exact >= Fraction(str(alpha))
    p = poisson_p_value(current, previous)
    return None if p is None else p >= alpha


@functools.lru_cache(maxsize=8192)
def poisson_p_value(current: int, previous: int, ratio: float = 1.0) -> float | None:
    """Two-sided p-value that two Poisson counts share one rate; ``ratio`` is the length of
    the current period over the previous one. None when there is nothing to test (0 and 0)."""
    n = current + previous
    if n == 0 or current < 0 or previous < 0:
        return None
    p = ratio / (1 + ratio)
    expected = n * p
    if current <= expected:
        tail = _tail(current, n, p, lower=True)
    else:
        tail = _tail(current, n, p, lower=False)
    return min(1.0, 2 * tail)

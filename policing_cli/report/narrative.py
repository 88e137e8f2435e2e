"""The leaflet's sentences, generated from the figures ("Looking back", "Looking forward").

Nothing here is stored text: every sentence is built from a result, its target and the
measure's phrase (``policing_cli/data/phrases.csv``, read by ``loaders/reference.py`` and
passed in: how a measure is named in a sentence, e.g. "theft from motor vehicle crime" for
the category "Theft from vehicles").
Percentages are rounded half away from zero to one decimal place, and to more places only
where one place would make a result look exactly on target when it is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from policing_cli.model import Phrase, Target
from policing_cli.report.results import GapResult, IndicatorResult
from policing_cli.report.targets import Verdict

#: How measures read in sentences, by case-folded measure (CategoryMap.phrases).
Phrases = Mapping[str, Phrase]


def phrase(phrases: Phrases, measure: str, *, described: bool = False) -> str:
    """How a measure reads inside a sentence ("serious acquisitive crime (...)")."""
    known = phrases.get(measure.casefold())
    if known is None:
        text = measure[:1].lower() + measure[1:] if measure[1:2].islower() else measure
        return text
    if described and known.description:
        return f"{known.phrase} ({known.description})"
    return known.phrase


def _fixed(value: Fraction | Decimal, places: int = 1) -> str:
    exact = (
        Decimal(value.numerator) / Decimal(value.denominator)
        if isinstance(value, Fraction)
        else value
    )
    return str(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _side(a: Fraction, b: Fraction) -> int:
    return (a > b) - (a < b)


def distinct(value: Fraction | Decimal, target: Decimal | None = None, places: int = 1) -> str:
    """``value`` rounded to ``places`` decimals, or to more where that rounding would put it
    on the other side of ``target``, or on it, when the exact figure is not: a missed 2.455%
    fall against a 2.46% target reads "2.455%", not "2.5%"; a shortfall of 0.04 points is
    not "0.0"."""
    exact = Fraction(value)
    if target is not None:
        goal = Fraction(target)
        while places < 15 and _side(Fraction(Decimal(_fixed(value, places))), goal) != _side(
            exact, goal
        ):
            places += 1
    return _fixed(value, places)


def margin_words(value: Fraction | Decimal) -> str:
    """How far a result fell short of (or over) its target: never rounded into a different
    figure. A margin with at most two decimals is written exactly (0.05, not 0.1); a longer
    one to two decimals, or to its first significant one if smaller (0.004)."""
    exact = Fraction(value)
    for places in (1, 2):
        if Fraction(Decimal(_fixed(value, places))) == exact:
            return _fixed(value, places)
    places = 2
    while places < 15 and Decimal(_fixed(value, places)) == 0:
        places += 1
    return _fixed(value, places)


def pct_words(value: Fraction, target: Decimal | None = None) -> str:
    """A magnitude in %, kept apart from the target it is compared with."""
    return distinct(abs(value), target)


def number(value: Decimal) -> str:
    """A target or indicator value as the leaflet writes it: one decimal place, or as many
    as the value has (a 2.46% target is not shown as 2.5%)."""
    exponent = value.normalize().as_tuple().exponent
    places = max(1, -exponent) if isinstance(exponent, int) else 1
    return _fixed(value, places)


def count_value(value: Decimal) -> str:
    """A target on a count: a whole number where it is one (975, not 975.0)."""
    return str(int(value)) if value == value.to_integral_value() else number(value)


def count_sentence(
    phrases: Phrases,
    target: Target,
    verdict: Verdict,
    count: int,
    baseline: int,
    pct: Fraction | None,
) -> str:
    """One count result in the leaflet's words."""
    measure = target.measure
    change = count - baseline
    if target.kind == "reduction_pct" and pct is not None:
        tv = number(target.value)
        shown = pct_words(pct, target.value)
        if verdict is Verdict.MET:
            on_target = pct == -Fraction(target.value)
            verb = "meeting" if on_target else "exceeding"
            if change < 0:
                return (
                    f"a reduction in {phrase(phrases, measure, described=True)} of {shown}% or "
                    f"{-change} fewer crimes, {verb} the {tv}% reduction target"
                )
            if change == 0:
                return f"no change in {phrase(phrases, measure, described=True)} ({count} crimes), meeting the {tv}% reduction target"
            return (
                f"an increase in {phrase(phrases, measure, described=True)} of {shown}% or {change} more "
                f"crimes, within the target of a {tv}% reduction"
            )
        if change > 0:
            return (
                f"a target to reduce {phrase(phrases, measure)} by {tv}%: there were {change} more crimes, "
                f"a {shown}% increase"
            )
        if change < 0:
            return (
                f"a target to reduce {phrase(phrases, measure)} by {tv}%: there were {-change} fewer "
                f"crimes, a {shown}% reduction"
            )
        return f"a target to reduce {phrase(phrases, measure)} by {tv}%: there was no change ({count} crimes)"
    if target.kind == "reduction_pct":  # against a baseline of 0: no % change exists
        tv = number(target.value)
        if verdict is Verdict.MET:
            return (
                f"no {phrase(phrases, measure)} (0 crimes, as in the period before), meeting the {tv}% "
                "reduction target"
            )
        return (
            f"a target to reduce {phrase(phrases, measure)} by {tv}%: there were {count} crimes, "
            "against none in the period before"
        )
    bound = "at least" if target.kind == "at_least" else "at most"
    tail = "meeting" if verdict is Verdict.MET else "missing"
    return f"{phrase(phrases, measure)}: {count} crimes, {tail} the target of {bound} {count_value(target.value)}"


def indicator_sentence(phrases: Phrases, result: IndicatorResult, area_words: str) -> str:
    target = result.target
    assert target is not None and result.value is not None
    value, tv = distinct(result.value, target.value), number(target.value)
    name = phrase(phrases, result.measure)
    if target.kind in ("at_least", "at_most"):
        if result.verdict is Verdict.MET:
            return f"{name} {area_words} was {value}% against a {tv}% target"
        short = abs(result.value - target.value)
        side = "short" if target.kind == "at_least" else "over"
        bound = "at least" if target.kind == "at_least" else "at most"
        return (
            f"a target of {bound} {tv}% for {name} {area_words}: it was {value}%, "
            f"{margin_words(short)} percentage points {side}"
        )
    verb = "met" if result.verdict is Verdict.MET else "missed"
    return f"{name} {area_words} was {value}%: this {verb} the target of a {tv}% reduction"


def gap_sentence(phrases: Phrases, gap: GapResult) -> str:
    assert gap.first_value is not None and gap.second_value is not None and gap.gap_pp is not None
    start = (
        f"the gap between {phrase(phrases, gap.first)} ({distinct(gap.first_value)}%) and "
        f"{phrase(phrases, gap.second)} ({distinct(gap.second_value)}%) was "
        f"{distinct(gap.gap_pp, gap.target.value)} "
        "percentage points"
    )
    tv = number(gap.target.value)
    if gap.verdict is Verdict.MET:
        return f"{start}: within the target of a {tv} percentage point gap"
    return f"{start}: this missed the target of a {tv} percentage point gap"


def forward_sentence(phrases: Phrases, target: Target, *, is_rate: bool = False) -> str:
    """A target for the next period, as the leaflet lists its priorities."""
    tv = number(target.value)
    if target.kind == "reduction_pct":
        return f"{tv}% reduction in {phrase(phrases, target.measure)}"
    if target.kind == "max_gap_pp":
        first, second = target.gap_parts
        return f"a gap of at most {tv} percentage points between {phrase(phrases, first)} and {phrase(phrases, second)}"
    bound = "at least" if target.kind == "at_least" else "at most"
    if is_rate:
        return f"{phrase(phrases, target.measure)} of {bound} {tv}%"
    return f"{phrase(phrases, target.measure)} of {bound} {count_value(target.value)}"

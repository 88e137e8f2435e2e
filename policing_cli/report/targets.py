"""Targets and verdicts: was each target met or missed, and by how much.

Verdicts are exact: they compare the unrounded change with the target, and a result exactly
on target counts as met. Rounding is left to the renderers.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from policing_cli.model import Indicator, Target
from policing_cli.report.areas import area_key, is_force_alias


class Verdict(StrEnum):
    MET = "met"
    MISSED = "missed"
    NO_TARGET = "no target"
    NOT_AVAILABLE = "n/a"


def _applies(target: Target, area: str, force_wide: bool) -> int:
    """0 when the target is not for this area, 1 for a ``*`` row, 2 for a named row."""
    if target.area == "*":
        return 1
    if area_key(target.area) == area_key(area):
        return 2
    if force_wide and is_force_alias(target.area):
        return 2
    return 0


def find_target(
    targets: list[Target], area: str, force_wide: bool, period: str, measure: str
) -> Target | None:
    """The target for a measure: a named-area row overrides a ``*`` row."""
    key = measure.casefold()
    best: tuple[int, Target] | None = None
    for target in targets:
        if target.period != period or target.measure.casefold() != key:
            continue
        rank = _applies(target, area, force_wide)
        if rank and (best is None or rank > best[0]):
            best = (rank, target)
    return best[1] if best else None


def targets_for(targets: list[Target], area: str, force_wide: bool, period: str) -> list[Target]:
    """Every target that applies to an area and period, in file order, overrides applied."""
    out: list[Target] = []
    for target in targets:
        if target.period != period or not _applies(target, area, force_wide):
            continue
        if find_target(targets, area, force_wide, period, target.measure) is target:
            out.append(target)
    return out


def _exact(value: Decimal) -> Fraction:
    return Fraction(value)


def count_verdict(
    target: Target | None,
    count: int | None,
    pct_change: Fraction | None,
    *,
    baseline_count: int | None = None,
) -> Verdict:
    """A count's verdict. A reduction of x% is met when count <= baseline * (1 - x/100);
    against a baseline of 0 that is met by 0 offences and missed by any (no % change
    exists, but the target's meaning does)."""
    if target is None:
        return Verdict.NO_TARGET
    if target.kind == "reduction_pct":
        if pct_change is None:
            if baseline_count == 0 and count is not None:
                return Verdict.MET if count == 0 else Verdict.MISSED
            return Verdict.NOT_AVAILABLE
        return Verdict.MET if pct_change <= -_exact(target.value) else Verdict.MISSED
    if count is None:
        return Verdict.NOT_AVAILABLE
    if target.kind == "at_least":
        return Verdict.MET if count >= _exact(target.value) else Verdict.MISSED
    if target.kind == "at_most":
        return Verdict.MET if count <= _exact(target.value) else Verdict.MISSED
    return Verdict.NOT_AVAILABLE


def indicator_verdict(
    target: Target | None, value: Decimal | None, baseline: Decimal | None
) -> Verdict:
    if target is None:
        return Verdict.NO_TARGET
    if value is None:
        return Verdict.NOT_AVAILABLE
    if target.kind == "at_least":
        return Verdict.MET if value >= target.value else Verdict.MISSED
    if target.kind == "at_most":
        return Verdict.MET if value <= target.value else Verdict.MISSED
    if target.kind == "reduction_pct":
        if not baseline:
            return Verdict.NOT_AVAILABLE
        change = (Fraction(value) - Fraction(baseline)) * 100 / Fraction(baseline)
        return Verdict.MET if change <= -_exact(target.value) else Verdict.MISSED
    return Verdict.NOT_AVAILABLE


def find_indicator(
    indicators: list[Indicator], area: str, force_wide: bool, labels: tuple[str, ...], measure: str
) -> Decimal | None:
    """An indicator's value for an area and period.

    ``labels`` are tried in order: the period's own label ("2009/10"), then the month of its
    end ("2010-03"), which is where dated survey figures (rolling years) are stored.
    """
    key = measure.casefold()
    wanted = area_key(area)
    for label in labels:
        for indicator in indicators:
            if indicator.period != label or indicator.measure.casefold() != key:
                continue
            if area_key(indicator.area) == wanted or (
                force_wide and is_force_alias(indicator.area)
            ):
                return indicator.value
    return None


def indicator_names(
    indicators: list[Indicator], area: str, force_wide: bool, labels: tuple[str, ...]
) -> list[str]:
    """Indicator measures held for an area in any of the periods, in first-seen order."""
    wanted = area_key(area)
    names: dict[str, str] = {}
    for indicator in indicators:
        if indicator.period not in labels:
            continue
        if area_key(indicator.area) == wanted or (force_wide and is_force_alias(indicator.area)):
            names.setdefault(indicator.measure.casefold(), indicator.measure)
    return list(names.values())

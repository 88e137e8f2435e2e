"""Reporting periods: financial years, calendar years, rolling months, single months.

A month is held as one integer, ``year * 12 + (month - 1)``, so that ranges and "a year
earlier" are plain arithmetic and no date library is needed at start-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from policing_cli.errors import UsageProblem

MONTH_NAMES = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


def month_index(year: int, month: int) -> int:
    """The integer index of a calendar month."""
    return year * 12 + (month - 1)


def current_month() -> int:
    """This month's index: data for later months cannot exist yet."""
    import datetime

    today = datetime.date.today()
    return month_index(today.year, today.month)


def month_label(index: int) -> str:
    """``YYYY-MM`` for a month index: the canonical spelling in tables and JSON."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_words(index: int) -> str:
    """``Apr 2023`` for headers people read."""
    return f"{MONTH_NAMES[index % 12]} {index // 12}"


def parse_month(text: str) -> int | None:
    """Parse ``YYYY-MM`` (or ``YYYYMM``); None when it is not a real month."""
    match = re.fullmatch(r"(\d{4})-?(\d{2})", text.strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 1900:
        return None
    return month_index(year, month)


def describe_months(months: list[int]) -> str:
    """``2010-04..2023-02, 2023-10`` for a sorted list of month indexes."""
    parts: list[str] = []
    start = prev = months[0]
    for month in [*months[1:], None]:
        if month is not None and month == prev + 1:
            prev = month
            continue
        parts.append(
            month_label(start) if start == prev else f"{month_label(start)}..{month_label(prev)}"
        )
        if month is not None:
            start = prev = month
    return ", ".join(parts)


def describe_supplied(months: list[int], annual: list[str]) -> str:
    """What a source supplied: its months as ranges, then any annual periods."""
    parts = [describe_months(sorted(months))] if months else []
    return ", ".join(parts + list(annual))


class PeriodKind(StrEnum):
    """The kinds of period a user can ask for."""

    FINANCIAL_YEAR = "financial year"
    CALENDAR_YEAR = "calendar year"
    ROLLING = "rolling months"
    FINANCIAL_YEAR_TO_DATE = "financial year to date"
    MONTH = "month"


@dataclass(frozen=True)
class Period:
    """A contiguous run of months with the label users write for it."""

    kind: PeriodKind
    label: str
    first: int
    last: int

    @property
    def months(self) -> range:
        return range(self.first, self.last + 1)

    @property
    def length(self) -> int:
        return self.last - self.first + 1

    @property
    def span_words(self) -> str:
        """``Apr 2023 - Mar 2024``, the months the label stands for."""
        if self.first == self.last:
            return month_words(self.first)
        return f"{month_words(self.first)} - {month_words(self.last)}"

    def shifted(self, months: int) -> Period:
        """The same kind of period moved by ``months`` (negative = earlier)."""
        return period_for(self.kind, self.first + months, self.last + months)

    def previous(self) -> Period:
        """The default comparison period.

        Years compare with the year before; rolling runs, financial-year-to-date and single
        months compare with the same months a year earlier, which for a 12-month run is the
        previous period of the same length and avoids comparing seasons with each other.
        """
        return self.shifted(-12) if self.length <= 12 else self.shifted(-self.length)

    def is_annual_label(self) -> bool:
        """True for periods that tidy files may hold as a single annual row."""
        return self.kind in (PeriodKind.FINANCIAL_YEAR, PeriodKind.CALENDAR_YEAR)


def financial_year(start_year: int) -> Period:
    return Period(
        PeriodKind.FINANCIAL_YEAR,
        f"{start_year}/{(start_year + 1) % 100:02d}",
        month_index(start_year, 4),
        month_index(start_year + 1, 3),
    )


def calendar_year(year: int) -> Period:
    return Period(PeriodKind.CALENDAR_YEAR, str(year), month_index(year, 1), month_index(year, 12))


def period_for(kind: PeriodKind, first: int, last: int) -> Period:
    """Rebuild a period of ``kind`` covering ``first``..``last`` with its proper label."""
    if kind is PeriodKind.FINANCIAL_YEAR:
        return financial_year(first // 12)
    if kind is PeriodKind.CALENDAR_YEAR:
        return calendar_year(first // 12)
    if kind is PeriodKind.MONTH:
        return Period(kind, month_label(first), first, first)
    if kind is PeriodKind.FINANCIAL_YEAR_TO_DATE:
        return Period(kind, f"fytd:{month_label(last)}", first, last)
    length = last - first + 1
    return Period(kind, f"{length}m:{month_label(last)}", first, last)


PERIOD_FORMS = (
    "a financial year (2023/24), a calendar year (2023), a month (2024-10), "
    "rolling months to a month (12m:2024-10) or financial year to date (fytd:2024-10)"
)


def parse_period(text: str) -> Period:
    """Parse what a user typed after ``--period`` or ``--vs``."""
    raw = text.strip().lower()
    # "2024-10" is October 2024; "2023-24" (no such month) and "2023/24" are financial years.
    if re.fullmatch(r"\d{4}-\d{2}", raw) and (month := parse_month(raw)) is not None:
        return Period(PeriodKind.MONTH, raw, month, month)
    if match := re.fullmatch(r"(?:fy)?(\d{4})[/-](\d{2})", raw):
        start, end = int(match.group(1)), int(match.group(2))
        if (start + 1) % 100 != end:
            raise UsageProblem(
                f"'{text}' is not a financial year: the second part must be the year after "
                f"{start} (e.g. {start}/{(start + 1) % 100:02d})"
            )
        return financial_year(start)
    if re.fullmatch(r"\d{4}", raw):
        return calendar_year(int(raw))
    if match := re.fullmatch(r"(\d{1,3})m:(.+)", raw):
        length, last = int(match.group(1)), parse_month(match.group(2))
        if last is not None and 1 <= length <= 120:
            return Period(
                PeriodKind.ROLLING, f"{length}m:{month_label(last)}", last - length + 1, last
            )
    if match := re.fullmatch(r"fytd:(.+)", raw):
        last = parse_month(match.group(1))
        if last is not None:
            start_year = last // 12 if last % 12 >= 3 else last // 12 - 1
            return Period(
                PeriodKind.FINANCIAL_YEAR_TO_DATE,
                f"fytd:{month_label(last)}",
                month_index(start_year, 4),
                last,
            )
    raise UsageProblem(f"'{text}' is not a period: expected {PERIOD_FORMS}")


def comparison_problem(period: Period, baseline: Period) -> str | None:
    """Why ``--vs baseline`` cannot be compared with ``period``, or None: the period itself
    (every change 0), another length, or months in common (``--vs 2023`` against 2023/24
    shares April to December 2023, counted on both sides)."""
    earlier = period.previous().label
    if (baseline.first, baseline.last) == (period.first, period.last):
        return (
            f"--vs {baseline.label} is the period itself ({period.span_words}): compare "
            f"with another period, such as --vs {earlier}"
        )
    if baseline.length != period.length:
        return (
            f"--vs {baseline.label} covers {baseline.length} months but {period.label} covers "
            f"{period.length}: compare periods of the same length"
        )
    if baseline.first <= period.last and period.first <= baseline.last:
        return (
            f"--vs {baseline.label} ({baseline.span_words}) shares months with {period.label} "
            f"({period.span_words}): compare periods that do not overlap, such as --vs {earlier}"
        )
    return None

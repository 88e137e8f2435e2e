import pytest

from policing_cli.errors import UsageProblem
from policing_cli.report.periods import month_index, month_label, parse_period


@pytest.mark.parametrize(
    ("text", "label", "first", "last", "base_label", "base_first", "base_last"),
    [
        ("2023/24", "2023/24", "2023-04", "2024-03", "2022/23", "2022-04", "2023-03"),
        ("2023-24", "2023/24", "2023-04", "2024-03", "2022/23", "2022-04", "2023-03"),
        ("1999/00", "1999/00", "1999-04", "2000-03", "1998/99", "1998-04", "1999-03"),
        ("2023", "2023", "2023-01", "2023-12", "2022", "2022-01", "2022-12"),
        ("12m:2024-10", "12m:2024-10", "2023-11", "2024-10", "12m:2023-10", "2022-11", "2023-10"),
        ("3m:2024-02", "3m:2024-02", "2023-12", "2024-02", "3m:2023-02", "2022-12", "2023-02"),
        (
            "fytd:2024-10",
            "fytd:2024-10",
            "2024-04",
            "2024-10",
            "fytd:2023-10",
            "2023-04",
            "2023-10",
        ),
        (
            "fytd:2025-02",
            "fytd:2025-02",
            "2024-04",
            "2025-02",
            "fytd:2024-02",
            "2023-04",
            "2024-02",
        ),
        ("2024-10", "2024-10", "2024-10", "2024-10", "2023-10", "2023-10", "2023-10"),
    ],
)
def test_parse_and_previous(text, label, first, last, base_label, base_first, base_last):
    period = parse_period(text)
    assert (period.label, month_label(period.first), month_label(period.last)) == (
        label,
        first,
        last,
    )
    base = period.previous()
    assert (base.label, month_label(base.first), month_label(base.last)) == (
        base_label,
        base_first,
        base_last,
    )


@pytest.mark.parametrize("text", ["2023/25", "2024-13", "12m:2024-13", "last year", "", "20231"])
def test_bad_periods(text):
    with pytest.raises(UsageProblem):
        parse_period(text)


def test_month_index_round_trip():
    assert month_label(month_index(2024, 1)) == "2024-01"
    assert month_label(month_index(2024, 12)) == "2024-12"

"""Boundaries where small, realistic bugs hide: every period form at its edges, a p-value
exactly at alpha, a target exactly met, and ranks with ties in every place that ranks.

Expected values are worked out by hand in the comments (month arithmetic, binomial tails,
ranks of hand-summed figures), never read from the tool.
"""

from __future__ import annotations

import json
from fractions import Fraction
from math import comb

import pytest
from click.testing import CliRunner

from policing_cli.cli import main
from policing_cli.report.periods import parse_period


def month(text: str) -> int:
    year, mon = map(int, text.split("-"))
    return year * 12 + mon - 1


@pytest.mark.parametrize(
    ("written", "first", "last", "baseline_first", "baseline_last"),
    [
        # Financial year to date in April: April alone, against April a year earlier.
        ("fytd:2024-04", "2024-04", "2024-04", "2023-04", "2023-04"),
        # ... in March: the whole financial year 2024/25.
        ("fytd:2025-03", "2024-04", "2025-03", "2023-04", "2024-03"),
        # ... in January: April to January, the year crossed.
        ("fytd:2025-01", "2024-04", "2025-01", "2023-04", "2024-01"),
        # 12 months across a year end.
        ("12m:2024-02", "2023-03", "2024-02", "2022-03", "2023-02"),
        ("12m:2024-12", "2024-01", "2024-12", "2023-01", "2023-12"),
        # A financial year across the April 2010 classification change.
        ("2010/11", "2010-04", "2011-03", "2009-04", "2010-03"),
        ("2009/10", "2009-04", "2010-03", "2008-04", "2009-03"),
        ("2024-01", "2024-01", "2024-01", "2023-01", "2023-01"),
        ("3m:2024-02", "2023-12", "2024-02", "2022-12", "2023-02"),
    ],
)
def test_period_edges(written, first, last, baseline_first, baseline_last):
    period = parse_period(written)
    baseline = period.previous()
    assert (period.first, period.last) == (month(first), month(last))
    assert (baseline.first, baseline.last) == (month(baseline_first), month(baseline_last))


def tidy(tmp_path, rows: list[tuple[str, str, str, int]]):
    path = tmp_path / "counts.csv"
    path.write_text(
        "area,period,category,count\n" + "".join(f"{a},{p},{c},{n}\n" for a, p, c, n in rows)
    )
    return path


def test_fytd_april_and_march_report_the_right_months(tmp_path):
    rows = [("Alpha", f"{y}-{m:02d}", "Robbery", m + 100 * (y - 2023))
            for y in (2023, 2024, 2025) for m in range(1, 13)]  # fmt: skip
    data = tidy(tmp_path, rows)

    def robbery(period):
        result = CliRunner().invoke(main, ["report", "alpha", "--data", str(data), "--period",
                                           period, "--format", "json"])  # fmt: skip
        assert result.exit_code == 0, result.output
        row = json.loads(result.stdout)["rows"][0]
        return row["count"], row["baseline_count"]

    # April 2024 = 4 + 100; April 2023 = 4.
    assert robbery("fytd:2024-04") == (104, 4)
    # Apr 2024..Mar 2025 = (4..12) + 100*9 + (1..3) + 200*3 = 72 + 900 + 6 + 600 = 1578;
    # Apr 2023..Mar 2024 = (4..12) + (1..3) + 100*3 = 72 + 6 + 300 = 378.
    assert robbery("fytd:2025-03") == (1578, 378)
    # 12 months to Feb 2025: Mar..Dec 2024 = (3..12) + 100*10 = 1075, Jan..Feb 2025 = 3 + 400;
    # a year earlier: Mar..Dec 2023 = 75, Jan..Feb 2024 = 3 + 200.
    assert robbery("12m:2025-02") == (1075 + 403, 75 + 203)


def binomial_p(current: int, previous: int) -> Fraction:
    """Two-sided exact conditional test, by hand: 2 * P(X <= min) for X ~ Bin(n, 1/2)."""
    n = current + previous
    low = min(current, previous)
    return min(Fraction(1), 2 * Fraction(sum(comb(n, i) for i in range(low + 1)), 2**n))


@pytest.mark.parametrize(("current", "previous"), [(0, 5), (5, 0), (1, 3)])
def test_p_exactly_at_alpha_is_within_normal_variation(tmp_path, current, previous):
    # 0 against 5: p = 2 * (1/2)^5 = 1/16 = 0.0625; 1 against 3: p = 2 * 5/16 = 0.625.
    p = binomial_p(current, previous)
    data = tidy(tmp_path, [("Alpha", "2008/09", "Robbery", previous),
                           ("Alpha", "2009/10", "Robbery", current)])  # fmt: skip

    def within(alpha: Fraction) -> bool:
        result = CliRunner().invoke(main, ["report", "alpha", "--data", str(data), "--alpha",
                                           str(float(alpha)), "--format", "json"])  # fmt: skip
        assert result.exit_code == 0, result.output
        row = json.loads(result.stdout)["rows"][0]
        assert row["p_value"] == pytest.approx(float(p))
        return row["within_normal_variation"]

    assert within(p) is True  # p >= alpha: at alpha is within normal variation
    assert within(p + Fraction(1, 10**6)) is False
    assert within(p - Fraction(1, 10**6)) is True


def test_a_target_exactly_met_is_met(tmp_path):
    # 1,000 -> 975: exactly -2.5% against a 2.5% reduction target: met. 976: -2.4%: missed.
    for count, verdict in ((975, "met"), (976, "missed"), (974, "met")):
        data = tidy(tmp_path, [("Alpha", "2008/09", "Robbery", 1000),
                               ("Alpha", "2009/10", "Robbery", count)])  # fmt: skip
        targets = tmp_path / "targets.csv"
        targets.write_text("area,period,measure,kind,value\n*,2009/10,Robbery,reduction_pct,2.5\n")
        result = CliRunner().invoke(main, ["report", "alpha", "--data", str(data), "--targets",
                                           str(targets), "--format", "json"])  # fmt: skip
        assert json.loads(result.stdout)["rows"][0]["verdict"] == verdict, count


# -- ranks: one ranking everywhere ----------------------------------------------------------

#: Five boroughs' robbery, 2008/09 -> 2009/10, and their % changes by hand:
#: Alpha 200 -> 180 (-10%), Beta 100 -> 95 (-5%), Gamma 40 -> 38 (-5%), Delta 50 -> 51 (+2%),
#: Epsilon 0 -> 7 (no % change: unranked). Ranks, lowest first, ties sharing: Alpha 1,
#: Beta 2, Gamma 2, Delta 4, Epsilon none; four ranked.
LEAGUE = {"Alpha": (200, 180), "Beta": (100, 95), "Gamma": (40, 38), "Delta": (50, 51),
          "Epsilon": (0, 7)}  # fmt: skip
RANKS = {"Alpha": 1, "Beta": 2, "Gamma": 2, "Delta": 4, "Epsilon": None}


@pytest.fixture
def league_data(tmp_path):
    rows = []
    for area, (before, now) in LEAGUE.items():
        rows += [(area, "2008/09", "Robbery", before), (area, "2009/10", "Robbery", now)]
    rows += [(area, f"200{y}/{y + 1:02d}", "Total notifiable offences", 10 * n)
             for area, pair in LEAGUE.items() for y, n in zip((8, 9), pair, strict=True)]  # fmt: skip
    return tidy(tmp_path, rows)


def test_rank_command_ranks_with_ties(league_data):
    result = CliRunner().invoke(main, ["rank", "--data", str(league_data), "--period",
                                       "2009/10", "--category", "Robbery", "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    got = {r["area"]: r["rank"] for r in json.loads(result.stdout)["rows"]}
    assert got == RANKS


def test_report_context_ranks_with_ties(league_data):
    for area, rank in RANKS.items():
        result = CliRunner().invoke(main, ["report", area, "--data", str(league_data),
                                           "--period", "2009/10", "--format", "json"])  # fmt: skip
        row = next(r for r in json.loads(result.stdout)["rows"] if r["category"] == "Robbery")
        assert row["rank"] == rank, area
        assert row["rank_of"] == (4 if rank else None), area


def test_snapshot_league_ranks_with_ties(league_data, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["snapshot", "--data", str(league_data), "--period",
                                       "2009/10", "--out", str(out), "-q"])  # fmt: skip
    assert result.exit_code == 0, result.output
    league = json.loads((out / "2009-10" / "index.json").read_text())["league"]
    # The league is of total notifiable offences (10 x robbery here): the same ranks.
    assert {r["area"]: r["rank"] for r in league} == RANKS
    assert [r["area"] for r in league][:4] == ["Alpha", "Beta", "Gamma", "Delta"]

"""Targets and verdicts: the rules at their boundaries, overrides, and bad targets files.

Unit tests call ``policing_cli.report.targets`` directly; CLI tests write small tidy
fixtures to ``tmp_path`` and run ``policing report`` through click.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from policing_cli.cli import main
from policing_cli.model import Target
from policing_cli.report.results import GapResult
from policing_cli.report.targets import (
    Verdict,
    count_verdict,
    find_target,
    indicator_verdict,
    targets_for,
)

GAP = "Victim satisfaction (White) - Victim satisfaction (BME)"


def target(
    kind: str, value: str, measure: str = "Residential burglary", area: str = "*", **kw
) -> Target:
    return Target(
        area,
        kw.get("period", "2009/10"),
        measure,
        kind,
        Decimal(value),
        kw.get("path", "targets.csv"),
        kw.get("line", 2),
    )


def pct(count: int, baseline: int) -> Fraction:
    return Fraction((count - baseline) * 100, baseline)


def flat(text: str) -> str:
    return " ".join(text.split())


# -- count verdicts at the boundary -------------------------------------------------------


def test_reduction_exactly_on_target_is_met():
    assert count_verdict(target("reduction_pct", "2.5"), 975, pct(975, 1000)) is Verdict.MET


def test_reduction_just_short_of_target_is_missed():
    assert count_verdict(target("reduction_pct", "2.5"), 976, pct(976, 1000)) is Verdict.MISSED


def test_reduction_beyond_target_is_met_and_any_rise_is_missed():
    t = target("reduction_pct", "2.5")
    assert count_verdict(t, 900, pct(900, 1000)) is Verdict.MET
    assert count_verdict(t, 1000, pct(1000, 1000)) is Verdict.MISSED
    assert count_verdict(t, 1001, pct(1001, 1000)) is Verdict.MISSED


def test_reduction_compares_the_unrounded_change():
    # -2.4996% rounds to -2.5% on display but is short of a 2.5% reduction.
    t = target("reduction_pct", "2.5")
    assert count_verdict(t, 9751, pct(9751, 10000)) is Verdict.MISSED
    assert count_verdict(t, 97501, pct(97501, 100000)) is Verdict.MISSED
    assert count_verdict(t, 97500, pct(97500, 100000)) is Verdict.MET


def test_reduction_with_decimal_target_is_exact():
    # 4.2% of 3000 is exactly 126: no binary floating-point error at the boundary.
    t = target("reduction_pct", "4.2")
    assert count_verdict(t, 3000 - 126, pct(3000 - 126, 3000)) is Verdict.MET
    assert count_verdict(t, 3000 - 125, pct(3000 - 125, 3000)) is Verdict.MISSED


@pytest.mark.parametrize(
    ("kind", "count", "verdict"),
    [
        ("at_least", 500, Verdict.MET),
        ("at_least", 499, Verdict.MISSED),
        ("at_least", 501, Verdict.MET),
        ("at_most", 500, Verdict.MET),
        ("at_most", 501, Verdict.MISSED),
        ("at_most", 499, Verdict.MET),
    ],
)
def test_count_bounds(kind, count, verdict):
    assert count_verdict(target(kind, "500"), count, pct(count, 600)) is verdict


def test_count_without_target_or_data():
    assert count_verdict(None, 975, pct(975, 1000)) is Verdict.NO_TARGET
    assert count_verdict(target("reduction_pct", "2.5"), 5, None) is Verdict.NOT_AVAILABLE
    assert count_verdict(target("at_most", "10"), None, None) is Verdict.NOT_AVAILABLE


# -- indicators and gaps at the boundary --------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "verdict"),
    [
        ("at_least", "51.4", Verdict.MET),
        ("at_least", "51.40", Verdict.MET),
        ("at_least", "51.39", Verdict.MISSED),
        ("at_most", "51.4", Verdict.MET),
        ("at_most", "51.41", Verdict.MISSED),
    ],
)
def test_indicator_bounds(kind, value, verdict):
    t = target(kind, "51.4", "Public confidence")
    assert indicator_verdict(t, Decimal(value), None) is verdict


def test_indicator_without_value_or_target():
    assert indicator_verdict(target("at_least", "51.4", "Public confidence"), None, None) == "n/a"
    assert indicator_verdict(None, Decimal("53.1"), None) is Verdict.NO_TARGET


def test_indicator_reduction_needs_a_baseline():
    t = target("reduction_pct", "10", "Public confidence")
    assert indicator_verdict(t, Decimal("45"), Decimal("50")) is Verdict.MET
    assert indicator_verdict(t, Decimal("45.1"), Decimal("50")) is Verdict.MISSED
    assert indicator_verdict(t, Decimal("45"), None) is Verdict.NOT_AVAILABLE
    assert indicator_verdict(t, Decimal("45"), Decimal("0")) is Verdict.NOT_AVAILABLE


def gap(first: str | None, second: str | None, limit: str) -> GapResult:
    a, _, b = GAP.partition(" - ")
    return GapResult(
        GAP,
        a,
        b,
        None if first is None else Decimal(first),
        None if second is None else Decimal(second),
        target("max_gap_pp", limit, GAP),
    )


def test_gap_exactly_on_target_is_met():
    result = gap("78.8", "74.9", "3.9")
    assert result.gap_pp == Decimal("3.9")
    assert result.verdict is Verdict.MET


def test_gap_over_target_is_missed():
    result = gap("78.8", "73.9", "3.8")
    assert result.gap_pp == Decimal("4.9")
    assert result.verdict is Verdict.MISSED


def test_gap_is_the_absolute_difference():
    forward, backward = gap("78.8", "73.9", "5"), gap("73.9", "78.8", "5")
    assert forward.gap_pp == backward.gap_pp == Decimal("4.9")
    assert forward.verdict is backward.verdict is Verdict.MET
    assert gap("73.9", "78.8", "4.8").verdict is Verdict.MISSED


def test_gap_without_both_values_is_not_available():
    assert gap(None, "73.9", "3.8").gap_pp is None
    assert gap(None, "73.9", "3.8").verdict is Verdict.NOT_AVAILABLE
    assert gap("78.8", None, "3.8").verdict is Verdict.NOT_AVAILABLE


# -- which target applies ------------------------------------------------------------------


def test_named_area_overrides_star_in_either_order():
    star = target("reduction_pct", "2.5", area="*", line=2)
    named = target("reduction_pct", "1.0", area="Bexley", line=3)
    for order in ([star, named], [named, star]):
        assert find_target(order, "Bexley", False, "2009/10", "Residential burglary") is named
        assert find_target(order, "Bromley", False, "2009/10", "Residential burglary") is star


def test_named_area_matches_whatever_its_spelling():
    star = target("reduction_pct", "2.5", area="*")
    named = target("reduction_pct", "1.0", area="KENSINGTON AND CHELSEA")
    found = find_target(
        [star, named], "Kensington & Chelsea", False, "2009/10", "Residential burglary"
    )
    assert found is named


def test_override_is_per_measure_and_period():
    star = target("reduction_pct", "2.5", area="*")
    other_measure = target("reduction_pct", "1.0", "Total robbery", area="Bexley")
    other_period = target("reduction_pct", "1.0", area="Bexley", period="2010/11")
    targets = [star, other_measure, other_period]
    assert find_target(targets, "Bexley", False, "2009/10", "Residential burglary") is star
    assert find_target(targets, "Bexley", False, "2010/11", "Residential burglary") is other_period
    assert find_target(targets, "Bexley", False, "2009/10", "residential BURGLARY") is star


def test_named_row_for_another_area_does_not_apply():
    named = target("reduction_pct", "1.0", area="Bexley")
    assert find_target([named], "Bromley", False, "2009/10", "Residential burglary") is None


def test_force_alias_applies_to_force_wide_report_only():
    force = target("at_least", "51.4", "Public confidence", area="MPS")
    assert find_target([force], "London (MPS)", True, "2009/10", "Public confidence") is force
    assert find_target([force], "Bexley", False, "2009/10", "Public confidence") is None


def test_targets_for_lists_winners_in_file_order():
    star_a = target("reduction_pct", "2.5", "Residential burglary", line=2)
    star_b = target("reduction_pct", "2.5", "Total robbery", line=3)
    named_a = target("reduction_pct", "1.0", "Residential burglary", area="Bexley", line=4)
    later = target("reduction_pct", "1.4", "Total robbery", period="2010/11", line=5)
    targets = [star_a, star_b, named_a, later]
    assert targets_for(targets, "Bexley", False, "2009/10") == [star_b, named_a]
    assert targets_for(targets, "Bromley", False, "2009/10") == [star_a, star_b]
    assert targets_for(targets, "Bexley", False, "2010/11") == [later]


# -- CLI fixtures --------------------------------------------------------------------------


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def counts(folder: Path, rows: list[tuple[str, str, int, int]]) -> Path:
    """A tidy counts file: (area, category, 2008/09 count, 2009/10 count) per row."""
    lines = ["area,period,category,count"]
    for area, category, before, now in rows:
        lines += [f"{area},2008/09,{category},{before}", f"{area},2009/10,{category},{now}"]
    return write(folder, "counts.csv", "\n".join(lines) + "\n")


def targets_file(folder: Path, *rows: str, name: str = "targets.csv") -> Path:
    return write(folder, name, "\n".join(["area,period,measure,kind,value", *rows]) + "\n")


def indicators_file(folder: Path, *rows: str, name: str = "indicators.csv") -> Path:
    return write(folder, name, "\n".join(["area,period,measure,value", *rows]) + "\n")


def report(area: str, data: Path, *extra: str | Path, fmt: str = "json"):
    args = ["report", area, "--data", str(data), "--format", fmt, *map(str, extra)]
    return CliRunner().invoke(main, args)


def report_json(area: str, data: Path, *extra: str | Path) -> dict:
    result = report(area, data, *extra)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return json.loads(result.stdout)


def rows_by_category(data: dict) -> dict[str, dict]:
    return {row["category"]: row for row in data["rows"]}


def by_measure(data: dict) -> dict[str, dict]:
    return {row["measure"]: row for row in data["indicators"]}


@pytest.fixture
def boundary(tmp_path: Path) -> tuple[Path, Path]:
    data = counts(
        tmp_path,
        [
            ("Alpha", "Residential burglary", 1000, 975),
            ("Alpha", "Total robbery", 1000, 976),
            ("Alpha", "Theft from vehicles", 600, 500),
            ("Alpha", "Gun crime", 600, 501),
        ],
    )
    targets = targets_file(
        tmp_path,
        "Alpha,2009/10,Residential burglary,reduction_pct,2.5",
        "Alpha,2009/10,Total robbery,reduction_pct,2.5",
        "Alpha,2009/10,Theft from vehicles,at_most,500",
        "Alpha,2009/10,Gun crime,at_least,501",
    )
    return data, targets


def test_cli_boundaries(boundary):
    data, targets = boundary
    rows = rows_by_category(report_json("alpha", data, "--targets", targets))
    assert rows["Residential burglary"]["pct_change"] == pytest.approx(-2.5)
    assert rows["Residential burglary"]["verdict"] == "met"
    assert rows["Total robbery"]["verdict"] == "missed"
    assert rows["Theft from vehicles"]["verdict"] == "met"
    assert rows["Gun crime"]["verdict"] == "met"
    assert rows["Residential burglary"]["target"] == {"kind": "reduction_pct", "value": 2.5}
    assert rows["Theft from vehicles"]["target"] == {"kind": "at_most", "value": 500}


def test_cli_on_target_sentence_says_meeting(boundary):
    data, targets = boundary
    text = flat(report("alpha", data, "--targets", targets, fmt="text").stdout)
    assert (
        "a reduction in residential burglary of 2.5% or 25 fewer crimes, meeting the 2.5% "
        "reduction target" in text
    )
    assert "a target to reduce robbery by 2.5%: there were 24 fewer crimes, a 2.4% reduction" in (
        text
    )


def test_cli_near_miss_is_not_shown_as_on_target(tmp_path):
    """A fall of 2.49% is missed; one decimal would read "2.5%", as if on target."""
    data = counts(tmp_path, [("Alpha", "Residential burglary", 10000, 9751)])
    targets = targets_file(tmp_path, "*,2009/10,Residential burglary,reduction_pct,2.5")
    rows = rows_by_category(report_json("alpha", data, "--targets", targets))
    assert rows["Residential burglary"]["verdict"] == "missed"
    text = flat(report("alpha", data, "--targets", targets, fmt="text").stdout)
    assert "there were 249 fewer crimes, a 2.49% reduction" in text


def test_cli_fail_on_missed(boundary, tmp_path):
    data, targets = boundary
    missed = report("alpha", data, "--targets", targets, "--fail-on-missed", fmt="text")
    assert missed.exit_code == 3
    assert "1 target(s) missed" in missed.stderr
    assert report("alpha", data, "--targets", targets, fmt="text").exit_code == 0

    all_met = targets_file(
        tmp_path,
        "Alpha,2009/10,Residential burglary,reduction_pct,2.5",
        "Alpha,2009/10,Theft from vehicles,at_most,500",
        name="met.csv",
    )
    result = report("alpha", data, "--targets", all_met, "--fail-on-missed", fmt="text")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


def test_cli_fail_on_missed_counts_indicators_and_gaps(tmp_path):
    data = counts(tmp_path, [("Alpha", "Residential burglary", 1000, 900)])
    indicators = indicators_file(
        tmp_path,
        "Alpha,2009/10,Public confidence,50",
        "Alpha,2009/10,Victim satisfaction (White),80",
        "Alpha,2009/10,Victim satisfaction (BME),75",
    )
    gap_only = targets_file(tmp_path, f"Alpha,2009/10,{GAP},max_gap_pp,4.9", name="gap.csv")
    result = report("alpha", data, "--indicators", indicators, "--targets", gap_only,
                    "--fail-on-missed")  # fmt: skip
    assert result.exit_code == 3
    rate_only = targets_file(
        tmp_path, "Alpha,2009/10,Public confidence,at_least,50.1", name="rate.csv"
    )
    result = report("alpha", data, "--indicators", indicators, "--targets", rate_only,
                    "--fail-on-missed")  # fmt: skip
    assert result.exit_code == 3


def test_cli_indicator_and_gap_exactly_on_target(tmp_path):
    data = counts(tmp_path, [("Alpha", "Residential burglary", 1000, 900)])
    indicators = indicators_file(
        tmp_path,
        "Alpha,2009/10,Public confidence,51.4",
        "Alpha,2009/10,Victim satisfaction (White),78.8",
        "Alpha,2009/10,Victim satisfaction (BME),73.9",
    )
    targets = targets_file(
        tmp_path,
        "Alpha,2009/10,Public confidence,at_least,51.4",
        "Alpha,2009/10,Victim satisfaction (White),at_most,78.8",
        # B - A on purpose: the gap is a distance, the order does not matter.
        "Alpha,2009/10,Victim satisfaction (BME) - Victim satisfaction (White),max_gap_pp,4.9",
    )
    data_json = report_json("alpha", data, "--indicators", indicators, "--targets", targets)
    rates = by_measure(data_json)
    assert rates["Public confidence"]["verdict"] == "met"
    assert rates["Victim satisfaction (White)"]["verdict"] == "met"
    assert len(data_json["gaps"]) == 1
    assert data_json["gaps"][0]["gap_pp"] == pytest.approx(4.9)
    assert data_json["gaps"][0]["verdict"] == "met"
    assert data_json["targets_missed"] == 0
    result = report("alpha", data, "--indicators", indicators, "--targets", targets,
                    "--fail-on-missed")  # fmt: skip
    assert result.exit_code == 0


def test_cli_zero_baseline_reduction(tmp_path):
    """A reduction of x% means count <= baseline * (1 - x/100): against 0 offences that is
    met by 0 (Knife crime 0 -> 0) and missed by any (Gun crime 0 -> 5); no % change."""
    data = counts(tmp_path, [("Alpha", "Gun crime", 0, 5), ("Alpha", "Knife crime", 0, 0)])
    targets = targets_file(
        tmp_path,
        "*,2009/10,Gun crime,reduction_pct,2.5",
        "*,2009/10,Knife crime,reduction_pct,2.5",
    )
    result = report("alpha", data, "--targets", targets)
    assert result.exit_code == 0, result.stderr
    assert "Infinity" not in result.stdout and "NaN" not in result.stdout
    rows = rows_by_category(json.loads(result.stdout))
    for name, change, verdict in (("Gun crime", 5, "missed"), ("Knife crime", 0, "met")):
        row = rows[name]
        assert row["pct_change"] is None
        assert row["change"] == change
        assert row["verdict"] == verdict
    for fmt in ("text", "markdown", "csv"):
        shown = report("alpha", data, "--targets", targets, fmt=fmt)
        assert shown.exit_code == 0, shown.stderr
        assert "inf" not in shown.stdout.lower()
    failing = report("alpha", data, "--targets", targets, "--fail-on-missed")
    assert failing.exit_code == 3


def test_cli_named_area_overrides_star(tmp_path):
    data = counts(
        tmp_path,
        [
            ("Alpha", "Residential burglary", 1000, 990),  # -1.0%
            ("Beta", "Residential burglary", 1000, 990),  # -1.0%
        ],
    )
    targets = targets_file(
        tmp_path,
        "Alpha,2009/10,Residential burglary,reduction_pct,1.0",
        "*,2009/10,Residential burglary,reduction_pct,2.5",
    )
    alpha = rows_by_category(report_json("alpha", data, "--targets", targets))
    beta = rows_by_category(report_json("beta", data, "--targets", targets))
    assert alpha["Residential burglary"]["target"] == {"kind": "reduction_pct", "value": 1.0}
    assert alpha["Residential burglary"]["verdict"] == "met"
    assert beta["Residential burglary"]["target"] == {"kind": "reduction_pct", "value": 2.5}
    assert beta["Residential burglary"]["verdict"] == "missed"
    text = flat(report("alpha", data, "--targets", targets, fmt="text").stdout)
    assert "meeting the 1.0% reduction target" in text
    assert "2.5% reduction target" not in text.split("Force-wide")[0]


def test_cli_missing_indicator_is_not_available(tmp_path):
    data = counts(tmp_path, [("Alpha", "Residential burglary", 1000, 900),
                             ("Beta", "Residential burglary", 1000, 900)])  # fmt: skip
    # Public confidence is held for Alpha only, and for Beta only in another year.
    indicators = indicators_file(
        tmp_path,
        "Alpha,2009/10,Public confidence,53.1",
        "Beta,2007/08,Public confidence,50.0",
    )
    targets = targets_file(tmp_path, "*,2009/10,Public confidence,at_least,51.4")
    beta = report_json("beta", data, "--indicators", indicators, "--targets", targets)
    rate = by_measure(beta)["Public confidence"]
    assert rate["value"] is None
    assert rate["verdict"] == "n/a"
    assert beta["targets_missed"] == 0
    assert "Public confidence" not in rows_by_category(beta)  # not mistaken for a crime count
    alpha = report_json("alpha", data, "--indicators", indicators, "--targets", targets)
    assert by_measure(alpha)["Public confidence"]["verdict"] == "met"
    result = report("beta", data, "--indicators", indicators, "--targets", targets,
                    "--fail-on-missed")  # fmt: skip
    assert result.exit_code == 0


def test_cli_gap_with_missing_indicator_is_not_available(tmp_path):
    data = counts(tmp_path, [("Alpha", "Residential burglary", 1000, 900)])
    indicators = indicators_file(tmp_path, "Alpha,2009/10,Victim satisfaction (White),78.8")
    targets = targets_file(tmp_path, f"*,2009/10,{GAP},max_gap_pp,3.8")
    data_json = report_json("alpha", data, "--indicators", indicators, "--targets", targets)
    assert [g["verdict"] for g in data_json["gaps"]] == ["n/a"]
    assert data_json["gaps"][0]["gap_pp"] is None


def test_cli_target_for_absent_category_is_a_row_with_na(tmp_path):
    data = counts(tmp_path, [("Alpha", "Residential burglary", 1000, 900)])
    targets = targets_file(
        tmp_path,
        "*,2009/10,Residential burglary,reduction_pct,2.5",
        "*,2009/10,Knife crime,reduction_pct,5.0",
    )
    data_json = report_json("alpha", data, "--targets", targets)
    rows = rows_by_category(data_json)
    knife = rows["Knife crime"]
    assert knife["count"] is None and knife["baseline_count"] is None
    assert knife["pct_change"] is None
    assert knife["target"] == {"kind": "reduction_pct", "value": 5.0}
    assert knife["verdict"] == "n/a"
    assert rows["Residential burglary"]["verdict"] == "met"
    back = data_json["summary"]["looking_back"]
    assert not any("knife crime" in s for s in back["achievements"] + back["not_met"])
    assert data_json["targets_missed"] == 0
    for fmt in ("text", "markdown"):
        out = report("alpha", data, "--targets", targets, fmt=fmt).stdout
        line = next(line for line in out.splitlines() if "Knife crime" in line)
        assert "n/a" in line and "-5.0%" in line


# -- bad targets and indicators files ------------------------------------------------------

GOOD_TARGET = "*,2009/10,Residential burglary,reduction_pct,2.5"
GOOD_INDICATOR = "Alpha,2009/10,Public confidence,53.1"

BAD_TARGETS = {
    "unknown kind": ("area,period,measure,kind,value", "*,2009/10,Total robbery,reduce,2.5", 3, "kind"),
    "non-numeric value": ("area,period,measure,kind,value", "*,2009/10,Total robbery,reduction_pct,2.5%", 3, "not a number"),
    "unknown measure": ("area,period,measure,kind,value", "*,2009/10,Residental burglary,reduction_pct,2.5", 3, "did you mean 'Residential burglary'"),
    "wrong header": ("area,period,measure,type,value", "*,2009/10,Total robbery,reduction_pct,2.5", 1, "header"),
    "blank area": ("area,period,measure,kind,value", ",2009/10,Total robbery,reduction_pct,2.5", 3, "blank"),
    "blank value": ("area,period,measure,kind,value", "*,2009/10,Total robbery,reduction_pct,", 3, "blank"),
    "duplicate": ("area,period,measure,kind,value", "*,2009/10,residential burglary,reduction_pct,3", 3, "line 2"),
    "too few fields": ("area,period,measure,kind,value", "*,2009/10,Total robbery,reduction_pct", 3, "fields"),
    "gap not A - B": ("area,period,measure,kind,value", "*,2009/10,Public confidence,max_gap_pp,3.8", 3, "max_gap_pp"),
    "bad period": ("area,period,measure,kind,value", "*,2009/99,Total robbery,reduction_pct,2.5", 3, "2009/99"),
}  # fmt: skip

BAD_INDICATORS = {
    "over 100": ("area,period,measure,value", "Alpha,2009/10,Victim satisfaction (BME),100.5", 3, "100"),
    "negative": ("area,period,measure,value", "Alpha,2009/10,Victim satisfaction (BME),-1", 3, "100"),
    "non-numeric value": ("area,period,measure,value", "Alpha,2009/10,Victim satisfaction (BME),n/a", 3, "not a number"),
    "wrong header": ("area,period,indicator,value", "Alpha,2009/10,Victim satisfaction (BME),73.9", 1, "header"),
    "blank period": ("area,period,measure,value", "Alpha,,Victim satisfaction (BME),73.9", 3, "blank"),
    "duplicate": ("area,period,measure,value", "ALPHA,2009/10,public confidence,54", 3, "line 2"),
    "star area": ("area,period,measure,value", "*,2009/10,Victim satisfaction (BME),73.9", 3, "named area"),
}  # fmt: skip


def assert_one_line_error(result, name: str, line: int, words: str) -> None:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    message = lines[0]
    assert message.startswith("Error: "), message
    assert f"{name}:{line}" in message, message
    assert words in message, message
    assert "internal error" not in message


@pytest.mark.parametrize("case", list(BAD_TARGETS))
def test_bad_targets_file(tmp_path, case):
    header, bad, line, words = BAD_TARGETS[case]
    data = counts(tmp_path, [("Alpha", "Residential burglary", 1000, 900)])
    rows = [bad] if line == 1 else [GOOD_TARGET, bad]
    path = write(tmp_path, "targets.csv", "\n".join([header, *rows]) + "\n")
    result = report("alpha", data, "--targets", path, fmt="text")
    assert_one_line_error(result, "targets.csv", line, words)


@pytest.mark.parametrize("case", list(BAD_INDICATORS))
def test_bad_indicators_file(tmp_path, case):
    header, bad, line, words = BAD_INDICATORS[case]
    data = counts(tmp_path, [("Alpha", "Residential burglary", 1000, 900)])
    rows = [bad] if line == 1 else [GOOD_INDICATOR, bad]
    path = write(tmp_path, "indicators.csv", "\n".join([header, *rows]) + "\n")
    result = report("alpha", data, "--indicators", path, fmt="text")
    assert_one_line_error(result, "indicators.csv", line, words)


def test_bad_targets_file_inside_data_folder(tmp_path):
    """A targets file found in a --data folder is checked the same way."""
    counts(tmp_path, [("Alpha", "Residential burglary", 1000, 900)])
    targets_file(tmp_path, GOOD_TARGET, "*,2009/10,Total robbery,reduction_pct,abc")
    result = report("alpha", tmp_path, fmt="text")
    assert_one_line_error(result, "targets.csv", 3, "not a number")


def test_unknown_measure_without_close_match(tmp_path):
    data = counts(tmp_path, [("Alpha", "Residential burglary", 1000, 900)])
    path = targets_file(tmp_path, GOOD_TARGET, "*,2009/10,Parking tickets,reduction_pct,2.5")
    result = report("alpha", data, "--targets", path, fmt="text")
    assert_one_line_error(result, "targets.csv", 3, "unknown measure 'Parking tickets'")
    assert "did you mean" not in result.stderr


def test_unknown_measure_inside_gap(tmp_path):
    data = counts(tmp_path, [("Alpha", "Residential burglary", 1000, 900)])
    path = targets_file(
        tmp_path,
        GOOD_TARGET,
        "*,2009/10,Victim satisfaction (White) - Victim satisfacton (BME),max_gap_pp,3.8",
    )
    result = report("alpha", data, "--targets", path, fmt="text")
    assert_one_line_error(result, "targets.csv", 3, "Victim satisfacton (BME)")


def test_line_numbers_count_blank_lines_and_crlf(tmp_path):
    data = counts(tmp_path, [("Alpha", "Residential burglary", 1000, 900)])
    path = tmp_path / "targets.csv"
    path.write_bytes(
        b"area,period,measure,kind,value\r\n"
        b"*,2009/10,Residential burglary,reduction_pct,2.5\r\n"
        b"\r\n"
        b"*,2009/10,Total robbery,bogus,2.5\r\n"
    )
    result = report("alpha", data, "--targets", path, fmt="text")
    assert_one_line_error(result, "targets.csv", 4, "bogus")


def test_borough_does_not_take_the_force_value_for_its_own_verdict(tmp_path):
    """A ``*`` rate target, with the rate held for the MPS only: the borough's is n/a."""
    data = counts(tmp_path, [("Bexley", "Residential burglary", 1000, 900)])
    indicators = indicators_file(tmp_path, "MPS,2009/10,Public confidence,53.1")
    targets = targets_file(tmp_path, "*,2009/10,Public confidence,at_least,51.4")
    bexley = report_json("bexley", data, "--indicators", indicators, "--targets", targets)
    rate = by_measure(bexley)["Public confidence"]
    assert rate["value"] is None and rate["verdict"] == "n/a"
    assert bexley["targets_missed"] == 0
    force = report_json("mps", data, "--indicators", indicators, "--targets", targets)
    assert by_measure(force)["Public confidence"]["verdict"] == "met"


# -- regressions: results that once read as exactly on target, duplicates under other spellings


@pytest.mark.parametrize(
    ("kind", "first", "second"),
    [
        ("targets", "Kensington & Chelsea", "Kensington and Chelsea"),
        ("targets", "MPS", "London"),
        ("indicators", "Kensington & Chelsea", "kensington-and-chelsea"),
    ],
)
def test_duplicate_under_another_spelling_of_the_area(tmp_path, kind, first, second):
    data = counts(tmp_path, [("Kensington & Chelsea", "Total robbery", 1000, 990)])
    if kind == "targets":
        path = targets_file(
            tmp_path,
            f"{first},2009/10,Total robbery,reduction_pct,0.5",
            f"{second},2009/10,Total robbery,reduction_pct,5",
        )
    else:
        path = indicators_file(
            tmp_path,
            f"{first},2009/10,Public confidence,60",
            f"{second},2009/10,Public confidence,40",
        )
    result = report("kensington & chelsea", data, f"--{kind}", path, fmt="text")
    assert_one_line_error(result, f"{kind}.csv", 3, "line 2")


def shown_pair(pattern: str, text: str) -> tuple[Decimal, Decimal]:
    match = re.search(pattern, text)
    assert match, (pattern, text)
    return Decimal(match.group(1)), Decimal(match.group(2))


def test_missed_rate_target_does_not_read_as_on_target(tmp_path):
    data = counts(tmp_path, [("Alpha", "Residential burglary", 1000, 900)])
    indicators = indicators_file(tmp_path, "Alpha,2009/10,Public confidence,51.36")
    targets = targets_file(tmp_path, "*,2009/10,Public confidence,at_least,51.4")
    data_json = report_json("alpha", data, "--indicators", indicators, "--targets", targets)
    assert by_measure(data_json)["Public confidence"]["verdict"] == "missed"
    [sentence] = data_json["summary"]["looking_back"]["not_met"]
    target_shown, value_shown = shown_pair(r"at least ([\d.]+)%.*it was ([\d.]+)%", sentence)
    assert value_shown < target_shown, sentence
    assert "0.0 percentage points" not in sentence


def test_missed_gap_target_does_not_read_as_on_target(tmp_path):
    data = counts(tmp_path, [("Alpha", "Residential burglary", 1000, 900)])
    indicators = indicators_file(
        tmp_path,
        "Alpha,2009/10,Victim satisfaction (White),78.84",
        "Alpha,2009/10,Victim satisfaction (BME),75.00",
    )
    targets = targets_file(tmp_path, f"*,2009/10,{GAP},max_gap_pp,3.8")
    data_json = report_json("alpha", data, "--indicators", indicators, "--targets", targets)
    assert data_json["gaps"][0]["verdict"] == "missed"
    [sentence] = data_json["summary"]["looking_back"]["not_met"]
    gap_shown, target_shown = shown_pair(
        r"was ([\d.]+) percentage points: .* target of a ([\d.]+) percentage point", sentence
    )
    assert gap_shown > target_shown, sentence


def test_missed_two_decimal_target_does_not_read_as_on_target(tmp_path):
    data = counts(tmp_path, [("Alpha", "Residential burglary", 200000, 195090)])  # -2.455%
    targets = targets_file(tmp_path, "*,2009/10,Residential burglary,reduction_pct,2.46")
    result = report("alpha", data, "--targets", targets)
    assert result.exit_code == 0, result.output  # a two-decimal target is a target
    data_json = json.loads(result.stdout)
    assert rows_by_category(data_json)["Residential burglary"]["verdict"] == "missed"
    [sentence] = data_json["summary"]["looking_back"]["not_met"]
    target_shown, fall_shown = shown_pair(r"by ([\d.]+)%: .* a ([\d.]+)% reduction", sentence)
    assert fall_shown < target_shown, sentence


def test_pct_words_never_shows_a_miss_as_the_target():
    from policing_cli.report.narrative import pct_words

    shown = pct_words(Fraction(-249996, 100000), Decimal("2.5"))
    assert Decimal(shown) != Decimal("2.5"), shown

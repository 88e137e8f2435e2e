"""Acceptance: ``--data sample:leaflet`` reproduces the MPA's 2009/10 Local Policing Summary.

The sentences below are the leaflet's own words (Bexley, April 2009 to March 2010, and the
MPS-wide results it quotes). They must come out of the CLI, end to end, in Markdown and in
plain text, under the right headings, for the borough report (whose force-wide section
carries the MPS results) and for the force-wide report itself.
"""

from __future__ import annotations

import csv
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from .conftest import SAMPLE
from .helpers import invoke

LEAFLET = SAMPLE / "leaflet"

MPS_ACHIEVED = [
    "a reduction in serious acquisitive crime (residential burglary, robbery and motor "
    "vehicle crime) of 3.5% or 6919 fewer crimes, exceeding the 2.5% reduction target",
    "public confidence across the MPS was 53.1% against a 51.4% target",
    "a reduction in theft from motor vehicle crime of 7.9% or 6195 fewer crimes, exceeding "
    "the 2.5% reduction target",
]

MPS_NOT_MET = [
    "a target to reduce gun crime by 4.2%: there were 429 more crimes, a 14.2% increase",
    "a target to reduce serious youth violence by 4.7%: there were 105 more crimes, a 1.6% "
    "increase",
    "the gap between the satisfaction of White victims (78.8%) and Black and Minority Ethnic "
    "victims (73.9%) was 4.9 percentage points: this missed the target of a 3.8 percentage "
    "point gap",
]

FORWARD = [
    "1.4% reduction in serious acquisitive crime",
    "2.5% reduction in most serious violence",
    "1.0% reduction in serious youth violence",
    "3.4% reduction in gun crime",
    "5.0% reduction in knife crime",
]

# Bexley's table: category -> (change, % change as shown).
BEXLEY_ROWS = {
    "Residential burglary": (-120, "-8.4%"),
    "Total robbery": (-89, "-23.7%"),
    "Theft from vehicles": (-274, "-16.6%"),
    "Theft or taking of vehicles": (-3, "-0.4%"),
    "Serious youth violence": (-30, "-25.6%"),
    "Knife crime": (-57, "-29.5%"),
    "Gun crime": (-15, "-30.0%"),
}

SAC_PARTS = (
    "Residential burglary",
    "Total robbery",
    "Theft from vehicles",
    "Theft or taking of vehicles",
)


def flat(text: str) -> str:
    """Whitespace normalised: text output wraps at 80 columns."""
    return " ".join(text.split())


def leaflet(area: str, fmt: str, *extra: str):
    result = invoke("report", area, "--data", "sample:leaflet", "--format", fmt, *extra)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def sections(text: str, fmt: str) -> list[tuple[str, list[str]]]:
    """The output's bulleted lists, each with the heading above it, in order of appearance.

    Markdown headings are ``#`` lines; plain-text headings are unindented lines that are not
    bullets. A plain-text bullet's wrapped lines are indented continuation lines.
    """
    out: list[tuple[str, list[str]]] = []
    heading = ""
    items: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("- "):
            if items is None:
                items = []
                out.append((heading, items))
            items.append(line[2:])
        elif line.startswith("  ") and items:
            items[-1] += " " + line.strip()
        elif line.strip():
            heading = line.lstrip("#").strip().rstrip(":") if fmt == "markdown" else line
            heading = heading.rstrip(":").strip()
            items = None
        else:
            items = None
    return [(h, [flat(i) for i in its]) for h, its in out]


def section_of(text: str, fmt: str, sentence: str) -> str:
    """The heading of the (single) list holding ``sentence``."""
    found = [h for h, items in sections(text, fmt) if sentence in items]
    assert len(found) == 1, (sentence, sections(text, fmt))
    return found[0]


def count_table(text: str, fmt: str) -> dict[str, dict[str, str]]:
    """The category table, as {category: {column: cell}}."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"^\|?\s*Category\b", line))
    if fmt == "markdown":

        def split(line: str) -> list[str]:
            return [c.strip() for c in line.strip().strip("|").split("|")]

        header = split(lines[start])
        body = []
        for line in lines[start + 2 :]:
            if not line.startswith("|"):
                break
            body.append(split(line))
    else:

        def split(line: str) -> list[str]:
            return re.split(r"\s{2,}", line.strip())

        header = split(lines[start])
        body = []
        for line in lines[start + 2 :]:
            if not line.strip():
                break
            body.append(split(line))
    table = {}
    for cells in body:
        assert len(cells) == len(header), (header, cells)
        table[cells[0]] = dict(zip(header, cells, strict=True))
    return table


def half_up(value: Fraction, places: int = 1) -> str:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def read_counts() -> dict[tuple[str, str, str], int]:
    with (LEAFLET / "counts.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and list(rows[0]) == ["area", "period", "category", "count"]
    return {(r["area"], r["period"], r["category"]): int(r["count"]) for r in rows}


# -- the leaflet's sentences, in both text formats ----------------------------------------


@pytest.mark.parametrize("fmt", ["markdown", "text"])
@pytest.mark.parametrize("area", ["bexley", "mps"])
def test_every_leaflet_sentence_appears(area, fmt):
    result = leaflet(area, fmt)
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    for sentence in MPS_ACHIEVED + MPS_NOT_MET + FORWARD:
        assert sentence in text, sentence


@pytest.mark.parametrize("fmt", ["markdown", "text"])
@pytest.mark.parametrize("area", ["bexley", "mps"])
def test_sentences_sit_under_the_right_headings(area, fmt):
    out = leaflet(area, fmt).stdout
    for sentence in MPS_ACHIEVED:
        heading = section_of(out, fmt, sentence)
        assert "achieved" in heading and "not met" not in heading, heading
    for sentence in MPS_NOT_MET:
        heading = section_of(out, fmt, sentence)
        assert "not met" in heading, heading
    for sentence in FORWARD:
        heading = section_of(out, fmt, sentence)
        assert "Looking forward" in heading and "2010/11" in heading, heading
    if area == "bexley":
        # In the borough's report the MPS results are the force-wide section's.
        for sentence in MPS_ACHIEVED + MPS_NOT_MET:
            heading = section_of(out, fmt, sentence)
            assert "Force-wide" in heading and "MPS" in heading, heading


@pytest.mark.parametrize("fmt", ["markdown", "text"])
@pytest.mark.parametrize("area", ["bexley", "mps"])
def test_order_relative_to_headings(area, fmt):
    """Achievements follow their heading and precede the "not met" heading, whose sentences
    follow it and precede "Looking forward"."""
    text = flat(leaflet(area, fmt).stdout)
    if area == "bexley":
        achieved = text.index("Force-wide (MPS) in 2009/10: achieved")
        not_met = text.index("Force-wide (MPS) in 2009/10: targets not met")
    else:
        achieved = text.index("Looking back: MPS achieved in 2009/10")
        not_met = text.index("Targets not met in 2009/10")
    forward = text.index("Looking forward: priorities for 2010/11")
    assert achieved < not_met < forward
    for sentence in MPS_ACHIEVED:
        assert achieved < text.index(sentence) < not_met, sentence
    for sentence in MPS_NOT_MET:
        assert not_met < text.index(sentence) < forward, sentence
    positions = [text.index(s) for s in FORWARD]
    assert forward < positions[0] and positions == sorted(positions)


def test_mps_sentences_appear_once_in_the_borough_report():
    text = flat(leaflet("bexley", "text").stdout)
    for sentence in MPS_ACHIEVED + MPS_NOT_MET:
        assert text.count(sentence) == 1, sentence


# -- Bexley's own table --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_bexley_table_rows(fmt):
    table = count_table(leaflet("bexley", fmt).stdout, fmt)
    for category, (change, pct) in BEXLEY_ROWS.items():
        row = table[category]
        assert row["Change"] == f"{change:+d}", (category, row)
        # "~" marks a change within normal variation (not part of the figure).
        shown = row["% change"].removesuffix("~").removesuffix("\\").strip()
        assert shown == pct, (category, row)
    assert table["Theft or taking of vehicles"]["Verdict"] == "missed"
    assert [c for c, row in table.items() if row["Verdict"] == "missed"] == [
        "Theft or taking of vehicles"
    ]


def test_bexley_json_rows_and_exactly_one_miss():
    data = json.loads(leaflet("bexley", "json").stdout)
    rows = {row["category"]: row for row in data["rows"]}
    for category, (change, pct) in BEXLEY_ROWS.items():
        row = rows[category]
        assert row["change"] == change, category
        exact = Fraction(row["count"] - row["baseline_count"]) * 100 / row["baseline_count"]
        assert row["pct_change"] == pytest.approx(float(exact))
        assert half_up(exact) + "%" == pct, category  # half away from zero
    for row in data["rows"]:
        assert set(row) >= {"target", "verdict"}
        assert row["target"] is None or set(row["target"]) == {"kind", "value"}
    verdicts = [row["verdict"] for row in data["rows"]]
    verdicts += [i["verdict"] for i in data["indicators"]] + [g["verdict"] for g in data["gaps"]]
    assert verdicts.count("missed") == 1
    assert rows["Theft or taking of vehicles"]["verdict"] == "missed"
    assert rows["Theft or taking of vehicles"]["target"] == {"kind": "reduction_pct", "value": 2.5}
    # Bexley's own targets: the named row for theft or taking, the * rows for the rest.
    assert rows["Theft from vehicles"]["verdict"] == "met"
    assert rows["Serious acquisitive crime"]["verdict"] == "met"
    assert rows["Gun crime"]["verdict"] == "met"
    assert rows["Serious youth violence"]["verdict"] == "met"
    assert rows["Knife crime"]["target"] is None
    assert rows["Knife crime"]["verdict"] == "no target"
    assert data["summary"]["looking_forward"]["period"] == "2010/11"
    assert data["summary"]["looking_forward"]["priorities"] == FORWARD


def test_bexley_json_force_wide_summary():
    data = json.loads(leaflet("bexley", "json").stdout)
    force = data["force_wide_summary"]
    assert force is not None
    assert force["looking_back"]["achievements"] == MPS_ACHIEVED
    assert force["looking_back"]["not_met"] == MPS_NOT_MET
    assert force["looking_forward"]["period"] == "2010/11"
    # The force's results are not Bexley's: none of them is in Bexley's own lists.
    own = data["summary"]["looking_back"]
    for sentence in MPS_ACHIEVED + MPS_NOT_MET:
        assert sentence not in own["achievements"] + own["not_met"]


def test_fail_on_missed_for_bexley():
    plain = leaflet("bexley", "text")
    assert plain.exit_code == 0
    failing = leaflet("bexley", "text", "--fail-on-missed")
    assert failing.exit_code == 3
    assert failing.stdout == plain.stdout  # the report is still printed in full
    assert "Traceback" not in failing.stderr


def test_fail_on_missed_for_mps():
    assert leaflet("mps", "json").exit_code == 0
    assert leaflet("mps", "json", "--fail-on-missed").exit_code == 3


# -- the force-wide report's JSON ----------------------------------------------------------


def test_mps_json():
    data = json.loads(leaflet("mps", "json").stdout)
    assert data["force_wide"] is True
    assert (data["period"], data["baseline_period"]) == ("2009/10", "2008/09")
    for row in data["rows"]:
        assert set(row) >= {"target", "verdict"}
        assert row["target"] is None or set(row["target"]) == {"kind", "value"}
    rows = {row["category"]: row for row in data["rows"]}
    assert rows["Serious acquisitive crime"]["change"] == -6919
    assert rows["Serious acquisitive crime"]["verdict"] == "met"
    assert rows["Theft from vehicles"]["change"] == -6195
    assert rows["Gun crime"]["change"] == 429
    assert rows["Gun crime"]["verdict"] == "missed"
    assert rows["Serious youth violence"]["change"] == 105
    assert rows["Serious youth violence"]["verdict"] == "missed"

    indicators = {i["measure"]: i for i in data["indicators"]}
    confidence = indicators["Public confidence"]
    assert confidence["value"] == pytest.approx(53.1)
    assert confidence["target"] == {"kind": "at_least", "value": 51.4}
    assert confidence["verdict"] == "met"

    assert len(data["gaps"]) == 1
    gap = data["gaps"][0]
    assert gap["gap_pp"] == pytest.approx(4.9)
    assert gap["verdict"] == "missed"
    assert gap["target"] == {"kind": "max_gap_pp", "value": 3.8}

    back = data["summary"]["looking_back"]
    assert back["achievements"] == MPS_ACHIEVED
    assert back["not_met"] == MPS_NOT_MET
    assert data["summary"]["looking_forward"]["period"] == "2010/11"
    assert data["summary"]["looking_forward"]["priorities"] == FORWARD


# -- the sample's counts, checked by hand against the leaflet -----------------------------


def test_sample_counts_give_the_leaflet_figures():
    counts = read_counts()

    def change(area: str, category: str) -> tuple[int, Fraction]:
        before = counts[(area, "2008/09", category)]
        now = counts[(area, "2009/10", category)]
        return now - before, Fraction(now - before) * 100 / before

    sac_before = sum(counts[("MPS", "2008/09", c)] for c in SAC_PARTS)
    sac_now = sum(counts[("MPS", "2009/10", c)] for c in SAC_PARTS)
    assert sac_now - sac_before == -6919
    assert half_up(Fraction(6919 * 100, sac_before)) == "3.5"
    assert Fraction(6919 * 100, sac_before) >= Fraction(25, 10)  # exceeds the 2.5% target

    diff, pct = change("MPS", "Theft from vehicles")
    assert diff == -6195 and half_up(-pct) == "7.9"
    diff, pct = change("MPS", "Gun crime")
    assert diff == 429 and half_up(pct) == "14.2"
    diff, pct = change("MPS", "Serious youth violence")
    assert diff == 105 and half_up(pct) == "1.6"

    for category, (expected, shown) in BEXLEY_ROWS.items():
        diff, pct = change("Bexley", category)
        assert diff == expected, category
        assert half_up(pct) + "%" == shown, category

    # Bexley's one miss: theft or taking of vehicles fell by less than 2.5%.
    _, pct = change("Bexley", "Theft or taking of vehicles")
    assert -Fraction(25, 10) < pct < 0


def test_sample_indicators_give_the_leaflet_figures():
    with (LEAFLET / "indicators.csv").open(newline="", encoding="utf-8") as handle:
        values = {r["measure"]: Decimal(r["value"]) for r in csv.DictReader(handle)}
    assert values["Public confidence"] == Decimal("53.1")
    gap = values["Victim satisfaction (White)"] - values["Victim satisfaction (BME)"]
    assert gap == Decimal("4.9")
    assert gap > Decimal("3.8")

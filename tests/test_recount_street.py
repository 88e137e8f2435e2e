"""Independent recount of the street-level reports from the raw data.police.uk CSV files.

Every expected figure here is counted with the csv module straight from the real files in
tests/data/real/police-uk (North Wales Police July-November 2020, City of London Police
December 2023 and December 2024), following the written rules below; nothing is taken from the
package's code, its data files or its output.

Rules (the specification this module checks):

* district = the LSOA name without its last token ("Wrexham 012C" -> "Wrexham"); a force is
  its ``Falls within`` name; a row with a blank LSOA name counts toward its force only;
* a district's count sums every loaded force's rows located in it; a force's count is all of
  its rows (rows located in border districts and no-location rows included);
* street crime types map to report categories as in ``CATEGORIES_OF`` below; Total notifiable
  offences is every row except anti-social behaviour; all 16 categories appear in every report;
* outcome classes are those of ``OUTCOME_CLASS`` below (data.police.uk's published outcome
  categories); anti-social behaviour is left out of the outcomes;
* context: force_pct_change is the pct change of the district's own force over all its rows;
  rank = 1 + the number of the force's own districts with a strictly smaller pct change, among
  those whose baseline is non-zero; rank_of = how many such districts.
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from fractions import Fraction

import pytest
from click.testing import CliRunner

from policing_cli.cli import main

from .conftest import real_file

# --------------------------------------------------------------------------------------------
# The files
# --------------------------------------------------------------------------------------------

NW_MONTHS = ["2020-07", "2020-08", "2020-09", "2020-10", "2020-11"]
NW_FILES = [
    real_file("police-uk", "north-wales", f"{month}-north-wales-street.csv") for month in NW_MONTHS
]
COL_FILES = [
    real_file("police-uk", "2023-12-city-of-london-street.csv"),
    real_file("police-uk", "2024-12-city-of-london-street.csv"),
]
ALL_FILES = NW_FILES + COL_FILES

NW = "North Wales Police"
COL = "City of London Police"
OWN_DISTRICTS = {
    NW: ["Conwy", "Denbighshire", "Flintshire", "Gwynedd", "Isle of Anglesey", "Wrexham"],
    COL: ["City of London"],
}
BORDER_DISTRICTS = [
    "Cheshire West and Chester",
    "Shropshire",
    "Powys",
    "Pembrokeshire",
    "Tower Hamlets",
    "Camden",
    "Westminster",
    "Hackney",
    "Islington",
    "Southwark",
    "Haringey",
]
BORDER_NOTE = "outside the areas of the forces whose files are read"

# --------------------------------------------------------------------------------------------
# The rules, written out
# --------------------------------------------------------------------------------------------

ASB = "Anti-social behaviour"
TNO = "Total notifiable offences"
SAC = "Serious acquisitive crime"

CATEGORIES_OF = {
    "Burglary": ["Burglary", SAC],
    "Robbery": ["Total robbery", SAC],
    "Vehicle crime": ["Vehicle crime", SAC],
    "Violence and sexual offences": ["Violence and sexual offences"],
    "Criminal damage and arson": ["Arson and criminal damage"],
    "Drugs": ["Drug offences"],
    "Possession of weapons": ["Possession of weapons"],
    "Public order": ["Public order offences"],
    "Shoplifting": ["Shoplifting"],
    "Theft from the person": ["Theft from the person"],
    "Bicycle theft": ["Bicycle theft"],
    "Other theft": ["Other theft"],
    "Other crime": ["Other crime"],
    ASB: [ASB],
}
ALL_CATEGORIES = sorted({c for cats in CATEGORIES_OF.values() for c in cats} | {TNO})
assert len(ALL_CATEGORIES) == 16
OUTCOME_CATEGORIES = [c for c in ALL_CATEGORIES if c != ASB]

POSITIVE, NEGATIVE, OPEN, UNKNOWN = "positive", "negative", "still_open", "unknown"
#: data.police.uk's published "Last outcome category" values, classed.
OUTCOME_CLASS = {
    # charged or summonsed, and the court results that follow a charge
    "Awaiting court outcome": POSITIVE,
    "Court result unavailable": POSITIVE,
    "Court case unable to proceed": POSITIVE,
    "Defendant found not guilty": POSITIVE,
    "Defendant sent to Crown Court": POSITIVE,
    "Offender sent to prison": POSITIVE,
    "Offender given suspended prison sentence": POSITIVE,
    "Offender fined": POSITIVE,
    "Offender given community sentence": POSITIVE,
    "Offender given a community sentence": POSITIVE,
    "Offender given conditional discharge": POSITIVE,
    "Offender given absolute discharge": POSITIVE,
    "Offender otherwise dealt with": POSITIVE,
    "Offender deprived of property": POSITIVE,
    "Offender ordered to pay compensation": POSITIVE,
    "Suspect charged": POSITIVE,
    "Suspect charged as part of another case": POSITIVE,
    # out-of-court disposals
    "Offender given a caution": POSITIVE,
    "Offender given penalty notice": POSITIVE,
    "Offender given a penalty notice": POSITIVE,
    "Offender given a drugs possession warning": POSITIVE,
    "Local resolution": POSITIVE,
    # no further action
    "Investigation complete; no suspect identified": NEGATIVE,
    "Unable to prosecute suspect": NEGATIVE,
    "Further investigation is not in the public interest": NEGATIVE,
    "Further action is not in the public interest": NEGATIVE,
    "Formal action is not in the public interest": NEGATIVE,
    "Action to be taken by another organisation": NEGATIVE,
    # open
    "Under investigation": OPEN,
    # nothing known
    "Status update unavailable": UNKNOWN,
    "": UNKNOWN,
}

# --------------------------------------------------------------------------------------------
# The recount: each file parsed once, with the csv module
# --------------------------------------------------------------------------------------------

_ROWS: dict[str, list[tuple[str, str, str | None, str, str]]] = {}


def _rows(path) -> list[tuple[str, str, str | None, str, str]]:
    """(month, force, district or None, crime type, last outcome) for every row of a file."""
    key = str(path)
    if key not in _ROWS:
        out = []
        with open(path, newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                lsoa = row["LSOA name"].strip()
                district = lsoa.rsplit(" ", 1)[0] if lsoa else None
                crime_type = row["Crime type"].strip()
                outcome = row["Last outcome category"].strip()
                # The recount's own guards: every value is one the rules class.
                assert crime_type in CATEGORIES_OF, (path, crime_type)
                assert outcome in OUTCOME_CLASS, (path, outcome)
                out.append(
                    (
                        row["Month"].strip(),
                        row["Falls within"].strip(),
                        district,
                        crime_type,
                        outcome,
                    )
                )
        _ROWS[key] = out
    return _ROWS[key]


def _selected(files, area, months):
    months = set(months)
    for path in files:
        for month, force, district, crime_type, outcome in _rows(path):
            if month not in months:
                continue
            if (force == area) if area in OWN_DISTRICTS else (district == area):
                yield crime_type, outcome


def recount(files, area, months) -> dict[str, int]:
    """Every report category's count (0 where there is no crime)."""
    counts = Counter({c: 0 for c in ALL_CATEGORIES})
    for crime_type, _ in _selected(files, area, months):
        for category in CATEGORIES_OF[crime_type]:
            counts[category] += 1
        if crime_type != ASB:
            counts[TNO] += 1
    return dict(counts)


def recount_outcomes(files, area, months) -> dict[str, dict[str, int]]:
    """Per outcome category: crimes and the four classes."""
    table = {
        c: {"crimes": 0, POSITIVE: 0, NEGATIVE: 0, OPEN: 0, UNKNOWN: 0} for c in OUTCOME_CATEGORIES
    }
    for crime_type, outcome in _selected(files, area, months):
        if crime_type == ASB:
            continue
        for category in CATEGORIES_OF[crime_type] + [TNO]:
            table[category]["crimes"] += 1
            table[category][OUTCOME_CLASS[outcome]] += 1
    return table


def pct(count, baseline):
    if baseline is None or count is None or baseline == 0:
        return None
    return 100.0 * (count - baseline) / baseline


def rate(table):
    return None if table["crimes"] == 0 else 100.0 * table[POSITIVE] / table["crimes"]


# --------------------------------------------------------------------------------------------
# The tool, run in-process, each distinct invocation once
# --------------------------------------------------------------------------------------------

_RUNS: dict[tuple, object] = {}


def run(*args):
    if args not in _RUNS:
        _RUNS[args] = CliRunner().invoke(main, list(args))
    return _RUNS[args]


def report(files, area, period, vs=None) -> dict:
    args = ["report", area]
    for path in files:
        args += ["--data", str(path)]
    args += ["--period", period]
    if vs is not None:
        args += ["--vs", vs]
    args += ["--format", "json"]
    result = run(*args)
    assert result.exit_code == 0, (args, result.output, result.exception)
    return json.loads(result.output)


def close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


# --------------------------------------------------------------------------------------------
# Comparison helpers: they collect mismatches, never stop at the first
# --------------------------------------------------------------------------------------------


def check_counts(problems, label, doc, files, area, months, baseline_months):
    expected = recount(files, area, months)
    base = recount(files, area, baseline_months) if baseline_months else None
    rows = {r["category"]: r for r in doc["rows"]}
    for category in ALL_CATEGORIES:
        row = rows.get(category)
        if row is None:
            problems.append(f"{label}: {category}: missing from rows")
            continue
        want = {
            "count": expected[category],
            "baseline_count": base[category] if base else None,
            "change": (expected[category] - base[category]) if base else None,
        }
        for key, value in want.items():
            if row.get(key) != value:
                problems.append(f"{label}: {category}: {key} {row.get(key)!r}, recount {value!r}")
        want_pct = pct(expected[category], base[category]) if base else None
        if not close(row.get("pct_change"), want_pct):
            problems.append(
                f"{label}: {category}: pct_change {row.get('pct_change')!r}, recount {want_pct!r}"
            )
    extra = set(rows) - set(ALL_CATEGORIES)
    if extra:
        problems.append(f"{label}: unexpected categories {sorted(extra)}")


def check_outcomes(problems, label, doc, files, area, months, baseline_months):
    expected = recount_outcomes(files, area, months)
    base = recount_outcomes(files, area, baseline_months) if baseline_months else None
    got = {o["category"]: o for o in doc.get("outcomes") or []}
    if ASB in got:
        problems.append(f"{label}: anti-social behaviour is in the outcomes")
    for category in OUTCOME_CATEGORIES:
        want = expected[category]
        entry = got.get(category)
        if entry is None:
            # Every category with crimes in the period or the comparison period has an entry
            # (with none now, its rate is n/a and the baseline's rate still shown).
            if want["crimes"] or (base and base[category]["crimes"]):
                problems.append(f"{label}: outcomes: {category} missing ({want['crimes']} crimes)")
            continue
        for key in ("crimes", POSITIVE, NEGATIVE, OPEN, UNKNOWN):
            if entry.get(key) != want[key]:
                problems.append(
                    f"{label}: outcomes: {category}: {key} {entry.get(key)!r}, "
                    f"recount {want[key]!r}"
                )
        if entry.get("unrecognised") != 0:
            problems.append(
                f"{label}: outcomes: {category}: unrecognised "
                f"{entry.get('unrecognised')!r}, every outcome in the file is known"
            )
        want_rate = rate(want)
        want_base_rate = rate(base[category]) if base else None
        want_pp = (
            None if want_rate is None or want_base_rate is None else want_rate - want_base_rate
        )
        for key, value in (
            ("positive_rate", want_rate),
            ("baseline_positive_rate", want_base_rate),
            ("change_pp", want_pp),
        ):
            if not close(entry.get(key), value):
                problems.append(
                    f"{label}: outcomes: {category}: {key} {entry.get(key)!r}, recount {value!r}"
                )


def expected_context(files, force, category, months, baseline_months):
    """(force pct change, {district: (rank, rank_of)}) by the rules, exact fractions for ranks."""
    force_now = recount(files, force, months)[category]
    force_base = recount(files, force, baseline_months)[category]
    changes = {}
    for district in OWN_DISTRICTS[force]:
        now = recount(files, district, months)[category]
        base = recount(files, district, baseline_months)[category]
        if base:
            changes[district] = Fraction(now - base, base)
    ranks = {}
    for district in OWN_DISTRICTS[force]:
        if district in changes:
            below = sum(1 for other in changes.values() if other < changes[district])
            ranks[district] = (1 + below, len(changes))
        else:
            ranks[district] = (None, len(changes))
    return pct(force_now, force_base), ranks


def check_context(problems, label, doc, files, force, district, months, baseline_months):
    rows = {r["category"]: r for r in doc["rows"]}
    for category in ALL_CATEGORIES:
        row = rows.get(category)
        if row is None:
            continue  # reported by check_counts
        force_pct, ranks = expected_context(files, force, category, months, baseline_months)
        rank, rank_of = ranks[district]
        if not close(row.get("force_pct_change"), force_pct):
            problems.append(
                f"{label}: {category}: force_pct_change "
                f"{row.get('force_pct_change')!r}, recount {force_pct!r}"
            )
        if row.get("rank") != rank:
            problems.append(f"{label}: {category}: rank {row.get('rank')!r}, recount {rank!r}")
        # rank_of is how many of the force's districts have a non-zero baseline; a district
        # left unranked (its own baseline 0) may show it or leave it out (null).
        if row.get("rank_of") != rank_of and not (rank is None and row.get("rank_of") is None):
            problems.append(
                f"{label}: {category}: rank_of {row.get('rank_of')!r}, recount {rank_of!r}"
            )


def fail_if(problems):
    assert not problems, f"{len(problems)} mismatch(es):\n" + "\n".join(problems)


# --------------------------------------------------------------------------------------------
# 0. The recount itself against figures worked out by hand
# --------------------------------------------------------------------------------------------


def test_recount_sanity():
    # Row counts of PROVENANCE.md: 6946, 6964, 6490, 5838, 5600 rows; City 843 and 766.
    for path, rows in zip(ALL_FILES, [6946, 6964, 6490, 5838, 5600, 843, 766], strict=False):
        assert len(_rows(path)) == rows, path
    # Every row of a file is of its own month and force.
    for path in NW_FILES:
        assert {(m, f) for m, f, *_ in _rows(path)} == {(path.name[:7], NW)}
    for path in COL_FILES:
        assert {(m, f) for m, f, *_ in _rows(path)} == {(path.name[:7], COL)}
    # Every district in the files is an own district of its force or a border district.
    seen = {d for path in ALL_FILES for _, _, d, _, _ in _rows(path)} - {None}
    assert seen == set(OWN_DISTRICTS[NW]) | set(OWN_DISTRICTS[COL]) | set(BORDER_DISTRICTS)
    # City of London Police December 2023: 843 rows, 20 anti-social behaviour, so 823 crimes;
    # positives: 70 Court result unavailable + 14 drugs possession warning + 10 caution
    # + 9 local resolution + 6 awaiting court outcome + 1 penalty notice = 110.
    dec23 = recount_outcomes(COL_FILES, COL, ["2023-12"])[TNO]
    assert (dec23[POSITIVE], dec23["crimes"]) == (110, 823)
    # December 2024: 766 rows, 3 anti-social behaviour, 763 crimes; positives: 62 awaiting
    # court outcome + 16 local resolution = 78.
    dec24 = recount_outcomes(COL_FILES, COL, ["2024-12"])[TNO]
    assert (dec24[POSITIVE], dec24["crimes"]) == (78, 763)
    # Shropshire, North Wales Police's files, August 2020: 2 violence and sexual offences.
    assert recount(NW_FILES, "Shropshire", ["2020-08"])["Violence and sexual offences"] == 2


# --------------------------------------------------------------------------------------------
# 1. North Wales: every own district and the force, every month and five months
# --------------------------------------------------------------------------------------------

NW_AREAS = OWN_DISTRICTS[NW] + [NW]
#: (period, --vs, months, baseline months)
NW_PERIODS = (
    [("2020-07", None, ["2020-07"], None)]
    + [
        (NW_MONTHS[i], NW_MONTHS[i - 1], [NW_MONTHS[i]], [NW_MONTHS[i - 1]])
        for i in range(1, len(NW_MONTHS))
    ]
    + [("5m:2020-11", None, NW_MONTHS, None)]
)


@pytest.mark.parametrize("area", NW_AREAS)
def test_north_wales_counts(area):
    problems = []
    for period, vs, months, baseline_months in NW_PERIODS:
        doc = report(NW_FILES, area, period, vs)
        label = f"{area} {period}" + (f" vs {vs}" if vs else "")
        check_counts(problems, label, doc, NW_FILES, area, months, baseline_months)
    fail_if(problems)


@pytest.mark.parametrize("area", NW_AREAS)
def test_north_wales_outcomes(area):
    problems = []
    for period, vs, months, baseline_months in NW_PERIODS:
        doc = report(NW_FILES, area, period, vs)
        label = f"{area} {period}" + (f" vs {vs}" if vs else "")
        check_outcomes(problems, label, doc, NW_FILES, area, months, baseline_months)
    fail_if(problems)


# --------------------------------------------------------------------------------------------
# 2. City of London: the force and its district, December 2024 against December 2023
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("area", [COL, "City of London"])
def test_city_of_london_counts_and_outcomes(area):
    problems = []
    doc = report(COL_FILES, area, "2024-12", "2023-12")
    label = f"{area} 2024-12 vs 2023-12"
    check_counts(problems, label, doc, COL_FILES, area, ["2024-12"], ["2023-12"])
    check_outcomes(problems, label, doc, COL_FILES, area, ["2024-12"], ["2023-12"])
    if area == "City of London":
        check_context(problems, label, doc, COL_FILES, COL, area, ["2024-12"], ["2023-12"])
    fail_if(problems)


# --------------------------------------------------------------------------------------------
# 3. Context for the North Wales districts, November 2020 against October 2020
# --------------------------------------------------------------------------------------------


def test_north_wales_context():
    problems = []
    for district in OWN_DISTRICTS[NW]:
        doc = report(NW_FILES, district, "2020-11", "2020-10")
        check_context(
            problems,
            f"{district} 2020-11 vs 2020-10",
            doc,
            NW_FILES,
            NW,
            district,
            ["2020-11"],
            ["2020-10"],
        )
    # force_pct_change is exactly what the force's own report gives.
    force_rows = {r["category"]: r for r in report(NW_FILES, NW, "2020-11", "2020-10")["rows"]}
    for district in OWN_DISTRICTS[NW]:
        for row in report(NW_FILES, district, "2020-11", "2020-10")["rows"]:
            force_pct = force_rows.get(row["category"], {}).get("pct_change")
            if not close(row.get("force_pct_change"), force_pct):
                problems.append(
                    f"{district}: {row['category']}: force_pct_change "
                    f"{row.get('force_pct_change')!r}, report {NW!r} gives {force_pct!r}"
                )
    fail_if(problems)


# --------------------------------------------------------------------------------------------
# 4. Both forces' files in one run
# --------------------------------------------------------------------------------------------


def test_multi_force_conwy_context_is_north_wales_only():
    problems = []
    doc = report(ALL_FILES, "Conwy", "2020-11", "2020-10")
    label = "Conwy 2020-11 vs 2020-10, all seven files"
    check_counts(problems, label, doc, ALL_FILES, "Conwy", ["2020-11"], ["2020-10"])
    check_outcomes(problems, label, doc, ALL_FILES, "Conwy", ["2020-11"], ["2020-10"])
    # The expectations are counted over the North Wales files alone: force figure and ranks
    # among North Wales Police's six districts only.
    check_context(problems, label, doc, NW_FILES, NW, "Conwy", ["2020-11"], ["2020-10"])
    for row in doc["rows"]:
        if row.get("rank_of") is not None and row["rank_of"] > len(OWN_DISTRICTS[NW]):
            problems.append(
                f"{label}: {row['category']}: rank_of {row['rank_of']} is more "
                f"than North Wales Police's {len(OWN_DISTRICTS[NW])} districts"
            )
    fail_if(problems)


def test_multi_force_city_of_london_district():
    problems = []
    doc = report(ALL_FILES, "City of London", "2024-12", "2023-12")
    label = "City of London 2024-12 vs 2023-12, all seven files"
    check_counts(problems, label, doc, ALL_FILES, "City of London", ["2024-12"], ["2023-12"])
    check_outcomes(problems, label, doc, ALL_FILES, "City of London", ["2024-12"], ["2023-12"])
    check_context(problems, label, doc, COL_FILES, COL, "City of London", ["2024-12"], ["2023-12"])
    fail_if(problems)


def test_multi_force_border_district():
    problems = []
    doc = report(ALL_FILES, "Shropshire", "2020-08")
    label = "Shropshire 2020-08, all seven files"
    # No --vs: the default baseline (2019-08) is not in the files.
    check_counts(problems, label, doc, ALL_FILES, "Shropshire", ["2020-08"], None)
    if not any(BORDER_NOTE in note for note in doc.get("notes", [])):
        problems.append(f"{label}: no note containing {BORDER_NOTE!r}: {doc.get('notes')!r}")
    for row in doc["rows"]:
        if row.get("rank") is not None:
            problems.append(f"{label}: {row['category']}: rank {row['rank']!r}, want none")
    # The same with a baseline in the files: still no rank.
    doc = report(ALL_FILES, "Shropshire", "2020-09", "2020-08")
    label = "Shropshire 2020-09 vs 2020-08, all seven files"
    check_counts(problems, label, doc, ALL_FILES, "Shropshire", ["2020-09"], ["2020-08"])
    if not any(BORDER_NOTE in note for note in doc.get("notes", [])):
        problems.append(f"{label}: no note containing {BORDER_NOTE!r}: {doc.get('notes')!r}")
    for row in doc["rows"]:
        if row.get("rank") is not None:
            problems.append(f"{label}: {row['category']}: rank {row['rank']!r}, want none")
    fail_if(problems)


def test_areas_lists_border_districts():
    args = ["areas"]
    for path in ALL_FILES:
        args += ["--data", str(path)]
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    kinds = {r["area"]: r.get("kind") for r in json.loads(result.output)["rows"]}
    problems = []
    for district in BORDER_DISTRICTS:
        if kinds.get(district) != "border district":
            problems.append(f"{district}: kind {kinds.get(district)!r}, want 'border district'")
    for district in OWN_DISTRICTS[NW] + OWN_DISTRICTS[COL]:
        if district not in kinds or kinds[district] == "border district":
            problems.append(f"{district}: kind {kinds.get(district)!r}, want an own district")
    fail_if(problems)


# --------------------------------------------------------------------------------------------
# 5. "london" with only North Wales files
# --------------------------------------------------------------------------------------------


def test_london_with_north_wales_files_is_an_error():
    args = ["report", "london"]
    for path in NW_FILES:
        args += ["--data", str(path)]
    result = run(*args, "--format", "json")
    assert result.exit_code == 2, (result.exit_code, result.output)
    text = result.output + (getattr(result, "stderr", "") or "")
    assert "North Wales Police" in text, text


# --------------------------------------------------------------------------------------------
# 6. Hand-worked literals
# --------------------------------------------------------------------------------------------


def test_city_of_london_positive_outcomes_literals():
    # December 2023: 823 crimes (843 rows less 20 anti-social behaviour), 110 positive
    # (70 court result unavailable, 14 drugs possession warnings, 10 cautions, 9 local
    # resolutions, 6 awaiting court outcome, 1 penalty notice): 13.37%.
    # December 2024: 763 crimes (766 rows less 3), 78 positive (62 awaiting court outcome,
    # 16 local resolutions): 10.22%, a change of -3.14 percentage points.
    doc = report(COL_FILES, COL, "2024-12", "2023-12")
    total = {o["category"]: o for o in doc["outcomes"]}[TNO]
    assert (total["positive"], total["crimes"]) == (78, 763)
    assert math.isclose(total["positive_rate"], 100 * 78 / 763)
    assert math.isclose(total["baseline_positive_rate"], 100 * 110 / 823)
    assert math.isclose(total["change_pp"], 100 * 78 / 763 - 100 * 110 / 823)
    doc = report(COL_FILES, COL, "2023-12")
    total = {o["category"]: o for o in doc["outcomes"]}[TNO]
    assert (total["positive"], total["crimes"]) == (110, 823)
    assert math.isclose(total["positive_rate"], 100 * 110 / 823)

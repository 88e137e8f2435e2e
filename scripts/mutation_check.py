"""Plant realistic bugs one at a time and check that the tests catch each.

Each mutant is one small edit of the package (or of its data), the kind of slip a change can
make: a comparison turned, a class of outcome flipped, a rule dropped. For each, the script
copies the checkout to a temporary folder, applies the edit there, runs the tests that should
catch it (``-x``, stopping at the first failure) with that copy first on ``PYTHONPATH``, and
reports whether the mutant was caught (some test failed) or survived (every test passed). A
mutant whose text is no longer in the code is reported as stale: update the list.

Not part of CI (it takes minutes). Run it after changing figures, rules or tests:

    python scripts/mutation_check.py            # every mutant
    python scripts/mutation_check.py caution    # the mutants whose name contains "caution"

It exits 1 if any mutant survived or is stale. Every bug found in the tool is added here, so
that the tests go on catching it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]
    why: str


MUTANTS = [
    Mutant(
        "caution-negative",
        "policing_cli/data/outcomes.csv",
        "Offender given a caution,positive",
        "Offender given a caution,negative",
        ("tests/test_outcomes.py", "tests/test_recount_street.py"),
        "a caution counted as no further action (City of London Dec 2023: 110 positive, not 100)",
    ),
    Mutant(
        "fytd-april",
        "policing_cli/report/periods.py",
        "start_year = last // 12 if last % 12 >= 3 else last // 12 - 1",
        "start_year = last // 12 if last % 12 > 3 else last // 12 - 1",
        ("tests/test_boundaries.py", "tests/test_periods.py"),
        "financial year to date off by a year in April",
    ),
    Mutant(
        "p-at-alpha",
        "policing_cli/report/significance.py",
        "return exact >= Fraction(str(alpha))",
        "return exact > Fraction(str(alpha))",
        ("tests/test_boundaries.py",),
        "'within normal variation' as p > alpha instead of p >= alpha",
    ),
    Mutant(
        "rank-reversed",
        "policing_cli/report/ranking.py",
        "held = sorted(v for v in values.values() if v is not None)",
        "held = sorted((v for v in values.values() if v is not None), reverse=True)",
        ("tests/test_boundaries.py", "tests/test_context.py"),
        "rank 1 given to the largest rise instead of the largest fall",
    ),
    Mutant(
        "ranks-without-ties",
        "policing_cli/report/ranking.py",
        "        first.setdefault(value, position)",
        "        first[value] = position",
        ("tests/test_boundaries.py",),
        "equal changes given different ranks",
    ),
    Mutant(
        "target-exactly-met",
        "policing_cli/report/targets.py",
        "return Verdict.MET if pct_change <= -_exact(target.value) else Verdict.MISSED",
        "return Verdict.MET if pct_change < -_exact(target.value) else Verdict.MISSED",
        ("tests/test_boundaries.py", "tests/test_targets.py"),
        "a reduction exactly on target called missed",
    ),
    Mutant(
        "pct-of-count",
        "policing_cli/report/results.py",
        "return Fraction(self.change * 100, self.baseline_count)",
        "return Fraction(self.change * 100, self.count or 1)",
        ("tests/test_hand_figures.py",),
        "% change divided by the current count instead of the baseline",
    ),
    Mutant(
        "aggravated-taking-dropped",
        "policing_cli/data/categories.csv",
        "Theft or taking of vehicles,minor,Aggravated Vehicle Taking,",
        "Aggravated vehicle taking,minor,Aggravated Vehicle Taking,",
        ("tests/test_hand_figures.py",),
        "theft or taking of vehicles without aggravated vehicle taking (not the old definition)",
    ),
    Mutant(
        "break-at-its-own-month",
        "policing_cli/report/categories.py",
        "return bool(months) and min(months) < self.first_month <= max(months)",
        "return bool(months) and min(months) <= self.first_month <= max(months)",
        ("tests/test_recount_london.py",),
        "a comparison starting on a break's first month marked as crossing it",
    ),
    Mutant(
        "older-release-wins",
        "policing_cli/loaders/combine.py",
        'best = table.groupby(unit, observed=True)["_rank"].transform("max")',
        'best = table.groupby(unit, observed=True)["_rank"].transform("min")',
        ("tests/test_hand_figures.py",),
        "the older release of overlapping files supplying the months",
    ),
    Mutant(
        "accept-eleven-months",
        "policing_cli/report/holdings.py",
        "return annual or len(months) == len(window.months)",
        "return annual or len(months) >= len(window.months) - 1",
        ("tests/test_recount_london.py",),
        "a period held for 11 of 12 months taken as whole",
    ),
    Mutant(
        "cross-classification-unmarked",
        "policing_cli/report/holdings.py",
        "        return self.comparable and not self.like_for_like",
        "        return False",
        ("tests/test_recount_london.py", "tests/test_london_releases.py"),
        "a change across classifications shown as like for like",
    ),
    Mutant(
        "no-location-left-out",
        "policing_cli/report/context.py",
        "force_areas = roles.areas.get(force, [])",
        "force_areas = [a for a in roles.areas.get(force, []) if a]",
        ("tests/test_recount_street.py",),
        "the force beside a district leaving out crimes with no location",
    ),
    Mutant(
        "outcome-articles",
        "policing_cli/report/outcomes.py",
        'return " ".join(w for w in words if w not in _ARTICLES)',
        'return " ".join(words)',
        ("tests/test_outcomes.py",),
        "'Offender given community sentence' not matched to '... a community sentence'",
    ),
    Mutant(
        "population-latest-year",
        "policing_cli/report/context.py",
        "nearest = min(held, key=lambda y: (abs(y - year), y))",
        "nearest = max(held)",
        ("tests/test_force_areas.py", "tests/test_context.py"),
        "rates using the latest estimate instead of the nearest year's",
    ),
    Mutant(
        "verdict-decimals",
        "policing_cli/report/narrative.py",
        "        while places < 15 and _side(",
        "        while places < 0 and _side(",
        ("tests/test_verdict_display.py", "tests/test_targets.py"),
        "a missed -2.46% shown as -2.5% beside a -2.5% target",
    ),
    Mutant(
        "border-districts-ranked",
        "policing_cli/report/forces.py",
        "                roles.border[district] = _border_note(district, held, own)\n            continue",
        "                roles.home[district] = max(held)\n            continue",
        ("tests/test_force_areas.py", "tests/test_recount_street.py"),
        "districts over a force's border ranked among its own",
    ),
    # (Two spellings of one minor category counting its rows twice, found by the recount, can
    # no longer be planted: the mapping and the counting each take a row once per category.)
    Mutant(
        "zero-is-missing",
        "policing_cli/report/holdings.py",
        "            found = {when: s for when, s in cells.items() if category in self.defines[s]}",
        "            found = {when: s for when, s in cells.items() if category in self.defines[s]"
        " and self.values.get((series, area, category), {}).get(when)}",
        ("tests/test_recount_london.py",),
        "a category a release reports, with no row for an area, read as missing instead of 0",
    ),
    # Issue 13, hostile outputs: each bug the review found, put back.
    Mutant(
        "csv-formula-raw",
        "policing_cli/renderers/escape.py",
        """return "'" + text if raw.lstrip(" ").startswith(FORMULA_START) else text""",
        "return text",
        ("tests/test_hostile_outputs.py", "tests/test_hostile.py"),
        "a CSV cell =HYPERLINK(...) written raw, run by a spreadsheet as a formula",
    ),
    Mutant(
        "csv-percent-as-text",
        "policing_cli/document/listing.py",
        "return [value.value, value.mark] if marked else [value.value]",
        "return [shown(value), value.mark] if marked else [shown(value)]",
        ("tests/test_hostile_outputs.py",),
        "rank's CSV writing % changes as text (-50.0%), quoted as a formula, not a number",
    ),
    Mutant(
        "errors-raw",
        "policing_cli/cli.py",
        "err.message = clean(err.message)",
        "err.message = err.message",
        ("tests/test_hostile_outputs.py",),
        "an error quoting a file's bad row sends its escape sequences to the terminal",
    ),
    Mutant(
        "link-replaced",
        "policing_cli/output.py",
        "target = Path(os.path.realpath(path)) if is_link else path",
        "target = path",
        ("tests/test_hostile_outputs.py",),
        "-o through a symbolic link replaces the link with a file, the target untouched",
    ),
    Mutant(
        "hard-links-split",
        "policing_cli/output.py",
        "if found.st_nlink > 1:",
        "if found.st_nlink > 2:",
        ("tests/test_hostile_outputs.py",),
        "-o onto a hard-linked file splits the links",
    ),
    Mutant(
        "device-refused",
        "policing_cli/output.py",
        "    if stat.S_ISCHR(mode):\n        return Destination(target, device=True)\n",
        "",
        ("tests/test_hostile_outputs.py",),
        "-o /dev/null refused (or, before, replaced by a file)",
    ),
    Mutant(
        "svg-infinite-coordinate",
        "policing_cli/loaders/boundaries.py",
        "return number if math.isfinite(number) else None",
        "return number",
        ("tests/test_hostile_outputs.py",),
        "an Infinity coordinate in --boundaries drawn as a map of empty paths, exit 0",
    ),
    Mutant(
        "chart-maths-markup",
        "policing_cli/renderers/trend_chart.py",
        'axis.set_title(clean(f"{trend.area}: {trend.category}"), parse_math=False)',
        'axis.set_title(clean(f"{trend.area}: {trend.category}"), parse_math=True)',
        ("tests/test_hostile_outputs.py",),
        '"Theft $100-$500" drawn as matplotlib maths, "Theft 100 - 500"',
    ),
    Mutant(
        "member-crc-unchecked",
        "policing_cli/loaders/archive_counts.py",
        "if len(data) != info.file_size or deflate.crc32(data) != info.CRC:",
        "if len(data) != info.file_size:",
        ("tests/test_archive_counts.py", "tests/test_hostile_inputs.py"),
        "a damaged archive member inflated by the threads counted instead of refused",
    ),
    Mutant(
        "member-lsoas-not-merged",
        "policing_cli/loaders/street_keys.py",
        '        district = name == "area"\n',
        "        district = False\n",
        ("tests/test_archive_counts.py",),
        "members read in threads keep LSOA names ('Conwy 001A') instead of their district",
    ),
    Mutant(
        "merged-repeats-not-summed",
        "policing_cli/loaders/street_keys.py",
        "joined, counted = joined[starts], np.add.reduceat(counted, starts)",
        "joined, counted = joined[starts], counted[starts]",
        ("tests/test_street_readers.py",),
        "a key held by two files counted from the first only",
    ),
]


def run_mutant(mutant: Mutant, python: str) -> str:
    """'caught', 'survived' or 'stale: ...'."""
    with tempfile.TemporaryDirectory(prefix="policing-mutant-") as temp:
        copy = Path(temp) / "checkout"
        files = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout.splitlines()  # fmt: skip
        for name in files:
            source = ROOT / name
            if source.is_file():
                target = copy / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
        target = copy / mutant.path
        text = target.read_text(encoding="utf-8")
        if text.count(mutant.old) != 1:
            return f"stale: the text to change occurs {text.count(mutant.old)} times"
        target.write_text(text.replace(mutant.old, mutant.new), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
        check = subprocess.run(
            [python, "-c", "import policing_cli; print(policing_cli.__file__)"],
            cwd=copy, env=env, capture_output=True, text=True,
        )  # fmt: skip
        if not check.stdout.startswith(str(copy)):
            raise SystemExit(f"the copy is not what runs: {check.stdout or check.stderr}")
        result = subprocess.run(
            [python, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *mutant.tests],
            cwd=copy, env=env, capture_output=True, text=True,
        )  # fmt: skip
        return "survived" if result.returncode == 0 else "caught"


def main(argv: list[str]) -> int:
    wanted = [m for m in MUTANTS if not argv[1:] or any(a in m.name for a in argv[1:])]
    # First, no bug at all: the tests each mutant runs must pass on the unchanged copy, or
    # a "caught" would mean nothing.
    for tests in sorted({m.tests for m in wanted}):
        # The README's title line, which must occur once (the README has code comments that
        # begin "# policing_cli/..." and "# policing fetch").
        null = Mutant("none", "README.md", "# policing\n", "# policing\n", tests, "no change")
        outcome = run_mutant(null, sys.executable)
        if outcome.startswith("stale"):
            print(f"the unchanged copy could not be made: README.md {outcome}")
            return 1
        if outcome != "survived":
            print(f"the tests fail without any planted bug: {' '.join(tests)}")
            return 1
    bad = 0
    for mutant in wanted:
        start = time.monotonic()
        outcome = run_mutant(mutant, sys.executable)
        bad += outcome != "caught"
        print(f"{outcome:9} {mutant.name:32} {time.monotonic() - start:5.1f}s  {mutant.why}")
    print(f"{len(wanted) - bad} of {len(wanted)} planted bugs caught")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

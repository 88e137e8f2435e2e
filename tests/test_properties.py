"""Property-based tests: random tidy and wide inputs with hostile names and zero baselines."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policing_cli.cli import main
from policing_cli.report.areas import area_key

NAME = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() and s.strip() == s and "\n" not in s and "\r" not in s)
COUNT = st.integers(min_value=0, max_value=5000)
FORMATS = ("text", "markdown", "json", "csv", "html", "table")


def control_characters(text: str) -> set[str]:
    return {ch for ch in text if (ord(ch) < 32 and ch not in "\n\t") or 0x7F <= ord(ch) < 0xA0}


def run(path: Path, area: str, fmt: str) -> str:
    result = CliRunner().invoke(
        main, ["report", area, "--data", str(path), "--format", fmt, "--no-cache", "--no-color"]
    )
    assert result.exit_code == 0, result.output
    return result.stdout


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    area=NAME,
    rows=st.dictionaries(NAME, st.tuples(COUNT, COUNT), min_size=1, max_size=6).filter(
        # Names equal but for case and punctuation are one category (area_key): keep distinct.
        lambda rows: (
            len({area_key(name) for name in rows}) == len(rows)
            and all(area_key(name) for name in rows)
        )
    ),
)
def test_tidy_invariants(area, rows):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "counts.csv"
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["area", "period", "category", "count"])
        for category, (now, before) in rows.items():
            writer.writerow(["Zone " + area, "2023/24", category, now])
            writer.writerow(["Zone " + area, "2022/23", category, before])
        path.write_text(buffer.getvalue(), encoding="utf-8")
        data = json.loads(run(path, "Zone " + area, "json"))
        assert data["area"] == "Zone " + area
        # Every category written is a row, with exactly the counts written.
        written = {area_key(name): pair for name, pair in rows.items()}
        shown = {area_key(r["category"]): (r["count"], r["baseline_count"]) for r in data["rows"]}
        assert shown == written
        for row in data["rows"]:
            if row["count"] is None or row["baseline_count"] is None:
                continue
            assert row["change"] == row["count"] - row["baseline_count"]
            assert (row["pct_change"] is None) == (row["baseline_count"] == 0)
            if row["pct_change"] is not None:
                expected = 100 * row["change"] / row["baseline_count"]
                assert abs(row["pct_change"] - expected) < 1e-9
        assert json.loads(json.dumps(data)) == data  # round-trips
        for fmt in FORMATS:
            out = run(path, "Zone " + area, fmt)
            assert not control_characters(out), (fmt, control_characters(out))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    minors=st.dictionaries(
        st.sampled_from(["ROBBERY", "BURGLARY", "THEFT", "DRUG OFFENCES"]),
        st.lists(
            st.tuples(NAME, st.lists(COUNT, min_size=24, max_size=24)), min_size=1, max_size=3
        ),
        min_size=1,
    )
)
def test_wide_totals_are_sums_of_parts(minors):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wide.csv"
        months = [f"{2022 + (3 + i) // 12}{(3 + i) % 12 + 1:02d}" for i in range(24)]
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["MajorText", "MinorText", "BoroughName", *months])
        seen = set()
        expected_total = [0, 0]
        for major, entries in minors.items():
            for minor, counts in entries:
                if (major, area_key(minor)) in seen:
                    continue
                seen.add((major, area_key(minor)))
                writer.writerow([major, "X " + minor, "Testborough", *counts])
                expected_total[0] += sum(counts[12:])
                expected_total[1] += sum(counts[:12])
        path.write_text(buffer.getvalue(), encoding="utf-8")
        data = json.loads(run(path, "testborough", "json"))
        assert (data["period"], data["baseline_period"]) == ("2023/24", "2022/23")
        rows = {r["category"]: r for r in data["rows"]}
        total = rows["Total notifiable offences"]
        assert (total["count"], total["baseline_count"]) == tuple(expected_total)
        # Each major category once (ROBBERY's is "Total robbery"); groups and totals left out.
        majors = [r for name, r in rows.items()
                  if name not in ("Total notifiable offences", "Serious acquisitive crime")]  # fmt: skip
        assert sum(r["count"] for r in majors) == total["count"]

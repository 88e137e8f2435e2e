"""``policing snapshot``: files, index, idempotent reruns, failures that lose nothing."""

from __future__ import annotations

import json
import os

import pytest

from policing_cli import output
from policing_cli.cli import main
from policing_cli.snapshot import slug


def run(runner, *args):
    return runner.invoke(main, ["snapshot", *args])


def test_files_and_index(runner, tmp_path):
    result = run(runner, "--out", str(tmp_path), "--format", "markdown,json,html,text")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "2023-24"
    names = {p.name for p in folder.iterdir()}
    assert {"bexley.md", "bexley.json", "bexley.html", "bexley.txt", "index.md", "index.json",
            "index.html"} <= names  # fmt: skip
    assert "unknown.md" not in names  # not a borough
    assert len([n for n in names if n.endswith(".md")]) == 33  # 32 boroughs + index
    index = json.loads((folder / "index.json").read_text())
    assert len(index["league"]) == 32
    assert [row["rank"] for row in index["league"]] == list(range(1, 33))
    pcts = [row["pct_change"] for row in index["league"]]
    assert pcts == sorted(pcts)
    assert "[Bexley](bexley.md)" in (folder / "index.md").read_text()
    bexley = json.loads((folder / "bexley.json").read_text())
    assert bexley["period"] == "2023/24"
    assert "sha256" in bexley["provenance"] and "generated" in bexley["provenance"]
    # Stderr carries the one-line summary, stdout nothing.
    assert result.stdout == ""
    assert result.stderr.strip().splitlines()[-1].startswith("snapshot 2023-24 -> ")


def test_rerun_leaves_files_untouched(runner, tmp_path):
    assert run(runner, "--out", str(tmp_path)).exit_code == 0
    folder = tmp_path / "2023-24"
    os.utime(folder / "bexley.md", ns=(1, 1))  # so that a rewrite would show
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    result = run(runner, "--out", str(tmp_path))
    assert result.exit_code == 0
    assert " 0 file(s) written" in result.stderr
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before


def test_no_timestamp_is_byte_identical(runner, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert run(runner, "--out", str(first), "--no-timestamp").exit_code == 0
    assert run(runner, "--out", str(second), "--no-timestamp").exit_code == 0
    for path in (first / "2023-24").iterdir():
        assert path.read_bytes() == (second / "2023-24" / path.name).read_bytes()


def test_quiet_prints_nothing(runner, tmp_path):
    result = run(runner, "--out", str(tmp_path), "-q")
    assert result.exit_code == 0 and result.output == ""


def test_killed_mid_run_keeps_earlier_files(runner, tmp_path, monkeypatch):
    assert run(runner, "--out", str(tmp_path), "--period", "2022/23").exit_code == 0
    folder = tmp_path / "2022-23"
    earlier = {p.name: p.read_bytes() for p in folder.iterdir()}
    calls = {"n": 0}
    real_replace = os.replace

    def dying_replace(src, dst):
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt("killed")  # as if the job were stopped mid-write
        real_replace(src, dst)

    monkeypatch.setattr(output.os, "replace", dying_replace)
    # Another category mapping changes every file, so every file is rewritten.
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("category,match,source\nEverything,all,*\n")
    result = runner.invoke(
        main,
        ["snapshot", "--out", str(tmp_path), "--period", "2022/23", "--categories", str(mapping)],
    )
    assert result.exit_code != 0 and calls["n"] == 5  # click turns the interrupt into "Aborted!"
    names = {p.name for p in folder.iterdir()}
    assert not [n for n in names if n.endswith(".tmp")]  # no half-written file left
    assert names == set(earlier)  # nothing lost
    rewritten = 0
    for name, content in earlier.items():
        text = (folder / name).read_bytes()
        assert text == content or b"Everything" in text  # old, or wholly new: never partial
        rewritten += text != content
    assert rewritten == 4


def test_failing_area_does_not_stop_the_others(runner, tmp_path):
    counts = tmp_path / "counts.csv"
    counts.write_text(
        "area,period,category,count\n"
        "Alpha,2023/24,Robbery,10\nAlpha,2022/23,Robbery,8\n"
        "Beta,2022/23,Robbery,5\n"  # Beta has no 2023/24: its report fails
    )
    result = run(
        runner, "--out", str(tmp_path / "out"), "--data", str(counts), "--period", "2023/24"
    )
    assert result.exit_code == 1
    assert "Error: Beta:" in result.stderr
    folder = tmp_path / "out" / "2023-24"
    assert (folder / "alpha.md").exists() and not (folder / "beta.md").exists()
    assert "Beta" in (folder / "index.md").read_text()  # listed under failed areas


def test_fail_on_missed(runner, tmp_path):
    result = run(runner, "--out", str(tmp_path), "--data", "sample:leaflet", "--fail-on-missed")
    assert result.exit_code == 3, result.output
    assert "1 area(s)" in result.stderr and "1 target(s) missed" in result.stderr
    assert run(runner, "--out", str(tmp_path), "--data", "sample:leaflet").exit_code == 0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kensington & Chelsea", "kensington-and-chelsea"),
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c", "a-b-c"),
        ("CON", "area-con"),
        ("", "area"),
        ("\x1b[31m", "31m"),
        ("Ærø ©", "r"),  # letters with no ASCII form are dropped
    ],
)
def test_slug_is_a_safe_file_name(name, expected):
    assert slug(name) == expected


def test_hostile_area_names_stay_inside_out(runner, tmp_path):
    counts = tmp_path / "counts.csv"
    counts.write_text(
        "area,period,category,count\n"
        "../../escape,2023/24,Robbery,1\n../../escape,2022/23,Robbery,1\n"
        "nul,2023/24,Robbery,1\nnul,2022/23,Robbery,1\n"
    )
    out = tmp_path / "out"
    result = run(runner, "--out", str(out), "--data", str(counts), "--period", "2023/24")
    assert result.exit_code == 0, result.output
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert written - {"counts.csv"} == {
        "out/2023-24/escape.md", "out/2023-24/escape.json", "out/2023-24/area-nul.md",
        "out/2023-24/area-nul.json", "out/2023-24/index.md", "out/2023-24/index.json",
    }  # fmt: skip


def test_bad_format_list_is_usage_error(runner, tmp_path):
    result = run(runner, "--out", str(tmp_path), "--format", "markdown,pdf")
    assert result.exit_code == 2 and "pdf" in result.stderr


def test_map_in_snapshot_and_alone(runner, tmp_path):
    assert run(runner, "--out", str(tmp_path), "--format", "markdown,html").exit_code == 0
    folder = tmp_path / "2023-24"
    svg = (folder / "map.svg").read_text()
    assert svg.startswith("<svg") and svg.count("<path") == 33  # all 33 boundaries drawn
    assert "<title>Bexley: +6.1%</title>" in svg  # 16,704 against 15,746
    assert "<title>City of London: no figure</title>" in svg  # not in MPS files
    assert "](map.svg)" in (folder / "index.md").read_text()
    page = (folder / "index.html").read_text()
    # Self-contained: the map is inside the page (mailed alone, it still shows), not an <img>.
    assert "<img" not in page and page.count("<svg") == 1
    assert svg.strip() in page and "<title>Bexley: +6.1%</title>" in page
    alone = tmp_path / "burglary.svg"
    result = runner.invoke(
        main, ["map", "--category", "Residential burglary", "--output", str(alone)]
    )
    assert result.exit_code == 0, result.output
    assert "<title>Bexley: +24.0%</title>" in alone.read_text()  # 692 against 558


def test_map_and_rank_share_their_period_and_population_rules(runner, tmp_path):
    """One league serves both: no population for the period's year is the same usage error,
    and the map writes no file."""
    svg = tmp_path / "rates.svg"
    mapped = runner.invoke(
        main, ["map", "--by", "rate", "--data", "sample:leaflet", "-o", str(svg)]
    )
    ranked = runner.invoke(main, ["rank", "--by", "rate", "--data", "sample:leaflet"])
    for result in (mapped, ranked):
        assert result.exit_code == 2
        assert "no population estimates for 2009" in result.stderr
    assert not svg.exists()


def test_markdown_files_do_not_depend_on_the_other_formats(runner, tmp_path):
    # The text renderer once changed tabulate's global padding, so a snapshot writing text
    # and Markdown produced different Markdown for every area after the first.
    alone, mixed = tmp_path / "alone", tmp_path / "mixed"
    assert run(runner, "--out", str(alone), "--format", "markdown", "--no-timestamp").exit_code == 0
    assert (
        run(runner, "--out", str(mixed), "--format", "text,markdown", "--no-timestamp").exit_code
        == 0
    )
    for path in (alone / "2023-24").glob("*.md"):
        assert path.read_text() == (mixed / "2023-24" / path.name).read_text(), path.name

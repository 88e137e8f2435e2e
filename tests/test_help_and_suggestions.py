"""Errors and help that teach: names a user mistypes get the nearest suggestion, help lists
what a command uses and the forms a period takes, an ambiguous period says how it was read,
colour asked for is given when piped, and a cron job's exit 3 says why even with -q."""

from __future__ import annotations

from .helpers import invoke


def test_a_mistyped_command_gets_a_suggestion() -> None:
    result = invoke("reprot", "bexley")
    assert result.exit_code == 2
    assert "No such command 'reprot'. Did you mean 'report'?" in result.stderr


def test_a_mistyped_format_gets_a_suggestion_and_md_is_markdown() -> None:
    result = invoke("report", "bexley", "--format", "markdwon")
    assert result.exit_code == 2 and "did you mean 'markdown'?" in result.stderr
    assert invoke("report", "bexley", "--format", "md").stdout.startswith("## Bexley")
    assert invoke("areas", "--format", "MD").stdout.startswith("## Areas")


def test_listing_help_lists_only_the_options_it_uses() -> None:
    areas = invoke("areas", "--help").stdout
    assert "--data" in areas and "--no-cache" in areas
    for unused in ("--targets", "--indicators", "--population", "--outcomes", "--categories"):
        assert unused not in areas, unused
    categories = invoke("categories", "--help").stdout
    assert "--categories" in categories and "--targets" not in categories
    assert "--targets" in invoke("report", "--help").stdout


def test_report_help_shows_the_period_forms() -> None:
    text = " ".join(invoke("report", "--help").stdout.split())
    for form in ("2023/24", "12m:2024-10", "fytd:2024-10", "2024-10"):
        assert form in text, form


def test_an_ambiguous_period_says_how_it_was_read() -> None:
    result = invoke("report", "bexley", "--period", "2011-12", "--format", "json")
    assert "2011-12 read as the month Dec 2011; for the financial year, write 2011/12" in (
        result.stderr
    )
    assert "read as the month" not in invoke("report", "bexley", "--period", "2023-24").stderr


def test_colour_asked_for_is_given_when_piped(monkeypatch) -> None:
    assert "\x1b[" in invoke("report", "bexley", "--color").stdout
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in invoke("report", "bexley").stdout
    assert "\x1b[" not in invoke("report", "bexley", "--format", "text").stdout
    monkeypatch.delenv("FORCE_COLOR")
    assert "\x1b[" not in invoke("report", "bexley").stdout


def test_quiet_snapshot_says_why_it_exits_3(tmp_path) -> None:
    result = invoke("snapshot", "-o", str(tmp_path), "--data", "sample:leaflet", "-q",
                    "--fail-on-missed")  # fmt: skip
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "target(s) missed in snapshot 2009-10" in lines[0]


def test_a_mistyped_category_gets_a_suggestion_in_every_command() -> None:
    for command in (("trend", "bexley"), ("rank",), ("map", "-o", "-")):
        result = invoke(*command, "--category", "Residental burglary")
        assert result.exit_code == 2, (command, result.output)
        assert "no category 'Residental burglary'" in result.stderr
        assert "(did you mean 'Residential burglary'?)" in result.stderr, command


def test_trend_to_a_month_without_data_names_the_month() -> None:
    # The bundled files run from January 2008 to February 2025.
    for month in ("2030-01", "2025-03", "2007-12"):
        result = invoke("trend", "bexley", "--to", month)
        assert result.exit_code == 2
        error = result.stderr.strip()
        assert error == (
            f"Error: no figures for {month}: the data for Bexley run from 2008-01 to 2025-02; "
            "choose --to in between"
        ), error
    assert invoke("trend", "bexley", "--to", "2025-02").exit_code == 0


def test_nonsense_comparisons_are_usage_errors_that_say_why() -> None:
    # The default period of the bundled data is 2023/24 (Apr 2023 - Mar 2024).
    cases = {
        ("--vs", "2023/24"): "--vs 2023/24 is the period itself (Apr 2023 - Mar 2024)",
        ("--vs", "2023"): "--vs 2023 (Jan 2023 - Dec 2023) shares months with 2023/24",
        ("--period", "2024-10", "--vs", "2024-10"): "--vs 2024-10 is the period itself",
        ("--period", "12m:2024-10", "--vs", "12m:2024-03"): "shares months with 12m:2024-10",
    }
    for args, reason in cases.items():
        result = invoke("report", "bexley", *args)
        assert result.exit_code == 2, (args, result.output)
        assert reason in result.stderr and "such as --vs" in result.stderr, result.stderr
    # Periods of the same length that do not overlap, earlier or later, are fine.
    for args in (("--vs", "2022"), ("--vs", "2019/20"), ("--period", "2022/23", "--vs", "2023/24")):
        assert invoke("report", "bexley", *args).exit_code == 0, args

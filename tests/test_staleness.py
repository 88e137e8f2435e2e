"""The one line that says the figures are old (issue 15, "Cron"): the bundled data end in
February 2025; a report made later says so on stderr, once for a cron job, every time on a
terminal, never in the report itself."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from policing_cli.cli import main
from policing_cli.commands import staleness
from policing_cli.report.periods import month_index

FEB_2025 = month_index(2025, 2)


@pytest.fixture
def today(monkeypatch):
    """Pretend this month is ``set(year, month)``; the stale line enabled (3 months)."""
    monkeypatch.setenv("POLICING_STALE_AFTER", "3")

    def set_month(year: int, month: int) -> None:
        monkeypatch.setattr(
            "policing_cli.report.periods.current_month", lambda: month_index(year, month)
        )

    return set_month


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_hand_checked_ages():
    # Three months after February is May: still recent; June is four months on.
    assert staleness.stale_line(FEB_2025, month_index(2025, 5), 3) is None
    line = staleness.stale_line(FEB_2025, month_index(2025, 6), 3)
    assert line is not None and line.startswith(
        "the newest figures read are for Feb 2025, 4 months"
    )
    assert "data.london.gov.uk" in line and "data.police.uk" in line
    assert staleness.stale_line(FEB_2025, month_index(2026, 11), 0) is None  # 0: never


def test_a_cron_job_is_told_once_and_again_only_for_other_data(today, tmp_path):
    today(2026, 11)
    first = run("report", "bexley")
    assert first.exit_code == 0
    lines = [line for line in first.stderr.splitlines() if "newest figures" in line]
    assert len(lines) == 1 and "Feb 2025, 21 months ago" in lines[0], first.stderr
    assert "newest figures" not in first.stdout  # the report itself is the same any day
    second = run("report", "bexley")
    assert second.exit_code == 0 and "newest figures" not in second.stderr
    assert second.stdout == first.stdout
    # Other data, ending elsewhere (a street file of December 2024): told once for them.
    from .conftest import real_file

    street = real_file("police-uk", "2024-12-city-of-london-street.csv")
    other = run("report", "city of london", "--data", str(street), "--period", "2024-12")
    assert other.exit_code == 0 and "Dec 2024, 23 months ago" in other.stderr, other.stderr


def test_recent_data_say_nothing(today):
    today(2025, 4)
    result = run("report", "bexley")
    assert result.exit_code == 0 and "newest figures" not in result.stderr


def test_quiet_snapshot_says_nothing(today, tmp_path):
    today(2026, 11)
    result = run("snapshot", "-q", "-o", str(tmp_path / "out"), "--format", "json")
    assert result.exit_code == 0 and result.stderr == ""


def test_a_terminal_is_told_every_time(today, monkeypatch):
    today(2026, 11)
    monkeypatch.setattr(staleness.sys.stderr, "isatty", lambda: True, raising=False)
    told = []
    from policing_cli.loaders.inputs import load_dataset

    dataset = load_dataset([], [], [])
    for _ in range(2):
        staleness.tell_if_stale(dataset, None, told.append)
    assert len(told) == 2


def test_a_state_that_cannot_be_read_means_telling(today, tmp_path, monkeypatch):
    today(2026, 11)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    (tmp_path / "policing").mkdir()
    (tmp_path / "policing" / "notices.json").write_text("{not json")
    result = run("report", "bexley")
    assert "21 months ago" in result.stderr
    assert json.loads((tmp_path / "policing" / "notices.json").read_text()) == {
        "stale_told": FEB_2025
    }


def test_a_bad_setting_is_a_one_line_error(monkeypatch):
    monkeypatch.setenv("POLICING_STALE_AFTER", "three")
    result = run("report", "bexley")
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "stale_after" in result.stderr

"""A force-month whose file was not read is not held, never a zero: an archive (or a folder)
holding the Met's 2023-01 but not the City of London's used to report the City's 2023-01
as 0 offences, every street file's months counting for every force. Real archives miss
force-months (Greater Manchester Police's files were absent for months from mid-2019)."""

from __future__ import annotations

import shutil

import pytest

from .conftest import real_file
from .helpers import invoke, one_line_error, report_json
from .street_files import make_zip

MET = real_file("police-uk", "2023-01-metropolitan-street_SAMPLE_first4000rows.csv")
CITY = [
    real_file("police-uk", "2023-12-city-of-london-street.csv"),
    real_file("police-uk", "2024-12-city-of-london-street.csv"),
]


@pytest.fixture(params=["zip", "folder"])
def data(request, tmp_path):
    if request.param == "zip":
        members = {"2023-01/2023-01-metropolitan-street.csv": MET}
        members |= {f"{p.name[:7]}/{p.name}": p for p in CITY}
        return make_zip(tmp_path / "archive.zip", members)
    folder = tmp_path / "street"
    folder.mkdir()
    shutil.copy(MET, folder / "2023-01-metropolitan-street.csv")
    for path in CITY:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.mark.parametrize("area", ["City of London Police", "City of London"])
def test_a_month_without_the_forces_file_is_not_held(data, area):
    result = invoke("report", area, "--data", data, "--period", "2023-01", "--no-cache")
    one_line_error(result, "period 2023-01 (Jan 2023) is not in the data", code=2)


def test_months_with_the_forces_files_are_unchanged(data):
    # The City's own December files (counted independently in test_recount_street.py).
    report = report_json("City of London Police", "--data", data, "--period", "2024-12")
    total = next(r for r in report["rows"] if r["category"] == "Total notifiable offences")
    alone = report_json(
        "City of London Police", *[a for p in CITY for a in ("--data", p)], "--period", "2024-12"
    )
    same = next(r for r in alone["rows"] if r["category"] == "Total notifiable offences")
    assert (total["count"], total["baseline_count"]) == (same["count"], same["baseline_count"])
    assert total["count"] > 0 and total["baseline_count"] > 0


def test_the_met_month_is_held_for_the_met():
    report = report_json("Metropolitan Police Service", "--data", MET, "--period", "2023-01")
    total = next(r for r in report["rows"] if r["category"] == "Total notifiable offences")
    assert total["count"] == 4000 - sum(  # every row but anti-social behaviour
        1 for line in MET.read_text(encoding="utf-8").splitlines()[1:]
        if ",Anti-social behaviour," in line
    )  # fmt: skip

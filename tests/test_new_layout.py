"""Adding an input layout is one module and one registration line (issue 14; the README's
"Adding a layout or a format"): a layout defined here, with its own header, is found by the
one detection loop, read by report, and named in the error for a file no layout reads."""

from __future__ import annotations

import csv
import io

from policing_cli.loaders import layouts, tidy
from policing_cli.loaders.csv_text import sniff
from policing_cli.loaders.layout import Kind, Layout

from .helpers import invoke, one_line_error, report_json

HEADER = ["borough", "financial_year", "offence_group", "offences"]


def _load(path, sniffed, on_bytes):  # type: ignore[no-untyped-def]
    """A council's export with its own header names: the rows of the tidy layout."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    tidy_copy = path.with_name(path.stem + ".tidy.csv")
    with tidy_copy.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([["area", "period", "category", "count"], *rows[1:]])
    return tidy.LAYOUT.load(tidy_copy, sniff(tidy_copy), on_bytes)


COUNCIL = Layout(
    name="council export",
    description=",".join(HEADER),
    kind=Kind.COUNTS,
    matches=lambda header: [h.casefold() for h in header] == HEADER,
    load=_load,
    cacheable=False,
)


def test_a_new_layout_is_one_module_and_one_line(tmp_path, monkeypatch, fresh_memo):
    data = tmp_path / "council.csv"
    data.write_text(
        "borough,financial_year,offence_group,offences\n"
        "Bexley,2022/23,Dog fouling,7\nBexley,2023/24,Dog fouling,10\n",
        encoding="utf-8",
    )
    # Unknown before it is registered, and the error lists the layouts it knows.
    before = invoke("report", "bexley", "--data", data, "--no-cache")
    assert "council export" not in one_line_error(before, "council.csv", "unknown layout")
    # The one line: the layout in the list.
    monkeypatch.setattr(layouts, "LAYOUTS", (*layouts.LAYOUTS, COUNCIL))
    report = report_json("bexley", "--data", data, "--period", "2023/24", "--no-cache")
    row = next(r for r in report["rows"] if r["category"] == "Dog fouling")
    assert (row["count"], row["baseline_count"], row["change"]) == (10, 7, 3)
    assert round(row["pct_change"], 2) == 42.86  # (10 - 7) / 7
    other = tmp_path / "other.csv"
    other.write_text("x,y\n1,2\n", encoding="utf-8")
    after = invoke("report", "bexley", "--data", other, "--no-cache")
    assert "council export (borough,financial_year,offence_group,offences)" in one_line_error(
        after, "other.csv", "unknown layout"
    )

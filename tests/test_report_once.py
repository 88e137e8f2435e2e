"""A report is built once (issue 14): each step returns a frozen value and changes nothing it
is given, the report is made from the steps' values in one go, and nothing changes it after.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from policing_cli.loaders.inputs import load_dataset
from policing_cli.loaders.reference import load_mapping
from policing_cli.report.assembly import build_report
from policing_cli.report.assessment import assess
from policing_cli.report.context import find_context
from policing_cli.report.figures import count_figures
from policing_cli.report.outcomes import find_outcomes

from .conftest import ROOT

LEAFLET = ROOT / "sample_data" / "leaflet"
REPORT = ROOT / "policing_cli" / "report"


@pytest.fixture(scope="module")
def inputs():
    return load_dataset([LEAFLET], use_cache=False), load_mapping()


def test_the_report_is_its_steps_values_in_order(inputs):
    dataset, mapping = inputs
    figures = count_figures(dataset, mapping, "bexley")
    before = dataclasses.replace(figures)
    outcomes = find_outcomes(dataset, mapping, figures)
    assessment = assess(dataset, mapping.phrases, figures, outcomes.indicators)
    context = find_context(dataset, mapping, figures, assessment.rows)
    report = build_report(dataset, mapping, "bexley")

    assert figures == before  # the later steps changed nothing they were given
    assert report.notes == (*figures.notes, *outcomes.notes, *assessment.notes, *context.notes)
    assert [r.category for r in report.rows] == [r.category for r in assessment.rows]
    assert [r.verdict for r in report.rows] == [r.verdict for r in assessment.rows]
    assert report.looking_back == assessment.looking_back
    assert report.force_wide_report is not None
    assert report == build_report(dataset, mapping, "bexley")  # the same inputs, the same report


def test_nothing_changes_a_report_after_it_is_built(inputs):
    report = build_report(*inputs, "bexley")
    for name, value in (("notes", ()), ("rows", ()), ("alpha", 0.01), ("outcomes", ())):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(report, name, value)
    assert isinstance(report.rows, tuple) and isinstance(report.notes, tuple)
    assert isinstance(report.looking_back.achievements, tuple)
    # How it is shown travels beside it (document/options.py), not on it.
    fields = {f.name for f in dataclasses.fields(report)}
    assert not fields & {"provenance", "ascii_trends", "attribution"}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


STEPS = ("figures", "outcomes", "assessment", "context")


@pytest.mark.parametrize("module", ["results", "holdings", "comparison", *STEPS])
def test_no_import_points_back(module):
    """The values and the engine import no step; a step imports no other step (each takes
    the values it needs); only the assembly imports the steps."""
    imported = _imports(REPORT / f"{module}.py")
    others = {f"policing_cli.report.{m}" for m in (*STEPS, "assembly") if m != module}
    assert not others & imported

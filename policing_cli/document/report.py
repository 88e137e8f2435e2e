"""A report as a document: its title, facts, tables, sections and notes, in the leaflet's
order, once for every format (``renderers/`` lays it out; ``report_data`` gives the same
report as JSON data and CSV records)."""

from __future__ import annotations

from policing_cli.document import cells
from policing_cli.document.blocks import (
    Block,
    Bullets,
    Column,
    ColumnKind,
    Document,
    Fact,
    Facts,
    Heading,
    Notes,
    SmallPrint,
    Table,
)
from policing_cli.document.options import RenderOptions
from policing_cli.document.report_data import as_dict, records
from policing_cli.report.results import Coverage, Report

K = ColumnKind


def title(report: Report) -> str:
    return f"{report.area}: {report.period.period.label} against {report.baseline.period.label}"


def _span(coverage: Coverage) -> str:
    if coverage.annual:
        return f"{coverage.period.label} (annual figures)"
    return f"{coverage.period.label} ({coverage.period.span_words})"


def facts(report: Report, options: RenderOptions | None = None) -> Facts:
    """What, when, against what, from which files (and, for files policing fetch
    downloaded, from where and when)."""
    area = report.area + (" (all areas in the data)" if report.force_wide else "")
    items = [
        Fact("Area", area),
        Fact("Period", _span(report.period)),
        Fact("Compared with", _span(report.baseline)),
    ]
    if options is not None and options.origin:
        items.append(Fact("Data", options.origin))
    items += [Fact("Source", name, months) for name, months in report.sources]
    return Facts(tuple(items), listed=("Source",))


def _table(
    headers: list[str],
    kinds: tuple[ColumnKind, ...],
    rows: list[list[str]],
    caption: str | None = None,
) -> Table:
    """A table whose first column names categories (cut to fit, never wrapped). Columns
    past ``kinds`` hold figures, except a target's verdict."""
    columns = tuple(
        Column(h, K.VERDICT if h == "Verdict" else kinds[i] if i < len(kinds) else K.NUMBER)
        for i, h in enumerate(headers)
    )
    totals = frozenset(i for i, row in enumerate(rows) if _is_total(row[0]))
    return Table(columns, tuple(map(tuple, rows)), caption, totals, cut_first=True)


def _is_total(name: str) -> bool:
    return name.casefold().startswith("total notifiable")


def tables(report: Report, options: RenderOptions) -> list[Table]:
    """The counts; the context (force, rank, rate); the monthly trends; outcomes;
    indicators; gaps: each where the report has it. Only changes in crime are SIGNED
    (a fall is good news); an indicator's or an outcome rate's rise is not bad news."""
    found = [
        _table(
            cells.count_columns(report),
            (K.TEXT, K.NUMBER, K.NUMBER, K.SIGNED, K.SIGNED),
            cells.count_rows(report),
        )
    ]
    if context := cells.context_rows(report):
        kinds = (K.TEXT, K.SIGNED, K.SIGNED)
        heading = cells.context_heading(report)
        found.append(_table(cells.context_columns(report), kinds, context, heading))
    if trends := cells.trend_rows(report, options.ascii):
        found.append(_table(cells.trend_columns(report), (K.TEXT, K.CHART), trends))
    if report.outcomes:
        rows = cells.outcome_rows(report)
        heading = cells.OUTCOME_HEADING
        found.append(_table(cells.outcome_columns(report), (K.TEXT,), rows, heading))
    if report.indicators:
        rows = cells.indicator_rows(report)
        found.append(_table(cells.indicator_columns(report), (K.TEXT,), rows))
    if report.gaps:
        found.append(_table(cells.GAP_COLUMNS, (K.TEXT,), cells.gap_rows(report)))
    return found


def blocks(report: Report, options: RenderOptions) -> list[Block]:
    """The report's blocks, in the leaflet's order."""
    found: list[Block] = [Heading(title(report)), facts(report, options), *tables(report, options)]
    found += [
        Bullets(section.heading, tuple(section.items))
        for section in cells.narrative_sections(report)
    ]
    notes = [*report.notes, *filter(None, [cells.noise_footnote(report)])]
    if notes:
        found.append(Notes(tuple(notes)))
    return found + credits(options)


def credits(options: RenderOptions) -> list[Block]:
    """The data's licence credit, then the provenance line, where the command gives them."""
    return [SmallPrint(text) for text in (options.attribution, options.provenance) if text]


def report_document(report: Report, options: RenderOptions | None = None) -> Document:
    options = options or RenderOptions()
    return Document(
        title(report),
        tuple(blocks(report, options)),
        data=as_dict(report, options.provenance, options.attribution),
        records=records(report, options.attribution),
    )

"""A self-contained HTML page with inline styles, for email clients that do not render
Markdown. Every data string is HTML-escaped."""

from __future__ import annotations

from html import escape

from policing_cli.renderers import cells
from policing_cli.renderers.escape import clean
from policing_cli.renderers.summary import header_lines, title
from policing_cli.report.results import Report

TABLE = "border-collapse:collapse;font-family:Arial,Helvetica,sans-serif;font-size:14px"
CELL = "border:1px solid #ccc;padding:4px 8px"
HEAD = CELL + ";background:#f0f0f0;text-align:left"
COLOURS = {"met": "#1a7f37", "missed": "#cf222e", "n/a": "#9a6700"}


def text(value: str) -> str:
    """Data as HTML text: control characters made visible (raw ESC or BEL is no character
    an HTML page may hold), then markup escaped."""
    return escape(clean(value))


def _cell(value: str, header: str, first: bool) -> str:
    align = "left" if first or header == "Verdict" else "right"
    style = f"{CELL};text-align:{align}"
    if header == "Verdict" and value in COLOURS:
        style += f";color:{COLOURS[value]};font-weight:bold"
    elif header in ("Change", "% change") and value[:1] in "+-" and value != "-":
        style += ";color:" + ("#1a7f37" if value.startswith("-") else "#cf222e")
    return f'<td style="{style}">{text(value)}</td>'


def table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f'<th style="{HEAD}">{text(h)}</th>' for h in headers)
    body = "".join(
        "<tr>" + "".join(_cell(v, headers[i], i == 0) for i, v in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f'<table style="{TABLE}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def page(heading: str, body: list[str]) -> str:
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{text(heading)}</title></head>\n"
        '<body style="font-family:Arial,Helvetica,sans-serif;color:#1f2328;max-width:960px">\n'
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def render(report: Report) -> str:
    heading = title(report)
    body = [f"<h2>{text(heading)}</h2>", "<ul>"]
    body += [
        f"<li><b>{text(line.label)}:</b> {text(line.value)}</li>" for line in header_lines(report)
    ]
    body += ["</ul>", table(cells.count_columns(report), cells.count_rows(report))]
    if context := cells.context_rows(report):
        body.append(f"<p>{text(cells.context_heading(report))}:</p>")
        body.append(table(cells.context_columns(report), context))
    if trends := cells.trend_rows(report, report.ascii_trends):
        body.append("<p></p>" + table(cells.trend_columns(report), trends))
    if report.outcomes:
        body.append(f"<p>{text(cells.OUTCOME_HEADING)}:</p>")
        body.append(table(cells.outcome_columns(report), cells.outcome_rows(report)))
    if report.indicators:
        body.append(
            "<p></p>" + table(cells.indicator_columns(report), cells.indicator_rows(report))
        )
    if report.gaps:
        body.append("<p></p>" + table(cells.GAP_COLUMNS, cells.gap_rows(report)))
    for section in cells.narrative_sections(report):
        body.append(f"<h3>{text(section.heading)}</h3><ul>")
        body += [f"<li>{text(item)}</li>" for item in section.items]
        body.append("</ul>")
    notes = [*report.notes, *filter(None, [cells.noise_footnote(report)])]
    if notes:
        body.append("<h3>Notes</h3><ul>")
        body += [f"<li>{text(note)}</li>" for note in notes]
        body.append("</ul>")
    if report.provenance:
        body.append(f'<p style="color:#57606a;font-size:12px">{text(report.provenance)}</p>')
    return page(heading, body)

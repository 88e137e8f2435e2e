"""The Markdown a report is mailed as, rendered the way mail and wiki readers render it:
by markdown-it-py (CommonMark with GitHub's tables) and by Python-Markdown (its tables
extension). Figures are right-aligned, nothing shows a stray backslash, nothing is raw
HTML, and the source lines up read as plain text."""

from __future__ import annotations

import csv
import html
import re

import markdown as python_markdown
import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from policing_cli.cli import main


def render_markdown_it(text: str) -> str:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)


def render_python_markdown(text: str) -> str:
    return python_markdown.markdown(text, extensions=["tables"])


RENDERERS = {"markdown-it-py": render_markdown_it, "Python-Markdown": render_python_markdown}


def shown_text(rendered: str) -> str:
    """What a reader sees: the tags gone, entities read."""
    return html.unescape(re.sub(r"<[^>]+>", " ", rendered))


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code in (0, 3), result.output
    return result.stdout


@pytest.fixture(scope="module")
def email() -> str:
    return run("report", "bexley", "--period", "2023/24", "--format", "markdown")


@pytest.mark.parametrize("renderer", RENDERERS)
def test_figures_are_right_aligned_and_names_left(email: str, renderer: str) -> None:
    rendered = RENDERERS[renderer](email)
    table = rendered.split("<table>")[1]
    heads = re.findall(r'<th style="text-align: ?(\w+);?">([^<]*)</th>', table)
    assert heads[:5] == [("left", "Category"), ("right", "2023/24"), ("right", "2022/23"),
                         ("right", "Change"), ("right", "% change")]  # fmt: skip
    cells = re.findall(r'<td style="text-align: ?(\w+);?">([^<]*)</td>', table)
    total = next(i for i, (_, text) in enumerate(cells) if text == "Total notifiable offences")
    # Bexley 2023/24: 16,704 against 15,746 (the golden's key figures, test_hand_figures.py).
    assert cells[total + 1 : total + 5] == [
        ("right", "16,704"), ("right", "15,746"), ("right", "+958"), ("right", "+6.1%")
    ]  # fmt: skip


@pytest.mark.parametrize("renderer", RENDERERS)
def test_no_backslash_or_raw_html_reaches_the_reader(email: str, renderer: str) -> None:
    seen = shown_text(RENDERERS[renderer](email))
    assert "\\" not in seen
    assert "p >= 0.05" in seen and "~ within normal variation" in seen
    assert "[1/12]" in seen
    assert not re.search(r"<[A-Za-z/!]", email), "raw HTML in the Markdown"


def test_plain_text_lines_up_and_has_no_needless_escapes(email: str) -> None:
    for block in email.split("\n\n"):
        lines = [line for line in block.splitlines() if line.startswith("|")]
        if lines:
            assert len({len(line) for line in lines}) == 1, lines[0]
    assert "\\" not in email  # nothing in Bexley's report needs an escape


def test_snapshot_markdown_holds_no_raw_html(tmp_path) -> None:
    run("snapshot", "--period", "2023/24", "--out", str(tmp_path), "-q", "--no-timestamp")
    for name in ("bexley.md", "index.md"):
        text = (tmp_path / "2023-24" / name).read_text(encoding="utf-8")
        assert not re.search(r"<[A-Za-z/!]", text), name
        assert "Inputs: " in shown_text(render_markdown_it(text))
    index = render_markdown_it((tmp_path / "2023-24" / "index.md").read_text(encoding="utf-8"))
    assert '<a href="bexley.md">Bexley</a>' in index


HOSTILE = ["<script>alert(1)</script>", "a|b|c", "*star*", "__under__", "~~struck~~",
           "[link](http://evil.example)", "`code`", "back\\slash\\*", "# heading", "&amp;"]  # fmt: skip


@pytest.mark.parametrize("renderer", RENDERERS)
def test_data_in_markdown_is_shown_as_written(tmp_path, renderer: str) -> None:
    path = tmp_path / "counts.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["area", "period", "category", "count"])
        for name in HOSTILE:
            writer.writerows([("Bexley", "2023/24", name, 3), ("Bexley", "2022/23", name, 2)])
    text = run("report", "bexley", "--data", str(path), "--format", "markdown")
    rendered = RENDERERS[renderer](text)
    for tag in ("<script", "<em>", "<strong>", "<del>", "<s>", "<code>", "<a ", "<h1>"):
        assert tag not in rendered.split("<table>")[1], tag
    cells = {html.unescape(c) for c in re.findall(r"<td[^>]*>([^<]*)</td>", rendered)}
    assert set(HOSTILE) <= cells, set(HOSTILE) - cells

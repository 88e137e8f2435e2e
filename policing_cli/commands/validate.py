"""``policing validate``: every problem in the input files, without reporting."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from policing_cli.commands.options import InputOptions, input_options
from policing_cli.errors import ExitCode


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@input_options("data_paths")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"], case_sensitive=False),
    default="text",
    help="text: one 'file:line:column: problem' line each, then a summary; json: for scripts.",
)
def validate(files: tuple[Path, ...], output_format: str, inputs: InputOptions) -> None:
    """Check input files without reporting: list every problem found in each.

    Any layout policing reads: borough and ward crime files, tidy counts, street-level files
    and archives, targets, indicators, survey exports, category mappings. Then the checks
    report makes of the files together: each target's measure must be a category or
    indicator of the data (the count files given, else --data, else the bundled data).
    Exits 0 when every file is clean, 1 otherwise.

    \b
    Example:
      policing validate counts.csv targets.csv
      policing validate data/ --format json
    """
    from policing_cli.commands.printing import say
    from policing_cli.loaders.validate import check_file, check_together, files_to_check
    from policing_cli.renderers.json_format import dumps

    checks = [check_file(path) for path in files_to_check(list(files))]
    checks = check_together(checks, list(inputs.data_paths))
    problems = sum(len(check.problems) for check in checks)
    bad_files = sum(1 for check in checks if check.problems)
    summary = (
        f"{problems} problem(s) in {bad_files} of {len(checks)} file(s)"
        if problems
        else f"{len(checks)} file(s) checked: no problems"
    )
    if output_format.lower() == "json":
        payload = {
            "files": [
                {
                    "path": check.path,
                    "layout": check.layout,
                    "problems": [
                        {"line": p.line, "column": p.column, "message": p.problem}
                        for p in check.problems
                    ],
                }
                for check in checks
            ],
            "summary": summary,
            "ok": not problems,
        }
        say(dumps(payload), err=False, nl=False, lines=True)
    else:
        for check in checks:
            for found in check.problems:
                say(str(found), err=False)
        say(summary, err=False)
    if problems:
        sys.exit(ExitCode.BAD_DATA)

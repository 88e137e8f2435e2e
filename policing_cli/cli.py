"""The ``policing`` command line: thin commands that load, compute, render and write.

Only click is imported at module level: pandas, rich and tabulate are imported inside the
commands that use them, so ``policing --help`` starts in a few tens of milliseconds.
"""

from __future__ import annotations

import functools
import io
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from policing_cli.errors import ExitCode, PolicingError
from policing_cli.renderers import OutputFormat

if TYPE_CHECKING:
    from policing_cli.loaders.inputs import Dataset
    from policing_cli.report.categories import CategoryMap
    from policing_cli.report.periods import Period


class PolicingClickError(click.ClickException):
    """A PolicingError shown as click's one-line ``Error: ...`` with its own exit code."""

    def __init__(self, error: PolicingError) -> None:
        super().__init__(str(error))
        self.exit_code = int(error.exit_code)


class PolicingGroup(click.Group):
    """Turns the library's exceptions into one-line errors, once, for every command."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PolicingError as err:
            if ctx.meta.get("policing.traceback"):
                raise
            raise PolicingClickError(err) from err
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except Exception as err:
            # A bug in policing itself: still one line, never a traceback, unless asked.
            if ctx.meta.get("policing.traceback"):
                raise
            message = f"internal error ({type(err).__name__}: {err}); rerun with --traceback and report it"
            raise click.ClickException(" ".join(message.split())) from err


def _traceback_flag(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    ctx.meta["policing.traceback"] = value


@click.group(cls=PolicingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policing", prog_name="policing")
@click.option(
    "--traceback",
    is_flag=True,
    hidden=True,
    expose_value=False,
    callback=_traceback_flag,
    help="Show Python tracebacks (for debugging policing itself).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Config file (TOML). Default: policing/config.toml in the platform's config folder.",
)
@click.pass_context
def main(ctx: click.Context, config_file: str | None) -> None:
    """Local crime and policing performance summaries.

    Reads London Datastore MPS borough/ward crime files and tidy CSVs (the bundled real
    sample data when no --data is given) and reports each crime category's count and its
    change against the previous period.

    \b
    Example:
      policing report bexley
      policing report "Kensington & Chelsea" --period 2023/24 --format markdown
    """
    from policing_cli.settings import default_map, effective_settings

    try:
        _, effective = effective_settings(config_file)
    except PolicingError as err:
        raise PolicingClickError(err) from err
    ctx.meta["policing.settings"] = effective
    commands = {
        name: [p.name for p in command.params if p.name] for name, command in main.commands.items()
    }
    ctx.default_map = default_map(effective, commands)


# -- shared options ------------------------------------------------------------------------


@dataclass(frozen=True)
class InputOptions:
    """The input options every data command shares, gathered into one value."""

    data_paths: tuple[Path, ...]
    categories_file: Path | None
    target_files: tuple[Path, ...]
    indicator_files: tuple[Path, ...]
    population_files: tuple[Path, ...]
    outcomes_file: Path | None
    no_cache: bool


def data_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--data``, ``--categories``, ``--targets``, ``--indicators``, ``--population``,
    ``--outcomes``, ``--no-cache``: the inputs, passed to the command as ``inputs``."""
    names = [f.name for f in fields(InputOptions)]

    original = command

    @functools.wraps(original)
    def gather(*args: Any, **kwargs: Any) -> Any:
        inputs = InputOptions(**{name: kwargs.pop(name) for name in names})
        return original(*args, inputs=inputs, **kwargs)

    command = gather
    command = click.option(
        "--no-cache",
        is_flag=True,
        help="Read every input afresh, neither using nor updating the cache.",
    )(command)
    command = click.option(
        "--indicators",
        "indicator_files",
        multiple=True,
        type=click.Path(path_type=Path, dir_okay=False),
        help="Indicators CSV (area,period,measure,value) or MOPAC PAS export (repeatable).",
    )(command)
    command = click.option(
        "--outcomes",
        "outcomes_file",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Outcome classification CSV (outcome,class) replacing the bundled one.",
    )(command)
    command = click.option(
        "--population",
        "population_files",
        multiple=True,
        type=click.Path(path_type=Path, dir_okay=False),
        help="Population CSV (area,year,population) for rates per 1,000 (repeatable).",
    )(command)
    command = click.option(
        "--targets",
        "target_files",
        multiple=True,
        type=click.Path(path_type=Path, dir_okay=False),
        help="Targets CSV (area,period,measure,kind,value) (repeatable).",
    )(command)
    command = click.option(
        "--categories",
        "categories_file",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Category mapping CSV (category,match,source) replacing the bundled one.",
    )(command)
    return click.option(
        "--data",
        "data_paths",
        multiple=True,
        type=click.Path(path_type=Path),
        help="Input CSV file or folder (repeatable). Default: the bundled sample data.",
    )(command)


def format_option(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option(
        "--color/--no-color",
        "color",
        default=None,
        help="Force colour on or off (default: on for a terminal, off otherwise; NO_COLOR honoured).",
    )(command)
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(OutputFormat, case_sensitive=False),
        default=None,
        help="Output format. Default: table on a terminal, text when piped or written to a file.",
    )(command)


def _completion_dataset(ctx: click.Context) -> Dataset | None:
    """The data a command line being completed would read (quietly; None on any error)."""
    from policing_cli.loaders.inputs import load_dataset

    paths = ctx.params.get("data_paths") or (ctx.default_map or {}).get("data_paths") or ()
    try:
        return load_dataset([Path(p) for p in paths])
    except PolicingError:
        return None


def complete_area(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[Any]:
    """Area names from the data, for shell completion: prefix first, then any match."""
    from click.shell_completion import CompletionItem

    from policing_cli import columns as C
    from policing_cli.report.areas import area_key

    dataset = _completion_dataset(ctx)
    if dataset is None:
        return []
    names = sorted({str(a) for a in dataset.frame[C.AREA].unique() if str(a).strip()}
                   | {str(f) for f in dataset.frame[C.FORCE].unique() if str(f).strip()}
                   | {"london"})  # fmt: skip
    key = area_key(incomplete)
    found = [n for n in names if area_key(n).startswith(key)] or [
        n for n in names if key in area_key(n)
    ]
    return [CompletionItem(n) for n in found]


def complete_period(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[Any]:
    """Periods the data can report (financial and calendar years, recent months)."""
    from click.shell_completion import CompletionItem

    from policing_cli.report.listings import list_periods

    dataset = _completion_dataset(ctx)
    if dataset is None:
        return []
    labels = [row["period"] for row in list_periods(dataset).rows]
    return [CompletionItem(label) for label in labels if label.startswith(incomplete)]


class PeriodType(click.ParamType):
    """A period such as 2023/24, 2023, 12m:2024-10, fytd:2024-10 or 2024-10."""

    name = "period"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Period:
        from policing_cli.report.periods import Period, parse_period

        if isinstance(value, Period):
            return value
        try:
            return parse_period(str(value))
        except PolicingError as err:
            self.fail(str(err), param, ctx)


def _load(inputs: InputOptions, *, quiet: bool = False) -> tuple[Dataset, CategoryMap]:
    """Load the inputs and the category mapping; print the data's notes on stderr."""
    from policing_cli.loaders.inputs import load_dataset
    from policing_cli.report.categories import load_mapping
    from policing_cli.report.checks import check_measures

    mapping = load_mapping(inputs.categories_file)
    dataset = load_dataset(
        list(inputs.data_paths),
        list(inputs.target_files),
        list(inputs.indicator_files),
        use_cache=not inputs.no_cache,
        populations=list(inputs.population_files),
        progress=None if quiet or not sys.stderr.isatty() else _progress_bar,
    )
    check_measures(dataset, mapping)
    if inputs.outcomes_file is not None:
        from policing_cli.report.outcomes import load_outcome_classes

        dataset.outcome_classes = load_outcome_classes(inputs.outcomes_file)
    if not quiet:
        for note in dataset.notes:
            click.echo(f"note: {note}", err=True)
    return dataset, mapping


def _progress_bar(total: int) -> Callable[[int], None]:
    """A rich progress bar on stderr (terminals only), for inputs that take a while to read."""
    import atexit

    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    bar = Progress(
        "reading", BarColumn(), DownloadColumn(), TimeRemainingColumn(),
        console=Console(stderr=True), transient=True,
    )  # fmt: skip
    task = bar.add_task("reading", total=total)
    bar.start()
    atexit.register(bar.stop)

    def advance(count: int) -> None:
        bar.advance(task, count)
        if bar.tasks[task].completed >= total:
            bar.stop()

    return advance


def _resolve_format(output_format: OutputFormat | None, to_file: bool) -> OutputFormat:
    if output_format is not None:
        return output_format
    return OutputFormat.TEXT if to_file or not sys.stdout.isatty() else OutputFormat.TABLE


def _emit(renderable: Any, fmt: OutputFormat, color: bool | None, output: Path | None) -> None:
    """Print to stdout, or write atomically to ``output``."""
    if fmt is OutputFormat.TABLE:
        from rich.console import Console

        if output is not None:
            console = Console(record=True, width=100, file=io.StringIO())
            console.print(renderable)
            text = console.export_text(styles=False)
        else:
            console = Console(
                force_terminal=True if color else None,
                no_color=True if color is False else None,
                highlight=False,
            )
            console.print(renderable)
            return
    else:
        text = renderable
    if output is not None:
        from policing_cli.output import write_atomic

        write_atomic(output, text)
    else:
        click.echo(text, nl=False)


# -- commands ------------------------------------------------------------------------------


@main.command()
@click.argument("area", shell_complete=complete_area)
@click.option(
    "--period",
    type=PeriodType(),
    shell_complete=complete_period,
    help="Period to report. Default: the latest complete financial year.",
)
@click.option(
    "--vs",
    "baseline",
    type=PeriodType(),
    help="Comparison period. Default: the previous period of the same length.",
)
@data_options
@format_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file (atomically) instead of stdout.",
)
@click.option(
    "--fail-on-missed",
    is_flag=True,
    help="Exit with code 3 when any of the area's own targets was missed (for cron alerts).",
)
@click.option(
    "--alpha",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=0.05,
    show_default=True,
    help="Significance level: changes with p >= alpha are marked ~ (within normal variation).",
)
@click.option("--ascii", "ascii_only", is_flag=True, help="Draw sparklines with ASCII characters.")
def report(
    area: str,
    period: Period | None,
    baseline: Period | None,
    inputs: InputOptions,
    output_format: OutputFormat | None,
    color: bool | None,
    output: Path | None,
    fail_on_missed: bool,
    alpha: float,
    ascii_only: bool,
) -> None:
    """Summary for one AREA: each category's count and change against the previous period.

    AREA is a borough (any case, spaces or hyphens; '&' or 'and'), or 'london' / 'mps' for
    every area together.

    \b
    Examples:
      policing report bexley
      policing report "Kensington & Chelsea" --period 2023/24 --format markdown
      policing report bexley --period 2023 --format json
      policing report london --period 12m:2024-10
      policing report bexley --data sample:leaflet --fail-on-missed
    """
    from policing_cli.renderers.registry import render_report
    from policing_cli.report.figures import build_report

    dataset, mapping = _load(inputs)
    result = build_report(dataset, mapping, area, period, baseline, alpha=alpha)
    result.ascii_trends = ascii_only
    fmt = _resolve_format(output_format, output is not None)
    _emit(render_report(result, fmt), fmt, color, output)
    if fail_on_missed and result.missed:
        click.echo(f"{result.missed} target(s) missed for {result.area}", err=True)
        sys.exit(ExitCode.TARGETS_MISSED)


@main.command()
@data_options
@format_option
def areas(
    inputs: InputOptions,
    output_format: OutputFormat | None,
    color: bool | None,
) -> None:
    """List the areas in the data, with the months each covers.

    \b
    Example:
      policing areas
      policing areas --data my_counts.csv --format json
    """
    from policing_cli.renderers.registry import render_listing
    from policing_cli.report.listings import list_areas

    dataset, _ = _load(inputs)
    fmt = _resolve_format(output_format, False)
    _emit(render_listing(list_areas(dataset), fmt), fmt, color, None)


@main.command()
@data_options
@format_option
def categories(
    inputs: InputOptions,
    output_format: OutputFormat | None,
    color: bool | None,
) -> None:
    """List the report categories and the source categories each one counts.

    \b
    Example:
      policing categories
      policing categories --categories my_mapping.csv
    """
    from policing_cli.renderers.registry import render_listing
    from policing_cli.report.listings import list_categories

    dataset, mapping = _load(inputs)
    fmt = _resolve_format(output_format, False)
    _emit(render_listing(list_categories(dataset, mapping), fmt), fmt, color, None)


@main.command()
@data_options
@format_option
def periods(
    inputs: InputOptions,
    output_format: OutputFormat | None,
    color: bool | None,
) -> None:
    """List the periods the data can report: months covered, complete years, the default.

    \b
    Example:
      policing periods
    """
    from policing_cli.renderers.registry import render_listing
    from policing_cli.report.listings import list_periods

    dataset, _ = _load(inputs)
    fmt = _resolve_format(output_format, False)
    _emit(render_listing(list_periods(dataset), fmt), fmt, color, None)


@main.command()
@click.option(
    "--period",
    type=PeriodType(),
    shell_complete=complete_period,
    help="Period to rank. Default: the latest complete financial year.",
)
@click.option(
    "--category", default="Total notifiable offences", show_default=True, help="Category to rank."
)
@click.option(
    "--by",
    type=click.Choice(["count", "change", "pct", "rate"]),
    default="pct",
    show_default=True,
    help="Rank by count, change in offences, % change, or rate per 1,000 residents.",
)
@click.option(
    "--per",
    type=click.Choice(["1000"]),
    help="Rank by rate per 1,000 residents (same as --by rate).",
)
@data_options
@format_option
def rank(
    period: Period | None,
    category: str,
    by: str,
    per: str | None,
    inputs: InputOptions,
    output_format: OutputFormat | None,
    color: bool | None,
) -> None:
    """Every borough ranked for one category: a league table.

    Rank 1 is the lowest: fewest offences, largest fall, or lowest rate. Rates use the
    mid-year population estimate of the year in which the period starts.

    \b
    Examples:
      policing rank --period 2023/24 --category "Residential burglary"
      policing rank --category "Total robbery" --per 1000 --format markdown
    """
    from policing_cli.renderers.registry import render_listing
    from policing_cli.report.listings import rank_listing

    dataset, mapping = _load(inputs)
    listing = rank_listing(dataset, mapping, category, period, "rate" if per else by)
    fmt = _resolve_format(output_format, False)
    _emit(render_listing(listing, fmt), fmt, color, None)


@main.command()
@click.argument("areas", nargs=-1, required=True, shell_complete=complete_area)
@click.option(
    "--period",
    type=PeriodType(),
    shell_complete=complete_period,
    help="Period to compare. Default: the latest complete financial year.",
)
@data_options
@format_option
def compare(
    areas: tuple[str, ...],
    period: Period | None,
    inputs: InputOptions,
    output_format: OutputFormat | None,
    color: bool | None,
) -> None:
    """Areas side by side: each category's count and % change in each.

    \b
    Example:
      policing compare bexley bromley greenwich --period 2023/24
    """
    from policing_cli.renderers.registry import render_listing
    from policing_cli.report.figures import build_report
    from policing_cli.report.listings import compare_listing

    dataset, mapping = _load(inputs)
    first = build_report(dataset, mapping, areas[0], period)
    reports = [first] + [
        build_report(dataset, mapping, area, first.period.period, first.baseline.period)
        for area in areas[1:]
    ]
    fmt = _resolve_format(output_format, False)
    _emit(render_listing(compare_listing(reports), fmt), fmt, color, None)


@main.command()
@click.argument("area", shell_complete=complete_area)
@click.option(
    "--category", default="Total notifiable offences", show_default=True, help="Category to follow."
)
@click.option(
    "--months",
    type=click.IntRange(1, 600),
    default=36,
    show_default=True,
    help="How many months to show.",
)
@click.option(
    "--to",
    "last_month",
    help="Last month shown (YYYY-MM). Default: the latest month in the data.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write a chart to this .png or .svg file (needs matplotlib: pip install 'policing[charts]').",
)
@click.option("--ascii", "ascii_only", is_flag=True, help="Terminal chart bars in ASCII.")
@data_options
@format_option
def trend(
    area: str,
    category: str,
    months: int,
    last_month: str | None,
    output: Path | None,
    ascii_only: bool,
    inputs: InputOptions,
    output_format: OutputFormat | None,
    color: bool | None,
) -> None:
    """The monthly series of one category in AREA, with its rolling 12-month total.

    On a terminal, a bar per month; --format gives the table (text, markdown, json, csv);
    --output draws a line chart to PNG or SVG.

    \b
    Examples:
      policing trend bexley --category "Residential burglary"
      policing trend london --months 60 --output london.svg
    """
    from policing_cli.renderers.registry import render_listing
    from policing_cli.renderers.trend_chart import as_listing, terminal_bars, write_chart
    from policing_cli.report.periods import parse_month
    from policing_cli.report.trend import build_trend

    last = None
    if last_month is not None:
        last = parse_month(last_month)
        if last is None:
            raise click.BadParameter(f"'{last_month}' is not a month (YYYY-MM)", param_hint="--to")
    dataset, mapping = _load(inputs)
    result = build_trend(dataset, mapping, area, category, months, last)
    if output is not None:
        write_chart(result, output)
        click.echo(f"wrote {output}", err=True)
        return
    if output_format is None and sys.stdout.isatty():
        click.echo(terminal_bars(result, ascii_only=ascii_only), nl=False)
        return
    fmt = _resolve_format(output_format, False)
    _emit(render_listing(as_listing(result), fmt), fmt, color, None)


@main.command(name="map")
@click.option(
    "--period",
    type=PeriodType(),
    shell_complete=complete_period,
    help="Period to map. Default: the latest complete financial year.",
)
@click.option(
    "--category", default="Total notifiable offences", show_default=True, help="Category to map."
)
@click.option(
    "--by",
    type=click.Choice(["pct", "rate"]),
    default="pct",
    show_default=True,
    help="Colour by % change or by rate per 1,000 residents.",
)
@click.option(
    "--boundaries",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Borough boundaries GeoJSON (EPSG:27700, NAME property). Default: the bundled London boroughs.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The .svg file to write (atomically).",
)
@data_options
def map_command(
    period: Period | None,
    category: str,
    by: str,
    boundaries: Path | None,
    output: Path,
    inputs: InputOptions,
) -> None:
    """A choropleth of London's boroughs coloured by the change (or rate) in one category,
    as a standalone SVG: green for falls, red for rises, grey where there is no figure.

    \b
    Example:
      policing map --period 2023/24 --category "Residential burglary" --output burglary.svg
      policing map --by rate --output rates.svg
    """
    from policing_cli.output import write_atomic
    from policing_cli.renderers.choropleth import map_svg
    from policing_cli.report.figures import latest_complete_financial_year

    dataset, mapping = _load(inputs)
    if period is None:
        period = latest_complete_financial_year(dataset.frame)
        if period is None:
            raise click.UsageError("the data hold no complete financial year: choose --period")
    write_atomic(output, map_svg(dataset, mapping, category, period, by, boundaries))
    click.echo(f"wrote {output}", err=True)


def _formats(_ctx: click.Context, _param: click.Parameter, value: str) -> list[OutputFormat]:
    names = [part.strip().casefold() for part in value.split(",") if part.strip()]
    allowed = {f.value: f for f in (OutputFormat.MARKDOWN, OutputFormat.TEXT, OutputFormat.JSON,
                                    OutputFormat.HTML, OutputFormat.CSV)}  # fmt: skip
    unknown = [n for n in names if n not in allowed]
    if unknown or not names:
        raise click.BadParameter(
            f"{', '.join(unknown) or 'nothing'}: expected a comma-separated list of {', '.join(allowed)}"
        )
    return list(dict.fromkeys(allowed[n] for n in names))


@main.command()
@click.option(
    "--period",
    type=PeriodType(),
    shell_complete=complete_period,
    help="Period to report. Default: the latest complete financial year.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to write into; files go in a subfolder named after the period (2023-24/).",
)
@click.option(
    "--format",
    "formats",
    default="markdown,json",
    callback=_formats,
    help="Comma-separated formats: markdown, text, json, html, csv. Default: markdown,json.",
)
@data_options
@click.option(
    "--no-timestamp", is_flag=True, help="Leave the generation time out, for byte-identical reruns."
)
@click.option("--fail-on-missed", is_flag=True, help="Exit 3 when any area missed a target.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="Say what happens to each file.")
def snapshot(
    period: Period | None,
    out: Path,
    formats: list[OutputFormat],
    inputs: InputOptions,
    no_timestamp: bool,
    fail_on_missed: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Write every area's report for a period into a folder: the yearly (or monthly) cron job.

    One file per area and format (reports/2023-24/bexley.md ...) plus index.md and
    index.json: the force-wide summary and a league table linking to each area. Files are
    written atomically and only when their content changed; a failing area is reported and
    the others go on. Prints a one-line summary on stderr (nothing with -q).

    \b
    Exit codes: 0 all written; 1 an area failed or bad data; 2 bad usage;
    3 --fail-on-missed and a target was missed.

    \b
    Example:
      policing snapshot --period 2023/24 --out reports/
      policing snapshot --out reports/ --format markdown,html --data sample:leaflet
    """
    from policing_cli.snapshot import run_snapshot, snapshot_areas

    dataset, mapping = _load(inputs, quiet=quiet)
    say = (lambda line: click.echo(line, err=True)) if verbose else None
    result = run_snapshot(
        dataset, mapping, period, out, formats, timestamp=not no_timestamp, on_file=say
    )
    label = result.folder.name
    for area, error in result.failed:
        click.echo(f"Error: {area}: {error}", err=True)
    if not quiet:
        click.echo(result.summary(label, len(snapshot_areas(dataset))), err=True)
    if result.failed:
        sys.exit(ExitCode.BAD_DATA)
    if fail_on_missed and result.missed:
        sys.exit(ExitCode.TARGETS_MISSED)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice([OutputFormat.TEXT, OutputFormat.JSON], case_sensitive=False),
    default=OutputFormat.TEXT,
    help="text: one 'file:line:column: problem' line each, then a summary; json: for scripts.",
)
def validate(files: tuple[Path, ...], output_format: OutputFormat) -> None:
    """Check input files without reporting: list every problem found in each.

    Any layout policing reads: borough and ward crime files, tidy counts, street-level files
    and archives, targets, indicators, survey exports, category mappings. Exits 0 when every
    file is clean, 1 otherwise.

    \b
    Example:
      policing validate counts.csv targets.csv
      policing validate data/ --format json
    """
    import json

    from policing_cli.loaders.inputs import expand_paths
    from policing_cli.loaders.validate import check_file
    from policing_cli.renderers.escape import clean

    paths: list[Path] = []
    for path in files:
        if path.is_dir():
            paths += [item.path for item in expand_paths([path])[0]]
        else:
            paths.append(path)
    checks = [check_file(path) for path in paths]
    problems = sum(len(check.problems) for check in checks)
    bad_files = sum(1 for check in checks if check.problems)
    summary = (
        f"{problems} problem(s) in {bad_files} of {len(checks)} file(s)"
        if problems
        else f"{len(checks)} file(s) checked: no problems"
    )
    if output_format is OutputFormat.JSON:
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
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        for check in checks:
            for found in check.problems:
                click.echo(clean(str(found)))
        click.echo(summary)
    if problems:
        sys.exit(ExitCode.BAD_DATA)


@main.group(name="config")
def config_group() -> None:
    """The settings in force: config file, environment variables, defaults.

    \b
    Example:
      policing config show
      POLICING_FORMAT=markdown policing config show
    """


@config_group.command("show")
@click.pass_context
def config_show(ctx: click.Context) -> None:
    """Print each setting, its value, and where it came from (precedence: command-line option >
    environment variable > config file > default).

    \b
    Example:
      policing --config ~/policing.toml config show
    """
    from policing_cli.settings import config_path

    effective = ctx.find_root().meta.get("policing.settings", [])
    path = config_path(ctx.find_root().params.get("config_file"))
    click.echo(f"config file: {path}{'' if path.exists() else ' (not found)'}")
    for item in effective:
        value = item.value if item.value is not None else "-"
        if isinstance(value, list):
            value = ", ".join(value)
        click.echo(f"{item.setting.key} = {value}    [{item.source}; env {item.setting.env}]")


if __name__ == "__main__":  # pragma: no cover
    main()

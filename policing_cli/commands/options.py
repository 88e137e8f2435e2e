"""The options and helpers every data command shares: the input options gathered into
one value, --format/--color, period parsing and completion, loading, and writing output."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from policing_cli.errors import PolicingError
from policing_cli.renderers.formats import FORMATS

if TYPE_CHECKING:
    from policing_cli.document.options import RenderOptions
    from policing_cli.model import Dataset
    from policing_cli.report.categories import CategoryMap
    from policing_cli.report.periods import Period


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
        type=click.Choice(list(FORMATS), case_sensitive=False),
        default=None,
        callback=lambda _ctx, _param, value: None if value is None else FORMATS[value.lower()],
        help="Output format. Default: table on a terminal, text when piped or written to a file.",
    )(command)


def period_option(verb: str) -> Callable[..., Any]:
    """``--period``, parsed and completed, defaulting to the latest complete financial year."""
    return click.option(
        "--period",
        type=PeriodType(),
        shell_complete=complete_period,
        help=f"Period to {verb}. Default: the latest complete financial year.",
    )


def category_option(verb: str) -> Callable[..., Any]:
    """``--category``, defaulting to the total of all notifiable offences."""
    return click.option(
        "--category", default="Total notifiable offences", show_default=True,
        help=f"Category to {verb}.",
    )  # fmt: skip


def _completion_dataset(ctx: click.Context) -> Dataset | None:
    """The data a command line being completed would read (quietly; None on any error)."""
    from policing_cli.loaders.inputs import load_dataset

    paths = ctx.params.get("data_paths") or (ctx.default_map or {}).get("data_paths") or ()
    if not paths and ctx.default_map is None:
        # Completing runs no group callback, so the settings (config file, POLICING_DATA)
        # that would fill --data are read here.
        from policing_cli.settings import default_map, effective_settings

        try:
            _, effective = effective_settings(ctx.find_root().params.get("config_file"))
        except PolicingError:
            return None
        paths = default_map(effective, {"": ["data_paths"]}).get("", {}).get("data_paths", ())
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


class SignificanceLevel(click.FloatRange):
    """A significance level strictly between 0 and 1.

    click's FloatRange lets NaN through (every comparison with NaN is false, so it is never
    out of range); a NaN alpha then makes every ``p >= alpha`` false and silently drops every
    ``~`` mark. NaN and the infinities are refused like any other value out of range.
    """

    name = "alpha"

    def __init__(self) -> None:
        super().__init__(0, 1, min_open=True, max_open=True)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import math

        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            where = ""
            if ctx is not None and param is not None and param.name:
                source = ctx.get_parameter_source(param.name)
                if source is click.core.ParameterSource.DEFAULT_MAP:
                    where = " (set in the config file or POLICING_ALPHA)"
            self.fail(f"{value!r} is not a number between 0 and 1 (e.g. 0.05){where}", param, ctx)
        return number


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


def load_inputs(inputs: InputOptions, *, quiet: bool = False) -> tuple[Dataset, CategoryMap]:
    """Load the inputs and the category mapping; print the data's notes on stderr."""
    from policing_cli.loaders.inputs import load_dataset
    from policing_cli.report.categories import load_mapping
    from policing_cli.report.checks import check_measures
    from policing_cli.runtime import resume_collector

    mapping = load_mapping(inputs.categories_file)
    dataset = load_dataset(
        list(inputs.data_paths),
        list(inputs.target_files),
        list(inputs.indicator_files),
        use_cache=not inputs.no_cache,
        populations=list(inputs.population_files),
        progress=None if quiet or not sys.stderr.isatty() else _progress_bar,
    )
    resume_collector()
    check_measures(dataset, mapping)
    if inputs.outcomes_file is not None:
        from policing_cli.report.outcomes import load_outcome_classes

        classes = load_outcome_classes(inputs.outcomes_file)
        dataset = replace(dataset, outcome_classes=classes)
    if not quiet:
        from policing_cli.commands.printing import say

        for note in dataset.notes:
            say(f"note: {note}")
    return dataset, mapping


def render_options(dataset: Dataset, **chosen: Any) -> RenderOptions:
    """What every document of this run is shown with: the data's licence credit, and what
    the command chose (``ascii``, ``provenance``)."""
    from policing_cli.document.attribution import attribution
    from policing_cli.document.options import RenderOptions

    return RenderOptions(attribution=attribution(dataset), **chosen)


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


# -- commands ------------------------------------------------------------------------------

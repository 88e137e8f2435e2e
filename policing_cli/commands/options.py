"""The options and helpers every data command shares: the input options gathered into
one value, --format/--color, period parsing and completion, loading, and writing output."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

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


#: Each input option: its flag, its parameter, and how click takes it.
INPUT_OPTIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "data_paths": ("--data", dict(
        multiple=True, type=click.Path(path_type=Path),
        help="Input CSV file, folder or zip (repeatable). Default: the bundled sample data.")),
    "categories_file": ("--categories", dict(
        type=click.Path(path_type=Path, dir_okay=False),
        help="Category mapping CSV (category,match,source) replacing the bundled one.")),
    "target_files": ("--targets", dict(
        multiple=True, type=click.Path(path_type=Path, dir_okay=False),
        help="Targets CSV (area,period,measure,kind,value) (repeatable).")),
    "population_files": ("--population", dict(
        multiple=True, type=click.Path(path_type=Path, dir_okay=False),
        help="Population CSV (area,year,population) for rates per 1,000 (repeatable).")),
    "outcomes_file": ("--outcomes", dict(
        type=click.Path(path_type=Path, dir_okay=False),
        help="Outcome classification CSV (outcome,class) replacing the bundled one.")),
    "indicator_files": ("--indicators", dict(
        multiple=True, type=click.Path(path_type=Path, dir_okay=False),
        help="Indicators CSV (area,period,measure,value) or MOPAC PAS export (repeatable).")),
    "no_cache": ("--no-cache", dict(
        is_flag=True, help="Read every input afresh, neither using nor updating the cache.")),
}  # fmt: skip
#: What an input option a command does not offer is taken as.
_UNSET: dict[str, Any] = {"categories_file": None, "outcomes_file": None, "no_cache": False}


def input_options(*offered: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The input options a command offers (all by default), gathered into one value passed
    as ``inputs``: ``areas`` offers ``--data`` and ``--no-cache`` only, so its help lists
    only what it uses."""
    names = list(offered or INPUT_OPTIONS)

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        original = command

        @functools.wraps(original)
        def gather(*args: Any, **kwargs: Any) -> Any:
            given = {name: kwargs.pop(name) for name in names}
            values = {
                f.name: given.get(f.name, _UNSET.get(f.name, ())) for f in fields(InputOptions)
            }
            return original(*args, inputs=InputOptions(**values), **kwargs)

        command = gather
        for name in reversed(list(INPUT_OPTIONS)):
            if name in names:
                flag, settings = INPUT_OPTIONS[name]
                command = click.option(flag, name, **settings)(command)
        return command

    return decorate


#: Every input option: the commands that report.
data_options = input_options()


class FormatType(click.ParamType):
    """An output format by name (``md``, ``txt`` and ``htm`` too), or a usage error that
    suggests the nearest name."""

    name = "format"
    ALIASES: ClassVar[dict[str, str]] = {
        "md": "markdown",
        "txt": "text",
        "htm": "html",
        "rich": "table",
    }

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(FORMATS) + "]"

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[Any]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(name) for name in FORMATS if name.startswith(incomplete.lower())]

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        name = self.ALIASES.get(value.strip().lower(), value.strip().lower())
        if name in FORMATS:
            return FORMATS[name]
        self.fail(f"{value!r} is not a format: {suggest(value, list(FORMATS))}", param, ctx)


def suggest(typed: str, names: list[str]) -> str:
    """ "did you mean 'markdown'?" where a name is close, else the names to choose from."""
    import difflib

    close = difflib.get_close_matches(typed.lower(), [n.lower() for n in names], n=2, cutoff=0.6)
    found = [n for n in names if n.lower() in close]
    if found:
        return "did you mean " + " or ".join(f"'{n}'" for n in found) + "?"
    return "expected one of " + ", ".join(f"'{n}'" for n in names)


def format_option(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option(
        "--color/--no-color",
        "color",
        default=None,
        help="Colour on or off (default: on for a terminal; NO_COLOR honoured). --color (or "
        "FORCE_COLOR) when piped prints the coloured table unless --format says otherwise.",
    )(command)
    return click.option(
        "--format",
        "output_format",
        type=FormatType(),
        default=None,
        help="Output format (md for markdown). Default: the extension of -o FILE; else a table "
        "on a terminal, text when piped.",
    )(command)


def period_option(verb: str) -> Callable[..., Any]:
    """``--period``, parsed and completed, defaulting to the latest complete financial year."""
    return click.option(
        "--period",
        type=PeriodType(),
        shell_complete=complete_period,
        help=f"Period to {verb}: 2023/24 (financial year), 2023 (calendar year), 12m:2024-10 "
        "(12 months to), fytd:2024-10 (financial year to date) or 2024-10 (a month). "
        "Default: the latest complete financial year.",
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
    effective = ctx.find_root().meta.get("policing.settings")
    if effective is None:
        # Completing runs no group callback, so the settings (config file, POLICING_DATA,
        # the data folder of policing fetch) are read here.
        from policing_cli.settings import effective_settings

        try:
            _, effective = effective_settings(ctx.find_root().params.get("config_file"))
        except PolicingError:
            return None
    if not paths and ctx.default_map is None:
        from policing_cli.settings import default_map

        paths = default_map(effective, {"": ["data_paths"]}).get("", {}).get("data_paths", ())
    if not paths:
        paths, _origin = default_data(effective)
    try:
        return load_dataset([Path(p) for p in paths])
    except PolicingError:
        return None


def default_data(effective: list[Any] | None = None) -> tuple[list[Path], str]:
    """What is read when no --data is given (nor POLICING_DATA, nor a config file's
    ``data``): the data folder of ``policing fetch`` when it holds fetched files, with the
    words that say so; else nothing (the bundled sample data)."""
    from policing_cli.fetch.folder import data_folder, fetched
    from policing_cli.settings import value_of

    if effective is None:
        ctx = click.get_current_context(silent=True)
        effective = ctx.find_root().meta.get("policing.settings", []) if ctx else []
    found = fetched(data_folder(value_of(effective, "fetch.into")))
    return ([found.folder], found.describe()) if found is not None else ([], "")


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
    """A period such as 2023/24, 2023, 12m:2024-10, fytd:2024-10 or 2024-10. "2011-12" is
    both a month and a financial year's common spelling: it is read as December 2011, and
    the tool says so on standard error."""

    name = "period"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Period:
        from policing_cli.report.periods import Period, parse_period

        if isinstance(value, Period):
            return value
        try:
            period = parse_period(str(value))
        except PolicingError as err:
            self.fail(str(err), param, ctx)
        if ambiguous := ambiguous_month(str(value)):
            from policing_cli.commands.printing import say

            say(f"note: {value} read as the month {ambiguous}; for the financial year, write "
                f"{str(value).strip().replace('-', '/')}")  # fmt: skip
        return period


def ambiguous_month(text: str) -> str | None:
    """ "December 2011" for "2011-12": a month that is also how a financial year is often
    written (2011/12); None for anything else (2023-24 is no month)."""
    import re

    from policing_cli.report.periods import month_words, parse_month

    raw = text.strip()
    match = re.fullmatch(r"(\d{4})-(\d{2})", raw)
    if match is None or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        return None
    month = parse_month(raw)
    return None if month is None else month_words(month)


def load_inputs(inputs: InputOptions, *, quiet: bool = False) -> tuple[Dataset, CategoryMap]:
    """Load the inputs and the category mapping; print the data's notes on stderr."""
    from policing_cli.loaders.inputs import load_dataset
    from policing_cli.loaders.reference import load_mapping
    from policing_cli.report.checks import check_measures
    from policing_cli.runtime import resume_collector

    mapping = load_mapping(inputs.categories_file)
    paths, origin = (list(inputs.data_paths), "") if inputs.data_paths else default_data()
    dataset = load_dataset(
        paths,
        list(inputs.target_files),
        list(inputs.indicator_files),
        use_cache=not inputs.no_cache,
        populations=list(inputs.population_files),
        progress=None if quiet or not sys.stderr.isatty() else _progress_bar,
    )
    resume_collector()
    if origin:
        dataset = replace(dataset, origin=origin)
    check_measures(dataset, mapping)
    if inputs.outcomes_file is not None:
        from policing_cli.loaders.reference import load_outcome_classes

        classes = load_outcome_classes(inputs.outcomes_file)
        dataset = replace(dataset, outcome_classes=classes)
    if not quiet:
        from policing_cli.commands.printing import say
        from policing_cli.commands.staleness import tell_if_stale

        for note in dataset.notes:
            say(f"note: {note}")
        context = click.get_current_context(silent=True)
        tell_if_stale(dataset, context.meta.get("policing.settings") if context else None, say)
    return dataset, mapping


def render_options(dataset: Dataset, **chosen: Any) -> RenderOptions:
    """What every document of this run is shown with: the data's licence credit, and what
    the command chose (``ascii``, ``provenance``)."""
    from policing_cli.document.attribution import attribution
    from policing_cli.document.options import RenderOptions

    return RenderOptions(attribution=attribution(dataset), origin=dataset.origin, **chosen)


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

"""The one line that says the figures are old: the newest month of the data read, when it is
more than ``stale_after`` months (default 3) before this month.

Publishers lag by one month (the London Datastore) to two (data.police.uk), so three months
means a newer release exists. Said on stderr, never in the report (a report is the same
whenever it is made). On a terminal it is said every time; where stderr is not a terminal (a
cron job, a pipe) it is said once for each newest month: the month last told is kept in the
user's data folder (``notices.json``), so a nightly job's mail carries it once, and again only
when newer data have arrived and aged in turn.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from policing_cli.model import Dataset

#: Months after which the newest figures are old, unless ``stale_after`` says otherwise.
DEFAULT_AFTER = 3

WHERE = (
    "newer files: policing fetch london (data.london.gov.uk) or policing fetch police-uk "
    "--month latest (data.police.uk)"
)


def newest_month(dataset: Dataset) -> int | None:
    """The last month any count file read covers (None: no monthly figures)."""
    months = [s.last_month for s in dataset.sources if s.last_month is not None]
    return max(months) if months else None


def stale_line(newest: int, today: int, after: int) -> str | None:
    """The note for figures ending in month ``newest`` seen in month ``today``; None when
    they are recent enough or ``after`` is 0."""
    from policing_cli.report.periods import month_words

    age = today - newest
    if after <= 0 or age <= after:
        return None
    return (
        f"the newest figures read are for {month_words(newest)}, {age} months ago; {WHERE}"
        f" (said once for these data; stale_after = 0 never says it)"
    )


def _state_path() -> Path:
    from policing_cli.folders import data_home

    return data_home() / "notices.json"


def _told(newest: int) -> bool:
    """Whether this newest month was already told where no one watches; records it if not.
    A state that cannot be read or written means telling (every run) rather than silence."""
    path = _state_path()
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    if not isinstance(state, dict):
        state = {}
    if state.get("stale_told") == newest:
        return True
    state["stale_told"] = newest
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".notices-", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(state, out)
        os.replace(temp, path)
    except OSError:
        pass
    return False


def stale_after(settings: list | None) -> int:
    """``stale_after`` from the environment or config file (``settings.Effective``), else 3;
    a value that is not a whole number is a one-line error."""
    from policing_cli.errors import InputFormatError

    for item in settings or []:
        if item.setting.key == "stale_after" and item.value is not None:
            try:
                return int(item.value)
            except ValueError:
                raise InputFormatError(
                    item.source, f"stale_after must be a whole number of months, not {item.value!r}"
                ) from None
    return DEFAULT_AFTER


def tell_if_stale(dataset: Dataset, settings: list | None, say) -> None:
    """Say the stale line for these data when it applies (see the module's docstring)."""
    from policing_cli.report.periods import current_month

    newest = newest_month(dataset)
    if newest is None:
        return
    line = stale_line(newest, current_month(), stale_after(settings))
    if line is None:
        return
    if sys.stderr.isatty() or not _told(newest):
        say(f"note: {line}")

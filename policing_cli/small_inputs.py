"""Reading inputs that are small by nature (a config file, targets, indicators, population
estimates, a category mapping, outcome classes, borough boundaries) with a size cap.

``Path.read_text`` reads to the end, however far that is: ``--config /dev/zero`` grew to
22 GB in 20 seconds before anything could say no. These files are kilobytes (a GeoJSON of
boundaries a megabyte or so), so reading at most a cap, and saying so, costs nothing for
real files and turns an endless or wrong file (a device, a FIFO that never closes, a crime
file given as --targets) into a one-line error naming the file.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from policing_cli.errors import InputFormatError

#: Cap of the small CSV inputs: the largest real one (a MOPAC survey export) is 0.5 MB.
SMALL_CSV_BYTES = 16 * 1024 * 1024
#: Cap of a config file: a few lines of TOML.
CONFIG_BYTES = 1024 * 1024
#: Cap of a boundaries GeoJSON: the London boroughs at full resolution are about 1 MB, the
#: finest public district boundaries of England and Wales some tens of MB.
BOUNDARIES_BYTES = 128 * 1024 * 1024


def _mb(limit: int) -> str:
    return f"{limit / 2**20:g} MB"


def read_bounded_bytes(path: Path, what: str, limit: int) -> bytes:
    """At most ``limit`` bytes of a file, or a one-line error saying it is larger.

    One byte past the cap is read to tell "exactly the cap" from "more", and no more: a
    device or FIFO that never ends is never read to its end.
    """
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError as err:
        raise InputFormatError(path, "no such file") from err
    except IsADirectoryError as err:
        raise InputFormatError(path, f"is a folder, expected {what}") from err
    except OSError as err:
        raise InputFormatError(path, f"cannot be read ({err.strerror or err})") from err
    if len(data) > limit:
        raise InputFormatError(
            path,
            f"is larger than {_mb(limit)}, the most read of {what}: is it the right file?",
        )
    return data


def read_bounded_text(path: Path, what: str, limit: int, encoding: str = "utf-8") -> str:
    """At most ``limit`` bytes of a file, decoded; bad bytes are an error naming the line."""
    data = read_bounded_bytes(path, what, limit)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        name = codecs.lookup(encoding).name
        shown = "UTF-8" if name.startswith("utf-8") else name
        raise InputFormatError(
            path,
            f"is not valid {shown} text (byte {err.start}, {data[err.start : err.start + 1]!r}): "
            "save it as UTF-8",
            line=line,
        ) from err

"""Writing output files: atomically, and never over something that is not a file to replace.

A regular file is replaced atomically (temporary file beside it, then a rename): a reader, or
a cron job killed half-way, never sees a half-written file, and a failed run leaves the
previous file as it was. What a rename would wrongly replace is handled by the rules below
(``destination``), the same for ``-o`` of every command and for snapshots' files:

- a symbolic link is written through: its target is replaced atomically, the link stays;
- a character device (``/dev/null``, ``/dev/tty``) is written to directly, as a shell
  redirect would: replacing it by a regular file is never what ``-o /dev/null`` means (and
  as root it would replace the system's ``/dev/null``);
- a folder, a named pipe (FIFO), a socket or a block device is refused;
- a read-only file is refused, as a shell redirect is refused;
- a file with other hard links is refused: a rename would give this name new content while
  the other names kept the old, silently splitting what was one file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from policing_cli.errors import PolicingError


def default_mode() -> int:
    """The mode a plainly created file would get (0666 less the umask): temporary files are
    created private (0600), and a report should stay readable as any file the user makes."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@dataclass(frozen=True)
class Destination:
    """Where writing to a path really goes, found before anything is written."""

    path: Path  # the file itself, or the target of the symbolic link given
    device: bool = False  # a character device: written in place, not replaced
    existing: os.stat_result | None = None  # the regular file replaced, if any


#: What a path may be that is neither a file to replace nor a device to write to.
_REFUSED = (
    (stat.S_ISDIR, "is a folder, expected a file name to write"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file: not written (-o - writes "
                    "to standard output)"),
    (stat.S_ISSOCK, "is a socket, not a regular file: not written"),
    (stat.S_ISBLK, "is a block device, not a regular file: not written"),
)  # fmt: skip


def destination(path: Path) -> Destination:
    """Apply the module's rules to ``path``: where to write, or a one-line error why not."""
    try:
        is_link = stat.S_ISLNK(os.lstat(path).st_mode)
    except FileNotFoundError:
        return Destination(path)
    except OSError as err:
        raise PolicingError(f"{path}: cannot write ({err.strerror or err})") from err
    target = Path(os.path.realpath(path)) if is_link else path
    where = f"{path} (a link to {target})" if is_link else str(path)
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return Destination(target)  # a link to a file not made yet: the link will lead to it
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise PolicingError(f"{path}: is a symbolic link that leads round in a loop") from err
        raise PolicingError(f"{where}: cannot write ({err.strerror or err})") from err
    mode = found.st_mode
    if stat.S_ISCHR(mode):
        return Destination(target, device=True)
    for test, why in _REFUSED:
        if test(mode):
            raise PolicingError(f"{where}: {why}")
    if not stat.S_ISREG(mode):
        raise PolicingError(f"{where}: is not a regular file: not written")
    # Write permission as the file says (root could write anyway) and as the system says.
    if not mode & 0o222 or not os.access(target, os.W_OK):
        raise PolicingError(f"{where}: is read-only: not replaced")
    if found.st_nlink > 1:
        raise PolicingError(
            f"{where}: has {found.st_nlink} hard links: replacing it would leave the other "
            "names with the old content; remove them (or write elsewhere) first"
        )
    return Destination(target, existing=found)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` by the module's rules: via a temporary
    file in the same folder and a rename, or straight into a character device."""
    from policing_cli.renderers.escape import clean

    where = destination(path)
    # The last net for text: no control character reaches a file, whichever renderer made it.
    payload = data if isinstance(data, bytes) else clean(data, lines=True).encode("utf-8")
    if where.device:
        _write_device(path, where.path, payload)
    else:
        _replace(path, where, payload)


def _write_device(path: Path, device: Path, payload: bytes) -> None:
    """Write into a character device, checking it is still one once opened (never creating
    or truncating a file that took its place)."""
    try:
        handle = os.open(device, os.O_WRONLY | os.O_NOCTTY)
    except OSError as err:
        raise PolicingError(f"{path}: cannot write ({err.strerror or err})") from err
    try:
        if not stat.S_ISCHR(os.fstat(handle).st_mode):
            raise PolicingError(f"{path}: changed while being written to: not written")
        view = memoryview(payload)
        while view:
            view = view[os.write(handle, view) :]
    except OSError as err:
        raise PolicingError(f"{path}: cannot write ({err.strerror or err})") from err
    finally:
        os.close(handle)


def _replace(path: Path, where: Destination, payload: bytes) -> None:
    """A new file beside the target, renamed onto it: all of the new content or none."""
    target = where.path
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise PolicingError(f"{path}: cannot write here ({err.strerror or err})") from err
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
        old = where.existing
        # A file replaced keeps its permissions (a private 0600 file stays private) and,
        # where the system allows it, its owner and group; a new one gets the usual mode.
        os.chmod(temp_name, stat.S_IMODE(old.st_mode) if old else default_mode())
        if old is not None and (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
            _keep_owner(temp_name, old)
        os.replace(temp_name, target)
    except BaseException as err:
        Path(temp_name).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise PolicingError(f"{path}: cannot write ({err.strerror or err})") from err
        raise


def _keep_owner(temp_name: str, old: os.stat_result) -> None:
    """Give the new file the old one's owner and group. Only root may give a file away:
    where the system refuses, the file is the writer's, as any file they write is."""
    with contextlib.suppress(PermissionError):
        os.chown(temp_name, old.st_uid, old.st_gid)

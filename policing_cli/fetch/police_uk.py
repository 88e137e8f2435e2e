"""data.police.uk's monthly archive: every force's street, outcomes and stop-and-search files
for the 36 months to a month (``https://data.police.uk/data/archive/2025-01.zip``,
``latest.zip`` for the newest), gigabytes in all.

Without ``--force`` the archive is kept whole (``police-uk/2025-01.zip``), read in place by
the reports. With ``--force``, only those forces' street files are kept, extracted in the
archive's own layout (``police-uk/2024-10/2024-10-north-wales-street.csv``), which the
reports read as a folder. Where the server answers range requests, only the archive's
directory and those members are fetched; where it does not, the archive is streamed once
into a temporary file beside them, the members taken from it, and the file removed.

A member already fetched and unchanged in the archive (same name, size and CRC-32) is not
fetched again; a rerun with the same forces asks the server first (If-None-Match /
If-Modified-Since) and fetches nothing when the archive has not changed.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from policing_cli.errors import FetchError, InputFormatError, UsageProblem
from policing_cli.fetch import manifest, remote_zip
from policing_cli.fetch.download import Outcome, content_range, download
from policing_cli.fetch.http import Client, Progress, Response, check_address, size_words
from policing_cli.fetch.manifest import Record, State

DEFAULT_TEMPLATE = "https://data.police.uk/data/archive/{month}.zip"
SUBFOLDER = "police-uk"
SOURCE = "police-uk"
#: A street file in the archive: ``2024-10/2024-10-north-wales-street.csv``.
STREET = re.compile(
    r"(?:^|/)(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9]+(?:-[a-z0-9]+)*)-street\.csv$", re.I
)
#: What people add to a force's name that data.police.uk's file names leave out.
SUFFIXES = ("-police-service", "-police-force", "-constabulary", "-police")
ALIASES = {
    "british-transport": "btp",
    "police-service-of-northern-ireland": "northern-ireland",
    "psni": "northern-ireland",
    "met": "metropolitan",
    "mps": "metropolitan",
}


@dataclass
class Result:
    folder: Path
    address: str
    outcomes: list[Outcome] = field(default_factory=list)
    left_alone: list[manifest.LeftAlone] = field(default_factory=list)
    #: The server said the archive has not changed since the members were fetched.
    not_modified: bool = False
    #: The server does not answer range requests: the archive was streamed whole.
    streamed_whole: bool = False


def archive_address(template: str, month: str) -> str:
    if "{month}" not in template:
        raise FetchError(
            f"POLICING_FETCH_POLICE_UK / [fetch] police_uk: '{template}' has no {{month}} "
            "where the month goes"
        )
    return check_address(template.replace("{month}", month), "the data.police.uk address")


def fetch_police_uk(
    client: Client,
    folder: Path,
    template: str,
    month: str,
    forces: list[str],
    progress: Progress,
    say: Callable[[str], None],
) -> Result:
    url = archive_address(template, month)
    result = Result(folder / SUBFOLDER, url)
    if not forces:
        target = result.folder / f"{month}.zip"
        outcome = _download_whole(client, url, target, progress)
        result.outcomes.append(outcome)
        say(f"{target.name}: " + (f"downloaded ({size_words(outcome.record.size)})"
                                   if outcome.changed else "unchanged"))  # fmt: skip
        return result
    _fetch_forces(client, result, month, forces, progress, say)
    return result


def _download_whole(client: Client, url: str, target: Path, progress: Progress) -> Outcome:
    try:
        return download(
            client, url, target, source=SOURCE, progress=progress, label=target.name,
            check=lambda part: check_archive(part, url),
        )  # fmt: skip
    except FetchError as err:
        status = getattr(err, "status", None)
        if status == 404:
            raise FetchError(f"{err} (no archive for that month: data.police.uk publishes "
                             "each month's about six weeks after it ends)") from err  # fmt: skip
        raise


def force_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold().replace("&", " and ")).strip("-")


def _candidates(name: str) -> list[str]:
    slug = force_slug(name)
    found = [slug, ALIASES.get(slug, slug)]
    if slug.startswith("the-"):
        found.append(slug[4:])
    for suffix in SUFFIXES:
        for item in list(found):
            if item.endswith(suffix):
                stem = item[: -len(suffix)]
                found += [stem, ALIASES.get(stem, stem)]
    return list(dict.fromkeys(found))


def resolve_forces(requested: list[str], available: set[str], url: str) -> list[str]:
    """The archive's name for each force asked for, or a usage error suggesting the nearest."""
    chosen = []
    for name in requested:
        found = next((c for c in _candidates(name) if c in available), None)
        if found is None:
            close = difflib.get_close_matches(force_slug(name), sorted(available), n=2, cutoff=0.6)
            if close:
                hint = "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
            else:
                names = sorted(available)
                hint = f"it holds {len(names)} force(s): " + ", ".join(names[:12])
                hint += ", ..." if len(names) > 12 else ""
            raise UsageProblem(f"no force '{name}' in {url}: {hint}")
        chosen.append(found)
    return list(dict.fromkeys(chosen))


def _previous(result: Result, requested: list[str]) -> dict[str, str]:
    """Conditional headers for the archive when every force asked for was fetched from it
    before and is still as fetched; else none (something is to be fetched whatever)."""
    fetched: dict[str, list[tuple[Path, Record]]] = {}
    for path, record in manifest.fetched_files(result.folder):
        if record.source == SOURCE and record.address == result.address and record.member:
            match = STREET.search(record.member)
            if match:
                fetched.setdefault(match.group("force").lower(), []).append((path, record))
    records: list[Record] = []
    for name in requested:
        force = next((c for c in _candidates(name) if c in fetched), None)
        if force is None:
            return {}
        for path, record in fetched[force]:
            if manifest.state_of(path)[0] is not State.OURS:
                return {}
            records.append(record)
    newest = max(records, key=lambda r: r.fetched_at)
    headers = {}
    if newest.etag:
        headers["If-None-Match"] = newest.etag
    if newest.last_modified:
        headers["If-Modified-Since"] = newest.last_modified
    return headers


def _fetch_forces(
    client: Client,
    result: Result,
    month: str,
    forces: list[str],
    progress: Progress,
    say: Callable[[str], None],
) -> None:
    url = result.address
    headers = {"Range": f"bytes=-{remote_zip.TAIL_BYTES}", **_previous(result, forces)}

    def first(_number: int) -> tuple[Response, bytes | None, int | None]:
        with client.open(url, headers) as answer:
            if answer.status == 206:
                _first, _last, total = content_range(answer)
                return answer, answer.read_all(remote_zip.TAIL_BYTES + 1), total
            return answer, None, None  # 304, or a whole archive coming: not read here

    try:
        answer, tail, total = client.attempt(first)
    except FetchError as err:
        if getattr(err, "status", None) == 404:
            raise FetchError(f"{err} (no archive for that month yet?)") from err
        raise
    if answer.status == 304:
        result.not_modified = True
        say(f"{Path(url).name}: not modified since the last fetch: nothing to do")
        return
    if answer.status == 416:
        raise remote_zip.BadArchive(url, "it is empty")
    if tail is not None and total is not None:
        validator = _validator(answer)

        def read(first_byte: int, last_byte: int) -> bytes:
            return client.attempt(
                lambda _n: remote_zip.read_range(client, url, first_byte, last_byte, validator)
            )

        members = remote_zip.parse_directory(url, tail, total - len(tail), read)
        chosen = _choose(members, forces, url)

        def remote(member: remote_zip.Member) -> Iterator[bytes]:
            return remote_zip.inflate_member(client, url, member, total, validator)

        _extract(client, result, chosen, answer, remote, progress, say)
        return
    # No range requests: the whole archive, streamed once into a file beside the members.
    result.streamed_whole = True
    temp = result.folder / f"{month}.zip.download"
    whole = _download_whole(client, url, temp, progress)
    try:
        with zipfile.ZipFile(temp) as archive:
            infos = archive.infolist()
            members = [
                remote_zip.Member(i.filename, i.compress_type, i.flag_bits, i.CRC,
                                  i.compress_size, i.file_size, i.header_offset)
                for i in infos
            ]  # fmt: skip
            chosen = _choose(members, forces, url)

            def local(member: remote_zip.Member) -> Iterator[bytes]:
                return _read_local(archive, member)

            header_source = _HeaderOnly(whole.record)
            _extract(client, result, chosen, header_source, local, progress, say)
    except zipfile.BadZipFile as err:
        raise remote_zip.BadArchive(url, str(err)) from err
    finally:
        manifest.remove_ours(temp)


class _HeaderOnly:
    """The archive's validators, from its manifest (for an archive streamed whole)."""

    def __init__(self, record: Record) -> None:
        self.values = {"ETag": record.etag, "Last-Modified": record.last_modified}

    def header(self, name: str) -> str | None:
        return self.values.get(name)


def _read_local(archive: zipfile.ZipFile, member: remote_zip.Member) -> Iterator[bytes]:
    with archive.open(member.name) as handle:
        yield from iter(lambda: handle.read(1 << 20), b"")


def _validator(answer: Response) -> str | None:
    etag = answer.header("ETag")
    if etag and not etag.startswith("W/"):
        return etag
    return answer.header("Last-Modified")


def _choose(
    members: list[remote_zip.Member], forces: list[str], url: str
) -> list[tuple[remote_zip.Member, str]]:
    """The street members of the forces asked for, each with the path it is kept under
    (``YYYY-MM/YYYY-MM-<force>-street.csv``, whatever folders the archive uses)."""
    street: dict[str, list[tuple[remote_zip.Member, str]]] = {}
    for member in members:
        match = STREET.search(member.name)
        if match and not member.name.endswith("/"):
            kept = f"{match.group('month')}/{Path(member.name).name}"
            street.setdefault(match.group("force").lower(), []).append((member, kept))
    if not street:
        raise remote_zip.BadArchive(url, "no *-street.csv members")
    chosen = []
    for force in resolve_forces(forces, set(street), url):
        chosen += sorted(street[force], key=lambda pair: pair[1])
    return chosen


def _extract(
    client: Client,
    result: Result,
    chosen: list[tuple[remote_zip.Member, str]],
    answer: Response | _HeaderOnly,
    content: Callable[[remote_zip.Member], Iterator[bytes]],
    progress: Progress,
    say: Callable[[str], None],
) -> None:
    """Each chosen member into its file: skipped when the file of ours already holds it."""
    etag, modified = answer.header("ETag"), answer.header("Last-Modified")
    for member, kept in chosen:
        target = result.folder / kept
        try:
            state, record = manifest.check_writable(target)
        except manifest.LeftAlone as err:
            result.left_alone.append(err)
            continue
        fresh = Record(
            address=result.address, size=member.size, sha256="", fetched_at=manifest.now(),
            etag=etag, last_modified=modified, member=member.name, crc32=member.crc,
            source=SOURCE,
        )  # fmt: skip
        if (
            state is State.OURS
            and record is not None
            and (record.member, record.crc32, record.size) == (member.name, member.crc, member.size)
        ):
            kept_record = replace(fresh, sha256=record.sha256, mtime_ns=record.mtime_ns,
                                  previous_sha256=record.previous_sha256)  # fmt: skip
            manifest.update_record(target, kept_record)
            result.outcomes.append(Outcome(target, False, kept_record))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        installed = client.attempt(
            lambda _n, m=member, t=target, r=fresh: _write_member(content, m, t, r, progress)
        )
        result.outcomes.append(Outcome(target, True, installed))
        say(f"{kept}: downloaded ({size_words(installed.size)})")


def _write_member(
    content: Callable[[remote_zip.Member], Iterator[bytes]],
    member: remote_zip.Member,
    target: Path,
    record: Record,
    progress: Progress,
) -> Record:
    import hashlib

    part = manifest.part_path(target)
    digest = hashlib.sha256()
    progress.start(target.name, member.size)
    try:
        with part.open("wb") as out:
            for block in content(member):
                out.write(block)
                digest.update(block)
                progress.advance(len(block))
        check_street(part, f"{record.address}:{member.name}")
        return manifest.install(part, target, replace(record, sha256=digest.hexdigest()))
    finally:
        progress.finish()
        part.unlink(missing_ok=True)


def check_street(part: Path, shown: str) -> None:
    """A member kept must be a street file policing reads."""
    from policing_cli.loaders import police_uk
    from policing_cli.loaders.csv_text import sniff

    try:
        header = sniff(part).header
    except InputFormatError as err:
        raise FetchError(f"{shown}: not a street file ({err.problem})") from err
    if not police_uk.matches(header):
        raise FetchError(f"{shown}: not a data.police.uk street file (header {header[:4]})")


def check_archive(part: Path, url: str) -> None:
    """A whole archive kept must be a zip holding street files."""
    try:
        with zipfile.ZipFile(part) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError) as err:
        raise remote_zip.BadArchive(url, str(err)) from err
    if not any(STREET.search(name) for name in names):
        raise remote_zip.BadArchive(url, "no *-street.csv members")

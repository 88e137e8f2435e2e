"""The London Datastore's "MPS Borough Level Crime" and "MPS Ward Level Crime" files, found
from the recorded crime summary dataset's own metadata.

The files' addresses change with every release (``/download/recorded_crime_summary/<id>/
MPS%20Borough%20Level%20Crime%20%28Historical%29.csv``), so they are never written here:
they are read from the dataset's metadata, in whichever of the shapes the Datastore
serves it:

- the CKAN action API, ``/api/action/package_show?id=recorded_crime_summary`` (the default):
  ``{"success": true, "result": {"resources": [{"name", "url", "format", ...}]}}``;
- the Datastore's own dataset API, ``/api/dataset/<slug>``: ``{"id", "title",
  "resources": {"<id>": {"title", "url", "format", "check_size", ...}}}``;
- a list of resources (``"resources": [{"title", "url", "filename", ...}]``), as its
  catalogue export gives them;
- or the dataset's web page, whose links to ``.csv`` files are taken.

The borough and ward files are the resources named "MPS Borough Level Crime ..." or "MPS
Ward Level Crime ..." (most recent 24 months, historical), in CSV; the LSOA files are
left out (policing reads boroughs and wards). A document of none of these shapes, or one
that lists no such file, is an error saying that the page's layout may have changed.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from policing_cli.errors import FetchError, InputFormatError
from policing_cli.fetch import manifest
from policing_cli.fetch.download import Outcome, download
from policing_cli.fetch.http import Client, Progress, size_words

DEFAULT_ADDRESS = "https://data.london.gov.uk/api/action/package_show?id=recorded_crime_summary"
#: The subfolder of the data folder the London files go into.
SUBFOLDER = "london"
SOURCE = "london"
#: The most of a metadata document or page read.
METADATA_BYTES = 16 * 1024 * 1024
#: Resources wanted: the borough and ward level files (not LSOA).
WANTED = re.compile(r"\bmps\s+(borough|ward)\s+level\s+crime\b")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


class LayoutChanged(FetchError):
    def __init__(self, address: str, what: str) -> None:
        super().__init__(
            f"{address}: {what}: the London Datastore's page layout may have changed (set "
            "POLICING_FETCH_LONDON or [fetch] london to the dataset's metadata address)"
        )


@dataclass(frozen=True)
class Resource:
    """One file the dataset lists: what it calls it, where it is, the name to save it as."""

    title: str
    url: str
    file_name: str


@dataclass
class Result:
    folder: Path
    outcomes: list[Outcome] = field(default_factory=list)
    left_alone: list[manifest.LeftAlone] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


def fetch_london(
    client: Client,
    folder: Path,
    address: str,
    progress: Progress,
    say: Callable[[str], None],
) -> Result:
    """Fetch every borough and ward file the dataset lists into ``folder/london``: only
    those that changed; files of ours it no longer lists are removed, the user's own files
    never touched."""
    answer, body = client.get_bytes(
        address, METADATA_BYTES, {"Accept": "application/json, text/html;q=0.8"}
    )
    resources = wanted(address, list_resources(address, body, answer.url))
    result = Result(folder / SUBFOLDER)
    for resource in resources:
        target = result.folder / resource.file_name
        try:
            outcome = download(
                client, resource.url, target, source=SOURCE, progress=progress,
                label=resource.file_name, title=resource.title,
                check=lambda part, url=resource.url: check_counts(part, url),
            )  # fmt: skip
        except manifest.LeftAlone as err:
            result.left_alone.append(err)
            continue
        result.outcomes.append(outcome)
        say(f"{target.name}: " + (f"downloaded ({size_words(outcome.record.size)})"
                                   if outcome.changed else "unchanged"))  # fmt: skip
    listed = {resource.file_name for resource in resources}
    for path, record in manifest.fetched_files(result.folder):
        ours = record.source == SOURCE and path.parent == result.folder
        if ours and path.name not in listed and manifest.remove_ours(path):
            result.removed.append(path)
            say(f"{path.name}: removed (no longer listed by the London Datastore)")
    return result


def list_resources(address: str, body: bytes, base: str) -> list[Resource]:
    """Every resource of the dataset's metadata (JSON) or page (HTML)."""
    text = body.decode("utf-8", errors="replace").lstrip("\ufeff").lstrip()
    if text.startswith(("{", "[")):
        try:
            document = json.loads(text)
        except ValueError as err:
            raise LayoutChanged(address, f"not valid JSON ({err})") from err
        return _from_json(address, document, base)
    if text[:1] == "<":
        return _from_page(text, base)
    raise LayoutChanged(address, "neither the dataset's metadata (JSON) nor its page (HTML)")


def wanted(address: str, resources: list[Resource]) -> list[Resource]:
    """The borough and ward level CSV files among the resources, each with its own name."""
    found: list[Resource] = []
    names: set[str] = set()
    addresses: set[str] = set()
    for resource in resources:
        words = " ".join(re.sub(r"[_+-]", " ", f"{resource.title} {resource.file_name}").split())
        if not WANTED.search(words.casefold()) or not resource.file_name.lower().endswith(".csv"):
            continue
        if resource.url in addresses:  # listed twice: fetched once
            continue
        addresses.add(resource.url)
        name, number = resource.file_name, 2
        while name.casefold() in names:
            stem = resource.file_name[: -len(".csv")]
            name, number = f"{stem} ({number}).csv", number + 1
        names.add(name.casefold())
        found.append(Resource(resource.title, resource.url, name))
    if not found:
        raise LayoutChanged(
            address,
            f"lists {len(resources)} file(s), none of them 'MPS Borough Level Crime' or 'MPS "
            "Ward Level Crime' in CSV",
        )
    return found


def _from_json(address: str, document: Any, base: str) -> list[Resource]:
    if isinstance(document, dict) and "result" in document:  # the CKAN action API
        if document.get("success") is False:
            error = document.get("error")
            message = error.get("message") if isinstance(error, dict) else error
            raise FetchError(f"{address}: the Datastore says: {message or 'no success'}")
        document = document["result"]
    listed = document.get("resources") if isinstance(document, dict) else None
    if isinstance(listed, dict):  # the Datastore's own API: resources keyed by their id
        listed = list(listed.values())
    if not isinstance(listed, list):
        raise LayoutChanged(address, "no list of 'resources' in the metadata")
    found = []
    for item in listed:
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            continue
        url = urllib.parse.urljoin(base, item["url"].strip())
        title = next((str(item[k]) for k in ("title", "name", "description") if item.get(k)), "")
        named = item.get("filename") if isinstance(item.get("filename"), str) else None
        file_name = safe_name(named or _last_segment(url), title, item.get("format"))
        found.append(Resource(title, url, file_name))
    if listed and not found:
        raise LayoutChanged(address, "its resources have no 'url'")
    return found


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def _from_page(text: str, base: str) -> list[Resource]:
    parser = _Links()
    parser.feed(text)
    found, seen = [], set()
    for href, words in parser.links:
        url = urllib.parse.urljoin(base, href.strip())
        segment = _last_segment(url)
        if not segment.lower().endswith(".csv") or url in seen:
            continue
        seen.add(url)
        found.append(Resource(words, url, safe_name(segment, words, "csv")))
    return found


def _last_segment(url: str) -> str:
    path = urllib.parse.urlsplit(url).path
    return urllib.parse.unquote(path.rstrip("/").rsplit("/", 1)[-1])


def safe_name(name: str, title: str, file_format: object) -> str:
    """A file name to save a resource as: its own name, never a path (no folders, no
    ``..``, no control or reserved characters), ending in .csv for a CSV resource."""
    shown = " ".join(_UNSAFE.sub(" ", name).split()).strip(". ")
    if not shown:
        shown = " ".join(_UNSAFE.sub(" ", title).split()).strip(". ") or "resource"
    is_csv = "csv" in str(file_format or "").lower()  # "CSV", ".csv", "text/csv"
    if is_csv and not shown.lower().endswith(".csv"):
        shown += ".csv"
    return shown[:200]


def check_counts(part: Path, url: str) -> None:
    """A downloaded file must be crime counts policing reads (not an error page served
    with 200, nor a file whose layout changed): else it is not put in place."""
    from policing_cli.loaders.csv_text import sniff
    from policing_cli.loaders.layout import Kind
    from policing_cli.loaders.layouts import detect

    try:
        sniffed = sniff(part)
        layout = detect(part, sniffed)
    except InputFormatError as err:
        raise FetchError(
            f"{url}: downloaded, but not a crime file policing reads ({err.problem[:120]}): "
            "kept the file in place as it was"
        ) from err
    if layout.kind is not Kind.COUNTS:
        raise FetchError(
            f"{url}: downloaded, but it holds {layout.name}, not crime counts: kept the file "
            "in place as it was"
        )

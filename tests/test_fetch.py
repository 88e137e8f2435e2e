"""``policing fetch`` against a local HTTP server (tests/fetch_server.py), never the network:
the London Datastore's metadata pointing at real London files, and a data.police.uk archive
built here from real street files of three forces; conditional requests, range requests on
and off, errors, bodies cut short, slow answers; and the reports that read what was fetched
give the figures a report on the same files gives."""

from __future__ import annotations

import hashlib
import io
import json
import socket
import struct
import zipfile
from pathlib import Path

import pytest

from policing_cli import __version__
from policing_cli.cli import main
from policing_cli.fetch import http, london, manifest, remote_zip
from tests.conftest import REAL, SAMPLE
from tests.fetch_server import FakeServer, Served

MODIFIED = "Wed, 05 Mar 2025 09:00:00 GMT"
#: The London files served, by the names the Datastore gives them, and the real files.
LONDON = {
    "MPS Borough Level Crime (most recent 24 months).csv": SAMPLE
    / "MPS_Borough_Level_Crime_most_recent_24_months_2023-03_to_2025-02.csv",
    "MPS Borough Level Crime (Historical).csv": SAMPLE
    / "MPS_Borough_Level_Crime_Historical_2010-04_to_2023-09.csv",
    "MPS Ward Level Crime (most recent 24 months).csv": REAL
    / "london-datastore"
    / "MPS_Ward_Level_Crime_most_recent_24_months_2024-03_to_2026-03.csv",
}
#: Street files put in the test archive, by member name.
STREET = {
    **{
        f"2020-{m:02d}/2020-{m:02d}-north-wales-street.csv": REAL
        / "police-uk"
        / "north-wales"
        / f"2020-{m:02d}-north-wales-street.csv"
        for m in range(7, 12)
    },
    "2023-12/2023-12-city-of-london-street.csv": REAL
    / "police-uk"
    / "2023-12-city-of-london-street.csv",
    "2024-12/2024-12-city-of-london-street.csv": REAL
    / "police-uk"
    / "2024-12-city-of-london-street.csv",
    "2023-01/2023-01-metropolitan-street.csv": REAL
    / "police-uk"
    / "2023-01-metropolitan-street_SAMPLE_first4000rows.csv",
    "2016-06/2016-06-metropolitan-stop-and-search.csv": REAL
    / "police-uk"
    / "2016-06-metropolitan-stop-and-search.csv",
}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def download_path(name: str, number: int) -> str:
    from urllib.parse import quote

    return f"/download/recorded_crime_summary/{number:04d}-id/{quote(name)}"


@pytest.fixture(autouse=True)
def _quick_retries_and_no_proxy(monkeypatch):
    """Back-off waits of milliseconds, not seconds; and the local server asked directly,
    whatever proxy the machine running the tests is told to use."""
    monkeypatch.setattr(http, "BACKOFF_SECONDS", 0.01)
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                 "ALL_PROXY"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server():
    with FakeServer() as running:
        yield running


def serve_london(server: FakeServer, shape: str = "ckan", names=tuple(LONDON)) -> str:
    """The London files and a metadata document of ``shape`` listing them (with an LSOA
    file, a workbook and a PDF that must be left out); the metadata's address."""
    resources = []
    for number, name in enumerate(names, 1):
        path = download_path(name, number)
        server.serve(path, Served(LONDON[name].read_bytes(), etag=f'"v1-{number}"',
                                  last_modified=MODIFIED, content_type="text/csv"))  # fmt: skip
        resources.append((name[: -len(".csv")], server.url(path), "csv"))
    resources += [
        ("MPS LSOA Level Crime (most recent 24 months)", server.url("/d/lsoa.csv"), "csv"),
        ("MPS Borough Level Crime (dashboard)", server.url("/d/dashboard.xlsx"), "xlsx"),
        ("Notes on the data", server.url("/d/notes.pdf"), "pdf"),
    ]
    if shape == "ckan":
        document = {"success": True, "result": {"name": "recorded_crime_summary", "resources": [
            {"name": t, "url": u, "format": f.upper()} for t, u, f in resources]}}  # fmt: skip
        path = "/api/action/package_show?id=recorded_crime_summary"
    elif shape == "datastore":
        document = {"id": "recorded_crime_summary", "title": "Recorded Crime", "resources": {
            f"r{i}": {"title": t, "url": u, "format": f, "order": i}
            for i, (t, u, f) in enumerate(resources)}}  # fmt: skip
        path = "/api/dataset/recorded_crime_summary"
    else:  # the dataset's web page
        links = "".join(f'<li><a href="{u}">{t}</a></li>' for t, u, _f in resources)
        document = None
        page = f"<html><body><h1>Recorded Crime</h1><ul>{links}</ul></body></html>"
        server.serve("/dataset/recorded_crime_summary", Served(page.encode(),
                                                               content_type="text/html"))  # fmt: skip
        return server.url("/dataset/recorded_crime_summary")
    server.serve(path, Served(json.dumps(document).encode(), content_type="application/json"))
    return server.url(path)


def run(runner, *args: str):
    return runner.invoke(main, list(args))


def fetched_london(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (folder / "london").glob("*.csv")}


# -- the London Datastore --------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["ckan", "datastore", "page"])
def test_london_files_found_from_the_metadata_and_fetched_whole(
    runner, server, tmp_path, monkeypatch, shape
):
    monkeypatch.setenv("POLICING_FETCH_LONDON", serve_london(server, shape))
    result = run(runner, "fetch", "london", "--into", str(tmp_path))
    assert result.exit_code == 0, result.output
    got = fetched_london(tmp_path)
    assert got == {name: path.read_bytes() for name, path in LONDON.items()}
    for name, data in got.items():
        record = manifest.read_record(tmp_path / "london" / name)
        assert record is not None and record.source == "london"
        assert (record.size, record.sha256) == (len(data), sha(data))
        assert record.etag and record.etag.startswith('"v1-') and record.last_modified == MODIFIED
        assert record.address.startswith(server.url("/download/recorded_crime_summary/"))
        assert record.fetched_at.endswith("Z")
    # Neither the LSOA file, nor the workbook, nor the PDF was asked for.
    assert not [r for r in server.requests if r.path.startswith("/d/")]
    assert f"fetch london -> {tmp_path / 'london'}: 3 file(s), 3 downloaded, 0 unchanged" in (
        result.stderr
    )
    # Politely: one request at a time, each naming the tool and its version.
    assert server.state.most_active == 1
    assert {r.headers.get("User-Agent") for r in server.requests} == {f"policing/{__version__}"}


def test_a_rerun_asks_conditionally_and_downloads_only_what_changed(
    runner, server, tmp_path, monkeypatch
):
    monkeypatch.setenv("POLICING_FETCH_LONDON", serve_london(server))
    assert run(runner, "fetch", "london", "--into", str(tmp_path)).exit_code == 0
    folder = tmp_path / "london"
    times = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.csv")}
    before = len(server.requests)
    result = run(runner, "fetch", "london", "--into", str(tmp_path))
    assert result.exit_code == 0, result.output
    again = server.requests[before + 1 :]  # after the metadata
    assert [r.status for r in again] == [304, 304, 304]
    assert all(r.headers.get("If-None-Match", "").startswith('"v1-') for r in again)
    assert all(r.headers.get("If-Modified-Since") == MODIFIED for r in again)
    assert "0 downloaded, 3 unchanged" in result.stderr
    assert {p.name: p.stat().st_mtime_ns for p in folder.glob("*.csv")} == times
    # A new release of one file: only it is downloaded.
    name = "MPS Borough Level Crime (most recent 24 months).csv"
    newer = REAL / "london-datastore" / "MPS_Borough_Level_Crime_most_recent_24_months_2024-07_to_2026-06.csv"  # fmt: skip
    served = server.state.served[download_path(name, 1)]
    served.body, served.etag = newer.read_bytes(), '"v2-1"'
    before = len(server.requests)
    result = run(runner, "fetch", "london", "--into", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert [r.status for r in server.requests[before + 1 :]] == [200, 304, 304]
    assert (folder / name).read_bytes() == newer.read_bytes()
    assert manifest.read_record(folder / name).etag == '"v2-1"'
    assert "1 downloaded, 2 unchanged" in result.stderr


def test_a_server_without_validators_rewrites_nothing_unchanged(
    runner, server, tmp_path, monkeypatch
):
    monkeypatch.setenv("POLICING_FETCH_LONDON", serve_london(server))
    for served in server.state.served.values():
        served.etag = served.last_modified = None
    assert run(runner, "fetch", "london", "--into", str(tmp_path)).exit_code == 0
    times = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "london").glob("*.csv")}
    result = run(runner, "fetch", "london", "--into", str(tmp_path))
    assert result.exit_code == 0 and "0 downloaded, 3 unchanged" in result.stderr
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "london").glob("*.csv")} == times


def test_a_file_no_longer_listed_is_removed_but_only_ours(runner, server, tmp_path, monkeypatch):
    address = serve_london(server)
    monkeypatch.setenv("POLICING_FETCH_LONDON", address)
    assert run(runner, "fetch", "london", "--into", str(tmp_path)).exit_code == 0
    own = tmp_path / "london" / "my own counts.csv"
    own.write_text("area,period,category,count\nBexley,2024-01,Robbery,3\n")
    monkeypatch.setenv("POLICING_FETCH_LONDON", serve_london(server, names=tuple(LONDON)[:2]))
    result = run(runner, "fetch", "london", "--into", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "MPS Ward Level Crime (most recent 24 months).csv: removed" in result.stderr
    assert sorted(fetched_london(tmp_path)) == sorted([*tuple(LONDON)[:2], own.name])
    assert not (tmp_path / "london" / (tuple(LONDON)[2] + manifest.SUFFIX)).exists()


def test_the_users_own_files_are_left_alone(runner, server, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICING_FETCH_LONDON", serve_london(server))
    folder = tmp_path / "london"
    folder.mkdir()
    mine = folder / "MPS Borough Level Crime (Historical).csv"
    mine.write_bytes(LONDON["MPS Borough Level Crime (most recent 24 months).csv"].read_bytes())
    result = run(runner, "fetch", "london", "--into", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"Error: {mine}: was not written by policing fetch: left alone (move it away, then "
        "fetch again to get the current file)"
    )
    assert mine.read_bytes() == LONDON["MPS Borough Level Crime (most recent 24 months).csv"].read_bytes()  # fmt: skip
    assert len(fetched_london(tmp_path)) == 3  # the others were fetched
    # A file of ours changed by hand since is the user's too.
    mine.unlink()
    assert run(runner, "fetch", "london", "--into", str(tmp_path)).exit_code == 0
    edited = folder / "MPS Ward Level Crime (most recent 24 months).csv"
    edited.write_bytes(edited.read_bytes()[:1000])
    result = run(runner, "fetch", "london", "--into", str(tmp_path), "-q")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {edited}: has been changed since policing fetch wrote it: left alone (move it "
        "away, then fetch again to get the current file)\n"
    )
    assert len(edited.read_bytes()) == 1000


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b'{"success": true, "result": {"title": "Recorded Crime"}}',
         "no list of 'resources' in the metadata"),
        (b'{"resources": [{"title": "MPS Borough Level Crime", "url": "/x.xlsx", "format": "xlsx"}]}',
         "lists 1 file(s), none of them 'MPS Borough Level Crime' or 'MPS Ward Level Crime' in CSV"),
        (b"<html><body><p>We have moved our datasets.</p></body></html>",
         "lists 0 file(s), none of them 'MPS Borough Level Crime' or 'MPS Ward Level Crime' in CSV"),
        (b"MajorText,MinorText\n", "neither the dataset's metadata (JSON) nor its page (HTML)"),
        (b'{"resources": [', "not valid JSON"),
    ],
    ids=["no-resources", "no-csv", "page-without-links", "not-metadata", "broken-json"],
)  # fmt: skip
def test_a_changed_page_layout_is_one_line_error_and_nothing_written(
    runner, server, tmp_path, document, message
):
    server.serve("/meta", Served(document))
    result = runner.invoke(main, ["fetch", "london", "--into", str(tmp_path)],
                           env={"POLICING_FETCH_LONDON": server.url("/meta")})  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "the London Datastore's page layout may have changed" in result.stderr
    assert not (tmp_path / "london").exists()


def test_a_file_that_is_not_crime_counts_is_not_put_in_place(runner, server, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICING_FETCH_LONDON", serve_london(server))
    assert run(runner, "fetch", "london", "--into", str(tmp_path)).exit_code == 0
    name = "MPS Borough Level Crime (Historical).csv"
    served = server.state.served[download_path(name, 2)]
    served.body, served.etag = b"<html><body>Service unavailable</body></html>", '"v2-2"'
    result = run(runner, "fetch", "london", "--into", str(tmp_path))
    assert result.exit_code == 1
    assert "downloaded, but not a crime file policing reads" in result.stderr
    assert result.stderr.strip().count("\n") == 0 or result.stderr.splitlines()[-1].startswith(
        "Error:"
    )
    assert (tmp_path / "london" / name).read_bytes() == LONDON[name].read_bytes()
    assert not list((tmp_path / "london").glob("*.part"))


def test_the_address_from_the_config_file_and_the_data_folder_setting(
    runner, server, tmp_path, monkeypatch
):
    address = serve_london(server, "datastore")
    config = tmp_path / "config.toml"
    into = tmp_path / "my data"
    config.write_text(f'[fetch]\nlondon = "{address}"\ninto = "{into}"\n')
    monkeypatch.setenv("POLICING_CONFIG", str(config))
    result = run(runner, "fetch", "london")
    assert result.exit_code == 0, result.output
    assert len(fetched_london(into)) == 3
    shown = run(runner, "config", "show").stdout
    assert f"fetch.london = {address}    [config file {config}" in shown
    # The environment wins over the config file.
    monkeypatch.setenv("POLICING_FETCH_LONDON", server.url("/nowhere"))
    result = run(runner, "fetch", "london")
    assert result.exit_code == 1 and "/nowhere: HTTP 404" in result.stderr
    config.write_text("[fetch]\nlondn = 'x'\n")
    result = run(runner, "fetch", "london")
    assert result.exit_code == 1
    assert "unknown setting 'fetch.londn': expected one of into, london, police_uk" in result.stderr


# -- failures -------------------------------------------------------------------------------


def test_a_500_then_success_is_retried(runner, server, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICING_FETCH_LONDON", serve_london(server))
    server.state.served["/api/action/package_show?id=recorded_crime_summary"].errors = 1
    server.state.served[download_path("MPS Borough Level Crime (Historical).csv", 2)].errors = 2
    result = run(runner, "fetch", "london", "--into", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert [r.status for r in server.requests].count(500) == 3
    assert len(fetched_london(tmp_path)) == 3


def test_errors_to_the_end_are_one_line_and_nothing_half_written(
    runner, server, tmp_path, monkeypatch
):
    monkeypatch.setenv("POLICING_FETCH_LONDON", serve_london(server))
    name = "MPS Borough Level Crime (Historical).csv"
    server.state.served[download_path(name, 2)].errors = 10
    result = run(runner, "fetch", "london", "--into", str(tmp_path), "-q")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {server.url(download_path(name, 2))}: HTTP 500 Internal Server Error (gave up "
        "after 4 attempts)\n"
    )
    assert name not in fetched_london(tmp_path)
    assert not list((tmp_path / "london").glob("*.part"))


def test_a_404_is_not_retried(runner, server, tmp_path):
    result = runner.invoke(main, ["fetch", "london", "--into", str(tmp_path)],
                           env={"POLICING_FETCH_LONDON": server.url("/api/dataset/gone")})  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == f"Error: {server.url('/api/dataset/gone')}: HTTP 404 Not Found\n"
    assert len(server.requests) == 1


@pytest.mark.parametrize("ranges", [True, False], ids=["ranges", "no-ranges"])
def test_a_body_cut_off_half_way_is_resumed_or_restarted(
    runner, server, tmp_path, monkeypatch, ranges
):
    monkeypatch.setenv("POLICING_FETCH_LONDON", serve_london(server))
    server.ranges = ranges
    name = "MPS Borough Level Crime (Historical).csv"
    path = download_path(name, 2)
    server.state.served[path].cut = 1
    result = run(runner, "fetch", "london", "--into", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "london" / name).read_bytes() == LONDON[name].read_bytes()
    tries = [r for r in server.requests if r.path == path]
    assert len(tries) == 2
    size = len(LONDON[name].read_bytes())
    if ranges:  # the second asks for the rest only, of the same version
        assert tries[1].headers["Range"] == f"bytes={size // 2}-"
        assert tries[1].headers["If-Range"] == '"v1-2"'
        assert tries[1].status == 206 and tries[1].sent == size - size // 2
    else:  # no ranges: from the start again
        assert "Range" not in tries[1].headers and tries[1].sent == size


def test_an_interrupted_download_is_resumed_by_the_next_run(runner, server, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICING_FETCH_LONDON", serve_london(server))
    name = "MPS Borough Level Crime (Historical).csv"
    path = download_path(name, 2)
    server.state.served[path].cut = 4
    result = run(runner, "fetch", "london", "--into", str(tmp_path), "-q")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {server.url(path)}: the download was cut short (")
    assert "(gave up after 4 attempts)" in result.stderr
    assert not (tmp_path / "london" / name).exists()  # no partial file where the whole goes
    part = tmp_path / "london" / (name + manifest.PART)
    assert 0 < part.stat().st_size < len(LONDON[name].read_bytes())
    result = run(runner, "fetch", "london", "--into", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "london" / name).read_bytes() == LONDON[name].read_bytes()
    assert not part.exists()
    last = [r for r in server.requests if r.path == path][-1]
    assert last.headers["Range"] == f"bytes={part_size(LONDON[name])}-" and last.status == 206


def part_size(path: Path) -> int:
    """What four cuts at half of what was asked leave: half, then half the rest ..."""
    size, kept = len(path.read_bytes()), 0
    for _ in range(4):
        kept += (size - kept) // 2
    return kept


def test_a_slow_server_times_out(runner, server, tmp_path, monkeypatch):
    monkeypatch.setattr(http, "ATTEMPTS", 2)
    server.serve("/meta", Served(b"{}", delay=1.5))
    result = runner.invoke(
        main, ["fetch", "london", "--into", str(tmp_path), "--timeout", "0.3"],
        env={"POLICING_FETCH_LONDON": server.url("/meta")},
    )  # fmt: skip
    assert result.exit_code == 1
    host = server.url("/")[len("http://") : -1]
    assert result.stderr == (
        f"Error: {host}: no answer for 0.3 seconds (timed out) (gave up after 2 attempts)\n"
    )


def test_offline_and_a_name_not_found_are_one_line_errors(runner, tmp_path, monkeypatch):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = runner.invoke(main, ["fetch", "london", "--into", str(tmp_path)],
                           env={"POLICING_FETCH_LONDON": f"http://127.0.0.1:{port}/meta"})  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: 127.0.0.1:{port}: connection refused (is the server up, is this machine "
        "online?) (gave up after 4 attempts)\n"
    )

    def no_such_name(*_args, **_kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    result = runner.invoke(main, ["fetch", "london", "--into", str(tmp_path)],
                           env={"POLICING_FETCH_LONDON": "https://data.london.example/meta"})  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: data.london.example: no such server (name lookup failed): check the address, "
        "and that this machine is online\n"
    )
    assert not (tmp_path / "london").exists()


def test_an_address_that_is_not_http_is_refused(runner, tmp_path):
    result = runner.invoke(main, ["fetch", "london", "--into", str(tmp_path)],
                           env={"POLICING_FETCH_LONDON": "ftp://example.org/x"})  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: POLICING_FETCH_LONDON / [fetch] london: 'ftp://example.org/x' is not an "
        "http:// or https:// address\n"
    )


def test_one_fetch_at_a_time_into_a_folder(runner, server, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICING_FETCH_LONDON", serve_london(server))
    with manifest.folder_lock(tmp_path):
        result = run(runner, "fetch", "london", "--into", str(tmp_path))
    assert result.exit_code == 1
    assert "another policing fetch is writing into this folder" in result.stderr
    assert not server.requests


def test_quiet_prints_nothing_and_no_progress_bar_off_a_terminal(
    runner, server, tmp_path, monkeypatch
):
    monkeypatch.setenv("POLICING_FETCH_LONDON", serve_london(server))
    result = run(runner, "fetch", "london", "--into", str(tmp_path), "-q")
    assert result.exit_code == 0 and result.stderr == "" and result.stdout == ""
    result = run(runner, "fetch", "london", "--into", str(tmp_path))
    assert "\r" not in result.stderr and "\x1b" not in result.stderr  # no bar when piped


def test_the_progress_bar_is_for_terminals_only(monkeypatch):
    from policing_cli.commands import fetch as command

    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    with command._progress(quiet=False) as bar:
        assert isinstance(bar, command._Bar)
        bar.start("x.csv", 1000)
        bar.advance(500)
        bar.finish()
    with command._progress(quiet=True) as bar:
        assert isinstance(bar, http.NoProgress)


# -- reports read what was fetched ------------------------------------------------------------


def report_json(runner, *args: str) -> dict:
    result = runner.invoke(main, ["report", *args, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_report_reads_the_fetched_folder_with_the_same_figures(
    runner, server, tmp_path, monkeypatch, fresh_memo
):
    monkeypatch.setenv("POLICING_FETCH_LONDON", serve_london(server))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home"))  # this test's own
    result = run(runner, "fetch", "london")  # into the platform's data folder
    assert result.exit_code == 0, result.output
    folder = tmp_path / "home" / "policing" / "data"
    assert len(fetched_london(folder)) == 3
    for area, period in (("bexley", "2023/24"), ("london", "12m:2025-02")):
        fetched = report_json(runner, area, "--period", period)
        direct = report_json(runner, area, "--period", period,
                             *[a for p in LONDON.values() for a in ("--data", str(p))])  # fmt: skip
        assert fetched["rows"] == direct["rows"]
        assert sorted(s["months"] for s in fetched["sources"]) == sorted(
            s["months"] for s in direct["sources"]
        )
        assert {s["file"] for s in fetched["sources"]} <= set(LONDON)
    text = runner.invoke(
        main, ["report", "bexley", "--period", "2023/24", "--format", "text"]
    ).stdout
    assert "Data:          fetched from the London Datastore by policing fetch (last" in text
    assert "MPS Borough Level Crime (Historical).csv: 2022-04..2023-02" in text
    # --data still means what it says: no word of the fetched folder.
    text = runner.invoke(main, ["report", "bexley", "--format", "text", "--data",
                                str(LONDON["MPS Borough Level Crime (Historical).csv"])]).stdout  # fmt: skip
    assert "Data:" not in text and "fetched" not in text


def test_the_cron_line(runner, server, tmp_path, monkeypatch, fresh_memo):
    """``policing fetch london -q && policing snapshot -q -o reports/``: current reports, no
    hand work, nothing said when all is well."""
    into = tmp_path / "data"
    monkeypatch.setenv("POLICING_FETCH_LONDON", serve_london(server))
    monkeypatch.setenv("POLICING_FETCH_INTO", str(into))
    result = run(runner, "fetch", "london", "-q")
    assert (result.exit_code, result.stderr) == (0, "")
    reports = tmp_path / "reports"
    result = run(runner, "snapshot", "-q", "-o", str(reports), "--period", "2023/24")
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    bexley = (reports / "2023-24" / "bexley.md").read_text(encoding="utf-8")
    assert "fetched from the London Datastore by policing fetch" in bexley
    assert "MPS Borough Level Crime (most recent 24 months).csv" in bexley


def test_without_fetched_files_the_bundled_sample_is_read(
    runner, tmp_path, monkeypatch, fresh_memo
):
    monkeypatch.setenv("POLICING_FETCH_INTO", str(tmp_path / "empty"))
    (tmp_path / "empty" / "london").mkdir(parents=True)  # a folder, but nothing fetched
    got = report_json(runner, "bexley")
    assert got["sources"][0]["file"].startswith("MPS_Borough_Level_Crime_")


# -- data.police.uk ---------------------------------------------------------------------------


def build_archive(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def street_members(**replaced: bytes) -> dict[str, bytes]:
    return {name: replaced.get(name, path.read_bytes()) for name, path in STREET.items()}


@pytest.fixture
def archive(server, monkeypatch):
    """data.police.uk's archive for 2024-12 on the local server."""
    body = build_archive(street_members())
    served = server.serve("/data/archive/2024-12.zip",
                          Served(body, etag='"a1"', last_modified=MODIFIED))  # fmt: skip
    monkeypatch.setenv("POLICING_FETCH_POLICE_UK", server.url("/data/archive/{month}.zip"))
    return served


def test_the_whole_archive_is_kept_as_it_is(runner, server, archive, tmp_path, fresh_memo):
    result = run(runner, "fetch", "police-uk", "--month", "2024-12", "--into", str(tmp_path))
    assert result.exit_code == 0, result.output
    kept = tmp_path / "police-uk" / "2024-12.zip"
    assert kept.read_bytes() == archive.body
    assert manifest.read_record(kept).etag == '"a1"'
    result = run(runner, "fetch", "police-uk", "--month", "2024-12", "--into", str(tmp_path))
    assert "0 downloaded, 1 unchanged" in result.stderr and server.requests[-1].status == 304
    fetched = report_json(runner, "city of london police", "--period", "2024-12",
                          "--data", str(tmp_path))  # fmt: skip
    # The same files, given directly: every street file of the archive.
    direct = report_json(runner, "city of london police", "--period", "2024-12",
                         *[a for p in STREET.values() for a in ("--data", str(p))])  # fmt: skip
    assert fetched["rows"] == direct["rows"]


@pytest.mark.parametrize("ranges", [True, False], ids=["ranges", "no-ranges"])
def test_some_forces_only(runner, server, archive, tmp_path, ranges, fresh_memo):
    server.ranges = ranges
    result = run(runner, "fetch", "police-uk", "--month", "2024-12", "--into", str(tmp_path),
                 "--force", "North Wales Police", "--force", "city-of-london")  # fmt: skip
    assert result.exit_code == 0, result.output
    folder = tmp_path / "police-uk"
    kept = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.csv"))
    wanted = sorted(n for n in STREET if "north-wales" in n or "city-of-london" in n)
    assert kept == wanted
    for name in wanted:  # extracted byte for byte
        assert (folder / name).read_bytes() == STREET[name].read_bytes()
        record = manifest.read_record(folder / name)
        assert (record.member, record.etag) == (name, '"a1"')
    assert not list(folder.glob("*.zip*")) and not list(folder.rglob("*.part"))
    if ranges:  # the directory and those members, not the archive
        assert all(r.status == 206 for r in server.requests)
        infos = {i.filename: i for i in zipfile.ZipFile(io.BytesIO(archive.body)).infolist()}
        starts = {r.headers["Range"].split("=")[1].split("-")[0] for r in server.requests}
        assert starts == {""} | {str(infos[n].header_offset) for n in wanted}  # "" = the end
        most = remote_zip.TAIL_BYTES + sum(
            infos[n].compress_size + 30 + len(n) + len(infos[n].extra) + 1024 + 1 for n in wanted
        )
        assert server.sent() <= most
        assert "streamed whole" not in result.stderr
    else:
        assert [r.status for r in server.requests][-1] == 200
        assert "(the server answers no range requests: streamed whole)" in result.stderr
    fetched = report_json(runner, "north wales", "--period", "2020-11", "--data", str(tmp_path))
    direct = report_json(runner, "north wales", "--period", "2020-11",
                         *[a for n in wanted for a in ("--data", str(STREET[n]))])  # fmt: skip
    assert fetched["rows"] == direct["rows"]


def test_a_rerun_for_the_same_forces_asks_first(runner, server, archive, tmp_path):
    args = [
        "fetch",
        "police-uk",
        "--month",
        "2024-12",
        "--into",
        str(tmp_path),
        "--force",
        "north wales",
    ]
    assert run(runner, *args).exit_code == 0
    before = len(server.requests)
    result = run(runner, *args)
    assert result.exit_code == 0, result.output
    assert [r.status for r in server.requests[before:]] == [304]
    assert server.requests[-1].headers["If-None-Match"] == '"a1"'
    assert "not modified since the last fetch: nothing to do" in result.stderr
    # A new archive where one member was revised: only it is fetched again.
    first = "2024-12/2024-12-city-of-london-street.csv"
    lines = STREET[first].read_bytes().splitlines(keepends=True)
    archive.body = build_archive(street_members(**{first: b"".join(lines[:500])}))
    archive.etag = '"a2"'
    both = [*args, "--force", "city of london"]
    assert run(runner, *both).exit_code == 0
    archive.body, archive.etag = build_archive(street_members()), '"a3"'
    before = len(server.requests)
    result = run(runner, *both)
    assert result.exit_code == 0, result.output
    assert "1 downloaded, 6 unchanged" in result.stderr
    assert (tmp_path / "police-uk" / first).read_bytes() == STREET[first].read_bytes()


def test_an_unknown_force_is_a_usage_error_and_a_missing_month_an_http_error(
    runner, server, archive, tmp_path
):
    result = run(runner, "fetch", "police-uk", "--month", "2024-12", "--into", str(tmp_path),
                 "--force", "north walse")  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: no force 'north walse' in {server.url('/data/archive/2024-12.zip')}: did you "
        "mean 'north-wales'?\n"
    )
    assert not list((tmp_path / "police-uk").rglob("*.csv"))
    result = run(runner, "fetch", "police-uk", "--month", "2024-11", "--into", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: {server.url('/data/archive/2024-11.zip')}: HTTP 404 Not Found (no archive for "
        "that month"
    )


@pytest.mark.parametrize(
    ("month", "message"),
    [("2024-13", "'2024-13' is not a month"), ("2999-01", "2999-01 has not begun yet"),
     ("last", "'last' is not a month: expected YYYY-MM (2025-01) or 'latest'")],
)  # fmt: skip
def test_bad_months_are_usage_errors(runner, tmp_path, month, message):
    result = run(runner, "fetch", "police-uk", "--month", month, "--into", str(tmp_path))
    assert result.exit_code == 2 and message in result.stderr


def test_latest_and_an_address_template_without_its_month(
    runner, server, archive, tmp_path, monkeypatch
):
    server.serve("/data/archive/latest.zip", archive)
    result = run(runner, "fetch", "police-uk", "--month", "latest", "--into", str(tmp_path),
                 "--force", "metropolitan police service")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "police-uk" / "2023-01" / "2023-01-metropolitan-street.csv").is_file()
    monkeypatch.setenv("POLICING_FETCH_POLICE_UK", server.url("/data/archive/latest.zip"))
    result = run(runner, "fetch", "police-uk", "--month", "latest", "--into", str(tmp_path))
    assert result.exit_code == 1 and "has no {month} where the month goes" in result.stderr


# -- the zip directory ------------------------------------------------------------------------


def as_zip64(data: bytes) -> bytes:
    """The same archive with zip64 end records (as archives over 4 GB have), the classic
    end record's fields set to their 'see zip64' values."""
    at = data.rfind(b"PK\x05\x06")
    fields = struct.unpack_from("<4sHHHHIIH", data, at)
    entries, cd_size, cd_offset = fields[4], fields[5], fields[6]
    record = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries,
                         cd_size, cd_offset)  # fmt: skip
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, at, 1)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF,
                      0xFFFFFFFF, 0)  # fmt: skip
    return data[:at] + record + locator + end


@pytest.mark.parametrize("zip64", [False, True], ids=["zip", "zip64"])
@pytest.mark.parametrize("tail", [200, 100_000], ids=["short-tail", "whole-tail"])
def test_the_directory_read_from_the_end(zip64, tail):
    data = build_archive(street_members())
    if zip64:
        data = as_zip64(data)
    expected = [(i.filename, i.CRC, i.compress_size, i.file_size, i.header_offset)
                for i in zipfile.ZipFile(io.BytesIO(data)).infolist()]  # fmt: skip
    start = max(0, len(data) - tail)
    members = remote_zip.parse_directory("x.zip", data[start:], start,
                                         lambda a, b: data[a : b + 1])  # fmt: skip
    assert [(m.name, m.crc, m.compressed, m.size, m.offset) for m in members] == expected


def test_a_member_inflated_from_its_bytes_is_checked():
    data = build_archive(street_members())
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("2023-12/2023-12-city-of-london-street.csv")
    member = remote_zip.Member(info.filename, info.compress_type, info.flag_bits, info.CRC,
                               info.compress_size, info.file_size, info.header_offset)  # fmt: skip
    window = data[info.header_offset :]
    blocks = (window[i : i + 1000] for i in range(0, len(window), 1000))
    got = b"".join(remote_zip._inflate("x.zip", member, blocks))
    assert got == STREET[info.filename].read_bytes()
    damaged = remote_zip.Member(member.name, member.method, member.flags, member.crc ^ 1,
                                member.compressed, member.size, member.offset)  # fmt: skip
    with pytest.raises(http.Retry, match="damaged in transfer"):
        b"".join(remote_zip._inflate("x.zip", damaged, iter([window])))


@pytest.mark.parametrize(
    ("name", "expected"),
    [("MPS Borough Level Crime (Historical).csv", "MPS Borough Level Crime (Historical).csv"),
     ("../../etc/passwd", "etc passwd.csv"), ("a/b\\c:d.csv", "a b c d.csv"),
     ("", "MPS Ward Level Crime.csv"), ("x\x1b[31m.csv", "x [31m.csv")],
)  # fmt: skip
def test_names_to_save_as_are_never_paths(name, expected):
    assert london.safe_name(name, "MPS Ward Level Crime", "CSV") == expected


@pytest.mark.parametrize(
    ("title", "url", "file_format", "kept"),
    [("MPS Borough Level Crime (Historical)", "/d/1/MPS%20Borough%20Level%20Crime%20%28Historical%29.csv",
      "CSV", "MPS Borough Level Crime (Historical).csv"),
     ("Ward level, most recent 24 months", "/d/2/MPS_Ward_Level_Crime_most_recent_24_months.csv",
      None, "MPS_Ward_Level_Crime_most_recent_24_months.csv"),
     ("mps-borough-level-crime-historical", "/d/3/data", "text/csv", "data.csv"),
     ("MPS LSOA Level Crime (Historical)", "/d/4/lsoa.csv", "csv", None),
     ("MPS Borough Level Crime (dashboard)", "/d/5/dashboard.xlsx", "xlsx", None)],
)  # fmt: skip
def test_which_resources_are_wanted(title, url, file_format, kept):
    document = {"resources": [{"title": title, "url": url, "format": file_format},
                              {"title": title, "url": url, "format": file_format}]}  # fmt: skip
    listed = london.list_resources("m", json.dumps(document).encode(), "https://x.example/")
    assert len(listed) == 2 and listed[0].url == "https://x.example" + url
    if kept is None:
        with pytest.raises(london.LayoutChanged):
            london.wanted("m", listed)
    else:  # listed twice, fetched once
        assert [r.file_name for r in london.wanted("m", listed)] == [kept]

"""`arsip serve`: Datasette really started on the archive, searching and running canned
queries, answering only its own host names, read-only, and gone when arsip is stopped."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.cli_helpers import ROOT, arsip, assert_one_line_error

pytest.importorskip("datasette")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.loads(resp.read())


def status(url: str, *, method: str = "GET", host: str | None = None) -> int:
    req = urllib.request.Request(url, method=method, data=b"x=1" if method == "POST" else None)
    if host:
        req.add_header("Host", host)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@contextlib.contextmanager
def serving(db: Path, tmp: Path):
    """`arsip serve` in a subprocess, yielded once Datasette answers; TMPDIR is `tmp`."""
    port = free_port()
    tmp.mkdir(exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "scraper.cli", "serve", "--db", str(db), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "TMPDIR": str(tmp)},
    )
    base = f"http://127.0.0.1:{port}/{db.stem}"
    try:
        deadline = time.monotonic() + 120  # a generous bound for a loaded machine
        while True:
            try:
                get_json(f"{base}.json")
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(proc.stderr.read().decode())
                if time.monotonic() > deadline:
                    pytest.fail("Datasette did not answer")
                time.sleep(0.2)
        yield proc, port, base
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=60)


def test_serve_searches_and_runs_canned_queries(archive_db, tmp_path):
    with serving(archive_db, tmp_path / "tmp") as (_proc, _port, base):
        found = get_json(f"{base}/articles.json?_search=leica&_shape=objects")
        assert [r["title"] for r in found["rows"]] == ["Xiaomi dan Leica Perpanjang Kemitraan"]
        months = get_json(f"{base}/articles_per_site_per_month.json?_shape=objects")
        assert {r["site"] for r in months["rows"]} == {"teknokita", "gawaiku"}
        flat = get_json(f"{base}/articles_flat.json?_shape=objects")
        assert len(flat["rows"]) == 3


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stopping_serve_stops_datasette_and_removes_its_folder(archive_db, tmp_path, sig):
    tmp = tmp_path / "tmp"
    with serving(archive_db, tmp) as (proc, port, _base):
        datasette = children(proc.pid)
        assert datasette, "arsip serve runs Datasette as a child process"
        assert list(tmp.iterdir()), "the metadata folder exists while serving"
        proc.send_signal(sig)
        assert proc.wait(timeout=60) == 0
        assert not port_open(port), "Datasette still serves after arsip serve stopped"
        assert not any(alive(pid) for pid in datasette)
        assert list(tmp.iterdir()) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl(PR_SET_PDEATHSIG)")
def test_datasette_stops_even_when_arsip_is_killed(archive_db, tmp_path):
    with serving(archive_db, tmp_path / "tmp") as (proc, port, _base):
        datasette = children(proc.pid)
        proc.kill()  # SIGKILL: arsip itself can do nothing
        proc.wait(timeout=60)
        deadline = time.monotonic() + 60
        while any(alive(pid) and not zombie(pid) for pid in datasette):
            assert time.monotonic() < deadline, "Datasette outlived a killed arsip serve"
            time.sleep(0.1)
        assert not port_open(port)


def zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True


def test_serve_answers_only_its_host_names_and_refuses_writes(archive_db, tmp_path):
    with serving(archive_db, tmp_path / "tmp") as (_proc, port, base):
        assert status(f"{base}.json", host=f"localhost:{port}") == 200
        # A page elsewhere that rebinds its own name to 127.0.0.1 sends its own Host.
        assert status(f"{base}.json", host=f"rebind.example:{port}") == 400
        for path in ("/articles", "/articles_per_site_per_month", ""):
            assert status(f"{base}{path}", method="POST") == 405
        assert status(f"http://127.0.0.1:{port}/-/messages", method="POST") == 405
        assert status(f"{base}/articles.json") == 200


def test_serve_csv_downloads_are_guarded_like_export(archive_db, tmp_path):
    # build_archive_db holds an article whose body starts with "=SUM(A1)".
    with serving(archive_db, tmp_path / "tmp") as (_proc, _port, base):
        for url in (f"{base}/articles.csv?_stream=on&_dl=1", f"{base}/articles.csv?_size=2"):
            with urllib.request.urlopen(url, timeout=30) as resp:
                rows = list(csv.reader(io.StringIO(resp.read().decode("utf-8"), newline="")))
            cells = [cell for row in rows for cell in row]
            assert not [c for c in cells if c[:1] in ("=", "+", "@")], url
            assert any(row[0] == "2" for row in rows[1:]), url  # numbers stay numbers
        assert any(cell.startswith("'=SUM(A1)") for cell in cells)


def test_serve_without_an_archive_file_is_a_usage_error(tmp_path):
    assert_one_line_error(arsip("serve", db=tmp_path / "belum-ada.db"))

"""`arsip serve`: Datasette really started on the archive, searching and running canned queries."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request

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


def test_serve_searches_and_runs_canned_queries(archive_db):
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scraper.cli",
            "serve",
            "--db",
            str(archive_db),
            "--port",
            str(port),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}/{archive_db.stem}"
    try:
        for _ in range(100):  # up to ~20 s for Datasette to start
            try:
                get_json(f"{base}.json")
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(proc.stderr.read().decode())
                time.sleep(0.2)
        found = get_json(f"{base}/articles.json?_search=leica&_shape=objects")
        assert [r["title"] for r in found["rows"]] == ["Xiaomi dan Leica Perpanjang Kemitraan"]
        months = get_json(f"{base}/articles_per_site_per_month.json?_shape=objects")
        assert {r["site"] for r in months["rows"]} == {"teknokita", "gawaiku"}
        flat = get_json(f"{base}/articles_flat.json?_shape=objects")
        assert len(flat["rows"]) == 3
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_without_an_archive_file_is_a_usage_error(tmp_path):
    assert_one_line_error(arsip("serve", db=tmp_path / "belum-ada.db"))

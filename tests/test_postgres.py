"""The archive on a real PostgreSQL server (`--db postgresql+psycopg://...`).

CI starts the server (.ci/run); on a machine without one the tests are skipped,
except under CI, where a missing server is a failure.
"""

from __future__ import annotations

import json
import os
import uuid

import pytest

from scraper.archive import Archive
from tests.cli_helpers import arsip
from tests.e2e_site import E2EServer

psycopg = pytest.importorskip("psycopg")

SERVER = os.environ.get("ARSIP_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
FAST = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0"]


@pytest.fixture
def pg_url():
    """A fresh, empty database on the server, dropped afterwards."""
    try:
        admin = psycopg.connect(SERVER, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL server at {SERVER}: {exc}")
    name = f"arsip_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = SERVER.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_crawl_export_and_recrawl_on_postgresql(pg_url, tmp_path):
    server = E2EServer()
    n = len(server.site.article_paths())
    with server:
        sites = tmp_path / "sites.toml"
        sites.write_text(f'[sites.kabar]\nname = "Kabar"\nstart_urls = ["{server.url}/"]\n')
        first = arsip("crawl", "--sites", str(sites), *FAST, "--db", pg_url)
        assert first.returncode == 0, first.stderr
        assert f"new={n}" in first.stdout
        server.reset_log()
        again = arsip("crawl", "--sites", str(sites), *FAST, "--db", pg_url)
        assert again.returncode == 0, again.stderr
        assert "new=0" in again.stdout
        assert not any(path in server.requests for path in server.site.article_paths())

    out = arsip("export", "--format", "jsonl", "--db", pg_url, check=True).stdout
    records = [json.loads(line) for line in out.splitlines()]
    assert sorted(r["url"].removeprefix(server.url) for r in records) == sorted(
        server.site.article_paths()
    )
    assert all(r["title"] and r["published_at"] for r in records)
    shown = json.loads(arsip("show", records[0]["url"], "--json", "--db", pg_url).stdout)
    assert shown["title"] == records[0]["title"]
    runs = arsip("runs", "--json", "--db", pg_url, check=True).stdout.splitlines()
    assert [json.loads(r)["new"] for r in runs] == [0, n]


def test_search_on_postgresql_works_from_the_first_open(pg_url):
    Archive(pg_url).close()  # a writing open creates the tables; read commands never do
    proc = arsip("search", "ponsel", "--db", pg_url)
    assert proc.returncode == 0, proc.stderr
    assert arsip("search", "ponsel", "--count", "--db", pg_url).stdout.strip() == "0"


def test_an_archive_from_before_agency_is_upgraded_on_postgresql(pg_url):
    from tests.cli_helpers import make_article

    with Archive(pg_url) as archive:
        archive.save_batch([make_article(1, "kabar", "Harga Cabai Turun", "Harga cabai turun.")])
    plain = pg_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(plain, autocommit=True) as conn:
        # Views read every column: drop them (the upgrade rebuilds them) to undo agency.
        for (view,) in conn.execute(
            "SELECT table_name FROM information_schema.views WHERE table_schema = 'public'"
        ).fetchall():
            conn.execute(f'DROP VIEW IF EXISTS "{view}" CASCADE')
        conn.execute("ALTER TABLE articles DROP COLUMN agency")
        conn.execute("UPDATE arsip_meta SET value = '1' WHERE key = 'schema_version'")

    assert arsip("migrate", "--db", pg_url).returncode == 0
    wire = make_article(2, "kabar", "Bursa Dibuka Menguat", "Indeks naik pagi ini.")
    wire.authors, wire.agency = [], ["Antara"]
    with Archive(pg_url) as archive:
        archive.save_batch([wire])
    shown = json.loads(arsip("show", wire.url, "--json", "--db", pg_url, check=True).stdout)
    assert (shown["authors"], shown["agency"]) == ([], ["Antara"])
    first = json.loads(arsip("show", "1", "--json", "--db", pg_url, check=True).stdout)
    assert first["title"] == "Harga Cabai Turun" and first["agency"] == []

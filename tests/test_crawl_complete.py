"""Crawl completeness end to end: capped, killed and frontier-less runs still
converge to every article; a resumed run fetches what the killed one left;
a dead archive writer stops the crawl loudly."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.cli_helpers import ROOT
from tests.e2e_portal import Portal
from tests.e2e_site import E2EServer

FAST = [
    *("--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0"),
    *("--set", "ARSIP_RETRY_BACKOFF=0", "--set", "ROBOTSTXT_OBEY=False"),
]


def crawl(sites: Path, db: Path | str, *extra: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "scraper.cli", "crawl", "--sites", str(sites), "--db", str(db)]
    return subprocess.run(
        [*cmd, *FAST, *extra], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def start_crawl(sites: Path, db: Path | str, *extra: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "scraper.cli", "crawl", "--sites", str(sites), "--db", str(db)]
    return subprocess.Popen(
        [*cmd, *FAST, *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def write_sites(path: Path, server: E2EServer) -> Path:
    starts = ", ".join(f'"{server.url}{p}"' for p in server.site.start_paths)
    path.write_text(f'[sites.portal]\nname = "Portal Uji"\nstart_urls = [{starts}]\n')
    return path


def query(db: Path, sql: str) -> list[tuple]:
    try:
        with sqlite3.connect(db, timeout=30) as conn:
            return conn.execute(sql).fetchall()
    except sqlite3.OperationalError:
        return []  # not created yet


def archived(db: Path) -> set[str]:
    return {"/" + u.split("/", 3)[3] for (u,) in query(db, "SELECT canonical_url FROM articles")}


def wait_for(condition, proc: subprocess.Popen, what: str, limit: float = 120) -> None:
    """Poll a condition on the server or the archive (not a duration): fails if
    the crawl ends first or nothing happens for a long time."""
    deadline = time.monotonic() + limit
    while not condition():
        assert proc.poll() is None, f"the crawl ended before {what}: {proc.communicate()}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)


def test_after_a_capped_run_ordinary_runs_archive_every_article(tmp_path):
    portal = Portal(categories=3, per_category=20, per_page=5)
    db = tmp_path / "archive.db"
    with E2EServer(portal) as server:
        sites = write_sites(tmp_path / "sites.toml", server)
        capped = crawl(sites, db, "--max-pages", "25")
        assert capped.returncode == 0, capped.stderr
        first = archived(db)
        assert 0 < len(first) < 60
        for _ in range(2):
            run = crawl(sites, db)
            assert run.returncode == 0, run.stderr
        assert archived(db) == set(portal.article_paths())
        # Now that every chain's end was seen, an ordinary run stops at the
        # archived first page of each category again: nothing deeper is fetched.
        server.reset_log()
        run = crawl(sites, db)
        assert run.returncode == 0, run.stderr
        assert not [p for p in server.requests if "/page/" in p]


def test_a_killed_run_whose_frontier_is_lost_or_damaged_is_made_good_by_ordinary_runs(tmp_path):
    portal = Portal(categories=3, per_category=20, per_page=5)
    # Second listing pages answer only after the kill: the first run archives
    # every article of the first pages and nothing deeper.
    portal.held = {portal.listing_path(c, 2) for c in portal.categories}
    db = tmp_path / "archive.db"
    with E2EServer(portal) as server:
        sites = write_sites(tmp_path / "sites.toml", server)
        proc = start_crawl(sites, db, "--set", "ARSIP_BATCH_SIZE=5")
        heads = {p for c in portal.categories for p in portal.on_page(c, 1)}
        wait_for(lambda: heads <= archived(db), proc, "the first pages' articles were archived")
        kill(proc)
        portal.release()
        assert archived(db) == heads
        # The plan the killed run left is lost (a table emptied by hand) or
        # damaged (an unreadable frontier file from an older arsip).
        with sqlite3.connect(db) as conn:
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'crawl_frontier'").fetchone():
                conn.execute("DELETE FROM crawl_frontier")
        Path(f"{db}.frontier.json").write_text('{"http://x/": {"site": "portal"', encoding="utf-8")
        run = crawl(sites, db)
        assert run.returncode == 0, run.stderr
        assert archived(db) == set(portal.article_paths())
        assert "Traceback" not in run.stderr
    assert not Path(f"{db}.frontier.json").exists()


def test_a_resumed_run_fetches_the_pages_the_killed_run_left(tmp_path):
    portal = Portal(categories=1, per_category=20, per_page=5)
    portal.start_paths = [portal.listing_path("k1", 1)]  # the start page lists page 1 only
    deep = portal.listing_path("k1", 3)
    portal.held = {deep}  # reached, queued, never answered before the kill
    db = tmp_path / "archive.db"
    with E2EServer(portal) as server:
        sites = write_sites(tmp_path / "sites.toml", server)
        proc = start_crawl(sites, db, "--set", "ARSIP_BATCH_SIZE=5")
        wait_for(lambda: deep in server.requests, proc, f"{deep} was requested")
        wait_for(
            lambda: query(db, f"SELECT 1 FROM crawl_frontier WHERE url = '{server.url}{deep}'"),
            proc,
            f"{deep} was saved in the frontier",
        )
        kill(proc)
        before = archived(db)
        assert not before & set(portal.on_page("k1", 3))
        # The site changes: its first page no longer links to the next ones,
        # so only the killed run's frontier can lead to pages 3 and 4.
        portal.no_next_on_head = True
        portal.release()
        server.reset_log()
        run = crawl(sites, db)
        assert run.returncode == 0, run.stderr
        assert deep in server.requests
        assert set(portal.on_page("k1", 3)) | set(portal.on_page("k1", 4)) <= archived(db)
        # Page 2 was finished before the kill and articles already archived
        # are not fetched again.
        assert portal.listing_path("k1", 2) not in server.requests
        assert not before & set(server.requests)
        assert query(db, "SELECT COUNT(*) FROM crawl_frontier") == [(0,)]


def test_a_dead_archive_writer_stops_the_crawl_loudly_and_loses_nothing_for_good(tmp_path):
    portal = Portal(categories=1, per_category=40, per_page=10)
    portal.held = {portal.listing_path("k1", 3)}
    db = tmp_path / "archive.db"
    writer = ["--set", "ARSIP_ARCHIVE_WRITER=process", "--set", "ARSIP_BATCH_SIZE=4"]
    with E2EServer(portal) as server:
        sites = write_sites(tmp_path / "sites.toml", server)
        proc = start_crawl(sites, db, *writer, "--set", "ARSIP_WORKERS=0")
        # The writer process starts with the first full batch and wrote it.
        wait_for(lambda: len(archived(db)) >= 4, proc, "the writer wrote a batch")
        spawned = [
            pid
            for pid in children(proc.pid)
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        assert len(spawned) == 1, spawned
        os.kill(spawned[0], signal.SIGKILL)
        portal.release()  # the rest of the site comes in after the writer died
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 1, (out, err)  # a runtime failure, not bad usage
        assert "writer process died" in err and "articles not saved" in err
        assert "Traceback" not in err
        assert "<html" not in err.lower() and "Laporan k1" not in err  # no page, no text
        lost_lines = [line for line in err.splitlines() if "cannot write" in line]
        assert lost_lines and all(len(line) < 300 for line in lost_lines)
        saved = archived(db)
        assert len(saved) < 40
        # Nothing is lost for good: the next run archives what the dead writer dropped.
        run = crawl(sites, db)
        assert run.returncode == 0, run.stderr
        assert archived(db) == set(portal.article_paths())


def children(pid: int) -> list[int]:
    """Process ids whose parent is pid (Linux /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                out.append(int(entry.name))
    return out


def test_an_archive_made_before_the_frontier_table_is_upgraded_by_a_crawl(tmp_path):
    from scraper.archive import Archive

    db = tmp_path / "archive.db"
    Archive(str(db)).close()
    with sqlite3.connect(db) as conn:  # as arsip with schema 1 left it
        conn.execute("DROP TABLE crawl_frontier")
        conn.execute("DROP TABLE listing_chains")
        conn.execute("UPDATE arsip_meta SET value = '1' WHERE key = 'schema_version'")
    portal = Portal(categories=1, per_category=6, per_page=3)
    with E2EServer(portal) as server:
        sites = write_sites(tmp_path / "sites.toml", server)
        run = crawl(sites, db)
        assert run.returncode == 0, run.stderr
        assert archived(db) == set(portal.article_paths())
    assert query(db, "SELECT chain, end_seen FROM listing_chains WHERE depth = 2") == [
        (f"{server.url}{portal.listing_path('k1', 1)}", 1)
    ]


def test_a_crawl_killed_on_postgresql_resumes_from_its_frontier_there(tmp_path):
    """The frontier lives in the archive, keyed by site: nothing of it stays in
    the killed run's folder, so a run from another machine resumes it."""
    psycopg = pytest.importorskip("psycopg")
    from tests.test_postgres import SERVER

    try:
        admin = psycopg.connect(SERVER, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL server at {SERVER}: {exc}")
    name = f"arsip_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = SERVER.rsplit("/", 1)[0]
    url = f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"
    try:
        portal = Portal(categories=1, per_category=20, per_page=5)
        portal.start_paths = [portal.listing_path("k1", 1)]
        deep = portal.listing_path("k1", 3)
        portal.held = {deep}
        with E2EServer(portal) as server, psycopg.connect(f"{base}/{name}") as pg:
            pg.autocommit = True

            def pending() -> bool:
                try:
                    sql = "SELECT 1 FROM crawl_frontier WHERE url = %s"
                    return pg.execute(sql, (server.url + deep,)).fetchone() is not None
                except psycopg.Error:
                    return False  # the table is not there yet

            machine_a, machine_b = tmp_path / "a", tmp_path / "b"
            machine_a.mkdir()
            machine_b.mkdir()
            proc = start_crawl(write_sites(machine_a / "sites.toml", server), url)
            wait_for(pending, proc, f"{deep} was saved in the frontier")
            kill(proc)
            portal.no_next_on_head = True  # only the frontier leads past page 2 now
            portal.release()
            server.reset_log()
            run = crawl(write_sites(machine_b / "sites.toml", server), url)
            assert run.returncode == 0, run.stderr
            assert deep in server.requests
            saved = {
                "/" + u.split("/", 3)[3]
                for (u,) in pg.execute("SELECT canonical_url FROM articles").fetchall()
            }
            assert saved == set(portal.article_paths())
            assert pg.execute("SELECT COUNT(*) FROM crawl_frontier").fetchone() == (0,)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

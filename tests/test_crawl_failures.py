"""Runs that cannot do their job fail loudly: a non-zero exit, one sentence, no
traceback, and nothing fetched or archived by a crawl that was refused."""

from __future__ import annotations

import sqlite3
import subprocess

import pytest

from tests import cli_helpers
from tests.cli_helpers import assert_one_line_error, write_sites
from tests.e2e_site import E2EServer

FAST = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0"]


def arsip(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return cli_helpers.arsip(*args, timeout=timeout)


@pytest.fixture(scope="module")
def server():
    with E2EServer() as srv:
        yield srv


@pytest.mark.parametrize(
    ("setting", "named"),
    [
        ("DOWNLOAD_DELAY=abc", "DOWNLOAD_DELAY"),
        ("ARSIP_MAX_PAGES=abc", "ARSIP_MAX_PAGES"),
        ("ARSIP_MAX_PAGES=0", "ARSIP_MAX_PAGES"),
        ("ARSIP_MAX_PAGEZ=10", "ARSIP_MAX_PAGEZ"),
        ("ARSIP_ARCHIVE_WRITER=thread", "ARSIP_ARCHIVE_WRITER"),
        ("ROBOTSTXT_OBEY=perhaps", "ROBOTSTXT_OBEY"),
        ("SCHEDULER=nonexistent.Module", "SCHEDULER"),
    ],
)
def test_bad_set_is_refused_before_anything_is_fetched(server, tmp_path, setting, named):
    sites = write_sites(tmp_path / "sites.toml", server.url)
    db = tmp_path / "archive.db"
    server.reset_log()
    result = arsip("crawl", "--sites", str(sites), "--db", str(db), "--set", setting)
    assert_one_line_error(result, 2)
    assert named in result.stderr
    assert server.requests == []
    assert not db.exists()


def test_engine_that_cannot_start_exits_non_zero_in_one_sentence(server, tmp_path):
    sites = write_sites(tmp_path / "sites.toml", server.url)
    db = tmp_path / "archive.db"
    broken = '{"spiders.no_such_module.Middleware": 500}'
    result = arsip(
        "crawl", "--sites", str(sites), "--db", str(db), "--set", f"DOWNLOADER_MIDDLEWARES={broken}"
    )
    assert_one_line_error(result, 1)
    assert "could not start" in result.stderr and "no_such_module" in result.stderr
    assert result.stdout == ""


def test_archive_locked_by_another_process_exits_1_and_fetches_nothing(server, tmp_path):
    sites = write_sites(tmp_path / "sites.toml", server.url)
    db = tmp_path / "archive.db"
    assert arsip("crawl", "--sites", str(sites), "--db", str(db), *FAST).returncode == 0
    with sqlite3.connect(db) as conn:
        (runs_before,) = conn.execute("SELECT COUNT(*) FROM crawl_runs").fetchone()
    server.reset_log()
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        # Another program (not an arsip crawl: its lock file is free) keeps a
        # write transaction open for longer than the crawl's busy wait.
        holder.execute("BEGIN EXCLUSIVE")
        result = arsip("crawl", "--sites", str(sites), "--db", str(db), "--refresh", *FAST)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert_one_line_error(result, 1)
    assert "locked" in result.stderr
    assert server.requests == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM crawl_runs").fetchone() == (runs_before,)


@pytest.mark.parametrize("db", [":memory:", "sqlite://", "sqlite:///:memory:"])
def test_crawl_into_memory_is_refused(server, tmp_path, db):
    sites = write_sites(tmp_path / "sites.toml", server.url)
    server.reset_log()
    result = arsip("crawl", "--sites", str(sites), "--db", db, *FAST)
    assert_one_line_error(result, 2)
    assert "memory" in result.stderr
    assert server.requests == []


def test_reparse_of_an_unknown_site_is_a_usage_error(server, tmp_path):
    sites = write_sites(tmp_path / "sites.toml", server.url)
    db = tmp_path / "archive.db"
    assert arsip("crawl", "--sites", str(sites), "--db", str(db), *FAST).returncode == 0
    result = arsip("reparse", "--db", str(db), "--site", "tidakada")
    assert_one_line_error(result, 2)
    assert "tidakada" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--site", "tidakada"),
        ("--sites", "/no/such/sites.toml"),
        ("--set", "DOWNLOAD_DELAY=pelan"),
        ("--log-file", "logs/a.log\n* * * * * rm -rf ~"),
        ("--db", "a.db\n@reboot curl evil"),
    ],
)
def test_schedule_refuses_what_the_crawl_would_refuse(tmp_path, args):
    sites = write_sites(tmp_path / "sites.toml", "http://127.0.0.1:9")
    extra = () if "--sites" in args else ("--sites", str(sites))
    if args[0] == "--site":
        extra = ()  # the shipped sites file: no site of that name
    result = arsip("schedule", "--every", "1h", *extra, *args)
    assert_one_line_error(result, 2)
    assert result.stdout == ""


def test_archive_failing_mid_crawl_exits_1_once_and_runs_says_failed(server, tmp_path):
    sites = write_sites(tmp_path / "sites.toml", server.url)
    db = tmp_path / "archive.db"
    assert arsip("crawl", "--sites", str(sites), "--db", str(db), *FAST).returncode == 0
    with sqlite3.connect(db) as conn:
        (before,) = conn.execute("SELECT COUNT(*) FROM articles").fetchone()
        # SQLite refuses every article write the way a full disk does.
        conn.execute(
            "CREATE TRIGGER penuh BEFORE UPDATE ON articles "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
    server.site.edited = {"/2026/01/kabar-gawai-nomor-2/"}
    try:
        result = arsip("crawl", "--sites", str(sites), "--db", str(db), "--refresh", *FAST)
    finally:
        server.site.edited = set()
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    # The run's one sentence comes last, its reason said once, not nested.
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("arsip: Cannot write") and "disk is full" in last
    assert "(Cannot write" not in result.stderr and last.count("Cannot write") == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone() == (before,)
    runs = arsip("runs", "--db", str(db))
    assert runs.returncode == 0, runs.stderr
    assert runs.stdout.splitlines()[2].split()[1] == "failed"

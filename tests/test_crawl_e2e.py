"""End to end: the real `arsip crawl` in a subprocess against a local site, archive read with sqlite3."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e_site import E2EServer

FAST = [
    "--set",
    "AUTOTHROTTLE_ENABLED=False",
    "--set",
    "DOWNLOAD_DELAY=0",
    "--set",
    "ARSIP_RETRY_BACKOFF=0",
]


# Page workers from the first page and the archive writer process from the
# first (small) batch, so the multi-process path is the one under test.
PROCESSES = [
    *("--set", "ARSIP_WORKERS=2", "--set", "ARSIP_INLINE_PAGES=0"),
    *("--set", "ARSIP_ARCHIVE_WRITER=process", "--set", "ARSIP_BATCH_SIZE=3"),
]


def arsip(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scraper.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def write_sites(path: Path, url: str) -> Path:
    # Name and start URL only: the page itself must say what is an article.
    path.write_text(f'[sites.kabargawai]\nname = "Kabar Gawai"\nstart_urls = ["{url}/"]\n')
    return path


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Two crawls of the same unchanged site; the server's request log of each."""
    tmp = tmp_path_factory.mktemp("e2e")
    db = tmp / "archive.db"
    with E2EServer() as server:
        sites = write_sites(tmp / "sites.toml", server.url)
        first = arsip("crawl", "--sites", str(sites), "--db", str(db), *FAST, *PROCESSES)
        first_requests = list(server.requests)
        server.reset_log()
        second = arsip("crawl", "--sites", str(sites), "--db", str(db), *FAST)
        second_requests = list(server.requests)
        yield {
            "db": db,
            "server": server,
            "first": first,
            "second": second,
            "first_requests": first_requests,
            "second_requests": second_requests,
        }


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


def rows(db: Path, sql: str, *args) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def paths(db: Path) -> list[str]:
    return sorted(
        "/" + url.split("/", 3)[3] for (url,) in rows(db, "SELECT canonical_url FROM articles")
    )


def test_first_crawl_succeeds_and_prints_one_summary_line(crawled):
    result = crawled["first"]
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("pages=")
    assert f"new={len(crawled['server'].site.article_paths())}" in lines[0]
    assert "Traceback" not in result.stderr


def test_every_article_archived_once(crawled):
    expected = sorted(crawled["server"].site.article_paths())
    assert paths(crawled["db"]) == expected


def test_listings_tags_and_about_are_not_archived(crawled):
    archived = paths(crawled["db"])
    for listing in ("/", "/category/gawai/", "/category/gawai/page/2/", "/tag/ponsel/", "/about/"):
        assert listing not in archived


def test_robots_txt_fetched_once_per_crawl(crawled):
    assert crawled["first_requests"].count("/robots.txt") == 1


def test_pagination_followed_to_the_last_page(crawled):
    assert "/category/gawai/page/3/" in crawled["first_requests"]


def test_robots_disallowed_path_never_fetched(crawled):
    fetched = crawled["first_requests"] + crawled["second_requests"]
    assert not [p for p in fetched if p.startswith("/private/")]
    assert not [p for p in paths(crawled["db"]) if p.startswith("/private/")]


def test_endless_pagination_trap_is_bounded(crawled):
    trap = [p for p in crawled["first_requests"] if p.startswith("/arsip/page/")]
    assert len(trap) <= 2


def test_503_then_200_page_is_retried_and_archived(crawled):
    assert crawled["first_requests"].count("/2026/01/server-sibuk/") == 2
    assert "/2026/01/server-sibuk/" in paths(crawled["db"])


def test_url_variants_map_to_one_row(crawled):
    db = crawled["db"]
    (count,) = rows(
        db, "SELECT COUNT(*) FROM articles WHERE canonical_url LIKE '%kabar-gawai-nomor-1%'"
    )[0]
    assert count == 1
    stored = [url for (url,) in rows(db, "SELECT canonical_url FROM articles")]
    assert not [u for u in stored if "utm_" in u]


def test_second_crawl_adds_nothing(crawled):
    result = crawled["second"]
    assert result.returncode == 0, result.stderr
    assert "new=0" in result.stdout and "updated=0" in result.stdout
    assert len(paths(crawled["db"])) == len(crawled["server"].site.article_paths())


def test_second_crawl_fetches_no_article_page_again(crawled):
    articles = set(crawled["server"].site.article_paths())
    assert not [p for p in crawled["second_requests"] if p.split("?")[0] in articles]


def test_each_crawl_is_a_run_row_and_failed_fetches_are_recorded(crawled):
    runs = rows(crawled["db"], "SELECT pages, new, errors FROM crawl_runs ORDER BY id")
    assert len(runs) == 2
    assert runs[0][1] == len(crawled["server"].site.article_paths()) and runs[1][1] == 0
    assert json.loads(runs[0][2]) == {"http_404": 1}
    errors = rows(crawled["db"], "SELECT url, error, status FROM fetch_errors")
    assert [(u.rsplit("/", 2)[-2], e, s) for u, e, s in errors] == [("rina", "http_404", 404)]


def test_second_crawl_on_a_locked_archive_exits_75_saying_since_when(tmp_path):
    from scraper.lock import ArchiveLock

    db = tmp_path / "archive.db"
    sites = write_sites(tmp_path / "sites.toml", "http://127.0.0.1:9")
    with ArchiveLock(str(db)):  # another crawl holds the archive
        result = arsip("crawl", "--sites", str(sites), "--db", str(db), *FAST)
    assert result.returncode == 75
    assert "since" in result.stderr and "Traceback" not in result.stderr
    assert (
        not db.exists()
        or not rows(db, "SELECT name FROM sqlite_master WHERE name = 'crawl_runs'")
        or not rows(db, "SELECT id FROM crawl_runs")
    )


def test_kill_9_mid_crawl_leaves_no_half_record_and_the_next_run_finishes(tmp_path):
    import os
    import signal
    import time

    from tests.e2e_site import Site

    db = tmp_path / "archive.db"
    with E2EServer(Site(n_articles=40, per_page=10)) as server:
        server.delay = 0.05
        sites = write_sites(tmp_path / "sites.toml", server.url)
        args = [
            sys.executable,
            "-m",
            "scraper.cli",
            "crawl",
            "--sites",
            str(sites),
            "--db",
            str(db),
        ]
        opts = [*FAST, *PROCESSES, "--set", "ARSIP_BATCH_SIZE=4"]
        opts += ["--set", "CONCURRENT_REQUESTS_PER_DOMAIN=2"]
        proc = subprocess.Popen([*args, *opts], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        archived = 0
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
            if db.exists():
                try:
                    archived = rows(db, "SELECT COUNT(*) FROM articles")[0][0]
                except sqlite3.OperationalError:
                    continue  # tables not created yet
                if archived >= 4:
                    break
        assert proc.poll() is None, "the crawl ended before it could be killed"
        workers = children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        # Its page workers do not outlive it.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in workers):
            time.sleep(0.2)
        assert workers and not [p for p in workers if Path(f"/proc/{p}").exists()]

        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            n = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            assert 4 <= n < 41
            # Every stored record is whole: text, fingerprint, URL variant and raw page.
            half = conn.execute(
                "SELECT COUNT(*) FROM articles a WHERE a.title = '' OR a.body_text = '' OR a.content_hash IS NULL"
                " OR NOT EXISTS (SELECT 1 FROM article_urls u WHERE u.article_id = a.id)"
                " OR NOT EXISTS (SELECT 1 FROM raw_pages r WHERE r.article_id = a.id)"
            ).fetchone()[0]
            assert half == 0
            # The plan went to the archive before the records it covers.
            assert conn.execute("SELECT COUNT(*) FROM crawl_frontier").fetchone()[0] > 0

        result = arsip("crawl", "--sites", str(sites), "--db", str(db), *FAST)
        assert result.returncode == 0, result.stderr
        assert sorted(paths(db)) == sorted(server.site.article_paths())
    # The plan a killed run leaves is gone once a run finishes.
    assert rows(db, "SELECT COUNT(*) FROM crawl_frontier") == [(0,)]


def test_articles_announced_only_by_robots_sitemap_or_page_feed_are_found(crawled):
    from tests.e2e_site import FEED_ONLY, SITEMAP_ONLY

    archived = paths(crawled["db"])
    assert SITEMAP_ONLY in archived and FEED_ONLY in archived
    assert "/sitemap_index.xml" in crawled["first_requests"]


def test_since_skips_older_articles_and_stops_the_listing_walk(tmp_path):
    from tests.e2e_site import Site

    db = tmp_path / "archive.db"
    site = Site(n_articles=30, per_page=3)
    with E2EServer(site) as server:
        sites = write_sites(tmp_path / "sites.toml", server.url)
        # Article n is dated 29-n January: 1..5 are on or after the 23rd.
        result = arsip(
            "crawl", "--sites", str(sites), "--db", str(db), "--since", "2026-01-23", *FAST
        )
        requests = list(server.requests)
    assert result.returncode == 0, result.stderr
    dates = [d for (d,) in rows(db, "SELECT published_at FROM articles")]
    assert dates and all(d >= "2026-01-23" for d in dates)
    assert {f"/2026/01/kabar-gawai-nomor-{i}/" for i in range(1, 6)} <= set(paths(db))
    assert "/category/gawai/page/6/" not in requests  # the walk stopped near the 23rd
    assert "/2026/01/hanya-di-peta-situs/" not in requests  # an old sitemap entry is skipped


def test_bad_since_date_is_a_usage_error(tmp_path):
    sites = write_sites(tmp_path / "sites.toml", "http://127.0.0.1:9")
    result = arsip(
        "crawl", "--sites", str(sites), "--db", str(tmp_path / "a.db"), "--since", "kemarin"
    )
    assert result.returncode == 2
    assert "--since" in result.stderr and "Traceback" not in result.stderr


def test_refresh_refetches_keeps_unchanged_and_versions_changed_articles(tmp_path):
    db = tmp_path / "archive.db"
    with E2EServer() as server:
        sites = write_sites(tmp_path / "sites.toml", server.url)
        assert arsip("crawl", "--sites", str(sites), "--db", str(db), *FAST).returncode == 0
        server.site.edited = {"/2026/01/kabar-gawai-nomor-2/"}  # the site corrects one story
        server.reset_log()
        result = arsip("crawl", "--sites", str(sites), "--db", str(db), "--refresh", *FAST)
        refetched = set(server.requests)
    assert result.returncode == 0, result.stderr
    total = len(server.site.article_paths())
    assert set(server.site.article_paths()) <= refetched
    assert "new=0" in result.stdout and "updated=1" in result.stdout
    assert f"unchanged={total - 1}" in result.stdout
    (versions,) = rows(db, "SELECT COUNT(*) FROM article_versions")[0]
    assert versions == 1
    assert len(paths(db)) == total


def test_log_file_gets_the_details_and_stdout_only_the_summary(crawled, tmp_path):
    log = tmp_path / "logs" / "arsip.log"
    sites = write_sites(tmp_path / "sites.toml", crawled["server"].url)
    db = tmp_path / "archive.db"
    result = arsip("crawl", "--sites", str(sites), "--db", str(db), "--log-file", str(log), *FAST)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1
    text = log.read_text()
    assert "crawl finished: pages=" in text and "Spider opened" in text


def test_newer_sitemap_lastmod_refetches_only_that_article(tmp_path):
    db = tmp_path / "archive.db"
    changed = "/2026/01/kabar-gawai-nomor-4/"
    with E2EServer() as server:
        sites = write_sites(tmp_path / "sites.toml", server.url)
        assert arsip("crawl", "--sites", str(sites), "--db", str(db), *FAST).returncode == 0
        server.site.edited = {changed}
        # The site says the page changed after the first crawl fetched it.
        later = datetime.now(UTC) + timedelta(seconds=2)
        server.site.bumped = {changed: later.isoformat(timespec="seconds")}
        server.reset_log()
        result = arsip("crawl", "--sites", str(sites), "--db", str(db), *FAST)
        requests = list(server.requests)
    assert result.returncode == 0, result.stderr
    assert "updated=1" in result.stdout and "new=0" in result.stdout
    articles = set(server.site.article_paths())
    assert [p for p in requests if p in articles] == [changed]


def test_archive_in_a_missing_folder_is_a_usage_error_and_creates_nothing(tmp_path):
    sites = write_sites(tmp_path / "sites.toml", "http://127.0.0.1:9")
    db = tmp_path / "missing" / "archive.db"
    result = arsip("crawl", "--sites", str(sites), "--db", str(db), *FAST)
    assert result.returncode == 2
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr
    assert not db.parent.exists()

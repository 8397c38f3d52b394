"""Politeness the site can check: robots.txt Crawl-delay is a minimum gap
between requests as the server sees them, any delay is honoured, and `arsip
runs` says when a delay puts a site's page budget out of reach in an hour;
runs that did not finish say how they ended."""

from __future__ import annotations

import itertools
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

from scrapy.http import Request
from scrapy.utils.test import get_crawler

from scraper.sites import Site as SiteConfig
from spiders.middlewares import CrawlDelayMiddleware, delay_key
from spiders.sources import SourcesMixin
from tests import cli_helpers
from tests.cli_helpers import ROOT, write_sites
from tests.e2e_site import E2EServer, Site

FAST = [
    *("--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0"),
    *("--set", "ARSIP_RETRY_BACKOFF=0"),
]


def arsip(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return cli_helpers.arsip(*args, timeout=timeout)


def test_crawl_delay_is_a_minimum_gap_at_the_server_and_runs_warns_of_the_budget(tmp_path):
    db = tmp_path / "a.db"
    with E2EServer(Site(n_articles=3, per_page=3)) as server:
        server.site.crawl_delay = 0.5
        sites = write_sites(tmp_path / "sites.toml", server.url)
        # 10,000 pages at one page per 0.5 s would take 5,000 s: over an hour.
        result = arsip("crawl", "--sites", str(sites), "--db", str(db), "--max-pages", "10000",
                       *FAST, "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=8")  # fmt: skip
        times = [t for t, path in server.times if path != "/robots.txt"]
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # a polite crawl that went fine has nothing to say
    # Each request is sent a delay after the previous one to the host ended,
    # so the server, which logs a request before answering it, sees gaps of
    # at least the delay; a loaded machine can only make them longer.
    gaps = [b - a for a, b in itertools.pairwise(sorted(times))]
    assert len(gaps) >= 5
    assert min(gaps) >= 0.5
    runs = arsip("runs", "--db", str(db))
    assert runs.returncode == 0, runs.stderr
    assert "kabargawai: Crawl-delay 0.5s allows 7200 pages an hour" in runs.stdout
    assert "budget of 10000" in runs.stdout


def _spider(site: SiteConfig) -> SimpleNamespace:
    crawler = get_crawler()
    crawler.stats.open_spider()
    return SimpleNamespace(
        crawl_delays={}, sites={site.key: site}, crawler=crawler, _cap=lambda s: 5000
    )


def test_a_long_crawl_delay_is_honoured_whole():
    site = SiteConfig(key="lambat", name="Lambat", start_urls=("https://lambat.contoh.id/",))
    spider = _spider(site)
    SourcesMixin._set_crawl_delay(spider, "https://lambat.contoh.id/robots.txt", 120)
    key = delay_key("https://lambat.contoh.id/")
    assert spider.crawl_delays == {key: 120.0}
    assert spider.crawler.stats.get_value("arsip/crawl_delay/lambat") == 120.0

    import asyncio

    crawler = get_crawler(settings_dict={"DOWNLOAD_DELAY": 0})
    crawler.spider = spider
    middleware = CrawlDelayMiddleware(crawler)
    first = Request("https://lambat.contoh.id/a/")
    asyncio.run(middleware.process_request(first))  # the first goes at once
    before = time.monotonic()
    middleware.request_left(first)
    # The host is not free again for the whole two minutes asked for.
    assert middleware.turns[key].free_at - before >= 120


def _wait_for(condition, what: str, proc: subprocess.Popen, limit: float = 120) -> None:
    """Wait until `condition()` holds; the limit only turns a hang into a failure."""
    deadline = time.monotonic() + limit
    while not condition():
        assert proc.poll() is None, f"crawl ended before {what}"
        assert time.monotonic() < deadline, f"no {what} within {limit}s"
        time.sleep(0.05)


def _articles(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not created yet


class HeldSite(Site):
    """A site whose articles after the third are held back until `gate` opens:
    the crawl is certainly still running while the test looks at it."""

    def __init__(self) -> None:
        super().__init__(n_articles=30, per_page=5)
        self.gate = threading.Event()

    def route(self, path: str, query: str, hits: Counter) -> tuple[int, dict, bytes]:
        if path in self.slugs[3:]:
            self.gate.wait()
        return super().route(path, query, hits)


def _start(tmp_path: Path, server: E2EServer, db: Path) -> subprocess.Popen:
    sites = write_sites(tmp_path / "sites.toml", server.url)
    return subprocess.Popen(
        [sys.executable, "-m", "scraper.cli", "crawl", "--sites", str(sites), "--db", str(db),
         *FAST, "--set", "ARSIP_BATCH_SIZE=1", "--set", "ARSIP_WORKERS=0",
         "--set", "DOWNLOAD_TIMEOUT=600",
         # More slots than the site has pages: held pages never crowd out the rest.
         "--set", "CONCURRENT_REQUESTS=100", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=100"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_runs_shows_a_running_then_killed_run_with_what_it_saved(tmp_path):
    db = tmp_path / "a.db"
    site = HeldSite()
    with E2EServer(site) as server:
        proc = _start(tmp_path, server, db)
        try:
            _wait_for(lambda: _articles(db) >= 2, "two archived articles", proc)
            running = arsip("runs", "--db", str(db))
            os.kill(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
            site.gate.set()
    saved = _articles(db)
    assert running.returncode == 0, running.stderr
    assert "running" in running.stdout
    after = arsip("runs", "--db", str(db))
    assert after.returncode == 0, after.stderr
    assert f"killed (saved {saved})" in after.stdout
    assert "running" not in after.stdout


def test_runs_shows_an_interrupted_run(tmp_path):
    db = tmp_path / "a.db"
    site = HeldSite()
    with E2EServer(site) as server:
        proc = _start(tmp_path, server, db)
        try:
            _wait_for(lambda: _articles(db) >= 1, "an archived article", proc)
            proc.send_signal(signal.SIGTERM)
            site.gate.set()  # the downloads in flight may now end
            proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
            site.gate.set()
    assert proc.returncode == 1
    result = arsip("runs", "--db", str(db), "--json")
    assert result.returncode == 0, result.stderr
    assert '"status": "interrupted"' in result.stdout
    table = arsip("runs", "--db", str(db))
    assert "interrupted" in table.stdout and "killed" not in table.stdout


def test_crawl_delay_with_the_http_cache_on_does_not_stall(tmp_path):
    """A response the HTTP cache answers never reaches the downloader: the
    host's turn must not wait for a download that never was."""
    db = tmp_path / "a.db"
    cache = ["--set", "HTTPCACHE_ENABLED=True", "--set", f"HTTPCACHE_DIR={tmp_path / 'cache'}"]
    with E2EServer(Site(n_articles=3, per_page=3)) as server:
        server.site.crawl_delay = 0.2
        sites = write_sites(tmp_path / "sites.toml", server.url)
        first = arsip("crawl", "--sites", str(sites), "--db", str(db), *FAST, *cache)
        server.reset_log()
        again = arsip("crawl", "--sites", str(sites), "--db", str(db), "--refresh", *FAST, *cache,
                      timeout=120)  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert again.returncode == 0, again.stderr
    assert "unchanged=" in again.stdout and server.requests == []

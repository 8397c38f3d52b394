"""End to end: a Berita-Viral-style site in a theme arsip has never seen, given only a name and a start URL.

The site (`tests/sites/unseen/`, JNews-like markup, pages written for this project)
is served on 127.0.0.1; the real `arsip crawl` runs in a subprocess; the archive is
read back through `arsip export --format jsonl`, the stable contract.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from scraper.demo.server import Pages, start_server
from tests.test_extract_fixtures import ARTICLE_METRICS, score

SITE_DIR = Path(__file__).parent / "sites" / "unseen"
EXPECTED: dict[str, dict[str, Any]] = json.loads(
    (SITE_DIR / "expected.json").read_text(encoding="utf-8")
)["articles"]
CLI = [sys.executable, "-m", "scraper.cli"]
FAST = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0"]


def load_pages(base: str) -> Pages:
    """The static site, its `__BASE__` placeholder pointed at this server."""
    root = SITE_DIR / "site"
    pages: Pages = {}
    for file in root.rglob("*"):
        if not file.is_file():
            continue
        rel = file.relative_to(root).as_posix()
        path = "/" + rel.removesuffix("index.html")
        ctype = (
            "text/html; charset=utf-8" if file.suffix == ".html" else "text/plain; charset=utf-8"
        )
        pages[path] = (ctype, file.read_text(encoding="utf-8").replace("__BASE__", base).encode())
    return pages


@dataclass
class Crawl:
    base: str
    crawl: subprocess.CompletedProcess
    again: subprocess.CompletedProcess
    export: subprocess.CompletedProcess
    records: list[dict[str, Any]]  # the export after both crawls
    hits: list[str]  # paths requested by the first crawl
    hits_again: list[str]  # ... and by the second


def path_of(record: dict[str, Any]) -> str:
    return urlsplit(record.get("canonical_url") or record["url"]).path


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    tmp = tmp_path_factory.mktemp("unseen")
    server = start_server(load_pages)
    try:
        sites = tmp / "sites.toml"
        sites.write_text(
            f'[sites.unseen]\nname = "Seputar Gawai"\nstart_urls = ["{server.base_url}/"]\n',
            encoding="utf-8",
        )
        db = tmp / "archive.db"
        crawl_cmd = [*CLI, "crawl", "--sites", str(sites), "--db", str(db), *FAST]
        crawl = subprocess.run(crawl_cmd, capture_output=True, text=True, timeout=240)
        first_hits = len(server.hits)
        again = subprocess.run(crawl_cmd, capture_output=True, text=True, timeout=240)
        export = subprocess.run(
            [*CLI, "export", "--format", "jsonl", "--db", str(db)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.shutdown()
        server.server_close()
    records = [json.loads(line) for line in export.stdout.splitlines() if line.strip()]
    hits = list(server.hits)
    return Crawl(
        server.base_url, crawl, again, export, records, hits[:first_hits], hits[first_hits:]
    )


def test_crawl_and_export_succeed(crawled: Crawl) -> None:
    assert crawled.crawl.returncode == 0, crawled.crawl.stderr[-2000:]
    assert crawled.again.returncode == 0, crawled.again.stderr[-2000:]
    assert crawled.export.returncode == 0, crawled.export.stderr[-2000:]


def test_every_article_archived_exactly_once(crawled: Crawl) -> None:
    counts = Counter(path_of(r) for r in crawled.records)
    wrong = {path: counts.get(path, 0) for path in EXPECTED if counts.get(path, 0) != 1}
    assert not wrong, f"articles not archived exactly once (path: count): {wrong}"


def test_listings_tags_and_about_not_archived(crawled: Crawl) -> None:
    extra = sorted({path_of(r) for r in crawled.records} - set(EXPECTED))
    assert not extra, f"pages archived that are not articles: {extra}"


def test_second_crawl_refetches_no_article(crawled: Crawl) -> None:
    """An unchanged site crawled again: listings are re-read, archived articles are not."""
    assert set(crawled.hits) & set(EXPECTED), "the first crawl fetched no article"
    assert not sorted(set(crawled.hits_again) & set(EXPECTED))


def test_robots_txt_obeyed(crawled: Crawl) -> None:
    assert not [h for h in crawled.hits + crawled.hits_again if h.startswith("/private/")]
    assert "/robots.txt" in crawled.hits


def test_listing_pagination_followed(crawled: Crawl) -> None:
    """Articles reachable only through page 2 of the listings are found too."""
    assert "/category/berita-viral/page/2/" in crawled.hits


@pytest.mark.parametrize(
    ("path", "metric"),
    [pytest.param(p, m, id=f"{p.strip('/')}-{m}") for p in EXPECTED for m in ARTICLE_METRICS],
)
def test_article_field(crawled: Crawl, path: str, metric: str) -> None:
    record = next((r for r in crawled.records if path_of(r) == path), None)
    assert record is not None, f"{path} not archived"
    label = {
        **EXPECTED[path],
        "kind": "article",
        "related": [crawled.base + p for p in EXPECTED[path]["related"]],
    }
    got = {**record, "kind": "article"}
    assert score(metric, got, label) == 1.0, (
        f"{metric}: got {record.get(metric) if metric not in ('with', 'without') else record.get('body_text')!r}, "
        f"want {label[metric]!r}"
    )

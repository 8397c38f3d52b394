"""The CPU-heavy part of handling a page, run off the reactor thread: extract, clean, find links.

Scrapy runs spiders and pipelines on one thread; parsing and extracting a
page costs more than downloading it. A worker process (ARSIP_WORKERS) does
that work in parallel on another core while the reactor keeps downloading.
Everything here is a pure function of picklable arguments.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from scraper.clean import clean_article
from scraper.extract import extract
from scraper.items import Article, Rejected
from spiders.links import Link, base_url, cap_links, feed_links, page_links, parse_tree

logger = logging.getLogger(__name__)


@dataclass
class PageResult:
    """What a page holds: its record (None when its URL says it is a listing)
    and the links and feeds to follow."""

    record: Article | Rejected | None
    links: list[Link] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    cleaned: bool = False
    # The archived original this record copies (None: none found), looked up
    # here so the reactor thread does not wait on it; None when not looked up.
    archived_original: str | None = None
    archive_checked: bool = False
    # The record's search-index stems (fts.prestem), so the archive writer
    # need not stem: the costliest part of writing an article.
    stems: dict[str, str] | None = None
    # The page had more links than ARSIP_MAX_LINKS: only the part before the
    # cap was parsed (spiders.links.cap_links).
    links_capped: bool = False


_archives: dict[str, object] = {}


def exit_with_parent(parent: int, interval: float = 1.0) -> None:
    """Worker initializer: exit once the crawler process is gone. A crawl killed
    with -9 cannot shut its pool down, and orphaned workers would linger."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _archived_original(db: str, article: Article) -> str | None:
    """Cross-run duplicate lookup with this process's own read connection."""
    from scraper.archive import Archive

    archive = _archives.get(db)
    if archive is None:
        archive = _archives[db] = Archive(db)
    canonical = article.canonical_url or article.url
    return archive.find_duplicate(article.content_hash, article.simhash, canonical)  # type: ignore[attr-defined]


def _prestem(article: Article) -> dict[str, str]:
    from scraper.archive.fts import prestem

    return prestem(
        {
            "title": article.title,
            "description": article.description,
            "headings": article.headings,
            "body_text": article.body_text,
        }
    )


def process_page(
    body: bytes,
    url: str,
    *,
    site: str,
    timezone: str | None = None,
    verdict: bool | None,
    domains: tuple[str, ...],
    switch: str | None,
    db: str | None = None,
    with_links: bool = True,
    stem: bool = False,
    max_links: int | None = None,
) -> PageResult:
    """Extract (unless the site's patterns say listing), clean, and list links.
    A bug in the extractor becomes a Rejected with its exception's name."""
    result = PageResult(None)
    if max_links:
        body, result.links_capped = cap_links(body, max_links)
    root = parse_tree(body)  # one parse serves the extractor and the link finder
    if verdict is not False:
        try:
            tz = ZoneInfo(timezone) if timezone else None  # a name: picklable for workers
            result.record = extract(
                body, url, site=site, fetched_at=datetime.now(UTC), tree=root, timezone=tz
            )
            if isinstance(result.record, Article) and not result.record.next_pages:
                result.record, result.cleaned = clean_article(result.record, switch), True
        except Exception as exc:
            logger.exception("extractor failed on %s", url)
            result.record = Rejected(url=url, reason=f"extract_failed_{type(exc).__name__}")
    if db and result.cleaned:
        try:
            result.archived_original = _archived_original(db, result.record)  # type: ignore[arg-type]
            result.archive_checked = True
        except Exception:
            logger.warning("duplicate lookup failed for %s; the pipeline will retry it", url)
    if stem and result.cleaned:
        try:
            result.stems = _prestem(result.record)  # type: ignore[arg-type]
        except Exception:  # the archive stems what it is not given
            logger.warning("stemming failed for %s; the archive will stem it", url)
    if with_links and root is not None:
        base = base_url(root, url)
        result.links = list(page_links(root, base, domains, switch))
        result.feeds = feed_links(root, base)
    return result

"""The CPU-heavy part of handling a page, run off the reactor thread: extract, clean, find links.

Scrapy runs spiders and pipelines on one thread; parsing and extracting a
page costs more than downloading it. A worker process (ARSIP_WORKERS) does
that work in parallel on another core while the reactor keeps downloading.
Everything here is a pure function of picklable arguments.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from scraper.clean import clean_article
from scraper.extract import extract
from scraper.items import Article, Rejected
from spiders.links import Link, base_url, feed_links, page_links, parse_tree

logger = logging.getLogger(__name__)


@dataclass
class PageResult:
    """What a page holds: its record (None when its URL says it is a listing)
    and the links and feeds to follow."""

    record: Article | Rejected | None
    links: list[Link] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    cleaned: bool = False


def process_page(
    body: bytes,
    url: str,
    *,
    site: str,
    verdict: bool | None,
    domains: tuple[str, ...],
    switch: str | None,
    with_links: bool = True,
) -> PageResult:
    """Extract (unless the site's patterns say listing), clean, and list links.
    A bug in the extractor becomes a Rejected with its exception's name."""
    record: Article | Rejected | None = None
    cleaned = False
    if verdict is not False:
        try:
            record = extract(body, url, site=site, fetched_at=datetime.now(UTC))
            if isinstance(record, Article) and not record.next_pages:
                record, cleaned = clean_article(record, switch), True
        except Exception as exc:
            logger.exception("extractor failed on %s", url)
            record = Rejected(url=url, reason=f"extract_failed_{type(exc).__name__}")
    if not with_links:
        return PageResult(record, cleaned=cleaned)
    root = parse_tree(body)
    base = base_url(root, url)
    return PageResult(
        record,
        list(page_links(root, base, domains, switch)),
        feed_links(root, base),
        cleaned,
    )

"""Dedupe pipeline: a URL seen twice in a run is dropped; a copy of an earlier
story (same content hash, or simhash within NEAR_DUPLICATE_BITS) is kept with
`duplicate_of` pointing at the original (the archive settles the roles when it
writes). A canonical URL is the key only while it names one article: one
outside the site's article patterns, or shared by different articles, is not."""

from __future__ import annotations

import logging

from pipelines import drop
from scraper.clean import canonical_for, same_story
from scraper.crawl import CrawledArticle
from scraper.fingerprint import NEAR_DUPLICATE_BITS, bands, hamming
from scraper.urls import url_key

logger = logging.getLogger(__name__)


class RunFingerprints:
    """Fingerprints of the records seen in this run, for copies the archive
    cannot know about yet (they may still sit in the archive pipeline's batch)."""

    def __init__(self) -> None:
        self.by_hash: dict[str, str] = {}
        self.by_band: dict[tuple[int, int], list[tuple[int, str]]] = {}

    def find(self, content_hash: str | None, simhash: int | None) -> str | None:
        if content_hash and content_hash in self.by_hash:
            return self.by_hash[content_hash]
        if simhash:
            for i, band in enumerate(bands(simhash)):
                for other, url in self.by_band.get((i, band), ()):
                    if hamming(simhash, other) <= NEAR_DUPLICATE_BITS:
                        return url
        return None

    def add(self, content_hash: str | None, simhash: int | None, url: str) -> None:
        if content_hash:
            self.by_hash.setdefault(content_hash, url)
        if simhash:
            for i, band in enumerate(bands(simhash)):
                self.by_band.setdefault((i, band), []).append((simhash, url))


class DedupePipeline:
    def __init__(self, stats, db: str, crawler=None) -> None:
        self.stats = stats
        self.db = db
        self.crawler = crawler
        self.archive = None
        # key -> (the fetched URL's key, title, simhash) of the record that took it
        self.keys: dict[str, tuple[str, str | None, int | None]] = {}
        self.sites: dict = {}
        self.run = RunFingerprints()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, crawler.settings.get("ARSIP_DB"), crawler)

    def open_spider(self) -> None:
        from scraper.archive import Archive

        self.archive = Archive(self.db)
        spider = getattr(self.crawler, "spider", None)
        self.sites = getattr(spider, "sites", None) or {}

    def close_spider(self) -> None:
        if self.archive is not None:
            self.archive.close()

    def process_item(self, item):
        if not isinstance(item, CrawledArticle):
            return item
        article = item.article
        site = self.sites.get(item.site)
        if site is not None and site.article_patterns and article.canonical_url:
            article.canonical_url = canonical_for(article, item.switch, site.article_patterns)
        canonical = article.canonical_url or article.url
        key, own = url_key(canonical, item.switch), url_key(article.url, item.switch)
        taken = self.keys.get(key)
        if (
            taken is not None
            and key != own
            and taken[0] != own
            and not same_story(taken[1], taken[2], article.title, article.simhash)
        ):
            # One canonical on different articles (a theme's section URL): it
            # names none of them, and this one is kept under its own URL.
            logger.info("%s shares its canonical %s with another article", article.url, canonical)
            article.canonical_url = canonical = article.url
            key = own
            taken = self.keys.get(key)
        if taken is not None:
            raise drop(self.stats, "duplicate_url", canonical)
        self.keys[key] = (own, article.title, article.simhash)
        original = self.run.find(article.content_hash, article.simhash)
        if original is None and item.archive_checked:
            original = item.archived_original  # asked by the page worker, off the reactor
        elif original is None and self.archive is not None:
            original = self.archive.find_duplicate(article.content_hash, article.simhash, canonical)
        if original and url_key(original) != key:
            article.duplicate_of = original
            logger.info("%s is a copy of %s", canonical, original)
        else:
            self.run.add(article.content_hash, article.simhash, canonical)
        return item

"""Dedupe pipeline: a URL seen twice in a run is dropped; a copy of an earlier
story (same content hash, or simhash within NEAR_DUPLICATE_BITS) is kept with
`duplicate_of` pointing at the original."""

from __future__ import annotations

import logging

from pipelines import drop
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
    def __init__(self, stats, db: str) -> None:
        self.stats = stats
        self.db = db
        self.archive = None
        self.keys: set[str] = set()
        self.run = RunFingerprints()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, crawler.settings.get("ARSIP_DB"))

    def open_spider(self) -> None:
        from scraper.archive import Archive

        self.archive = Archive(self.db)

    def close_spider(self) -> None:
        if self.archive is not None:
            self.archive.close()

    def process_item(self, item):
        if not isinstance(item, CrawledArticle):
            return item
        article = item.article
        canonical = article.canonical_url or article.url
        key = url_key(canonical, item.switch)
        if key in self.keys:
            raise drop(self.stats, "duplicate_url", canonical)
        self.keys.add(key)
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

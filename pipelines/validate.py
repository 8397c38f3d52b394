"""Validate pipeline: records missing what every article must have are dropped, with the reason."""

from __future__ import annotations

import logging

from pipelines import drop
from scraper.clean import validate_article
from scraper.crawl import CrawledArticle

logger = logging.getLogger(__name__)


class ValidatePipeline:
    def __init__(self, stats, min_words: int) -> None:
        self.stats = stats
        self.min_words = min_words

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, crawler.settings.getint("ARSIP_MIN_WORDS", 30))

    def process_item(self, item):
        if isinstance(item, CrawledArticle):
            reason = validate_article(item.article, self.min_words)
            if reason:
                raise drop(self.stats, reason, item.article.url)
        return item

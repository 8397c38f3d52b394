"""Clean pipeline: normalised text, canonical URL and fingerprints on every record."""

from __future__ import annotations

import logging

from scraper.clean import clean_article
from scraper.crawl import CrawledArticle

logger = logging.getLogger(__name__)


class CleanPipeline:
    def process_item(self, item):
        if isinstance(item, CrawledArticle):
            item.article = clean_article(item.article, item.switch)
        return item

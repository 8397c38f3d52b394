"""Clean pipeline: normalised text, canonical URL and fingerprints on every record."""

from __future__ import annotations

import logging

from scraper.clean import clean_article
from scraper.crawl import CrawledArticle

logger = logging.getLogger(__name__)


class CleanPipeline:
    def process_item(self, item):
        # The page worker cleans records off the reactor thread; anything else
        # (merged multi-page articles, other spiders) is cleaned here.
        if isinstance(item, CrawledArticle) and not item.cleaned:
            item.article = clean_article(item.article, item.switch)
            item.cleaned = True
        return item

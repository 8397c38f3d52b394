"""Stop the crawl when the archive fails under a spider callback (damaged, disk, locked).

The spider reads the archive while it crawls (which URLs are known, which
sitemap dates are newer). A failure there must end the run as an archive
failure, exit 1 with the archive's own sentence, instead of one "Spider error"
traceback per page while the crawl goes on fetching pages it cannot store.
"""

from __future__ import annotations

from typing import Any

from scraper.exceptions import ArchiveFailure


class ArchiveFailureMiddleware:
    """Spider middleware: an ArchiveFailure from a callback closes the spider."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchiveFailureMiddleware:
        return cls(crawler)

    def process_spider_exception(self, response: Any, exception: BaseException):
        if not isinstance(exception, ArchiveFailure):
            return None
        stats = self.crawler.stats
        if not stats.get_value("arsip/archive_failed"):
            # The runner raises this sentence once the engine has stopped.
            stats.set_value("arsip/archive_failed", str(exception))
            engine = self.crawler.engine
            if engine is not None and engine.spider is not None:
                from scrapy.utils.defer import deferred_from_coro

                deferred_from_coro(engine.close_spider_async(reason="archive_failed"))
        return []

"""Archive pipeline: batched writes (one transaction each), fetch errors, the run's row."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from multiprocessing import get_context

from twisted.internet import task

from pipelines.writer import open_writer, write_batch
from scraper.crawl import CrawledArticle, FetchFailure
from scraper.exceptions import ArsipError

logger = logging.getLogger(__name__)

#: Batches handed to the writer process and not yet written, at most.
MAX_PENDING_BATCHES = 4


class Coverage:
    """Per site: how many new articles came with a date, authors, headings and
    related links, and how often a date was seen but could not be read. A sharp
    fall between runs means the site changed its layout."""

    FIELDS = ("published_at", "authors", "headings", "related")

    def __init__(self) -> None:
        self.counts: dict[str, dict[str, int]] = {}

    def add(self, site: str, article) -> None:
        c = self.counts.setdefault(
            site, dict.fromkeys(("articles", *self.FIELDS, "date_failed"), 0)
        )
        c["articles"] += 1
        for name in self.FIELDS:
            c[name] += bool(getattr(article, name))
        c["date_failed"] += bool(article.date_raw and not article.published_at)

    def shares(self) -> dict[str, dict[str, float]]:
        out = {}
        for site, c in self.counts.items():
            n = c["articles"]
            out[site] = {
                "articles": n,
                **{k: round(v / n, 3) for k, v in c.items() if k != "articles"},
            }
        return out


class ArchivePipeline:
    def __init__(self, crawler, db: str, keep_raw: bool, batch: int, seconds: float) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.db = db
        self.keep_raw = keep_raw
        self.batch_size = batch
        self.seconds = seconds
        self.buffer: list[CrawledArticle] = []
        self.first_buffered = 0.0
        self.archive = None
        self.run_id: int | None = None
        self.loop: task.LoopingCall | None = None
        self.coverage = Coverage()
        self.use_process = False
        self.writer: ProcessPoolExecutor | None = None
        self.pending: set[asyncio.Future] = set()
        self.failure: str | None = None  # why the archive cannot be written, once it cannot

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        pipe = cls(
            crawler,
            s.get("ARSIP_DB"),
            s.getbool("ARSIP_KEEP_RAW", True),
            s.getint("ARSIP_BATCH_SIZE", 50),
            s.getfloat("ARSIP_BATCH_SECONDS", 2.0),
        )
        # Inline by default: with stemming cut down (scraper.archive.fts) and
        # done by page workers when they can, a write costs the crawler ~0.3 ms
        # a record, less than a writer process costs to start and to feed, and
        # ~90 MB less memory (bench/crawl.py measures both).
        pipe.use_process = s.get("ARSIP_ARCHIVE_WRITER") == "process"
        return pipe

    def open_spider(self) -> None:
        from scraper.archive import Archive

        self.archive = Archive(self.db, keep_raw=self.keep_raw)
        spider = self.crawler.spider
        sites = sorted(getattr(spider, "sites", {}) or {})
        self.run_id = self.archive.start_run(sites)
        self.stats.set_value("arsip/run_id", self.run_id)
        # A quiet spell must not leave records unwritten for long.
        self.loop = task.LoopingCall(self._flush_if_due)
        self.loop.start(max(0.1, self.seconds), now=False)

    def _flush_if_due(self) -> None:
        if self.buffer and time.monotonic() - self.first_buffered >= self.seconds:
            self.flush()

    def flush(self) -> None:
        if not self.buffer or self.archive is None:
            return
        batch, self.buffer = self.buffer, []
        if self.failure is not None:
            self._lost(batch, self.failure)
            return
        # The crawl plan goes to disk before the records it covers: after a
        # kill, every archived record's listing trail can still be resumed.
        frontier = getattr(self.crawler.spider, "frontier", None)
        if frontier is not None:
            frontier.save()
        raws = [item.raw if self.keep_raw else None for item in batch]
        articles = [i.article for i in batch]
        stems = [i.stems for i in batch]
        if self.use_process and self.writer is None and len(batch) >= self.batch_size:
            # Started at the first full batch: a run with a handful of new
            # articles (the hourly cron run) writes them faster itself.
            self.writer = ProcessPoolExecutor(
                1,
                mp_context=get_context("spawn"),
                initializer=open_writer,
                initargs=(self.db, self.keep_raw, os.getpid()),
            )
        if self.writer is not None:
            try:
                submitted = self.writer.submit(write_batch, articles, raws, self.run_id, stems)
            except (BrokenProcessPool, RuntimeError) as exc:
                # The writer process died (killed, out of memory): every later
                # batch would be lost too, so the crawl stops here.
                self._lost(batch, _reason(exc))
                return
            future = asyncio.wrap_future(submitted)
            self.pending.add(future)
            future.add_done_callback(partial(self._written, batch))
            return
        try:
            outcomes = self.archive.save_batch(articles, raws, self.run_id, stems=stems)
        except Exception as exc:
            self._lost(batch, _reason(exc))
            return
        self._record(batch, outcomes)

    def _written(self, batch: list[CrawledArticle], future: asyncio.Future) -> None:
        self.pending.discard(future)
        if future.cancelled():
            return
        if (exc := future.exception()) is not None:
            self._lost(batch, _reason(exc))
        else:
            self._record(batch, future.result())

    def _lost(self, batch: list[CrawledArticle], reason: str, *, quiet: bool = False) -> None:
        """A batch that could not be written: counted, logged in one line (never
        its contents), and the crawl stopped. Its pages stay in the frontier."""
        lost = int(self.stats.get_value("arsip/lost", 0)) + len(batch)
        self.stats.set_value("arsip/lost", lost)
        if not quiet:
            logger.error("cannot write %d articles to the archive: %s", len(batch), reason)
        first = self.failure is None
        self.failure = self.failure or reason
        self.stats.set_value(
            "arsip/archive_failed",
            f"{self.failure.rstrip('.')}; {lost} articles not saved, "
            "the next run fetches them again.",
        )
        if first:
            self._stop()

    def _stop(self) -> None:
        # The batch's transaction rolled back: nothing half-written. Stop the
        # crawl rather than fetch pages nobody can store.
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(engine.close_spider_async(reason="archive_failed"))

    def _record(self, batch: list[CrawledArticle], outcomes: list[str]) -> None:
        for item, outcome in zip(batch, outcomes, strict=False):
            self.stats.inc_value(f"arsip/saved/{outcome}")
            if outcome == "new":
                self.coverage.add(item.site or item.article.site or "", item.article)

    async def process_item(self, item):
        if len(self.pending) >= MAX_PENDING_BATCHES:
            # The writer is behind: wait rather than pile batches up in memory.
            await asyncio.wait(set(self.pending), return_when=asyncio.FIRST_COMPLETED)
        if isinstance(item, FetchFailure):
            if self.archive is not None:
                self.archive.record_fetch_error(
                    self.run_id, item.url, item.error, item.status, item.attempts, site=item.site
                )
            return item
        if isinstance(item, CrawledArticle):
            if self.failure is not None:
                # Already reported: the crawl is stopping; only the count grows.
                self._lost([item], self.failure, quiet=True)
                return item
            if not self.buffer:
                self.first_buffered = time.monotonic()
            self.buffer.append(item)
            if len(self.buffer) >= self.batch_size:
                self.flush()
        return item

    def counts(self) -> dict:
        stats = self.stats.get_stats()

        def group(prefix: str) -> dict[str, int]:
            return {k[len(prefix) :]: int(v) for k, v in stats.items() if k.startswith(prefix)}

        return {
            "pages": int(stats.get("arsip/pages", 0)),
            "new": int(stats.get("arsip/saved/new", 0)),
            "updated": int(stats.get("arsip/saved/updated", 0)),
            "unchanged": int(stats.get("arsip/saved/unchanged", 0)),
            "duplicates": int(stats.get("arsip/saved/duplicate", 0)),
            "lost": int(stats.get("arsip/lost", 0)),
            "dropped": group("arsip/dropped/"),
            "errors": group("arsip/errors/"),
            "coverage": self.coverage.shares(),
        }

    async def close_spider(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.flush()
        if self.pending:
            await asyncio.wait(set(self.pending))
        if self.writer is not None:
            self.writer.shutdown(wait=True)
        if self.archive is not None:
            try:
                if self.run_id is not None:  # None: the run never started
                    self.archive.finish_run(self.run_id, self.counts())
            finally:
                self.archive.close()


def _reason(exc: BaseException) -> str:
    """Why a write failed, as one sentence (never the batch it carried)."""
    if isinstance(exc, BrokenProcessPool) or (
        isinstance(exc, RuntimeError) and "shutdown" in str(exc)
    ):
        return "Cannot write to the archive (the archive writer process died)."
    if isinstance(exc, ArsipError):
        return str(exc)  # already the sentence (a damaged archive says how to recover it)
    text = (str(exc).strip() or type(exc).__name__).splitlines()[0][:300]
    return f"Cannot write to the archive ({text})."

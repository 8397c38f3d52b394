"""The generic news spider: discovers article pages of the configured sites."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from functools import partial
from multiprocessing import get_context
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.http import HtmlResponse, Request, Response

from scraper.items import Article, Rejected
from scraper.sites import Site
from scraper.urls import canonicalize, url_key
from spiders.articles import ArticlesMixin
from spiders.failures import FailuresMixin
from spiders.frontier import Frontier
from spiders.links import (
    looks_like_article,
)
from spiders.listings import ListingsMixin
from spiders.sources import SourcesMixin
from spiders.worker import PageResult, exit_with_parent, process_page

logger = logging.getLogger(__name__)

# Articles before listings: an article finishes a record, a listing only adds work.
ARTICLE_PRIORITY = 20
PAGINATION_PRIORITY = 10
#: Pages larger than this are parsed off the reactor thread even before the
#: page workers start (a news page is well under it).
OFF_REACTOR_BYTES = 1_000_000
#: Requests queued per site at most, as a multiple of its page budget.
QUEUE_FACTOR = 4


class NewsSpider(SourcesMixin, ListingsMixin, ArticlesMixin, FailuresMixin, scrapy.Spider):
    """One spider for every site: sitemaps, feeds, start pages, then links."""

    name = "news"

    def __init__(
        self,
        sites: Iterable[Site] = (),
        *,
        refresh: bool = False,
        since: datetime | None = None,
        max_pages: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.sites = {site.key: site for site in sites}
        self.allowed_domains = sorted({h for s in self.sites.values() for h in s.hosts})
        self.refresh = refresh
        self.since = since
        self.max_pages = max_pages
        self.scheduled: set[str] = set()  # url keys requested this run
        self.budget: dict[str, int] = {}  # requests queued per site this run
        self.fetched: dict[str, int] = {}  # requests sent per site this run
        self.chains: dict[str, set[str]] = {}  # listing chain -> link keys seen on it
        self.stopped_chains: set[str] = set()  # chains that reached --since
        # (site, chain) of listing chains whose last page some earlier run saw:
        # only those may stop at a page whose articles are all archived.
        self.ended_chains: set[tuple[str, str]] = set()
        self.chain_ends: dict[str, set[str]] = {}  # site -> chains ended in this run
        self.starved: set[str] = set()  # sites whose page budget ran out this run
        self._saving = False  # a frontier write is running on a thread
        self.listing_keys: set[str] = set()  # pages found to be listings this run
        self.known_cache: dict[str, bool] = {}  # archive answers given this run
        self.crawl_delays: dict[str, float] = {}  # host -> robots.txt Crawl-delay
        self.pool: ProcessPoolExecutor | None = None
        self.workers = 0
        self.processed = 0  # pages handed to extraction
        self.archive = None
        self.archive_was_empty = False
        self.index_stemmed = False  # the archive's search index is stemmed

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        spider.default_max_pages = s.getint("ARSIP_MAX_PAGES", 5000)
        spider.max_hops = s.getint("ARSIP_MAX_HOPS", 4)
        spider.max_listing = s.getint("ARSIP_MAX_LISTING_PAGES", 50)
        spider.max_article_pages = s.getint("ARSIP_MAX_ARTICLE_PAGES", 20)
        spider.inline_pages = s.getint("ARSIP_INLINE_PAGES", 30)
        spider.max_links = s.getint("ARSIP_MAX_LINKS", 5000)
        spider.db = s.get("ARSIP_DB")
        spider.frontier = Frontier(spider._archive, spider.db)
        spider.obey_robots = s.getbool("ROBOTSTXT_OBEY")
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(spider.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(spider.spider_closed, signal=signals.spider_closed)
        return spider

    # --- bookkeeping ---------------------------------------------------------

    def _stat(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(key, n)

    def _known(self, urls: list[str]) -> set[str]:
        """Which URLs the archive already has: one batched lookup for the URLs
        not asked about before in this run (menus repeat on every page)."""
        if self.refresh or not urls:
            return set()
        ask = [u for u in dict.fromkeys(urls) if u not in self.known_cache]
        if ask:
            found = self._archive().known_urls(ask)
            for url in ask:
                self.known_cache[url] = url in found
        return {u for u in urls if self.known_cache.get(u)}

    def _archive(self):
        """The spider's read connection to the archive, opened on first use."""
        if self.archive is None:
            from scraper.archive import Archive

            self.archive = Archive(self.db)
        return self.archive

    def spider_opened(self, spider) -> None:
        from twisted.internet import task

        # With nothing archived before this run, an earlier original can only
        # come from this run, which the dedupe pipeline remembers itself.
        self.archive_was_empty = not self.refresh and self._archive().count() == 0
        self.index_stemmed = self._archive().stemmed

        workers = self.crawler.settings.get("ARSIP_WORKERS")
        if workers in (None, ""):
            # Extraction is the crawl's bottleneck: two workers when there is
            # more than one core (measured in bench/crawl.py).
            workers = 2 if (os.cpu_count() or 1) >= 2 else 0
        self.workers = int(workers)

        self.ended_chains = {
            key
            for key, state in self._archive().listing_chains(self.sites).items()
            if state["end_seen"]
        }
        # Saved every few seconds so that a kill -9 loses little of the plan;
        # only what changed, and on a thread, so the reactor never waits on it.
        self._frontier_loop = task.LoopingCall(self._save_frontier)
        self._frontier_loop.start(2.0, now=False)

    def _save_frontier(self) -> None:
        from twisted.internet import threads

        if self._saving:
            return
        self._saving = True
        d = threads.deferToThread(self.frontier.save)
        d.addErrback(lambda f: logger.warning("cannot save the frontier (%s)", f.value))
        d.addBoth(lambda _: setattr(self, "_saving", False))

    def spider_closed(self, spider, reason: str = "finished") -> None:
        loop = getattr(self, "_frontier_loop", None)
        if loop is not None and loop.running:
            loop.stop()
        from scraper.exceptions import ArchiveError

        try:
            if reason == "finished":
                # A chain's end counts only from a run that fetched everything
                # it queued: with the budget spent, articles listed on the last
                # pages may never have been fetched.
                ends = {s: c for s, c in self.chain_ends.items() if s not in self.starved}
                self.frontier.finish(self.sites, ends)
            else:
                self.frontier.save()
        except ArchiveError as exc:
            logger.warning("cannot save the frontier (%s)", exc)
        if self.archive is not None:
            self.archive.close()
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)

    def _cap(self, site: Site) -> int:
        return self.max_pages or site.max_pages or self.default_max_pages

    def _request(
        self, url: str, site: Site, callback, *, force: bool = False, **meta
    ) -> Request | None:
        """A request for the site, unless already scheduled or far over budget.
        The budget itself is spent when a request is sent (see `admit`)."""
        key = url_key(url, site.whole_article)
        if key in self.scheduled and not force:
            return None
        queued = self.budget.get(site.key, 0)
        if queued >= QUEUE_FACTOR * self._cap(site) and not force:
            self._stat(f"arsip/budget_reached/{site.key}")
            self.starved.add(site.key)
            return None
        self.scheduled.add(key)
        self.budget[site.key] = queued + 1
        meta["site"] = site.key
        meta["force"] = force
        if callback == self.parse_page and not force:
            meta["frontier"] = url
            self.frontier.add(url, meta)
        hops = meta.get("hops", 0)
        if meta.get("article") or (site.is_article_url(url) is None and looks_like_article(url)):
            priority = ARTICLE_PRIORITY
        elif meta.get("listing"):
            priority = PAGINATION_PRIORITY
        else:
            priority = 0
        return Request(
            url,
            callback=callback,
            errback=self.failed,
            meta=meta,
            # Breadth first: a page far from the start waits for nearer ones.
            priority=priority - hops,
            # Deduplication is ours (by url_key, above). Scrapy's dupefilter
            # would also silently cut redirect loops that must be recorded.
            dont_filter=True,
        )

    def admit(self, request: Request) -> bool:
        """Called as a request is sent: spend one page of its site's budget
        (retries, redirects and pages of a split article are free)."""
        meta = request.meta
        if meta.get("force") or meta.get("retry_times") or meta.get("redirect_times"):
            return True
        site = self.sites.get(meta.get("site", ""))
        if site is None:
            return True
        used = self.fetched.get(site.key, 0)
        if used >= self._cap(site):
            self.starved.add(site.key)
            return False
        self.fetched[site.key] = used + 1
        return True

    # --- entry points --------------------------------------------------------

    async def start(self):
        for site in self.sites.values():
            for url in site.sitemaps:
                if req := self._request(url, site, self.parse_sitemap):
                    yield req
            for url in site.feeds:
                if req := self._request(url, site, self.parse_feed):
                    yield req
            # Sitemaps announced in robots.txt need no configuration: Scrapy's
            # robots.txt middleware reports them (robots_parsed); without it,
            # the spider reads robots.txt itself.
            hosts = dict.fromkeys(
                f"{p.scheme}://{p.netloc}" for p in map(urlsplit, site.start_urls)
            )
            for host in hosts if not self.obey_robots else ():
                if req := self._request(
                    f"{host}/robots.txt", site, self.parse_robots, optional=True
                ):
                    yield req
            for url in site.start_urls:
                chain = canonicalize(url)
                if req := self._request(
                    chain, site, self.parse_page, hops=0, listing=0, chain=chain
                ):
                    yield req
        for req in self._resume():
            yield req

    def _resume(self) -> Iterator[Request]:
        """Pages an interrupted run had scheduled but not finished."""
        left = {
            url: meta
            for url, meta in self.frontier.load(self.sites).items()
            if meta.get("site") in self.sites
        }
        known = self._known(list(left))
        for url, meta in left.items():
            if url in known:
                continue
            site = self.sites[meta.pop("site")]
            if req := self._request(url, site, self.parse_page, **meta):
                self._stat("arsip/resumed")
                yield req

    # --- pages -----------------------------------------------------------------

    async def parse_page(self, response: Response):
        self._stat("arsip/pages")
        site = self.sites[response.meta["site"]]
        if not isinstance(response, HtmlResponse) or response.body.lstrip()[:5] == b"%PDF-":
            self._stat("arsip/dropped/not_html")
            self.frontier.done(response.meta)
            return
        verdict = site.is_article_url(response.url)
        page = await self._process(response, site, verdict)
        if page.links_capped:
            self._links_capped(response.url)
        article = page.record if isinstance(page.record, Article) else None
        if isinstance(page.record, Rejected) and (
            verdict or page.record.reason.startswith("extract_failed")
        ):
            self._stat(f"arsip/dropped/not_article_{page.record.reason}")
        if article is not None:
            if self._older_than_since(article, response):
                return
            for item in self._article(response, site, article, page=page):
                yield item
        else:
            self._stat("arsip/listings")
            self.listing_keys.add(url_key(response.url, site.whole_article))
        for req in self._follow(response, site, page, is_listing=article is None):
            yield req
        if article is None:
            # Only now, with everything it links to in the frontier, is a
            # listing finished: marked earlier, a kill could lose its next page.
            self.frontier.done(response.meta)

    def _links_capped(self, url: str) -> None:
        """Record a page whose links went past ARSIP_MAX_LINKS (the run keeps the first few URLs)."""
        self._stat("arsip/links_capped")
        urls = self.crawler.stats.get_value("arsip/links_capped_urls") or []
        if len(urls) < 20:
            self.crawler.stats.set_value("arsip/links_capped_urls", [*urls, url])
        logger.info("%s has more than %d links; only the first were read", url, self.max_links)

    async def _process(self, response: Response, site: Site, verdict: bool | None) -> PageResult:
        """Extraction, cleaning and link finding, in the worker process when there is one."""
        self.processed += 1
        if self.pool is None and self.workers > 0 and self.processed > self.inline_pages:
            # Started only once the crawl proves big: starting workers costs
            # more than an hourly incremental run has pages to extract.
            # spawn, not fork: a forked child would inherit the running reactor.
            self.pool = ProcessPoolExecutor(
                self.workers,
                mp_context=get_context("spawn"),
                initializer=exit_with_parent,
                initargs=(os.getpid(),),
            )
        # Only a worker process looks up duplicates: inline, the dedupe
        # pipeline does it, with the connection it already has.
        lookup = self.pool is not None and not self.archive_was_empty
        call = partial(
            process_page,
            response.body,
            response.url,
            site=site.key,
            timezone=site.timezone,
            verdict=verdict,
            domains=site.domains,
            switch=site.whole_article,
            db=self.db if lookup else None,
            # A worker that has the archive's code loaded for those lookups
            # also stems the record for the search index, the costliest part
            # of writing it. Loading that code only to stem would cost a
            # worker more (~25 MB, ~0.15 s) than stemming costs the writer.
            stem=lookup and self.index_stemmed,
            max_links=self.max_links,
        )
        if self.pool is None:
            if len(response.body) > OFF_REACTOR_BYTES:
                # A page this big keeps the reactor (every download) waiting
                # while it is parsed: a thread parses it instead.
                return await asyncio.to_thread(call)
            return call()
        try:
            return await asyncio.get_running_loop().run_in_executor(self.pool, call)
        except (BrokenProcessPool, OSError) as exc:
            # A worker killed by the OS (memory) must not end the crawl: go inline.
            logger.warning("page worker failed (%s); extracting in the crawler process", exc)
            self.pool, self.workers = None, 0
            return call(db=None)

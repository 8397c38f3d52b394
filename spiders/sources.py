"""Discovery from robots.txt, sitemaps (indexes, news sitemaps) and RSS/Atom feeds."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from scrapy.http import Request, Response
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import sitemap_urls_from_robots

from scraper.sites import Site
from scraper.urls import canonicalize, host_of
from spiders.links import allowed, feed_entries, sitemap_entries

logger = logging.getLogger(__name__)


class SourcesMixin:
    """Callbacks of NewsSpider for machine-readable lists of articles."""

    def robots_parsed(self, robotparser, request: Request) -> None:
        """Scrapy has read a host's robots.txt, before letting any request to
        it through: take its Crawl-delay and the sitemaps it announces."""
        try:
            self._set_crawl_delay(
                request.url, robotparser.crawl_delay(self.crawler.settings.get("USER_AGENT"))
            )
        except Exception:  # a robots.txt we cannot read sets no delay
            logger.debug("no crawl delay readable for %s", host_of(request.url))
        site = self.sites.get(request.meta.get("site", ""))
        protego = getattr(robotparser, "rp", None)  # Scrapy's parser wraps Protego
        if site is None or protego is None:
            return
        parts = urlsplit(request.url)
        base = f"{parts.scheme}://{parts.netloc}/robots.txt"
        for url in getattr(protego, "sitemaps", ()) or ():
            url = urljoin(base, url)
            if allowed(url, site.domains) and (
                req := self._request(url, site, self.parse_sitemap, optional=True)
            ):
                self.crawler.engine.crawl(req)

    def parse_robots(self, response: Response):
        """robots.txt fetched by the spider itself, when ROBOTSTXT_OBEY is off."""
        from protego import Protego

        site = self.sites[response.meta["site"]]
        try:
            robots = Protego.parse(response.body.decode("utf-8", "replace"))
            delay = robots.crawl_delay(self.crawler.settings.get("USER_AGENT"))
        except Exception:  # a robots.txt we cannot read sets no delay
            delay = None
        self._set_crawl_delay(response.url, delay)
        for url in sitemap_urls_from_robots(response.body, base_url=response.url):
            if allowed(url, site.domains) and (
                req := self._request(url, site, self.parse_sitemap, optional=True)
            ):
                yield req

    def parse_sitemap(self, response: Response):
        self._stat("arsip/pages")
        site = self.sites[response.meta["site"]]
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
            except OSError:
                self._stat("arsip/dropped/bad_sitemap")
                return
        kind, entries = sitemap_entries(body)
        if kind == "index":
            for loc, when in entries:
                if self.since and when and when < self.since:
                    continue  # a child sitemap untouched since then holds nothing newer
                if allowed(loc, site.domains) and (
                    req := self._request(loc, site, self.parse_sitemap)
                ):
                    yield req
            return
        yield from self._entries(site, entries)

    def parse_feed(self, response: Response):
        self._stat("arsip/pages")
        site = self.sites[response.meta["site"]]
        yield from self._entries(site, feed_entries(response.body, response.url))

    def _entries(self, site: Site, entries: list[tuple[str, datetime | None]]) -> Iterator[Request]:
        """Article candidates from a sitemap or feed. An archived one is fetched
        again only when its entry's date (lastmod, publication or feed date) is
        newer than the stored version's."""
        dated: dict[str, datetime | None] = {}
        for loc, when in entries:
            if self.since and when and when < self.since:
                self._stat("arsip/skipped/older_than_since")
                continue
            url = canonicalize(loc, site.whole_article)
            if allowed(url, site.domains) and site.is_article_url(url) is not False:
                dated.setdefault(url, when)
        stored = self._known_dates(list(dated))
        for url, when in dated.items():
            if url in stored:
                # The stored time is the latest of the article's own dates
                # and when a crawl last saw it: an entry dated after that
                # announces a change this copy cannot have.
                before = stored[url]
                changed = when is not None and (before is None or when > before.replace(tzinfo=UTC))
                if not changed:
                    self._stat("arsip/skipped/known")
                    continue
                self._stat("arsip/refetched/newer_lastmod")
            if req := self._request(url, site, self.parse_page, hops=self.max_hops, article=True):
                yield req

    def _known_dates(self, urls: list[str]) -> dict[str, datetime | None]:
        """Archived URLs among these and the latest of their own dates and last visit."""
        if self.refresh or not urls:
            return {}
        return self._archive().known_url_dates(urls, seen=True)

    def _set_crawl_delay(self, url: str, delay: float | None) -> None:
        """Remember the Crawl-delay of the URL's host for CrawlDelayMiddleware,
        whatever its length: a site asking for a minute gets a minute. Each
        site it slows is noted, so `arsip runs` can say when the delay leaves
        the site's page budget out of reach."""
        from spiders.middlewares import delay_key

        try:
            delay = float(delay) if delay else None
        except (TypeError, ValueError):
            delay = None
        if not delay or delay != delay or delay <= 0:
            return
        self.crawl_delays[delay_key(url)] = delay
        logger.info("%s asks for a crawl delay of %ss", host_of(url), delay)
        for site in self.sites.values():
            if allowed(url, site.domains):
                key = f"arsip/crawl_delay/{site.key}"
                self.crawler.stats.max_value(key, delay)
                self.crawler.stats.set_value(f"arsip/budget/{site.key}", self._cap(site))

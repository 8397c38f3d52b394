"""Article pages: one record per article, a split article's pages merged."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from scrapy.http import Response

from scraper.clean import merge_pages
from scraper.crawl import CrawledArticle
from scraper.extract import extract
from scraper.items import Article, Rejected
from scraper.sites import Site
from scraper.urls import canonicalize, url_key, with_switch
from spiders.links import allowed

logger = logging.getLogger(__name__)


class ArticlesMixin:
    """Callbacks of NewsSpider that turn article pages into items. Prefers the
    site's whole-article switch; else follows the article's own next pages."""

    def _extract(self, response: Response, site: Site) -> Article | Rejected:
        """The extractor's verdict. A bug in it must not stop the crawl: the
        page is dropped with a reason and its links are still followed."""
        try:
            tz = ZoneInfo(site.timezone) if site.timezone else None
            return extract(
                response.body,
                response.url,
                site=site.key,
                fetched_at=datetime.now(UTC),
                timezone=tz,
            )
        except Exception as exc:
            logger.exception("extractor failed on %s", response.url)
            return Rejected(url=response.url, reason=f"extract_failed_{type(exc).__name__}")

    def _item(
        self, article: Article, raw: bytes | None, site: Site, *, cleaned: bool = False
    ) -> CrawledArticle:
        self._stat("arsip/articles")
        return CrawledArticle(
            article=article, raw=raw, site=site.key, switch=site.whole_article, cleaned=cleaned
        )

    def _article(self, response: Response, site: Site, article: Article, page=None) -> Iterator:
        nexts = [u for u in article.next_pages if allowed(u, site.domains)]
        if not nexts:
            item = self._item(article, response.body, site, cleaned=bool(page and page.cleaned))
            if page is not None:
                item.stems = page.stems
            if page is not None and page.archive_checked:
                item.archive_checked, item.archived_original = True, page.archived_original
            elif self.archive_was_empty:
                item.archive_checked = True  # nothing was archived before this run
            yield item
            return
        meta = {"first": article, "raw": response.body}
        if site.whole_article:
            # The switch covers the later pages: they are not articles to visit on
            # their own (the fallback below visits them with force if it fails).
            self.scheduled.update(url_key(u, site.whole_article) for u in nexts)
            url = with_switch(canonicalize(response.url, site.whole_article), site.whole_article)
            yield self._request(url, site, self.parse_whole, force=True, article=True, **meta)
            return
        yield from self._pages_of(article, response.body, site)

    def _pages_of(self, first: Article, raw, site: Site) -> Iterator:
        """Follow the article's own "Halaman 2"... links and merge the pages."""
        nexts = [u for u in first.next_pages if allowed(u, site.domains)]
        yield from self._next_part(site, [first], {url_key(first.url)}, nexts, raw)

    def _next_part(
        self, site: Site, parts: list[Article], visited: set[str], nexts: list[str], raw
    ):
        todo = [u for u in nexts if url_key(u) not in visited]
        if not todo or len(parts) >= self.max_article_pages:
            yield self._item(merge_pages(parts[0], parts[1:]), raw, site)
            return
        visited.add(url_key(todo[0]))
        yield self._request(
            todo[0],
            site,
            self.parse_part,
            force=True,
            article=True,
            parts=parts,
            visited=visited,
            raw=raw,
        )

    def parse_whole(self, response: Response):
        self._stat("arsip/pages")
        site = self.sites[response.meta["site"]]
        first: Article = response.meta["first"]
        result = self._extract(response, site)
        if isinstance(result, Article) and result.word_count >= first.word_count:
            result.url = first.url
            result.canonical_url = first.canonical_url or result.canonical_url
            result.next_pages = []
            yield self._item(result, response.body, site)
        else:
            self._stat("arsip/whole_article_failed")
            yield from self._pages_of(first, response.meta["raw"], site)

    def parse_part(self, response: Response):
        self._stat("arsip/pages")
        site = self.sites[response.meta["site"]]
        parts: list[Article] = response.meta["parts"]
        result = self._extract(response, site)
        nexts: list[str] = []
        if isinstance(result, Article):
            parts = [*parts, result]
            nexts = [u for u in result.next_pages if allowed(u, site.domains)]
        yield from self._next_part(
            site, parts, response.meta["visited"], nexts, response.meta["raw"]
        )

    def _salvage(self, meta: dict, site: Site) -> Iterator[CrawledArticle]:
        """A later page of an article failed: walk the pages instead of a failed
        whole-article view, or leave a half-fetched article for the next run."""
        if "first" in meta:  # no whole-article view for this one: walk its pages instead
            yield from self._pages_of(meta["first"], meta["raw"], site)
        elif "parts" in meta:
            # A record of the first pages only would stand as complete, and the
            # next run would skip the URL as known: leave it for the next run.
            self._stat("arsip/dropped/incomplete_article")
            logger.info(
                "%s: a later page failed, article left for the next run", meta["parts"][0].url
            )

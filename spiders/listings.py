"""Following links: listings, their pagination, and when to stop walking them."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime

from scrapy.http import Request, Response

from scraper.extract.dates import WIB
from scraper.items import Article
from scraper.sites import Site
from scraper.urls import canonicalize, url_key
from spiders.links import Link, allowed, looks_like_article
from spiders.worker import PageResult

logger = logging.getLogger(__name__)

#: Links of one page considered at most: a real page has a few hundred.
MAX_LINKS_PER_PAGE = 1000


class ListingsMixin:
    """NewsSpider's link following. A listing's pagination is followed while
    its pages keep showing article links new to this walk, up to
    ARSIP_MAX_LISTING_PAGES; once they show only archived articles, the walk
    stops there only if some earlier run saw the chain's last page (otherwise
    a capped, killed or frontier-less run would leave the deeper pages
    unvisited for good). Other links are followed up to ARSIP_MAX_HOPS."""

    def _article_like(self, url: str, key: str, verdict: bool | None) -> bool:
        """Does this link count as an article when judging a listing page?"""
        if verdict is not None:
            return verdict
        return key not in self.listing_keys and looks_like_article(url)

    def _older_than_since(self, article: Article, response: Response) -> bool:
        if not self.since or not article.published_at:
            return False
        try:
            published = datetime.fromisoformat(article.published_at)
        except ValueError:
            return False
        if published.tzinfo is None:
            published = published.replace(tzinfo=WIB)
        if published >= self.since:
            return False
        # The listing that led here has reached older news: stop walking it.
        if chain := response.meta.get("from_chain"):
            self.stopped_chains.add(chain)
        self._stat("arsip/dropped/older_than_since")
        return True

    def _follow(
        self, response: Response, site: Site, page: PageResult, *, is_listing: bool
    ) -> Iterator[Request]:
        meta = response.meta
        hops = meta.get("hops", self.max_hops)
        chain = meta.get("chain") or canonicalize(response.url)
        links: dict[str, Link] = {}
        for link in page.links:
            if link.url not in links or link.pagination:
                links[link.url] = link
            if len(links) >= MAX_LINKS_PER_PAGE:
                self._stat("arsip/links_truncated")
                break
        if hops == 0:
            for feed in page.feeds:
                if allowed(feed, site.domains) and (
                    req := self._request(feed, site, self.parse_feed, optional=True)
                ):
                    yield req
        content = [u for u, link in links.items() if not link.pagination]
        is_article = {u: site.is_article_url(u) for u in content}
        known = self._known(
            [u for u in content if url_key(u, site.whole_article) not in self.scheduled]
        )
        # Only listings need what their walk has shown: an article's links are
        # never compared again (kept, they cost ~15 KB a page for nothing).
        seen = self.chains.setdefault(chain, set()) if is_listing else None
        new_to_walk = fresh = 0
        for url in content:
            key = url_key(url, site.whole_article)
            if seen is not None and key not in seen:
                seen.add(key)
                if self._article_like(url, key, is_article[url]):
                    new_to_walk += 1
                    fresh += url not in known
            if url in known:
                self._stat("arsip/skipped/known")
                continue
            if is_article[url]:
                req = self._request(
                    url, site, self.parse_page, hops=hops + 1, article=True, from_chain=chain
                )
            elif hops + 1 <= self.max_hops and site.is_followable(url):
                req = self._request(
                    url,
                    site,
                    self.parse_page,
                    hops=hops + 1,
                    listing=0,
                    chain=url,
                    from_chain=chain,
                )
            else:
                req = None
            if req:
                yield req
        if not is_listing:
            return  # an article's ?page=2 links are its own pages, not a listing
        nxt = meta.get("listing", 0) + 1
        self.frontier.reached(site.key, chain, nxt)
        pages = [u for u, link in links.items() if link.pagination and site.is_followable(u)]
        if not pages:
            # The chain's last page: recorded when the run ends cleanly.
            self.chain_ends.setdefault(site.key, set()).add(chain)
            return
        if not new_to_walk or chain in self.stopped_chains or nxt > self.max_listing:
            # Pagination that shows nothing new to this walk (an endless
            # calendar, a repeat of page 1) is a trap; news older than --since
            # or the page cap end the walk too.
            self._stat("arsip/pagination_stopped")
            return
        if not fresh:
            if (site.key, chain) in self.ended_chains:
                # Everything from here on was archived by the run that saw the end.
                self._stat("arsip/pagination_stopped")
                return
            self._stat("arsip/pagination_past_archived")
        for url in pages:
            if req := self._request(
                url, site, self.parse_page, hops=hops, listing=nxt, chain=chain
            ):
                yield req

"""Downloader middlewares: allowed hosts only, and retries that back off and honour Retry-After."""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.asyncio import sleep
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet.defer import Deferred

from scraper.urls import host_of, is_http, origin, port_of
from spiders.links import allowed

logger = logging.getLogger(__name__)

#: Statuses whose Retry-After header says when to come back (RFC 9110 §10.2.3).
RETRY_AFTER_STATUSES = (429, 503)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for: delta-seconds or an HTTP date."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, but waiting before each retry: Retry-After when the
    server gives one (429/503), else exponential backoff. A Retry-After longer
    than the cap is not waited for: the page is given up and recorded."""

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.backoff = settings.getfloat("ARSIP_RETRY_BACKOFF", 1.0)
        self.backoff_max = settings.getfloat("ARSIP_RETRY_BACKOFF_MAX", 60.0)

    def _delay(self, request: Request) -> float:
        return min(self.backoff_max, self.backoff * 2 ** request.meta.get("retry_times", 0))

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        delay = self._delay(request)
        if response.status in RETRY_AFTER_STATUSES:
            asked = retry_after_seconds(response.headers.get(b"Retry-After"))
            if asked is not None:
                if asked > self.backoff_max:
                    logger.info("%s asks to retry after %.0fs; giving up", request.url, asked)
                    self.crawler.stats.inc_value("arsip/retry_after/too_long")
                    return response
                delay = asked
                self.crawler.stats.inc_value("arsip/retry_after/honoured")
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        if delay > 0:
            await sleep(delay)
        return retry

    async def process_exception(self, request: Request, exception: Exception):
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry"):
            return None
        retry = self._retry(request, exception)
        if retry is not None and (delay := self._delay(request)) > 0:
            await sleep(delay)
        return retry


def forbidden_address(address: str) -> bool:
    """An address a crawl of a public site must never reach: loopback,
    private, link-local (cloud metadata at 169.254.169.254 included),
    multicast, reserved or unspecified."""
    try:
        ip = ipaddress.ip_address(address.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


async def _resolve(host: str) -> str | None:
    """The address the downloader will connect to: Scrapy's caching resolver
    answers the connection with the same, cached, result."""
    from twisted.internet import reactor

    try:
        return await maybe_deferred_to_future(reactor.resolve(host))  # type: ignore[attr-defined]
    except Exception:  # an unresolvable name fails as a download error of its own
        return None


class AddressGuard:
    """Whether a URL may be fetched for a site, judged by the address its host
    resolves to: a site whose own start URLs are on public addresses may never
    send the crawler to an internal one (a DNS name, link or redirect aimed at
    127.0.0.1, 10.x, 169.254.169.254...). A site configured on an internal
    address (a local test or intranet server) may stay there."""

    def __init__(self, resolve: Callable[[str], Awaitable[str | None]] = _resolve) -> None:
        self.resolve = resolve
        self.addresses: dict[str, str | None] = {}
        self.internal_sites: dict[str, bool] = {}

    async def address(self, host: str) -> str | None:
        if host not in self.addresses:
            try:
                ipaddress.ip_address(host.strip("[]"))
                self.addresses[host] = host
            except ValueError:
                self.addresses[host] = await self.resolve(host)
        return self.addresses[host]

    async def internal_site(self, site: Any) -> bool:
        """Whether any of the site's start URLs is on an internal address."""
        if site.key not in self.internal_sites:
            found = False
            for url in site.start_urls:
                address = await self.address(host_of(url))
                found = found or (address is not None and forbidden_address(address))
            self.internal_sites[site.key] = found
        return self.internal_sites[site.key]

    async def allows(self, url: str, site: Any) -> bool:
        if site is None or await self.internal_site(site):
            return True
        address = await self.address(host_of(url))
        return address is None or not forbidden_address(address)


class AllowedHostsMiddleware:
    """Every request, redirects included, stays on its site's hosts and ports,
    on http(s), off internal addresses (see AddressGuard), and within the
    site's page budget. Scrapy's own offsite check skips requests marked
    dont_filter, which all of ours are (the spider deduplicates by URL key
    itself)."""

    def __init__(self, crawler, guard: AddressGuard | None = None) -> None:
        self.crawler = crawler
        self.guard = guard or AddressGuard()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        if not is_http(request.url):
            raise IgnoreRequest(f"Filtered offsite request to a non-http URL {request.url[:80]!r}")
        spider = self.crawler.spider
        site = getattr(spider, "sites", {}).get(request.meta.get("site"))
        # A request of no site (robots.txt): any site's hosts and ports.
        sites = getattr(spider, "sites", {}) or {}
        domains = site.domains if site else tuple(d for s in sites.values() for d in s.domains)
        if domains and not allowed(request.url, domains):
            self.crawler.stats.inc_value("arsip/skipped/offsite_redirect")
            raise IgnoreRequest(f"Filtered offsite request to {host_of(request.url)!r}")
        if not await self.guard.allows(request.url, site):
            self.crawler.stats.inc_value("arsip/skipped/internal_address")
            logger.warning(
                "%s resolves to an internal address; not fetched for a public site",
                host_of(request.url),
            )
            raise IgnoreRequest(f"Filtered request to an internal address {host_of(request.url)!r}")
        admit = getattr(spider, "admit", None)
        if admit is not None and not admit(request):
            raise IgnoreRequest("page budget of the site reached")


def delay_key(url: str) -> str:
    """What one robots.txt speaks for: the host and its port (http and https
    on the default ports are one)."""
    return origin(host_of(url), port_of(url))


class _HostTurn:
    """One host's turn-taking: the request holding it, when the next may start,
    and the requests waiting for it."""

    __slots__ = ("free_at", "holder", "waiters")

    def __init__(self) -> None:
        self.holder: int | None = None
        self.free_at = 0.0
        self.waiters: list[Deferred] = []


class CrawlDelayMiddleware:
    """robots.txt `Crawl-delay` as a minimum, whatever AutoThrottle and
    Scrapy's randomised delay decide: a host that asks for one gets one
    request at a time, each sent no sooner than the delay (or DOWNLOAD_DELAY,
    if larger) after the previous one to that host ended. Measured from the
    end, the gap the server sees between two requests can only be longer than
    the delay, however slow or loaded the crawler is. The spider records each
    host's delay when it reads robots.txt (see SourcesMixin)."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.floor = crawler.settings.getfloat("DOWNLOAD_DELAY", 0.0)
        self.turns: dict[str, _HostTurn] = {}
        crawler.signals.connect(self.request_left, signal=signals.request_left_downloader)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        delays = getattr(self.crawler.spider, "crawl_delays", None)
        key = delay_key(request.url)
        delay = delays.get(key) if delays else None
        if not delay or request.url.endswith("/robots.txt"):
            return
        turn = self.turns.setdefault(key, _HostTurn())
        waited = False
        while True:
            if turn.holder is not None:
                waiter: Deferred = Deferred()
                turn.waiters.append(waiter)
                await maybe_deferred_to_future(waiter)
            elif (wait := turn.free_at - time.monotonic()) > 0:
                await sleep(wait)
            else:
                break
            waited = True
        turn.holder = id(request)
        request.meta["arsip_delay_key"] = key
        if waited:
            self.crawler.stats.inc_value("arsip/crawl_delay_waits")

    def request_left(self, request: Request, spider=None) -> None:
        """The request's download ended (a response or a failure): the host's
        next request may start a delay from now."""
        self._release(request)

    def process_exception(self, request: Request, exception: Exception) -> None:
        # Dropped before reaching the downloader: it never will leave it.
        self._release(request)

    def _release(self, request: Request) -> None:
        key = request.meta.get("arsip_delay_key")
        turn = self.turns.get(key) if key else None
        if turn is None or turn.holder != id(request):
            return
        delays = getattr(self.crawler.spider, "crawl_delays", None) or {}
        turn.holder = None
        turn.free_at = time.monotonic() + max(delays.get(key, 0.0), self.floor)
        waiters, turn.waiters = turn.waiters, []
        for waiter in waiters:
            waiter.callback(None)

"""Downloader middlewares: allowed hosts only, and retries that back off and honour Retry-After."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.asyncio import sleep
from scrapy.utils.response import response_status_message

from scraper.urls import host_of, is_http
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


class AllowedHostsMiddleware:
    """Every request, redirects included, stays on its site's hosts and on
    http(s), and within the site's page budget. Scrapy's own offsite check
    skips requests marked dont_filter, which all of ours are (the spider
    deduplicates by URL key itself)."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if not is_http(request.url):
            raise IgnoreRequest(f"Filtered offsite request to a non-http URL {request.url[:80]!r}")
        spider = self.crawler.spider
        site = getattr(spider, "sites", {}).get(request.meta.get("site"))
        domains = site.domains if site else tuple(getattr(spider, "allowed_domains", None) or ())
        if domains and not allowed(request.url, domains):
            self.crawler.stats.inc_value("arsip/skipped/offsite_redirect")
            raise IgnoreRequest(f"Filtered offsite request to {host_of(request.url)!r}")
        admit = getattr(spider, "admit", None)
        if admit is not None and not admit(request):
            raise IgnoreRequest("page budget of the site reached")


class CrawlDelayMiddleware:
    """robots.txt `Crawl-delay`, which Scrapy reads but does not apply: requests
    to a host that asks for one are spaced at least that far apart, whatever
    AutoThrottle decides. The spider records each host's delay when it reads
    the site's robots.txt (see SourcesMixin.parse_robots)."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.next_free: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        delays = getattr(self.crawler.spider, "crawl_delays", None)
        host = host_of(request.url)
        delay = delays.get(host) if delays else None
        if not delay or request.url.endswith("/robots.txt"):
            return
        now = time.monotonic()
        # Reserve the next free moment for this host, then wait for it.
        start = max(now, self.next_free.get(host, 0.0))
        self.next_free[host] = start + delay
        if start > now:
            self.crawler.stats.inc_value("arsip/crawl_delay_waits")
            await sleep(start - now)

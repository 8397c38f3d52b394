"""Failed fetches: a short error kind for each, recorded instead of archived."""

from __future__ import annotations

import logging

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from scraper.crawl import FetchFailure

logger = logging.getLogger(__name__)

_ERROR_NAMES = {
    "CannotResolveHostError": "dns",
    "DNSLookupError": "dns",
    "DownloadTimeoutError": "timeout",
    "TimeoutError": "timeout",
    "TCPTimedOutError": "timeout",
    "DownloadConnectionRefusedError": "connection_refused",
    "ConnectionRefusedError": "connection_refused",
    "ResponseDataLossError": "connection_lost",
    "ConnectionLost": "connection_lost",
    "ConnectionDone": "connection_lost",
    "ResponseFailed": "connection_lost",
    "DownloadCancelledError": "too_large",
    "CancelledError": "too_large",
}
_IGNORED = (
    ("robots", "skipped_robots"),
    ("offsite", "skipped_offsite"),
    ("redirections", "redirect_loop"),
    ("maxsize", "too_large"),
    ("budget", "skipped_budget"),
)


def error_kind(failure: Failure) -> tuple[str, int | None]:
    """A short error kind for the stats and fetch_errors, and the HTTP status."""
    if failure.check(HttpError):
        status = failure.value.response.status
        return f"http_{status}", status
    if failure.check(IgnoreRequest):
        # Scrapy says why only in the message: robots and offsite filtering are
        # decisions, a redirect loop or an oversized body are the site's fault.
        message = str(failure.value).lower()
        for needle, kind in _IGNORED:
            if needle in message:
                return kind, None
        return "skipped_ignored", None
    name = type(failure.value).__name__
    return _ERROR_NAMES.get(name, name), None


class FailuresMixin:
    """The errback of every NewsSpider request."""

    def failed(self, failure: Failure):
        request = failure.request
        meta = request.meta
        site = self.sites.get(meta.get("site", ""))
        kind, status = error_kind(failure)
        self.frontier.done(meta)
        if kind.startswith("skipped_"):
            self._stat(f"arsip/skipped/{kind[8:]}")
            return
        if meta.get("optional"):
            self._stat(f"arsip/skipped/optional_{kind}")
            return
        logger.info("failed %s: %s", request.url, kind)
        self._stat(f"arsip/errors/{kind}")
        yield FetchFailure(
            # The URL the crawl asked for, not where redirects ended up.
            url=(meta.get("redirect_urls") or [request.url])[0],
            error=kind,
            status=status,
            attempts=meta.get("retry_times", 0) + 1,
            site=site.key if site else None,
        )
        if site:
            yield from self._salvage(meta, site)

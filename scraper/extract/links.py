"""Links of the article body: absolute URLs, registrable domains, internal or not."""

from __future__ import annotations

import logging
from urllib.parse import SplitResult, urljoin, urlsplit

from scraper.items import Link

logger = logging.getLogger(__name__)

#: Second-level labels under which registrable domains sit (example.co.id).
_SECOND_LEVEL = frozenset(
    {"co", "ac", "or", "go", "web", "my", "sch", "net", "com", "org", "gov", "edu"}
)


def split(url: str) -> SplitResult:
    """urlsplit that never raises: a malformed URL ("http://[::1") splits as empty."""
    try:
        return urlsplit(url)
    except ValueError:
        return urlsplit("")


def absolute(base_url: str, href: str) -> str | None:
    """An absolute http(s) URL for a link, or None for javascript:, mailto:, fragments."""
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "whatsapp:")):
        return None
    try:
        url = urljoin(base_url, href)
    except ValueError:
        logger.debug("unparsable link %r on %s", href, base_url)
        return None
    return url if url.startswith(("http://", "https://")) else None


def registrable(host: str) -> str:
    """The registrable part of a host name: news.example.co.id -> example.co.id."""
    labels = host.lower().rstrip(".").split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def body_links(raw: list[tuple[str, str]], url: str, related: set[str]) -> list[Link]:
    """The (text, href) pairs met in the body as records, each URL once, related ones left out."""
    home = registrable(split(url).hostname or "")
    out: list[Link] = []
    seen: set[str] = set()
    for text, href in raw:
        target = absolute(url, href)
        if not target or target in seen or target in related:
            continue
        seen.add(target)
        host = split(target).hostname or ""
        out.append(
            {"text": " ".join(text.split()), "url": target, "internal": registrable(host) == home}
        )
    return out

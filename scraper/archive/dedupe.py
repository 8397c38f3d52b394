"""Near-duplicate lookup: exact content hash first, then simhash bands and Hamming distance."""

from __future__ import annotations

import logging

from sqlalchemy import Connection, or_, select

from scraper import urls
from scraper.archive.models import article_urls, articles
from scraper.fingerprint import NEAR_DUPLICATE_BITS, bands, content_hash, hamming

logger = logging.getLogger(__name__)

#: Hash of an empty body: pages without text are not "copies" of each other.
_EMPTY_HASH = content_hash("")


def find_duplicate(
    conn: Connection, digest: str | None, simhash: int | None, url: str
) -> str | None:
    """Canonical URL of the earliest original with this body (exact or near), other than `url`."""
    own_ids = select(article_urls.c.article_id).where(article_urls.c.url_key == urls.url_key(url))
    originals = (
        articles.c.duplicate_of.is_(None)
        & (articles.c.canonical_url != urls.canonicalize(url))
        & articles.c.id.not_in(own_ids)
    )
    if digest and digest != _EMPTY_HASH:
        q = (
            select(articles.c.canonical_url)
            .where(originals & (articles.c.content_hash == digest))
            .order_by(articles.c.id)
            .limit(1)
        )
        found = conn.execute(q).scalar()
        if found:
            return found
    # simhash 0 is what an empty text yields; it would match every blank page.
    if not simhash:
        return None
    b = bands(simhash)
    bands_match = or_(*(articles.c[f"band{i}"] == b[i] for i in range(4)))
    q = (
        select(articles.c.canonical_url, articles.c.simhash)
        .where(originals & bands_match)
        .order_by(articles.c.id)
    )
    for canonical, other in conn.execute(q):
        if other is not None and hamming(simhash, other) <= NEAR_DUPLICATE_BITS:
            logger.debug("near duplicate of %s: %s", canonical, url)
            return canonical
    return None

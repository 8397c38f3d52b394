"""Near-duplicate lookup: exact content hash first, then simhash bands and Hamming distance."""

from __future__ import annotations

import logging

from sqlalchemy import Connection, select, union_all

from scraper import urls
from scraper.archive.models import article_urls, articles
from scraper.fingerprint import NEAR_DUPLICATE_BITS, bands, content_hash, hamming

logger = logging.getLogger(__name__)

#: Hash of an empty body: pages without text are not "copies" of each other.
_EMPTY_HASH = content_hash("")


def find_duplicate(
    conn: Connection, digest: str | None, simhash: int | None, url: str
) -> str | None:
    """Canonical URL of the earliest original with this body (exact or near), other than `url`.

    An exact copy (same content hash) wins over a near one. One query: the
    candidates are gathered from the hash and band indexes (UNION ALL), then
    filtered. Written as `OR`s, SQLite would walk every original instead, a
    cost that grows with the archive on each of a crawl's lookups.
    """
    exact = bool(digest) and digest != _EMPTY_HASH
    lookups = []
    if exact:
        lookups.append(select(articles.c.id).where(articles.c.content_hash == digest))
    # simhash 0 is what an empty text yields; it would match every blank page.
    if simhash:
        b = bands(simhash)
        lookups += [select(articles.c.id).where(articles.c[f"band{i}"] == b[i]) for i in range(4)]
    if not lookups:
        return None
    candidates = union_all(*lookups) if len(lookups) > 1 else lookups[0]
    own_ids = select(article_urls.c.article_id).where(article_urls.c.url_key == urls.url_key(url))
    q = (
        select(articles.c.canonical_url, articles.c.simhash, articles.c.content_hash)
        .where(
            articles.c.id.in_(candidates)
            & articles.c.duplicate_of.is_(None)
            & (articles.c.canonical_url != urls.canonicalize(url))
            & articles.c.id.not_in(own_ids)
        )
        .order_by(articles.c.id)
    )
    rows = conn.execute(q).all()
    if exact:
        for canonical, _other, other_hash in rows:
            if other_hash == digest:
                return canonical
    if simhash:
        for canonical, other, _other_hash in rows:
            if other is not None and hamming(simhash, other) <= NEAR_DUPLICATE_BITS:
                logger.debug("near duplicate of %s: %s", canonical, url)
                return canonical
    return None

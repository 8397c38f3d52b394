"""Near-duplicate lookup: exact content hash first, then simhash bands and Hamming distance."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, union_all

from scraper import urls
from scraper.archive.models import article_urls, articles
from scraper.fingerprint import NEAR_DUPLICATE_BITS, bands, content_hash, hamming

logger = logging.getLogger(__name__)

#: Hash of an empty body: pages without text are not "copies" of each other.
_EMPTY_HASH = content_hash("")

#: Fewer words than this, and only an exact copy counts: the simhash of a few
#: words moves too few bits to tell a copy from another short text.
NEAR_MIN_WORDS = 30


@dataclass(frozen=True, eq=False)
class Candidate:
    """An archived original a record may be a copy of."""

    id: int
    canonical_url: str
    published_utc: datetime | None

    def order(self) -> tuple[bool, datetime, int]:
        """Sort key of the original of a group: earliest published, undated last, then oldest row."""
        return (self.published_utc is None, self.published_utc or datetime.min, self.id)


def _matches(
    conn: Connection, digest: str | None, simhash: int | None, where: object
) -> list[tuple[Candidate, bool]]:
    """Originals with this exact body or a near one, (candidate, exact) in row order.

    One query: the candidates are gathered from the hash and band indexes
    (UNION ALL), then filtered. Written as `OR`s, SQLite would walk every
    original instead, a cost that grows with the archive on each lookup.
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
        return []
    candidates = union_all(*lookups) if len(lookups) > 1 else lookups[0]
    q = (
        select(
            articles.c.id,
            articles.c.canonical_url,
            articles.c.published_utc,
            articles.c.simhash,
            articles.c.content_hash,
        )
        .where(articles.c.id.in_(candidates) & articles.c.duplicate_of.is_(None) & where)
        .order_by(articles.c.id)
    )
    found = []
    for row_id, canonical, published, other, other_hash in conn.execute(q):
        same = exact and other_hash == digest
        near = (
            bool(simhash) and other is not None and hamming(simhash, other) <= NEAR_DUPLICATE_BITS
        )
        if same or near:
            found.append((Candidate(row_id, canonical, published), same))
    return found


def originals_like(
    conn: Connection,
    digest: str | None,
    simhash: int | None,
    words: int,
    *,
    exclude: int | None,
) -> list[Candidate]:
    """Every original (not itself a copy) with this body, exact or near, but row `exclude`."""
    where = articles.c.id != exclude if exclude is not None else articles.c.id.is_not(None)
    near = simhash if words >= NEAR_MIN_WORDS else None
    return [c for c, _exact in _matches(conn, digest, near, where)]


def original_of(conn: Connection, url: str) -> str | None:
    """The canonical URL of the original behind `url` (itself when it is one), None if unknown."""
    key = urls.url_key(url)
    row = conn.execute(
        select(articles.c.canonical_url, articles.c.duplicate_of)
        .join(article_urls, article_urls.c.article_id == articles.c.id)
        .where(article_urls.c.url_key == key)
    ).first()
    if row is None:
        row = conn.execute(
            select(articles.c.canonical_url, articles.c.duplicate_of).where(
                articles.c.canonical_url == url
            )
        ).first()
    if row is None:
        return None
    return row.duplicate_of or row.canonical_url


def find_duplicate(
    conn: Connection, digest: str | None, simhash: int | None, url: str
) -> str | None:
    """Canonical URL of the original with this body (exact or near), other than `url`.

    An exact copy wins over a near one; among several, the earliest published.
    The archive itself settles roles when it writes (`store`); this answer is
    what a crawl logs and passes on as a hint.
    """
    own_ids = select(article_urls.c.article_id).where(article_urls.c.url_key == urls.url_key(url))
    where = (articles.c.canonical_url != urls.canonicalize(url)) & articles.c.id.not_in(own_ids)
    found = _matches(conn, digest, simhash, where)
    exact = [c for c, same in found if same]
    best = min(exact or [c for c, _same in found], key=Candidate.order, default=None)
    if best is not None:
        logger.debug("copy of %s: %s", best.canonical_url, url)
    return best.canonical_url if best else None

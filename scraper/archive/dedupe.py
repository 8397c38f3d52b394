"""Near-duplicate lookup: exact content hash first, then simhash bands and Hamming distance."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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


class Pool:
    """The originals a batch of records may copy, fetched in one query per part
    of the batch, and kept current while the batch's roles are settled (a
    record demoted by an earlier one of the batch is no longer a candidate)."""

    def __init__(self, conn: Connection, fingerprints: list[tuple[str | None, int | None]]) -> None:
        self.rows: dict[int, list[Any]] = {}  # id -> [canonical, published, simhash, hash, dup]
        hashes = {d for d, _s in fingerprints if d and d != _EMPTY_HASH}
        band_sets: list[set[int]] = [set(), set(), set(), set()]
        for _d, s in fingerprints:
            if s:
                for i, b in enumerate(bands(s)):
                    band_sets[i].add(b)
        cols = (
            articles.c.id,
            articles.c.canonical_url,
            articles.c.published_utc,
            articles.c.simhash,
            articles.c.content_hash,
            articles.c.duplicate_of,
        )
        lookups = []
        for part in _parts(sorted(hashes)):
            lookups.append(select(*cols).where(articles.c.content_hash.in_(part)))
        for i, values in enumerate(band_sets):
            for part in _parts(sorted(values)):
                lookups.append(select(*cols).where(articles.c[f"band{i}"].in_(part)))
        # Copies are filtered here, not in SQL: a `duplicate_of IS NULL` term
        # lets SQLite pick that index over the hash and band ones (a scan).
        for q in lookups:
            for row in conn.execute(q):
                self.rows[row.id] = list(row[1:])

    def originals_like(
        self, digest: str | None, simhash: int | None, words: int, *, exclude: int
    ) -> list[Candidate]:
        exact = bool(digest) and digest != _EMPTY_HASH
        near = bool(simhash) and words >= NEAR_MIN_WORDS
        found = []
        for row_id in sorted(self.rows):
            canonical, published, other, other_hash, dup = self.rows[row_id]
            if row_id == exclude or dup is not None:
                continue
            if (exact and other_hash == digest) or (
                near and other is not None and hamming(simhash, other) <= NEAR_DUPLICATE_BITS
            ):
                found.append(Candidate(row_id, canonical, published))
        return found

    def point_at(self, member: Candidate, original: str) -> None:
        """Mirror of the UPDATEs that make `member` and its copies copies of `original`."""
        for row_id, row in self.rows.items():
            if row_id == member.id or row[4] == member.canonical_url:
                row[4] = original


def _parts(values: list[Any], size: int = 500) -> list[list[Any]]:
    return [values[i : i + size] for i in range(0, len(values), size)]

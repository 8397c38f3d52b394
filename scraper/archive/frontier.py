"""The crawl's persisted plan, keyed by site: pending pages and listing-chain progress.

`crawl_frontier` holds the pages a run scheduled and did not finish, so a
killed run (on this machine or, with PostgreSQL, another) resumes them.
`listing_chains` remembers, per listing chain (a category, a tag, a start
page and its pagination), how deep runs have walked it and whether its last
page was ever reached: an incremental run may stop at an archived head only
once the chain's end has been seen, so articles deeper than a capped or
killed run got are still found by later ordinary runs.

Writes are small batches (what changed since the last one) in one
transaction: upserts (`INSERT ... ON CONFLICT`, SQLite and PostgreSQL) for
pages added, deletes for pages finished.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, tuple_

from scraper.archive.models import crawl_frontier, listing_chains

#: Rows per statement: well under SQLite's bound-parameter limit.
CHUNK = 400


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _chunks(rows: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def load(conn: Connection, sites: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Pending pages of these sites: url -> request meta (with "site")."""
    sites = list(sites)
    if not sites:
        return {}
    rows = conn.execute(
        select(crawl_frontier.c.site, crawl_frontier.c.url, crawl_frontier.c.meta).where(
            crawl_frontier.c.site.in_(sites)
        )
    )
    return {url: {**(meta or {}), "site": site} for site, url, meta in rows}


def update(
    conn: Connection,
    added: Mapping[tuple[str, str], Mapping[str, Any]],
    done: Iterable[tuple[str, str]],
) -> None:
    """Add pending pages ((site, url) -> meta) and remove finished ones."""
    by_site: dict[str, list[str]] = {}
    for site, url in done:
        by_site.setdefault(site, []).append(url)
    for site, urls in by_site.items():
        for part in _chunks(urls):
            conn.execute(
                delete(crawl_frontier).where(
                    crawl_frontier.c.site == site, crawl_frontier.c.url.in_(part)
                )
            )
    now = _now()
    rows = [
        {"site": site, "url": url, "meta": dict(meta), "added_at": now}
        for (site, url), meta in added.items()
    ]
    for part in _chunks(rows):
        stmt = _insert(conn)(crawl_frontier)
        stmt = stmt.on_conflict_do_update(
            index_elements=[crawl_frontier.c.site, crawl_frontier.c.url],
            set_={"meta": stmt.excluded.meta, "added_at": stmt.excluded.added_at},
        )
        conn.execute(stmt, list(part))


def _insert(conn: Connection) -> Any:
    """The dialect's INSERT with ON CONFLICT (SQLite and PostgreSQL both have it)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def clear(conn: Connection, sites: Iterable[str]) -> None:
    """These sites' runs finished: nothing of theirs to resume."""
    conn.execute(delete(crawl_frontier).where(crawl_frontier.c.site.in_(list(sites))))


def load_chains(conn: Connection, sites: Iterable[str]) -> dict[tuple[str, str], dict[str, Any]]:
    """(site, chain) -> {"depth", "end_seen"} for these sites' listing chains."""
    sites = list(sites)
    if not sites:
        return {}
    rows = conn.execute(
        select(
            listing_chains.c.site,
            listing_chains.c.chain,
            listing_chains.c.depth,
            listing_chains.c.end_seen,
        ).where(listing_chains.c.site.in_(sites))
    )
    return {(s, c): {"depth": d, "end_seen": bool(e)} for s, c, d, e in rows}


def save_chains(conn: Connection, chains: Mapping[tuple[str, str], Mapping[str, Any]]) -> None:
    """Upsert chains' progress; depth and a seen end never go backwards."""
    if not chains:
        return
    keys = list(chains)
    old: dict[tuple[str, str], tuple[int, bool]] = {}
    for part in _chunks(keys):
        cond = tuple_(listing_chains.c.site, listing_chains.c.chain).in_(part)
        for s, c, d, e in conn.execute(
            select(
                listing_chains.c.site,
                listing_chains.c.chain,
                listing_chains.c.depth,
                listing_chains.c.end_seen,
            ).where(cond)
        ):
            old[(s, c)] = (d or 0, bool(e))
        conn.execute(delete(listing_chains).where(cond))
    now = _now()
    rows = []
    for (site, chain), state in chains.items():
        depth, end_seen = old.get((site, chain), (0, False))
        rows.append(
            {
                "site": site,
                "chain": chain,
                "depth": max(depth, int(state.get("depth") or 0)),
                "end_seen": end_seen or bool(state.get("end_seen")),
                "updated_at": now,
            }
        )
    for part in _chunks(rows):
        conn.execute(insert(listing_chains), list(part))

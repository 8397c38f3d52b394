"""The read side: one record, streamed records, raw pages and versions."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from scraper import urls
from scraper.archive import raw
from scraper.archive.filters import conditions
from scraper.archive.models import article_urls, article_versions, articles, raw_pages
from scraper.archive.records import EXTRA_FIELDS, row_record
from scraper.archive.search import MatchesQuery
from scraper.exceptions import ArchiveError, UsageError
from scraper.items import EXPORT_FIELDS

logger = logging.getLogger(__name__)

#: Rows fetched per round trip while streaming: big enough to be fast, small
#: enough that memory stays flat whatever the archive size.
STREAM_BATCH = 1000
RECORD_FIELDS = EXPORT_FIELDS + EXTRA_FIELDS


def check_fields(fields: Sequence[str] | None) -> tuple[str, ...]:
    """The requested record fields in the order given; an unknown name is a UsageError."""
    if not fields:
        return EXPORT_FIELDS
    unknown = [f for f in fields if f not in RECORD_FIELDS]
    if unknown:
        raise UsageError(f"Unknown field {unknown[0]!r}; fields are: {', '.join(RECORD_FIELDS)}.")
    return tuple(dict.fromkeys(fields))


def records_query(
    fields: tuple[str, ...],
    *,
    query: str | None,
    stemmed: bool,
    columns: Sequence[Any] | None = None,
    **filters: Any,
) -> Any:
    """SELECT of the given fields (or explicit columns), filtered, in archive order."""
    q = select(*(columns if columns is not None else [articles.c[f] for f in fields]))
    if query is not None:
        q = q.where(MatchesQuery(query, stemmed))
    return q.where(*conditions(**filters)).order_by(articles.c.id)


def iter_articles(
    engine: Engine,
    *,
    fields: Sequence[str] | None,
    query: str | None,
    stemmed: bool,
    **filters: Any,
) -> Iterator[dict[str, Any]]:
    """Stream records as dicts in constant memory."""
    names = check_fields(fields)
    q = records_query(names, query=query, stemmed=stemmed, **filters)
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=STREAM_BATCH).execute(q)
        for row in result:
            yield row_record(row, names)


def find_id(conn: Connection, url_or_id: str | int) -> int | None:
    """The article id of an id, or of any URL variant of an archived article."""
    if isinstance(url_or_id, int) or re.fullmatch(r"[0-9]{1,18}", str(url_or_id).strip()):
        return conn.execute(select(articles.c.id).where(articles.c.id == int(url_or_id))).scalar()
    url = str(url_or_id).strip()
    try:
        key = urls.url_key(url)
    except ValueError as exc:  # urllib: "Port out of range 0-65535", bad IPv6 brackets
        raise UsageError(f"{url!r} is not a URL that can be looked up: {exc}.") from None
    found = conn.execute(
        select(article_urls.c.article_id).where(article_urls.c.url_key == key)
    ).scalar()
    if found is None:
        found = conn.execute(select(articles.c.id).where(articles.c.canonical_url == url)).scalar()
    return found


def get(conn: Connection, url_or_id: str | int) -> dict[str, Any] | None:
    """One full record plus id, first_seen, last_seen, version and versions (stored earlier states)."""
    article_id = find_id(conn, url_or_id)
    if article_id is None:
        return None
    row = conn.execute(select(articles).where(articles.c.id == article_id)).one()
    record = row_record(row, (*RECORD_FIELDS, "date_source", "date_raw", "date_precision"))
    record["versions"] = conn.execute(
        select(func.count()).where(article_versions.c.article_id == article_id)
    ).scalar()
    return record


def versions(conn: Connection, url_or_id: str | int) -> list[dict[str, Any]]:
    """The earlier states of an article, oldest first (each a full record)."""
    article_id = find_id(conn, url_or_id)
    if article_id is None:
        return []
    q = (
        select(
            article_versions.c.version, article_versions.c.replaced_at, article_versions.c.record
        )
        .where(article_versions.c.article_id == article_id)
        .order_by(article_versions.c.version)
    )
    return [
        {"version": v, "replaced_at": at.isoformat() + "+00:00", "record": record}
        for v, at, record in conn.execute(q)
    ]


def iter_raw_pages(
    engine: Engine, **filters: Any
) -> Iterator[tuple[str, bytes | None, str | None, str | None]]:
    """(url, page bytes, fetched_at, site) of every stored raw page, streamed;
    None for the bytes of a page whose stored copy is damaged."""
    q = (
        select(
            raw_pages.c.url,
            raw_pages.c.codec,
            raw_pages.c.data,
            raw_pages.c.fetched_at,
            articles.c.site,
        )
        .join(articles, articles.c.id == raw_pages.c.article_id)
        .where(*conditions(**filters))
        .order_by(raw_pages.c.article_id)
    )
    with engine.connect() as conn:
        for url, codec, data, fetched_at, site in conn.execution_options(yield_per=100).execute(q):
            try:
                page = raw.decompress(codec, data)
            except ArchiveError:
                raise
            except Exception as exc:  # zlib.error, zstd errors, unknown codec
                # One damaged blob must not stop a reparse of the whole archive.
                logger.warning("stored page of %s cannot be read: %s", url, exc)
                page = None
            yield url, page, fetched_at, site

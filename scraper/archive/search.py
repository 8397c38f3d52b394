"""Full-text search: ranked bm25 over the FTS5 index, filters, highlighted snippets."""

from __future__ import annotations

import itertools
import logging
import re
from collections import deque
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Connection, Float, Integer, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.compiler import compiles

from scraper.archive import fts, pgsearch
from scraper.archive.filters import conditions
from scraper.archive.models import articles
from scraper.archive.query import Terms, compile_query
from scraper.exceptions import ArchiveError, QueryError

logger = logging.getLogger(__name__)

SNIPPET_WORDS = 32
#: Words shown before the first hit, so it reads in context.
SNIPPET_LEAD = 8
HIGHLIGHT = ("[", "]")

_RESULT_COLUMNS = (
    articles.c.id,
    articles.c.canonical_url.label("url"),
    articles.c.title,
    articles.c.site,
    articles.c.published_at,
    articles.c.description,
    articles.c.body_text,
)


def _matches(match: str) -> Any:
    sql = f"SELECT rowid AS id, rank FROM {fts.FTS_TABLE} WHERE {fts.FTS_TABLE} MATCH :match"
    return text(sql).bindparams(match=match).columns(id=Integer, rank=Float).subquery("m")


def _require_sqlite(conn: Connection) -> None:
    # PostgreSQL has its own index and queries (pgsearch); other databases none.
    if conn.dialect.name not in ("sqlite", "postgresql"):
        raise ArchiveError("Full-text search needs an SQLite or PostgreSQL archive.")


def _postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def search(
    conn: Connection,
    query: str,
    *,
    stemmed: bool,
    limit: int = 20,
    offset: int = 0,
    highlight: tuple[str, str] = HIGHLIGHT,
    **filters: Any,
) -> list[dict[str, Any]]:
    """Ranked results (best first), each with a highlighted snippet and a score."""
    _require_sqlite(conn)
    if _postgres(conn):
        compiled = pgsearch.compile_query(query, stemmed=stemmed)
        where = conditions(**filters)
        narrowed = any(v for k, v in filters.items() if k != "originals_only")
        found = pgsearch.ranked_ids(
            conn, compiled, where, limit=limit, offset=offset, narrowed=narrowed
        )
        # As FTS5's rank: lower is better (the score shown is its negation).
        ranked = [(article_id, -rank) for article_id, rank in found]
        return _results(conn, ranked, compiled, highlight)
    compiled = compile_query(query, stemmed=stemmed)
    where = conditions(**filters)
    # Rank ids alone first: sorting every match with its 3 KB body attached is
    # what makes a common word slow. Without filters FTS5 orders by rank itself.
    if where:
        m = _matches(compiled.match)
        ranked_q = (
            select(m.c.id, m.c.rank)
            .join(articles, articles.c.id == m.c.id)
            .where(*where)
            .order_by(m.c.rank, m.c.id)
            .limit(limit)
            .offset(offset)
        )
    else:
        ranked_q = text(
            f"SELECT rowid AS id, rank FROM {fts.FTS_TABLE} WHERE {fts.FTS_TABLE} MATCH :match "
            "ORDER BY rank LIMIT :limit OFFSET :offset"
        ).bindparams(match=compiled.match, limit=limit, offset=offset)
    return _results(conn, _run(conn, ranked_q).all(), compiled, highlight)


def _results(
    conn: Connection, ranked: Any, compiled: Any, highlight: tuple[str, str]
) -> list[dict[str, Any]]:
    """The result dicts of ranked (id, rank) pairs, in that order."""
    if not ranked:
        return []
    rows = {
        row.id: row
        for row in conn.execute(
            select(*_RESULT_COLUMNS).where(articles.c.id.in_([r[0] for r in ranked]))
        )
    }
    results = []
    is_hit = _hit_test(compiled.terms)
    for article_id, rank in ranked:
        row = rows[article_id]
        results.append(
            {
                "id": row.id,
                "url": row.url,
                "title": row.title,
                "site": row.site,
                "published_at": row.published_at,
                "snippet": snippet(
                    row.body_text or row.description or "", compiled.terms, highlight, is_hit
                ),
                "score": float(f"{-rank:.4g}"),
            }
        )
    return results


def count(conn: Connection, query: str | None, *, stemmed: bool, **filters: Any) -> int:
    """How many articles match (all filters applied)."""
    where = conditions(**filters)
    q = select(func.count()).select_from(articles)
    # "" is an empty search (an error, as in search()); only None means no search.
    if query is not None:
        _require_sqlite(conn)
        if _postgres(conn):
            return pgsearch.count(conn, pgsearch.compile_query(query, stemmed=stemmed), where)
        m = _matches(compile_query(query, stemmed=stemmed).match)
        q = q.join(m, m.c.id == articles.c.id)
    return int(_run(conn, q.where(*where)).scalar() or 0)


def matching_ids(query: str, *, stemmed: bool) -> Any:
    """A subquery of article ids matching `query` (SQLite's index)."""
    return _matches(compile_query(query, stemmed=stemmed).match)


class MatchesQuery(ColumnElement[bool]):
    """`articles.id` matches a search query, compiled for the archive's
    database: the FTS5 index on SQLite, the tsvector index on PostgreSQL."""

    type = Boolean()
    inherit_cache = False

    def __init__(self, query: str, stemmed: bool) -> None:
        compile_query(query, stemmed=stemmed)  # a bad query fails here, before any SQL
        self.query = query
        self.stemmed = stemmed


@compiles(MatchesQuery)
def _matches_fts5(element: MatchesQuery, compiler: Any, **kw: Any) -> str:
    m = matching_ids(element.query, stemmed=element.stemmed)
    return compiler.process(articles.c.id.in_(select(m.c.id)), **kw)


@compiles(MatchesQuery, "postgresql")
def _matches_tsvector(element: MatchesQuery, compiler: Any, **kw: Any) -> str:
    condition = pgsearch.match_condition(element.query, stemmed=element.stemmed)
    return compiler.process(condition, **kw)


def _run(conn: Connection, q: Any) -> Any:
    try:
        return conn.execute(q)
    except OperationalError as exc:
        reason = str(exc.orig).lower() if exc.orig is not None else ""
        if "locked" in reason or "busy" in reason or "disk" in reason:
            raise ArchiveError("The archive is busy or unreadable right now; try again.") from None
        # Our translation quotes every term, so this is rare; never show SQL text.
        logger.debug("FTS query failed: %s", exc)
        raise QueryError("The search query could not be understood by the search engine.") from None


def _hit_test(terms: Terms) -> Any:
    """A memoised word -> is-it-a-hit test: bodies repeat words, stems are costly."""
    memo: dict[str, bool] = {}

    def is_hit(word: str) -> bool:
        found = memo.get(word)
        if found is None:
            folded = word.lower() if word.isascii() else fts.fold(word)
            found = (
                folded in terms.exact
                or any(folded.startswith(p) for p in terms.prefixes)
                or (bool(terms.stems) and fts.stem(folded) in terms.stems)
            )
            memo[word] = found
        return found

    return is_hit


def snippet(
    body: str, terms: Terms, highlight: tuple[str, str] = HIGHLIGHT, is_hit: Any = None
) -> str:
    """About SNIPPET_WORDS words around the first hit, hits wrapped in `highlight`."""
    is_hit = is_hit or _hit_test(terms)
    recent: deque[re.Match[str]] = deque(maxlen=SNIPPET_LEAD + 1)
    window: list[re.Match[str]] = []
    for match in fts.WORD.finditer(body):
        if window:
            window.append(match)
            if len(window) >= SNIPPET_WORDS:
                break
            continue
        recent.append(match)
        if is_hit(match.group()):
            window = list(recent)
    if not window:  # the match was in the title or a heading: show the opening
        window = list(itertools.islice(fts.WORD.finditer(body), SNIPPET_WORDS))
    if not window:
        return ""
    begin, end = window[0].start(), window[-1].end()
    out: list[str] = ["…" if begin > 0 else ""]
    pos = begin
    for w in window:
        out.append(body[pos : w.start()])
        word = w.group()
        out.append(f"{highlight[0]}{word}{highlight[1]}" if is_hit(word) else word)
        pos = w.end()
    out.append("…" if end < len(body) else "")
    return " ".join("".join(out).split())

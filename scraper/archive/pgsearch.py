"""Full-text search on PostgreSQL: a tsvector per article, GIN-indexed, same syntax as SQLite.

The index holds what the SQLite FTS5 index holds, built by the same code
(`fts.fts_values`: folded words and their Sastrawi stems), as one tsvector
per article in `articles_tsv`:

- exact words as lexemes (`ponsel`), stems with a `~` mark (`~tulis`), so
  a word query (`menulis` -> `~tulis`) finds every inflection and a phrase or
  prefix query matches only written forms, as the two column sets do in FTS5;
- weights by field, as FTS5's bm25 weights: title A, headings B, description
  C, body D; a gap between fields, so a phrase never spans two of them.

The lexemes are ours, so the tsvector is written as a literal and queries are
cast to `tsquery` directly: PostgreSQL's parser and its `indonesian` stemmer
never touch them (that stemmer misses nasal forms: `menulis` would not find
`tulisan`), and no text search configuration needs installing (the literal
is `simple`'s form). Rows are written by the store in the batch's transaction.
Snippets are cut in Python by `search.snippet` from the stored body, as on
SQLite: `ts_headline` could mark only the exact forms, never the inflections
a stem matched, so both backends show the same snippet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Float, Integer, func, select, text
from sqlalchemy.exc import DataError, ProgrammingError
from sqlalchemy.sql.expression import ColumnElement

from scraper.archive.fts import EXACT_COLUMNS, STEM_COLUMNS, WORD, fold, stem
from scraper.archive.models import articles
from scraper.archive.query import Compiled, Terms, _Not, _Op, _Parser, _Term, _tokens
from scraper.exceptions import QueryError

TABLE = "articles_tsv"
STEM_MARK = "~"
#: Field weights, in EXACT_COLUMNS order (title, description, headings, body),
#: the same order of importance as fts.WEIGHTS (10, 3, 4, 1).
FIELD_WEIGHTS = {"title": "A", "description": "C", "headings": "B", "body": "D"}
#: ts_rank's weights for D, C, B, A: FTS5's 1, 3, 4, 10 scaled to 1.0.
RANK_WEIGHTS = "{0.1, 0.3, 0.4, 1.0}"
_MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
_MAX_POSITIONS = 256  # positions kept per lexeme (PostgreSQL keeps no more)
_MAX_LEXEME = 2046  # bytes

CREATE_SQL = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    " article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,"
    " doc TSVECTOR NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_doc ON {TABLE} USING GIN (doc)",
)
UPSERT_SQL = text(
    f"INSERT INTO {TABLE} (article_id, doc) VALUES (:rowid, CAST(:doc AS tsvector)) "
    "ON CONFLICT (article_id) DO UPDATE SET doc = EXCLUDED.doc"
)
DELETE_SQL = text(f"DELETE FROM {TABLE} WHERE article_id = :rowid")


def create(conn: Connection) -> None:
    for sql in CREATE_SQL:
        conn.exec_driver_sql(sql)


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(values: Mapping[str, Any]) -> str:
    """The tsvector of one FTS row (`fts.fts_values`): exact words and marked stems."""
    positions: dict[str, list[str]] = {}
    for columns, mark in ((EXACT_COLUMNS, ""), (STEM_COLUMNS, STEM_MARK)):
        pos = 0
        for exact_name, name in zip(EXACT_COLUMNS, columns, strict=True):
            weight = FIELD_WEIGHTS[exact_name]
            for word in WORD.findall(values.get(name) or ""):
                pos = min(pos + 1, _MAX_POSITION)
                lexeme = mark + (word.lower() if word.isascii() else fold(word))
                if len(lexeme.encode("utf-8")) > _MAX_LEXEME:
                    continue
                kept = positions.setdefault(lexeme, [])
                if len(kept) < _MAX_POSITIONS:
                    kept.append(f"{pos}{weight}")
            pos = min(pos + 1, _MAX_POSITION)  # a gap: no phrase spans two fields
    return " ".join(f"{_quote(lex)}:{','.join(dict.fromkeys(p))}" for lex, p in positions.items())


def insert_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(UPSERT_SQL, [{"rowid": r["rowid"], "doc": tsvector_literal(r)} for r in rows])


def delete_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(DELETE_SQL, [{"rowid": r["rowid"]} for r in rows])


def reset(conn: Connection) -> None:
    """Empty the index, before refilling it."""
    create(conn)
    conn.exec_driver_sql(f"DELETE FROM {TABLE}")


# -- queries ---------------------------------------------------------------


def _lexemes(parts: Iterable[str], mark: str = "") -> list[str]:
    return [_quote(mark + p) for p in parts]


@dataclass
class PgCompiled(Compiled):
    rank: str = ""  # the wanted terms alone, OR-ed: what ts_rank weighs


def _render(
    node: object, stemmed: bool, terms: Terms, positive: bool, wanted: list[str] | None = None
) -> str:
    wanted = wanted if wanted is not None else []
    if isinstance(node, _Term):
        leaf = _leaf(node, stemmed, terms, positive)
        if positive:
            wanted.append(leaf)
        return leaf
    if isinstance(node, _Not):
        return "!(" + _render(node.node, stemmed, terms, not positive, wanted) + ")"
    assert isinstance(node, _Op)
    joiner = " | " if node.op == "OR" else " & "
    return joiner.join(f"({_render(n, stemmed, terms, positive, wanted)})" for n in node.nodes)


def _leaf(node: _Term, stemmed: bool, terms: Terms, positive: bool) -> str:
    folded = [fold(p) for p in node.parts]
    if node.kind == "phrase" or (node.kind == "word" and not stemmed):
        if positive:
            terms.exact.update(folded)
        return " <-> ".join(_lexemes(folded))
    if node.kind == "prefix":
        if positive:
            terms.exact.update(folded[:-1])
            terms.prefixes.add(folded[-1])
        return " <-> ".join([*_lexemes(folded[:-1]), _quote(folded[-1]) + ":*"])
    stems = [stem(p) for p in node.parts]
    if positive:
        terms.stems.update(stems)
    return " <-> ".join(_lexemes(stems, STEM_MARK))


def compile_query(query: str, *, stemmed: bool = True) -> PgCompiled:
    """A tsquery (text, to cast) for a user query, with the same syntax and
    errors as the SQLite translation (`query.compile_query`)."""
    if not query or not query.strip():
        raise QueryError("The search query is empty.")
    tree = _Parser(_tokens(query)).parse()
    terms = Terms()
    wanted: list[str] = []
    match = _render(tree, stemmed, terms, True, wanted)
    # ts_rank counts a NOT operand's lexemes too; rank by the wanted terms alone.
    return PgCompiled(match, terms, " | ".join(f"({w})" for w in wanted) or match)


def match_condition(query: str, *, stemmed: bool) -> ColumnElement[bool]:
    """`articles.id` matches the query: for export and iter_articles."""
    tsv = text(f"SELECT article_id FROM {TABLE} WHERE doc @@ CAST(:tsq AS tsquery)").bindparams(
        tsq=compile_query(query, stemmed=stemmed).match
    )
    return articles.c.id.in_(tsv.columns(article_id=Integer))


def ranked_ids(
    conn: Connection,
    compiled: PgCompiled,
    where: list[ColumnElement[bool]],
    *,
    limit: int,
    offset: int,
    narrowed: bool = False,
) -> list[tuple[int, float]]:
    """(id, rank) best first, filters applied in the same statement."""
    sql = text(
        "SELECT t.article_id AS id, "
        "ts_rank(CAST(:weights AS float4[]), t.doc, CAST(:rankq AS tsquery)) AS rank "
        f"FROM {TABLE} t WHERE t.doc @@ CAST(:tsq AS tsquery)"
    ).columns(id=Integer, rank=Float)
    # Matched and ranked first, through the GIN index, then filtered: left to
    # itself the planner may walk the filtered articles and test each one's
    # out-of-line tsvector instead (200 ms for 5,000 articles).
    # A narrowing filter (site, author, dates...) is left to the planner, which
    # then tests the few filtered articles instead of ranking every match.
    m = sql.bindparams(weights=RANK_WEIGHTS, tsq=compiled.match, rankq=compiled.rank)
    m = m.subquery("m") if narrowed else m.cte("m").prefix_with("MATERIALIZED")
    q = select(m.c.id, m.c.rank)
    if where:
        q = q.join(articles, articles.c.id == m.c.id).where(*where)
    q = q.order_by(m.c.rank.desc(), m.c.id).limit(limit).offset(offset)
    return [(row.id, float(row.rank)) for row in run(conn, q)]


def count(conn: Connection, compiled: Compiled, where: list[ColumnElement[bool]]) -> int:
    sql = text(f"SELECT article_id AS id FROM {TABLE} WHERE doc @@ CAST(:tsq AS tsquery)")
    m = sql.bindparams(tsq=compiled.match).columns(id=Integer).cte("m").prefix_with("MATERIALIZED")
    q = select(func.count()).select_from(m)
    if where:
        q = q.join(articles, articles.c.id == m.c.id).where(*where)
    return int(run(conn, q).scalar() or 0)


def run(conn: Connection, q: Any) -> Any:
    try:
        # The tsvectors live out of line (TOAST): the planner costs the table by
        # its small main heap and scans it, reading every document (200 ms for
        # 5,000 articles) where the GIN index answers in under 1 ms. For this
        # transaction only (read connections are never committed).
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        return conn.execute(q)
    except (ProgrammingError, DataError) as exc:
        # Our translation quotes every lexeme; never show SQL text.
        raise QueryError("The search query could not be understood by the search engine.") from exc

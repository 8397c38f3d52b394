"""The FTS5 index: exact and Indonesian-stemmed columns, maintained per batch (no triggers)."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, text

logger = logging.getLogger(__name__)

FTS_TABLE = "articles_fts"
EXACT_COLUMNS = ("title", "description", "headings", "body")
STEM_COLUMNS = ("title_s", "description_s", "headings_s", "body_s")
#: bm25 weights per column, in table order: a word in the title counts most.
WEIGHTS = (10.0, 3.0, 4.0, 1.0, 10.0, 3.0, 4.0, 1.0)

WORD = re.compile(r"\w+", re.UNICODE)

# Contentless (content=''): the text already lives in `articles`, so the index
# stores no second copy; snippets are cut in Python from `articles.body_text`.
# The stemmed columns exist because FTS5 tokenizers cannot be written in Python:
# we stem before indexing. Not `porter`: it is an English stemmer.
CREATE_SQL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    + ", ".join(EXACT_COLUMNS + STEM_COLUMNS)
    + ", content='', tokenize='unicode61 remove_diacritics 2')"
)
_COLS = ", ".join(EXACT_COLUMNS + STEM_COLUMNS)
_PARAMS = ", ".join(f":{c}" for c in EXACT_COLUMNS + STEM_COLUMNS)
INSERT_SQL = text(f"INSERT INTO {FTS_TABLE}(rowid, {_COLS}) VALUES (:rowid, {_PARAMS})")
DELETE_SQL = text(
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLS}) VALUES ('delete', :rowid, {_PARAMS})"
)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


def fold(word: str) -> str:
    """Case- and diacritic-folded form, as unicode61 remove_diacritics sees it."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=262_144)
def stem(word: str) -> str:
    """The Indonesian stem of one word (`diluncurkan` -> `luncur`), cached.

    Words with digits or non-Latin letters pass through folded: Sastrawi strips
    every character outside a-z, which would turn `5g` or `iphone15` into noise.
    """
    folded = fold(word)
    if not folded.isascii() or not folded.isalpha():
        return folded
    return _stemmer().stem(folded) or folded


#: Whitespace token -> its stems, for indexing. A plain dict is the fastest
#: lookup Python has, and splitting on whitespace is ~4x faster than a Unicode
#: word regex over a whole body; the regex then runs once per distinct token.
_STEMS: dict[str, str] = {}
_STEMS_MAX = 500_000


def _stem_token(token: str) -> str:
    # "kamera," -> "kamera"; "covid-19" -> "covid 19" (the tokenizer splits it too)
    return " ".join(map(stem, WORD.findall(token)))


def stem_text(value: str | None) -> str:
    """Every word of `value` replaced by its stem, in order (positions kept for phrases)."""
    if not value:
        return ""
    tokens = value.casefold().split()
    try:
        return " ".join(map(_STEMS.__getitem__, tokens))
    except KeyError:
        if len(_STEMS) > _STEMS_MAX:
            _STEMS.clear()
        for token in tokens:
            if token not in _STEMS:
                _STEMS[token] = _stem_token(token)
        return " ".join(map(_STEMS.__getitem__, tokens))


def headings_text(headings: Iterable[Mapping[str, Any]] | None) -> str:
    """The headings as one indexed text, one heading per line."""
    return "\n".join(str(h.get("text") or "") for h in headings or ())


def fts_values(row_id: int, record: Mapping[str, Any], *, stemmed: bool) -> dict[str, Any]:
    """The FTS row of a record. Must be a pure function of the stored record:
    deleting from a contentless index needs the very values once inserted."""
    exact = {
        "title": record.get("title") or "",
        "description": record.get("description") or "",
        "headings": headings_text(record.get("headings")),
        "body": record.get("body_text") or "",
    }
    values: dict[str, Any] = {"rowid": row_id, **exact}
    for exact_name, stem_name in zip(EXACT_COLUMNS, STEM_COLUMNS, strict=True):
        values[stem_name] = stem_text(exact[exact_name]) if stemmed else ""
    return values


def create(conn: Connection) -> None:
    """Create the index table when absent, with the column weights as its `rank`."""
    conn.exec_driver_sql(CREATE_SQL)
    weights = ", ".join(str(w) for w in WEIGHTS)
    conn.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('rank', 'bm25({weights})')"
    )


def _indexed(conn: Connection) -> bool:
    # Other databases get their own full-text column (tsvector on PostgreSQL),
    # maintained by the database itself; only SQLite's FTS5 is ours to feed.
    return conn.dialect.name == "sqlite"


def insert_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if rows and _indexed(conn):
        conn.execute(INSERT_SQL, rows)


def delete_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if rows and _indexed(conn):
        conn.execute(DELETE_SQL, rows)


def reset(conn: Connection) -> None:
    """Drop and recreate the (empty) index, before refilling it."""
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    create(conn)


def fill(conn: Connection, records: Iterable[Mapping[str, Any]], *, stemmed: bool) -> int:
    """Index stored records (each with an `id`) in batches; returns rows indexed."""
    batch: list[dict[str, Any]] = []
    n = 0
    for record in records:
        batch.append(fts_values(record["id"], record, stemmed=stemmed))
        if len(batch) >= 1000:
            insert_rows(conn, batch)
            n += len(batch)
            batch = []
    insert_rows(conn, batch)
    n += len(batch)
    logger.info("full-text index filled: %s articles", n)
    return n

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
    """Sastrawi's stemmer, minus work that cannot change the result.

    Sastrawi tries each of its ~40 prefix rules up to three times per suffix
    it tried, even on a word none of them can match: a word it does not know
    costs ~0.15 ms, mostly there. The rules all start with a prefix `_PREFIX`
    lists, so for other words the prefix pass is skipped: same stems
    (tests/test_archive_fts.py compares), a few times faster on names. No
    CachedStemmer: `stem` has its own bounded cache.
    """
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Context.Context import Context
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    class _Context(Context):
        def remove_prefixes(self) -> None:
            if _PREFIX.match(self.current_word):
                super().remove_prefixes()

    class _Stemmer(Stemmer):
        def stem_singular_word(self, word: str) -> str:
            context = _Context(word, self.dictionary, self.visitor_provider)
            context.execute()
            return context.result

    return _Stemmer(ArrayDictionary(StemmerFactory().get_words()))


def fold(word: str) -> str:
    """Case- and diacritic-folded form, as unicode61 remove_diacritics sees it."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


#: What any of Sastrawi's rules could strip: a prefix it knows (di-, ke-, se-,
#: be-, te-, me-, pe-, ku-, kau-, or a -er-/-el-/-em-/-in- infix after the first
#: consonant) or a suffix (-i, -is, -isme, -an/-kan, -lah, -kah, -tah, -pun,
#: -ku, -mu, -nya). A word matching none comes back from Sastrawi unchanged,
#: and names (most of a news text's unknown words) mostly match none: checking
#: is ~100x cheaper than a full Sastrawi pass over a word its dictionary lacks.
_PREFIX = re.compile(
    r"^(?:di|ke|se|be|te|me|pe|ku|kau|[bcdfghjklmnpqrstvwxyz](?:e[rlm]|in)[aiueo])"
)
_AFFIXABLE = re.compile(_PREFIX.pattern + r"|(?:i|is|isme|an|lah|kah|tah|pun|ku|mu|nya)$")


@lru_cache(maxsize=262_144)
def stem(word: str) -> str:
    """The Indonesian stem of one word (`diluncurkan` -> `luncur`), cached.

    Words with digits or non-Latin letters pass through folded: Sastrawi strips
    every character outside a-z, which would turn `5g` or `iphone15` into noise.
    """
    folded = fold(word)
    if not folded.isascii() or not folded.isalpha() or not _AFFIXABLE.search(folded):
        return folded
    # stem_word, not stem: `folded` is one lower-case a-z word already, what
    # Sastrawi's text normaliser would make of it.
    return _stemmer().stem_word(folded) or folded


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


def _exact(record: Mapping[str, Any]) -> dict[str, str]:
    return {
        "title": record.get("title") or "",
        "description": record.get("description") or "",
        "headings": headings_text(record.get("headings")),
        "body": record.get("body_text") or "",
    }


def prestem(record: Mapping[str, Any]) -> dict[str, str]:
    """{indexed text: its stemmed form} for a record's columns, computed ahead
    (in a page worker, in parallel) and handed to `fts_values` as `hints`."""
    return {text: stem_text(text) for text in _exact(record).values() if text}


def fts_values(
    row_id: int,
    record: Mapping[str, Any],
    *,
    stemmed: bool,
    hints: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The FTS row of a record. Must be a pure function of the stored record:
    deleting from a contentless index needs the very values once inserted.
    `hints` (from `prestem`) are looked up by the very text, so a hint for
    other text is never used: what is indexed is always `stem_text(text)`."""
    exact = _exact(record)
    values: dict[str, Any] = {"rowid": row_id, **exact}
    for exact_name, stem_name in zip(EXACT_COLUMNS, STEM_COLUMNS, strict=True):
        if not stemmed:
            values[stem_name] = ""
            continue
        text = exact[exact_name]
        hint = hints.get(text) if hints else None
        values[stem_name] = hint if hint is not None else stem_text(text)
    return values


def create(conn: Connection) -> None:
    """Create the index table when absent, with the column weights as its `rank`."""
    conn.exec_driver_sql(CREATE_SQL)
    weights = ", ".join(str(w) for w in WEIGHTS)
    conn.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('rank', 'bm25({weights})')"
    )


def _indexed(conn: Connection) -> bool:
    # PostgreSQL gets the same rows as a tsvector (pgsearch); other databases none.
    return conn.dialect.name == "sqlite"


def _postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def insert_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if rows and _indexed(conn):
        conn.execute(INSERT_SQL, rows)
    elif rows and _postgres(conn):
        from scraper.archive import pgsearch

        pgsearch.insert_rows(conn, rows)


def delete_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if rows and _indexed(conn):
        conn.execute(DELETE_SQL, rows)
    elif rows and _postgres(conn):
        from scraper.archive import pgsearch

        pgsearch.delete_rows(conn, rows)


def reset(conn: Connection) -> None:
    """Drop and recreate the (empty) index, before refilling it."""
    if _postgres(conn):
        from scraper.archive import pgsearch

        pgsearch.reset(conn)
        return
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

"""Schema versions: the ordered steps that bring an older archive up to date.

A new archive is created whole from `models.py` and stamped with the latest
version, so a step only ever runs on an archive made before it existed. To
change the schema: change `models.py` AND append one `Migration` at the END of
`MIGRATIONS` (never reorder or edit a landed step: archives in the field have
already run it). `SCHEMA_VERSION` is 1 + the number of steps.

Only writing commands (crawl, reparse, `arsip migrate`) upgrade, all missing
steps in one transaction; read commands refuse an older archive with a
sentence pointing at `arsip migrate`, and every command refuses a newer one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import JSON, Column, Connection, Index, String, Table, inspect, text

from scraper.archive.models import article_versions, crawl_frontier, listing_chains
from scraper.exceptions import ArchiveFailure


@dataclass(frozen=True)
class Migration:
    """One upgrade step: `apply(conn)` runs inside the upgrade's transaction."""

    name: str
    apply: Callable[[Connection], None]


def add_column(conn: Connection, table_name: str, column: Column) -> None:
    """ALTER TABLE ... ADD COLUMN, portable across SQLite and PostgreSQL; no-op if present.

    Pass a fresh `Column(name, Type, ...)`. SQLite cannot add a column with a
    non-constant default or a UNIQUE/PRIMARY KEY constraint: give such a column
    no default (NULL) and fill it in the step instead.
    """
    if column.name in {c["name"] for c in inspect(conn).get_columns(table_name)}:
        return
    prep = conn.dialect.identifier_preparer
    ddl = (
        f"ALTER TABLE {prep.quote(table_name)} ADD COLUMN {prep.quote(column.name)} "
        f"{column.type.compile(dialect=conn.dialect)}"
    )
    default = getattr(column.server_default, "arg", None)
    if default is not None:
        ddl += f" DEFAULT {default if isinstance(default, str) else default.text}"
    if not column.nullable and default is not None:
        ddl += " NOT NULL"
    conn.exec_driver_sql(ddl)


def create_table(conn: Connection, table: Table) -> None:
    """Create a table from `models.py` (with its indexes); no-op if it exists."""
    table.create(conn, checkfirst=True)


def create_index(conn: Connection, index: Index) -> None:
    """Create an index defined on a `models.py` table; no-op if it exists."""
    index.create(conn, checkfirst=True)


def _postgres_search_index(conn: Connection) -> None:
    """PostgreSQL archives made before search worked there: create the tsvector
    index and fill it from the stored articles (SQLite's FTS5 index exists already)."""
    if conn.dialect.name != "postgresql":
        return
    from sqlalchemy import select

    from scraper.archive import fts, pgsearch
    from scraper.archive.models import articles, meta

    pgsearch.create(conn)
    stemmed = conn.execute(select(meta.c.value).where(meta.c.key == "fts_stemmed")).scalar()
    cols = [articles.c.id, articles.c.title, articles.c.description, articles.c.headings]
    rows = conn.execute(select(*cols, articles.c.body_text)).mappings()
    fts.fill(conn, rows, stemmed=stemmed != "0")


def _crawl_plan(conn: Connection) -> None:
    create_table(conn, crawl_frontier)
    create_table(conn, listing_chains)


def _unique_versions(conn: Connection) -> None:
    """One row per (article, version) in article_versions, enforced by a unique index.

    Concurrent writers on PostgreSQL could store the same version number twice
    before writes were serialised. Such an article's history is renumbered
    1..n in the order it was written (version, then replacement time, then row
    id) and its current version moves past it; no version is dropped.
    """
    doubled = conn.execute(
        text(
            "SELECT DISTINCT article_id FROM article_versions "
            "GROUP BY article_id, version HAVING count(*) > 1"
        )
    ).scalars()
    for article_id in list(doubled):
        ids = conn.execute(
            text(
                "SELECT id FROM article_versions WHERE article_id = :a "
                "ORDER BY version, replaced_at, id"
            ),
            {"a": article_id},
        ).scalars()
        ids = list(ids)
        for number, row_id in enumerate(ids, start=1):
            conn.execute(
                text("UPDATE article_versions SET version = :v WHERE id = :i"),
                {"v": number, "i": row_id},
            )
        conn.execute(
            text("UPDATE articles SET version = :v WHERE id = :a AND version < :v"),
            {"v": len(ids) + 1, "a": article_id},
        )
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_article_versions_article")
    for index in article_versions.indexes:
        create_index(conn, index)


#: Append new steps at the end; each upgrades schema N to N + 1 (the first: 1 -> 2).
MIGRATIONS: list[Migration] = [
    # 1 -> 2: who a page credits when it names an agency or the outlet instead of a person.
    Migration("articles.agency", lambda conn: add_column(conn, "articles", Column("agency", JSON))),
    # 2 -> 3: PostgreSQL archives get the search index SQLite archives always had.
    Migration("PostgreSQL full-text index (articles_tsv)", _postgres_search_index),
    # 3 -> 4: the frontier (was <db>.frontier.json) and listing chains' progress, per site.
    Migration("crawl_frontier and listing_chains tables", _crawl_plan),
    # 4 -> 5: one row per (article, version); doubled versions are renumbered.
    Migration("article_versions: unique (article_id, version)", _unique_versions),
    # 5 -> 6: where each record's body came from (container, fallback, structured).
    Migration(
        "articles.body_source",
        lambda conn: add_column(conn, "articles", Column("body_source", String(16))),
    ),
]

SCHEMA_VERSION = 1 + len(MIGRATIONS)


def latest_version() -> int:
    """The schema version this arsip writes (read at call time, so tests may add steps)."""
    return 1 + len(MIGRATIONS)


def upgrade(conn: Connection, from_version: int) -> list[str]:
    """Apply the steps after `from_version`, in order; the names of those applied."""
    steps = MIGRATIONS[from_version - 1 :]
    for number, step in enumerate(steps, start=from_version + 1):
        try:
            step.apply(conn)
        except Exception as exc:
            # The caller's transaction rolls back every step: the archive stays as it was.
            raise ArchiveFailure(
                f"Cannot upgrade the archive to schema {number}: step {step.name!r} failed "
                f"({exc}); the archive is unchanged."
            ) from exc
    return [step.name for step in steps]

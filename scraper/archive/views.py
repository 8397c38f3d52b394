"""SQL views and canned queries that make the SQLite file pleasant in Datasette."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

VIEWS: dict[str, str] = {
    "articles_flat": """
        SELECT a.id, a.canonical_url, a.url, a.site, a.title, a.description, a.section,
               (SELECT group_concat(value, ' > ') FROM json_each(a.breadcrumbs)) AS breadcrumbs,
               (SELECT group_concat(value, ', ') FROM json_each(a.authors)) AS authors,
               (SELECT group_concat(value, ', ') FROM json_each(a.tags)) AS tags,
               a.published_at, a.published_utc, a.modified_at, a.language, a.word_count,
               json_array_length(a.headings) AS n_headings,
               json_array_length(a.related) AS n_related,
               a.duplicate_of, a.version, a.first_seen, a.last_seen
        FROM articles a""",
    "related_links": """
        SELECT a.id AS article_id, a.canonical_url AS article_url, a.site,
               json_extract(r.value, '$.title') AS title,
               json_extract(r.value, '$.url') AS url,
               json_extract(r.value, '$.kind') AS kind
        FROM articles a, json_each(a.related) r""",
    "headings": """
        SELECT a.id AS article_id, a.canonical_url AS article_url, a.site,
               CAST(h.key AS INTEGER) AS position,
               json_extract(h.value, '$.level') AS level,
               json_extract(h.value, '$.text') AS text
        FROM articles a, json_each(a.headings) h""",
}

#: Canned queries for `arsip serve` (Datasette metadata "queries" entries).
CANNED_QUERIES: dict[str, dict[str, str]] = {
    "articles_per_site_per_month": {
        "title": "Articles per site per month",
        # The month as the article dates itself (WIB), not in UTC: an article
        # published at 03:00 on the 1st belongs to that month.
        "sql": """SELECT site, substr(published_at, 1, 7) AS month, count(*) AS articles
FROM articles WHERE duplicate_of IS NULL AND published_utc IS NOT NULL
GROUP BY site, month ORDER BY month DESC, site""",
    },
    "most_linked_related": {
        "title": "Most-linked related articles",
        "sql": """SELECT url, min(title) AS title, count(*) AS linked_from
FROM related_links GROUP BY url ORDER BY linked_from DESC LIMIT 100""",
    },
    "near_duplicate_clusters": {
        "title": "Near-duplicate clusters",
        "sql": """SELECT o.canonical_url AS original, o.site, o.title, count(d.id) AS copies,
       group_concat(d.canonical_url, ' | ') AS copy_urls
FROM articles d JOIN articles o ON o.canonical_url = d.duplicate_of
GROUP BY o.id ORDER BY copies DESC""",
    },
}


#: Bumped whenever a view changes, so existing archives get the new definition.
VIEWS_VERSION = "1"


def create(conn: Connection) -> None:
    """(Re)create the views; SQLite only (they use json_each)."""
    for name, sql in VIEWS.items():
        conn.exec_driver_sql(f"DROP VIEW IF EXISTS {name}")
        conn.exec_driver_sql(f"CREATE VIEW {name} AS {sql}")


def datasette_metadata(database: str = "archive") -> dict[str, Any]:
    """Datasette metadata: search on `articles` through the FTS index, plus the canned queries.

    Datasette's search box passes raw FTS5 syntax: a written form (`diluncurkan`)
    matches the exact columns, a stem (`luncur`) the stemmed ones.
    """
    return {
        "title": "arsip",
        "databases": {
            database: {
                "tables": {
                    "articles": {
                        "fts_table": "articles_fts",
                        "fts_pk": "id",
                        "sort_desc": "published_utc",
                    }
                },
                "queries": CANNED_QUERIES,
            }
        },
    }

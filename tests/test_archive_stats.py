"""Archive statistics, per-site figures, the timeline and the Datasette views."""

from __future__ import annotations

import sqlite3

import pytest

from scraper import Archive
from scraper.archive.views import CANNED_QUERIES
from scraper.fingerprint import content_hash, simhash
from scraper.items import Article


def make(site: str, slug: str, published: str | None, body: str, **kw) -> Article:
    return Article(
        url=f"https://{site}.id/{slug}/",
        title=slug.replace("-", " ").title(),
        site=site,
        published_at=published,
        body_text=body,
        content_hash=content_hash(body),
        simhash=simhash(body),
        **kw,
    )


@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "archive.db") as arc:
        run = arc.start_run(["teknokita", "gadgetin"])
        arc.save_batch(
            [
                make(
                    "teknokita",
                    "ponsel-a",
                    "2025-01-06T09:00:00+07:00",
                    "Ponsel A dirilis.",
                    headings=[{"level": 2, "text": "Harga"}, {"level": 2, "text": "Spesifikasi"}],
                    related=[
                        {
                            "title": "Ponsel B",
                            "url": "https://teknokita.id/ponsel-b/",
                            "kind": "terkait",
                        }
                    ],
                    authors=["Budi"],
                ),
                make(
                    "teknokita",
                    "ponsel-b",
                    "2025-02-20T09:00:00+07:00",
                    "Ponsel B dirilis.",
                    related=[
                        {
                            "title": "Ponsel B",
                            "url": "https://teknokita.id/ponsel-b/",
                            "kind": "terkait",
                        }
                    ],
                ),
                make("gadgetin", "ulasan", None, "Ulasan laptop."),
                make(
                    "gadgetin",
                    "salinan",
                    "2025-01-07T09:00:00+07:00",
                    "Ponsel A dirilis.",
                    duplicate_of="https://teknokita.id/ponsel-a/",
                ),
            ],
            [b"<html>" + b"a" * 5000 + b"</html>", None, None, None],
            run_id=run,
        )
        arc.record_fetch_error(
            run, "https://gadgetin.id/rusak/", "HttpError", 500, 3, site="gadgetin"
        )
        arc.finish_run(run, {"pages": 5, "new": 3, "duplicates": 1, "errors": {"http_500": 1}})
        yield arc


def test_stats_totals_and_per_site(archive):
    stats = archive.stats()
    assert (stats["articles"], stats["originals"], stats["duplicates"]) == (4, 3, 1)
    assert stats["raw_pages"] == 1 and 0 < stats["raw_bytes"] < stats["raw_uncompressed_bytes"]
    assert stats["runs"] == 1 and stats["errors_last_run"] == 1
    by_site = {s["site"]: s for s in stats["sites"]}
    tekno, gadget = by_site["teknokita"], by_site["gadgetin"]
    assert (tekno["articles"], tekno["duplicates"], gadget["duplicates"]) == (2, 0, 1)
    assert tekno["first_published"] == "2025-01-06T02:00:00+00:00"
    assert tekno["last_published"] == "2025-02-20T02:00:00+00:00"
    assert (tekno["errors_last_run"], gadget["errors_last_run"]) == (0, 1)
    assert tekno["raw_bytes"] > 0 and gadget["raw_bytes"] == 0
    assert tekno["last_crawl"] is not None


def test_sites_lists_each_site_once(archive):
    assert [(s["site"], s["articles"]) for s in archive.sites()] == [
        ("gadgetin", 2),
        ("teknokita", 2),
    ]


def test_timeline_counts_originals_per_period(archive):
    months = archive.timeline("month")
    assert months == [
        {"site": "teknokita", "period": "2025-01", "articles": 1},
        {"site": "teknokita", "period": "2025-02", "articles": 1},
    ]
    with pytest.raises(ValueError):
        archive.timeline("fortnight")


def test_views_read_like_tables(archive, tmp_path):
    conn = sqlite3.connect(tmp_path / "archive.db")
    flat = conn.execute(
        "SELECT authors, breadcrumbs, n_headings, n_related FROM articles_flat WHERE title = 'Ponsel A'"
    ).fetchone()
    assert flat == ("Budi", None, 2, 1)
    headings = conn.execute(
        "SELECT position, level, text FROM headings ORDER BY position"
    ).fetchall()
    assert headings == [(0, 2, "Harga"), (1, 2, "Spesifikasi")]
    related = conn.execute("SELECT article_url, url, kind FROM related_links").fetchall()
    assert (
        "https://teknokita.id/ponsel-a/",
        "https://teknokita.id/ponsel-b/",
        "terkait",
    ) in related


def test_canned_queries_run(archive, tmp_path):
    conn = sqlite3.connect(tmp_path / "archive.db")
    results = {name: conn.execute(q["sql"]).fetchall() for name, q in CANNED_QUERIES.items()}
    assert ("teknokita", "2025-01", 1) in results["articles_per_site_per_month"]
    assert results["most_linked_related"][0][0] == "https://teknokita.id/ponsel-b/"
    assert results["most_linked_related"][0][2] == 2
    [cluster] = results["near_duplicate_clusters"]
    assert cluster[0] == "https://teknokita.id/ponsel-a/" and cluster[3] == 1


def test_datasette_search_configuration_finds_written_forms_and_stems(archive, tmp_path):
    from scraper.archive.views import datasette_metadata

    table = datasette_metadata("archive")["databases"]["archive"]["tables"]["articles"]
    conn = sqlite3.connect(tmp_path / "archive.db")
    # The query Datasette builds from fts_table/fts_pk for its search box.
    sql = (
        f"SELECT title FROM articles WHERE {table['fts_pk']} IN "
        f"(SELECT rowid FROM {table['fts_table']} WHERE {table['fts_table']} MATCH ?) ORDER BY id"
    )
    everything = [("Ponsel A",), ("Ponsel B",), ("Salinan",)]
    assert conn.execute(sql, ("dirilis",)).fetchall() == everything
    assert conn.execute(sql, ("rilis",)).fetchall() == everything


def test_originals_only_leaves_copies_out(archive):
    assert archive.count("rilis") == 3
    assert archive.count("rilis", originals_only=True) == 2
    assert len(list(archive.iter_articles(originals_only=True))) == 3

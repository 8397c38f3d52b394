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
    # In WIB, like the records themselves.
    assert tekno["first_published"] == "2025-01-06T09:00:00+07:00"
    assert tekno["last_published"] == "2025-02-20T09:00:00+07:00"
    assert archive.stats(tz="UTC")["sites"][1]["first_published"] == "2025-01-06T02:00:00+00:00"
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


@pytest.fixture
def early_morning(tmp_path):
    """Articles published between 00:00 and 07:00 WIB, when the UTC date is the day before."""
    with Archive(tmp_path / "pagi.db") as arc:
        arc.save_batch(
            [
                make("teknokita", "subuh", "2024-12-30T05:00:00+07:00", "Berita subuh."),
                make("teknokita", "pagi", "2025-01-06T06:45:00+07:00", "Berita pagi."),
                make("teknokita", "dini", "2025-01-06T00:10:00+07:00", "Berita dini hari."),
                make("gadgetin", "sahur", "2025-01-27T03:30:00+07:00", "Berita sahur."),
            ]
        )
        yield arc


def test_timeline_days_are_the_articles_own_days(early_morning):
    days = {(r["site"], r["period"]): r["articles"] for r in early_morning.timeline("day")}
    assert days[("teknokita", "2025-01-06")] == 2
    assert days[("teknokita", "2025-01-05")] == 0
    assert days[("teknokita", "2024-12-30")] == 1
    # Asked for UTC, the same articles fall on the day before.
    utc = {(r["site"], r["period"]): r["articles"] for r in early_morning.timeline("day", "UTC")}
    assert utc[("teknokita", "2025-01-05")] == 2


def test_timeline_weeks_are_iso_weeks_with_empty_weeks_as_zero(early_morning):
    weeks = early_morning.timeline("week")
    # 30 Dec 2024 is in ISO week 1 of 2025; weeks 3 and 4 had no article.
    assert [(r["period"], r["site"], r["articles"]) for r in weeks] == [
        ("2025-W01", "gadgetin", 0),
        ("2025-W01", "teknokita", 1),
        ("2025-W02", "gadgetin", 0),
        ("2025-W02", "teknokita", 2),
        ("2025-W03", "gadgetin", 0),
        ("2025-W03", "teknokita", 0),
        ("2025-W04", "gadgetin", 0),
        ("2025-W04", "teknokita", 0),
        ("2025-W05", "gadgetin", 1),
        ("2025-W05", "teknokita", 0),
    ]


def test_canned_month_query_counts_in_the_articles_own_month(tmp_path):
    with Archive(tmp_path / "bulan.db") as arc:
        arc.save_batch([make("teknokita", "awal", "2025-02-01T02:00:00+07:00", "Awal bulan.")])
    sql = CANNED_QUERIES["articles_per_site_per_month"]["sql"]
    with sqlite3.connect(tmp_path / "bulan.db") as conn:
        assert conn.execute(sql).fetchall() == [("teknokita", "2025-02", 1)]


def test_last_crawl_is_the_latest_run_of_the_site(archive, tmp_path):
    # The first run was a week ago; today's run of teknokita found nothing new.
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        conn.execute("UPDATE articles SET last_seen = '2025-03-01 01:00:00.000000'")
        conn.execute("UPDATE crawl_runs SET started_at = '2025-03-01 00:59:00.000000'")
    run = archive.start_run(["teknokita"])
    archive.finish_run(run, {"pages": 3, "unchanged": 3})
    latest = archive.runs(limit=1)[0]["started_at"]
    by_site = {s["site"]: s for s in archive.stats(tz="UTC")["sites"]}
    assert by_site["teknokita"]["last_crawl"] == latest
    assert by_site["gadgetin"]["last_crawl"] == "2025-03-01T01:00:00+00:00"


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

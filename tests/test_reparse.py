"""`arsip reparse`: archived raw pages re-extracted offline, old versions kept."""

from __future__ import annotations

import json
import sqlite3

from scraper.archive import Archive
from tests.cli_helpers import arsip, make_article
from tests.test_cli import ARTICLE_HTML

URL = "https://teknokita.example/xiaomi-leica-perpanjang/"


def test_reparse_updates_records_from_raw_pages_and_keeps_the_old_version(tmp_path):
    db = tmp_path / "archive.db"
    stale = make_article(1, "teknokita", "Judul Lama", "Teks lama dari ekstraktor versi awal.")
    stale.url = stale.canonical_url = URL
    with Archive(str(db)) as archive:
        archive.save_batch([stale], [ARTICLE_HTML.encode()])

    proc = arsip("reparse", db=db)
    assert proc.returncode == 0, proc.stderr
    assert "updated=1" in proc.stdout

    record = json.loads(arsip("show", URL, "--json", db=db, check=True).stdout)
    assert record["title"] == "Xiaomi dan Leica Perpanjang Kemitraan"
    assert "Wetzlar" in record["body_text"]
    assert {"level": 2, "text": "Apa Artinya bagi Pengguna"} in record["headings"]
    with Archive(str(db)) as archive:
        old = archive.versions(URL)
    assert [v["record"]["title"] for v in old] == ["Judul Lama"]

    again = arsip("reparse", db=db, check=True)
    assert "unchanged=1" in again.stdout and "updated" not in again.stdout


def test_reparse_leaves_merged_multi_page_articles_alone(tmp_path):
    db = tmp_path / "archive.db"
    merged = make_article(
        2, "teknokita", "Artikel Panjang", "Halaman satu. Halaman dua. Halaman tiga."
    )
    page_one = ARTICLE_HTML.replace(
        "</article>",
        '<div class="pagination"><a href="/xiaomi-leica-perpanjang/2/">2</a> '
        '<a href="/xiaomi-leica-perpanjang/2/">Selanjutnya</a></div></article>',
    )
    merged.url = merged.canonical_url = URL
    with Archive(str(db)) as archive:
        archive.save_batch([merged], [page_one.encode()])
    proc = arsip("reparse", db=db, check=True)
    assert "skipped:multi_page=1" in proc.stdout
    record = json.loads(arsip("show", URL, "--json", db=db, check=True).stdout)
    assert record["body_text"] == "Halaman satu. Halaman dua. Halaman tiga."


def test_one_damaged_stored_page_is_skipped_not_fatal(tmp_path):
    db = tmp_path / "archive.db"
    good = make_article(3, "teknokita", "Judul Lama", "Teks lama dari ekstraktor versi awal.")
    good.url = good.canonical_url = URL
    other = make_article(4, "teknokita", "Artikel Lain", "Isi artikel lain yang tersimpan.")
    with Archive(str(db)) as archive:
        archive.save_batch([good, other], [ARTICLE_HTML.encode(), ARTICLE_HTML.encode()])
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE raw_pages SET data = x'28b52ffd00ff' WHERE article_id = "
            "(SELECT id FROM articles WHERE canonical_url = ?)",
            (other.canonical_url,),
        )
    proc = arsip("reparse", db=db)
    assert proc.returncode == 0, proc.stderr
    assert "skipped:damaged_raw=1" in proc.stdout and "updated=1" in proc.stdout
    assert "Traceback" not in proc.stderr


ZONELESS_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Harbour Ferry Timetable Changes Next Week</title>
<meta property="og:type" content="article">
<meta name="pubdate" content="2026-07-10 08:00:00">
</head><body><article><h1>Harbour Ferry Timetable Changes Next Week</h1>
<p>The harbour ferry will leave ten minutes earlier on weekdays from next Monday, the operator
said, so that the first crossing meets the early train on the other side of the bay.</p>
<p>Weekend crossings stay as they are, and the evening service keeps its last departure at
half past ten, after commuters asked for it to be kept through the summer months.</p>
</article></body></html>"""


def test_reparse_reads_zoneless_times_in_the_sites_timezone(tmp_path):
    db = tmp_path / "archive.db"
    url = "https://kabar.example/berita/1/"
    stored = make_article(1, "kabar", "Harbour Ferry Timetable Changes Next Week", "Stale body.")
    with Archive(str(db)) as archive:
        archive.save_batch([stored], [ZONELESS_PAGE.encode()])
    sites = tmp_path / "sites.toml"
    sites.write_text(
        '[sites.kabar]\nname = "Kabar"\nstart_urls = ["https://kabar.example/"]\n'
        'timezone = "Asia/Makassar"\n'
    )
    done = arsip("reparse", "--db", str(db), "--sites", str(sites))
    assert done.returncode == 0, done.stderr
    record = json.loads(arsip("show", url, "--json", db=db, check=True).stdout)
    assert record["published_at"] == "2026-07-10T08:00:00+08:00"

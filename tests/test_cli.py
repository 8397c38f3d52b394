"""The `arsip` command as a user runs it: real subprocesses, a real SQLite file."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re

from scraper.cli import cli
from scraper.items import EXPORT_FIELDS
from tests.cli_helpers import ROOT, arsip, assert_one_line_error

ARTICLE_HTML = """<!doctype html><html lang="id"><head>
<title>Xiaomi dan Leica Perpanjang Kemitraan - TeknoKita</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="2026-01-20T19:45:00+07:00">
<link rel="canonical" href="https://teknokita.example/xiaomi-leica-perpanjang/">
</head><body>
<nav><a href="/">Home</a> <a href="/category/berita-viral/">Berita Viral</a></nav>
<article><h1>Xiaomi dan Leica Perpanjang Kemitraan</h1>
<div class="entry-content">
<p>Xiaomi memastikan kerja sama dengan Leica berlanjut hingga beberapa tahun ke depan,
membantah kabar bahwa kedua perusahaan akan berpisah setelah seri Ultra terbaru.</p>
<h2>Apa Artinya bagi Pengguna</h2>
<p>Pengguna ponsel flagship Xiaomi tetap akan mendapatkan profil warna khas Leica pada
kamera utama, termasuk mode Authentic dan Vibrant yang populer di kalangan fotografer.</p>
<p>Kedua perusahaan juga menyebut riset optik bersama di Beijing dan Wetzlar terus berjalan
dan akan menghasilkan lensa baru untuk generasi berikutnya.</p>
</div></article></body></html>"""

LISTING_HTML = (
    """<!doctype html><html><head><title>Berita Viral - TeknoKita</title>
<meta property="og:type" content="website"></head><body><h1>Berita Viral</h1><ul>
"""
    + "".join(
        f'<li><a href="/artikel-nomor-{i}/">Judul artikel nomor {i} tentang gawai</a></li>'
        for i in range(30)
    )
    + "</ul></body></html>"
)


def test_extract_prints_one_record_per_file_with_source_and_kind(tmp_path):
    page = tmp_path / "artikel.html.gz"
    page.write_bytes(gzip.compress(ARTICLE_HTML.encode()))
    listing = tmp_path / "kategori.html"
    listing.write_text(LISTING_HTML)
    proc = arsip("extract", str(page), str(listing), check=True)
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["source"] for r in records] == [str(page), str(listing)]
    article, rejected = records
    assert article["kind"] == "article"
    assert article["title"] == "Xiaomi dan Leica Perpanjang Kemitraan"
    assert article["url"] == "https://teknokita.example/xiaomi-leica-perpanjang/"
    assert "Leica berlanjut" in article["body_text"] or "Leica" in article["body_text"]
    assert set(EXPORT_FIELDS) <= set(article)
    assert rejected["kind"] == "not_article" and rejected["reason"]


def test_extract_missing_file_is_one_sentence_and_exit_2(tmp_path):
    assert_one_line_error(arsip("extract", str(tmp_path / "tidak-ada.html")))


def test_extract_url_with_several_files_is_a_usage_error(tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    a.write_text(ARTICLE_HTML)
    b.write_text(ARTICLE_HTML)
    assert_one_line_error(arsip("extract", str(a), str(b), "--url", "https://x.example/"))


def test_extract_fetched_at_dates_a_saved_pages_relative_time(tmp_path):
    relative = ARTICLE_HTML.replace(
        '<meta property="article:published_time" content="2026-01-20T19:45:00+07:00">', ""
    ).replace("<h1>Xiaomi dan Leica Perpanjang Kemitraan</h1>",
              "<h1>Xiaomi dan Leica Perpanjang Kemitraan</h1><span class='time'>2 jam yang lalu</span>")  # fmt: skip
    page = tmp_path / "tersimpan.html"
    page.write_text(relative)
    proc = arsip("extract", str(page), "--fetched-at", "2026-01-20T09:30:00+07:00", check=True)
    assert json.loads(proc.stdout)["published_at"] == "2026-01-20T07:30:00+07:00"
    for bad in ("kemarin", "2026-01-20T09:30:00"):  # not a time; no offset
        proc = arsip("extract", str(page), "--fetched-at", bad)
        assert_one_line_error(proc)
        assert "--fetched-at" in proc.stderr and proc.stdout == ""


def test_search_finds_ranked_matches_with_snippet(archive_db):
    proc = arsip("search", "leica", "--json", db=archive_db, check=True)
    hits = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [h["title"] for h in hits] == ["Xiaomi dan Leica Perpanjang Kemitraan"]
    assert "leica" in hits[0]["snippet"].lower()
    text = arsip("search", "samsung", db=archive_db, check=True).stdout
    assert "Samsung Rilis Tablet Baru" in text and "gawaiku" in text


def test_search_filters_by_site(archive_db):
    proc = arsip("search", "harga OR samsung", "--site", "gawaiku", "--json", db=archive_db)
    titles = [json.loads(line)["title"] for line in proc.stdout.splitlines()]
    assert titles == ["Samsung Rilis Tablet Baru"]


def test_search_malformed_query_is_one_sentence_not_sql(archive_db):
    proc = arsip("search", '"leica', db=archive_db)
    assert_one_line_error(proc)
    assert "sqlite" not in proc.stderr.lower() and "fts5" not in proc.stderr.lower()


def test_search_unknown_site_is_a_usage_error(archive_db):
    assert_one_line_error(arsip("search", "leica", "--site", "tidakada", db=archive_db))


def test_show_by_url_and_by_id(archive_db):
    url = "https://teknokita.example/berita/1/"
    text = arsip("show", url, db=archive_db, check=True).stdout
    assert "Xiaomi dan Leica Perpanjang Kemitraan" in text
    assert "Home > Berita Viral" in text
    record = json.loads(arsip("show", url, "--json", db=archive_db, check=True).stdout)
    assert record["authors"] == ["Rina Wulandari"]
    by_id = json.loads(arsip("show", str(record["id"]), "--json", db=archive_db).stdout)
    assert by_id["url"] == url
    md = arsip("show", url, "--markdown", db=archive_db, check=True).stdout
    assert md.startswith("# Xiaomi dan Leica") and "## Apa Artinya bagi Pengguna" in md


def test_show_unknown_article_is_a_usage_error(archive_db):
    assert_one_line_error(arsip("show", "https://tidak.example/ada/", db=archive_db))
    assert_one_line_error(arsip("show", "99999999999999999999999", db=archive_db))
    assert_one_line_error(arsip("show", "²", db=archive_db))


def test_stats_and_sites_count_articles_per_site(archive_db):
    stats = json.loads(arsip("stats", "--json", db=archive_db, check=True).stdout)
    per_site = {s["site"]: s["articles"] for s in stats["sites"]}
    assert per_site == {"teknokita": 2, "gawaiku": 1}
    assert "teknokita" in arsip("stats", db=archive_db, check=True).stdout
    assert arsip("sites", db=archive_db, check=True).stdout.count("\n") >= 3


def test_export_jsonl_to_stdout_has_every_field(archive_db):
    proc = arsip("export", "--format", "jsonl", db=archive_db, check=True)
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(records) == 3
    assert list(records[0])[: len(EXPORT_FIELDS)] == list(EXPORT_FIELDS)


def test_export_csv_to_file_neutralises_formulas(archive_db, tmp_path):
    out = tmp_path / "artikel.csv"
    proc = arsip("export", "--format", "csv", "-o", str(out), "--site", "teknokita", db=archive_db)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 2
    body = next(r["body_text"] for r in rows if r["title"] == "Harga Ponsel Lipat Turun")
    assert body.startswith("'=SUM")
    assert json.loads(rows[0]["breadcrumbs"]) == ["Home", "Berita Viral"]


def test_damaged_or_oversized_gzip_is_one_sentence(tmp_path):
    page = gzip.compress(ARTICLE_HTML.encode() * 20)
    damaged = tmp_path / "rusak.html.gz"
    damaged.write_bytes(page[:40] + bytes(b ^ 0x5A for b in page[40:80]) + page[80:])
    assert_one_line_error(arsip("extract", str(damaged)))
    bomb = tmp_path / "bom.html.gz"
    bomb.write_bytes(gzip.compress(b" " * (65 * 2**20)))
    proc = arsip("extract", str(bomb))
    assert_one_line_error(proc)
    assert "MB" in proc.stderr


def test_read_commands_do_not_create_an_archive_at_a_mistyped_path(tmp_path):
    missing = tmp_path / "salah-ketik.db"
    for args in (["search", "leica"], ["stats"], ["export"], ["show", "1"], ["runs"]):
        proc = arsip(*args, db=missing)
        assert_one_line_error(proc)
        assert "no archive at" in proc.stderr
    assert not missing.exists()


def test_unwritable_database_path_is_one_sentence(tmp_path):
    assert_one_line_error(arsip("stats", db=tmp_path / "tidak" / "ada" / "archive.db"))


def test_invalid_sites_file_names_the_key(tmp_path):
    sites = tmp_path / "sites.toml"
    sites.write_text('[sites.contoh]\nname = "Contoh"\n')
    proc = arsip("crawl", "--sites", str(sites), db=tmp_path / "a.db")
    assert_one_line_error(proc)
    assert "start_urls" in proc.stderr


def test_unknown_site_is_a_usage_error(tmp_path):
    assert_one_line_error(arsip("crawl", "--site", "tidakada", db=tmp_path / "a.db"))


def test_readme_documents_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert re.search(rf"arsip {name}\b", readme), f"README has no example of `arsip {name}`"

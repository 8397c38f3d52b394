"""`body_source` end to end: a crawl of a real local site archives where each body came
from (the page's markup or its script data), `arsip show --json` and export carry it,
and an archive made before the field gains the column on upgrade, records intact."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from scraper.archive.migrations import MIGRATIONS
from tests.cli_helpers import arsip, build_archive_db
from tests.e2e_site import E2EServer, Site

#: An article whose markup is an empty app shell: the story is only in the state JSON.
APP_ONLY = "/2026/01/hanya-di-data-aplikasi/"
APP_PARAGRAPHS = [
    "Pemerintah kota mulai memasang lampu jalan bertenaga surya di dua puluh ruas jalan "
    "kampung yang selama ini gelap setiap malam.",
    "Setiap tiang membawa panel kecil dan baterai yang cukup untuk menyala dua belas jam, "
    "sehingga warga tidak lagi bergantung pada lampu rumah untuk menerangi gang.",
    "Petugas akan memeriksa baterai setiap tiga bulan dan mencatat tiang yang redup agar "
    "panelnya bisa dibersihkan dari debu dan daun kering.",
]


class AppSite(Site):
    """The test site plus one article rendered only by JavaScript from its state JSON."""

    def article_paths(self) -> list[str]:
        return [*super().article_paths(), APP_ONLY]

    def route(self, path: str, query: str, hits: Counter) -> tuple[int, dict, bytes]:
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/":
            status, headers, body = super().route(path, query, hits)
            link = f'<a href="{APP_ONLY}">Lampu surya untuk gang gelap</a>'.encode()
            return status, headers, body.replace(b"</main>", link + b"</main>", 1)
        if path == APP_ONLY:
            state = {
                "props": {
                    "pageProps": {
                        "article": {
                            "title": "Lampu surya untuk gang gelap",
                            "content": "".join(f"<p>{p}</p>" for p in APP_PARAGRAPHS),
                        }
                    }
                }
            }
            page = f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>Lampu surya untuk gang gelap - Kabar Gawai</title>
<meta property="og:type" content="article">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"Lampu surya untuk gang gelap","datePublished":"2026-01-20T09:00:00+07:00"}}</script>
</head><body><div id="__next"><h1>Lampu surya untuk gang gelap</h1></div>
<script id="__NEXT_DATA__" type="application/json">{json.dumps(state)}</script>
</body></html>"""
            return 200, html, page.encode()
        return super().route(path, query, hits)


SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "ARSIP_RETRY_BACKOFF": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("body_source")
    db = tmp / "archive.db"
    with E2EServer(AppSite(n_articles=3)) as server:
        sites = tmp / "sites.toml"
        sites.write_text(
            f'[sites.kabargawai]\nname = "Kabar Gawai"\nstart_urls = ["{server.url}/"]\n'
        )
        sets = [arg for name, value in SETTINGS.items() for arg in ("--set", f"{name}={value}")]
        result = subprocess.run(
            [sys.executable, "-m", "scraper.cli", "crawl", "--sites", str(sites), "--db", str(db),
             *sets],
            capture_output=True, text=True, timeout=240,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        yield {"db": db, "base": server.url, "tmp": tmp}


def test_a_body_only_in_script_data_is_archived_as_structured(crawled):
    shown = arsip("show", crawled["base"] + APP_ONLY, "--json", db=crawled["db"], check=True)
    record = json.loads(shown.stdout)
    assert record["body_source"] == "structured"
    assert record["body_text"].split("\n\n") == APP_PARAGRAPHS


def test_a_body_from_the_markup_is_archived_as_container(crawled):
    url = crawled["base"] + "/2026/01/kabar-gawai-nomor-1/"
    record = json.loads(arsip("show", url, "--json", db=crawled["db"], check=True).stdout)
    assert record["body_source"] == "container"
    assert "Langkah berikutnya" in record["body_text"]


def test_export_carries_body_source(crawled):
    out = crawled["tmp"] / "out.jsonl"
    arsip("export", "-o", str(out), "--format", "jsonl", db=crawled["db"], check=True)
    sources = {r["url"]: r["body_source"] for r in map(json.loads, out.read_text().splitlines())}
    assert sources[crawled["base"] + APP_ONLY] == "structured"
    assert set(sources.values()) == {"container", "structured"}


def _before_body_source(path: Path) -> None:
    """Turn a fresh archive into one made before `body_source` existed."""
    before = 1 + next(i for i, m in enumerate(MIGRATIONS) if m.name == "articles.body_source")
    conn = sqlite3.connect(path)
    try:
        # Views read every column; SQLite refuses to drop one a view uses.
        views = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='view'")]
        for view in views:
            conn.execute(f'DROP VIEW "{view}"')
        conn.execute("ALTER TABLE articles DROP COLUMN body_source")
        conn.execute("UPDATE arsip_meta SET value=? WHERE key='schema_version'", (str(before),))
        conn.commit()
    finally:
        conn.close()


def test_an_archive_from_before_body_source_is_upgraded_and_keeps_its_records(tmp_path):
    path = build_archive_db(tmp_path / "archive.db")
    _before_body_source(path)
    refused = arsip("show", "1", "--json", db=path)
    assert refused.returncode != 0 and "migrate" in refused.stderr

    migrated = arsip("migrate", db=path)
    assert migrated.returncode == 0, migrated.stderr
    record = json.loads(arsip("show", "1", "--json", db=path, check=True).stdout)
    assert record["title"] == "Xiaomi dan Leica Perpanjang Kemitraan"
    assert record["body_source"] is None

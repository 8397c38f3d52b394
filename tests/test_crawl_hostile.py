"""A site that misbehaves on purpose: the crawl finishes, records the right error
for each bad page, archives every good article, and alters nothing archived."""

from __future__ import annotations

import gzip
import json
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.e2e_site import E2EServer, Site


class HostileSite(Site):
    """The same site, plus pages that misbehave on purpose, all linked from home
    once `hostile` is switched on (so a first, clean crawl can archive the rest)."""

    BAD = (
        "/lambat/",  # slower than the download timeout
        "/rusak/",  # always 500
        "/antre/",  # 429 with Retry-After, then a good article
        "/putus/",  # connection reset in the middle of the body
        "/terpotong/",  # truncated HTML, still an article
        "/charset/",  # declares windows-1252, sends UTF-8
        "/raksasa/",  # a 20 MB page
        "/bom/",  # a gzip bomb
        "/putar/a/",  # a redirect loop
        "/pergi/",  # a redirect to another host
        "/kalender/2026-01-01/",  # an endless calendar
        "/banyak/",  # a listing of 10,000 links
        "/dokumen/",  # "HTML" that is a PDF
        "/tautan-raksasa/",  # 150,000 links in 3.5 MB
    )
    GOOD = ("/antre/", "/terpotong/", "/charset/")

    def __init__(self) -> None:
        super().__init__()
        self.hostile = False
        self._bomb = gzip.compress(b"<html>" + b" " * 40_000_000, compresslevel=9)
        self._huge = b"<html><body>" + b"<p>isi</p>" * 2_000_000 + b"</body></html>"
        self._links_page = (
            b"<html><body><h1>Tautan</h1>"
            + b"".join(b'<a href="/tautan/%d/">%d</a>' % (i, i) for i in range(150_000))
            + b"</body></html>"
        )

    def article_paths(self) -> list[str]:
        return [*super().article_paths(), *(self.GOOD if self.hostile else ())]

    def route(self, path: str, query: str, hits: Counter) -> tuple[int, dict, bytes]:
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/" and self.hostile:
            status, headers, body = super().route(path, query, hits)
            links = "".join(f'<a href="{p}">{p}</a> ' for p in self.BAD)
            return status, headers, body.replace(b"</main>", links.encode() + b"</main>", 1)
        if not self.hostile:
            return super().route(path, query, hits)
        if path == "/lambat/":
            return 200, {**html, "X-Action": "sleep"}, self.article(path, 201)
        if path == "/rusak/":
            return 500, html, b"<h1>Kesalahan server</h1>"
        if path == "/antre/":
            if hits[path] == 1:
                return 429, {**html, "Retry-After": "1"}, b"<h1>Terlalu banyak</h1>"
            return 200, html, self.article(path, 202)
        if path == "/putus/":
            return 200, {**html, "X-Action": "reset"}, self.article(path, 203)
        if path == "/terpotong/":
            full = self.article(path, 204)
            return 200, html, full[: full.index(b"<h2>Langkah")]
        if path == "/charset/":
            body = self.article(path, 205).replace(b"charset=utf-8", b"charset=windows-1252")
            body = body.replace(
                b"Kabar gawai nomor 205", "Kabar gawai nomor 205: café—ponsel".encode()
            )
            return 200, {"Content-Type": "text/html; charset=windows-1252"}, body
        if path == "/raksasa/":
            return 200, html, self._huge
        if path == "/bom/":
            return 200, {**html, "Content-Encoding": "gzip"}, self._bomb
        if path in ("/putar/a/", "/putar/b/"):
            return 302, {"Location": "/putar/b/" if path.endswith("a/") else "/putar/a/"}, b""
        if path == "/pergi/":
            return 302, {"Location": f"{self.base.replace('127.0.0.1', 'localhost')}/di-luar/"}, b""
        if path.startswith("/kalender/"):
            day = int(path.rstrip("/").rsplit("-", 1)[1])
            links = [
                f"/kalender/2026-01-{day + 1:02d}/",
                f"/kalender/2026-01-{max(1, day - 1):02d}/",
            ]
            return 200, html, self.listing(f"Kalender {day}", links, None)
        if path == "/banyak/":
            links = [f"/banyak/butir-{i}/" for i in range(10_000)]
            return 200, html, self.listing("Banyak tautan", links, None)
        if path == "/tautan-raksasa/":
            return 200, html, self._links_page
        if path.startswith("/banyak/butir-") or path.startswith("/tautan/"):
            return 404, html, b"<h1>Tidak ada</h1>"
        if path == "/dokumen/":
            return (
                200,
                html,
                b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
            )
        return super().route(path, query, hits)


SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "ARSIP_RETRY_BACKOFF": "0",
    "DOWNLOAD_TIMEOUT": "3",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
}


def crawl(sites: Path, db: Path, *extra: str) -> subprocess.CompletedProcess:
    sets = [arg for name, value in SETTINGS.items() for arg in ("--set", f"{name}={value}")]
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "scraper.cli",
            "crawl",
            "--sites",
            str(sites),
            "--db",
            str(db),
            *sets,
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )


def snapshot(db: Path) -> dict[str, tuple]:
    with sqlite3.connect(db) as conn:
        return {
            row[0]: row[1:]
            for row in conn.execute(
                "SELECT canonical_url, content_hash, title, body_text, version FROM articles"
            )
        }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    db = tmp / "archive.db"
    site = HostileSite()
    with E2EServer(site) as server:
        sites = tmp / "sites.toml"
        sites.write_text(
            f'[sites.kabargawai]\nname = "Kabar Gawai"\nstart_urls = ["{server.url}/"]\n'
        )
        clean = crawl(sites, db)
        before = snapshot(db)
        site.hostile = True
        server.reset_log()
        result = crawl(
            sites, db, "--max-pages", "300", "--max-error-rate", "1",
            "--set", "ARSIP_WORKERS=2", "--set", "ARSIP_INLINE_PAGES=0",
        )  # fmt: skip
        with sqlite3.connect(db) as conn:
            errors = conn.execute(
                "SELECT url, error, status, attempts FROM fetch_errors"
            ).fetchall()
            run = conn.execute(
                "SELECT dropped, errors, counts FROM crawl_runs ORDER BY id DESC"
            ).fetchone()
        yield {
            "server": server,
            "clean": clean,
            "result": result,
            "before": before,
            "after": snapshot(db),
            "requests": list(server.requests),
            "errors": {url.split("/", 3)[3].rstrip("/"): (e, s, a) for url, e, s, a in errors},
            "dropped": json.loads(run[0] or "{}"),
            "run_errors": json.loads(run[1] or "{}"),
            "counts": json.loads(run[2] or "{}"),
        }


def test_crawl_finishes_with_a_summary_and_no_traceback(hostile):
    assert hostile["clean"].returncode == 0, hostile["clean"].stderr
    result = hostile["result"]
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("pages=") and len(result.stdout.splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_good_articles_on_the_hostile_site_are_archived(hostile):
    archived = {"/" + u.split("/", 3)[3] for u in hostile["after"]}
    assert set(hostile["server"].site.article_paths()) <= archived


def test_nothing_already_archived_is_lost_or_altered(hostile):
    after = hostile["after"]
    assert hostile["before"] and all(after[url] == row for url, row in hostile["before"].items())


def test_wrong_charset_declaration_does_not_garble_text(hostile):
    titles = [row[1] for url, row in hostile["after"].items() if url.endswith("/charset/")]
    assert titles and "café—ponsel" in titles[0]


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("lambat", "timeout"),
        ("rusak", "http_500"),
        ("putus", "connection_lost"),
        ("raksasa", "too_large"),
        ("bom", "too_large"),
        ("putar/a", "redirect_loop"),
    ],
)
def test_each_bad_page_records_its_error(hostile, path, error):
    assert hostile["errors"].get(path, ("missing",))[0] == error


def test_server_errors_are_retried_before_being_recorded(hostile):
    assert hostile["errors"]["rusak"][1:] == (500, 3)
    assert hostile["requests"].count("/rusak/") == 3


def test_429_retry_after_is_honoured_then_archived(hostile):
    assert hostile["requests"].count("/antre/") == 2
    assert "antre" not in hostile["errors"]


def test_redirect_to_another_host_is_not_followed(hostile):
    assert "/pergi/" in hostile["requests"]
    assert "/di-luar/" not in hostile["requests"]


def test_endless_calendar_and_huge_listing_are_bounded(hostile):
    calendar = [p for p in hostile["requests"] if p.startswith("/kalender/")]
    assert 1 <= len(calendar) <= 6
    many = [p for p in hostile["requests"] if p.startswith("/banyak/butir-")]
    assert len(many) < 300


def test_pdf_served_as_html_is_dropped_not_archived(hostile):
    assert hostile["dropped"].get("not_html") == 1
    assert not [u for u in hostile["after"] if u.endswith("/dokumen/")]


def test_page_with_too_many_links_is_read_up_to_the_cap_and_recorded(hostile):
    assert "/tautan-raksasa/" in hostile["requests"]
    capped = hostile["counts"].get("links_capped") or {}
    assert any(u.endswith("/tautan-raksasa/") for u in capped.get("urls", []))
    followed = {p for p in hostile["requests"] if p.startswith("/tautan/")}
    # Only links before the cap exist for the crawl: the page's last ones never do.
    assert not any(int(p.split("/")[2]) >= 5000 for p in followed)

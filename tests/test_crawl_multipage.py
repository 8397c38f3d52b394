"""Split articles end to end: "Halaman 2" pages merged, or the site's whole-article switch used."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from tests.cli_helpers import arsip

FAST = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0"]

PARTS = [
    "Operator seluler mulai menguji jaringan generasi baru di tiga kota besar. Uji coba ini "
    "melibatkan ratusan pelanggan yang mendapat kartu khusus dan ponsel pinjaman dari operator.",
    "Pada pekan kedua, kecepatan unduh rata-rata tercatat dua kali lipat dibanding jaringan lama. "
    "Teknisi juga memantau suhu perangkat pemancar yang dipasang di atap gedung perkantoran.",
    "Hasil akhir uji coba akan diserahkan kepada regulator sebelum akhir tahun. Jika disetujui, "
    "layanan komersial dijadwalkan dibuka bertahap mulai kuartal pertama tahun depan.",
]
TITLE = "Uji Coba Jaringan Baru Dimulai di Tiga Kota"


def article_page(body: str, pager: str) -> str:
    return f"""<!doctype html><html lang="id"><head><title>{TITLE} - Kabar Sinyal</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="2026-11-20T09:00:00+07:00">
</head><body><header><nav><a href="/">Home</a></nav></header>
<article><h1>{TITLE}</h1><div class="entry-content">{body}</div>
<div class="pagination">{pager}</div></article>
<footer><a href="/tentang/">Tentang kami</a></footer></body></html>"""


def pager(base: str, current: int, query: bool) -> str:
    links = []
    for n in (1, 2, 3):
        href = (
            (f"{base}?page={n}" if n > 1 else base) if query else (f"{base}{n}/" if n > 1 else base)
        )
        links.append(f"<span>{n}</span>" if n == current else f'<a href="{href}">{n}</a>')
    if current < 3:
        nxt = f"{base}?page={current + 1}" if query else f"{base}{current + 1}/"
        links.append(f'<a href="{nxt}">Halaman selanjutnya</a>')
    return "Halaman: " + " ".join(links)


def routes() -> dict[str, str]:
    home = """<!doctype html><html><head><title>Kabar Sinyal</title></head><body><h1>Terbaru</h1>
<ul><li><a href="/uji-coba-jaringan/">Uji coba jaringan</a></li>
<li><a href="/berita/2026/uji-coba">Uji coba (versi portal)</a></li></ul></body></html>"""
    out = {"/": home, "/robots.txt": "User-agent: *\nAllow: /\n"}
    for i, text in enumerate(PARTS, 1):
        path = "/uji-coba-jaringan/" + (f"{i}/" if i > 1 else "")
        out[path] = article_page(f"<p>{text}</p>", pager("/uji-coba-jaringan/", i, query=False))
        portal = "/berita/2026/uji-coba" + (f"?page={i}" if i > 1 else "")
        out[portal] = article_page(f"<p>{text}</p>", pager("/berita/2026/uji-coba", i, query=True))
    whole = "".join(f"<p>{t}</p>" for t in PARTS)
    out["/berita/2026/uji-coba?page=all"] = article_page(whole, "")
    return out


@pytest.fixture
def site():
    pages, log = routes(), []
    failing: set[str] = set()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            log.append(self.path)
            body = None if self.path in failing else pages.get(self.path)
            self.send_response(503 if self.path in failing else 200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            data = (body or "tidak ada").encode()
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield SimpleNamespace(
        url=f"http://127.0.0.1:{server.server_address[1]}", log=log, failing=failing
    )
    server.shutdown()
    server.server_close()


def crawl(tmp_path, url: str, extra: str = "", *args: str) -> list[dict]:
    sites = tmp_path / "sites.toml"
    sites.write_text(f'[sites.kabar]\nname = "Kabar Sinyal"\nstart_urls = ["{url}/"]\n{extra}')
    db = tmp_path / "archive.db"
    proc = arsip("crawl", "--sites", str(sites), *FAST, *args, db=db)
    assert proc.returncode == 0, proc.stderr
    out = arsip("export", "--format", "jsonl", "--all", db=db, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def test_pages_of_a_split_article_become_one_record(site, tmp_path):
    url = site.url
    records = crawl(tmp_path, url)
    split = [r for r in records if "/uji-coba-jaringan/" in r["url"]]
    assert [r["url"] for r in split] == [f"{url}/uji-coba-jaringan/"]
    body = split[0]["body_text"]
    for text in PARTS:
        assert text in body
    assert body.index(PARTS[0]) < body.index(PARTS[1]) < body.index(PARTS[2])
    assert "Halaman selanjutnya" not in body


def test_the_sites_whole_article_switch_is_used_instead_of_the_pages(site, tmp_path):
    url, log = site.url, site.log
    records = crawl(tmp_path, url, 'whole_article = "page=all"\n')
    portal = [r for r in records if "/berita/2026/uji-coba" in r["url"]]
    assert len(portal) == 1
    assert all(text in portal[0]["body_text"] for text in PARTS)
    assert "/berita/2026/uji-coba?page=all" in log
    assert "/berita/2026/uji-coba?page=2" not in log


def test_an_article_the_switch_does_not_serve_still_gets_all_its_pages(site, tmp_path):
    url = site.url
    records = crawl(tmp_path, url, 'whole_article = "page=all"\n')
    split = [r for r in records if "/uji-coba-jaringan/" in r["url"]]
    assert len(split) == 1
    assert all(text in split[0]["body_text"] for text in PARTS)


def test_an_article_whose_later_page_fails_is_left_for_the_next_run(site, tmp_path):
    url = site.url
    site.failing.add("/uji-coba-jaringan/2/")
    retry = ("--set", "RETRY_TIMES=0")
    records = crawl(tmp_path, url, "", *retry)
    assert not [r for r in records if "/uji-coba-jaringan/" in r["url"]]
    site.failing.clear()
    records = crawl(tmp_path, url, "", *retry)
    split = [r for r in records if "/uji-coba-jaringan/" in r["url"]]
    assert len(split) == 1 and all(text in split[0]["body_text"] for text in PARTS)

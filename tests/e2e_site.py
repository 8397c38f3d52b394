"""A small news site of our own, served on 127.0.0.1 for end-to-end crawl tests.

Pages are generated: a home page, a category with three listing pages, a tag
page, an about page, article pages with distinct Indonesian text, a path
robots.txt forbids, an endless pagination trap, a page that answers 503 once,
URL variants (utm_, no trailing slash) of one article, and a sitemap. Every
request is logged so tests can see what the crawler fetched.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

_VOCABULARY = """
yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ada oleh karena sudah bisa
lebih masih telah harus hanya saat kata menurut tahun baru hari bulan pekan lalu kini nanti
pengguna ponsel baterai kamera layar prosesor jaringan operator sinyal aplikasi data keamanan
server internet harga pasar peluncuran fitur pembaruan sistem perangkat pabrikan konsumen
teknologi kecerdasan buatan satelit kabel serat optik kota desa pemerintah regulasi startup
investor pendanaan layanan digital pembayaran dompet transaksi toko daring gim konsol komputer
laptop tablet jam pintar mobil listrik pengisian daya energi surya riset kampus mahasiswa
peneliti perusahaan direktur menteri kementerian warga masyarakat sekolah guru siswa rumah
kantor jalan tol bandara pelabuhan kereta bus ojek pengemudi mitra pedagang pasar modal saham
rupiah dolar persen juta miliar triliun unit model seri versi generasi pertama kedua ketiga
terbaru terbesar tercepat murah mahal cepat lambat aman rentan bocor diretas dicuri diblokir
diluncurkan diumumkan dijual dibeli dipakai digunakan dikembangkan diproduksi dirakit diimpor
diekspor meningkat menurun naik turun tumbuh anjlok melonjak stabil target rencana strategi
kerja sama kemitraan akuisisi merger investasi ekspansi wilayah provinsi kabupaten pulau
jawa sumatra kalimantan sulawesi papua bali lombok jakarta bandung surabaya medan makassar
"""
_WORDS = _VOCABULARY.split()
_VERBS = [
    "meluncurkan",
    "menguji",
    "memperbarui",
    "mengumumkan",
    "menawarkan",
    "menghadirkan",
    "membatasi",
    "memperluas",
]


_SYLLABLES = [
    "ba",
    "be",
    "bi",
    "bo",
    "bu",
    "da",
    "de",
    "di",
    "do",
    "du",
    "ga",
    "gi",
    "gu",
    "ka",
    "ke",
    "ki",
    "ko",
    "ku",
    "la",
    "li",
    "lo",
    "lu",
    "ma",
    "me",
    "mi",
    "mo",
    "mu",
    "na",
    "ni",
    "no",
    "nu",
    "pa",
    "pe",
    "pi",
    "po",
    "pu",
    "ra",
    "ri",
    "ro",
    "ru",
    "sa",
    "se",
    "si",
    "so",
    "su",
    "ta",
    "te",
    "ti",
    "to",
    "tu",
]


def _paragraphs(seed: int, n: int = 5) -> list[str]:
    """Distinct sentences per seed: common words plus the article's own few
    names, as real stories have, so no two look like copies to a word-count
    simhash."""
    rng = random.Random(seed)
    own = ["".join(rng.choice(_SYLLABLES) for _ in range(3)) for _ in range(4)]
    out = []
    for _ in range(n):
        sentences = []
        for _ in range(3):
            words = [
                rng.choice(own) if rng.random() < 0.08 else rng.choice(_WORDS) for _ in range(9)
            ]
            sentences.append(
                f"{words[0].capitalize()} {words[1]} {rng.choice(_VERBS)} {' '.join(words[2:])}."
            )
        out.append(" ".join(sentences))
    return out


def _page(title: str, body: str, *, og_type: str = "website", head: str = "") -> bytes:
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>{title} - Kabar Gawai</title>
<meta property="og:type" content="{og_type}">{head}</head>
<body>
<header><nav class="menu"><a href="/">Beranda</a> <a href="/category/gawai/">Gawai</a>
<a href="/tag/ponsel/">Ponsel</a> <a href="/about/">Tentang</a> <a href="/arsip/page/1/">Arsip</a></nav></header>
{body}
<footer><p>&copy; 2026 Kabar Gawai. Semua hak dilindungi.</p></footer>
</body></html>""".encode()


#: Articles no listing links to: only a sitemap or only the feed announces them.
SITEMAP_ONLY = "/2026/01/hanya-di-peta-situs/"
FEED_ONLY = "/2026/01/hanya-di-umpan/"


class Site:
    """The site's content: which paths exist and what they serve."""

    def __init__(self, n_articles: int = 9, per_page: int = 3) -> None:
        self.n = n_articles
        self.per_page = per_page
        self.slugs = [f"/2026/01/kabar-gawai-nomor-{i}/" for i in range(1, n_articles + 1)]
        self.base = ""  # set by the server: sitemaps need absolute URLs
        self.edited: set[str] = set()  # article paths whose text has been corrected
        self.crawl_delay: float | None = None  # robots.txt Crawl-delay, when set
        self.bumped: dict[str, str] = {}  # article path -> a newer sitemap lastmod

    def article_paths(self) -> list[str]:
        return [*self.slugs, "/2026/01/server-sibuk/", SITEMAP_ONLY, FEED_ONLY]

    @staticmethod
    def day(index: int) -> int:
        """Article 1 is the newest (28 January), each next one a day older."""
        return 28 - (index - 1) % 28

    def date(self, index: int) -> str:
        return f"2026-01-{self.day(index):02d}T08:00:00+07:00"

    def sitemap_index(self) -> bytes:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{self.base}/sitemap-posts.xml</loc>"
            f"<lastmod>{self.date(1)}</lastmod></sitemap></sitemapindex>"
        ).encode()

    def sitemap(self) -> bytes:
        entries = [(p, i) for i, p in enumerate(self.slugs, 1)] + [(SITEMAP_ONLY, 950)]
        urls = "".join(
            f"<url><loc>{self.base}{p}</loc>"
            f"<lastmod>{self.bumped.get(p) or self.date(i)}</lastmod>"
            f"<news:news><news:publication_date>{self.date(i)}</news:publication_date></news:news></url>"
            for p, i in entries
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"{urls}</urlset>"
        ).encode()

    def feed(self) -> bytes:
        items = "".join(
            f"<item><title>Berita {i}</title><link>{self.base}{p}</link>"
            f"<pubDate>{self.day(i):02d} Jan 2026 01:00:00 +0000</pubDate></item>"
            for p, i in [(FEED_ONLY, 951), (self.slugs[0], 1)]
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Kabar Gawai</title><link>{self.base}/</link>{items}</channel></rss>"
        ).encode()

    def article(self, path: str, index: int) -> bytes:
        title = f"Kabar gawai nomor {index}: operator memperluas jaringan"
        paras = "".join(f"<p>{p}</p>" for p in _paragraphs(index))
        if path in self.edited:
            paras += "<p>Ralat: angka pada paragraf kedua telah diperbaiki oleh redaksi.</p>"
        jsonld = (
            '<script type="application/ld+json">{"@context":"https://schema.org",'
            f'"@type":"NewsArticle","headline":"{title}","datePublished":"{self.date(index)}",'
            '"author":{"@type":"Person","name":"Rina Wulandari"}}</script>'
        )
        body = f"""<main><article class="post">
<div class="breadcrumbs"><a href="/">Home</a> &gt; <a href="/category/gawai/">Gawai</a></div>
<h1 class="entry-title">{title}</h1>
<div class="meta">Oleh <a href="/author/rina/" rel="author">Rina Wulandari</a>,
<time datetime="{self.date(index)}">{self.day(index)} Januari 2026</time></div>
<div class="entry-content">{paras}<h2>Langkah berikutnya</h2>{"".join(f"<p>{p}</p>" for p in _paragraphs(index + 1000, 2))}</div>
</article>
<aside><h3>Terpopuler</h3><a href="{self.slugs[0]}">Kabar gawai nomor 1</a></aside></main>"""
        return _page(title, body, og_type="article", head=jsonld)

    def listing(self, title: str, paths: list[str], next_url: str | None, head: str = "") -> bytes:
        items = "".join(
            f'<article class="item"><h2><a href="{p}">Judul {p.strip("/").split("/")[-1]}</a></h2></article>'
            for p in paths
        )
        nav = f'<a class="next" rel="next" href="{next_url}">Berikutnya</a>' if next_url else ""
        return _page(
            title, f"<main><h1>{title}</h1>{items}<div class='nav'>{nav}</div></main>", head=head
        )

    def route(self, path: str, query: str, hits: Counter) -> tuple[int, dict, bytes]:
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/robots.txt":
            robots = "User-agent: *\nDisallow: /private/\nSitemap: /sitemap_index.xml\n"
            if self.crawl_delay:
                robots += f"Crawl-delay: {self.crawl_delay}\n"
            return 200, {"Content-Type": "text/plain"}, robots.encode()
        if path == "/sitemap_index.xml":
            return 200, {"Content-Type": "application/xml"}, self.sitemap_index()
        if path == "/sitemap-posts.xml":
            return 200, {"Content-Type": "application/xml"}, self.sitemap()
        if path == "/feed/":
            return 200, {"Content-Type": "application/rss+xml"}, self.feed()
        if path == SITEMAP_ONLY:
            return 200, html, self.article(path, 950)
        if path == FEED_ONLY:
            return 200, html, self.article(path, 951)
        if path == "/":
            links = [
                *self.slugs[:3],
                # Variants of one article: tracking parameters and no trailing slash.
                self.slugs[0] + "?utm_source=beranda&utm_medium=web",
                self.slugs[0].rstrip("/"),
                "/private/rahasia-perusahaan/",
                "/2026/01/server-sibuk/",
            ]
            feed = '<link rel="alternate" type="application/rss+xml" href="/feed/">'
            return 200, html, self.listing("Kabar Gawai", links, None, head=feed)
        pages = -(-self.n // self.per_page)
        listing_pages = {"/category/gawai/": 1}
        listing_pages.update({f"/category/gawai/page/{n}/": n for n in range(2, pages + 1)})
        if path in listing_pages:
            page = listing_pages[path]
            chunk = self.slugs[(page - 1) * self.per_page : page * self.per_page]
            nxt = f"/category/gawai/page/{page + 1}/" if page < pages else None
            return 200, html, self.listing(f"Gawai - halaman {page}", chunk, nxt)
        if path == "/tag/ponsel/":
            return 200, html, self.listing("Tag ponsel", self.slugs[::2], None)
        if path == "/about/":
            return (
                200,
                html,
                _page("Tentang kami", "<main><h1>Tentang kami</h1><p>Situs contoh.</p></main>"),
            )
        if path.startswith("/arsip/page/"):
            # The trap: endless pagination that never shows anything new.
            n = int(path.rstrip("/").rsplit("/", 1)[1])
            return 200, html, self.listing(f"Arsip {n}", self.slugs[:1], f"/arsip/page/{n + 1}/")
        if path == "/2026/01/server-sibuk/":
            if hits[path] == 1:
                return 503, {**html, "Retry-After": "0"}, b"<h1>Sibuk</h1>"
            return 200, html, self.article(path, 99)
        if path.startswith("/private/"):
            return 200, html, self.article(path, 77)
        for i, slug in enumerate(self.slugs, 1):
            if path == slug:
                return 200, html, self.article(path, i)
            if path == slug.rstrip("/"):
                return 301, {"Location": slug}, b""
        return 404, html, _page("Tidak ditemukan", "<main><h1>404</h1></main>")


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the crawler hanging up on a slow or huge page is expected here


class E2EServer:
    """Serve a Site on 127.0.0.1 (port 0) in a thread, logging every request."""

    def __init__(self, site: Site | None = None) -> None:
        self.site = site or Site()
        self.hits: Counter[str] = Counter()
        self.requests: list[str] = []
        self.times: list[tuple[float, str]] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                with outer._lock:
                    outer.hits[parts.path] += 1
                    outer.requests.append(self.path)
                    outer.times.append((time.monotonic(), parts.path))
                status, headers, body = outer.site.route(parts.path, parts.query, outer.hits)
                action = headers.pop("X-Action", None)
                if outer.delay:
                    time.sleep(outer.delay)
                if action == "sleep":
                    time.sleep(outer.slow_seconds)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    if action == "reset":
                        # Half the promised body, then the connection drops.
                        self.wfile.write(body[: len(body) // 2])
                        self.wfile.flush()
                        self.connection.shutdown(socket.SHUT_RDWR)
                        return
                    self.wfile.write(body)
                except OSError:
                    pass  # the crawler gave up on a slow or huge page

            def log_message(self, *args: object) -> None:
                pass

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.slow_seconds = 8.0
        self.delay = 0.0  # seconds added to every response
        self.site.base = self.url
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> E2EServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset_log(self) -> None:
        with self._lock:
            self.requests.clear()

"""A portal of our own for crawl-completeness tests: categories with paginated listings.

`Portal(categories, per_category, per_page)` serves `/` (links to each
category's first page only), `/kategori/<c>/` and `/kategori/<c>/page/<n>/`
(newest first, `rel=next` to the following page) and the articles they list.
Tests can hold chosen paths (`hold`) until they `release()` them, so a crawl
can be stopped at a known point without guessing durations, and can drop the
pagination of first pages (`no_next_on_head`), as a changed site would.
"""

from __future__ import annotations

import threading
from collections import Counter

from tests.e2e_site import _paragraphs


def _page(title: str, body: str, *, og_type: str = "website", head: str = "") -> bytes:
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>{title} - Portal Uji</title>
<meta property="og:type" content="{og_type}">{head}</head>
<body><header><a href="/">Portal Uji</a></header>
{body}
<footer><p>Portal Uji, situs contoh untuk pengujian.</p></footer></body></html>""".encode()


class Portal:
    def __init__(self, categories: int = 3, per_category: int = 20, per_page: int = 5) -> None:
        self.categories = [f"k{c}" for c in range(1, categories + 1)]
        self.per_category = per_category
        self.per_page = per_page
        self.base = ""  # set by the server
        self.held: set[str] = set()  # paths whose answer waits for release()
        self.gate = threading.Event()
        self.no_next_on_head = False
        self.start_paths = ["/"]

    def article_path(self, category: str, i: int) -> str:
        return f"/2026/02/{category}-laporan-ke-{i}/"

    def article_paths(self, category: str | None = None) -> list[str]:
        cats = [category] if category else self.categories
        return [self.article_path(c, i) for c in cats for i in range(1, self.per_category + 1)]

    def listing_path(self, category: str, page: int) -> str:
        return f"/kategori/{category}/" if page == 1 else f"/kategori/{category}/page/{page}/"

    def pages(self) -> int:
        return -(-self.per_category // self.per_page)

    def on_page(self, category: str, page: int) -> list[str]:
        first = (page - 1) * self.per_page + 1
        last = min(page * self.per_page, self.per_category)
        return [self.article_path(category, i) for i in range(first, last + 1)]

    def release(self) -> None:
        self.gate.set()

    def _article(self, category: str, i: int) -> bytes:
        seed = 5000 + self.categories.index(category) * 1000 + i
        title = f"Laporan {category} ke-{i}: pasar perangkat bergerak"
        day = 1 + (self.per_category - i) % 27
        date = f"2026-02-{day:02d}T09:30:00+07:00"
        paras = "".join(f"<p>{p}</p>" for p in _paragraphs(seed, 4))
        jsonld = (
            '<script type="application/ld+json">{"@context":"https://schema.org",'
            f'"@type":"NewsArticle","headline":"{title}","datePublished":"{date}"}}</script>'
        )
        body = (
            f'<main><article><h1>{title}</h1><time datetime="{date}">{day} Februari 2026</time>'
            f'<div class="isi">{paras}</div></article></main>'
        )
        return _page(title, body, og_type="article", head=jsonld)

    def _listing(self, category: str, page: int) -> bytes:
        items = "".join(
            f'<li><h2><a href="{p}">Laporan {p.strip("/").rsplit("-", 1)[1]}</a></h2></li>'
            for p in self.on_page(category, page)
        )
        nav = ""
        if page < self.pages() and not (page == 1 and self.no_next_on_head):
            nav = f'<a rel="next" href="{self.listing_path(category, page + 1)}">Selanjutnya</a>'
        return _page(
            f"Kategori {category} halaman {page}",
            f"<main><h1>Kategori {category}</h1><ul>{items}</ul><nav>{nav}</nav></main>",
        )

    def route(self, path: str, query: str, hits: Counter) -> tuple[int, dict, bytes]:
        if path in self.held:
            self.gate.wait(timeout=120)
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/":
            links = "".join(
                f'<a href="{self.listing_path(c, 1)}">Kategori {c}</a> ' for c in self.categories
            )
            return 200, html, _page("Beranda", f"<main><h1>Beranda</h1>{links}</main>")
        for c in self.categories:
            for page in range(1, self.pages() + 1):
                if path == self.listing_path(c, page):
                    return 200, html, self._listing(c, page)
            for i in range(1, self.per_category + 1):
                if path == self.article_path(c, i):
                    return 200, html, self._article(c, i)
        return 404, html, _page("Tidak ada", "<main><h1>404</h1></main>")

"""End to end: which row a crawled page lands in, when it is a new version, and
which copy of a story is the original (real `arsip crawl` against local sites)."""

from __future__ import annotations

import json
import sqlite3

from tests.e2e_site import E2EServer, Site, _page, _paragraphs
from tests.test_crawl_e2e import FAST, arsip


class ThemeSite(Site):
    """The test site with a theme's habits: a rel=canonical per post (set per
    path) and a "Baca juga" line that links a different post on every request."""

    def __init__(self, offset: int = 0, shared: tuple[str, str] | None = None) -> None:
        super().__init__(n_articles=6, per_page=3)
        self.offset = offset
        self.canonicals: dict[str, str] = {}
        self.rotation = 0
        self.shared = shared  # (path, published date) of a story other sites carry too
        if shared:
            self.slugs.append(shared[0])

    def article(self, path: str, index: int) -> bytes:
        if self.shared and path == self.shared[0]:
            return self._shared_story(self.shared[1])
        html = super().article(path, index + self.offset).decode()
        others = [s for s in self.slugs if s != path]
        pick = others[(index + self.rotation) % len(others)]
        also = f'<p><strong>Baca juga:</strong> <a href="{pick}">Tulisan pilihan {pick}</a></p>'
        html = html.replace("<h2>Langkah berikutnya</h2>", also + "<h2>Langkah berikutnya</h2>")
        if path in self.canonicals:
            link = f'<link rel="canonical" href="{self.base}{self.canonicals[path]}">'
            html = html.replace("</head>", link + "</head>")
        return html.encode()

    def _shared_story(self, published: str) -> bytes:
        title = "Kabel serat optik baru menyambung pulau-pulau di timur"
        paras = "".join(f"<p>{p}</p>" for p in _paragraphs(4242, 6))
        body = (
            f"<main><article><h1>{title}</h1><time datetime='{published}'>{published[:10]}</time>"
            f"<div class='entry-content'>{paras}</div></article></main>"
        )
        head = f'<meta property="article:published_time" content="{published}">'
        return _page(title, body, og_type="article", head=head)


def _sites(tmp_path, servers: dict[str, E2EServer]):
    path = tmp_path / "sites.toml"
    path.write_text(
        "".join(
            f'[sites.{k}]\nname = "{k}"\nstart_urls = ["{s.url}/"]\n' for k, s in servers.items()
        )
    )
    return path


def _crawl(sites, db, *extra: str) -> str:
    proc = arsip("crawl", "--sites", str(sites), "--db", str(db), *FAST, *extra)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _rows(db) -> dict[str, dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return {r["url"]: dict(r) for r in conn.execute("SELECT * FROM articles")}
    finally:
        conn.close()


def _shown(db, url: str) -> dict:
    proc = arsip("show", url, "--json", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_a_section_canonical_on_several_posts_merges_none_of_them(tmp_path):
    site = ThemeSite()
    # The theme puts one listing URL on three posts, and a bare section URL
    # (no listing word in it) on three others.
    for slug in site.slugs[:3]:
        site.canonicals[slug] = "/category/gawai/"
    for slug in site.slugs[3:]:
        site.canonicals[slug] = "/gawai/"
    db = tmp_path / "archive.db"
    with E2EServer(site) as server:
        sites = _sites(tmp_path, {"kabar": server})
        for extra in ((), ("--refresh",)):  # the second run refetches every post
            out = _crawl(sites, db, *extra)
            assert "duplicate_url" not in out
            rows = _rows(db)
            assert len(rows) == len(site.article_paths())
            for i, slug in enumerate(site.slugs, 1):
                record = _shown(db, server.url + slug)
                assert record["title"].startswith(f"Kabar gawai nomor {i}:"), slug
                assert record["version"] == 1 and record["versions"] == 0, slug
    assert "/category/gawai/" not in {
        r["canonical_url"].removeprefix(server.url) for r in rows.values()
    }


def test_a_rotating_related_link_is_no_new_version_but_an_edit_is(tmp_path):
    site = ThemeSite()
    db = tmp_path / "archive.db"
    with E2EServer(site) as server:
        sites = _sites(tmp_path, {"kabar": server})
        _crawl(sites, db)
        before = _rows(db)
        site.rotation += 1  # every post now recommends another one
        again = _crawl(sites, db, "--refresh")
        assert "updated=0" in again, again
        after = _rows(db)
        for slug in site.slugs:
            old, new = before[server.url + slug], after[server.url + slug]
            assert new["version"] == 1, slug
            assert new["related"] != old["related"], slug  # the row shows the page as it is now
        site.edited.add(site.slugs[1])  # a correction: that is a version
        third = _crawl(sites, db, "--refresh")
        assert "updated=1" in third, third
    record = _shown(db, server.url + site.slugs[1])
    assert record["version"] == 2 and record["versions"] == 1


def test_an_earlier_published_copy_crawled_later_becomes_the_original(tmp_path):
    shared = "/2026/01/kabel-laut-timur/"
    late = ThemeSite(offset=100, shared=(shared, "2026-01-20T10:00:00+07:00"))
    early = ThemeSite(offset=200, shared=(shared, "2026-01-18T07:30:00+07:00"))
    db = tmp_path / "archive.db"
    with E2EServer(late) as late_server, E2EServer(early) as early_server:
        _crawl(_sites(tmp_path, {"lambat": late_server}), db)
        assert _rows(db)[late_server.url + shared]["duplicate_of"] is None
        _crawl(_sites(tmp_path, {"awal": early_server}), db)
    rows = _rows(db)
    assert rows[early_server.url + shared]["duplicate_of"] is None
    assert rows[late_server.url + shared]["duplicate_of"] == early_server.url + shared
    assert [url for url, r in rows.items() if r["duplicate_of"]] == [late_server.url + shared]

"""The whole demo site as a map of URL path -> (content type, bytes)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from scraper.demo import theme_news, theme_press
from scraper.demo.content import Post, inline_text, load_posts
from scraper.demo.markup import CATEGORIES, category_name, esc, long_date, tag_slug
from scraper.demo.theme_news import SITE_NAME, Ctx

logger = logging.getLogger(__name__)

#: Small pages so a category of ten articles really paginates.
PER_PAGE = 4
HTML = "text/html; charset=utf-8"

ROBOTS = """User-agent: *
Disallow: /private/
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php

Sitemap: {base}/sitemap.xml
"""


def _excerpt(post: Post) -> str:
    first = next((b["text"] for b in post.blocks if b["kind"] == "p"), "")
    words = inline_text(first).split()
    return " ".join(words[:24]) + (" […]" if len(words) > 24 else "")


def _cards(ctx: Ctx, posts: Iterable[Post]) -> str:
    return "\n".join(
        '<div class="td_module_10 td_module_wrap td-animation-stack">'
        f'<div class="td-module-thumb"><a href="{ctx.url(f"/{p.slug}/")}" rel="bookmark" title="{esc(p.title)}">'
        '<span class="entry-thumb"></span></a></div><div class="item-details">'
        f'<h3 class="entry-title td-module-title"><a href="{ctx.url(f"/{p.slug}/")}" rel="bookmark">{esc(p.title)}</a></h3>'
        '<div class="td-module-meta-info">'
        f'<span class="td-post-author-name"><a href="#">{esc(p.authors[0])}</a> - </span>'
        f'<span class="td-post-date"><time class="entry-date" datetime="{p.published.isoformat()}">'
        f"{long_date(p.published)}</time></span></div>"
        f'<div class="td-excerpt">{esc(_excerpt(p))}</div></div></div>'
        for p in posts
    )


def _pager(ctx: Ctx, root: str, current: int, pages: int) -> str:
    if pages < 2:
        return ""
    links = []
    for n in range(1, pages + 1):
        href = ctx.url(root if n == 1 else f"{root}page/{n}/")
        links.append(
            f'<span class="current">{n}</span>'
            if n == current
            else f'<a href="{href}" class="page">{n}</a>'
        )
    if current < pages:
        links.append(
            f'<a href="{ctx.url(f"{root}page/{current + 1}/")}" aria-label="next-page">'
            '<i class="td-icon-menu-right"></i></a>'
        )
    return (
        f'<div class="page-nav td-pb-padding-side">{"".join(links)}'
        f'<span class="pages">Page {current} of {pages}</span></div>'
    )


def _listing(ctx: Ctx, title: str, root: str, posts: list[Post]) -> dict[str, str]:
    """A listing and its paginated continuation pages, keyed by path."""
    pages = max(1, -(-len(posts) // PER_PAGE))
    out = {}
    for n in range(1, pages + 1):
        path = root if n == 1 else f"{root}page/{n}/"
        chunk = posts[(n - 1) * PER_PAGE : n * PER_PAGE]
        head = (
            f"<title>{esc(title)} - {SITE_NAME}</title>\n"
            f'<link rel="canonical" href="{ctx.url(path)}">\n<meta property="og:type" content="website">'
        )
        main = (
            f'<div class="td-page-header"><h1 class="entry-title td-page-title"><span>{esc(title)}</span></h1></div>\n'
            f"{_cards(ctx, chunk)}\n{_pager(ctx, root, n, pages)}"
        )
        out[path] = theme_news.wrap(ctx, head, "archive category", main)
    return out


def _about(ctx: Ctx) -> str:
    head = f'<title>Tentang Kami - {SITE_NAME}</title>\n<meta property="og:type" content="website">'
    main = (
        '<div class="td-page-header"><h1 class="entry-title td-page-title">Tentang Kami</h1></div>'
        f'<div class="td-page-content"><p>{SITE_NAME} adalah situs contoh yang dibuat untuk '
        "memperagakan arsip berita teknologi. Semua artikel di sini ditulis khusus untuk demo dan "
        "tidak menggambarkan peristiwa nyata.</p><p>Redaksi dapat dihubungi lewat formulir kontak.</p></div>"
    )
    return theme_news.wrap(ctx, head, "page-template-default page", main)


def _sitemap(ctx: Ctx) -> str:
    urls = "".join(
        f"<url><loc>{ctx.url(f'/{p.slug}/')}</loc><lastmod>{p.published.isoformat()}</lastmod></url>"
        for p in ctx.posts
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
    )


def build_site(base: str, posts: list[Post] | None = None) -> dict[str, tuple[str, bytes]]:
    """Every page of the demo site for a server reachable at `base` (no trailing slash)."""
    posts = posts if posts is not None else load_posts()
    ctx = Ctx(base=base.rstrip("/"), posts=posts)
    pages: dict[str, str] = {}
    for post in posts:
        theme = theme_press if post.theme == "press" else theme_news
        pages[f"/{post.slug}/"] = theme.article(ctx, post)
    pages.update(_listing(ctx, "Berita Teknologi Terbaru", "/", posts))
    for slug in CATEGORIES:
        members = [p for p in posts if p.category == slug]
        pages.update(_listing(ctx, category_name(slug), f"/category/{slug}/", members))
    for tag in sorted({t for p in posts for t in p.tags}):
        members = [p for p in posts if tag in p.tags]
        pages.update(_listing(ctx, f"Tag: {tag}", f"/tag/{tag_slug(tag)}/", members))
    for author in sorted({a for p in posts for a in p.authors}):
        members = [p for p in posts if author in p.authors]
        pages.update(_listing(ctx, f"Penulis: {author}", f"/author/{tag_slug(author)}/", members))
    pages["/tentang-kami/"] = _about(ctx)
    pages["/private/arsip-redaksi/"] = theme_news.wrap(
        ctx, "<title>Arsip Redaksi</title>", "page", "<p>Halaman internal redaksi.</p>"
    )
    site = {path: (HTML, text.encode("utf-8")) for path, text in pages.items()}
    site["/robots.txt"] = ("text/plain; charset=utf-8", ROBOTS.format(base=ctx.base).encode())
    site["/sitemap.xml"] = ("application/xml", _sitemap(ctx).encode("utf-8"))
    logger.debug("demo site: %s pages for %s articles", len(site), len(posts))
    return site

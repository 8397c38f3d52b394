"""A GeneratePress + Yoast-like theme: `entry-content`, JSON-LD graph, author box, comments."""

from __future__ import annotations

import json

from scraper.demo.content import Post
from scraper.demo.markup import (
    CATEGORIES,
    body_html,
    category_name,
    esc,
    long_date,
    page,
    post_id,
    tag_slug,
)
from scraper.demo.theme_news import SITE_NAME, Ctx


def _wrap(ctx: Ctx, head: str, body_class: str, main: str) -> str:
    """GeneratePress chrome: branding, main navigation, right sidebar, site-info footer."""
    menu = "".join(
        f'<li class="menu-item"><a href="{ctx.url(f"/category/{slug}/")}">{name}</a></li>'
        for slug, name in CATEGORIES.items()
    )
    recent = "".join(
        f'<li><a href="{ctx.url(f"/{p.slug}/")}">{esc(p.title)}</a></li>' for p in ctx.posts[:5]
    )
    popular = "".join(
        f'<li><a href="{ctx.url(f"/{p.slug}/")}">{esc(p.title)}</a></li>' for p in ctx.posts[-4:]
    )
    body = f"""<a class="screen-reader-text skip-link" href="#content">Langsung ke konten</a>
<header class="site-header" id="masthead"><div class="inside-header grid-container">
<div class="site-branding"><p class="main-title"><a href="{ctx.url("/")}" rel="home">{SITE_NAME}</a></p>
<p class="site-description">Berita teknologi, gadget dan aplikasi</p></div>
<nav class="main-navigation" id="site-navigation"><div class="inside-navigation grid-container">
<ul id="menu-utama" class="main-nav"><li class="menu-item"><a href="{ctx.url("/")}">Beranda</a></li>{menu}
<li class="menu-item"><a href="{ctx.url("/tentang-kami/")}">Tentang Kami</a></li></ul></div></nav>
</div></header>
<div class="site grid-container container hfeed" id="page"><div class="site-content" id="content">
<div class="content-area" id="primary"><main class="site-main" id="main">
{main}
</main></div>
<div class="widget-area sidebar is-right-sidebar" id="right-sidebar"><div class="inside-right-sidebar">
<aside class="widget widget_recent_entries"><h2 class="widget-title">Terbaru</h2><ul>{recent}</ul></aside>
<aside class="widget"><h2 class="widget-title">Berita Terpopuler</h2><ol>{popular}</ol></aside>
</div></div>
</div></div>
<div class="site-footer"><footer class="site-info" aria-label="Situs"><div class="inside-site-info grid-container">
<div class="copyright-bar">&copy; 2026 {SITE_NAME} &bull; Dibangun dengan GeneratePress</div></div></footer></div>"""
    return page(head, body_class, body)


def _baca(url: str, title: str) -> str:
    return f'<p>Baca juga: <a href="{url}">{esc(title)}</a></p>'


def _jsonld(ctx: Ctx, post: Post) -> str:
    url = ctx.url(f"/{post.slug}/")
    cat = category_name(post.category)
    graph = [
        {
            "@type": "NewsArticle",
            "@id": f"{url}#article",
            "isPartOf": {"@id": url},
            "headline": post.title,
            "datePublished": post.published.isoformat(),
            "dateModified": post.published.isoformat(),
            "author": [
                {"@type": "Person", "name": a, "url": ctx.url(f"/author/{tag_slug(a)}/")}
                for a in post.authors
            ],
            "publisher": {"@id": f"{ctx.base}/#organization"},
            "keywords": post.tags,
            "articleSection": [cat],
            "inLanguage": "id-ID",
        },
        {"@type": "WebPage", "@id": url, "url": url, "name": f"{post.title} - {SITE_NAME}"},
        {
            "@type": "BreadcrumbList",
            "@id": f"{url}#breadcrumb",
            "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home", "item": ctx.url("/")},
                {
                    "@type": "ListItem",
                    "position": 2,
                    "name": cat,
                    "item": ctx.url(f"/category/{post.category}/"),
                },
                {"@type": "ListItem", "position": 3, "name": post.title},
            ],
        },
        {"@type": "Organization", "@id": f"{ctx.base}/#organization", "name": SITE_NAME},
    ]
    data = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False)
    return f'<script type="application/ld+json" class="yoast-schema-graph">{data}</script>'


def _author_box(ctx: Ctx, post: Post) -> str:
    name = post.authors[0]
    return (
        '<div class="author-box"><div class="avatar"><img alt="" src="'
        f'{ctx.url("/static/avatar.png")}" width="80" height="80"></div>'
        f'<div class="author-info"><h4 class="author-title">Tentang Penulis: {esc(name)}</h4>'
        f'<p class="author-description">{esc(name)} adalah jurnalis teknologi di {SITE_NAME} yang '
        "gemar menguji ponsel murah dan menulis panduan aplikasi.</p>"
        f'<a class="author-link" href="{ctx.url(f"/author/{tag_slug(name)}/")}">Lihat semua tulisan</a></div></div>'
    )


_SHARE = (
    '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social">'
    '<h3 class="sd-title">Bagikan ini:</h3><div class="sd-content"><ul>'
    '<li class="share-facebook"><a class="share-facebook sd-button" href="#">Facebook</a></li>'
    '<li class="share-x"><a class="share-x sd-button" href="#">X</a></li>'
    '<li class="share-jetpack-whatsapp"><a class="sd-button" href="#">WhatsApp</a></li>'
    "</ul></div></div></div>"
)

_COMMENTS = (
    '<div id="comments"><div id="respond" class="comment-respond">'
    '<h3 id="reply-title" class="comment-reply-title">Tinggalkan Balasan</h3>'
    '<form action="#" method="post" id="commentform" class="comment-form">'
    '<p class="comment-notes">Alamat email Anda tidak akan dipublikasikan. Ruas yang wajib ditandai *</p>'
    '<p class="comment-form-comment"><label for="comment">Komentar</label>'
    '<textarea id="comment" name="comment"></textarea></p>'
    '<p class="form-submit"><input name="submit" type="submit" class="submit" value="Kirim Komentar"></p>'
    "</form></div></div>"
)


def article(ctx: Ctx, post: Post) -> str:
    """One article page in the GeneratePress/Yoast-like markup (inside the site chrome)."""
    url = ctx.url(f"/{post.slug}/")
    cat = category_name(post.category)
    cat_url = ctx.url(f"/category/{post.category}/")
    iso = post.published.isoformat()
    bylines = " dan ".join(
        f'<span class="author vcard"><a class="url fn n" href="{ctx.url(f"/author/{tag_slug(a)}/")}" '
        f'rel="author"><span class="author-name" itemprop="name">{esc(a)}</span></a></span>'
        for a in post.authors
    )
    tags = ", ".join(
        f'<a href="{ctx.url(f"/tag/{tag_slug(t)}/")}" rel="tag">{esc(t)}</a>' for t in post.tags
    )
    head = (
        f"<title>{esc(post.title)} - {SITE_NAME}</title>\n"
        f'<meta name="description" content="{esc(post.description)}">\n'
        f'<link rel="canonical" href="{url}">\n'
        '<meta property="og:locale" content="id_ID">\n<meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="{esc(post.title)}">\n'
        f'<meta property="og:image" content="{ctx.url("/static/thumb.jpg")}">\n'
        f'<meta property="article:published_time" content="{iso}">\n'
        f'<meta property="article:modified_time" content="{iso}">\n'
        f'<meta name="author" content="{esc(", ".join(post.authors))}">\n{_jsonld(ctx, post)}'
    )
    main = f"""<article id="post-{post_id(post.slug)}" class="post-{post_id(post.slug)} post type-post status-publish hentry category-{post.category}" itemtype="https://schema.org/CreativeWork" itemscope>
<div class="inside-article">
<p id="breadcrumbs"><span><span><a href="{ctx.url("/")}">Home</a></span> » <span><a href="{cat_url}">{cat}</a></span> » <span class="breadcrumb_last" aria-current="page">{esc(post.title)}</span></span></p>
<header class="entry-header">
<h1 class="entry-title" itemprop="headline">{esc(post.title)}</h1>
<div class="entry-meta">
<span class="posted-on"><time class="entry-date published" datetime="{iso}" itemprop="datePublished">{long_date(post.published)}, {post.published:%H:%M} WIB</time></span>
<span class="byline">oleh {bylines}</span>
</div>
</header>
<div class="featured-image page-header-image-single"><img width="1200" height="675" src="{ctx.url("/static/thumb.jpg")}" alt=""></div>
<div class="entry-content" itemprop="text">
{body_html(post, ctx.base, ctx.titles, _baca)}
{_SHARE}
</div>
<footer class="entry-meta" aria-label="Meta postingan">
<span class="cat-links"><span class="screen-reader-text">Kategori </span><a href="{cat_url}" rel="category tag">{cat}</a></span>
<span class="tags-links"><span class="screen-reader-text">Tag </span>{tags}</span>
</footer>
{_author_box(ctx, post)}
</div>
</article>
<nav id="nav-below" class="post-navigation" aria-label="Pos"><div class="nav-previous"><span class="prev">Sebelumnya</span> <a href="{ctx.url("/")}" rel="prev">Beranda</a></div></nav>
{_COMMENTS}"""
    return _wrap(
        ctx,
        head,
        "post-template-default single single-post right-sidebar separate-containers",
        main,
    )

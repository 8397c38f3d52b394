"""Regenerate the unseen test site (JNews-like markup) and its expected.json from content/.

Run `python tests/sites/unseen/build.py` after editing content/*.txt; the output
under site/ is committed so the end-to-end test serves plain files. Links are
written against the placeholder __BASE__, which the test server replaces with
its own address.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from scraper.demo.content import Post, inline_text, parse_post
from scraper.demo.markup import body_html, esc, long_date, tag_slug

HERE = Path(__file__).parent
BASE = "__BASE__"
SITE = "Seputar Gawai"
CATEGORIES = {"berita-viral": "Berita Viral", "ulasan": "Ulasan"}
PER_PAGE = 4
AD = '<div class="jeg_ad jeg_ad_article jnews_content_inline_ads"><div class="ads-wrapper"><span class="ads-text">ADVERTISEMENT</span></div></div>'


def _menu() -> str:
    items = "".join(
        f'<li class="menu-item"><a href="{BASE}/category/{s}/">{n}</a></li>'
        for s, n in CATEGORIES.items()
    )
    return (
        '<div class="jeg_header_wrapper"><div class="jeg_header normal">'
        f'<div class="jeg_topbar"><div class="jeg_top_date">Rabu, 25 November 2026</div></div>'
        f'<div class="jeg_midbar"><div class="jeg_logo"><a href="{BASE}/">{SITE}</a></div></div>'
        '<div class="jeg_bottombar"><div class="jeg_main_menu_wrapper"><ul class="jeg_menu jeg_main_menu">'
        f'<li class="menu-item"><a href="{BASE}/">Home</a></li>{items}'
        f'<li class="menu-item"><a href="{BASE}/about/">Tentang</a></li></ul></div></div></div></div>'
    )


def _sidebar(posts: list[Post]) -> str:
    items = "".join(
        f'<article class="jeg_post jeg_pl_sm"><div class="jeg_postblock_content"><h3 class="jeg_post_title">'
        f'<a href="{BASE}/{p.slug}/">{esc(p.title)}</a></h3></div></article>'
        for p in posts[-3:]
    )
    return (
        '<aside class="jeg_sidebar col-md-4"><div class="widget widget_jnews_module_block_21">'
        '<div class="jeg_block_heading"><h3 class="jeg_block_title"><span>Berita Terpopuler</span></h3></div>'
        f'<div class="jeg_posts">{items}</div></div></aside>'
    )


def _page(title: str, head: str, body_class: str, main: str, posts: list[Post]) -> str:
    return f"""<!DOCTYPE html>
<html lang="id-ID">
<head>
<meta charset="UTF-8">
<title>{esc(title)}</title>
{head}
</head>
<body class="{body_class} jnews jsc_normal">
<div class="jeg_viewport">
{_menu()}
<div class="jeg_main"><div class="jeg_container"><div class="jeg_content"><div class="container"><div class="row">
<div class="jeg_main_content col-md-8"><div class="jeg_inner_content">
{main}
</div></div>
{_sidebar(posts)}
</div></div></div></div></div>
<div class="footer-holder" id="footer"><div class="jeg_footer"><div class="jeg_footer_bottom">
<p class="copyright">&copy; 2026 {SITE}. Seluruh hak cipta dilindungi.</p>
<ul class="jeg_menu_footer"><li><a href="{BASE}/about/">Tentang</a></li><li><a href="{BASE}/private/catatan-redaksi/">Catatan Redaksi</a></li></ul>
</div></div></div>
</div>
</body>
</html>
"""


def _inline_related(url: str, title: str) -> str:
    return (
        '<div class="jnews_inline_related_post_wrapper"><div class="jnews_inline_related_post">'
        '<div class="jeg_postblock_29 jeg_postblock"><div class="jeg_block_heading"><h3 class="jeg_block_title">'
        '<span>Baca Juga</span></h3></div><div class="jeg_posts"><div class="jeg_postsmall"><article class="jeg_post">'
        f'<div class="jeg_postblock_content"><h3 class="jeg_post_title"><a href="{url}">{esc(title)}</a></h3>'
        "</div></article></div></div></div></div></div>"
    )


def article(post: Post, posts: list[Post]) -> str:
    titles = {p.slug: p.title for p in posts}
    url = f"{BASE}/{post.slug}/"
    cat = CATEGORIES[post.category]
    iso = post.published.isoformat()
    jsonld = json.dumps(
        {
            "@context": "http://schema.org",
            "@type": "Article",
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "headline": post.title,
            "datePublished": iso,
            "dateModified": iso,
            "author": {"@type": "Person", "name": ", ".join(post.authors)},
            "publisher": {"@type": "Organization", "name": SITE},
        },
        ensure_ascii=False,
    )
    head = (
        f'<link rel="canonical" href="{url}">\n<meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="{esc(post.title)}">\n'
        f'<meta property="article:published_time" content="{iso}">\n'
        f'<meta property="article:section" content="{cat}">\n'
        f'<script type="application/ld+json">{jsonld}</script>'
    )
    authors = ", ".join(
        f'<a href="{BASE}/author/{tag_slug(a)}/">{esc(a)}</a>' for a in post.authors
    )
    tags = " ".join(
        f'<a href="{BASE}/tag/{tag_slug(t)}/" rel="tag">{esc(t)}</a>' for t in post.tags
    )
    related = "".join(
        f'<article class="jeg_post jeg_pl_md_box"><div class="jeg_postblock_content"><h3 class="jeg_post_title">'
        f'<a href="{BASE}/{s}/">{esc(titles[s])}</a></h3><div class="jeg_post_meta"><div class="jeg_meta_date">'
        f'<a href="{BASE}/{s}/">{long_date(next(p.published for p in posts if p.slug == s))}</a></div></div></div></article>'
        for s in post.related
    )
    main = f"""<div class="jeg_breadcrumbs jeg_breadcrumb_container"><div id="breadcrumbs"><span><a href="{BASE}/">Home</a></span><i class="fa fa-angle-right"></i><span><a href="{BASE}/category/{post.category}/">{cat}</a></span><i class="fa fa-angle-right"></i><span class="breadcrumb_last_link"><a href="{url}">{esc(post.title)}</a></span></div></div>
<div class="entry-header">
<h1 class="jeg_post_title">{esc(post.title)}</h1>
<h2 class="jeg_post_subtitle">{esc(post.description)}</h2>
<div class="jeg_meta_container"><div class="jeg_post_meta jeg_post_meta_1"><div class="meta_left">
<div class="jeg_meta_author"><span class="meta_text">by</span> {authors}</div>
<div class="jeg_meta_date"><a href="{url}">{long_date(post.published)}</a></div>
<div class="jeg_meta_category"><span><span class="meta_text">in</span> <a href="{BASE}/category/{post.category}/" rel="category tag">{cat}</a></span></div>
</div><div class="meta_right"><div class="jeg_meta_comment"><a href="{url}#comments"><i class="fa fa-comment-o"></i> 0</a></div></div></div></div>
</div>
<div class="jeg_featured featured_image"><div class="thumbnail-container"><img src="{BASE}/wp-content/uploads/thumb.jpg" alt=""></div><p class="wp-caption-text">Ilustrasi redaksi {SITE}.</p></div>
<div class="jeg_share_top_container"><div class="jeg_share_button clearfix"><div class="jeg_share_stats"><div class="jeg_share_count"><div class="counts">37</div><span class="sharetext">SHARES</span></div></div><div class="jeg_sharelist"><a href="#" class="jeg_btn-facebook expanded"><span>Share</span></a><a href="#" class="jeg_btn-twitter expanded"><span>Tweet</span></a></div></div></div>
<div class="entry-content no-share"><div class="content-inner">
{body_html(post, BASE, titles, _inline_related, AD)}
</div>
<div class="jeg_post_tags"><span>Tags:</span> {tags}</div>
</div>
<div class="jnews_author_box_container"><div class="jeg_authorbox"><div class="jeg_author_content"><h3 class="jeg_author_name"><a href="{BASE}/author/{tag_slug(post.authors[0])}/">{esc(post.authors[0])}</a></h3><p class="jeg_author_desc">Penulis di {SITE} yang meliput gawai, aplikasi dan budaya internet.</p></div></div></div>
<div class="jnews_related_post_container"><div class="jeg_postblock_22 jeg_postblock"><div class="jeg_block_heading"><h3 class="jeg_block_title"><span>Related<strong> Posts</strong></span></h3></div><div class="jeg_block_container"><div class="jeg_posts">{related}</div></div></div></div>
<div class="jnews_comment_container"><div id="comments" class="comment-wrapper section"><div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3><form class="comment-form"><textarea name="comment"></textarea><input type="submit" value="Post Comment"></form></div></div></div>"""
    return _page(
        f"{post.title} - {SITE}", head, "post-template-default single single-post", main, posts
    )


def listing(title: str, root: str, members: list[Post], posts: list[Post]) -> dict[str, str]:
    pages = max(1, -(-len(members) // PER_PAGE))
    out = {}
    for n in range(1, pages + 1):
        path = root if n == 1 else f"{root}page/{n}/"
        cards = "".join(
            f'<article class="jeg_post jeg_pl_lg_2"><div class="jeg_postblock_content"><h3 class="jeg_post_title">'
            f'<a href="{BASE}/{p.slug}/">{esc(p.title)}</a></h3><div class="jeg_post_meta"><div class="jeg_meta_date">'
            f'{long_date(p.published)}</div></div><div class="jeg_post_excerpt"><p>{esc(p.description)}</p></div></div></article>'
            for p in members[(n - 1) * PER_PAGE : n * PER_PAGE]
        )
        nav = "".join(
            f'<span class="page_number active">{k}</span>'
            if k == n
            else f'<a class="page_number" href="{BASE}{root if k == 1 else f"{root}page/{k}/"}">{k}</a>'
            for k in range(1, pages + 1)
        )
        if n < pages:
            nav += f'<a class="page_nav next" href="{BASE}{root}page/{n + 1}/"><span class="navtext">Next</span></a>'
        main = (
            f'<div class="jeg_archive_header"><h1 class="jeg_archive_title">{esc(title)}</h1></div>'
            f'<div class="jeg_postblock_4 jeg_postblock"><div class="jeg_posts">{cards}</div></div>'
            f'<div class="jeg_navigation jeg_pagination jeg_pagenav_1">{nav}</div>'
        )
        head = '<meta property="og:type" content="website">'
        out[path] = _page(f"{title} - {SITE}", head, "archive", main, posts)
    return out


def expected(post: Post) -> dict[str, object]:
    """What a careful reader labels on the article page."""
    paras = [inline_text(b["text"]) for b in post.blocks if b["kind"] == "p"]
    items = [inline_text(i["text"]) for b in post.blocks if b["kind"] == "list" for i in b["items"]]
    related = [b["slug"] for b in post.blocks if b["kind"] == "baca"] + post.related
    return {
        "title": post.title,
        "authors": post.authors,
        "published_at": post.published.isoformat(),
        "breadcrumbs": ["Home", CATEGORIES[post.category]],
        "headings": [
            {
                "level": 3 if b["kind"] != "h2" else 2,
                "text": b["text"],
                **({"pseudo": True} if b["kind"] == "pseudo" else {}),
            }
            for b in post.blocks
            if b["kind"] in ("h2", "h3", "pseudo")
        ],
        "lists": [
            {
                "ordered": b["ordered"],
                "items": [
                    {
                        "text": inline_text(i["text"]),
                        "children": [
                            {"text": inline_text(c["text"]), "children": []} for c in i["children"]
                        ],
                    }
                    for i in b["items"]
                ],
            }
            for b in post.blocks
            if b["kind"] == "list"
        ],
        "related": sorted({f"/{slug}/" for slug in related}),
        "with": [paras[0], paras[-1], *items[:1]],
        "without": [
            "ADVERTISEMENT",
            "SHARES",
            "Baca Juga",
            "Related Posts",
            "Leave a Reply",
            "Berita Terpopuler",
            f"Penulis di {SITE}",
            f"Ilustrasi redaksi {SITE}",
            "Seluruh hak cipta dilindungi",
        ],
    }


def build() -> None:
    posts = sorted(
        (parse_post(p.read_text(encoding="utf-8")) for p in (HERE / "content").glob("*.txt")),
        key=lambda p: p.published,
        reverse=True,
    )
    pages: dict[str, str] = {f"/{p.slug}/": article(p, posts) for p in posts}
    pages.update(listing("Berita Terbaru", "/", posts, posts))
    for slug, name in CATEGORIES.items():
        pages.update(
            listing(name, f"/category/{slug}/", [p for p in posts if p.category == slug], posts)
        )
    for tag in sorted({t for p in posts for t in p.tags}):
        pages.update(
            listing(
                f"Tag: {tag}", f"/tag/{tag_slug(tag)}/", [p for p in posts if tag in p.tags], posts
            )
        )
    for author in sorted({a for p in posts for a in p.authors}):
        members = [p for p in posts if author in p.authors]
        pages.update(listing(f"Penulis: {author}", f"/author/{tag_slug(author)}/", members, posts))
    about = (
        f"<h1>Tentang {SITE}</h1><p>{SITE} adalah situs uji yang ditulis untuk proyek arsip.</p>"
    )
    pages["/about/"] = _page(
        f"Tentang - {SITE}", '<meta property="og:type" content="website">', "page", about, posts
    )
    pages["/private/catatan-redaksi/"] = _page(
        "Catatan Redaksi", "", "page", "<p>Internal.</p>", posts
    )
    out = HERE / "site"
    shutil.rmtree(out, ignore_errors=True)
    for path, text in pages.items():
        target = out / path.strip("/") / "index.html" if path != "/" else out / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (out / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")
    labels = {"articles": {f"/{p.slug}/": expected(p) for p in posts}}
    (HERE / "expected.json").write_text(
        json.dumps(labels, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    build()

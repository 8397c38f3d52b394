"""A tagDiv/Newspaper-like theme: `td-post-content`, entry-crumbs, share bar, related posts."""

from __future__ import annotations

from dataclasses import dataclass

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

SITE_NAME = "Warta Gawai"


@dataclass
class Ctx:
    """What every page of the demo site needs to know about the rest of it."""

    base: str
    posts: list[Post]

    @property
    def titles(self) -> dict[str, str]:
        return {p.slug: p.title for p in self.posts}

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def _menu(ctx: Ctx) -> str:
    items = [f'<li class="menu-item"><a href="{ctx.url("/")}">Home</a></li>']
    items += [
        f'<li class="menu-item"><a href="{ctx.url(f"/category/{slug}/")}">{name}</a></li>'
        for slug, name in CATEGORIES.items()
    ]
    items.append(
        f'<li class="menu-item"><a href="{ctx.url("/tentang-kami/")}">Tentang Kami</a></li>'
    )
    return (
        '<div class="td-header-wrap td-header-style-1">\n'
        f'<div class="td-header-top-menu"><div class="td_data_time">{long_date(ctx.posts[0].published)}</div>'
        '<ul class="top-header-menu"><li><a href="#">Kirim Tulisan</a></li><li><a href="#">Iklan</a></li></ul></div>\n'
        f'<div class="td-header-logo"><a class="td-main-logo" href="{ctx.url("/")}"><span class="td-logo-text">{SITE_NAME}</span></a></div>\n'
        '<div class="td-header-menu-wrap"><div id="td-header-menu" role="navigation">'
        f'<ul id="menu-main-menu" class="sf-menu">{"".join(items)}</ul></div></div>\n</div>'
    )


def _sidebar(ctx: Ctx) -> str:
    popular = sorted(ctx.posts, key=lambda p: len(p.title))[:5]
    pop = "".join(
        f'<li><a href="{ctx.url(f"/{p.slug}/")}">{esc(p.title)}</a></li>' for p in popular
    )
    recent = "".join(
        f'<li><a href="{ctx.url(f"/{p.slug}/")}">{esc(p.title)}</a></li>' for p in ctx.posts[:5]
    )
    return (
        '<div class="td-pb-span4 td-main-sidebar" role="complementary"><div class="td-ss-main-sidebar">\n'
        '<aside class="td_block_wrap td_block_popular widget"><h4 class="block-title"><span>Berita Terpopuler</span></h4>'
        f'<ul class="td-popular-list">{pop}</ul></aside>\n'
        '<aside class="td_block_wrap widget"><h4 class="block-title"><span>Terbaru</span></h4>'
        f"<ul>{recent}</ul></aside>\n"
        '<div class="td-a-rec td-a-rec-id-sidebar"><span class="td-adspot-title">- Advertisement -</span></div>\n'
        "</div></div>"
    )


def _footer(ctx: Ctx) -> str:
    return (
        '<div class="td-footer-wrapper"><div class="td-footer-bottom-full">'
        f"<p>{SITE_NAME}: kabar teknologi, gadget dan aplikasi untuk pembaca Indonesia.</p>"
        f'<ul class="menu"><li><a href="{ctx.url("/tentang-kami/")}">Tentang Kami</a></li>'
        f'<li><a href="{ctx.url("/private/arsip-redaksi/")}">Arsip Redaksi</a></li>'
        '<li><a href="#">Pedoman Media Siber</a></li></ul></div>'
        f'<div class="td-sub-footer-container"><div class="td-sub-footer-copy">&copy; 2026 {SITE_NAME}. '
        "Semua hak dilindungi.</div></div></div>"
    )


def wrap(ctx: Ctx, head: str, body_class: str, main: str) -> str:
    """A whole page in the theme's chrome: header menu, content, sidebar, footer."""
    body = (
        f'<div id="td-outer-wrap" class="td-theme-wrap">\n{_menu(ctx)}\n'
        '<div class="td-main-content-wrap td-container-wrap"><div class="td-container"><div class="td-pb-row">\n'
        f'<div class="td-pb-span8 td-main-content" role="main"><div class="td-ss-main-content">\n{main}\n</div></div>\n'
        f"{_sidebar(ctx)}\n</div></div></div>\n{_footer(ctx)}\n</div>"
    )
    return page(head, body_class, body)


def _share(url: str, where: str) -> str:
    return (
        f'<div class="td-post-sharing td-post-sharing-{where}"><div class="td-post-sharing-visible">'
        '<span class="td-social-share-text">Share</span>'
        f'<a class="td-social-sharing-button td-social-facebook" href="https://www.facebook.com/sharer.php?u={url}">'
        '<span class="td-social-but-text">Facebook</span></a>'
        f'<a class="td-social-sharing-button td-social-twitter" href="https://twitter.com/intent/tweet?url={url}">'
        '<span class="td-social-but-text">Twitter</span></a>'
        f'<a class="td-social-sharing-button td-social-whatsapp" href="https://api.whatsapp.com/send?text={url}">'
        '<span class="td-social-but-text">WhatsApp</span></a></div></div>'
    )


def _baca(url: str, title: str) -> str:
    return f'<p><strong>Baca Juga:</strong> <a href="{url}">{esc(title)}</a></p>'


_AD = (
    '<div class="td-a-rec td-a-rec-id-content_inline"><span class="td-adspot-title">'
    '- ADVERTISEMENT -</span><div class="td-ad-slot"></div></div>'
)


def article(ctx: Ctx, post: Post) -> str:
    """One article page in the Newspaper-like markup."""
    url = ctx.url(f"/{post.slug}/")
    cat_url = ctx.url(f"/category/{post.category}/")
    cat = category_name(post.category)
    iso = post.published.isoformat()
    author = post.authors[0]
    author_url = ctx.url(f"/author/{tag_slug(author)}/")
    head = (
        f"<title>{esc(post.title)} - {SITE_NAME}</title>\n"
        f'<meta name="description" content="{esc(post.description)}">\n'
        f'<link rel="canonical" href="{url}">\n'
        '<meta property="og:locale" content="id_ID">\n<meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="{esc(post.title)}">\n'
        f'<meta property="og:image" content="{ctx.url("/static/thumb.jpg")}">\n'
        f'<meta property="og:url" content="{url}">\n<meta property="og:site_name" content="{SITE_NAME}">\n'
        f'<meta property="article:published_time" content="{iso}">\n'
        f'<meta property="article:section" content="{cat}">\n'
        f'<meta name="author" content="{esc(author)}">'
    )
    crumbs = (
        '<div class="td-crumb-container"><div class="entry-crumbs">'
        f'<span><a title="" class="entry-crumb" href="{ctx.url("/")}">Home</a></span> '
        '<i class="td-icon-right td-bread-sep"></i> '
        f'<span><a title="Lihat semua artikel di {cat}" class="entry-crumb" href="{cat_url}">{cat}</a></span> '
        '<i class="td-icon-right td-bread-sep td-bred-no-url-last"></i> '
        f'<span class="td-bred-no-url-last">{esc(post.title)}</span></div></div>'
    )
    tags = "".join(
        f'<li><a href="{ctx.url(f"/tag/{tag_slug(t)}/")}">{esc(t)}</a></li>' for t in post.tags
    )
    related = "".join(
        '<div class="td-related-span4"><div class="td_module_related_posts td-animation-stack">'
        f'<div class="td-module-thumb"><a href="{ctx.url(f"/{slug}/")}" rel="bookmark" class="td-image-wrap" '
        f'title="{esc(ctx.titles[slug])}"><span class="entry-thumb"></span></a></div>'
        f'<div class="item-details"><h3 class="entry-title td-module-title"><a href="{ctx.url(f"/{slug}/")}" '
        f'rel="bookmark">{esc(ctx.titles[slug])}</a></h3></div></div></div>'
        for slug in post.related
        if slug in ctx.titles
    )
    main = f"""{crumbs}
<article id="post-{post_id(post.slug)}" class="post type-post status-publish format-standard category-{post.category}">
<div class="td-post-header">
<ul class="td-category"><li class="entry-category"><a href="{cat_url}">{cat}</a></li></ul>
<header class="td-post-title">
<h1 class="entry-title">{esc(post.title)}</h1>
<div class="td-module-meta-info">
<div class="td-post-author-name"><div class="td-author-by">By</div> <a href="{author_url}">{esc(author)}</a><div class="td-author-line"> - </div></div>
<span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{iso}">{long_date(post.published)}</time></span>
<div class="td-post-comments"><a href="{url}#respond"><i class="td-icon-comments"></i><span>Comments are Off</span></a></div>
<div class="td-post-views"><i class="td-icon-views"></i><span class="td-nr-views-{len(post.slug)}">{len(post.slug) * 37}</span></div>
</div>
</header>
</div>
{_share(url, "top")}
<div class="td-post-featured-image"><figure><img width="696" height="392" class="entry-thumb" src="{ctx.url("/static/thumb.jpg")}" alt="{esc(post.title)}"><figcaption class="wp-caption-text">Ilustrasi. (Foto: Dok. {SITE_NAME})</figcaption></figure></div>
<div class="td-post-content tagdiv-type">
{body_html(post, ctx.base, ctx.titles, _baca, _AD)}
</div>
<footer>
<div class="td-post-source-tags"><ul class="td-tags td-post-small-box clearfix"><li><span>TAGS</span></li>{tags}</ul></div>
{_share(url, "bottom")}
<div class="td-block-row td-post-next-prev"></div>
</footer>
</article>
<div class="td_block_wrap td_block_related_posts td-pb-border-top">
<h4 class="td-related-title td-block-title"><a class="td-related-left td-cur-simple-item" href="#">You may also like</a></h4>
<div class="td_block_inner"><div class="td-related-row">{related}</div></div>
</div>"""
    return wrap(ctx, head, "post-template-default single single-post td-standard-pack", main)

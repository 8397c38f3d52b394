"""Compiled patterns the body extractor matches against, grouped by purpose.

Text patterns are lower case and matched against lower-cased text: `re.I`
makes Python's matcher ~8x slower, and these run on every line of every page.
"""

from __future__ import annotations

import re

# --- Containers -------------------------------------------------------------

#: class/id values of the article body in the themes and portals we know: a
#: strong prior, still checked against the text it actually holds.
CONTENT_HINT = re.compile(
    r"(?:^|[\s_-])(?:entry[_-]?content|post[_-]?content|td[_-]post[_-]content|"
    r"article[_-]?(?:body|content|text|detail)|articlebody|story[_-]?(?:body|content|text)|"
    r"detail[_-]?(?:body|content|text)|detail__body(?:-text)?|read[_-]?(?:content|page__content)|"
    r"read__content|content[_-]?(?:detail|news|article|body|text)|news[_-]?(?:content|text|body|detail)|"
    r"post[_-]?(?:body|text|entry)|entry[_-]?(?:body|text)|single[_-]?(?:content|post[_-]?content)|"
    r"body[_-]?text|text[_-]?content|artikel|isi[_-]?berita|itp_bodycontent|"
    r"rich[_-]?text|field[_-]+name[_-]+body|field[_-]+body|article__content|paywall|caas-body|storycontent|div-read)(?:$|[\s_-])",
)

#: class/id values of related-article boxes.
RELATED_NAME = re.compile(r"related|terkait|baca[_-]?juga|bacajuga|linksisip|relatedposts")

#: class/id values of site-wide feeds (most read, latest): never related.
FEED_NAME = re.compile(r"popul|trending|terkini|terbaru|latest|most[_-]?(?:read|viewed|popular)")

# --- Boilerplate ------------------------------------------------------------

#: Elements never part of the prose, whatever their class.
SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "iframe", "form", "button", "select", "input",
        "textarea", "nav", "aside", "footer", "svg", "canvas", "video", "audio", "object",
        "embed", "template", "label", "figcaption", "head", "title", "meta", "link", "map",
        "dialog", "menu", "h1",
    }
)  # fmt: skip

#: class/id tokens (split on space, "-" and "_") that mark a non-body box.
BOILER_TOKENS = frozenset(
    {
        "share", "sharing", "sharer", "social", "socials", "sosmed", "comment", "comments",
        "komentar", "newsletter", "subscribe", "subscription", "sidebar",
        "advert", "advertisement", "ads", "ad", "adsbygoogle", "iklan", "sponsor", "sponsored",
        "promo", "breadcrumb", "breadcrumbs", "breadcrump", "navigation", "nav", "navbar", "menu",
        "footer", "caption", "credit", "credits", "byline", "tags", "tag", "tagcloud", "topik",
        "related", "terkait", "rekomendasi", "recommended", "recommendation", "popular",
        "populer", "terpopuler", "trending", "author", "bio", "print", "popup", "modal",
        "cookie", "banner", "outbrain", "taboola", "jp", "relatedposts",
        "sharedaddy", "linksisip", "parallax", "pagination", "pager", "rating", "signup",
        "disqus", "toolbar", "skip", "screen", "sr", "gallery",
        "meta", "infographic", "baca", "lainnya", "paging", "embed", "deskripsi", "keterangan",
        "thumb", "thumbnail",
    }
)  # fmt: skip

#: Compound names whose tokens alone would be too broad.
BOILER_COMPOUND = re.compile(
    r"baca[_-]?juga|read[_-]?more|also[_-]?like|more[_-]?stories|post[_-]?meta|entry[_-]?meta|"
    r"entry[_-]?footer|post[_-]?footer|article[_-]?footer|author[_-]?box|about[_-]?author|"
    r"share[_-]?bar|wp[_-]?caption|screen[_-]?reader|visually[_-]?hidden|ext[_-]?channel",
)

#: Tokens that rescue an element the tokens above would drop ("post-ads-free
#: article-text"): a body wrapper is never boilerplate.
KEEP_TOKENS = frozenset({"content", "body", "text", "entry", "article", "artikel", "story"})

#: display:none and friends in inline styles.
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")

# --- Text-level boilerplate -------------------------------------------------

#: Whole lines that are never prose (checked on short lines only).
BOILER_LINE = re.compile(
    r"^(?:advert(?:isement)?s?|iklan|sponsored|scroll to continue with content|comments? are (?:off|closed)|"
    r"\d* ?(?:comments?|komentar)|this slideshow requires javascript\.?|view all.{0,10}|"
    r"(?:additional )?(?:reporting|editing|writing) by .*|"
    r"(?:updated |published |diperbarui )?(?:jan|feb|mar|apr|may|mei|jun|jul|aug|agu|sep|oct|okt|nov|dec|des)[a-z]*\.? "
    r"\d{1,2},? \d{4}[^a-z]{0,12}(?:am|pm)?(?: [a-z]{2,4})?|"
    r"(?:(?:facebook|twitter|google\+?|whatsapp|linkedin|pinterest|telegram|line|reddit|email|"
    r"e-mail|print|copy link|salin link)\W*){2,}|"
    r"(?:previous|next|sebelumnya|berikutnya)\b.{0,30}|.{0,30}\b(?:previous|sebelumnya)\W*|"
    r"(?:tinggalkan|leave) (?:a |sebuah )?(?:balasan|komentar|reply|comment)|"
    r"(?:halaman|page) (?:selanjutnya|berikutnya|sebelumnya|\d+ (?:dari|of) \d+)|"
    r"(?:selanjutnya|next page|previous page|load more|lihat (?:juga|semua|selengkapnya))|"
    r"(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad),? [^.]{0,40}\d{1,2}[:.]\d{2}(?: ?wib| ?wita| ?wit)?|"
    r"(?:[a-zäöü]+:? )?(?:[a-zäöü]+, )?\d{1,2}[./-]\d{1,2}[./-]\d{4},?(?: \d{1,2}[:.]\d{2}(?: ?uhr| ?wib)?)?|"
    r"\[gambas:[^\]]*\]|simak (?:juga )?video.*|(?:copyright|hak cipta) ?©.*|©.*|"
    r"(?:share|bagikan|follow us|ikuti kami)(?: (?:this|ini|on|ke|via|us|kami|artikel|article|story|post))*\W*|"
    r"cek berita dan artikel.*|dapatkan (?:update|berita).*|"
    r"artikel ini (?:telah )?(?:tayang|terbit|dimuat) di .*|ikuti (?:berita|update|kabar) .{0,60}google news.*|"
    r"dibaca:? [\d.,]+(?: ?rb| ?ribu)?(?: kali)?|daftar isi\W*|"
    r"(?:editor|penulis|pewarta|reporter|redaktur|red|penyunting|fotografer|sumber|source|"
    r"written by|oleh|laporan wartawan|kontributor|ilustrasi|foto|photo|image|"
    r"video|tags?|topik|tag terkait|kata kunci|keywords?|filed under|posted (?:on|in))\s*:.*)$",
)

#: A bare label whose next lines are links ("More:", "See also").
LINK_LABEL = re.compile(r"^(?:more|read more|see also|also read|selengkapnya|lihat juga)\W*$")

#: "Baca juga: ...", "BACA JUGA", "Baca Juga :" — related, never body.
BACA_JUGA = re.compile(r"^\W{0,3}(?:baca|simak|lihat) juga\b\s*:?")

#: Tribun-style "Baca:" (no "juga"): related only when the rest of its line is a link.
BACA_LABEL = re.compile(r"^\W{0,3}baca\s*:\s*")

#: Editor initials closing an Indonesian news story: "(fyk/ash)", "(ren)", "(H-4)".
EDITOR_CODE = re.compile(
    r"\s*\((?=[^)]*[A-Za-z])[A-Za-z0-9]{1,6}(?:[/-][A-Za-z0-9]{1,6}){0,4}\)\s*$"
)

#: A line of only an editor code.
EDITOR_CODE_LINE = re.compile(
    r"^\((?=[^)]*[A-Za-z])[A-Za-z0-9]{1,6}(?:[/-][A-Za-z0-9]{1,6}){0,4}\)$"
)

# --- Related blocks ---------------------------------------------------------

#: Titles of a related-articles box, Indonesian and English.
RELATED_TITLE = re.compile(
    r"^(?:.{0,40}?[:\-|] ?)?(?:(?:artikel|berita|foto|video|foto (?:&|dan)? ?video|konten|"
    r"tulisan|kabar|postingan|pos)\s+)?terkait\W*$|"
    r"^(?:artikel|berita|tulisan|kabar) (?:menarik )?(?:lainnya|rekomendasi)\W*$|"
    r"^(?:baca juga|jangan lewatkan|berita rekomendasi|rekomendasi(?: berita| artikel)?|"
    r"related(?: news| posts?| articles?| stories| content| reading)?|you (?:may|might) also like|"
    r"more (?:stories|articles|news) like this|recommended(?: for you| articles| stories)?|"
    r"(?:artikel|berita) (?:menarik )?lainnya|baca (?:artikel|berita) lainnya)\W*$",
)

#: Titles of blocks that are never "related": site-wide feeds.
FEED_TITLE = re.compile(
    r"terpopuler|populer|popular|trending|terbaru|terkini|latest|most (?:read|viewed|shared)|"
    r"terhangat|headline|pilihan editor|editor'?s pick|top \d+|terkomentari|topik pilihan",
)

#: Link targets that are listings, not articles.
NON_ARTICLE_PATH = re.compile(
    r"/(?:tag|tags|topik|topic|label|category|categories|kategori|kanal|author|penulis|"
    r"indeks|index|search|cari|user|profile|page)(?:/|$)|^/?$|#",
)

#: Kinds of related boxes, by title.
ALSO_LIKE_TITLE = re.compile(r"also like|rekomendasi|recommended|jangan lewatkan|menarik")

# --- Pagination inside an article -------------------------------------------

PAGE_LINK_TEXT = re.compile(
    r"^(?:(?:halaman|hal\.?|page)\s*)?\d{1,3}$|^(?:halaman )?(?:selanjutnya|berikutnya)\W*$|"
    r"^next(?: page)?\W*$|^(?:lanjut|lanjutkan membaca)\W*$",
)
PAGE_QUERY = re.compile(r"(?:^|&)(?:page|halaman|hal|p)=(\d{1,3})(?:&|$)")
PAGE_PATH = re.compile(r"/(\d{1,3})/?$")

# --- Structure --------------------------------------------------------------

HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "ul", "ol", "dl", "dt", "dd", "li",
        "table", "thead", "tbody", "tfoot", "tr", "td", "th", "blockquote", "pre", "h1", "h2",
        "h3", "h4", "h5", "h6", "figure", "center", "address", "hr", "details", "summary",
        "caption", "fieldset",
    }
)  # fmt: skip
BOLD_TAGS = frozenset({"b", "strong"})
NUMBERED = re.compile(r"^(\d{1,2})[.)]\s+\S")
WS = re.compile(r"\s+")

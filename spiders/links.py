"""Discovery helpers: the links of a page, pagination, sitemap and feed entries."""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree

from scraper.extract.dates import WIB
from scraper.extract.parse import parse_html, text_of
from scraper.urls import canonicalize, in_domains, is_http

logger = logging.getLogger(__name__)

#: Files, feeds and WordPress machinery: never pages worth fetching as HTML.
_NEVER = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|bmp|tiff?|pdf|docx?|xlsx?|pptx?|zip|rar|7z|gz|tgz|mp[34]|"
    r"m4a|webm|avi|mov|wmv|flv|css|js|json|xml|rss|woff2?|ttf|eot|apk|exe|dmg)(?:[?#]|$)"
    r"|/wp-(?:admin|login|json|content|includes)|/xmlrpc\.php|/feed/?$|/cdn-cgi/|/amp/?$"
    r"|[?&](?:replytocom|share|s|print|like_comment)=|/comment-page-\d+|/trackback/?$|/search[/?]",
    re.I,
)
#: URL shapes of listing pagination: /page/3/, ?page=3, ?paged=3, /indeks/3, /more/612/40.
_PAGINATION_URL = re.compile(
    r"/page/\d+/?$|[?&](?:page|paged|p|hal|halaman|pg)=\d+(?:&|$)|/(?:indeks|index)/\d+/?$|/more/\d+/\d+/?$",
    re.I,
)
#: Link texts that mean "the next page of this listing".
_NEXT_TEXT = re.compile(
    r"^(?:next|next page|older posts?|older|berikutnya|selanjutnya|halaman berikutnya|"
    r"lebih lama|sebelumnya|muat lebih|lihat lainnya|»|›|>|>>|→)$",
    re.I,
)
#: Path parts of listings, never of an article.
_LISTING_PART = re.compile(
    r"^(?:category|kategori|kanal|tag|tags|topik|topic|author|penulis|page|indeks|index|"
    r"search|cari|arsip|archive|feed|about|tentang|kontak|contact|redaksi)$",
    re.I,
)
_SLUG = re.compile(r"^[\w.]+(?:-[\w.]+){2,}(?:\.html?)?$")
_ID = re.compile(r"\d{5,}")
_DATE_PATH = re.compile(r"/(?:19|20)\d{2}/\d{1,2}/")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")


@dataclass(frozen=True, slots=True)
class Link:
    url: str  # canonicalised
    pagination: bool


def looks_like_article(url: str) -> bool:
    """A guess from the URL alone, used only to judge whether a listing page
    still brings new articles: a long slug, a long numeric id or a date path,
    and no listing word in the path. Menus and tag links fail it."""
    path = urlsplit(url).path
    parts = [p for p in path.split("/") if p]
    if not parts or any(_LISTING_PART.match(p) for p in parts):
        return False
    last = parts[-1]
    return bool(_SLUG.match(last) or _ID.search(last) or _DATE_PATH.search(path + "/"))


def allowed(url: str, domains: tuple[str, ...]) -> bool:
    """The URL's host is one of the domains or a subdomain of one, on the
    port that domain entry names (see Site.domains)."""
    return in_domains(url, domains)


#: The start of a tag the link finder reads (<a ...>, <link ...>).
_LINK_TAG = re.compile(rb"<(?:a|link)(?=[\s>/])", re.I)


def cap_links(body: bytes, max_links: int) -> tuple[bytes, bool]:
    """The page cut just before its (max_links + 1)-th <a> or <link> tag, and
    whether it was cut. A hostile page with half a million links would cost
    a parse tree of them all and minutes of URL work; a regex scan of the
    bytes finds the cut point without building anything, and the parser
    (which recovers from the cut) never sees the rest."""
    match = next(itertools.islice(_LINK_TAG.finditer(body), max_links, None), None)
    if match is None:
        return body, False
    return body[: match.start()], True


def parse_tree(body: bytes):
    """An lxml tree for link discovery (None when the bytes are not HTML): the
    extractor's own parse, so one tree serves both."""
    return parse_html(body)


def base_url(root, url: str) -> str:
    """The page's <base href>, else its own URL: what relative links resolve against."""
    base = root.find(".//base[@href]") if root is not None else None
    return urljoin(url, base.get("href").strip()) if base is not None else url


def page_links(root, base: str, domains: tuple[str, ...], switch: str | None) -> Iterator[Link]:
    """Every followable in-domain http(s) link of an HTML page, canonicalised."""
    if root is None or not hasattr(root, "iter"):
        return
    for el in root.iter("a", "link"):
        href = el.get("href")
        if not href:
            continue
        rel = (el.get("rel") or "").lower().split()
        if el.tag == "link" and "next" not in rel:
            continue
        href = href.strip()
        if href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        url = urljoin(base, href)
        if not is_http(url) or _NEVER.search(url) or not allowed(url, domains):
            continue
        if "nofollow" in rel and "next" not in rel:
            continue
        text = " ".join(text_of(el).split()) if el.tag == "a" else ""
        pagination = (
            "next" in rel or bool(_PAGINATION_URL.search(url)) or bool(_NEXT_TEXT.match(text))
        )
        yield Link(canonicalize(url, switch), pagination)


def feed_links(root, base: str) -> list[str]:
    """Feeds a page announces with <link rel="alternate" type="application/rss+xml">."""
    if root is None:
        return []
    out = []
    for el in root.iter("link"):
        is_feed = (el.get("type") or "").lower() in _FEED_TYPES
        if (el.get("rel") or "").lower() == "alternate" and el.get("href") and is_feed:
            out.append(urljoin(base, el.get("href").strip()))
    return out


def parse_date(text: str | None) -> datetime | None:
    """A sitemap/feed date (W3C datetime or RFC 822) as an aware datetime."""
    if not text:
        return None
    text = text.strip()
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    return value if value.tzinfo else value.replace(tzinfo=WIB)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _xml_root(body: bytes):
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(body, parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


def sitemap_entries(body: bytes) -> tuple[str, list[tuple[str, datetime | None]]]:
    """("index"|"urlset"|"", [(loc, newest date)]) of a sitemap document. The
    date is news:publication_date or lastmod, whichever is newer."""
    root = _xml_root(body)
    if root is None:
        return "", []
    kind = {"sitemapindex": "index", "urlset": "urlset"}.get(_local(root.tag), "")
    entries = []
    for entry in root:
        loc, dates = None, []
        for child in entry.iter():
            name = _local(child.tag)
            if name == "loc" and child.text and loc is None:
                loc = child.text.strip()
            elif name in ("lastmod", "publication_date"):
                dates.append(parse_date(child.text))
        if loc:
            dates = [d for d in dates if d]
            entries.append((loc, max(dates) if dates else None))
    return kind, entries


def feed_entries(body: bytes, base: str) -> list[tuple[str, datetime | None]]:
    """[(link, date)] of an RSS 2.0 or Atom feed."""
    root = _xml_root(body)
    if root is None:
        return []
    out = []
    for item in root.iter():
        if _local(item.tag) not in ("item", "entry"):
            continue
        link, date = None, None
        for child in item:
            name = _local(child.tag)
            if name == "link":
                href = child.get("href")
                if href and (child.get("rel") or "alternate") == "alternate":
                    link = link or href.strip()
                elif child.text and child.text.strip():
                    link = link or child.text.strip()
            elif name in ("pubdate", "published", "updated", "date"):
                date = date or parse_date(child.text)
        if link:
            out.append((urljoin(base, link), date))
    return out

"""Is this page an article? Page signals first, then the shape of what was extracted."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from lxml import etree

from scraper.extract.body import Body
from scraper.extract.jsonld import LISTING_TYPES
from scraper.extract.metadata import Metadata

logger = logging.getLogger(__name__)

_LISTING_PATH = re.compile(
    r"/(?:indeks|index|indexberita|category|categories|kategori|tag|tags|topik|topic|topics|"
    r"kanal|channel|section|search|cari|pencarian|author|penulis|archives?|arsip|page)(?:/|$)",
    re.I,
)
_INFO_PAGE = re.compile(
    r"^(?:about(?:-us)?|tentang(?:-kami)?|kontak(?:-kami)?|contact(?:-us)?|hubungi-kami|"
    r"privacy(?:-policy)?|kebijakan-privasi|(?:susunan-)?redaksi|pedoman-media-siber|"
    r"disclaimer|syarat-(?:dan-)?ketentuan|terms(?:-of-(?:service|use))?|"
    r"terms-and-conditions|karir|careers?|iklan|info-iklan|advertise|sitemap|faq)$"
)
_LISTING_OG = frozenset({"website", "profile", "blog", "object"})
_TEASER_HEADINGS = etree.XPath("count(//*[self::h2 or self::h3 or self::h4 or self::h5][.//a])")
_TEASER_LINKS = etree.XPath("count(//a[string-length(normalize-space(.)) > 30])")
_DATED_SOURCES = frozenset({"jsonld", "meta", "time", "text"})

#: Below this many words a page with no article markup is a stub, a gallery index or an error page.
MIN_WORDS_UNMARKED = 50
#: A page whose linked teaser headings outnumber its own text at this ratio is a list of stories.
WORDS_PER_TEASER = 3
#: Under an index/channel/home URL, a page of many teasers is a listing unless its text is a
#: whole story: a long summary of one featured teaser rarely reaches this many words.
MIN_WORDS_AMID_TEASERS = 300


def _home(path: str) -> bool:
    return path in ("", "/") or path.lower() in ("/index.html", "/index.php", "/index.htm")


def listing_url(url: str) -> bool:
    """The home page, or a path that names an index/category/tag/search/author page."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return False
    if _home(path):
        return True
    # Only the first segments: an article slug may contain "tag" or "page" further on.
    head = "/" + "/".join(path.strip("/").split("/")[:2]) + "/"
    return bool(_LISTING_PATH.search(head)) and not re.search(r"\d{4,}", path)


def info_page_url(url: str) -> bool:
    """About, contact, policy and similar site pages, named by their last path segment."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return False
    last = path.rstrip("/").rsplit("/", 1)[-1].lower()
    return bool(_INFO_PAGE.match(re.sub(r"\.(?:html?|php|aspx?)$", "", last)))


def _teaser_heavy(tree: etree._Element, words: int) -> bool:
    teasers = int(_TEASER_HEADINGS(tree))
    return teasers >= 10 and words < WORDS_PER_TEASER * teasers


def _article_despite_url(tree: etree._Element, url: str, words: int, marked: bool) -> bool:
    """A dated, headlined og:article page under a listing-looking path ("/kanal/tekno/...")
    without a wall of teasers is still an article; the home page never is. Amid ten or more
    teasers it must also be long: a channel page's featured teaser can run to a paragraph."""
    if not marked or _home(urlsplit(url).path):
        return False
    teasers = int(_TEASER_HEADINGS(tree))
    return teasers < 10 or words >= max(MIN_WORDS_AMID_TEASERS, WORDS_PER_TEASER * teasers)


def classify(tree: etree._Element, url: str, meta: Metadata, body: Body) -> str | None:
    """None for an article, else a short reason code ("listing", "no_title", "no_body"...)."""
    if not meta.title:
        return "no_title"
    words = body.word_count
    if words == 0:
        return "no_body"
    if meta.has_article_node:
        # The page describes itself as an article; trust it over layout guesses.
        return None
    strong = meta.og_type == "article"
    dated = meta.date_source in _DATED_SOURCES
    headline = meta.headline_tag is not None
    if listing_url(url) and not _article_despite_url(
        tree, url, words, strong and headline and dated
    ):
        logger.debug("%s: listing URL", url)
        return "listing"
    if info_page_url(url):
        return "info_page"
    declared_listing = meta.og_type in _LISTING_OG or bool(
        LISTING_TYPES.intersection(meta.jsonld_types)
    )
    if declared_listing and not (headline and dated):
        return "listing"
    if strong:
        return None
    if _teaser_heavy(tree, words):
        return "listing"
    if not headline and not dated and _TEASER_LINKS(tree) > max(3, words / 10):
        return "listing"
    if words < MIN_WORDS_UNMARKED and not (headline and dated):
        return "too_short"
    return None

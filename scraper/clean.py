"""Record cleaning for the crawl: text normalisation, canonical URLs, validation, page merging."""

from __future__ import annotations

import dataclasses
import logging
import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

from scraper.fingerprint import content_hash, hamming, simhash
from scraper.items import Article
from scraper.urls import canonicalize, host_of, is_http, url_key

logger = logging.getLogger(__name__)

# Zero-width characters and soft hyphens survive copy-paste from CMS editors and
# split words invisibly, which breaks search and hashing.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")

#: Fewer words than this is a teaser, a gallery caption or a stub, not an article.
MIN_WORDS = 30


def clean_text(text: str | None) -> str:
    """NFC, no invisible or control characters, single spaces, one blank line between paragraphs."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", _CONTROL.sub("", text)).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def clean_line(text: str | None) -> str:
    """A one-line field (title, author, tag): cleaned and on one line."""
    return " ".join(clean_text(text).split())


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for value in values:
        value = clean_line(value)
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            out.append(value)
    return out


def _same_site(a: str, b: str) -> bool:
    """Hosts equal once www./m./amp. prefixes are ignored."""
    return url_key(f"https://{host_of(a)}/") == url_key(f"https://{host_of(b)}/")


#: Path segments and query names of pages that list articles rather than being
#: one: categories, tags, topics, sections, authors, archives, search, feeds and
#: pagination, in the English and Indonesian words themes use.
_LISTING_SEGMENTS = frozenset(
    {
        "category",
        "categories",
        "kategori",
        "tag",
        "tags",
        "topic",
        "topics",
        "topik",
        "label",
        "labels",
        "section",
        "rubrik",
        "kanal",
        "channel",
        "author",
        "authors",
        "penulis",
        "archive",
        "archives",
        "arsip",
        "indeks",
        "index",
        "search",
        "cari",
        "pencarian",
        "feed",
        "page",
        "halaman",
    }
)
_LISTING_QUERY = frozenset({"s", "q", "search", "cari", "keyword", "page", "paged", "cat", "tag"})
#: What follows an article's own path on its other pages: the article itself
#: ("/slug/2/", "/slug/all/"), not a page below a section.
_PAGE_SUFFIX = re.compile(r"^(?:\d{1,3}|all|full|print|amp|single)$")
#: Two records of one article (a correction, a renamed slug) stay this close in
#: simhash; different stories lie 17+ bits apart on the project's measure
#: (docs/dedupe.md), so 10 keeps a margin on both sides.
SAME_STORY_BITS = 10


def _segments(url: str) -> list[str]:
    return [s for s in urlsplit(url).path.lower().split("/") if s]


def _is_listing_url(declared: str, fetched: str) -> bool:
    """A category, tag, section, author, search or paginated page, by URL shape alone."""
    mine, theirs = _segments(fetched), _segments(declared)
    # A strict ancestor of the article's own path is its section ("/berita/"),
    # unless only a page number or a print/whole switch sets them apart.
    if len(theirs) < len(mine) and mine[: len(theirs)] == theirs:
        extra = mine[len(theirs) :]
        if not (len(extra) == 1 and _PAGE_SUFFIX.match(extra[0])):
            return True
    if any(s in _LISTING_SEGMENTS and s not in mine for s in theirs):
        return True
    query = {name.lower() for name, _v in parse_qsl(urlsplit(declared).query)}
    own = {name.lower() for name, _v in parse_qsl(urlsplit(fetched).query)}
    return bool((query - own) & _LISTING_QUERY)


def canonical_for(
    article: Article, switch: str | None = None, article_patterns: Sequence[str] = ()
) -> str:
    """The URL to key the record by: the page's rel=canonical when it could name
    this article, else the fetched URL.

    Not trusted: a canonical on another host (syndication, not identity), the
    home page, a listing-shaped URL (category, tag, section, author, search,
    pagination; an ancestor of the article's own path), and, when the site
    names its article URL patterns, a canonical outside them while the fetched
    URL matches. Themes that put one section URL on every post would otherwise
    fold different articles into one row. (A canonical shared by articles
    with different text is caught where the records meet: `same_story`.)
    """
    fetched = canonicalize(article.url, switch)
    declared = article.canonical_url
    if not declared or not is_http(declared) or not _same_site(declared, article.url):
        return fetched
    declared = canonicalize(declared, switch)
    if url_key(declared) == url_key(fetched):
        return declared
    # A theme that declares the home page as every post's canonical would fold
    # every article into one row: a root canonical names no article.
    if not urlsplit(declared).path.strip("/") and urlsplit(article.url).path.strip("/"):
        return fetched
    if _is_listing_url(declared, fetched):
        return fetched
    if (
        article_patterns
        and _matches_any(article_patterns, fetched)
        and not _matches_any(article_patterns, declared)
    ):
        return fetched
    return declared


def _matches_any(patterns: Sequence[str], url: str) -> bool:
    return any(re.search(p, url) for p in patterns)


def same_story(
    title_a: str | None, simhash_a: int | None, title_b: str | None, simhash_b: int | None
) -> bool:
    """Whether two records under one canonical URL are one article (perhaps edited):
    the same title, or bodies within SAME_STORY_BITS."""
    if title_a and title_b and clean_line(title_a).casefold() == clean_line(title_b).casefold():
        return True
    if simhash_a is None or simhash_b is None or not (simhash_a and simhash_b):
        return False
    return hamming(simhash_a, simhash_b) <= SAME_STORY_BITS


def clean_article(article: Article, switch: str | None = None) -> Article:
    """A copy of the record with clean text, a canonical URL and fingerprints."""
    body = clean_text(article.body_text)
    cleaned = dataclasses.replace(
        article,
        url=canonicalize(article.url, switch),
        canonical_url=canonical_for(article, switch),
        title=clean_line(article.title),
        description=clean_line(article.description) or None,
        section=clean_line(article.section) or None,
        breadcrumbs=[b for b in (clean_line(x) for x in article.breadcrumbs) if b],
        tags=_unique(article.tags),
        authors=_unique(article.authors),
        agency=_unique(article.agency),
        body_text=body,
        word_count=len(body.split()),
        content_hash=content_hash(body),
        simhash=simhash(body),
    )
    return cleaned


def validate_article(article: Article, min_words: int = MIN_WORDS) -> str | None:
    """None for a record fit to archive, else the reason it is not."""
    if not is_http(article.url):
        return "bad_url"
    if not article.title:
        return "no_title"
    if article.word_count < min_words:
        return "too_short"
    for name in ("published_at", "modified_at"):
        value = getattr(article, name)
        if value:
            try:
                datetime.fromisoformat(value)
            except ValueError:
                return f"bad_{name}"
    return None


def merge_pages(first: Article, rest: list[Article]) -> Article:
    """One record from the pages of a split article, paragraphs repeated on
    every page (lead, sign-off, boilerplate the extractor missed) kept once."""
    if not rest:
        return first
    seen: set[str] = set()
    paragraphs: list[str] = []
    for page in (first, *rest):
        for para in page.body_text.split("\n\n"):
            key = " ".join(para.split()).casefold()
            if key and key not in seen:
                seen.add(key)
                paragraphs.append(para)
    body = "\n\n".join(paragraphs)

    def merged(name: str, key) -> list:
        out, keys = [], set()
        for page in (first, *rest):
            for value in getattr(page, name):
                k = key(value)
                if k not in keys:
                    keys.add(k)
                    out.append(value)
        return out

    return dataclasses.replace(
        first,
        body_text=body,
        blocks=[b for page in (first, *rest) for b in page.blocks],
        headings=merged("headings", lambda h: (h["level"], h["text"])),
        lists=merged("lists", repr),
        links=merged("links", lambda link: link["url"]),
        related=merged("related", lambda r: r["url"]),
        next_pages=[],
        word_count=len(body.split()),
        content_hash=content_hash(body),
        authors=first.authors or next((p.authors for p in rest if p.authors), []),
        agency=first.agency or next((p.agency for p in rest if p.agency), []),
        published_at=first.published_at
        or next((p.published_at for p in rest if p.published_at), None),
    )

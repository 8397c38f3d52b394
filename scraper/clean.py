"""Record cleaning for the crawl: text normalisation, canonical URLs, validation, page merging."""

from __future__ import annotations

import dataclasses
import logging
import re
import unicodedata
from datetime import datetime
from urllib.parse import urlsplit

from scraper.fingerprint import content_hash, simhash
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


def canonical_for(article: Article, switch: str | None = None) -> str:
    """The URL to key the record by: the page's rel=canonical when it points to
    the same site (a canonical on another host is syndication, not identity)."""
    fetched = canonicalize(article.url, switch)
    declared = article.canonical_url
    if not declared or not is_http(declared) or not _same_site(declared, article.url):
        return fetched
    # A theme that declares the home page as every post's canonical would fold
    # every article into one row: a root canonical names no article.
    if not urlsplit(declared).path.strip("/") and urlsplit(article.url).path.strip("/"):
        return fetched
    return canonicalize(declared, switch)


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

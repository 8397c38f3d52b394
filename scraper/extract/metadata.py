"""Page metadata: title, dates, authors, breadcrumbs, tags, section, description."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from urllib.parse import urljoin, urlsplit

from lxml import etree

from scraper.extract import authors as au
from scraper.extract.breadcrumbs import from_markup, from_trail
from scraper.extract.dates import WIB
from scraper.extract.jsonld import (
    article_node,
    breadcrumb_names,
    first_url,
    parse_jsonld,
    text_values,
    types_of,
)
from scraper.extract.pagedates import find_dates, page_offset
from scraper.extract.parse import text_of
from scraper.extract.scan import scan
from scraper.extract.survey import Survey, survey
from scraper.extract.title import clean_text, find_title, site_names

logger = logging.getLogger(__name__)


@dataclass
class Metadata:
    title: str | None = None
    canonical_url: str | None = None
    description: str | None = None
    image: str | None = None
    language: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    breadcrumbs: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    agency: list[str] = field(default_factory=list)  # news agency / outlet credited, not a person
    published_at: str | None = None
    modified_at: str | None = None
    date_source: str | None = None
    date_raw: str | None = None
    date_precision: str | None = None
    # page-type signals used by classify(): JSON-LD @types, og:type
    jsonld_types: list[str] = field(default_factory=list)
    og_type: str | None = None
    site_name: str | None = None
    headline_tag: str | None = None  # tag of the visible headline element, None if not found
    has_article_node: bool = False  # JSON-LD describes this page as an article


def _absolute(base: str, href: str | None) -> str | None:
    """`href` resolved against the page URL; None for an empty or malformed one."""
    href = (href or "").strip()
    if not href:
        return None
    try:
        return urljoin(base, href)
    except ValueError:  # e.g. "http://[bad" is an invalid IPv6 host
        return None


def read_meta(elements: Iterable[etree._Element]) -> tuple[dict[str, str], list[str]]:
    """<meta> values by lower-cased property/name/itemprop (first wins) and every article:tag."""
    meta: dict[str, str] = {}
    tags: list[str] = []
    for el in elements:
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        value = el.get("content")
        if not key or value is None:
            continue
        key = key.strip().lower()
        value = value.strip()
        if key == "article:tag":
            tags.append(value)
        if value and key not in meta:
            meta[key] = value
    return meta, tags


def _language(tree: etree._Element, meta: dict[str, str]) -> str | None:
    for raw in (
        tree.get("lang"),
        tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        meta.get("og:locale"),
        meta.get("content-language"),
        meta.get("language"),
        meta.get("dc.language"),
    ):
        if raw and raw.strip():
            code = raw.strip().replace("_", "-").split("-")[0].split(",")[0].lower()
            if code == "in":  # the withdrawn ISO 639 code for Indonesian, still seen in the wild
                code = "id"
            if code.isalpha() and 2 <= len(code) <= 3:
                return code
    return None


# Function words that tell an Indonesian title/description from an English one.
_ID_WORDS = frozenset((
    "yang", "dan", "di", "ini", "itu", "untuk", "dengan", "dari", "ke", "tidak", "akan", "pada",
    "juga", "dalam", "bisa", "ada", "karena", "atau", "oleh", "saat", "lebih", "sudah", "masih",
    "kata", "resmi", "cara", "begini",
))  # fmt: skip
_EN_WORDS = frozenset((
    "the", "and", "of", "to", "in", "is", "for", "on", "with", "that", "this", "from", "are",
    "was", "by",
))  # fmt: skip


def _reads_indonesian(*texts: str | None) -> bool:
    words = " ".join(t for t in texts if t).lower().split()
    ind = sum(w in _ID_WORDS for w in words)
    return ind >= 2 and ind > sum(w in _EN_WORDS for w in words)


# "JAKARTA -", "Jakarta, PORTAL.com -", "Bandung (ANTARA) -", "OUTLET.CO, Jakarta -": a story
# filed in Indonesia.
_ID_DATELINE = re.compile(
    r"^\W{0,3}(?:[\w.&]+(?: [\w.&]+){0,3},\s*)?(?:jakarta|bandung|surabaya|medan|semarang|yogyakarta|makassar|denpasar|"
    r"palembang|batam|bali|tangerang|bekasi|bogor|depok|balikpapan|pekanbaru|padang|manado|"
    r"malang|solo|pontianak|banjarmasin|jayapura|kupang|mataram|ambon|[a-z ]{2,30}\(antara\))"
    r"\b[^-–—]{0,30}[-–—]",
    re.I,
)


def _filed_in_indonesia(url: str, page: Survey) -> bool:
    """An English page whose naive times are still WIB: an .id host or an Indonesian dateline."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    if host.endswith(".id"):
        return True
    for para in page.paragraphs[:3]:
        text = " ".join(para.itertext())[:80]
        if _ID_DATELINE.match(text):
            return True
    return False


# Tag links: rel="tag" (WordPress and many themes), or /tag/-style links inside a box whose
# class names tags ("td-tags", "post-tags", "tags-links"). A sidebar tag cloud or widget is not
# the article's own tag list.
_TAG_LINKS = etree.XPath(
    # Attribute-axis tests (//@class[...]/..) run several times faster than testing every
    # element's @class: this runs on every page that names no tags in its metadata.
    "//@rel[contains(concat(' ', normalize-space(.), ' '), ' tag ')]/parent::a"
    " | (//@class[contains(., 'tag') or contains(., 'Tag')]/..)//a[contains(@href, '/tag/') or "
    "contains(@href, '/tags/') or contains(@href, '/topik/') or contains(@href, '/topic/')]"
)
_NOT_OWN_TAGS = re.compile(r"cloud|widget|sidebar|popular|trending|populer", re.I)
_MAX_BOX_TAGS = 30


def _tag_box(tree: etree._Element) -> list[str]:
    """The article's tag list as the page shows it, when no meta or JSON-LD names tags."""
    names = []
    for link in _TAG_LINKS(tree):
        if any(_NOT_OWN_TAGS.search(a.get("class") or "") for a in link.iterancestors()):
            continue
        names.append(clean_text(text_of(link)))
        if len(names) >= _MAX_BOX_TAGS:
            break
    return _split_tags([n.lstrip("#") for n in names if n])


def _split_tags(values: list[str]) -> list[str]:
    out: dict[str, str] = {}
    for value in values:
        for tag in value.split(","):
            tag = clean_text(tag)
            # "Editor:Name" / "Tekno:Telko" keywords are bookkeeping, not topics.
            if tag and ":" not in tag and len(tag) <= 80:
                out.setdefault(tag.casefold(), tag)
    return list(out.values())


def extract_metadata(
    tree: etree._Element,
    url: str,
    *,
    fetched_at: datetime,
    page: Survey | None = None,
    site_tz: tzinfo | None = None,
) -> Metadata:
    """Read every metadata field from the untouched tree (`page`: its survey, when made;
    `site_tz`: the site's configured zone for times the page prints without one)."""
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)
    page = page or survey(tree)
    meta, article_tags = read_meta(page.tagged["meta"])
    nodes = parse_jsonld(page.tagged["script"])
    node = article_node(nodes)
    jsonld_types = [t for n in nodes for t in types_of(n)]
    publisher = None
    if node and isinstance(node.get("publisher"), dict):
        publisher = node["publisher"].get("name")
    site_name = meta.get("og:site_name") or (publisher if isinstance(publisher, str) else None)
    names = site_names(site_name, publisher if isinstance(publisher, str) else None, url)

    refs = [
        *(text_values(node.get("headline")) if node else []),
        meta.get("og:title", ""),
        meta.get("twitter:title", ""),
        meta.get("title", ""),
        clean_text(next((t.text for t in page.tagged["title"]), None)),
    ]
    found = scan(tree, page)
    title, headline = find_title(tree, refs, names, found.headings, lambda: found.title_classed)

    language = _language(tree, meta)
    if language in (None, "en") and _reads_indonesian(
        title, meta.get("og:description") or meta.get("description")
    ):
        # Many Indonesian portals ship their theme's lang="en"; the words say otherwise.
        language = "id"
    # A time shown without a zone: the page's own ISO offset, else the site's configured zone,
    # else WIB for an Indonesian page (or one filed from Indonesia), else UTC.
    default_tz: tzinfo = page_offset(meta, node, page.tagged["time"]) or site_tz or UTC
    if default_tz is UTC and (
        language in (None, "id", "ms", "jv", "su") or _filed_in_indonesia(url, page)
    ):
        default_tz = WIB
    dates = find_dates(
        tree, url, meta, node, headline, found, fetched_at=fetched_at, default_tz=default_tz
    )

    crumbs = (
        from_markup(found.breadcrumbs(headline))
        or breadcrumb_names(nodes)
        or from_trail(headline, url)
    )

    keywords = text_values(node.get("keywords")) if node else []
    tags = (
        _split_tags(article_tags or keywords)
        or _split_tags([meta.get("news_keywords", ""), meta.get("dtk:keywords", "")])
        or _split_tags([meta.get("keywords", "")])
        or _tag_box(tree)
    )
    section = meta.get("article:section") or next(
        iter(text_values(node.get("articleSection")) if node else []), None
    )
    if not section and len(crumbs) >= 2:
        section = crumbs[-1] if clean_text(crumbs[-1]) != title else crumbs[-2]

    canonical = next(
        (
            _absolute(url, link.get("href"))
            for link in page.tagged["link"]
            if (link.get("rel") or "").strip().lower() == "canonical" and link.get("href")
        ),
        None,
    ) or _absolute(url, meta.get("og:url"))

    image = meta.get("og:image") or meta.get("twitter:image") or meta.get("twitter:image:src")
    if not image and node:
        image = first_url(node.get("image"))
    description = (
        meta.get("og:description")
        or meta.get("description")
        or meta.get("twitter:description")
        or next(iter(text_values(node.get("description")) if node else []), None)
    )

    site_keys = {n.replace(" ", "") for n in names}
    authors, agency = au.find_authors(tree, meta, node, keywords, site_keys, found, headline)
    return Metadata(
        title=title or None,
        canonical_url=canonical,
        description=clean_text(description) or None,
        image=_absolute(url, image),
        language=language,
        section=clean_text(section) or None,
        tags=tags,
        breadcrumbs=crumbs,
        authors=authors,
        agency=agency,
        published_at=dates.published_at,
        modified_at=dates.modified_at,
        date_source=dates.source,
        date_raw=dates.raw,
        date_precision=dates.precision,
        jsonld_types=jsonld_types,
        og_type=(meta.get("og:type") or "").strip().lower() or None,
        site_name=site_name,
        headline_tag=headline.tag if headline is not None else None,
        has_article_node=node is not None,
    )

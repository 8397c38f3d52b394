"""Pure article extraction: `extract(html, url) -> Article | Rejected`.

No Scrapy, no network, no database: a page's bytes or text and its URL in, a
structured record (or the reason it is not an article) out. Metadata is read
first, from the untouched tree (breadcrumbs and bylines live in parts the body
extractor later throws away); the body extractor then works on the same tree.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from lxml import etree

from scraper.extract.body import extract_body
from scraper.extract.classify import classify
from scraper.extract.metadata import extract_metadata
from scraper.extract.parse import parse_html
from scraper.extract.survey import survey
from scraper.fingerprint import content_hash
from scraper.items import Article, Rejected

__all__ = ["extract", "parse_html"]


def extract(
    html: str | bytes,
    url: str,
    *,
    fetched_at: datetime | None = None,
    site: str | None = None,
    tree: etree._Element | None = None,
    timezone: tzinfo | None = None,
) -> Article | Rejected:
    """Extract one page. Never raises on bad markup: a bad page is `Rejected`.

    `tree` is `parse_html(html)` when the caller already parsed the page (the
    crawler finds its links on the same tree): a page is parsed once. The
    extractor only reads the tree. `fetched_at` is when the page was fetched
    (relative dates such as "5 hours ago" count back from it); `timezone` is the
    site's zone for times the page prints without one and without ISO
    timestamps of its own to take the offset from.
    """
    fetched_at = fetched_at or datetime.now(UTC)
    try:
        if tree is None:
            tree = parse_html(html)
        if tree is None:
            return Rejected(url=url, reason="empty", detail="no HTML document")
        page = survey(tree)  # one walk of the page, shared by both extractors
        meta = extract_metadata(tree, url, fetched_at=fetched_at, page=page, site_tz=timezone)
        body = extract_body(tree, url, title=meta.title, page=page, description=meta.description)
        reason = classify(tree, url, meta, body)
    except RecursionError:
        return Rejected(url=url, reason="unparsable", detail="markup nested too deeply")
    if reason:
        return Rejected(url=url, reason=reason)
    return Article(
        url=url,
        canonical_url=meta.canonical_url,
        site=site or meta.site_name,
        title=meta.title or "",
        description=meta.description,
        breadcrumbs=meta.breadcrumbs,
        section=meta.section,
        tags=meta.tags,
        authors=meta.authors,
        agency=meta.agency,
        published_at=meta.published_at,
        modified_at=meta.modified_at,
        date_source=meta.date_source,
        date_raw=meta.date_raw,
        date_precision=meta.date_precision,
        language=meta.language,
        image=meta.image,
        body_text=body.body_text,
        body_source=body.body_source,
        blocks=body.blocks,
        headings=body.headings,
        lists=body.lists,
        links=body.links,
        related=body.related,
        next_pages=body.next_pages,
        word_count=body.word_count,
        content_hash=content_hash(body.body_text),
        fetched_at=fetched_at.isoformat(timespec="seconds"),
    )

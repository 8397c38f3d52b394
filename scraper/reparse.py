"""`arsip reparse`: re-extract archived raw pages with the current extractor, offline."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from scraper.clean import clean_article, validate_article
from scraper.extract import extract
from scraper.items import Article, Rejected

logger = logging.getLogger(__name__)

BATCH = 200


def _fetched(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def reparse(
    archive: Any,
    *,
    site: str | None = None,
    since: str | None = None,
    timezones: Mapping[str, str] | None = None,
) -> Counter:
    """Re-extract every stored raw page (optionally of one site / published since a
    date) and save the results: changed records keep their previous version.
    `timezones`: each site's configured zone (sites.toml `timezone`), as the crawl used.
    Returns counts by outcome ("updated", "unchanged", ...) and "rejected:<reason>"."""
    zones = {key: ZoneInfo(name) for key, name in (timezones or {}).items()}
    counts: Counter = Counter()
    batch: list[Article] = []

    def flush() -> None:
        for outcome in archive.save_batch(batch, touch=False):
            counts[outcome] += 1
        batch.clear()

    for url, page, fetched_at, site_key in archive.iter_raw_pages(site=site, since=since):
        counts["pages"] += 1
        if page is None:
            counts["skipped:damaged_raw"] += 1
            continue
        result = extract(
            page, url, fetched_at=_fetched(fetched_at), site=site_key, timezone=zones.get(site_key)
        )
        if isinstance(result, Rejected):
            counts[f"rejected:{result.reason}"] += 1
            logger.warning("%s no longer extracts as an article: %s", url, result.reason)
            continue
        if result.next_pages:
            # Only the first page of a split article is stored: re-extracting it
            # alone would shrink the merged record, so it is left as it is.
            counts["skipped:multi_page"] += 1
            continue
        article = clean_article(result)
        reason = validate_article(article)
        if reason:
            counts[f"rejected:{reason}"] += 1
            continue
        canonical = article.canonical_url or article.url
        article.duplicate_of = archive.find_duplicate(
            article.content_hash, article.simhash, canonical
        )
        batch.append(article)
        if len(batch) >= BATCH:
            flush()
    flush()
    return counts

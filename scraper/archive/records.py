"""Between `Article` objects, table rows and exported record dicts; date handling."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from scraper.exceptions import UsageError
from scraper.fingerprint import bands
from scraper.items import EXPORT_FIELDS, Article

#: A date or time given without an offset is Indonesian Western time (WIB),
#: the zone nearly every archived site publishes in.
WIB = timezone(timedelta(hours=7), "WIB")

#: Record fields stored as JSON text.
JSON_FIELDS = frozenset(
    {"breadcrumbs", "tags", "authors", "agency", "headings", "lists", "links", "related"}
)
#: Every stored field a re-crawl may change (all but the keys and fetch time).
CONTENT_FIELDS = (
    *tuple(
        f for f in EXPORT_FIELDS if f not in {"url", "canonical_url", "fetched_at", "duplicate_of"}
    ),
    "date_source",
    "date_raw",
    "date_precision",
)
#: Fields whose change makes a re-crawled article "updated" (a new version): what
#: the article says and who wrote it when. Links, related posts, tags, section,
#: image and the raw date text change with a site's widgets and templates
#: ("Baca juga" rotations, relative dates); they update the row, no version.
VERSION_FIELDS = (
    "title",
    "description",
    "authors",
    "agency",
    "published_at",
    "modified_at",
    "body_text",
    "headings",
    "lists",
)
#: Extra columns `get()` adds to a record.
EXTRA_FIELDS = ("id", "first_seen", "last_seen", "version")

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_iso(value: str | None) -> datetime | None:
    """An aware datetime from an ISO 8601 string (naive means WIB), or None if unreadable."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=WIB)


def to_utc(value: str | None) -> datetime | None:
    """The naive-UTC twin of an ISO date string, for the sortable column."""
    parsed = parse_iso(value)
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed else None


def filter_bound(value: str | date | datetime | None, *, end: bool) -> datetime | None:
    """A `since`/`until` bound as naive UTC; a bad date is a UsageError sentence.

    A bare date is a whole WIB day: `until="2025-01-31"` keeps all of the 31st.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=WIB)
    elif isinstance(value, date):
        moment = datetime.combine(value, time(), WIB) + (timedelta(days=1) if end else timedelta())
    elif _DATE_ONLY.match(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise UsageError(f"{value!r} is not a valid date (use YYYY-MM-DD).") from None
        moment = datetime.combine(day, time(), WIB) + (timedelta(days=1) if end else timedelta())
    else:
        moment = parse_iso(value)
        if moment is None:
            raise UsageError(
                f"{value!r} is not a valid date (use YYYY-MM-DD or an ISO 8601 date and time)."
            )
    return moment.astimezone(UTC).replace(tzinfo=None)


def is_date_only(value: Any) -> bool:
    return (isinstance(value, str) and bool(_DATE_ONLY.match(value.strip()))) or (
        isinstance(value, date) and not isinstance(value, datetime)
    )


def article_values(article: Article, canonical: str) -> dict[str, Any]:
    """Column values of an article row (without id, timestamps or version)."""
    values: dict[str, Any] = {name: getattr(article, name) for name in EXPORT_FIELDS}
    for name in JSON_FIELDS:
        values[name] = list(values[name] or [])
    values["canonical_url"] = canonical
    values["title"] = article.title or ""
    values["body_text"] = article.body_text or ""
    values["word_count"] = article.word_count or 0
    values["date_source"] = article.date_source
    values["date_raw"] = article.date_raw
    values["date_precision"] = article.date_precision
    values["published_utc"] = to_utc(article.published_at)
    values["modified_utc"] = to_utc(article.modified_at)
    values["simhash"] = article.simhash
    b = bands(article.simhash) if article.simhash is not None else (None,) * 4
    for i in range(4):
        values[f"band{i}"] = b[i]
    return values


def content_changed(stored: Any, values: dict[str, Any]) -> bool:
    """True when a re-crawled record differs from the stored one in its content (a new version)."""
    return any(getattr(stored, name) != values[name] for name in VERSION_FIELDS)


def row_changed(stored: Any, values: dict[str, Any]) -> bool:
    """True when any stored field differs (links, widgets...): the row is refreshed."""
    return any(getattr(stored, name) != values[name] for name in CONTENT_FIELDS)


def row_record(row: Any, fields: tuple[str, ...] = EXPORT_FIELDS) -> dict[str, Any]:
    """An exported record dict (given field order) from a row with those columns."""
    mapping = row._mapping
    record = {}
    for name in fields:
        value = mapping[name]
        if isinstance(value, datetime):
            value = value.replace(tzinfo=UTC).isoformat()
        elif name in JSON_FIELDS and value is None:
            value = []
        record[name] = value
    return record

"""Archive statistics: totals and per-site figures for `arsip stats`, `arsip sites` and charts."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, case, func, select

from scraper.archive.models import article_versions, articles, crawl_runs, fetch_errors, raw_pages
from scraper.exceptions import UsageError

#: The zone dates are shown in: the one Indonesian news records are written in (WIB).
DEFAULT_TZ = "Asia/Jakarta"
PERIODS = {"week": "%G-W%V", "month": "%Y-%m", "day": "%Y-%m-%d"}


def zone(name: str | tzinfo | None) -> tzinfo:
    """A time zone by IANA name (None: DEFAULT_TZ); UsageError for an unknown name."""
    if isinstance(name, tzinfo):
        return name
    try:
        return ZoneInfo(name or DEFAULT_TZ)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"unknown time zone {name!r}: use a name such as Asia/Jakarta.") from None


def _iso(value: datetime | None, tz: tzinfo = UTC) -> str | None:
    """A stored naive-UTC time as ISO 8601 in `tz`."""
    if not value:
        return None
    return value.replace(microsecond=0, tzinfo=UTC).astimezone(tz).isoformat()


def _last_crawls(conn: Connection) -> dict[str, datetime]:
    """Each site's latest run start: a run that found nothing new still crawled the site."""
    latest: dict[str, datetime] = {}
    for started, sites in conn.execute(select(crawl_runs.c.started_at, crawl_runs.c.sites)):
        for site in sites or []:
            if started and (site not in latest or started > latest[site]):
                latest[site] = started
    return latest


def stats(conn: Connection, tz: str | tzinfo | None = None) -> dict[str, Any]:
    """Totals plus one entry per site (articles, duplicates, dates, last crawl, errors, raw bytes).

    Dates are shown in `tz` (default Asia/Jakarta, the offset the records carry).
    """
    tz = zone(tz)
    is_dup = case((articles.c.duplicate_of.is_not(None), 1), else_=0)
    per_site_q = (
        select(
            articles.c.site,
            func.count().label("articles"),
            func.sum(is_dup).label("duplicates"),
            func.min(articles.c.published_utc).label("first_published"),
            func.max(articles.c.published_utc).label("last_published"),
            func.max(articles.c.last_seen).label("last_crawl"),
            func.coalesce(func.sum(raw_pages.c.stored), 0).label("raw_bytes"),
        )
        .select_from(articles.outerjoin(raw_pages, raw_pages.c.article_id == articles.c.id))
        .group_by(articles.c.site)
        .order_by(articles.c.site)
    )
    last_run = conn.execute(select(func.max(crawl_runs.c.id))).scalar()
    errors_by_site: dict[str | None, int] = {}
    if last_run is not None:
        q = (
            select(fetch_errors.c.site, func.count())
            .where(fetch_errors.c.run_id == last_run)
            .group_by(fetch_errors.c.site)
        )
        errors_by_site = dict(conn.execute(q).all())
    crawled = _last_crawls(conn)
    sites = []
    for row in conn.execute(per_site_q):
        sites.append(
            {
                "site": row.site,
                "articles": row.articles,
                "duplicates": int(row.duplicates or 0),
                "first_published": _iso(row.first_published, tz),
                "last_published": _iso(row.last_published, tz),
                "last_crawl": _iso(max(filter(None, [row.last_crawl, crawled.get(row.site)])), tz),
                "errors_last_run": errors_by_site.get(row.site, 0),
                "raw_bytes": int(row.raw_bytes or 0),
            }
        )
    raw_totals = conn.execute(
        select(
            func.count(),
            func.coalesce(func.sum(raw_pages.c.stored), 0),
            func.coalesce(func.sum(raw_pages.c.size), 0),
        )
    ).one()
    total = sum(s["articles"] for s in sites)
    duplicates = sum(s["duplicates"] for s in sites)
    return {
        "articles": total,
        "originals": total - duplicates,
        "duplicates": duplicates,
        "versions": conn.execute(select(func.count()).select_from(article_versions)).scalar() or 0,
        "raw_pages": raw_totals[0],
        "raw_bytes": int(raw_totals[1]),
        "raw_uncompressed_bytes": int(raw_totals[2]),
        "runs": conn.execute(select(func.count()).select_from(crawl_runs)).scalar() or 0,
        "last_run": last_run,
        "errors_last_run": sum(errors_by_site.values()),
        "sites": sites,
    }


def sites(conn: Connection) -> list[dict[str, Any]]:
    """Each site with its article count and when it was last seen."""
    q = (
        select(
            articles.c.site,
            func.count().label("articles"),
            func.max(articles.c.last_seen).label("last_seen"),
        )
        .group_by(articles.c.site)
        .order_by(articles.c.site)
    )
    return [
        {"site": row.site, "articles": row.articles, "last_seen": _iso(row.last_seen)}
        for row in conn.execute(q)
    ]


def _local(published_at: str | None, utc: datetime, tz: tzinfo | None) -> date:
    """The publication date in `tz`, or (None) in the article's own offset."""
    if tz is None and published_at:
        try:
            own = datetime.fromisoformat(published_at)
        except ValueError:
            own = None
        if own is not None and own.tzinfo is not None:
            return own.date()
    return utc.replace(tzinfo=UTC).astimezone(tz or zone(None)).date()


def _periods(first: date, last: date, period: str) -> list[str]:
    """Every period label from `first` to `last`, so a period with no article shows as 0."""
    step = timedelta(days=1 if period == "day" else 7 if period == "week" else 28)
    if period == "week":
        first -= timedelta(days=first.weekday())
    labels: list[str] = []
    day = first
    while day <= last:
        label = day.strftime(PERIODS[period])
        if not labels or labels[-1] != label:
            labels.append(label)
        day += step
    last_label = last.strftime(PERIODS[period])
    if labels[-1] != last_label:
        labels.append(last_label)
    return labels


def timeline(
    conn: Connection, period: str = "week", tz: str | tzinfo | None = None
) -> list[dict[str, Any]]:
    """Original articles per site per period, every period from the first to the last.

    Periods are days, ISO weeks (`2025-W02`) or months of the publication
    date as the article gives it (its own offset, WIB for Indonesian sites),
    or in the zone `tz` when one is named. Counting in UTC would put an
    article published at 06:45 WIB on the day before.
    """
    if period not in PERIODS:
        raise ValueError(f"period must be one of {sorted(PERIODS)}")
    where_tz = zone(tz) if tz is not None else None
    q = select(articles.c.site, articles.c.published_at, articles.c.published_utc).where(
        articles.c.published_utc.is_not(None), articles.c.duplicate_of.is_(None)
    )
    counts: Counter[tuple[str, str]] = Counter()
    days: set[date] = set()
    sites: set[str] = set()
    for site, published_at, utc in conn.execution_options(yield_per=5000).execute(q):
        day = _local(published_at, utc, where_tz)
        days.add(day)
        sites.add(site)
        counts[(site, day.strftime(PERIODS[period]))] += 1
    if not counts:
        return []
    return [
        {"site": site, "period": label, "articles": counts.get((site, label), 0)}
        for label in _periods(min(days), max(days), period)
        for site in sorted(sites)
    ]

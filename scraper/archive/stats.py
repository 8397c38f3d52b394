"""Archive statistics: totals and per-site figures for `arsip stats`, `arsip sites` and charts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, case, func, select

from scraper.archive.models import article_versions, articles, crawl_runs, fetch_errors, raw_pages


def _iso(value: datetime | None) -> str | None:
    return value.replace(microsecond=0, tzinfo=UTC).isoformat() if value else None


def stats(conn: Connection) -> dict[str, Any]:
    """Totals plus one entry per site (articles, duplicates, dates, last crawl, errors, raw bytes)."""
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
    sites = []
    for row in conn.execute(per_site_q):
        sites.append(
            {
                "site": row.site,
                "articles": row.articles,
                "duplicates": int(row.duplicates or 0),
                "first_published": _iso(row.first_published),
                "last_published": _iso(row.last_published),
                "last_crawl": _iso(row.last_crawl),
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


def timeline(conn: Connection, period: str = "week") -> list[dict[str, Any]]:
    """Original articles per site per period ("week" = ISO-like %Y-W%W, "month", "day")."""
    formats = {"week": "%Y-W%W", "month": "%Y-%m", "day": "%Y-%m-%d"}
    if period not in formats:
        raise ValueError(f"period must be one of {sorted(formats)}")
    bucket = func.strftime(formats[period], articles.c.published_utc).label("period")
    q = (
        select(articles.c.site, bucket, func.count().label("articles"))
        .where(articles.c.published_utc.is_not(None), articles.c.duplicate_of.is_(None))
        .group_by(articles.c.site, bucket)
        .order_by(bucket, articles.c.site)
    )
    return [{"site": r.site, "period": r.period, "articles": r.articles} for r in conn.execute(q)]

"""Crawl runs and failed fetches: what each `arsip crawl` did, for `arsip runs` and stats."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from scraper.archive.models import articles, crawl_runs, fetch_errors

_COUNTED = ("pages", "new", "updated", "unchanged", "duplicates")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _iso(value: datetime | None) -> str | None:
    return value.replace(microsecond=0, tzinfo=UTC).isoformat() if value else None


def start_run(conn: Connection, sites: list[str]) -> int:
    result = conn.execute(insert(crawl_runs).values(started_at=_now(), sites=list(sites)))
    return int(result.inserted_primary_key[0])


def finish_run(conn: Connection, run_id: int, counts: dict[str, Any]) -> None:
    values: dict[str, Any] = {name: int(counts.get(name) or 0) for name in _COUNTED}
    values["dropped"] = dict(counts.get("dropped") or {})
    values["errors"] = dict(counts.get("errors") or {})
    values["coverage"] = counts.get("coverage")
    values["counts"] = counts
    values["finished_at"] = _now()
    conn.execute(update(crawl_runs).where(crawl_runs.c.id == run_id).values(**values))


def close_run(conn: Connection, run_id: int, status: str, notes: dict[str, Any]) -> None:
    """Say how a run ended ("finished", "interrupted", "failed") and add what
    the crawler reported beside its counts. A run that never reached
    finish_run (it failed) is stamped finished now: it is over, not killed."""
    row = conn.execute(
        select(crawl_runs.c.counts, crawl_runs.c.finished_at).where(crawl_runs.c.id == run_id)
    ).first()
    if row is None:
        return
    values: dict[str, Any] = {"counts": {**(row.counts or {}), **notes, "status": status}}
    if row.finished_at is None:
        values["finished_at"] = _now()
    conn.execute(update(crawl_runs).where(crawl_runs.c.id == run_id).values(**values))


def record_fetch_error(
    conn: Connection,
    run_id: int | None,
    url: str,
    error: str,
    status: int | None,
    attempts: int,
    site: str | None = None,
) -> None:
    conn.execute(
        insert(fetch_errors).values(
            run_id=run_id,
            url=url,
            site=site,
            error=error,
            status=status,
            attempts=attempts,
            at=_now(),
        )
    )


def runs(conn: Connection, limit: int = 20) -> list[dict[str, Any]]:
    """The latest runs first, each with its counts and number of recorded fetch errors."""
    n_errors = (
        select(func.count())
        .where(fetch_errors.c.run_id == crawl_runs.c.id)
        .scalar_subquery()
        .label("fetch_errors")
    )
    q = select(crawl_runs, n_errors).order_by(crawl_runs.c.id.desc()).limit(limit)
    out = []
    for row in conn.execute(q):
        record = dict(row._mapping)
        record.pop("counts", None)
        extra = row.counts or {}
        record["started_at"] = _iso(row.started_at)
        record["finished_at"] = _iso(row.finished_at)
        record["dropped"] = row.dropped or {}
        record["errors"] = row.errors or {}
        # Whatever else the runner reported (per-site coverage, date failures...).
        record["extra"] = {k: v for k, v in extra.items() if k not in record}
        record["status"] = extra.get("status") or ("finished" if row.finished_at else None)
        if row.finished_at is None:
            # Never finished (killed, or still running): what it did save is
            # the articles it wrote last.
            record["saved"] = conn.execute(
                select(func.count()).where(articles.c.run_id == row.id)
            ).scalar_one()
        out.append(record)
    return out


def fetch_error_rows(conn: Connection, run_id: int) -> list[dict[str, Any]]:
    q = select(fetch_errors).where(fetch_errors.c.run_id == run_id).order_by(fetch_errors.c.id)
    return [{**row._mapping, "at": _iso(row.at)} for row in conn.execute(q)]

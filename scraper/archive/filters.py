"""The filters shared by search, count, iter_articles and export, as SQL conditions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, ColumnElement, case, exists, func, select
from sqlalchemy.ext.compiler import compiles

from scraper.archive.models import articles
from scraper.archive.records import filter_bound, is_date_only
from scraper.exceptions import UsageError

FILTER_NAMES = ("site", "section", "author", "tag", "since", "until", "originals_only")


def _as_list(value: str | list[str] | tuple[str, ...]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


class _JsonContains(ColumnElement[bool]):
    """Case-insensitive membership in a JSON list column (authors, tags),
    compiled for the archive's database (json_each on SQLite,
    json_array_elements_text on PostgreSQL)."""

    type = Boolean()
    inherit_cache = False

    def __init__(self, column: Any, value: str) -> None:
        self.column = column
        self.value = value


@compiles(_JsonContains)
def _json_contains_sqlite(element: _JsonContains, compiler: Any, **kw: Any) -> str:
    item = func.json_each(element.column).table_valued("value")
    cond = exists(
        select(1).select_from(item).where(func.lower(item.c.value) == element.value.lower())
    )
    return compiler.process(cond, **kw)


@compiles(_JsonContains, "postgresql")
def _json_contains_pg(element: _JsonContains, compiler: Any, **kw: Any) -> str:
    # A JSON null or scalar (old rows) has no elements rather than an error.
    listed = case(
        (func.json_typeof(element.column) == "array", element.column),
        else_=func.json_build_array(),
    )
    item = func.json_array_elements_text(listed).table_valued("value")
    cond = exists(
        select(1).select_from(item).where(func.lower(item.c.value) == element.value.lower())
    )
    return compiler.process(cond, **kw)


def _json_contains(column: Any, value: str) -> ColumnElement[bool]:
    return _JsonContains(column, value)


def conditions(
    *,
    site: str | list[str] | None = None,
    section: str | None = None,
    author: str | None = None,
    tag: str | None = None,
    since: str | date | datetime | None = None,
    until: str | date | datetime | None = None,
    originals_only: bool = False,
) -> list[ColumnElement[bool]]:
    """SQL conditions on `articles`; a bad date raises UsageError."""
    where: list[ColumnElement[bool]] = []
    if site:
        where.append(func.lower(articles.c.site).in_([s.lower() for s in _as_list(site)]))
    if section:
        where.append(func.lower(articles.c.section) == section.lower())
    if author:
        where.append(_json_contains(articles.c.authors, author))
    if tag:
        where.append(_json_contains(articles.c.tags, tag))
    start = _bound(since, end=False)
    end = _bound(until, end=True)
    if start and end and start > end:
        raise UsageError("The --since date is after the --until date.")
    if start:
        where.append(articles.c.published_utc >= start)
    if end:
        # A bare date is a whole day (exclusive next midnight); a time is inclusive.
        where.append(
            articles.c.published_utc < end
            if is_date_only(until)
            else articles.c.published_utc <= end
        )
    if originals_only:
        where.append(articles.c.duplicate_of.is_(None))
    return where


def _bound(value: str | date | datetime | None, *, end: bool) -> datetime | None:
    try:
        return filter_bound(value, end=end)
    except OverflowError:
        # 0001-01-01 in WIB is still year 0 in UTC; 9999-12-31 ends in year 10000.
        option = "--until" if end else "--since"
        raise UsageError(
            f"{option} {value} is beyond the dates arsip can compare: "
            "leave it out to include every date."
        ) from None


def split_filters(options: dict[str, Any]) -> dict[str, Any]:
    """The filter options of a keyword dict; anything else is a usage error."""
    unknown = set(options) - set(FILTER_NAMES)
    if unknown:
        raise UsageError(f"Unknown filter {sorted(unknown)[0]!r}.")
    return options

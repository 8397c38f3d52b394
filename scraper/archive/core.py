"""`Archive`: the one object the pipelines, the CLI and notebooks talk to."""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from scraper.archive import dedupe, export, fts, reading, runs, search, stats, store
from scraper.archive import frontier as plan
from scraper.archive.engine import get_setting, open_engine, runtime_error, set_setting
from scraper.archive.models import articles
from scraper.exceptions import ArchiveError
from scraper.files import check_not_archive
from scraper.items import Article

logger = logging.getLogger(__name__)


class Archive:
    """An archive in an SQLite file (a path) or any SQLAlchemy database (a URL with "://").

    `keep_raw=False` stores no raw pages; `stem` chooses Indonesian stemming for
    the search index of a *new* archive (an existing one keeps its choice).
    `readonly=True` (what read commands use) opens an existing, current archive
    without ever writing to it: an SQLite file needs only read permission, and
    a missing, foreign, older or newer archive is an ArchiveError sentence.
    """

    def __init__(
        self,
        url_or_path: str | Path = "archive.db",
        *,
        keep_raw: bool = True,
        stem: bool = True,
        readonly: bool = False,
    ) -> None:
        self.location = str(url_or_path)
        self.keep_raw = keep_raw
        self.readonly = readonly
        choice = "1" if stem else "0"
        self.engine = open_engine(
            self.location, readonly=readonly, initial_settings={"fts_stemmed": choice}
        )
        try:
            with self.engine.connect() as conn:
                stored = get_setting(conn, "fts_stemmed")
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise runtime_error(self.location, exc, "read") from exc
        if stored is None and not readonly:
            with self._write() as conn:
                stored = get_setting(conn, "fts_stemmed") or choice
                set_setting(conn, "fts_stemmed", stored)
        self.stemmed = (stored or choice) == "1"

    # -- lifecycle -------------------------------------------------------
    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Archive({self.location!r})"

    def _write(self) -> Any:
        """A connection in one IMMEDIATE transaction (commit on success, rollback on error)."""
        if self.readonly:
            raise ArchiveError(f"The archive {self.location} was opened read-only.")
        return _Transaction(self)

    # -- write side --------------------------------------------------------
    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of these URLs (any variant) are archived."""
        with self.engine.connect() as conn:
            return store.known_urls(conn, urls)

    def known_url_dates(
        self, urls: Iterable[str], *, seen: bool = False
    ) -> dict[str, datetime | None]:
        """Archived URLs among these -> stored modified (else published) time, naive UTC.

        `seen=True`: the latest of that and the page's `last_seen`, so one
        batched query tells whether a sitemap or feed date is newer than the
        copy the archive holds.
        """
        with self.engine.connect() as conn:
            return store.known_url_dates(conn, urls, seen=seen)

    def save_batch(
        self,
        articles_in: Sequence[Article],
        raw_pages: Sequence[bytes | None] | None = None,
        run_id: int | None = None,
        *,
        touch: bool = True,
        stems: Sequence[Mapping[str, str] | None] | None = None,
    ) -> list[str]:
        """Upsert in one transaction: "new" | "updated" | "unchanged" | "duplicate" per article.

        `touch=False` (reparse) leaves `last_seen` alone: no crawl saw the page.
        `stems`, per article, are search-index stems computed ahead
        (`fts.prestem`, e.g. in a crawl's page workers); the rest is stemmed here.
        """
        if not articles_in:
            return []
        with self._write() as conn:
            return store.save_batch(
                conn,
                articles_in,
                raw_pages,
                touch=touch,
                run_id=run_id,
                keep_raw=self.keep_raw,
                stemmed=self.stemmed,
                stems=stems,
            )

    def find_duplicate(self, content_hash: str, simhash: int | None, url: str) -> str | None:
        """Canonical URL of an earlier original with the same or a nearly the same body."""
        with self.engine.connect() as conn:
            return dedupe.find_duplicate(conn, content_hash, simhash, url)

    def check_writable(self) -> None:
        """Take the write lock once and let it go: ArchiveError when another
        process holds it past the busy wait, before a crawl fetches anything."""
        with self._write():
            pass

    def start_run(self, sites: list[str]) -> int:
        with self._write() as conn:
            return runs.start_run(conn, sites)

    def finish_run(self, run_id: int, counts: dict[str, Any]) -> None:
        with self._write() as conn:
            runs.finish_run(conn, run_id, counts)

    def close_run(self, run_id: int, status: str, notes: dict[str, Any]) -> None:
        with self._write() as conn:
            runs.close_run(conn, run_id, status, notes)

    def record_fetch_error(
        self,
        run_id: int | None,
        url: str,
        error: str,
        status: int | None,
        attempts: int,
        *,
        site: str | None = None,
    ) -> None:
        with self._write() as conn:
            runs.record_fetch_error(conn, run_id, url, error, status, attempts, site)

    # -- the crawl's plan (frontier and listing chains), keyed by site ----------
    def frontier_load(self, sites: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Pages an unfinished run of these sites left: url -> request meta (with "site")."""
        with self.engine.connect() as conn:
            return plan.load(conn, sites)

    def frontier_update(
        self,
        added: Mapping[tuple[str, str], Mapping[str, Any]],
        done: Iterable[tuple[str, str]] = (),
        chains: Mapping[tuple[str, str], Mapping[str, Any]] | None = None,
    ) -> None:
        """One transaction: pages scheduled ((site, url) -> meta), pages finished,
        and listing chains' progress ((site, chain) -> {"depth", "end_seen"})."""
        done = list(done)
        if not added and not done and not chains:
            return
        with self._write() as conn:
            plan.update(conn, added, done)
            plan.save_chains(conn, chains or {})

    def frontier_clear(self, sites: Iterable[str]) -> None:
        """These sites' runs finished: nothing of theirs left to resume."""
        with self._write() as conn:
            plan.clear(conn, sites)

    def listing_chains(self, sites: Iterable[str]) -> dict[tuple[str, str], dict[str, Any]]:
        """(site, chain) -> {"depth": deepest page reached, "end_seen": bool}."""
        with self.engine.connect() as conn:
            return plan.load_chains(conn, sites)

    def rebuild_index(self) -> int:
        """Refill the full-text index from the stored articles (after an upgrade or damage)."""
        cols = [
            articles.c.id,
            articles.c.title,
            articles.c.description,
            articles.c.headings,
            articles.c.body_text,
        ]
        with self._write() as conn:
            fts.reset(conn)
            return fts.fill(conn, conn.execute(select(*cols)).mappings(), stemmed=self.stemmed)

    def snapshot(self, output: str | Path) -> int:
        """Write a searchable SQLite copy of this archive (e.g. of a PostgreSQL
        one, for Datasette) to `output`; returns the articles copied."""
        from scraper.archive.snapshot import write_snapshot

        if str(output) not in ("", "-"):
            check_not_archive(output, self.location, what="the snapshot")
        return write_snapshot(self.engine, output, stemmed=self.stemmed)

    # -- read side ---------------------------------------------------------
    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return runs.runs(conn, limit)

    def fetch_errors(self, run_id: int) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return runs.fetch_error_rows(conn, run_id)

    def search(
        self, query: str, *, limit: int = 20, offset: int = 0, **filters: Any
    ) -> list[dict[str, Any]]:
        """Ranked matches: id, url, title, site, published_at, snippet ([hits] marked), score.

        Filters: site, section, author, tag, since, until, originals_only;
        `highlight=("<b>", "</b>")` changes the snippet marks.
        """
        with self.engine.connect() as conn:
            return search.search(
                conn, query, stemmed=self.stemmed, limit=limit, offset=offset, **filters
            )

    def count(self, query: str | None = None, **filters: Any) -> int:
        """How many articles match the query (or just the filters)."""
        with self.engine.connect() as conn:
            return search.count(conn, query, stemmed=self.stemmed, **filters)

    def get(self, url_or_id: str | int) -> dict[str, Any] | None:
        """One record by id or any URL variant, with id, first_seen, last_seen and versions."""
        with self.engine.connect() as conn:
            return reading.get(conn, url_or_id)

    def versions(self, url_or_id: str | int) -> list[dict[str, Any]]:
        """Earlier states of an article, oldest first."""
        with self.engine.connect() as conn:
            return reading.versions(conn, url_or_id)

    def iter_articles(
        self, *, fields: Sequence[str] | None = None, query: str | None = None, **filters: Any
    ) -> Iterator[dict[str, Any]]:
        """Stream records (EXPORT_FIELDS or `fields`) in constant memory, archive order."""
        return reading.iter_articles(
            self.engine, fields=fields, query=query, stemmed=self.stemmed, **filters
        )

    def to_dataframe(
        self, *, fields: Sequence[str] | None = None, query: str | None = None, **filters: Any
    ) -> Any:
        """A pandas DataFrame of the selected records (needs pandas)."""
        try:
            import pandas as pd
        except ImportError:
            raise ArchiveError("to_dataframe needs pandas: pip install pandas.") from None
        names = reading.check_fields(fields)
        return pd.DataFrame.from_records(
            self.iter_articles(fields=names, query=query, **filters), columns=list(names)
        )

    def export(
        self,
        fmt: str,
        out: IO[bytes] | str | Path,
        *,
        fields: Sequence[str] | None = None,
        excel: bool = False,
        raw: bool = False,
        query: str | None = None,
        progress: Any = None,
        **filters: Any,
    ) -> int:
        """Stream records as jsonl | csv | parquet to a path ("-" = stdout) or binary stream.

        A path that is this archive or one of its companion files is refused.
        """
        if isinstance(out, str | Path) and str(out) != "-":
            check_not_archive(out, self.location, what="the export")
        return export.export(
            self.engine,
            fmt,
            out,
            fields=fields,
            excel=excel,
            raw=raw,
            query=query,
            stemmed=self.stemmed,
            progress=progress,
            **filters,
        )

    def stats(self, tz: str | None = None) -> dict[str, Any]:
        """Totals and per-site figures; dates in `tz` (default Asia/Jakarta)."""
        with self.engine.connect() as conn:
            return stats.stats(conn, tz)

    def sites(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return stats.sites(conn)

    def timeline(self, period: str = "week", tz: str | None = None) -> list[dict[str, Any]]:
        """Original articles per site per day/ISO week/month, empty periods as 0 (for charts).

        Dates are the articles' own (WIB for Indonesian sites), or in zone `tz`.
        """
        with self.engine.connect() as conn:
            return stats.timeline(conn, period, tz)

    def iter_raw_pages(
        self, site: str | None = None, since: str | None = None
    ) -> Iterator[tuple[str, bytes | None, str | None, str | None]]:
        """(url, page bytes or None if damaged, fetched_at, site) of the stored raw pages."""
        return reading.iter_raw_pages(self.engine, site=site, since=since)


def _db_errors(method: Any) -> Any:
    """A database failure inside `method` (or while iterating what it returns)
    becomes one ArchiveError sentence: a damaged file says how to recover it,
    never a traceback with SQL text."""

    def guarded_iter(archive: Archive, iterator: Iterator[Any]) -> Iterator[Any]:
        try:
            yield from iterator
        except DBAPIError as exc:
            raise runtime_error(archive.location, exc, "read") from exc

    @functools.wraps(method)
    def wrapper(self: Archive, *args: Any, **kwargs: Any) -> Any:
        try:
            result = method(self, *args, **kwargs)
        except DBAPIError as exc:
            raise runtime_error(self.location, exc, "read") from exc
        if isinstance(result, Iterator):
            return guarded_iter(self, result)
        return result

    return wrapper


# Every public method, so one added later is covered too.
for _name, _member in list(vars(Archive).items()):
    if not _name.startswith("_") and _name != "close" and inspect.isfunction(_member):
        setattr(Archive, _name, _db_errors(_member))


class _Transaction:
    """`with archive._write() as conn:` one write transaction; DB failures become ArchiveError."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.conn: Connection | None = None
        self.tx: Any = None

    def __enter__(self) -> Connection:
        try:
            self.conn = self.archive.engine.connect().execution_options(arsip_write=True)
            self.tx = self.conn.begin()
        except SQLAlchemyError as exc:
            if self.conn is not None:
                self.conn.close()
            raise _archive_error(self.archive, exc) from exc
        return self.conn

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        assert self.conn is not None
        try:
            if exc_type is None:
                self.tx.commit()
            else:
                self.tx.rollback()
        except SQLAlchemyError as err:
            raise _archive_error(self.archive, err) from err
        finally:
            self.conn.close()
        if isinstance(exc, DBAPIError):
            raise _archive_error(self.archive, exc) from exc


def _archive_error(archive: Archive, exc: SQLAlchemyError) -> ArchiveError:
    return runtime_error(archive.location, exc)

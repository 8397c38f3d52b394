"""Running a crawl in-process: lock, Scrapy, pipelines, and the one-line summary."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dtime
from typing import Any

from scraper.exceptions import ArchiveError, ArsipError, CrawlFailed, UsageError
from scraper.files import check_not_archive
from scraper.items import Article
from scraper.lock import ArchiveLock
from scraper.sites import Site

logger = logging.getLogger(__name__)


@dataclass(repr=False)
class CrawledArticle:
    """What the spider hands the pipelines: the record and the page it came from."""

    article: Article
    raw: bytes | None = None
    site: str | None = None
    switch: str | None = None  # the site's whole-article switch, folded out of URLs
    cleaned: bool = False  # already cleaned where it was extracted (the page worker)
    archive_checked: bool = False  # the page worker already asked the archive for an original
    archived_original: str | None = None  # ... and this is what it found
    stems: dict[str, str] | None = None  # search-index stems computed ahead (fts.prestem)

    def __repr__(self) -> str:
        # Scrapy logs items it fails on: a URL, never the page or its text.
        return f"CrawledArticle({self.article.url!r})"


@dataclass
class FetchFailure:
    """A page that could not be fetched after its retries: recorded, not archived."""

    url: str
    error: str  # "http_503", "timeout", "dns", "connection_lost", ...
    status: int | None = None
    attempts: int = 1
    site: str | None = None


@dataclass
class CrawlSummary:
    """What one crawl did, as the run row records it and the CLI prints it."""

    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    run_id: int | None = None
    finish_reason: str = ""  # Scrapy's close reason: "finished", "shutdown", ...

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def error_rate(self) -> float:
        attempted = self.pages + self.error_count
        return self.error_count / attempted if attempted else 0.0

    def line(self) -> str:
        """One line for stdout: the only thing a crawl prints there."""
        errors = self.error_count
        kinds = ""
        if errors:
            top = sorted(self.errors.items(), key=lambda kv: -kv[1])[:3]
            kinds = " (" + ", ".join(f"{k}={v}" for k, v in top) + ")"
        line = (
            f"pages={self.pages} new={self.new} updated={self.updated} "
            f"unchanged={self.unchanged} duplicates={self.duplicates} "
            f"dropped={sum(self.dropped.values())} errors={errors}{kinds} "
            f"elapsed={self.elapsed:.1f}s"
        )
        return f"{line} interrupted ({self.finish_reason})" if self.interrupted else line

    @property
    def interrupted(self) -> bool:
        """Stopped before the end (a signal, a shutdown), not finished."""
        return self.finish_reason not in ("finished", "")

    def exit_code(self, max_error_rate: float = 0.5) -> int:
        """0 when the crawl went fine, 1 when errors passed the threshold (or
        nothing at all could be fetched)."""
        if self.interrupted:
            return 1  # the next run resumes from the frontier; cron should still hear of it
        if self.error_count and (self.pages == 0 or self.error_rate() > max_error_rate):
            return 1
        return 0

    @classmethod
    def from_stats(cls, stats: dict[str, Any], elapsed: float) -> CrawlSummary:
        def group(prefix: str) -> dict[str, int]:
            return {k[len(prefix) :]: int(v) for k, v in stats.items() if k.startswith(prefix)}

        errors = group("arsip/errors/")
        if stats.get("spider_exceptions/count"):
            errors["spider_exception"] = int(stats["spider_exceptions/count"])
        return cls(
            pages=int(stats.get("arsip/pages", 0)),
            new=int(stats.get("arsip/saved/new", 0)),
            updated=int(stats.get("arsip/saved/updated", 0)),
            unchanged=int(stats.get("arsip/saved/unchanged", 0)),
            duplicates=int(stats.get("arsip/saved/duplicate", 0)),
            dropped=group("arsip/dropped/"),
            errors=errors,
            elapsed=elapsed,
            run_id=stats.get("arsip/run_id"),
            finish_reason=str(stats.get("finish_reason") or ""),
        )


def parse_since(since: str | None) -> datetime | None:
    """--since as an aware datetime ("2026-01-31" or ISO 8601); naive means WIB."""
    if not since:
        return None
    from zoneinfo import ZoneInfo

    try:
        value = datetime.fromisoformat(since.strip())
    except ValueError:
        try:
            value = datetime.combine(date.fromisoformat(since.strip()), dtime())
        except ValueError:
            raise UsageError(f"--since takes a date like 2026-01-31, got {since!r}.") from None
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo("Asia/Jakarta"))


def stores_nothing(db: str) -> bool:
    """An SQLite database in memory: a crawl into it would fetch and then lose everything."""
    text = db.strip().lower()
    if text in ("", ":memory:") or text.startswith("file::memory:"):
        return True
    if not text.startswith("sqlite"):
        return False
    _, _, rest = text.partition("://")
    path = rest[1:] if rest.startswith("/") else rest  # sqlite:///x -> x, sqlite:// -> ""
    path = path.split("?", 1)[0]
    return path in ("", ":memory:") or "mode=memory" in text


def _check_archive(db: str) -> None:
    """Open the archive once before Scrapy starts, so a bad path is one plain
    sentence and exit 2 instead of a failure inside the pipeline."""
    from scraper.archive import Archive

    archive = Archive(db)
    try:
        archive.check_writable()
    except ArchiveError as exc:
        raise start_failure(exc) from None
    finally:
        archive.close()


def build_settings(
    db: str,
    *,
    keep_raw: bool,
    settings: dict | None,
) -> Any:
    """Project settings, then the caller's --set overrides, each checked first
    (Scrapy converts a string only when it reads it, inside the running crawl)."""
    from scrapy.settings import Settings

    from scraper.overrides import check_overrides

    check_overrides(settings or {})
    s = Settings()
    s.setmodule("scraper.settings", priority="project")
    for name, value in (settings or {}).items():
        s.set(name, value, priority="cmdline")
    s.set("ARSIP_DB", db, priority="cmdline")
    s.set("ARSIP_KEEP_RAW", keep_raw, priority="cmdline")
    contact = s.get("ARSIP_CONTACT_URL")
    if contact and "+http" not in s.get("USER_AGENT", ""):
        base = s.get("USER_AGENT").rstrip(")")
        s.set("USER_AGENT", f"{base}; +{contact})", priority="cmdline")
    return s


def run_crawl(
    db: str,
    sites: list[Site],
    *,
    max_pages: int | None = None,
    refresh: bool = False,
    since: str | None = None,
    keep_raw: bool = True,
    settings: dict | None = None,
    log_file: str | None = None,
    progress: bool = False,
) -> CrawlSummary:
    """Crawl the sites into the archive at `db` and say what happened.

    One crawl per process (Scrapy's reactor cannot restart) and one per
    archive (the lock): a second one raises ArchiveLocked.
    """
    from scrapy.crawler import CrawlerProcess

    if not sites:
        raise UsageError("No sites to crawl; check the sites file or --site names.")
    if stores_nothing(db):
        raise UsageError(
            f"--db {db} is an in-memory database that keeps nothing; give a file or a database URL."
        )
    if max_pages is not None and max_pages < 1:
        raise UsageError("--max-pages must be a positive integer.")
    since_dt = parse_since(since)
    scrapy_settings = build_settings(db, keep_raw=keep_raw, settings=settings)
    if log_file:
        # A log appended to (or rotated over) the archive destroys it.
        check_not_archive(log_file, db, what="the log")
    # The archive first: a bad path is a plain error, and the lock file must
    # not create folders the archive itself could not use.
    _check_archive(db)
    lock = crawl_lock(db, sites)
    lock.acquire()
    try:
        configure_logging(scrapy_settings, log_file)
        started = time.monotonic()
        scrapy_settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
        process = CrawlerProcess(scrapy_settings)
        crawler = process.create_crawler("news")
        started_crawl = process.crawl(
            crawler, sites=sites, refresh=refresh, since=since_dt, max_pages=max_pages
        )
        # A crawl that cannot start (an engine component that fails, an archive
        # another process keeps locked) fails this deferred; Twisted would only
        # log it, and the run would end as an empty success.
        start_failures: list[BaseException] = []
        started_crawl.addErrback(lambda failure: start_failures.append(failure.value))
        stop_progress = start_progress(crawler) if progress else None
        try:
            process.start()
        finally:
            if stop_progress:
                stop_progress()
        stats = crawler.stats.get_stats() if crawler.stats else {}
        failure = stats.get("arsip/archive_failed")
        error = (
            start_failure(start_failures[0])
            if start_failures
            else CrawlFailed(str(failure))
            if failure
            else None
        )
        summary = CrawlSummary.from_stats(stats, time.monotonic() - started)
        status = "failed" if error else "interrupted" if summary.interrupted else "finished"
        close_run(db, stats, status)
        if error:
            raise error
        if (
            summary.pages == 0
            and summary.errors
            and set(summary.errors) <= {"dns", "connection_refused"}
        ):
            logger.warning(
                "no site could be reached (%s); is this machine offline?",
                ", ".join(f"{n} {k}" for k, n in summary.errors.items()),
            )
        logger.info("crawl finished: %s", summary.line())
        return summary
    finally:
        lock.release()


def crawl_lock(db: str, sites: list[Site]) -> Any:
    """The lock a crawl holds: per site in the server for PostgreSQL (workers on
    other machines share it), a file beside the archive for SQLite."""
    from scraper.archive.locks import SiteLocks, is_server_url

    if is_server_url(db):
        return SiteLocks(db, [site.key for site in sites])
    return ArchiveLock(db)


def close_run(db: str, stats: dict[str, Any], status: str) -> None:
    """Record how the run ended and each site's robots.txt Crawl-delay beside
    its page budget, for `arsip runs`. A run never closed was killed."""
    run_id = stats.get("arsip/run_id")
    if run_id is None:
        return
    notes: dict[str, Any] = {}
    for prefix, name in (("arsip/crawl_delay/", "crawl_delays"), ("arsip/budget/", "budgets")):
        found = {k[len(prefix) :]: v for k, v in stats.items() if k.startswith(prefix)}
        if found:
            notes[name] = found
    if stats.get("arsip/links_capped"):
        notes["links_capped"] = {
            "pages": int(stats["arsip/links_capped"]),
            "urls": list(stats.get("arsip/links_capped_urls") or []),
        }
    from scraper.archive import Archive

    try:
        with Archive(db) as archive:
            archive.close_run(int(run_id), status, notes)
    except ArsipError as exc:
        # The archive that failed the run may refuse this too; the run's own
        # error is the one sentence the user gets.
        logger.info("could not record how run %s ended: %s", run_id, exc)


def start_failure(exc: BaseException) -> ArsipError:
    """The one sentence for a crawl that could not start."""
    text = " ".join(str(exc).split())
    if "database is locked" in text or "database is busy" in text:
        return CrawlFailed(
            "The archive is locked by another process and stayed locked past the wait;"
            " nothing was crawled."
        )
    if isinstance(exc, ArchiveError):
        return CrawlFailed(text)  # the archive failed at run time, not its path: exit 1
    if isinstance(exc, ArsipError):
        return exc
    logger.debug("crawl failed to start", exc_info=exc)
    detail = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return CrawlFailed(f"The crawl could not start ({detail[:300]}).")


class _NoTraceback(logging.Formatter):
    """stderr gets one line per problem; tracebacks go to the log file only."""

    def format(self, record: logging.LogRecord) -> str:
        record = logging.makeLogRecord(record.__dict__)
        record.exc_info = record.exc_text = record.stack_info = None
        return super().format(record)


def configure_logging(settings: Any, log_file: str | None) -> None:
    """Warnings (without tracebacks) to stderr; with a log file, everything
    from INFO up to a rotating file. stdout stays free for the summary line."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_arsip", False):
            root.removeHandler(handler)
    level = logging.getLevelName(str(settings.get("LOG_LEVEL", "WARNING")).upper())
    level = level if isinstance(level, int) else logging.WARNING
    err = logging.StreamHandler()
    err.setLevel(level)
    err.setFormatter(_NoTraceback("arsip: %(levelname)s %(name)s: %(message)s"))
    # The robots.txt middleware logs every unreachable host as an error; the
    # same failures are counted in the summary, so stderr need not repeat them.
    err.addFilter(lambda r: not r.name.startswith("scrapy.downloadermiddlewares.robotstxt"))
    err._arsip = True  # type: ignore[attr-defined]
    root.addHandler(err)
    lowest = level
    if log_file:
        from logging.handlers import RotatingFileHandler
        from pathlib import Path

        try:
            Path(log_file).parent.mkdir(parents=True, exist_ok=True)
            handler = RotatingFileHandler(
                log_file, maxBytes=5_000_000, backupCount=5, encoding="utf-8"
            )
        except OSError as exc:
            raise UsageError(f"Cannot write the log file {log_file!r} ({exc.strerror}).") from None
        handler.setLevel(min(level, logging.INFO))
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler._arsip = True  # type: ignore[attr-defined]
        root.addHandler(handler)
        lowest = min(level, logging.INFO)
    root.setLevel(lowest)


def start_progress(crawler: Any):
    """A live stderr line (pages/s, new articles, errors) while the crawl runs;
    returns the function that stops it."""
    from rich.console import Console
    from rich.live import Live
    from twisted.internet import task

    console = Console(stderr=True)
    if not console.is_terminal:
        return lambda: None
    started = time.monotonic()
    live = Live("", console=console, transient=True, refresh_per_second=4)

    def tick() -> None:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        pages = int(stats.get("arsip/pages", 0))
        rate = pages / max(0.001, time.monotonic() - started)
        errors = sum(int(v) for k, v in stats.items() if k.startswith("arsip/errors/"))
        live.update(
            f"crawling: {pages} pages ({rate:.1f}/s), "
            f"{int(stats.get('arsip/saved/new', 0))} new, {errors} errors"
        )

    live.start()
    loop = task.LoopingCall(tick)
    loop.start(0.5, now=False)

    def stop() -> None:
        if loop.running:
            loop.stop()
        live.stop()

    return stop

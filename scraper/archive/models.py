"""The archive's tables as SQLAlchemy 2.x typed declarative models (portable SQL)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base; `Base.metadata` creates every table."""


class ArticleRow(Base):
    """One article per canonical URL; list/dict fields are JSON text columns."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    canonical_url: Mapped[str] = mapped_column(String, unique=True)
    url: Mapped[str] = mapped_column(String)
    site: Mapped[str | None] = mapped_column(String, index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str | None] = mapped_column(Text)
    breadcrumbs: Mapped[list | None] = mapped_column(JSON)
    section: Mapped[str | None] = mapped_column(String, index=True)
    tags: Mapped[list | None] = mapped_column(JSON)
    authors: Mapped[list | None] = mapped_column(JSON)
    agency: Mapped[list | None] = mapped_column(JSON)  # news agency / outlet credited instead
    # The ISO string as extracted (with its own offset) is what users see;
    # the naive-UTC twin is what filters and sorting compare.
    published_at: Mapped[str | None] = mapped_column(String(40))
    published_utc: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    modified_at: Mapped[str | None] = mapped_column(String(40))
    modified_utc: Mapped[datetime | None] = mapped_column(DateTime)
    date_source: Mapped[str | None] = mapped_column(String(16))
    date_raw: Mapped[str | None] = mapped_column(Text)
    date_precision: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(16))
    image: Mapped[str | None] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text, default="")
    # Where the body came from: container, fallback or structured (docs/schema.md).
    body_source: Mapped[str | None] = mapped_column(String(16))
    headings: Mapped[list | None] = mapped_column(JSON)
    lists: Mapped[list | None] = mapped_column(JSON)
    links: Mapped[list | None] = mapped_column(JSON)
    related: Mapped[list | None] = mapped_column(JSON)
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    simhash: Mapped[int | None] = mapped_column(BigInteger)
    # Four 16-bit bands of the simhash: two hashes within 3 bits share one,
    # so an equality lookup on indexed bands finds near-duplicate candidates.
    band0: Mapped[int | None] = mapped_column(Integer, index=True)
    band1: Mapped[int | None] = mapped_column(Integer, index=True)
    band2: Mapped[int | None] = mapped_column(Integer, index=True)
    band3: Mapped[int | None] = mapped_column(Integer, index=True)
    duplicate_of: Mapped[str | None] = mapped_column(String, index=True)
    fetched_at: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    first_seen: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime, index=True)
    run_id: Mapped[int | None] = mapped_column(Integer)


class ArticleUrl(Base):
    """Every URL variant seen (fetched, canonical, amp...), keyed by its url_key."""

    __tablename__ = "article_urls"

    url_key: Mapped[str] = mapped_column(String, primary_key=True)
    url: Mapped[str] = mapped_column(String)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)


class ArticleVersion(Base):
    """A previous state of an article, copied before a changed re-crawl overwrote it."""

    __tablename__ = "article_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    fetched_at: Mapped[str | None] = mapped_column(String(40))
    replaced_at: Mapped[datetime] = mapped_column(DateTime)
    record: Mapped[dict] = mapped_column(JSON)  # the full exported record of that version

    # Unique: two writers can never both store version N of one article.
    __table_args__ = (Index("ux_article_versions_version", "article_id", "version", unique=True),)


class RawPage(Base):
    """The latest fetched page of an article, compressed, kept for `arsip reparse`."""

    __tablename__ = "raw_pages"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    url: Mapped[str] = mapped_column(String)
    fetched_at: Mapped[str | None] = mapped_column(String(40))
    codec: Mapped[str] = mapped_column(String(8))  # "zstd" | "zlib"
    size: Mapped[int] = mapped_column(Integer)  # uncompressed bytes
    stored: Mapped[int] = mapped_column(Integer)  # compressed bytes
    data: Mapped[bytes] = mapped_column(LargeBinary)


class CrawlRun(Base):
    """One `arsip crawl`: when, which sites, and what it did."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    sites: Mapped[list] = mapped_column(JSON)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    dropped: Mapped[dict | None] = mapped_column(JSON)  # reason -> n
    errors: Mapped[dict | None] = mapped_column(JSON)  # kind -> n
    coverage: Mapped[dict | None] = mapped_column(JSON)
    counts: Mapped[dict | None] = mapped_column(JSON)  # everything the runner reported


class FetchError(Base):
    """A fetch that failed for good (after retries)."""

    __tablename__ = "fetch_errors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    url: Mapped[str] = mapped_column(String)
    site: Mapped[str | None] = mapped_column(String)
    error: Mapped[str] = mapped_column(Text)
    status: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    at: Mapped[datetime] = mapped_column(DateTime)


class Meta(Base):
    """Key/value settings of the archive itself (schema version, FTS stemming)."""

    __tablename__ = "arsip_meta"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(String)


articles = ArticleRow.__table__
article_urls = ArticleUrl.__table__
article_versions = ArticleVersion.__table__
raw_pages = RawPage.__table__
crawl_runs = CrawlRun.__table__
fetch_errors = FetchError.__table__
meta = Meta.__table__


class FrontierEntry(Base):
    """A page a crawl scheduled and has not finished, per site: what a killed run resumes."""

    __tablename__ = "crawl_frontier"

    site: Mapped[str] = mapped_column(String, primary_key=True)
    url: Mapped[str] = mapped_column(String, primary_key=True)
    meta: Mapped[dict | None] = mapped_column(JSON)  # the request's kept meta (hops, chain, ...)
    added_at: Mapped[datetime] = mapped_column(DateTime)


class ListingChain(Base):
    """A listing and its pagination, per site: deepest page reached, and whether
    its last page was ever seen (only then may a run stop at an archived head)."""

    __tablename__ = "listing_chains"

    site: Mapped[str] = mapped_column(String, primary_key=True)
    chain: Mapped[str] = mapped_column(String, primary_key=True)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    end_seen: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


crawl_frontier = FrontierEntry.__table__
listing_chains = ListingChain.__table__

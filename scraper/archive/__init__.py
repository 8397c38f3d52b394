"""The archive: the only package that imports SQLAlchemy.

`Archive(url_or_path)` opens (and creates) an SQLite file or a database URL.
Write side (used by pipelines and the crawl runner):
  known_urls(urls) -> set[str]        which of these URLs (any variant) are archived
  save_batch(records) -> list[str]    upsert a batch in one transaction; one outcome
                                      per record: "new" | "updated" | "unchanged" | "duplicate"
  find_duplicate(content_hash, simhash, url) -> str | None   canonical URL of an earlier copy
  start_run(sites) -> int / finish_run(run_id, counts) / record_fetch_error(run_id, ...)
Read side (used by the CLI and notebooks):
  search(query, site=, since=, until=, limit=) -> list[dict]   ranked, with "snippet"
  get(url_or_id) -> dict | None       one record (EXPORT_FIELDS + id, first_seen, last_seen)
  iter_articles(site=, since=, until=, query=) -> Iterator[dict]   streaming
  export(fmt, out, **filters) -> int  rows written
  stats() -> dict ; sites() -> list[dict]
"""

from __future__ import annotations

from scraper.archive.core import Archive

__all__ = ["Archive"]

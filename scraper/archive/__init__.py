"""The archive: the only package that imports SQLAlchemy.

`Archive(url_or_path, keep_raw=True, stem=True)` opens (and creates) an SQLite
file or a database URL. Modules, one job each: models (tables), engine (open,
pragmas), store (batched upserts), fts + query + search (full-text search),
filters, records, reading, export + parquet, stats, runs, dedupe, views.

Write side (used by pipelines and the crawl runner):
  known_urls(urls) -> set[str]        which of these URLs (any variant) are archived
  known_url_dates(urls, seen=False)   when each archived URL last changed (or was seen)
  save_batch(articles, raw_pages=None, run_id=None, stems=None) -> list[str]
                                      one transaction; per article "new" | "updated" |
                                      "unchanged" | "duplicate"
  find_duplicate(content_hash, simhash, url) -> str | None   canonical URL of an earlier original
  start_run(sites) -> int / finish_run(run_id, counts) / record_fetch_error(run_id, ...)
  rebuild_index() -> int              refill the full-text index from the articles
Read side (used by the CLI and notebooks):
  search(query, site=, section=, author=, tag=, since=, until=, limit=, offset=) -> list[dict]
  count(query=None, **filters) -> int
  get(url_or_id) -> dict | None       one record (EXPORT_FIELDS + id, first_seen, last_seen, versions)
  versions(url_or_id) -> list[dict]   earlier states
  iter_articles(fields=, query=, **filters) -> Iterator[dict]   streaming
  to_dataframe(fields=, query=, **filters) -> pandas.DataFrame
  export(fmt, out, fields=, excel=, raw=, query=, progress=, **filters) -> int rows written
  stats() / sites() / timeline(period) / runs(limit) / fetch_errors(run_id)
  iter_raw_pages(site=, since=) -> Iterator[(url, bytes, fetched_at, site)]   for reparse
"""

from __future__ import annotations

from scraper.archive.core import Archive

__all__ = ["Archive"]

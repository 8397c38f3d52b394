"""An SQLite copy of an archive (typically PostgreSQL), searchable, for `arsip serve`.

Every table is copied row for row in batches (constant memory), then the FTS5
index is filled from the copied articles and the views are made, exactly as
for an archive crawled into SQLite. The copy is written to a temporary file
beside the output and renamed over it at the end: a failed snapshot leaves
nothing half-written, and the output is never the archive being read.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from scraper.archive.models import (
    article_urls,
    article_versions,
    articles,
    crawl_runs,
    fetch_errors,
    raw_pages,
)
from scraper.exceptions import UsageError

logger = logging.getLogger(__name__)

#: Parents before children (foreign keys).
TABLES = (articles, article_urls, article_versions, raw_pages, crawl_runs, fetch_errors)
BATCH = 1000


def _sqlite_file(engine: Engine) -> Path | None:
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return None
    return Path(engine.url.database).resolve()


def write_snapshot(source: Engine, output: str | Path, *, stemmed: bool) -> int:
    """Copy the archive behind `source` into a new SQLite file at `output`;
    returns the number of articles copied."""
    from scraper.archive.core import Archive

    out = Path(output)
    if str(output) in ("", "-"):
        raise UsageError("An SQLite snapshot needs a file: pass -o snapshot.db.")
    if out.is_dir():
        raise UsageError(f"{output} is a folder; pass a file name for the snapshot.")
    parent = out.resolve().parent
    if not parent.is_dir():
        raise UsageError(f"Cannot write {output}: folder {parent} does not exist.")
    here = _sqlite_file(source)
    target = out.resolve()
    if here is not None and target in {here, *(Path(f"{here}{s}") for s in ("-wal", "-shm"))}:
        raise UsageError(f"{output} is the archive itself; write the snapshot to another file.")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent)
    os.close(fd)
    os.unlink(tmp)  # the Archive creates it
    try:
        copy = Archive(tmp, stem=stemmed)
        try:
            n = _copy(source, copy.engine)
            copy.rebuild_index()
        finally:
            copy.close()
        # One self-contained file to copy or hand to Datasette: no -wal beside it.
        with contextlib.closing(sqlite3.connect(tmp)) as db:
            db.execute("PRAGMA journal_mode = DELETE")
        os.replace(tmp, target)
    finally:
        for leftover in (tmp, f"{tmp}-wal", f"{tmp}-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(leftover)
    logger.info("snapshot of %s articles written to %s", n, target)
    return n


def _copy(source: Engine, target: Engine) -> int:
    n = 0
    with source.connect() as src, target.begin() as dst:
        for table in TABLES:
            rows = src.execution_options(yield_per=BATCH).execute(select(*table.c))
            for part in rows.partitions():
                batch: list[dict[str, Any]] = [dict(r._mapping) for r in part]
                dst.execute(table.insert(), batch)
                if table is articles:
                    n += len(batch)
    return n

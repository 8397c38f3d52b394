"""The archive writer process (ARSIP_ARCHIVE_WRITER=process): batches saved off the reactor thread.

Off by default: since stemming for the search index got cheap (and is done
by page workers when they can), a write costs the crawler less than this
process costs in start-up, pickling and ~90 MB (bench/crawl.py). Functions
here run in that process; one process, so batches are written one at a
time, in the order they were sent.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from scraper.items import Article
from spiders.worker import exit_with_parent

logger = logging.getLogger(__name__)

_archive = None


def open_writer(db: str, keep_raw: bool, parent: int) -> None:
    """Process initializer: open the archive once; leave with the crawler."""
    global _archive
    from scraper.archive import Archive

    exit_with_parent(parent)
    _archive = Archive(db, keep_raw=keep_raw)


def write_batch(
    articles: Sequence[Article],
    raws: Sequence[bytes | None],
    run_id: int | None,
    stems: Sequence[dict[str, str] | None] | None = None,
) -> list[str]:
    """One transaction: the batch is saved whole or not at all."""
    assert _archive is not None, "open_writer did not run"
    return _archive.save_batch(articles, raws, run_id, stems=stems)

"""The archive writer process: batches saved off the reactor thread.

Saving a batch indexes it for full-text search, stemming every word: on a
big crawl that costs as much as all the crawling. In its own process it runs
alongside. Functions here run in that process; one process, so batches are
written one at a time, in the order they were sent.
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
    articles: Sequence[Article], raws: Sequence[bytes | None], run_id: int | None
) -> list[str]:
    """One transaction: the batch is saved whole or not at all."""
    assert _archive is not None, "open_writer did not run"
    return _archive.save_batch(articles, raws, run_id)

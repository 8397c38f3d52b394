"""The pipelines with a real archive: drops carry reasons, copies are linked, writes are batched."""

from __future__ import annotations

import asyncio
import sqlite3
from types import SimpleNamespace

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from pipelines.archive import ArchivePipeline
from pipelines.clean import CleanPipeline
from pipelines.dedupe import DedupePipeline
from pipelines.validate import ValidatePipeline
from scraper.crawl import CrawledArticle, FetchFailure
from scraper.items import Article
from tests.e2e_site import _paragraphs


def item(n: int, url: str | None = None, body: str | None = None) -> CrawledArticle:
    text = body or "\n\n".join(_paragraphs(n))
    art = Article(
        url=url or f"https://contoh.id/berita-nomor-{n}/",
        title=f"Berita {n}",
        body_text=text,
        site="contoh",
    )
    return CrawledArticle(article=art, raw=b"<html>halaman</html>", site="contoh")


@pytest.fixture
def crawler(tmp_path):
    c = get_crawler(
        settings_dict={
            "ARSIP_DB": str(tmp_path / "a.db"),
            "ARSIP_BATCH_SIZE": 3,
            "ARSIP_ARCHIVE_WRITER": "inline",
        }
    )
    c.stats.open_spider()
    c.spider = SimpleNamespace(sites={"contoh": None})
    return c


def chain(crawler, it):
    for cls in (CleanPipeline, ValidatePipeline, DedupePipeline):
        pipe = cls.from_crawler(crawler) if hasattr(cls, "from_crawler") else cls()
        if hasattr(pipe, "open_spider"):
            pipe.open_spider()
        it = pipe.process_item(it)
    return it


def test_short_record_dropped_with_reason_counted(crawler):
    pipe = ValidatePipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match="too_short"):
        pipe.process_item(CleanPipeline().process_item(item(1, body="terlalu pendek")))
    assert crawler.stats.get_value("arsip/dropped/too_short") == 1


def test_same_url_twice_in_a_run_is_dropped(crawler):
    pipe = DedupePipeline.from_crawler(crawler)
    pipe.open_spider()
    pipe.process_item(CleanPipeline().process_item(item(1)))
    with pytest.raises(DropItem, match="duplicate_url"):
        pipe.process_item(
            CleanPipeline().process_item(
                item(1, url="https://www.contoh.id/berita-nomor-1?utm_source=x")
            )
        )


def test_copy_under_another_url_points_at_the_original(crawler):
    pipe = DedupePipeline.from_crawler(crawler)
    pipe.open_spider()
    first = pipe.process_item(CleanPipeline().process_item(item(1)))
    body = first.article.body_text
    exact = pipe.process_item(
        CleanPipeline().process_item(item(2, url="https://lain.id/salinan/", body=body))
    )
    near = pipe.process_item(
        CleanPipeline().process_item(
            item(
                3,
                url="https://lain.id/suntingan/",
                body=body.replace("Harga", "Biaya", 1) + " Tambahan.",
            )
        )
    )
    assert first.article.duplicate_of is None
    assert exact.article.duplicate_of == "https://contoh.id/berita-nomor-1/"
    assert near.article.duplicate_of == "https://contoh.id/berita-nomor-1/"


def test_distinct_articles_are_not_linked(crawler):
    pipe = DedupePipeline.from_crawler(crawler)
    pipe.open_spider()
    outs = [pipe.process_item(CleanPipeline().process_item(item(n))) for n in range(1, 30)]
    assert all(o.article.duplicate_of is None for o in outs)


def test_archive_writes_in_batches_and_records_the_run(crawler, tmp_path):
    pipe = ArchivePipeline.from_crawler(crawler)
    pipe.open_spider()
    db = tmp_path / "a.db"

    def count() -> int:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    async def run() -> list[int]:
        seen = []
        for n in range(1, 3):
            await pipe.process_item(chain(crawler, item(n)))
        seen.append(count())  # still buffered: below the batch size
        await pipe.process_item(chain(crawler, item(3)))
        seen.append(count())
        await pipe.process_item(chain(crawler, item(4)))
        failure = FetchFailure(
            url="https://contoh.id/rusak/", error="http_500", status=500, attempts=3, site="contoh"
        )
        await pipe.process_item(failure)
        crawler.stats.inc_value("arsip/pages", 5)
        await pipe.close_spider()
        seen.append(count())  # the rest flushed on close
        return seen

    assert asyncio.run(run()) == [0, 3, 4]
    with sqlite3.connect(db) as conn:
        run_row = conn.execute("SELECT pages, new, finished_at FROM crawl_runs").fetchone()
        errors = conn.execute("SELECT url, error, status, attempts FROM fetch_errors").fetchall()
    assert run_row[0] == 5 and run_row[1] == 4 and run_row[2] is not None
    assert errors == [("https://contoh.id/rusak/", "http_500", 500, 3)]
    assert crawler.stats.get_value("arsip/saved/new") == 4

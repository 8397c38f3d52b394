"""Reading the archive from Python: get, iter_articles, to_dataframe, raw pages for reparse."""

from __future__ import annotations

import pytest

from scraper import Archive
from scraper.exceptions import UsageError
from scraper.fingerprint import content_hash, simhash
from scraper.items import EXPORT_FIELDS, Article


def make(i: int, **kw) -> Article:
    body = f"Artikel nomor {i} tentang ponsel dan aplikasi."
    kw.setdefault("site", "teknokita" if i % 2 else "gadgetin")
    kw.setdefault("published_at", f"2025-01-{i + 1:02d}T10:00:00+07:00")
    return Article(
        url=f"https://{kw['site']}.id/artikel/{i}/",
        title=f"Artikel {i}",
        body_text=body,
        content_hash=content_hash(body),
        simhash=simhash(body),
        authors=[f"Penulis {i}"],
        **kw,
    )


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    with Archive(tmp_path_factory.mktemp("read") / "archive.db") as arc:
        arc.save_batch([make(i) for i in range(10)], [f"<p>{i}</p>".encode() for i in range(10)])
        yield arc


def test_get_by_id_or_any_url_variant(archive):
    by_url = archive.get("http://m.teknokita.id/artikel/3?utm_source=wa")
    assert by_url is not None and by_url["title"] == "Artikel 3"
    assert archive.get(by_url["id"]) == by_url
    assert archive.get(str(by_url["id"])) == by_url
    assert set(EXPORT_FIELDS) <= set(by_url) and by_url["authors"] == ["Penulis 3"]
    assert archive.get("https://teknokita.id/tidak-ada/") is None
    assert archive.get(999_999) is None


def test_iter_articles_streams_filtered_records(archive):
    rows = list(archive.iter_articles(site="teknokita", since="2025-01-05"))
    assert [r["title"] for r in rows] == ["Artikel 5", "Artikel 7", "Artikel 9"]
    assert list(rows[0]) == list(EXPORT_FIELDS)
    only = list(
        archive.iter_articles(fields=["title", "published_at"], query="nomor", until="2025-01-02")
    )
    assert only == [
        {"title": "Artikel 0", "published_at": "2025-01-01T10:00:00+07:00"},
        {"title": "Artikel 1", "published_at": "2025-01-02T10:00:00+07:00"},
    ]


def test_iter_articles_rejects_unknown_fields(archive):
    with pytest.raises(UsageError, match="Unknown field"):
        list(archive.iter_articles(fields=["judul"]))


def test_to_dataframe(archive):
    frame = archive.to_dataframe(fields=["site", "title", "authors"], site="gadgetin")
    assert list(frame.columns) == ["site", "title", "authors"]
    assert len(frame) == 5 and frame["authors"].iloc[0] == ["Penulis 0"]


def test_iter_raw_pages_for_reparse(archive):
    pages = list(archive.iter_raw_pages(site="gadgetin"))
    assert [p[1] for p in pages] == [f"<p>{i}</p>".encode() for i in range(0, 10, 2)]
    assert all(p[3] == "gadgetin" and p[0].startswith("https://gadgetin.id/") for p in pages)

"""The page worker: one parse of a page serves both extraction and link finding."""

from __future__ import annotations

from pathlib import Path

import pytest

import scraper.extract
import spiders.links
from scraper.items import Article
from spiders.worker import process_page

PAGE = Path(__file__).parent / "fixtures" / "extract" / "td_newspaper_berita_viral.html"


def test_a_page_is_parsed_once_for_record_and_links(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = scraper.extract.parse_html

    def counting(html):
        calls.append(len(html))
        return real(html)

    monkeypatch.setattr(scraper.extract, "parse_html", counting)
    monkeypatch.setattr(spiders.links, "parse_html", counting)
    body = PAGE.read_bytes()
    result = process_page(
        body,
        "https://gawaiviral.id/hp-android-lama-dapat-pembaruan-keamanan/",
        site="gawaiviral",
        verdict=None,
        domains=("gawaiviral.id",),
        switch=None,
    )
    assert isinstance(result.record, Article) and result.record.title
    assert result.links, "links of the page were found"
    assert len(calls) == 1, f"the page was parsed {len(calls)} times"

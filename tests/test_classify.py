"""Article or not: page signals and the shape of the extracted text decide, with a reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from scraper.extract import extract
from scraper.extract.body import Body
from scraper.extract.classify import classify, info_page_url, listing_url
from scraper.extract.metadata import extract_metadata
from scraper.extract.parse import parse_html

FETCHED = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)
HEADLINE = "Cara Mengecek Pembaruan Keamanan di HP Android Lama"
ARTICLE_URL = "https://gawaiviral.id/cara-cek-pembaruan-keamanan-android/"
TEXT = (
    "Pembaruan keamanan bulanan masih dikirim untuk sejumlah ponsel lama. Pengguna bisa "
    "memeriksanya lewat menu pengaturan, lalu memilih bagian keamanan dan privasi. "
)


def body_of(words: int) -> Body:
    text = " ".join((TEXT * 20).split()[:words])
    return Body(body_text=text, container_found=bool(words))


def decide(head: str, body_html: str, url: str, words: int) -> str | None:
    html = f"<html lang='id'><head><title>{HEADLINE} - Gawai Viral</title>{head}</head><body>{body_html}</body></html>"
    tree = parse_html(html)
    meta = extract_metadata(tree, url, fetched_at=FETCHED)
    return classify(tree, url, meta, body_of(words))


def teasers(n: int) -> str:
    return "".join(
        f'<article><h3><a href="https://gawaiviral.id/berita-{i}/">Judul berita nomor {i} yang sedang ramai</a></h3>'
        f"<p>Ringkasan singkat berita {i}.</p></article>"
        for i in range(n)
    )


def test_jsonld_news_article_is_an_article() -> None:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": HEADLINE}
    head = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    assert decide(head, f"<h1>{HEADLINE}</h1>", ARTICLE_URL, 300) is None


def test_og_article_with_headline_is_an_article_even_among_many_teasers() -> None:
    head = '<meta property="og:type" content="article">'
    assert decide(head, f"<h1>{HEADLINE}</h1>{teasers(20)}", ARTICLE_URL, 300) is None


def test_plain_page_with_headline_and_printed_date_is_an_article() -> None:
    html = f"<h1>{HEADLINE}</h1><div>Selasa, 20 Jan 2026 19:45 WIB</div>"
    assert decide("", html, ARTICLE_URL, 120) is None


def test_home_page_is_a_listing_even_when_it_claims_og_article() -> None:
    head = '<meta property="og:type" content="article">'
    assert (
        decide(head, f"<h1>Gawai Viral</h1>{teasers(12)}", "https://gawaiviral.id/", 200)
        == "listing"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://gawaiviral.id/category/berita-viral/",
        "https://gawaiviral.id/category/berita-viral/page/3/",
        "https://gawaiviral.id/tag/android/",
        "https://www.portal.id/indeks",
        "https://gawaiviral.id/author/hendra/",
    ],
)
def test_category_tag_index_and_author_pages_are_listings(url: str) -> None:
    assert decide("", f"<h1>Berita Viral</h1>{teasers(10)}", url, 200) == "listing"


def test_dated_og_article_under_a_channel_path_is_still_an_article() -> None:
    head = '<meta property="og:type" content="article">'
    html = f"<h1>{HEADLINE}</h1><div>Selasa, 20 Jan 2026 19:45 WIB</div>"
    assert (
        decide(head, html, "https://portal.id/kanal/tekno/cara-cek-keamanan-android", 300) is None
    )
    assert decide(head, html + teasers(40), "https://portal.id/kanal/tekno", 60) == "listing"


def test_og_website_without_a_dated_headline_is_a_listing() -> None:
    head = '<meta property="og:type" content="website">'
    assert decide(head, teasers(15), "https://gawaiviral.id/terbaru-hari-ini", 400) == "listing"


def test_page_of_linked_teaser_headings_is_a_listing() -> None:
    assert (
        decide("", f"<h1>{HEADLINE}</h1>{teasers(30)}", "https://gawaiviral.id/kumpulan", 60)
        == "listing"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://gawaiviral.id/tentang-kami/",
        "https://gawaiviral.id/pedoman-media-siber",
        "https://x.id/about.html",
    ],
)
def test_about_and_policy_pages_are_not_articles(url: str) -> None:
    head = '<meta property="og:type" content="article">'
    assert decide(head, "<h1>Tentang Kami</h1>", url, 200) == "info_page"


def test_page_without_title_is_rejected_as_no_title() -> None:
    tree = parse_html("<html><body><p>Hanya teks.</p></body></html>")
    meta = extract_metadata(tree, ARTICLE_URL, fetched_at=FETCHED)
    assert classify(tree, ARTICLE_URL, meta, body_of(50)) == "no_title"


def test_page_without_body_text_is_rejected_as_no_body() -> None:
    assert decide("", f"<h1>{HEADLINE}</h1>", ARTICLE_URL, 0) == "no_body"


def test_unmarked_stub_is_too_short() -> None:
    assert decide("", "<div>Halaman tidak ditemukan</div>", ARTICLE_URL, 12) == "too_short"


def test_listing_url_only_looks_at_the_leading_path() -> None:
    assert listing_url("https://gawaiviral.id/")
    assert listing_url("https://gawaiviral.id/kanal/gadget")
    assert not listing_url("https://gawaiviral.id/2026/01/20/tag-harga-ponsel-naik/")
    assert not listing_url("https://gawaiviral.id/read/2026/01/20/123456/index-saham")
    assert not listing_url(ARTICLE_URL)
    assert not info_page_url("https://gawaiviral.id/tentang-kami-dan-ponsel-lipat/")


def test_extract_reports_the_reason_for_a_listing() -> None:
    html = f"<html><head><title>Gawai Viral</title></head><body>{teasers(20)}</body></html>"
    record = extract(html, "https://gawaiviral.id/", fetched_at=FETCHED)
    assert record.kind == "not_article"
    assert record.reason == "listing"

"""Hostile input: whatever bytes a server sends, extract() returns a record or a reason, never raises."""

from __future__ import annotations

import tracemalloc

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper.extract import extract
from scraper.extract.body import extract_body
from scraper.extract.parse import parse_html
from scraper.items import Article, Rejected

URL = "https://teknokita.example.id/2026/11/24/artikel/"

TAGS = [
    "p", "div", "span", "a", "b", "strong", "ul", "ol", "li", "table", "tr", "td", "h2", "h3",
    "blockquote", "article", "section", "br", "img", "script", "style", "figure", "figcaption",
    "nav", "aside", "form", "iframe", "svg", "pre", "em", "main", "header", "footer", "html",
    "body", "head", "title", "meta",
]  # fmt: skip
CLASSES = [
    "entry-content", "related", "baca-juga", "linksisip", "share", "comment", "td-post-content",
    "detail__body-text", "sidebar", "hidden", "populer", "tag-x", "ads", "",
]  # fmt: skip
WORDS = [
    "Baca juga:", "Artikel Terkait", "Halaman 2", "(fyk/ash)", "Editor:", "ADVERTISEMENT",
    "SCROLL TO CONTINUE WITH CONTENT", "1. Satu", "Selanjutnya", "You may also like",
    "Jakarta -", "teknologi", "ponsel", "&amp;", "&#0;", "&nbsp;", "<", ">", "\x00", "\ufeff",
    "\u202e", "日本語", "😀", " ", "\n",
]  # fmt: skip


def _is_outcome(result: object) -> bool:
    return isinstance(result, (Article, Rejected))


@st.composite
def tag_soup(draw: st.DrawFn) -> str:
    """Markup made of real tags and class names, opened and closed at random."""
    parts = []
    for _ in range(draw(st.integers(0, 60))):
        choice = draw(st.integers(0, 3))
        tag = draw(st.sampled_from(TAGS))
        if choice == 0:
            cls = draw(st.sampled_from(CLASSES))
            href = draw(
                st.sampled_from(
                    [
                        "",
                        ' href="/2026/a/"',
                        ' href="javascript:x"',
                        " href=http://[::1",
                        ' href="?page=2"',
                    ]
                )
            )
            parts.append(f'<{tag} class="{cls}"{href}>')
        elif choice == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(draw(st.sampled_from(WORDS)) + draw(st.text(max_size=40)))
    return "".join(parts)


FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(tag_soup())
def test_tag_soup_gives_a_record_or_a_reason(html: str):
    assert _is_outcome(extract(html, URL))


@FAST
@given(st.binary(max_size=4096))
def test_binary_garbage_gives_a_record_or_a_reason(data: bytes):
    assert _is_outcome(extract(data, URL))


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=2000))
def test_arbitrary_text_gives_a_record_or_a_reason(text: str):
    assert _is_outcome(extract(text, URL))


@settings(max_examples=40, deadline=None)
@given(tag_soup())
def test_body_extractor_alone_never_raises_on_soup(html: str):
    tree = parse_html(html)
    if tree is not None:
        body = extract_body(tree, URL)
        assert isinstance(body.body_text, str)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80))
def test_any_page_url_is_survived(url: str):
    html = (
        '<html><body><div class="entry-content"><p>Baca juga: <a href="/a/">Judul lain di sini</a></p>'
        "<p>Isi berita yang cukup panjang untuk dianggap sebagai paragraf artikel.</p>"
        '<a href="?page=2">2</a><a href="http://[::1">rusak</a></div></body></html>'
    )
    tree = parse_html(html)
    assert tree is not None
    assert "Isi berita" in extract_body(tree, url).body_text


def test_empty_and_blank_documents_are_rejected_with_a_reason():
    for doc in (
        "",
        b"",
        "   \n\t ",
        b"\xef\xbb\xbf",
        "<!-- only a comment -->",
        "<?xml version='1.0'?>",
    ):
        result = extract(doc, URL)
        assert isinstance(result, Rejected)
        assert result.reason


def test_deeply_nested_markup_gives_a_record_or_a_reason():
    depth = 5000
    html = (
        "<html><body>"
        + "<div><span>" * depth
        + "Isi berita yang sangat dalam."
        + "</span></div>" * depth
    )
    assert _is_outcome(extract(html, URL))


def test_ten_megabyte_page_stays_within_bounded_memory():
    paragraph = (
        "<p>Operator seluler memperluas jaringan 5G ke sepuluh kota baru tahun ini, "
        "sementara harga paket data diperkirakan tetap stabil hingga akhir tahun depan.</p>"
    )
    html = (
        "<html><head><title>Jaringan 5G</title></head><body><article><h1>Jaringan 5G</h1>"
        '<div class="entry-content">'
        + paragraph * (10_000_000 // len(paragraph))
        + "</div></article></body></html>"
    )
    tracemalloc.start()
    try:
        result = extract(html, URL)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert _is_outcome(result)
    # The tree itself lives in libxml2; what Python holds should stay within a
    # small multiple of the page, not grow with the number of passes made.
    assert peak < 12 * len(html)

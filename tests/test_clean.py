"""Record cleaning: text normalisation, canonical URLs, validation and multi-page merging."""

from __future__ import annotations

from scraper.clean import canonical_for, clean_article, clean_text, merge_pages, validate_article
from scraper.fingerprint import content_hash
from scraper.items import Article

BODY = " ".join(f"kata{i}" for i in range(40))


def article(**kw) -> Article:
    base = {
        "url": "https://www.contoh.id/2026/01/judul-berita/",
        "title": "Judul",
        "body_text": BODY,
    }
    return Article(**{**base, **kw})


def test_clean_text_removes_invisible_characters_and_extra_space():
    raw = "Harga\u200b  ponsel\u00ad naik\r\n\r\n\r\n  Baris  kedua\t\x07"
    assert clean_text(raw) == "Harga ponsel naik\n\nBaris kedua"


def test_clean_text_composes_unicode():
    assert clean_text("Cafe\u0301") == "Caf\u00e9"


def test_clean_article_strips_tracking_and_fills_fingerprints():
    cleaned = clean_article(
        article(url="https://www.contoh.id/2026/01/judul-berita/?utm_source=fb")
    )
    assert cleaned.url == "https://www.contoh.id/2026/01/judul-berita/"
    assert cleaned.canonical_url == cleaned.url
    assert cleaned.word_count == 40
    assert cleaned.content_hash == content_hash(BODY)
    assert cleaned.simhash is not None


def test_rel_canonical_on_the_same_site_is_the_key():
    a = article(canonical_url="https://contoh.id/2026/01/judul-berita/")  # www-less, same site
    assert canonical_for(a) == "https://contoh.id/2026/01/judul-berita/"


def test_rel_canonical_on_another_site_is_syndication_not_identity():
    a = article(canonical_url="https://kantor-berita.id/asli/123")
    assert canonical_for(a) == "https://www.contoh.id/2026/01/judul-berita/"


def test_a_home_page_canonical_does_not_fold_articles_together():
    one = article(canonical_url="https://www.contoh.id/")
    two = article(
        url="https://www.contoh.id/2026/01/berita-lain/", canonical_url="https://www.contoh.id/"
    )
    assert canonical_for(one) == "https://www.contoh.id/2026/01/judul-berita/"
    assert canonical_for(two) == "https://www.contoh.id/2026/01/berita-lain/"


def test_authors_and_tags_deduplicated_case_insensitively():
    cleaned = clean_article(article(authors=["Rina ", "rina", "Budi"], tags=["5G", "5g", " "]))
    assert cleaned.authors == ["Rina", "Budi"]
    assert cleaned.tags == ["5G"]


def test_validation_gives_a_reason():
    assert validate_article(clean_article(article())) is None
    assert validate_article(clean_article(article(title="  "))) == "no_title"
    assert validate_article(clean_article(article(body_text="terlalu pendek"))) == "too_short"
    assert validate_article(clean_article(article(published_at="kemarin"))) == "bad_published_at"


def test_merge_pages_joins_bodies_and_drops_repeated_paragraphs():
    one = article(body_text="Pembuka berita.\n\nBagian satu.", headings=[{"level": 2, "text": "A"}])
    two = article(
        url="https://www.contoh.id/2026/01/judul-berita/2/",
        body_text="Pembuka berita.\n\nBagian dua.",
        headings=[{"level": 2, "text": "B"}],
        related=[{"title": "Lain", "url": "https://www.contoh.id/lain/", "kind": "baca_juga"}],
    )
    merged = merge_pages(one, [two])
    assert merged.body_text == "Pembuka berita.\n\nBagian satu.\n\nBagian dua."
    assert [h["text"] for h in merged.headings] == ["A", "B"]
    assert merged.related and merged.url == one.url
    assert merged.content_hash == content_hash(merged.body_text)


def test_a_listing_or_section_canonical_is_not_the_articles_key():
    fetched = "https://www.contoh.id/2026/01/judul-berita/"
    for listing in (
        "https://contoh.id/category/gawai/",
        "https://contoh.id/kategori/gawai/page/2/",
        "https://contoh.id/tag/ponsel/",
        "https://contoh.id/topik/satelit/",
        "https://contoh.id/author/rina/",
        "https://contoh.id/?s=ponsel",
        "https://contoh.id/2026/01/",  # the month's archive: an ancestor of the post
    ):
        assert canonical_for(article(canonical_url=listing)) == fetched, listing
    # Another article, page 2 of this one, or its print view can be a key.
    for other in (
        "https://contoh.id/2026/01/judul-baru/",
        "https://contoh.id/berita/judul-berita-lengkap",
    ):
        assert canonical_for(article(canonical_url=other)) == other
    page_two = article(url=fetched + "2/", canonical_url=fetched)
    assert canonical_for(page_two) == fetched


def test_a_canonical_outside_the_sites_article_patterns_is_not_the_key():
    patterns = [r"/\d{4}/\d{2}/[^/]+/$"]
    fetched = "https://www.contoh.id/2026/01/judul-berita/"
    section = article(canonical_url="https://contoh.id/gawai/")
    assert canonical_for(section) == "https://contoh.id/gawai/"  # no rule says otherwise
    assert canonical_for(section, None, patterns) == fetched
    moved = article(canonical_url="https://contoh.id/2026/02/judul-berita/")
    assert canonical_for(moved, None, patterns) == "https://contoh.id/2026/02/judul-berita/"

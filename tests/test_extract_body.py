"""The body extractor on small pages written for these tests: what a reader of the record sees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.extract import extract
from scraper.extract.body import Body, extract_body
from scraper.extract.links import registrable
from scraper.extract.parse import parse_html

URL = "https://teknokita.example.id/2026/11/24/ponsel-lipat-baru/"

LEAD = (
    "Produsen ponsel asal Tiongkok resmi memperkenalkan ponsel lipat terbarunya di Jakarta, "
    "lengkap dengan engsel baru yang diklaim lebih awet dan layar yang nyaris tanpa lipatan."
)
SECOND = (
    "Menurut perwakilan perusahaan, ponsel ini akan dijual mulai bulan depan melalui toko "
    "resmi dan sejumlah mitra daring dengan harga yang belum diumumkan secara rinci."
)
THIRD = (
    "Baterai berkapasitas besar juga menjadi andalan, sebab pengguna ponsel lipat kerap "
    "mengeluhkan daya tahan yang pendek ketika layar besar dipakai seharian penuh."
)


def body_of(html: str, url: str = URL) -> Body:
    tree = parse_html(html)
    assert tree is not None
    return extract_body(tree, url)


def page(article: str, *, aside: str = "", after: str = "") -> str:
    return f"""<!doctype html><html><head><title>Ponsel lipat</title></head><body>
    <header><nav><ul><li><a href="/">Home</a></li><li><a href="/berita-viral/">Berita Viral</a></li>
    <li><a href="/gadget/">Gadget</a></li></ul></nav></header>
    <div class="site-content"><main>
      <article class="post type-post tag-ponsel category-berita-viral">
        <h1 class="entry-title">Ponsel Lipat Baru Resmi Meluncur</h1>
        <div class="entry-meta">Oleh Redaksi | 24 November 2026</div>
        <div class="entry-content">{article}</div>
        {after}
      </article>
    </main>
    <aside class="sidebar"><h2>Terpopuler</h2><ul>
      <li><a href="/2026/11/20/harga-laptop-turun/">Harga Laptop Gaming Turun Jelang Akhir Tahun</a></li>
      <li><a href="/2026/11/21/router-baru/">Router Wi-Fi 7 Pertama Masuk Indonesia Bulan Ini</a></li>
    </ul>{aside}</aside></div>
    <footer><p>Copyright 2026 TeknoKita. Semua hak dilindungi undang-undang dan ketentuan.</p></footer>
    </body></html>"""


def test_body_keeps_article_paragraphs_in_order_and_drops_boilerplate():
    article = f"""
      <div class="share-buttons"><a href="#">Facebook</a> <a href="#">Twitter</a> Bagikan</div>
      <p>{LEAD}</p>
      <p>ADVERTISEMENT</p><p>SCROLL TO CONTINUE WITH CONTENT</p>
      <figure><img src="a.jpg"><figcaption>Ponsel lipat baru dipamerkan di Jakarta (Foto: Redaksi)</figcaption></figure>
      <p>{SECOND}</p>
      <div class="newsletter-box"><p>Dapatkan berita teknologi terbaru langsung di kotak masuk Anda setiap pagi.</p></div>
      <p>{THIRD}</p>
      <p>Editor: Rina Wulandari</p>
      <div class="author-box"><p>Rina adalah jurnalis teknologi yang meliput industri gawai sejak 2015 lalu.</p></div>
    """
    after = """<p class="comments-off">Comments are Off</p>
      <div id="comments" class="comments-area"><h3>Tinggalkan Balasan</h3>
      <p>Wah keren sekali ponselnya, kapan masuk ke kota saya ya? Semoga harganya terjangkau.</p></div>"""
    body = body_of(page(article, after=after))
    assert body.container_found
    assert body.body_text.split("\n\n") == [LEAD, SECOND, THIRD]


def test_walk_emits_headings_lists_quotes_and_tables_in_reading_order():
    article = f"""
      <p>{LEAD}</p>
      <h2>Spesifikasi Utama</h2>
      <ul>
        <li>Layar utama 7,8 inci
          <ol><li>Resolusi 2K</li><li>Refresh rate 120 Hz</li></ol>
        </li>
        <li>Baterai 5.000 mAh</li>
      </ul>
      <h3>Harga dan Ketersediaan</h3>
      <blockquote><p>Kami ingin ponsel lipat bisa dipakai semua orang, bukan hanya penggemar gawai.</p></blockquote>
      <table><tr><th>Varian</th><th>Harga</th></tr><tr><td>12/256 GB</td><td>Rp 15 juta</td></tr></table>
      <p>{SECOND}</p>
    """
    body = body_of(page(article))
    kinds = [b["type"] for b in body.blocks]
    assert kinds == ["paragraph", "heading", "list", "heading", "quote", "table", "paragraph"]
    assert body.headings == [
        {"level": 2, "text": "Spesifikasi Utama"},
        {"level": 3, "text": "Harga dan Ketersediaan"},
    ]
    assert body.lists == [
        {
            "ordered": False,
            "items": [
                {
                    "text": "Layar utama 7,8 inci",
                    "children": [
                        {"text": "Resolusi 2K", "children": []},
                        {"text": "Refresh rate 120 Hz", "children": []},
                    ],
                },
                {"text": "Baterai 5.000 mAh", "children": []},
            ],
        }
    ]
    # Headings and list items are lines of the body text too, where they stand.
    lines = body.body_text.split("\n\n")
    assert lines[1] == "Spesifikasi Utama"
    assert lines[2:6] == [
        "Layar utama 7,8 inci",
        "Resolusi 2K",
        "Refresh rate 120 Hz",
        "Baterai 5.000 mAh",
    ]
    # Menu, sidebar and footer lists never count as the article's.
    assert all("Terpopuler" not in h["text"] for h in body.headings)


def test_bold_only_lines_become_sub_headings_but_a_closing_sign_off_does_not():
    article = f"""
      <p>{LEAD}</p>
      <p><strong>Desain Engsel Baru</strong></p>
      <p>{SECOND}</p>
      <p><b>Daya Tahan Baterai</b></p>
      <p>{THIRD}</p>
      <p><strong>LARAS WIDYANINGRUM</strong></p>
    """
    body = body_of(page(article))
    assert [h["text"] for h in body.headings] == ["Desain Engsel Baru", "Daya Tahan Baterai"]
    assert all(h["level"] == 3 for h in body.headings)
    assert body.body_text.endswith("LARAS WIDYANINGRUM")


def test_pseudo_heading_takes_the_level_of_the_nearest_real_heading():
    article = f"<h2>Kamera</h2><p>{LEAD}</p><p><strong>Lensa Tele</strong></p><p>{SECOND}</p>"
    body = body_of(page(article))
    assert body.headings == [{"level": 2, "text": "Kamera"}, {"level": 2, "text": "Lensa Tele"}]


def test_adjacent_numbered_bold_lines_form_an_ordered_list():
    article = f"""
      <p>{LEAD}</p>
      <p><strong>1. Layar lebih terang</strong></p>
      <p><strong>2. Engsel lebih awet</strong></p>
      <p><strong>3. Baterai lebih besar</strong></p>
      <p>{SECOND}</p>
    """
    body = body_of(page(article))
    assert body.lists == [
        {
            "ordered": True,
            "items": [
                {"text": "Layar lebih terang", "children": []},
                {"text": "Engsel lebih awet", "children": []},
                {"text": "Baterai lebih besar", "children": []},
            ],
        }
    ]
    assert body.headings == []


@pytest.mark.parametrize(
    "inline",
    [
        '<p><strong>Baca juga:</strong> <a href="/2026/11/01/tablet-murah/">Tablet Murah Rasa Premium</a></p>',
        '<p>BACA JUGA <a href="/2026/11/01/tablet-murah/">Tablet Murah Rasa Premium</a></p>',
        '<table class="linksisip"><tr><td><div class="lihatjg"><strong>Baca juga:</strong>'
        '<a href="https://teknokita.example.id/2026/11/01/tablet-murah/">Tablet Murah Rasa Premium</a>'
        "</div></td></tr></table>",
        '<p>Baca Juga</p><ul class="read-also__list"><li>'
        '<a href="/2026/11/01/tablet-murah/">Tablet Murah Rasa Premium</a></li></ul>',
        '<p class="related-news"><strong>Baca juga :&nbsp;'
        '<a href="/2026/11/01/tablet-murah/">Tablet Murah Rasa Premium</a></strong></p>',
    ],
    ids=["strong-label", "upper-case", "table-box", "label-then-list", "link-inside-label"],
)
def test_inline_baca_juga_is_related_not_body(inline: str):
    body = body_of(page(f"<p>{LEAD}</p>{inline}<p>{SECOND}</p>"))
    assert body.related == [
        {
            "title": "Tablet Murah Rasa Premium",
            "url": "https://teknokita.example.id/2026/11/01/tablet-murah/",
            "kind": "baca_juga",
        }
    ]
    assert body.body_text == f"{LEAD}\n\n{SECOND}"
    assert body.lists == []
    assert "Tablet Murah" not in body.body_text


def test_related_boxes_belong_to_the_article_and_feeds_do_not():
    after = """<div class="related-posts"><h3>Artikel Terkait</h3><ul>
        <li><a href="/2026/10/02/engsel-ponsel-lipat/">Mengapa Engsel Ponsel Lipat Mudah Rusak</a></li>
        <li><a href="/2026/09/14/layar-lipat/">Layar Lipat Generasi Ketiga Makin Tipis</a></li>
        <li><a href="/tag/ponsel/">ponsel</a></li>
      </ul></div>"""
    aside = """<h3>Berita Lainnya</h3><ul>
        <li><a href="/2026/11/24/ponsel-lipat-baru/">Ponsel Lipat Baru Resmi Meluncur</a></li>
        <li><a href="/2026/11/22/jaringan-5g/">Jaringan 5G Diperluas ke Sepuluh Kota</a></li></ul>"""
    body = body_of(page(f"<p>{LEAD}</p><p>{SECOND}</p>", after=after, aside=aside))
    assert [(r["url"], r["kind"]) for r in body.related] == [
        ("https://teknokita.example.id/2026/10/02/engsel-ponsel-lipat/", "terkait"),
        ("https://teknokita.example.id/2026/09/14/layar-lipat/", "terkait"),
    ]
    assert "Mengapa Engsel" not in body.body_text


def test_you_may_also_like_is_kind_also_like():
    after = """<section><h4>You may also like</h4>
      <a href="https://teknokita.example.id/2026/08/01/kipas-senyap/">A Quiet Fan for a Mini PC Build</a></section>"""
    body = body_of(page(f"<p>{LEAD}</p>", after=after))
    assert body.related == [
        {
            "title": "A Quiet Fan for a Mini PC Build",
            "url": "https://teknokita.example.id/2026/08/01/kipas-senyap/",
            "kind": "also_like",
        }
    ]


def test_box_titled_by_a_link_keeps_its_items_but_a_tabbed_feed_is_not_related():
    after = """<div class="block-related"><h4><a href="#">You may also like</a></h4>
        <div class="item"><a href="/2026/07/01/kabel-usb-c/">Kabel USB-C Murah yang Tahan Lama Dipakai</a></div>
      </div>"""
    aside = """<div class="tabs"><h2><a href="#tab-latest">Berita Lainnya</a></h2>
        <div id="tab-latest"><a href="/2026/11/23/harga-emas/">Harga Emas Naik Lagi Pagi Ini Menurut Pantauan</a></div>
      </div>"""
    body = body_of(page(f"<p>{LEAD}</p>", after=after, aside=aside))
    assert [r["url"] for r in body.related] == [
        "https://teknokita.example.id/2026/07/01/kabel-usb-c/"
    ]


def test_portal_body_written_with_br_drops_editor_code_and_credit_lines():
    html = f"""<html><body><div class="header"><a href="/">Portal</a></div>
      <div class="wrap"><div class="detail_text">
        <strong>Jakarta</strong> - {LEAD}<br><br>{SECOND}<br><br>
        <b>Sikap Operator</b><br><br>
        {THIRD} (fyk/ash)<br><br>
        Halaman selanjutnya<br>
      </div></div></body></html>"""
    body = body_of(html, "https://inet.portal.example/read/2026/11/24/100026/ponsel")
    assert body.body_text.split("\n\n") == [
        f"Jakarta - {LEAD}",
        SECOND,
        "Sikap Operator",
        THIRD,
    ]
    assert body.headings == [{"level": 3, "text": "Sikap Operator"}]


def test_links_are_absolute_and_marked_internal_by_registrable_domain():
    article = f"""<p>{LEAD} Simak <a href="/2026/10/01/ulasan/">ulasan kami</a>,
      data dari <a href="https://data.teknokita.example.id/laporan">laporan pasar</a> dan
      siaran pers <a href="https://www.vendor.example.com/press">vendor</a>.</p>"""
    body = body_of(page(article), "https://news.teknokita.co.id/2026/11/24/ponsel/")
    assert body.links == [
        {
            "text": "ulasan kami",
            "url": "https://news.teknokita.co.id/2026/10/01/ulasan/",
            "internal": True,
        },
        {
            "text": "laporan pasar",
            "url": "https://data.teknokita.example.id/laporan",
            "internal": False,
        },
        {"text": "vendor", "url": "https://www.vendor.example.com/press", "internal": False},
    ]


def test_registrable_domain_handles_indonesian_second_levels():
    assert registrable("tekno.kompas.example.co.id") == "example.co.id"
    assert registrable("inet.detik.com") == "detik.com"


def test_next_pages_are_the_articles_own_later_pages():
    article = f"""<p>{LEAD}</p><p>{SECOND}</p>
      <div class="page-links">Halaman <a href="{URL}2/">2</a> <a href="{URL}3/">3</a>
      <a href="{URL}2/">Selanjutnya</a></div>"""
    after = '<div class="nav-links"><a href="/category/gadget/page/2/">2</a></div>'
    body = body_of(page(article, after=after))
    assert body.next_pages == [f"{URL}2/", f"{URL}3/"]


def test_query_pagination_counts_as_next_pages():
    url = "https://portal.example/read/123/ponsel-lipat"
    html = f"""<html><body><div class="read__content"><p>{LEAD}</p><p>{SECOND}</p>
      <div class="paging"><a href="{url}?page=2">Halaman 2</a></div></div></body></html>"""
    assert body_of(html, url).next_pages == [f"{url}?page=2"]


def test_unknown_layout_is_found_by_text_density_not_the_comments():
    story = "".join(f"<p>{t}</p>" for t in (LEAD, SECOND, THIRD))
    chatter = "".join(
        f"<div class='c'><p>Komentar pembaca nomor {i}: saya setuju, tetapi harganya pasti mahal sekali.</p></div>"
        for i in range(3)
    )
    html = f"""<html><body><div id="wrap"><div class="x1">{story}</div>
      <div class="comment-list">{chatter}</div></div></body></html>"""
    body = body_of(html)
    assert body.body_text.split("\n\n") == [LEAD, SECOND, THIRD]


def test_page_without_prose_has_no_container():
    html = """<html><body><ul><li><a href="/a">Satu</a></li><li><a href="/b">Dua</a></li></ul></body></html>"""
    body = body_of(html)
    assert not body.container_found
    assert body.body_text == ""


def test_misnamed_wrapper_holding_the_story_is_kept():
    # Some themes wrap the whole story in a box named like a share bar.
    html = f"""<html><body><div class="col-main"><div class="sosmed author-and-share">
      <p>{LEAD}</p><p>{SECOND}</p><p>{THIRD}</p></div>
      <div class="related"><a href="/x/">Berita lain yang tidak ada kaitannya sama sekali</a></div>
      </div></body></html>"""
    assert body_of(html).body_text.split("\n\n") == [LEAD, SECOND, THIRD]


# --- Page bytes: whatever encoding a server sends, the reader sees the right characters ---

ACCENTED = "Kafe di Bandung menyajikan crème brûlée seharga Rp 45.000 — “cukup terjangkau”."


def _bytes_page(text: str, head: str = "") -> str:
    return page(f"<p>{LEAD}</p><p>{text} {SECOND}</p><p>{THIRD}</p>").replace(
        "<head>", f"<head>{head}", 1
    )


def _body_of_bytes(data: bytes) -> str:
    tree = parse_html(data)
    assert tree is not None
    return extract_body(tree, URL).body_text


@pytest.mark.parametrize(
    "prefix",
    [b"", b"\xef\xbb\xbf", b'<?xml version="1.0" encoding="utf-8"?>\n'],
    ids=["plain", "bom", "xml-declaration"],
)
def test_utf8_bytes_decode_with_or_without_bom_and_xml_declaration(prefix: bytes) -> None:
    data = prefix + _bytes_page(ACCENTED, '<meta charset="utf-8">').encode("utf-8")
    assert ACCENTED in _body_of_bytes(data)


def test_single_byte_page_is_read_in_its_declared_charset() -> None:
    text = "Kafe di Bandung menyajikan crème brûlée dengan harga terjangkau."
    data = _bytes_page(text, '<meta charset="windows-1252">').encode("windows-1252")
    assert text in _body_of_bytes(data)


def test_utf8_sent_under_a_single_byte_declaration_is_still_read_as_utf8() -> None:
    data = _bytes_page(ACCENTED, '<meta charset="iso-8859-1">').encode("utf-8")
    body = _body_of_bytes(data)
    assert ACCENTED in body
    assert "Ã" not in body  # no mojibake


def test_nul_bytes_do_not_cut_the_page_short() -> None:
    data = _bytes_page(ACCENTED).encode("utf-8").replace(b"<p>", b"<p>\x00", 1)
    assert THIRD in _body_of_bytes(data)


@pytest.mark.parametrize(
    "inline",
    [
        '<p>Baca: <a href="/2026/11/01/tablet-murah/">Tablet Murah Rasa Premium</a></p>',
        '<p><strong>BACA:</strong> <a href="/2026/11/01/tablet-murah/">Tablet Murah Rasa Premium</a></p>',
        '<p><strong>Baca: <a href="/2026/11/01/tablet-murah/">Tablet Murah Rasa Premium</a></strong></p>',
    ],
    ids=["plain", "strong-label", "bold-line"],
)
def test_tribun_style_baca_label_is_related_not_body(inline: str):
    body = body_of(page(f"<p>{LEAD}</p>{inline}<p>{SECOND}</p>"))
    assert [r["url"] for r in body.related] == [
        "https://teknokita.example.id/2026/11/01/tablet-murah/"
    ]
    assert body.body_text == f"{LEAD}\n\n{SECOND}"
    assert body.headings == []


def test_baca_followed_by_prose_stays_in_the_body():
    line = "Baca: petunjuk pemakaian ada di kotak, jangan lupa simpan nota pembelian Anda."
    body = body_of(page(f"<p>{LEAD}</p><p>{line}</p><p>{SECOND}</p>"))
    assert body.body_text == f"{LEAD}\n\n{line}\n\n{SECOND}"


@pytest.mark.parametrize(
    "line",
    [
        'Artikel ini telah tayang di <a href="https://contoh.example.com/">Contoh.com</a> dengan '
        'judul "Ponsel Lipat Baru Resmi Meluncur"',
        "Ikuti berita terbaru kami di Google News, klik di sini",
        "Dibaca 1.234 kali",
        "Daftar Isi",
    ],
    ids=["syndication", "google-news", "view-count", "toc-label"],
)
def test_syndication_and_reader_prompts_leave_the_body(line: str):
    body = body_of(page(f"<p>{LEAD}</p><p>{line}</p><p>{SECOND}</p>"))
    assert body.body_text == f"{LEAD}\n\n{SECOND}"


FIXTURES = Path(__file__).parent / "fixtures" / "extract"
SOURCED = sorted(
    p.stem for p in FIXTURES.glob("*.json") if "body_source" in json.loads(p.read_text("utf-8"))
)


@pytest.mark.parametrize("name", SOURCED)
def test_the_record_says_where_its_body_came_from(name: str) -> None:
    """`body_source` explains a record: the page's markup or its script data."""
    label = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    record = extract((FIXTURES / f"{name}.html").read_bytes(), label["url"])
    assert record.body_source == label["body_source"]


def test_markup_that_holds_most_of_the_story_beats_a_shorter_structured_body() -> None:
    """JSON-LD articleBody is used only when the markup gives far less: a short
    summary in articleBody never replaces the page's own full text."""
    node = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "articleBody": f"{LEAD} {SECOND}",
    }
    summary = json.dumps(node)
    html = (
        f'<html><head><script type="application/ld+json">{summary}</script></head><body>'
        f'<div class="entry-content"><p>{LEAD}</p><p>{SECOND}</p><p>{THIRD}</p></div></body></html>'
    )
    body = body_of(html)
    assert body.body_source == "container"
    assert body.body_text.split("\n\n") == [LEAD, SECOND, THIRD]


TEASER_PAGE = """<html><head><title>Bandara Baru Dibuka untuk Penerbangan Perintis</title>
<meta name="description" content="Bandara perintis melayani rute ke pulau-pulau terluar.">
<meta property="og:type" content="article"></head>
<body><h1>Bandara Baru Dibuka untuk Penerbangan Perintis</h1>
<div class="app-shell" data-hydrate="story"></div>
<div class="col-right"><div class="box">
<p>{teaser}</p>
</div></div></body></html>"""


def test_a_short_block_about_another_story_is_not_the_body() -> None:
    """A 30-word sidebar teaser sharing no word with the title or description is not
    this page's body: the page is rejected for having none instead of archived wrong."""
    teaser = (
        "Pedagang sayur di pasar pagi mengeluhkan harga tomat yang terus naik sejak awal "
        "bulan, sementara pembeli memilih mengurangi belanja dan menunggu pasokan dari "
        "kebun dataran tinggi kembali normal pekan depan."
    )
    result = extract(TEASER_PAGE.format(teaser=teaser), URL)
    assert (result.kind, result.reason) == ("not_article", "no_body")


def test_a_short_body_on_the_page_topic_is_kept() -> None:
    lead = (
        "Bandara perintis di ujung pulau mulai melayani dua penerbangan sepekan ke "
        "pulau-pulau terluar, memangkas perjalanan laut yang biasanya makan waktu dua hari."
    )
    result = extract(TEASER_PAGE.format(teaser=lead), URL)
    assert result.kind == "article" and result.body_text == lead


def test_with_the_headline_printed_twice_the_copy_over_the_story_picks_the_body() -> None:
    """A "latest" strip repeating the headline as an <h1> above two articles: the body
    is the article under the copy that heads a story, not the longer appended one."""
    page = (FIXTURES / "appended_article.html").read_text("utf-8")
    title = "Pinjam Buku Perpustakaan Kini Bisa Lewat Loker di Terminal"
    strip = (
        '<div class="strip-latest"><h1 class="strip-item"><a href="/pinjam-buku-lewat-loker'
        f'-terminal">{title}</a></h1></div>'
    )
    record = extract(page.replace('<main class="stream">', strip + '<main class="stream">'), URL)
    assert "loker otomatis di tiga terminal bus" in record.body_text
    assert "Harga cabai rawit" not in record.body_text


def test_an_inline_teaser_of_another_story_is_left_out_but_a_lead_called_teaser_stays() -> None:
    """Many CMSs call the article's own lead a "teaser"; a "teaser" box made of a link
    to another story is that story's, not this body's."""
    html = (
        '<html><body><div class="entry-content">'
        f'<p class="article-teaser">{LEAD}</p><p>{SECOND}</p>'
        '<div class="inline-teaser"><span>Lainnya</span><div class="inline-teaser__head">'
        '<a href="/2026/11/20/tablet-murah-untuk-sekolah/">Tablet murah untuk sekolah '
        "dibagikan ke seratus desa mulai pekan depan</a></div></div>"
        f"<p>{THIRD}</p></div></body></html>"
    )
    assert body_of(html).body_text.split("\n\n") == [LEAD, SECOND, THIRD]


def test_a_line_that_is_only_a_numeric_date_is_not_prose() -> None:
    html = (
        '<html><body><div class="entry-content"><p>Stand: 28.10.2026 17:23 Uhr</p>'
        f"<p>{LEAD}</p><p>12.11.2026, 08:00</p><p>{SECOND}</p>"
        "<p>Am 12.11.2026 beginnt der Verkauf in allen Filialen und online.</p></div></body></html>"
    )
    assert body_of(html).body_text.split("\n\n") == [
        LEAD,
        SECOND,
        "Am 12.11.2026 beginnt der Verkauf in allen Filialen und online.",
    ]


def test_a_run_of_headline_links_inside_the_body_is_a_link_list() -> None:
    """Three or more lines that are each a linked headline, between paragraphs, are a
    list of other stories; short linked labels (a price, "Beli") are not such a run."""
    links = "".join(
        f'<p><a href="/2026/11/{i}/">Kabar lain nomor {i} tentang harga ponsel di pasar</a></p>'
        for i in range(1, 4)
    )
    shop = "".join(
        f'<p><a href="/beli/">{label}</a></p>' for label in ("Rp1.999.000", "Beli", "Stok ada")
    )
    html = (
        f'<html><body><div class="entry-content"><p>{LEAD}</p>{links}<p>{SECOND}</p>'
        f"{shop}<p>{THIRD}</p></div></body></html>"
    )
    kept = [LEAD, SECOND, "Rp1.999.000", "Beli", "Stok ada", THIRD]
    assert body_of(html).body_text.split("\n\n") == kept

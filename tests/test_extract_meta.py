"""Metadata read from whole pages: headline, authors, dates, breadcrumbs, tags, links."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from scraper.extract.metadata import Metadata, extract_metadata
from scraper.extract.parse import parse_html

FETCHED = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)
URL = "https://gawaikita.id/2026/11/20/ponsel-lipat-murah-masuk-indonesia/"
HEADLINE = "Ponsel Lipat Murah Resmi Masuk Indonesia"
BODY = "<p>Produsen ponsel asal Tiongkok resmi memasarkan ponsel lipat di Indonesia.</p>" * 4


def page(head: str = "", body: str = "", lang: str = "id") -> str:
    if "<title>" not in head and 'property="og:title"' not in head:
        head = f"<title>{HEADLINE} - GawaiKita</title>{head}"
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
        f"<body>{body}</body></html>"
    )


def ld(data: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def meta_of(html: str, url: str = URL) -> Metadata:
    return extract_metadata(parse_html(html), url, fetched_at=FETCHED)


# --- title -------------------------------------------------------------------------------


def test_title_drops_site_suffix_and_prefers_the_visible_headline() -> None:
    html = page(
        f'<title>{HEADLINE} - GawaiKita.id</title><meta property="og:title" content="{HEADLINE} | GawaiKita">',
        f"<h1>{HEADLINE}</h1>{BODY}",
    )
    assert meta_of(html).title == HEADLINE


def test_title_keeps_punctuation_the_headline_shows_but_og_title_lost() -> None:
    shown = "IHSG Hari Ini: Sempat Tembus 9.000, Indeks Berbalik Melemah?"
    html = page(
        '<meta property="og:title" content="IHSG Hari Ini Sempat Tembus 9.000, Indeks Berbalik Melemah">',
        f"<h1>{shown}</h1>{BODY}",
    )
    assert meta_of(html).title == shown


def test_a_kicker_span_inside_the_h1_is_kept_apart_from_the_headline() -> None:
    html = page(
        '<meta property="og:title" content="Brücke wird teurer">',
        '<h1 class="headline"><span class="topline">Stadtrat</span> '
        f'<span class="headline-text">Neue Brücke wird deutlich teurer</span></h1>{BODY}',
        "de",
    )
    assert meta_of(html, "https://zeitung.example.de/a").title == (
        "Stadtrat: Neue Brücke wird deutlich teurer"
    )


def test_a_headline_shown_in_a_styled_block_anchors_the_date() -> None:
    html = page(
        f'<meta property="og:title" content="{HEADLINE}">',
        '<div class="side"><span class="date">Senin, 16 November 2026 08:00 WIB</span></div>'
        f'<div class="detail"><div class="big strong-text">{HEADLINE}</div>'
        f'<div class="date">Jumat, 20 November 2026, 13:16 WIB</div>{BODY}</div>',
    )
    meta = meta_of(html)
    assert (meta.title, meta.published_at) == (HEADLINE, "2026-11-20T13:16:00+07:00")


def test_headline_in_h2_when_the_only_h1_is_the_channel_logo() -> None:
    html = page(
        f'<meta property="og:title" content="{HEADLINE} - Gawaikita.id">',
        f'<h1 class="logo">Tekno</h1><div class="read"><h2>{HEADLINE}</h2>{BODY}</div>'
        "<h2>Berita Terpopuler</h2>",
    )
    meta = meta_of(html)
    assert meta.title == HEADLINE
    assert meta.headline_tag == "h2"


def test_headline_not_taken_from_a_teaser_link_of_the_same_story() -> None:
    html = page(
        f"<title>{HEADLINE} | GawaiKita</title>",
        f'<ul class="terbaru"><li><a class="judul" href="/x/">{HEADLINE}</a></li></ul>'
        f'<div class="jdl-foto">Galeri: {HEADLINE}</div>{BODY}',
    )
    assert meta_of(html).title == f"Galeri: {HEADLINE}"


def test_title_falls_back_to_cleaned_document_title() -> None:
    html = page(f"<title>{HEADLINE} - GawaiKita.id</title>", BODY)
    meta = meta_of(html)
    assert meta.title == HEADLINE
    assert meta.headline_tag is None


def test_site_prefix_with_colon_is_dropped() -> None:
    html = page(f'<meta property="og:title" content="GawaiKita.id: {HEADLINE}">', BODY)
    assert meta_of(html).title == HEADLINE


# --- links, language, tags ----------------------------------------------------------------


def test_canonical_image_description_are_absolute_and_clean() -> None:
    html = page(
        '<link rel="canonical" href="/2026/11/20/ponsel-lipat-murah-masuk-indonesia/">'
        '<meta property="og:image" content="/wp-content/uploads/lipat.jpg">'
        '<meta name="description" content="  Ponsel lipat\n murah.  ">',
        BODY,
    )
    meta = meta_of(html, URL + "?utm_source=fb")
    assert meta.canonical_url == URL
    assert meta.image == "https://gawaikita.id/wp-content/uploads/lipat.jpg"
    assert meta.description == "Ponsel lipat murah."


def test_og_url_is_the_canonical_when_no_link_rel() -> None:
    html = page(f'<meta property="og:url" content="{URL}">', BODY)
    assert meta_of(html, URL + "amp/").canonical_url == URL


def test_no_canonical_gives_none() -> None:
    assert meta_of(page("", BODY)).canonical_url is None


def test_language_from_lang_attribute_or_meta() -> None:
    assert meta_of(page("", BODY, lang="id-ID")).language == "id"
    assert (
        meta_of(
            page('<meta http-equiv="content-language" content="In-Id">', BODY, lang="")
        ).language
        == "id"
    )
    assert (
        meta_of(page('<meta property="og:locale" content="en_US">', BODY, lang="")).language == "en"
    )


def test_tags_split_on_commas_and_deduplicated() -> None:
    html = page(
        '<meta name="keywords" content="ponsel lipat, Samsung,samsung , harga ponsel">'
        '<meta property="article:section" content="Gadget">',
        BODY,
    )
    meta = meta_of(html)
    assert meta.tags == ["ponsel lipat", "Samsung", "harga ponsel"]
    assert meta.section == "Gadget"


def test_article_tags_win_over_keywords() -> None:
    html = page(
        '<meta property="article:tag" content="Ponsel">'
        '<meta property="article:tag" content="Lipat">'
        '<meta name="keywords" content="berita, teknologi, terbaru">',
        BODY,
    )
    assert meta_of(html).tags == ["Ponsel", "Lipat"]


# --- breadcrumbs --------------------------------------------------------------------------


def test_breadcrumbs_from_yoast_markup_keep_the_unlinked_title_crumb() -> None:
    html = page(
        "",
        '<nav aria-label="breadcrumbs"><p id="breadcrumbs"><span><span><a href="/">Home</a> » '
        '<span><a href="/category/berita-viral/">Berita Viral</a> » '
        f'<span class="breadcrumb_last" aria-current="page">{HEADLINE}</span></span></span></span></p></nav>'
        f"<h1>{HEADLINE}</h1>{BODY}",
    )
    assert meta_of(html).breadcrumbs == ["Home", "Berita Viral", HEADLINE]


def test_breadcrumb_separator_items_are_dropped() -> None:
    html = page(
        "",
        '<div class="bread-c"><ul><li><a href="/">Otomotif</a></li><li>/</li>'
        f'<li><a href="/news">News</a></li></ul></div><h1>{HEADLINE}</h1>{BODY}',
    )
    assert meta_of(html).breadcrumbs == ["Otomotif", "News"]


def test_breadcrumbs_from_microdata_list() -> None:
    items = "".join(
        f'<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">'
        f'<a itemprop="item" href="/{n.lower()}"><span itemprop="name">{n}</span></a></li>'
        for n in ("Home", "Tekno", "Gadget")
    )
    html = page(
        "", f'<ol itemscope itemtype="https://schema.org/BreadcrumbList">{items}</ol>{BODY}'
    )
    assert meta_of(html).breadcrumbs == ["Home", "Tekno", "Gadget"]


def test_breadcrumbs_from_jsonld_when_markup_has_none() -> None:
    crumbs = {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": 2,
                "name": "Berita Viral",
                "item": "https://gawaikita.id/bv/",
            },
            {"@type": "ListItem", "position": 1, "name": "Home", "item": "https://gawaikita.id/"},
        ],
    }
    html = page(ld({"@context": "https://schema.org", "@graph": [crumbs]}), BODY)
    assert meta_of(html).breadcrumbs == ["Home", "Berita Viral"]


def test_unmarked_link_trail_just_above_the_headline() -> None:
    html = page(
        "",
        '<div class="artikel"><ul class="kanal-map"><li><a href="https://gawaikita.id/">home</a></li>'
        '<li><a href="https://gawaikita.id/gaya/">gaya</a></li><li><a href="#">kesehatan</a></li></ul>'
        f"<h1>{HEADLINE}</h1>{BODY}</div>",
    )
    assert meta_of(html).breadcrumbs == ["home", "gaya", "kesehatan"]


def test_navigation_menu_is_not_a_breadcrumb() -> None:
    menu = "".join(
        f'<li><a href="/{w}/">{w.title()}</a></li>'
        for w in ("news", "gadget", "games", "sains", "tips", "video")
    )
    html = page("", f'<ul class="menu">{menu}</ul><h1>{HEADLINE}</h1>{BODY}')
    assert meta_of(html).breadcrumbs == []


# --- authors ------------------------------------------------------------------------------


def test_two_authors_joined_by_dan() -> None:
    html = page(
        "",
        f'<h1>{HEADLINE}</h1><div class="byline">Pewarta: <span>Budi Santoso dan Rudi H</span></div>{BODY}',
    )
    assert meta_of(html).authors == ["Budi Santoso", "Rudi H"]


def test_editor_credit_is_not_an_author() -> None:
    html = page(
        "",
        f"<h1>{HEADLINE}</h1>{BODY}<table><tr><td>Penulis</td><td>: Kontributor Malang, Rina Wulandari</td></tr>"
        "<tr><td>Editor</td><td>: Bayu Pratama</td></tr></table>",
    )
    assert meta_of(html).authors == ["Rina Wulandari"]


def test_byline_class_names_the_writer_but_a_comment_box_byline_does_not() -> None:
    html = page(
        "",
        f'<h1>{HEADLINE}</h1><div class="entry-meta"><span class="post-author">Rina Wulandari</span>'
        f'</div>{BODY}<ol class="comment-list"><li><div class="comment-author">Budi Santoso</div>'
        "<p>Mantap, semoga cepat masuk ke kota saya juga.</p></li></ol>",
    )
    assert meta_of(html).authors == ["Rina Wulandari"]


def test_editor_only_page_has_no_author() -> None:
    html = page("", f'<h2 class="jdl">{HEADLINE}</h2><div class="red">Red: Yudha Putra</div>{BODY}')
    assert meta_of(html, URL).authors == []


def test_jsonld_author_who_is_the_pages_editor_is_replaced_by_the_byline() -> None:
    data = {
        "@type": "NewsArticle",
        "headline": HEADLINE,
        "author": {"@type": "Person", "name": "Wulan"},
    }
    html = page(
        ld(data),
        f'<h1>{HEADLINE}</h1><div class="author-2">Wulan Kartikasari</div>{BODY}<p>Editor : Wulan</p>',
    )
    assert meta_of(html).authors == ["Wulan Kartikasari"]


def test_byline_site_suffix_url_and_site_name_are_dropped() -> None:
    html = page(
        '<meta property="og:site_name" content="GawaiKini">'
        '<meta property="article:author" content="https://www.facebook.com/gawaikini">',
        f'<h1>{HEADLINE}</h1><div class="author"><strong>Tegar Mahendra</strong> - GawaiKini</div>{BODY}',
    )
    assert meta_of(html).authors == ["Tegar Mahendra"]


def test_site_name_or_generic_account_is_not_an_author() -> None:
    html = page(
        '<meta property="og:site_name" content="Media Kita">',
        f'<h1>{HEADLINE}</h1><div class="author-2"> Media Kita</div>'
        f'<div class="postinfo">Posted on 20 Nov 2026 by Admin</div>{BODY}',
    )
    assert meta_of(html).authors == []


@pytest.mark.parametrize(
    ("credit", "expected"),
    [
        ("Penulis: Ahmad Fauzi (Antara)", ["Ahmad Fauzi"]),
        ("Penulis: Dewi Sari (ant)", ["Dewi Sari"]),
        ("Penulis: Ahmad Fauzi/Kompas.com", ["Ahmad Fauzi"]),
        ("Penulis: Tim Redaksi GawaiKita", []),
        ("Penulis: Tim CNN Indonesia", []),
        ("By The Associated Press", []),
        ("Penulis: Antara", []),
        ("By Reuters", []),
        ("By Tim Hardwick", ["Tim Hardwick"]),
    ],
)
def test_agency_after_a_name_is_dropped_and_teams_or_agencies_are_not_authors(
    credit: str, expected: list[str]
) -> None:
    html = page("", f'<h1>{HEADLINE}</h1><div class="byline">{credit}</div>{BODY}')
    assert meta_of(html).authors == expected


def test_oleh_label_with_bold_name_and_jsonld_list() -> None:
    html = page(
        "", f'<h1>{HEADLINE}</h1><div class="author">Oleh : <b>Sekar Ayuningtyas</b></div>{BODY}'
    )
    assert meta_of(html).authors == ["Sekar Ayuningtyas"]
    data = {
        "@type": "BlogPosting",
        "headline": HEADLINE,
        "author": [{"name": "Nur Aini"}, {"name": "Teguh Santoso"}],
    }
    assert meta_of(page(ld(data), f"<h1>{HEADLINE}</h1>{BODY}")).authors == [
        "Nur Aini",
        "Teguh Santoso",
    ]


def test_credit_after_the_date_on_one_line() -> None:
    html = page(
        "",
        f'<h1>{HEADLINE}</h1><div class="meta">Selasa, 20 Jan 2026 19:45 WIB · Oleh: Hendra Wijaya</div>{BODY}',
    )
    assert meta_of(html).authors == ["Hendra Wijaya"]


def test_prose_starting_with_by_or_oleh_is_not_a_credit() -> None:
    html = page(
        "",
        f"<h1>{HEADLINE}</h1><p>By then, the market had moved.</p>"
        f"<p>Oleh karena itu harga turun.</p>{BODY}",
    )
    assert meta_of(html).authors == []


@pytest.mark.parametrize("closing", ["SELAMAT MENCOBA", "SEMOGA BERMANFAAT", "LARAS WIDYANINGRUM"])
def test_a_closing_bold_capitals_line_is_never_an_author(closing: str) -> None:
    html = page(
        "",
        f"<div><h1>{HEADLINE}</h1><div class='isi'>{BODY}<p>Begitu caranya.<br><strong>{closing}</strong></p></div></div>",
    )
    assert meta_of(html).authors == []


@pytest.mark.parametrize(
    "headline",
    ["FOTO: Ponsel Baru Dirilis, Harganya Murah", "Oleh-oleh Khas Jakarta, Murah Meriah"],
)
def test_the_headline_is_never_read_as_a_credit(headline: str) -> None:
    html = page("", f"<div><div><h1>{headline}</h1></div>{BODY}</div>")
    assert meta_of(html).authors == []


@pytest.mark.parametrize(
    ("credit", "authors"),
    [
        ("Von Hanna Albrecht und Jonas Keller", ["Hanna Albrecht", "Jonas Keller"]),
        ("Oleh Dimas Pratama & Sari Lestari", ["Dimas Pratama", "Sari Lestari"]),
        ("By Mara Quinn, Theo Walsh", ["Mara Quinn", "Theo Walsh"]),
        ("Reporter: Yoga Saputra dan Intan Permata", ["Yoga Saputra", "Intan Permata"]),
        ("By Dan Whitfield", ["Dan Whitfield"]),
        ("<strong>Autorin/Autor</strong> Petra Lindqvist", ["Petra Lindqvist"]),
        ("<b>Penulis</b> Galang Prasetya", ["Galang Prasetya"]),
    ],
)
def test_writer_labels_are_stripped_and_joined_names_split(credit: str, authors: list[str]) -> None:
    html = page("", f'<h1>{HEADLINE}</h1><div class="byline">{credit}</div>{BODY}')
    assert meta_of(html).authors == authors


def test_interface_strings_and_photo_credits_in_a_byline_box_are_not_authors() -> None:
    html = page(
        "",
        f'<h1>{HEADLINE}</h1><div class="author-box"><span class="author-name">Nadia Ferris</span>'
        '<span class="author-follow">Follow</span></div>'
        '<div class="author">View author publications</div>'
        '<div class="byline">Found a mistake? Tell us</div>'
        f'{BODY}<figure><figcaption class="credit">Image: Harbour Pictures via Getty Images'
        "</figcaption></figure>",
    )
    assert meta_of(html).authors == ["Nadia Ferris"]


def test_bylines_of_teasers_for_other_stories_are_not_authors() -> None:
    teasers = "".join(
        f'<article class="teaser-box"><h3><a href="/s/{i}">Cerita lain nomor {i} tentang kota ini</a>'
        f'</h3><ul class="author-list"><li class="author-item">Penulis Lain {name}</li></ul></article>'
        for i, name in enumerate(["Arif", "Bunga", "Citra"])
    )
    html = page(
        "",
        f'<article><h1>{HEADLINE}</h1><ul class="author-list"><li class="author-item">'
        f'<a href="/penulis/nadia">Nadia Ferris</a></li></ul>{BODY}</article>'
        f'<section class="teaserSection">{teasers}</section>',
    )
    assert meta_of(html).authors == ["Nadia Ferris"]


@pytest.mark.parametrize(
    ("author", "agency"),
    [
        ({"@type": "Organization", "name": "dpa"}, ["dpa"]),
        ({"@type": "Person", "name": "Reuters"}, ["Reuters"]),
        ({"@type": "Person", "name": "Kabar Pagi Redaksi"}, ["Kabar Pagi Redaksi"]),
        ({"@type": "NewsMediaOrganization", "name": "Kabar Pagi"}, ["Kabar Pagi"]),
    ],
)
def test_a_credit_naming_only_an_agency_or_the_outlet_is_the_agency(
    author: dict[str, str], agency: list[str]
) -> None:
    data = {"@type": "NewsArticle", "headline": HEADLINE, "author": author,
            "publisher": {"@type": "Organization", "name": "Kabar Pagi"}}  # fmt: skip
    meta = meta_of(page(ld(data), f"<h1>{HEADLINE}</h1>{BODY}"))
    assert (meta.authors, meta.agency) == ([], agency)


def test_a_person_byline_beats_the_outlet_named_as_jsonld_author() -> None:
    data = {"@type": "NewsArticle", "headline": HEADLINE,
            "author": {"@type": "Organization", "name": "Kabar Pagi"},
            "publisher": {"@type": "Organization", "name": "Kabar Pagi"}}  # fmt: skip
    html = page(
        ld(data), f'<h1>{HEADLINE}</h1><span class="byline">Oleh Fajar Nugroho</span>{BODY}'
    )
    meta = meta_of(html)
    assert (meta.authors, meta.agency) == (["Fajar Nugroho"], [])


def test_tags_come_from_the_articles_tag_box_not_a_sidebar_cloud() -> None:
    html = page(
        "",
        f"<article><h1>{HEADLINE}</h1>{BODY}<footer><div class='post-source-tags'><ul>"
        "<li><span>TAGS</span></li><li><a href='/tag/ponsel-lipat/'>ponsel lipat</a></li>"
        "<li><a href='/tag/harga/'>harga</a></li></ul></div></footer></article>"
        "<aside class='widget'><div class='tagcloud'><a href='/tag/gim/'>gim</a>"
        "<a href='/tag/laptop/'>laptop</a></div></aside>",
    )
    assert meta_of(html).tags == ["ponsel lipat", "harga"]
    rel = page("", f"<h1>{HEADLINE}</h1>{BODY}<p>Tag: <a href='/t/5g/' rel='tag'>5G</a></p>")
    assert meta_of(rel).tags == ["5G"]


# --- dates --------------------------------------------------------------------------------


def test_jsonld_date_with_offset() -> None:
    data = {"@type": "NewsArticle", "headline": HEADLINE, "datePublished": "2026-11-20T08:15:00+07:00",
            "dateModified": "2026-11-20T09:00:00+07:00"}  # fmt: skip
    meta = meta_of(page(ld(data), f"<h1>{HEADLINE}</h1>{BODY}"))
    assert (meta.published_at, meta.modified_at) == (
        "2026-11-20T08:15:00+07:00",
        "2026-11-20T09:00:00+07:00",
    )
    assert (meta.date_source, meta.date_precision) == ("jsonld", "minute")
    assert meta.date_raw == "2026-11-20T08:15:00+07:00"


def test_wrong_z_on_local_time_is_read_as_wib_when_the_page_shows_wib() -> None:
    html = page(
        '<meta name="pubdate" content="2019-07-14 T08:41:27Z">',
        f'<h1>{HEADLINE}</h1><div class="date">Minggu, 14/07/2019 08:41 WIB</div>{BODY}',
    )
    meta = meta_of(html)
    assert meta.published_at == "2019-07-14T08:41:27+07:00"
    assert meta.date_source == "meta"


def test_real_utc_time_agreeing_with_the_shown_wib_time_is_kept() -> None:
    data = {"@type": "NewsArticle", "headline": HEADLINE, "datePublished": "2016-02-16T02:10:56Z"}
    html = page(ld(data), f"<h1>{HEADLINE}</h1><time>on 16 Feb 2016 at 09:10 WIB</time>{BODY}")
    published = datetime.fromisoformat(meta_of(html).published_at)
    assert published == datetime(2016, 2, 16, 2, 10, 56, tzinfo=UTC)


def test_created_time_matching_the_shown_time_wins_over_a_disagreeing_pubdate() -> None:
    html = page(
        '<meta name="pubdate" content="2018-03-27 T13:05:40Z"><meta itemprop="dateCreated" content="2018-03-27 T12:47:19Z">',
        f'<div class="date">Selasa, 27/03/2018 12:47 WIB</div><h1>{HEADLINE}</h1>{BODY}',
    )
    assert meta_of(html).published_at == "2018-03-27T12:47:19+07:00"


def test_visible_text_date_next_to_the_headline() -> None:
    html = page(
        "",
        f'<ul class="sidebar"><li><span class="date">Rabu, 18 Nov 2026 10:00 WIB</span></li></ul>'
        f'<div class="read"><h2>{HEADLINE}</h2><div class="kcm">Jumat, 20 November 2026 | 14:38 WIB</div>{BODY}</div>',
    )
    meta = meta_of(html)
    assert meta.published_at == "2026-11-20T14:38:00+07:00"
    assert (meta.date_source, meta.date_raw) == ("text", "Jumat, 20 November 2026 | 14:38 WIB")


def test_microdata_date_published_is_read_when_nothing_else_dates_the_page() -> None:
    url = "https://gawaikita.id/tekno/ponsel-lipat-murah-masuk-indonesia"
    html = page(
        "", f'{BODY}<p>Diterbitkan <span itemprop="datePublished">20/11/2026 08:15</span></p>'
    )
    meta = meta_of(html, url)
    assert meta.published_at == "2026-11-20T08:15:00+07:00"
    assert meta.date_source == "text"


def test_naive_meta_time_is_wib_and_wita_label_is_honoured() -> None:
    html = page(
        '<meta name="dtk:publishdate" content="2023/10/09 21:14:05">', f"<h1>{HEADLINE}</h1>{BODY}"
    )
    assert meta_of(html).published_at == "2023-10-09T21:14:05+07:00"
    html = page("", f"<h1>{HEADLINE}</h1><span>Senin, 2 Maret 2026 10:15 WITA</span>{BODY}")
    assert meta_of(html).published_at == "2026-03-02T10:15:00+08:00"


def test_a_structured_date_beats_relative_text() -> None:
    data = {"@type": "NewsArticle", "headline": HEADLINE, "datePublished": "2024-03-02T09:30:00Z"}
    html = page(ld(data), f"<h1>{HEADLINE}</h1><span class='time'>5 hours ago</span>{BODY}", "en")
    meta = meta_of(html, "https://quarterly.example.com/story")
    assert (meta.published_at, meta.date_source) == ("2024-03-02T09:30:00+00:00", "jsonld")
    html = page("", f"<h1>{HEADLINE}</h1><time datetime='2024-03-02T09:30:00+01:00'>"
                f"vor 2 Stunden</time><span>2 hours ago</span>{BODY}", "de")  # fmt: skip
    assert meta_of(html, "https://quarterly.example.com/story").published_at == (
        "2024-03-02T09:30:00+01:00"
    )


def test_a_time_without_zone_takes_the_offset_of_the_pages_own_timestamps() -> None:
    head = '<meta property="article:modified_time" content="2026-04-28T19:02:00+02:00">'
    body = f"<h1>{HEADLINE}</h1><div class='meta'>28.04.2026, 18:16 Uhr</div>{BODY}"
    meta = meta_of(page(head, body, "de"), "https://zeitung.example.de/a")
    assert meta.published_at == "2026-04-28T18:16:00+02:00"


def test_the_sites_time_zone_applies_when_the_page_states_none() -> None:
    from zoneinfo import ZoneInfo

    html = page(
        '<meta name="pubdate" content="2026-07-10 08:00:00">', f"<h1>{HEADLINE}</h1>{BODY}", "en"
    )
    tree = parse_html(html)
    meta = extract_metadata(tree, "https://x.example.com/a", fetched_at=FETCHED,
                            site_tz=ZoneInfo("Asia/Makassar"))  # fmt: skip
    assert meta.published_at == "2026-07-10T08:00:00+08:00"
    assert meta_of(html, "https://x.example.com/a").published_at == "2026-07-10T08:00:00+00:00"


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("April 3, 2026 10:15 AM EDT", "2026-04-03T10:15:00-04:00"),
        ("3 March 2026, 21:05 CET", "2026-03-03T21:05:00+01:00"),
        ("3 Maret 2026 09:40 WITA", "2026-03-03T09:40:00+08:00"),
        ("March 3, 2026 9:05 pm", "2026-03-03T21:05:00+00:00"),
    ],
)
def test_zone_abbreviations_and_twelve_hour_clocks_are_read(shown: str, expected: str) -> None:
    html = page("", f"<h1>{HEADLINE}</h1><div class='date'>{shown}</div>{BODY}", "en")
    assert meta_of(html, "https://x.example.com/a").published_at == expected


def test_a_video_running_time_beside_the_date_is_not_the_time_of_day() -> None:
    html = page("", f"<h1>{HEADLINE}</h1><div class='date'>28.04.2026 01:48 min</div>{BODY}", "de")
    meta = meta_of(html, "https://x.example.de/a")
    assert (meta.published_at, meta.date_precision) == ("2026-04-28T00:00:00+00:00", "day")


def test_english_story_of_an_indonesian_outlet_on_a_com_host_is_in_wib() -> None:
    story = (
        "<p>KABARKITA.CO, Jakarta - The ministry said on Monday that the new rules would apply"
        " to every online marketplace operating in the country from next year.</p>"
    )
    html = page('<meta name="pubdate" content="2026-02-09 14:20:00">',
                f"<h1>New Rules for Online Marketplaces</h1>{story}{BODY}", "en")  # fmt: skip
    meta = meta_of(html, "https://en.kabarkita.co/news/new-rules")
    assert meta.published_at == "2026-02-09T14:20:00+07:00"


def test_a_zoneless_time_matching_a_utc_timestamp_gives_the_pages_offset() -> None:
    data = {"@type": "NewsArticle", "headline": HEADLINE, "datePublished": "2026-03-05T17:00:00Z"}
    html = page(
        ld(data), f"<h1>{HEADLINE}</h1><p class='date'>05.03.2026, 18:00 Uhr</p>{BODY}", "de"
    )
    assert meta_of(html, "https://zeitung.example.de/a").published_at == "2026-03-05T18:00:00+01:00"


def test_a_zoned_structured_instant_beats_an_equally_naive_meta_time() -> None:
    data = {
        "@type": "NewsArticle",
        "headline": HEADLINE,
        "datePublished": "2026-08-30T00:55:49+00:00",
    }
    html = page(
        ld(data) + '<meta name="sailthru.date" content="2026-08-30 01:55:49">',
        f"<h1>{HEADLINE}</h1><p class='date'>30 August 2026 1:55am</p>{BODY}",
        "en",
    )
    published = meta_of(html, "https://paper.example.co.uk/a").published_at
    assert published == "2026-08-30T01:55:49+01:00"  # the same instant, in the page's clock


def test_when_the_headline_appears_twice_the_date_comes_from_the_articles_copy() -> None:
    html = page(
        "",
        f"<div class='latest-news'><h2>{HEADLINE}</h2><span>Senin, 16 November 2026 08:00 WIB</span>"
        f"</div><article><h2>{HEADLINE}</h2><div class='meta'>Jumat, 20 November 2026 14:05 WIB"
        f"</div>{BODY}</article>",
    )
    assert meta_of(html).published_at == "2026-11-20T14:05:00+07:00"


def test_relative_date_is_counted_from_fetch_time() -> None:
    html = page("", f"<h1>{HEADLINE}</h1><span class='time'>2 jam yang lalu</span>{BODY}")
    assert (
        meta_of(html, "https://gawaikita.id/ponsel-lipat/").published_at
        == "2026-11-25T10:00:00+07:00"
    )


def test_url_date_is_the_last_resort_with_day_precision() -> None:
    meta = meta_of(page("", f"<h1>{HEADLINE}</h1>{BODY}"))
    assert (meta.published_at, meta.date_source, meta.date_precision) == (
        "2026-11-20T00:00:00+07:00",
        "url",
        "day",
    )


def test_updated_line_is_the_modified_date_not_the_published_one() -> None:
    html = page(
        "",
        f"<h1>{HEADLINE}</h1><p>Diterbitkan 23 Des 2016, 19:00 WIB</p><p>Diperbarui 24 Des 2016, 10:00 WIB</p>{BODY}",
    )
    meta = meta_of(html, "https://gawaikita.id/ponsel-lipat/")
    assert meta.published_at == "2016-12-23T19:00:00+07:00"
    assert meta.modified_at == "2016-12-24T10:00:00+07:00"


@pytest.mark.parametrize(
    "line",
    [
        "Diperbarui 24 Des 2016, 10:00 WIB | Diterbitkan 23 Des 2016, 19:00 WIB",
        "Updated: 24/12/2016 10:00 WIB, Published: 23/12/2016 19:00 WIB",
    ],
)
def test_updated_and_published_in_one_line_are_told_apart(line: str) -> None:
    html = page("", f'<h1>{HEADLINE}</h1><div class="meta">{line}</div>{BODY}')
    meta = meta_of(html, "https://gawaikita.id/ponsel-lipat/")
    assert meta.published_at == "2016-12-23T19:00:00+07:00"
    assert meta.modified_at == "2016-12-24T10:00:00+07:00"


def test_updated_line_alone_still_gives_the_modified_date() -> None:
    html = page(
        "", f'<h1>{HEADLINE}</h1><div class="meta">Diperbarui 24 Des 2016, 10:00 WIB</div>{BODY}'
    )
    meta = meta_of(html, "https://gawaikita.id/ponsel-lipat/")
    assert meta.modified_at == "2016-12-24T10:00:00+07:00"


def test_relative_phrase_in_a_summary_is_not_the_publication_date() -> None:
    dek = '<p class="dek">Didirikan 3 tahun lalu, kini bernilai triliunan rupiah.</p>'
    url = "https://gawaikita.id/ponsel-lipat/"
    html = page("", f'<h1>{HEADLINE}</h1>{dek}<div class="byline">Senin, 2 Maret 2026</div>{BODY}')
    assert meta_of(html, url).published_at == "2026-03-02T00:00:00+07:00"
    assert meta_of(page("", f"<h1>{HEADLINE}</h1>{dek}{BODY}"), url).published_at is None


EN_BODY = "<p>{lead}The startup said the new funding round would pay for its expansion.</p>" + (
    "<p>The company plans to hire engineers and open two more offices next year.</p>" * 3
)


def test_english_page_from_an_indonesian_host_or_dateline_reads_naive_times_as_wib() -> None:
    byline = '<div class="byline">By Jane Doe | March 4, 2025, 10:30 pm</div>'
    plain = page("", f"<h1>{HEADLINE}</h1>{byline}{EN_BODY.format(lead='')}", lang="en")
    filed = page("", f"<h1>{HEADLINE}</h1>{byline}{EN_BODY.format(lead='JAKARTA - ')}", lang="en")
    assert meta_of(plain, "https://news.example.com/a").published_at == "2025-03-04T22:30:00+00:00"
    assert meta_of(plain, "https://gawaikita.id/a").published_at == "2025-03-04T22:30:00+07:00"
    assert meta_of(filed, "https://news.example.com/a").published_at == "2025-03-04T22:30:00+07:00"


def test_placeholder_structured_date_is_ignored() -> None:
    data = {"@type": "NewsArticle", "headline": HEADLINE, "datePublished": "0001-01-01T00:00:00Z"}
    meta = meta_of(
        page(ld(data), f"<h1>{HEADLINE}</h1>{BODY}"), "https://gawaikita.id/ponsel-lipat/"
    )
    assert meta.published_at is None


# --- robustness ---------------------------------------------------------------------------


def test_broken_jsonld_and_odd_values_do_not_raise() -> None:
    html = page(
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "'
        + HEADLINE
        + '",}</script>'
        '<script type="application/ld+json">[1, "x", {"@type": ["Article"], "author": [null, 3, {"name": 5}]}]</script>'
        '<script type="application/ld+json">not json at all</script>',
        f"<h1>{HEADLINE}</h1>{BODY}",
    )
    meta = meta_of(html)
    assert meta.title == HEADLINE
    assert meta.has_article_node


def test_naive_fetch_time_is_accepted() -> None:
    meta = extract_metadata(
        parse_html(page("", f"<h1>{HEADLINE}</h1>{BODY}")), URL, fetched_at=datetime(2026, 11, 25)
    )
    assert meta.published_at == "2026-11-20T00:00:00+07:00"

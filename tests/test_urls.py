"""URL canonicalisation and identity keys: every variant of an article maps to one row."""

from __future__ import annotations

import pytest

from scraper.urls import canonicalize, is_http, url_key, with_switch

ARTICLE = "https://tekno.kompas.com/read/2025/02/23/19000087/microsoft-rilis-chip"


@pytest.mark.parametrize(
    "variant",
    [
        ARTICLE + "?utm_source=WP&utm_medium=box&utm_campaign=x",
        ARTICLE + "?fbclid=abc123",
        ARTICLE + "?gclid=1&mtype=mpc.ctr.A",
        ARTICLE + "#komentar",
        ARTICLE + "?page=all",
        ARTICLE + "/amp",
        ARTICLE + "/amp/",
    ],
)
def test_tracking_fragments_amp_and_whole_article_switch_are_dropped(variant):
    assert canonicalize(variant).rstrip("/") == ARTICLE


def test_canonical_url_stays_a_working_url():
    url = canonicalize("HTTPS://WWW.Suara.COM:443/tekno/2024/12/17/132148/judul/?utm_source=x")
    assert url == "https://www.suara.com/tekno/2024/12/17/132148/judul/"


def test_meaningful_query_parameters_are_kept():
    assert canonicalize("https://x.id/indeks?page=2") == "https://x.id/indeks?page=2"
    assert canonicalize("https://wpremium.net/?p=4830") == "https://wpremium.net/?p=4830"


def test_amp_host_and_amp_path_prefix_are_folded():
    assert canonicalize("https://amp.suara.com/tekno/x") == "https://suara.com/tekno/x"
    assert (
        canonicalize("https://uzone.id/amp/3-hal-yang-diuji") == "https://uzone.id/3-hal-yang-diuji"
    )


@pytest.mark.parametrize(
    "variant",
    [
        "http://www.liputan6.com/tekno/read/5301926/hp-android",
        "https://liputan6.com/tekno/read/5301926/hp-android/",
        "https://m.liputan6.com/tekno/read/5301926/hp-android?utm_source=wa",
        "https://WWW.LIPUTAN6.COM:443/tekno/read/5301926/hp-android#atas",
    ],
)
def test_url_key_folds_scheme_www_mobile_host_slash_port_and_case(variant):
    assert url_key(variant) == "liputan6.com/tekno/read/5301926/hp-android"


def test_different_articles_keep_different_keys():
    assert url_key("https://x.id/berita-satu") != url_key("https://x.id/berita-dua")
    assert url_key("https://x.id/a?page=2") != url_key("https://x.id/a")


def test_site_path_switch_is_removed_only_when_given():
    assert canonicalize("https://inews.id/techno/x/all") == "https://inews.id/techno/x/all"
    assert canonicalize("https://inews.id/techno/x/all", "/all") == "https://inews.id/techno/x"


def test_with_switch_builds_the_whole_article_url():
    assert with_switch("https://x.id/a?id=1", "page=all") == "https://x.id/a?id=1&page=all"
    assert with_switch("https://x.id/a", "single=1") == "https://x.id/a?single=1"
    assert with_switch("https://x.id/a/", "/all") == "https://x.id/a/all"


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://x.id/a", "mailto:a@b.id", "javascript:void(0)", "/relatif"]
)
def test_non_http_urls_are_not_fetchable_and_left_alone(url):
    assert not is_http(url)
    assert canonicalize(url) == url.strip()

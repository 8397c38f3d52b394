"""The sites file: the shipped registry loads, and every mistake names its key."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from scraper.exceptions import ConfigError
from scraper.sites import load_sites, parse_sites

URLS_TSV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "urls.tsv"


def test_shipped_sites_load_with_the_required_entries():
    sites = load_sites()
    for key in ("wpremium", "detikinet", "kompastekno", "liputan6tekno", "suaratekno"):
        assert key in sites
        assert sites[key].start_urls and sites[key].article_patterns


def test_shipped_patterns_tell_articles_from_listings():
    sites = load_sites()
    assert sites["detikinet"].is_article_url(
        "https://inet.detik.com/cyberlife/d-7487354/google-tanggapi"
    )
    assert not sites["detikinet"].is_article_url("https://inet.detik.com/indeks?page=2")
    assert sites["kompastekno"].whole_article == "page=all"
    assert sites["wpremium"].is_article_url(
        "https://wpremium.net/xiaomi-dan-leica-dikabarkan-putus"
    )
    assert not sites["wpremium"].is_article_url(
        "https://wpremium.net/category/berita-viral/page/2/"
    )


@pytest.mark.skipif(not URLS_TSV.exists(), reason="shared corpus not present")
def test_shipped_patterns_match_real_article_urls_and_no_listing():
    sites = load_sites().values()
    with URLS_TSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    articles = [r["url"] for r in rows if r["kind"] == "article"]
    listings = [r["url"] for r in rows if r["kind"] == "listing"]
    matched = [u for u in articles if any(s.is_article_url(u) for s in sites)]
    assert len(matched) / len(articles) >= 0.8
    assert not [u for u in listings if any(s.is_article_url(u) for s in sites)]


def test_a_site_may_name_its_time_zone():
    text = '[sites.blog]\nname = "Blog"\nstart_urls = ["https://blog.example.id/"]\n'
    assert parse_sites(text)["blog"].timezone is None
    zoned = parse_sites(text + 'timezone = "Asia/Makassar"\n')["blog"]
    assert zoned.timezone == "Asia/Makassar"


def test_name_and_start_url_are_enough():
    site = parse_sites('[sites.blog]\nname = "Blog"\nstart_urls = ["https://blog.example.id/"]\n')[
        "blog"
    ]
    assert site.domains == ("blog.example.id",)
    assert site.is_article_url("https://blog.example.id/x") is None  # the page decides


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('start_urls = ["https://a.id/"]', "name is required"),
        ('name = "A"', "start_urls is required"),
        ('name = "A"\nstart_urls = "https://a.id/"', "start_urls must be a list"),
        ('name = "A"\nstart_urls = ["ftp://a.id/"]', "not an http(s) URL"),
        (
            'name = "A"\nstart_urls = ["https://a.id/"]\nmax_pages = 0',
            "max_pages must be a positive integer",
        ),
        (
            'name = "A"\nstart_urls = ["https://a.id/"]\nmax_pages = "10"',
            "max_pages must be a positive integer",
        ),
        (
            'name = "A"\nstart_urls = ["https://a.id/"]\narticle_patterns = ["(unclosed"]',
            "article_patterns has '(unclosed'",
        ),
        ('name = "A"\nstart_urls = ["https://a.id/"]\nmaxpages = 5', "unknown key 'maxpages'"),
        (
            'name = "A"\nstart_urls = ["https://a.id/"]\nwhole_article = "all please"',
            "whole_article",
        ),
        (
            'name = "A"\nstart_urls = ["https://a.id/"]\nallowed_domains = ["b.id"]',
            "outside allowed_domains",
        ),
        ('name = "A"\nstart_urls = ["https://a.id/"]\ntimezone = "WITA"', "IANA time zone"),
        ('name = "A"\nstart_urls = ["https://a.id/"]\ntimezone = "Asia/Nowhere"', "IANA"),
        ('name = "A"\nstart_urls = ["https://a.id/"]\ntimezone = 8', "IANA time zone"),
    ],
)
def test_invalid_entries_name_the_site_and_key(body, message):
    with pytest.raises(ConfigError) as err:
        parse_sites(f"[sites.foo]\n{body}\n")
    assert "[sites.foo]" in str(err.value) and message in str(err.value)


def test_broken_toml_and_missing_file_are_plain_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        parse_sites("[sites.foo\n")
    with pytest.raises(ConfigError, match="does not exist"):
        load_sites(tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match="defines no sites"):
        parse_sites("")

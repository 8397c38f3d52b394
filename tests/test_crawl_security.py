"""A crawl stays on its sites: the same host on another port is another server,
and a public site never sends the crawler to an internal address."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from scraper.sites import Site as SiteConfig
from spiders.middlewares import AddressGuard, forbidden_address
from tests.cli_helpers import ROOT
from tests.e2e_site import E2EServer, Site

FAST = [
    *("--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0"),
    *("--set", "ARSIP_RETRY_BACKOFF=0"),
]


class Neighbour(Site):
    """Another server on the same host (another port): every page an article."""

    def route(self, path: str, query: str, hits: Counter) -> tuple[int, dict, bytes]:
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"
        return 200, {"Content-Type": "text/html; charset=utf-8"}, self.article(path, 500)


class Pointing(Site):
    """The crawled site, whose pages point at the neighbour in every way a
    crawler can be led: links (one with user:pass@), a robots.txt Sitemap, a
    redirect and a meta refresh."""

    def __init__(self, other: str) -> None:
        super().__init__(n_articles=3, per_page=3)
        self.other = other

    def route(self, path: str, query: str, hits: Counter) -> tuple[int, dict, bytes]:
        html = {"Content-Type": "text/html; charset=utf-8"}
        other, netloc = self.other, self.other.split("//", 1)[1]
        if path == "/robots.txt":
            robots = f"User-agent: *\nSitemap: {other}/sitemap-tetangga.xml\n"
            return 200, {"Content-Type": "text/plain"}, robots.encode()
        if path == "/":
            status, headers, body = super().route(path, query, hits)
            links = (
                f'<a href="{other}/2026/01/tautan-biasa-ke-tetangga/">tetangga</a>'
                f'<a href="http://tamu:rahasia@{netloc}/2026/01/tautan-dengan-sandi/">sandi</a>'
                '<a href="/pindah/">pindah</a> <a href="/segarkan/">segarkan</a>'
            )
            return status, headers, body.replace(b"</main>", links.encode() + b"</main>", 1)
        if path == "/pindah/":
            return 302, {"Location": f"{other}/2026/01/dialihkan-ke-tetangga/"}, b""
        if path == "/segarkan/":
            refresh = f'<meta http-equiv="refresh" content="0; url={other}/2026/01/disegarkan/">'
            return 200, html, f"<html><head>{refresh}</head><body></body></html>".encode()
        return super().route(path, query, hits)


def test_same_host_on_another_port_is_never_fetched(tmp_path):
    db = tmp_path / "archive.db"
    with E2EServer(Neighbour()) as neighbour, E2EServer(Pointing("")) as server:
        server.site.other = neighbour.url
        sites = tmp_path / "sites.toml"
        sites.write_text(
            f'[sites.kabargawai]\nname = "Kabar Gawai"\nstart_urls = ["{server.url}/"]\n'
        )
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "scraper.cli",
                "crawl",
                "--sites",
                str(sites),
                "--db",
                str(db),
                *FAST,
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=180,
        )
        crawled = set(server.requests)
        reached = list(neighbour.requests)
    assert result.returncode == 0, result.stderr
    # The crawl did visit every page that points away, and archived the site.
    assert {"/", "/pindah/", "/segarkan/", "/robots.txt"} <= crawled
    with sqlite3.connect(db) as conn:
        urls = [u for (u,) in conn.execute("SELECT url FROM articles")]
    assert any("kabar-gawai-nomor-1" in u for u in urls)
    assert reached == []
    port = neighbour.url.rsplit(":", 1)[1]
    assert not [u for u in urls if f":{port}/" in u]


def _site(url: str) -> SiteConfig:
    return SiteConfig(key="situs", name="Situs", start_urls=(url,))


def _allows(guard: AddressGuard, url: str, site: SiteConfig) -> bool:
    return asyncio.run(guard.allows(url, site))


def _resolver(table: dict[str, str]):
    async def resolve(host: str) -> str | None:
        return table.get(host)

    return resolve


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "::1", "fd00::1",
     "fe80::1", "0.0.0.0", "::ffff:127.0.0.1"],
)  # fmt: skip
def test_internal_addresses_are_forbidden(address):
    assert forbidden_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::6810:84e5", "36.86.63.182"])
def test_public_addresses_are_not(address):
    assert not forbidden_address(address)


def test_public_site_never_reaches_an_internal_address_after_resolution():
    guard = AddressGuard(
        _resolver(
            {
                "berita.contoh.id": "93.184.216.34",
                "cdn.contoh.id": "93.184.216.35",
                "intranet.contoh.id": "10.0.0.7",  # a name of the site aimed inside
                "meta.contoh.id": "169.254.169.254",
            }
        )
    )
    site = _site("https://berita.contoh.id/")
    assert _allows(guard, "https://cdn.contoh.id/2026/01/artikel/", site)
    assert not _allows(guard, "https://intranet.contoh.id/admin/", site)
    assert not _allows(guard, "http://meta.contoh.id/latest/meta-data/", site)
    assert not _allows(guard, "http://127.0.0.1:8080/", site)
    assert not _allows(guard, "http://[::1]/", site)


def test_site_configured_on_an_internal_address_may_stay_there():
    guard = AddressGuard(_resolver({"lokal.test": "127.0.0.1"}))
    assert _allows(guard, "http://127.0.0.1:8000/2026/01/a/", _site("http://127.0.0.1:8000/"))
    assert _allows(guard, "http://lokal.test/a/", _site("http://lokal.test/"))


def test_unresolvable_host_is_left_to_fail_as_a_download_error():
    guard = AddressGuard(_resolver({"berita.contoh.id": "93.184.216.34"}))
    assert _allows(guard, "https://hilang.contoh.id/", _site("https://berita.contoh.id/"))


def test_config_with_ports_keeps_them(tmp_path: Path):
    site = SiteConfig(
        key="s", name="S", start_urls=("http://127.0.0.1:18700/",), allowed_domains=("127.0.0.1",)
    )
    assert site.domains == ("127.0.0.1:18700",) and site.hosts == ("127.0.0.1",)

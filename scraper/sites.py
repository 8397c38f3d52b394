"""The site registry: `sites.toml` loaded into `Site` records, validated key by key."""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scraper.exceptions import ConfigError, UsageError
from scraper.urls import host_of, is_http, origin, port_of, split_origin

logger = logging.getLogger(__name__)

DEFAULT_SITES = Path(__file__).with_name("sites.toml")


@dataclass(frozen=True)
class Site:
    key: str  # the table name: [sites.<key>]
    name: str
    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    article_patterns: tuple[str, ...] = ()
    follow_patterns: tuple[str, ...] = ()
    deny_patterns: tuple[str, ...] = ()
    max_pages: int | None = None
    # Extra query/path that asks the site for a whole multi-page article on one
    # page (e.g. "single=1", "page=all", "/all"): site knowledge, kept out of code.
    whole_article: str | None = None
    # IANA zone ("Asia/Makassar") for times the site prints without one and without ISO
    # timestamps on the page; None leaves it to the page (WIB for Indonesian pages, else UTC).
    timezone: str | None = None
    extra: dict = field(default_factory=dict, hash=False, compare=False)

    @cached_property
    def domains(self) -> tuple[str, ...]:
        """Hosts this site may fetch (configured, else the start URLs' hosts),
        each on the ports its configured URLs use: "host" for the default
        ports, "host:port" for another one. A server on another port of the
        same host is not this site."""
        hosts = self.allowed_domains or tuple(dict.fromkeys(host_of(u) for u in self.start_urls))
        urls = (*self.start_urls, *self.sitemaps, *self.feeds)
        out: list[str] = []
        for name in hosts:
            ports = {
                port_of(u) for u in urls if (h := host_of(u)) == name or h.endswith("." + name)
            }
            out.extend(origin(name, port) for port in sorted(ports or {None}, key=lambda p: p or 0))
        return tuple(dict.fromkeys(out))

    @cached_property
    def hosts(self) -> tuple[str, ...]:
        """The domains without ports."""
        return tuple(dict.fromkeys(split_origin(d)[0] for d in self.domains))

    def is_article_url(self, url: str) -> bool | None:
        """True/False when the site has article patterns, None when it leaves it to the page."""
        if not self.article_patterns:
            return None
        return any(re.search(p, url) for p in self.article_patterns)

    def is_followable(self, url: str) -> bool:
        """A non-article link worth following: allowed by follow patterns, not denied."""
        if any(re.search(p, url) for p in self.deny_patterns):
            return False
        return not self.follow_patterns or any(re.search(p, url) for p in self.follow_patterns)


_LIST_KEYS = (
    "start_urls",
    "allowed_domains",
    "sitemaps",
    "feeds",
    "article_patterns",
    "follow_patterns",
    "deny_patterns",
)
_URL_KEYS = ("start_urls", "sitemaps", "feeds")
_PATTERN_KEYS = ("article_patterns", "follow_patterns", "deny_patterns")
_KNOWN_KEYS = {"name", "max_pages", "whole_article", "timezone", "extra", *_LIST_KEYS}
_KEY_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)[a-z0-9-]+(?:\.[a-z0-9-]+)*$")


def valid_timezone(name: Any) -> bool:
    """An IANA zone name the system's tz database knows ("Asia/Jakarta", "Europe/Berlin")."""
    if not isinstance(name, str) or not name.strip() or name != name.strip():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _site(source: str, key: str, table: Any) -> Site:
    where = f"{source}: [sites.{key}]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table of settings.")
    if not _KEY_NAME.match(key):
        raise ConfigError(f"{where} has a name with characters other than letters, digits, _ . -")
    unknown = sorted(set(table) - _KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{where} has an unknown key {unknown[0]!r}.")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where} name is required and must be a non-empty string.")
    values: dict[str, tuple[str, ...]] = {}
    for list_key in _LIST_KEYS:
        value = table.get(list_key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ConfigError(f"{where} {list_key} must be a list of non-empty strings.")
        values[list_key] = tuple(v.strip() for v in value)
    if not values["start_urls"]:
        raise ConfigError(f"{where} start_urls is required and must list at least one URL.")
    for url_key in _URL_KEYS:
        for url in values[url_key]:
            if not is_http(url):
                raise ConfigError(f"{where} {url_key} has {url!r}, which is not an http(s) URL.")
    for pattern_key in _PATTERN_KEYS:
        for pattern in values[pattern_key]:
            try:
                re.compile(pattern)
            except (re.error, OverflowError, RecursionError) as exc:
                raise ConfigError(
                    f"{where} {pattern_key} has {pattern!r}, which is not a valid regex ({exc})."
                ) from None
    domains = tuple(d.lower().lstrip(".") for d in values["allowed_domains"])
    for domain in domains:
        if not _DOMAIN.match(domain):
            raise ConfigError(f"{where} allowed_domains has {domain!r}, which is not a host name.")
    for url in values["start_urls"] if domains else ():
        host = (urlsplit(url).hostname or "").lower()
        if not any(host == d or host.endswith("." + d) for d in domains):
            # Such a site would crawl nothing and report success every night.
            raise ConfigError(f"{where} start_urls has {url!r}, outside allowed_domains.")
    max_pages = table.get("max_pages")
    if max_pages is not None and (
        isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1
    ):
        raise ConfigError(f"{where} max_pages must be a positive integer.")
    whole = table.get("whole_article")
    if whole is not None and (
        not isinstance(whole, str) or not (whole.startswith("/") or re.match(r"^\w+=\w+$", whole))
    ):
        raise ConfigError(
            f'{where} whole_article must be a query like "page=all" or a path like "/all".'
        )
    tz = table.get("timezone")
    if tz is not None and not valid_timezone(tz):
        raise ConfigError(
            f'{where} timezone must be an IANA time zone name such as "Asia/Jakarta", got {tz!r}.'
        )
    extra = table.get("extra", {})
    if not isinstance(extra, dict):
        raise ConfigError(f"{where} extra must be a table.")
    return Site(
        key=key,
        name=name.strip(),
        start_urls=values["start_urls"],
        allowed_domains=domains,
        sitemaps=values["sitemaps"],
        feeds=values["feeds"],
        article_patterns=values["article_patterns"],
        follow_patterns=values["follow_patterns"],
        deny_patterns=values["deny_patterns"],
        max_pages=max_pages,
        whole_article=whole,
        timezone=tz,
        extra=extra,
    )


def parse_sites(text: str, source: str = "sites.toml") -> dict[str, Site]:
    """Validate the text of a sites file; raise ConfigError naming the bad key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source} is not valid TOML ({exc}).") from None
    unknown = sorted(set(data) - {"sites"})
    if unknown:
        raise ConfigError(
            f"{source} has an unknown top-level key {unknown[0]!r}; use [sites.<name>]."
        )
    sites = data.get("sites")
    if not isinstance(sites, dict) or not sites:
        raise ConfigError(f"{source} defines no sites; add at least one [sites.<name>] table.")
    return {key: _site(source, key, table) for key, table in sites.items()}


def load_sites(path: str | Path | None = None) -> dict[str, Site]:
    """Load and validate a sites file; raise ConfigError naming the bad key."""
    file = Path(path) if path is not None else DEFAULT_SITES
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"Sites file {str(file)!r} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Sites file {str(file)!r} cannot be read ({exc}).") from None
    sites = parse_sites(text, source=file.name)
    logger.debug("loaded %s sites from %s", len(sites), file)
    return sites


def select_sites(configured: dict[str, Site], only: Iterable[str] = ()) -> list[Site]:
    """The sites named with --site (all when none); an unknown name is a usage error."""
    only = tuple(only)
    unknown = [name for name in only if name not in configured]
    if unknown:
        known = ", ".join(sorted(configured)) or "none"
        raise UsageError(f"unknown site {unknown[0]!r}; configured sites: {known}.")
    return [configured[name] for name in only] if only else list(configured.values())

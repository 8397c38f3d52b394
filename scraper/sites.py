"""The site registry: `sites.toml` loaded into `Site` records, validated key by key."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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
    max_pages: int | None = None
    # Extra query/path that asks the site for a whole multi-page article on one
    # page (e.g. "single=1", "page=all"): site knowledge, kept out of code.
    whole_article: str | None = None
    extra: dict = field(default_factory=dict, hash=False, compare=False)


def load_sites(path: str | Path | None = None) -> dict[str, Site]:
    """Load and validate a sites file; raise ConfigError naming the bad key."""
    raise NotImplementedError

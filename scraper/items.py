"""The archive's record: one `Article` per article page, and the `Rejected` outcome."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, TypedDict


class Heading(TypedDict):
    level: int  # 2..6 (a bold-only pseudo heading counts as its nearest level, 3 by default)
    text: str


class ListItem(TypedDict):
    text: str
    children: list[ListItem]


class ListBlock(TypedDict):
    ordered: bool
    items: list[ListItem]


class Link(TypedDict):
    text: str
    url: str
    internal: bool


class Related(TypedDict):
    title: str
    url: str
    kind: str  # "baca_juga" (inline) | "terkait" (Artikel/Berita Terkait block) | "also_like" | ...


#: Field names and order of an exported record (users and tests rely on them).
EXPORT_FIELDS: tuple[str, ...] = (
    "url",
    "canonical_url",
    "site",
    "title",
    "description",
    "breadcrumbs",
    "section",
    "tags",
    "authors",
    "agency",
    "published_at",
    "modified_at",
    "language",
    "image",
    "body_text",
    "body_source",
    "headings",
    "lists",
    "links",
    "related",
    "word_count",
    "content_hash",
    "duplicate_of",
    "fetched_at",
)


@dataclass
class Article:
    """A structured article. Dates are ISO 8601 strings with an offset, or None."""

    url: str
    title: str
    canonical_url: str | None = None
    site: str | None = None
    description: str | None = None
    breadcrumbs: list[str] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    agency: list[str] = field(default_factory=list)  # news agency or outlet credited instead
    published_at: str | None = None
    modified_at: str | None = None
    date_source: str | None = None  # jsonld | meta | time | text | url
    date_raw: str | None = None  # the string the date was read from
    date_precision: str | None = None  # minute | day | month
    language: str | None = None
    image: str | None = None
    body_text: str = ""
    body_source: str | None = None  # container | fallback | structured (see docs/schema.md)
    blocks: list[dict[str, Any]] = field(default_factory=list)  # ordered h/p/list/quote/table
    headings: list[Heading] = field(default_factory=list)
    lists: list[ListBlock] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)  # "Halaman 2" links of a split article
    word_count: int = 0
    content_hash: str | None = None
    simhash: int | None = None
    duplicate_of: str | None = None
    fetched_at: str | None = None
    kind: str = "article"

    def to_dict(self, *, full: bool = False) -> dict[str, Any]:
        """The exported record (EXPORT_FIELDS order); `full` adds internal fields."""
        data = dataclasses.asdict(self)
        if full:
            return data
        return {name: data[name] for name in EXPORT_FIELDS}


@dataclass
class Rejected:
    """A page that is not an article, and why (a short reason code plus detail)."""

    url: str
    reason: str
    detail: str = ""
    kind: str = "not_article"

    def to_dict(self, *, full: bool = False) -> dict[str, Any]:
        return dataclasses.asdict(self)

"""Page metadata: title, dates, authors, breadcrumbs, tags, section, description."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import lxml.html


@dataclass
class Metadata:
    title: str | None = None
    canonical_url: str | None = None
    description: str | None = None
    image: str | None = None
    language: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    breadcrumbs: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    modified_at: str | None = None
    date_source: str | None = None
    date_raw: str | None = None
    date_precision: str | None = None
    # page-type signals used by classify(): JSON-LD @types, og:type
    jsonld_types: list[str] = field(default_factory=list)
    og_type: str | None = None


def extract_metadata(tree: lxml.html.HtmlElement, url: str, *, fetched_at: datetime) -> Metadata:
    """Read every metadata field from the untouched tree (stub: filled in by the extractor work)."""
    title = tree.findtext(".//title")
    return Metadata(title=title.strip() if title else None)

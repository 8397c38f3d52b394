"""The article body: clean text, ordered blocks, headings, lists, links, related links."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import lxml.html

from scraper.items import Heading, Link, ListBlock, Related


@dataclass
class Body:
    body_text: str = ""
    blocks: list[dict[str, Any]] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    lists: list[ListBlock] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    container_found: bool = False


def extract_body(tree: lxml.html.HtmlElement, url: str, *, title: str | None = None) -> Body:
    """Find the article container and walk it (stub: filled in by the extractor work)."""
    paras = [p.text_content().strip() for p in tree.iter("p")]
    return Body(body_text="\n\n".join(p for p in paras if p))

"""Is this page an article? Page signals first, then the shape of what was extracted."""

from __future__ import annotations

import lxml.html

from scraper.extract.body import Body
from scraper.extract.metadata import Metadata


def classify(tree: lxml.html.HtmlElement, url: str, meta: Metadata, body: Body) -> str | None:
    """None for an article, else a short reason code ("listing", "no_title", "no_body"...)."""
    if not meta.title:
        return "no_title"
    if not body.body_text.strip():
        return "no_body"
    return None

"""JSON-LD blocks of a page, parsed once and flattened into typed nodes."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from typing import Any

from lxml import etree

logger = logging.getLogger(__name__)

_LOWER_TYPE = str.maketrans("JSONLD", "jsonld")  # "application/LD+JSON" too
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CONTROL = re.compile(r"[\x00-\x1f]")

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "techarticle",
        "scholarlyarticle",
        "report",
        "liveblogposting",
        "socialmediaposting",
        "posting",
    }
)
LISTING_TYPES = frozenset(
    {"collectionpage", "itemlist", "searchresultspage", "website", "profilepage", "aboutpage"}
)


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        pass
    # Hand-written blocks often carry trailing commas or raw newlines in strings.
    cleaned = _TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", text))
    try:
        return json.loads(cleaned)
    except ValueError:
        logger.debug("unparsable JSON-LD block (%d chars)", len(text))
        return None


def _flatten(data: Any, out: list[dict[str, Any]], depth: int = 0) -> None:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            _flatten(item, out, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data:
            out.append(data)
        graph = data.get("@graph")
        if graph is not None:
            _flatten(graph, out, depth + 1)


def types_of(node: dict[str, Any]) -> list[str]:
    """The node's @type values, lower-cased, without a schema.org prefix."""
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return [str(v).rsplit("/", 1)[-1].lower() for v in values if v]


def parse_jsonld(scripts: Iterable[etree._Element]) -> list[dict[str, Any]]:
    """Every typed node from the page's JSON-LD blocks (among `scripts`), top-level and
    @graph members."""
    nodes: list[dict[str, Any]] = []
    for script in scripts:
        if "ld+json" not in (script.get("type") or "").translate(_LOWER_TYPE):
            continue
        text = (script.text or "").strip()
        if text:
            _flatten(_loads(text), nodes)
    return nodes


def article_node(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The node describing the article itself (the first with an article type)."""
    for node in nodes:
        if ARTICLE_TYPES.intersection(types_of(node)):
            return node
    # Some sites describe the article as a WebPage carrying a headline and dates.
    for node in nodes:
        if "webpage" in types_of(node) and node.get("headline") and node.get("datePublished"):
            return node
    return None


def text_values(value: Any) -> list[str]:
    """Names or strings from a JSON-LD value (string, object with name, or a list of them)."""
    out: list[str] = []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, str):
                out.append(name)
        elif isinstance(item, list):
            out.extend(text_values(item))
    return [" ".join(v.split()) for v in out if v and v.strip()]


def first_url(value: Any) -> str | None:
    """A URL from a JSON-LD image/url value (string, ImageObject, or list)."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str) and item.strip():
            return item.strip()
        if isinstance(item, dict):
            got = first_url(item.get("url") or item.get("contentUrl") or item.get("@id"))
            if got:
                return got
    return None


def breadcrumb_names(nodes: list[dict[str, Any]]) -> list[str]:
    """Crumb labels of the first BreadcrumbList, in position order."""
    for node in nodes:
        if "breadcrumblist" not in types_of(node):
            continue
        elements = node.get("itemListElement")
        if not isinstance(elements, list):
            continue
        crumbs: list[tuple[float, str]] = []
        for i, el in enumerate(elements):
            if not isinstance(el, dict):
                continue
            name = el.get("name")
            item = el.get("item")
            if not name and isinstance(item, dict):
                name = item.get("name")
            try:
                pos = float(el.get("position", i))
            except (TypeError, ValueError):
                pos = float(i)
            if isinstance(name, str) and name.strip():
                crumbs.append((pos, " ".join(name.split())))
        if crumbs:
            return [name for _, name in sorted(crumbs, key=lambda c: c[0])]
    return []

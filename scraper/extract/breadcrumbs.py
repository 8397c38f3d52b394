"""Breadcrumb trails ("Home > Berita Viral > ...") from markup, JSON-LD or a link trail."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree

from scraper.extract.parse import text_of

# No ":" here: an unlinked last crumb is often the headline, which may hold one.
_SEPARATOR = re.compile(r"\s*(?:[»>›/|→·•\\]|&gt;|&raquo;)+\s*")
_ONLY_SEPARATOR = re.compile(r"^[\s»>›/|→·•:\\\-–]*$")
_PREFIX = re.compile(r"^(you are here|anda di sini|anda berada di|lokasi)\s*:?\s*", re.I)
_SKIP = frozenset({"script", "style", "noscript", "template"})


def _clean(text: str) -> str:
    return " ".join(text.split())


def _walk(el: etree._Element, out: list[tuple[str, str]]) -> None:
    if el.tag in _SKIP or not isinstance(el.tag, str):
        return
    if el.tag == "a":
        out.append(("a", _clean(text_of(el))))
        return
    if el.text:
        out.append(("t", el.text))
    for child in el:
        _walk(child, out)
        if child.tail:
            out.append(("t", child.tail))


def crumbs_of(el: etree._Element) -> list[str]:
    """Crumb labels in order: link texts plus separator-split free text (the unlinked last crumb)."""
    parts: list[tuple[str, str]] = []
    _walk(el, parts)
    crumbs: list[str] = []
    for kind, text in parts:
        pieces = [text] if kind == "a" else _SEPARATOR.split(text)
        for piece in pieces:
            piece = _PREFIX.sub("", _clean(piece))
            if piece and not _ONLY_SEPARATOR.match(piece) and (not crumbs or crumbs[-1] != piece):
                crumbs.append(piece)
    return crumbs


def _plausible(crumbs: list[str]) -> bool:
    return 1 <= len(crumbs) <= 8 and all(len(c) <= 200 for c in crumbs)


def from_markup(candidates: list[etree._Element]) -> list[str]:
    """The first breadcrumb-marked element (class/id "bread...", BreadcrumbList, aria-label)."""
    for el in candidates:
        if len(el.xpath(".//a")) > 10:
            continue
        crumbs = crumbs_of(el)
        if _plausible(crumbs) and sum(len(c) for c in crumbs) < 400:
            return crumbs
    return []


def _is_root(href: str | None, url: str) -> bool:
    if not href:
        return False
    try:
        target = urlsplit(urljoin(url, href))
    except ValueError:
        return False
    return target.path in ("", "/") and not target.query


def _trail(el: etree._Element, url: str) -> list[str]:
    links = el.xpath(".//a")
    if not 2 <= len(links) <= 5:
        return []
    text = _clean(text_of(el))
    if len(text) > 120:
        return []
    crumbs = crumbs_of(el)
    if len(crumbs) != len(links) or any(len(c.split()) > 4 for c in crumbs):
        return []
    return crumbs if _is_root(links[0].get("href"), url) else []


def from_trail(headline: etree._Element | None, url: str) -> list[str]:
    """A short run of links starting at the home page just above the headline."""
    node = headline
    for _ in range(4):
        if node is None:
            return []
        sibling = node.getprevious()
        for _ in range(3):
            if sibling is None:
                break
            if isinstance(sibling.tag, str) and sibling.tag not in _SKIP:
                crumbs = _trail(sibling, url)
                if crumbs:
                    return crumbs
            sibling = sibling.getprevious()
        node = node.getparent()
    return []

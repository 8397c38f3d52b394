"""Lazily found element groups the metadata readers look at (headings, crumbs, bylines, dates)."""

from __future__ import annotations

import re
from functools import cached_property

import lxml.html
from lxml import etree


# Tests on the attribute axis (//@class[...]) run ~3x faster than on elements (//*[contains(
# @class, ...)]), which copy each attribute's text per test; and each group is its own small
# query, run only when a reader asks for it.
def _attr_query(attr: str, words: tuple[str, ...], equal: tuple[str, ...] = ()) -> str:
    tests = [f"contains(., '{w}')" for w in words] + [f". = '{w}'" for w in equal]
    return f"//@{attr}[{' or '.join(tests)}]/.."


_TITLE_CLASSED = etree.XPath(
    _attr_query("itemprop", (), ("headline",))
    + " | "
    + _attr_query("class", ("title", "Title", "jdl", "judul", "headline", "h5"))
)
# Relative (".//"): run on the whole tree or on the headline's surroundings.
_BREAD_CLASSED = etree.XPath(
    "."
    + _attr_query("class", ("bread", "Bread", "crumb"))
    + " | ."
    + _attr_query("id", ("bread", "crumb"))
)
_BREAD_MARKED = etree.XPath(
    "."
    + _attr_query("itemtype", ("BreadcrumbList",))
    + " | ."
    + _attr_query("aria-label", ("readcrumb",))
)
_AUTHOR_PROPS = etree.XPath(
    _attr_query("itemprop", (), ("author", "creator")) + " | " + _attr_query("rel", (), ("author",))
)
_BYLINE_CLASSED = etree.XPath(
    _attr_query("class", ("author", "Author", "byline", "penulis", "reporter", "writer"))
    + " | "
    + _attr_query("id", ("author",))
)
_DATE_CLASSED = etree.XPath(
    _attr_query(
        "class",
        ("date", "Date", "time", "tgl", "tanggal", "publish", "posted", "waktu", "schedule"),
    )
    + " | "
    + _attr_query("itemprop", (), ("datePublished",))
)
#: How far above the headline microdata/aria-marked trails are looked for (tagDiv themes put
#: the trail 7 levels up); the whole page costs another ~0.2 ms, mostly for nothing.
_CRUMB_LEVELS = 8
_COMMENT = re.compile(r"comment", re.I)
_NOT_CONTENT = frozenset({"body", "html", "meta", "script", "style", "link", "article"})


def _keep(elements: list[lxml.html.HtmlElement]) -> list[lxml.html.HtmlElement]:
    return [el for el in elements if el.tag not in _NOT_CONTENT]


class Scan:
    """Element groups of one page, each queried on first use and kept."""

    def __init__(self, tree: lxml.html.HtmlElement) -> None:
        self.tree = tree

    @cached_property
    def headings(self) -> list[lxml.html.HtmlElement]:
        """h1-h3 in document order (a tag walk: ~10x cheaper than an attribute query)."""
        return _keep(list(self.tree.iter("h1", "h2", "h3")))

    @cached_property
    def title_classed(self) -> list[lxml.html.HtmlElement]:
        """itemprop=headline and title-classed elements ("jdl-detail", "post-title"...)."""
        return _keep(_TITLE_CLASSED(self.tree))

    def breadcrumbs(self, headline: lxml.html.HtmlElement | None) -> list[lxml.html.HtmlElement]:
        """Breadcrumb-classed elements anywhere; BreadcrumbList/aria-marked ones near the headline."""
        found = _keep(_BREAD_CLASSED(self.tree))
        if found:
            return found
        scope = self.tree
        if headline is not None:
            scope = headline
            for _ in range(_CRUMB_LEVELS):
                parent = scope.getparent()
                if parent is None:
                    break
                scope = parent
        return _keep(_BREAD_MARKED(scope))

    @cached_property
    def author_props(self) -> list[lxml.html.HtmlElement]:
        return [el for el in _AUTHOR_PROPS(self.tree) if el.tag != "meta"]

    @cached_property
    def bylines(self) -> list[lxml.html.HtmlElement]:
        return [
            el
            for el in _keep(_BYLINE_CLASSED(self.tree))
            if not _COMMENT.search(el.get("class") or "")
        ]

    @cached_property
    def dates(self) -> list[lxml.html.HtmlElement]:
        return _keep(_DATE_CLASSED(self.tree))


def scan(tree: lxml.html.HtmlElement) -> Scan:
    """The page's lazily evaluated element groups."""
    return Scan(tree)

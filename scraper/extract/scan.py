"""Element groups the metadata readers look at (headings, crumbs, bylines, dates), found lazily."""

from __future__ import annotations

from functools import cached_property

from lxml import etree

from scraper.extract.marks import BREAD, BYLINE, COMMENT, DATE
from scraper.extract.survey import Survey


# Tests on the attribute axis (//@class[...]) run ~3x faster than on elements (//*[contains(
# @class, ...)]), which copy each attribute's text per test; and each group is its own small
# query, run only when a reader asks for it. Class and id names come from the survey instead.
def _attr_query(attr: str, words: tuple[str, ...], equal: tuple[str, ...] = ()) -> str:
    tests = [f"contains(., '{w}')" for w in words] + [f". = '{w}'" for w in equal]
    return f"//@{attr}[{' or '.join(tests)}]/.."


_TITLE_CLASSED = etree.XPath(
    _attr_query("itemprop", (), ("headline",))
    + " | "
    + _attr_query("class", ("title", "Title", "jdl", "judul", "headline"))
)
# Relative (".//"): run on the whole tree or on the headline's surroundings.
_BREAD_MARKED = etree.XPath(
    "."
    + _attr_query("itemtype", ("BreadcrumbList",))
    + " | ."
    + _attr_query("aria-label", ("readcrumb",))
)
_AUTHOR_PROPS = etree.XPath(
    _attr_query("itemprop", (), ("author", "creator")) + " | " + _attr_query("rel", (), ("author",))
)
_DATE_PROPS = etree.XPath(_attr_query("itemprop", (), ("datePublished",)))
#: How far above the headline microdata/aria-marked trails are looked for (tagDiv themes put
#: the trail 7 levels up); the whole page costs another ~0.2 ms, mostly for nothing.
_CRUMB_LEVELS = 8
_NOT_CONTENT = frozenset({"body", "html", "meta", "script", "style", "link", "article"})


def _kept(el: etree._Element) -> bool:
    return el.tag not in _NOT_CONTENT


def _keep(elements: list[etree._Element]) -> list[etree._Element]:
    return [el for el in elements if el.tag not in _NOT_CONTENT]


class Scan:
    """Element groups of one page, each queried on first use and kept."""

    def __init__(self, tree: etree._Element, page: Survey) -> None:
        self.tree = tree
        self.page = page

    @cached_property
    def headings(self) -> list[etree._Element]:
        """h1-h3 in document order, as the survey met them."""
        return _keep(self.page.tagged["h1"])

    @cached_property
    def title_classed(self) -> list[etree._Element]:
        """itemprop=headline and title-classed elements ("jdl-detail", "post-title"...)."""
        return _keep(_TITLE_CLASSED(self.tree))

    def breadcrumbs(self, headline: etree._Element | None) -> list[etree._Element]:
        """Breadcrumb-classed elements anywhere; BreadcrumbList/aria-marked ones near the headline."""
        found = _keep(self.page.marked(BREAD))
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
    def author_props(self) -> list[etree._Element]:
        return [el for el in _AUTHOR_PROPS(self.tree) if el.tag != "meta"]

    @cached_property
    def bylines(self) -> list[etree._Element]:
        return [el for el, m in self.page.marks if m & BYLINE and not m & COMMENT and _kept(el)]

    @cached_property
    def dates(self) -> list[etree._Element]:
        """Date-classed elements and itemprop=datePublished ones, in document order."""
        found = self.page.marked(DATE)
        props = _DATE_PROPS(self.tree)
        if props:
            wanted = set(found).union(props)
            found = [el for el in self.tree.iter(etree.Element) if el in wanted]
        return _keep(found)


def scan(tree: etree._Element, page: Survey) -> Scan:
    """The page's lazily evaluated element groups."""
    return Scan(tree, page)

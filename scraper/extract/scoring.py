"""Score paragraphs readability-style: what each element holds of prose, links and weight."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice

from lxml import etree

from scraper.extract.boilerplate import BOILER, CONTENT, HIDDEN, name_flags, names_of
from scraper.extract.survey import Survey

#: A paragraph shorter than this is a label or a menu item, not prose.
MIN_PARA = 25
#: Paragraphs scored per page: enough for any article; bounds time on dumps.
MAX_PARAGRAPHS = 5000
#: How many ancestors of a paragraph are checked for a boilerplate name.
BOX_DEPTH = 4
_BOX_TAGS_SKIPPED = frozenset({"aside", "footer", "nav", "form", "header"})


@dataclass
class Stats:
    """Prose, link text and paragraph scores of the elements that matter."""

    prose: dict[etree._Element, int] = field(default_factory=dict)
    links: dict[etree._Element, int] = field(default_factory=dict)
    score: dict[etree._Element, float] = field(default_factory=dict)
    #: Scores counting paragraphs in boilerplate-named boxes too: the fallback
    #: for pages that wrap their story in a misnamed box.
    score_all: dict[etree._Element, float] = field(default_factory=dict)
    #: Text length of each anchor read so far: candidates nest, and share their links.
    anchors: dict[etree._Element, int] = field(default_factory=dict)


_NESTS_PARAGRAPHS = frozenset({"td", "li", "blockquote", "dd"})
_TEXT = etree.XPath("normalize-space(.)", smart_strings=False)
_PROSE_TEXT = etree.XPath(
    ".//text()[not(ancestor::script or ancestor::style)]", smart_strings=False
)


def link_text(el: etree._Element, anchors: dict[etree._Element, int]) -> int:
    """Characters of link text under `el` (each link's text whitespace-collapsed)."""
    total = 0
    for a in el.iter("a"):
        n = anchors.get(a)
        if n is None:
            n = anchors[a] = len(_TEXT(a))
        total += n
    return total


def _credit(
    st: Stats, el: etree._Element, parent: etree._Element | None, length: int, boiler: bool
) -> None:
    """Give a paragraph's weight to its parent and half to its grandparent,
    as readability does, and its length to its own and every ancestor's prose.

    The parent is the paragraph's block: wrappers that hold nothing but the
    paragraph are passed through. Layouts that put each paragraph in its own
    div two or three levels deep would otherwise credit only those wrappers,
    never the ancestor the paragraphs share, and one paragraph would win.
    """
    if parent is None:
        return
    weight = 1.0 + min(length / 100.0, 3.0)
    parent = _block_of(parent)
    grand = parent.getparent()
    for score in (st.score_all,) if boiler else (st.score_all, st.score):
        score[parent] = score.get(parent, 0.0) + weight
        if grand is not None:
            score[grand] = score.get(grand, 0.0) + weight / 2
    prose = st.prose
    node: etree._Element | None = el
    while node is not None:
        prose[node] = prose.get(node, 0) + length
        node = node.getparent()


def _block_of(parent: etree._Element) -> etree._Element:
    """The nearest ancestor from `parent` up that holds more than one child or
    text of its own: a chain of single-child wrappers is one block."""
    node = parent
    while len(node) == 1 and node.tag not in ("body", "html") and _bare(node):
        up = node.getparent()
        if up is None:
            break
        node = up
    return node


def _in_link(el: etree._Element) -> bool:
    """Whether the element is (inside) a link."""
    node: etree._Element | None = el
    while node is not None:
        if node.tag == "a":
            return True
        node = node.getparent()
    return False


def _in_boilerplate(start: etree._Element | None) -> bool:
    """Whether a paragraph's box (`start` and a few ancestors) is a comment,
    sidebar or widget box.

    Only the nearest few ancestors count: page-wide wrappers far above carry
    names like "has-sidebar" that say nothing about the paragraph.
    """
    node = start
    for _ in range(BOX_DEPTH):
        if node is None or node.tag in ("body", "html"):
            return False
        if node.tag in _BOX_TAGS_SKIPPED:
            return True
        names = names_of(node)
        if names:
            flags = name_flags(names)
            if flags & CONTENT:
                return False
            if flags & (BOILER | HIDDEN):
                return True
        node = node.getparent()
    return False


def _bare(el: etree._Element) -> bool:
    """Whether an element with one child has no text of its own around it."""
    own = el.text
    tail = el[0].tail
    return (not own or own.isspace()) and (not tail or tail.isspace())


def measure(found: Survey) -> Stats:
    """Paragraph scores and prose, reading each paragraph the survey met once."""
    st = Stats()
    # Paragraphs share their boxes: each box is judged once.
    boxes: dict[etree._Element, bool] = {}
    linking: dict[etree._Element, bool] = {}
    for el in islice(found.paragraphs, MAX_PARAGRAPHS):
        if len(el) == 1 and el[0].tag == "a" and _bare(el):
            continue  # a menu or teaser item: one link and nothing else
        text = _TEXT(el)
        if len(text) < MIN_PARA:
            continue
        if next(el.iter("script", "style"), None) is not None:
            # Code is not prose: an ad slot's script inside a list item would
            # make a sponsored-links list outweigh the story.
            text = " ".join("".join(_PROSE_TEXT(el)).split())
            if len(text) < MIN_PARA:
                continue
        if el.tag in _NESTS_PARAGRAPHS and next(el.iterdescendants("p"), None) is not None:
            continue  # its own <p>s are counted instead
        linked = link_text(el, st.anchors)
        para = len(text) - linked
        if para >= MIN_PARA and linked <= 0.5 * len(text):
            parent = el.getparent()
            inside = linking.get(parent)
            if inside is None:
                inside = linking[parent] = _in_link(parent)
            if inside:
                continue  # a teaser card's summary inside its link
            boiler = boxes.get(parent)
            if boiler is None:
                boiler = boxes[parent] = _in_boilerplate(parent)
            _credit(st, el, parent, para, boiler)
    for holder, length in found.loose:
        # A teaser card's summary sits inside its link: link text, not prose.
        if not _in_link(holder):
            _credit(st, holder, holder, length, _in_boilerplate(holder))
    return st

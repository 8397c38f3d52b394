"""One pass over the page collecting what the metadata and body extractors look up later."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

from lxml import etree

from scraper.extract.boilerplate import FEED, NAME_FLAGS, RELATED, name_flags
from scraper.extract.marks import CLASS_MARKS, ID_MARKS, class_marks, id_marks

#: Wrappers whose direct text is prose when long: portals that write the body
#: as text and <br> straight into a div or span.
LOOSE_TAGS = frozenset({"div", "span", "font", "section", "article", "center", "td"})
#: Tags whose text counts as a paragraph when scoring containers.
PARA_TAGS = frozenset({"p", "pre", "blockquote", "td", "li", "h2", "h3", "h4", "dd"})
#: Box titles and labels are short; longer runs are never checked.
MAX_LABEL = 120
#: A direct text run at least this long counts as a paragraph of its wrapper.
MIN_LOOSE = 80
#: Elements surveyed per page: real pages have a few thousand; past this the
#: rest of a dump is not looked at for boxes and labels.
MAX_ELEMENTS = 60_000
_SKIPPED = frozenset({"script", "style", "noscript", "template", "textarea", "option", "select"})
#: Tags no reader wants anything from: not even their class (metadata drops them too).
_NOTHING = frozenset({"script", "style", "meta", "link"})
#: The same in the body, where a <link> or <meta> may still name a related box.
_NOTHING_HERE = frozenset({"script", "style"})
#: Tags the metadata readers list (Survey.tagged) and those the walk stops at first.
GATHERED = ("meta", "link", "script", "title", "time", "h1", "h2", "h3")
_FIRST_LOOK = frozenset(GATHERED) | _NOTHING
#: Cheap first cut on lower-cased short texts; related.py decides exactly.
_LABEL_WORDS = re.compile(
    r"juga|terkait|relat|lainnya|also|rekomend|lewatkan|popul|trend|terbaru|terkini|latest|"
    r"recommend|most|terhangat|headline|pilihan|pick|top|komentar|baca ?:"
)


def _tag_lists() -> dict[str, list[etree._Element]]:
    headings: list[etree._Element] = []
    return {tag: [] for tag in GATHERED} | dict.fromkeys(("h1", "h2", "h3"), headings)


@dataclass
class Survey:
    """Named boxes, short labels, loose text runs, marked and tagged elements, in document order."""

    related: list[etree._Element] = field(default_factory=list)
    feeds: list[etree._Element] = field(default_factory=list)
    #: (element holding the text, the lower-cased text)
    labels: list[tuple[etree._Element, str]] = field(default_factory=list)
    #: (wrapper, length of the stripped run)
    loose: list[tuple[etree._Element, int]] = field(default_factory=list)
    #: Elements whose text is a paragraph when it is long enough.
    paragraphs: list[etree._Element] = field(default_factory=list)
    #: Every body element surveyed, in document order.
    elements: list[etree._Element] = field(default_factory=list)
    #: (element, mask of marks.BREAD/BYLINE/DATE/COMMENT) for the whole page, head included.
    marks: list[tuple[etree._Element, int]] = field(default_factory=list)
    #: The page's elements of each GATHERED tag in document order (h1-h3 share one list).
    tagged: dict[str, list[etree._Element]] = field(default_factory=_tag_lists)

    def marked(self, mask: int) -> list[etree._Element]:
        """Elements whose class or id carries any of `mask`'s marks, in document order."""
        return [el for el, m in self.marks if m & mask]


def survey(tree: etree._Element) -> Survey:
    """Survey a parsed page: its body for both extractors, the rest for the metadata.

    Past MAX_ELEMENTS a part of the page is not surveyed: real pages are far smaller.
    """
    out = Survey()
    body = tree.find("body")
    if body is None:
        _walk(tree, out)
        return out
    for child in tree:
        if child is body:
            _walk(body, out)
        elif isinstance(child.tag, str):
            _mark(child, out)
    return out


def _mark(root: etree._Element, out: Survey) -> None:
    """Tags and marks only, for the head: its elements are never body text."""
    marks, gather = out.marks, out.tagged.get
    for el in islice(root.iter(etree.Element), MAX_ELEMENTS):
        tag = el.tag
        bucket = gather(tag)
        if bucket is not None:
            bucket.append(el)
        if tag in _NOTHING:
            continue
        cls = el.get("class")
        ident = el.get("id")
        mark = (class_marks(cls) if cls else 0) | (id_marks(ident) if ident else 0)
        if mark:
            marks.append((el, mark))


def _walk(root: etree._Element, out: Survey) -> None:
    """Walk every element once; separate XPath passes cost a tree walk each.

    The loop body is kept flat on purpose: it runs for every element of every
    page, and a function call per element costs more than the checks.
    """
    related, feeds, labels, loose = out.related, out.feeds, out.labels, out.loose
    paragraphs, marks, gathered = out.paragraphs, out.marks, out.tagged
    cached = NAME_FLAGS.get
    cached_class = CLASS_MARKS.get
    cached_id = ID_MARKS.get
    words = _LABEL_WORDS.search
    # Holding every element's proxy for the whole extraction lets the later
    # passes reuse them: lxml builds a proxy on each visit to an element that
    # no Python object holds.
    out.elements = list(islice(root.iter(etree.Element), MAX_ELEMENTS))
    for el in out.elements:
        tag = el.tag
        if tag in _FIRST_LOOK:
            bucket = gathered.get(tag)
            if bucket is not None:
                bucket.append(el)
            if tag in _NOTHING_HERE:
                continue
        cls = el.get("class")
        ident = el.get("id")
        if cls or ident:
            mark = 0
            if cls:
                mark = cached_class(cls)
                if mark is None:
                    mark = class_marks(cls)
            if ident:
                found = cached_id(ident)
                mark |= id_marks(ident) if found is None else found
            if mark:
                marks.append((el, mark))
            if tag in _SKIPPED:
                continue
            names = f"{cls} {ident}" if cls and ident else cls or ident
            flags = cached(names)
            if flags is None:
                flags = name_flags(names)
            if flags & (RELATED | FEED):
                if flags & RELATED:
                    related.append(el)
                if flags & FEED:
                    feeds.append(el)
        elif tag in _SKIPPED:
            continue
        if tag in PARA_TAGS:
            paragraphs.append(el)
        text = el.text
        if text:
            n = len(text)
            if n >= MIN_LOOSE:
                n = len(text.strip())
                if n >= MIN_LOOSE and tag in LOOSE_TAGS:
                    loose.append((el, n))
                elif 3 < n < MAX_LABEL and words(text.lower()):
                    labels.append((el, text.lower()))
            elif n > 3 and not text.isspace():
                low = text.lower()
                if words(low):
                    labels.append((el, low))
        tail = el.tail
        if tail:
            n = len(tail)
            if n >= MIN_LOOSE:
                n = len(tail.strip())
                if n >= MIN_LOOSE:
                    parent = el.getparent()
                    if parent is not None and parent.tag in LOOSE_TAGS:
                        loose.append((parent, n))
                elif 3 < n < MAX_LABEL and words(tail.lower()):
                    parent = el.getparent()
                    if parent is not None:
                        labels.append((parent, tail.lower()))
            elif n > 3 and not tail.isspace():
                low = tail.lower()
                if words(low):
                    parent = el.getparent()
                    if parent is not None:
                        labels.append((parent, low))

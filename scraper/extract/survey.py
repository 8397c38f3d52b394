"""One pass over the page body collecting what the body extractor looks up later."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

from lxml import etree

from scraper.extract.boilerplate import FEED, NAME_FLAGS, RELATED, name_flags

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
#: Cheap first cut on lower-cased short texts; related.py decides exactly.
_LABEL_WORDS = re.compile(
    r"juga|terkait|relat|lainnya|also|rekomend|lewatkan|popul|trend|terbaru|terkini|latest|"
    r"recommend|most|terhangat|headline|pilihan|pick|top|komentar"
)


@dataclass
class Survey:
    """Named boxes, short labels and loose text runs, in document order."""

    related: list[etree._Element] = field(default_factory=list)
    feeds: list[etree._Element] = field(default_factory=list)
    #: (element holding the text, the lower-cased text)
    labels: list[tuple[etree._Element, str]] = field(default_factory=list)
    #: (wrapper, length of the stripped run)
    loose: list[tuple[etree._Element, int]] = field(default_factory=list)
    #: Elements whose text is a paragraph when it is long enough.
    paragraphs: list[etree._Element] = field(default_factory=list)
    #: Every element surveyed, in document order.
    elements: list[etree._Element] = field(default_factory=list)


def survey(root: etree._Element) -> Survey:
    """Walk every element once; separate XPath passes cost a tree walk each.

    The loop body is kept flat on purpose: it runs for every element of every
    page, and a function call per element costs more than the checks.
    """
    out = Survey()
    related, feeds, labels, loose = out.related, out.feeds, out.labels, out.loose
    paragraphs = out.paragraphs
    cached = NAME_FLAGS.get
    words = _LABEL_WORDS.search
    # Holding every element's proxy for the whole extraction lets the later
    # passes reuse them: lxml.html builds each proxy through a Python class
    # lookup, a cost paid once per element instead of once per visit.
    out.elements = list(islice(root.iter(etree.Element), MAX_ELEMENTS))
    for el in out.elements:
        tag = el.tag
        if tag in _SKIPPED:
            continue
        if tag in PARA_TAGS:
            paragraphs.append(el)
        cls = el.get("class")
        ident = el.get("id")
        if cls or ident:
            names = f"{cls} {ident}" if cls and ident else cls or ident
            flags = cached(names)
            if flags is None:
                flags = name_flags(names)
            if flags & (RELATED | FEED):
                if flags & RELATED:
                    related.append(el)
                if flags & FEED:
                    feeds.append(el)
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
    return out

"""One pass over the page body collecting what the body extractor looks up later."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from scraper.extract.boilerplate import FEED, RELATED, name_flags

#: Wrappers whose direct text is prose when long: portals that write the body
#: as text and <br> straight into a div or span.
LOOSE_TAGS = frozenset({"div", "span", "font", "section", "article", "center", "td"})
#: A direct text run at least this long counts as a paragraph of its wrapper.
MIN_LOOSE = 80
#: Box titles and labels are short; longer runs are never checked.
MAX_LABEL = 120
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


def _label(text: str) -> str | None:
    n = len(text)
    if n < 4 or n > MAX_LABEL or text.isspace():
        return None
    low = text.lower()
    return low if _LABEL_WORDS.search(low) else None


def survey(root: etree._Element) -> Survey:
    """Walk every element once; separate XPath passes cost a tree walk each."""
    out = Survey()
    related, feeds, labels, loose = out.related, out.feeds, out.labels, out.loose
    for el in root.iter(etree.Element):
        tag = el.tag
        if tag in _SKIPPED:
            continue
        cls = el.get("class")
        ident = el.get("id")
        if cls or ident:
            flags = name_flags(f"{cls} {ident}" if cls and ident else cls or ident)
            if flags & RELATED:
                related.append(el)
            if flags & FEED:
                feeds.append(el)
        text = el.text
        if text:
            if len(text) >= MIN_LOOSE and tag in LOOSE_TAGS:
                n = len(text.strip())
                if n >= MIN_LOOSE:
                    loose.append((el, n))
            else:
                low = _label(text)
                if low is not None:
                    labels.append((el, low))
        tail = el.tail
        if tail:
            if len(tail) >= MIN_LOOSE:
                parent = el.getparent()
                n = len(tail.strip())
                if parent is not None and parent.tag in LOOSE_TAGS and n >= MIN_LOOSE:
                    loose.append((parent, n))
            else:
                low = _label(tail)
                if low is not None:
                    parent = el.getparent()
                    if parent is not None:
                        labels.append((parent, low))
    return out

"""Walk an article container in reading order and emit paragraph, heading, list, quote and table blocks."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from scraper.extract.boilerplate import boiler_reason, is_boiler_line
from scraper.extract.xpaths import (
    BACA_JUGA,
    BACA_LABEL,
    BLOCK_TAGS,
    BOLD_TAGS,
    HEADING_TAGS,
    LINK_LABEL,
    RELATED_TITLE,
)

logger = logging.getLogger(__name__)

#: Deeper than this, a subtree is read as flat text: no page nests prose that
#: deep, and the walk must not run out of stack on hostile markup.
MAX_DEPTH = 120
#: Longest bold-only line still read as a sub-heading.
MAX_PSEUDO_HEADING = 90
#: No article has more blocks than this; a page that does is a dump, and
#: walking it all would cost seconds and megabytes per page.
MAX_BLOCKS = 3000
#: A line at least this much link text is a link line (see body._tidy).
LINKED_LINE = 0.9
#: Share of link text that makes a "teaser" box another story's teaser.
TEASER_LINKED = 0.5
_BR = object()


#: A run of inline text and whether it is bold and/or inside a link. A plain
#: tuple: a NamedTuple's constructor costs ~4x more, once per text run.
Piece = tuple[str, bool, bool]


_STYLABLE = frozenset({"p", "div", "span"})
# A paragraph styled as a section heading instead of marked up as one: inline bold, or a
# class that names a sub-heading ("subhead", "sub-judul", "intertitle", "zwischentitel"; not
# "subtitle"/"subheadline", which usually name the deck under the headline).
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.I)
_HEADING_CLASS = re.compile(
    r"(?<![a-z])(?:sub-?head(?:ing)?|sub-?judul|inter-?title|zwischen-?titel|section-?title|"
    r"crosshead)(?![a-z])",
    re.I,
)


def _styled_heading(el: etree._Element) -> bool:
    """Bold by inline style, or classed as a sub-heading: read like <strong> text, so a short
    unpunctuated line of it followed by prose becomes a (pseudo) heading."""
    style = el.get("style")
    if style and _BOLD_STYLE.search(style):
        return True
    cls = el.get("class")
    return bool(cls and _HEADING_CLASS.search(cls))


@dataclass
class Walk:
    """The walker's output: blocks in order plus the links met inside them."""

    base_url: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    _buf: list[Any] = field(default_factory=list)
    _buf_links: list[tuple[str, str]] = field(default_factory=list)
    prose: dict[etree._Element, int] = field(default_factory=dict)
    guard: int = 1 << 30
    _quote: int = 0
    _after_label: bool = False

    # -- inline buffer -------------------------------------------------------

    def add(self, text: str | None, bold: bool, link: bool) -> None:
        if text:
            self._buf.append((text, bold, link))

    def flush(self) -> None:
        """Close the open paragraph: each <br>-separated line becomes a block."""
        if not self._buf:
            return
        line: list[Piece] = []
        lines: list[list[Piece]] = []
        for item in self._buf:
            if item is _BR:
                lines.append(line)
                line = []
            else:
                line.append(item)
        lines.append(line)
        links = self._buf_links
        self._buf, self._buf_links = [], []
        kept = False
        for pieces in lines:
            kept |= self._emit_line(pieces)
        if kept:
            self.links.extend(links)

    def _emit_line(self, pieces: list[Piece]) -> bool:
        text = " ".join("".join(p[0] for p in pieces).split())
        if not text:
            return False
        low = text.lower()
        if BACA_JUGA.match(low):
            # A bare "Baca juga:" label introduces the next list or line of links.
            self._after_label = len(text) <= 14
            return False
        if is_boiler_line(low):
            return False
        solid = [(run, bold, link) for run, bold, link in pieces if run.strip()]
        linked = sum(len(run.strip()) for run, _, link in solid if link)
        if (label := BACA_LABEL.match(low)) and linked >= 0.8 * (len(text) - label.end()):
            # "Baca: <link>" (or a bare "Baca:" over a line of links) is a related pick.
            self._after_label = label.end() == len(text)
            return False
        if RELATED_TITLE.match(low) or LINK_LABEL.match(low):
            self._after_label = True  # a related box's title, its links follow
            return False
        if self._after_label and linked >= 0.8 * len(text):
            return False  # still in the links under a "Baca juga" label
        self._after_label = False
        kind = "quote" if self._quote else "paragraph"
        if (
            not self._quote
            and all(bold for _, bold, _ in solid)
            and len(text) <= MAX_PSEUDO_HEADING
            and not text.endswith((".", ",", ";"))
            and linked < len(text)
        ):
            self.blocks.append({"type": "heading", "level": 0, "text": text, "pseudo": True})
        else:
            block = {"type": kind, "text": text}
            if linked >= LINKED_LINE * len(text):
                block["linked"] = True  # tidy() drops trailing runs of link lines
            self.blocks.append(block)
        return True

    # -- tree walk ---------------------------------------------------------

    def walk(
        self, el: etree._Element, depth: int = 0, bold: bool = False, link: bool = False
    ) -> None:
        if len(self.blocks) >= MAX_BLOCKS:
            raise _Full
        tag = el.tag
        if depth > MAX_DEPTH:
            self.add(" ".join(el.itertext()), bold, link)
            return
        # A box named like boilerplate that holds most of the story is a
        # misnamed wrapper ("field-label-hidden", "widget-container"): keep it.
        if boiler_reason(el) is not None and self.prose.get(el, 0) < self.guard:
            if tag in BLOCK_TAGS:
                self.flush()
            return
        if tag == "br":
            self._buf.append(_BR)
            return
        if tag in HEADING_TAGS:
            self._heading(el, int(tag[1]))
            return
        if tag in ("ul", "ol"):
            self._list(el, depth)
            return
        if tag == "table" and self._data_table(el):
            return
        if tag in ("img", "picture", "source", "hr"):
            return
        if tag == "a" and _is_card(el):
            self.flush()
            return
        if tag in BLOCK_TAGS and _teaser_box(el):
            self.flush()
            return
        block = tag in BLOCK_TAGS
        if block:
            self.flush()
        if tag == "blockquote":
            self._quote += 1
        bold = bold or tag in BOLD_TAGS or (tag in _STYLABLE and _styled_heading(el))
        if tag == "a":
            href = el.get("href")
            if href and not link:
                self._buf_links.append((" ".join(el.itertext()), href))
            link = True
        self.add(el.text, bold, link)
        for child in el:
            if isinstance(child.tag, str):
                self.walk(child, depth + 1, bold, link)
            if child.tail:
                self.add(child.tail, bold, link)
        if tag == "blockquote":
            self.flush()
            self._quote -= 1
        if block:
            self.flush()

    def _heading(self, el: etree._Element, level: int) -> None:
        self.flush()
        text = " ".join(" ".join(el.itertext()).split())
        if RELATED_TITLE.match(text.lower()):
            self._after_label = True  # the links under it are related, not body
            return
        if not text or is_boiler_line(text.lower()) or len(text) > 200:
            return
        if self._after_label:
            linked = sum(len(" ".join(" ".join(a.itertext()).split())) for a in el.iter("a"))
            if linked >= 0.8 * len(text):
                return  # a linked headline under a "related" label: one of its picks
        self.blocks.append({"type": "heading", "level": level, "text": text})
        for a in el.iter("a"):
            if a.get("href"):
                self.links.append((" ".join(a.itertext()), a.get("href")))

    def _list(self, el: etree._Element, depth: int) -> None:
        self.flush()
        items, n_text, n_link = self._items(el, depth)
        label_before = self._after_label
        self._after_label = False
        if not items or label_before:
            return
        # A list that is nearly all links (a "more stories" box left in the
        # body) is navigation, not content.
        if n_link > 0.7 * n_text and len(items) >= 2:
            return
        self.blocks.append({"type": "list", "ordered": el.tag == "ol", "items": items})

    def _items(self, el: etree._Element, depth: int) -> tuple[list[dict[str, Any]], int, int]:
        items: list[dict[str, Any]] = []
        n_text = n_link = 0
        for li in el.iter("li"):
            # Only the list's own items: nested lists are read as children.
            if _owner_list(li) is not el or boiler_reason(li):
                continue
            parts: list[str] = []
            children: list[dict[str, Any]] = []
            self._li_text(li, parts, children, depth)
            text = " ".join("".join(parts).split())
            if not text and not children:
                continue
            for a in li.iter("a"):
                if a.get("href") and _owner_list(a) is el:
                    t = " ".join(a.itertext()).strip()
                    n_link += len(t)
                    self.links.append((t, a.get("href")))
            n_text += len(text)
            items.append({"text": text, "children": children})
        return items, n_text, n_link

    def _li_text(self, el: etree._Element, parts: list[str], children: list, depth: int) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            tag = child.tag
            if isinstance(tag, str) and depth < MAX_DEPTH and boiler_reason(child) is None:
                if tag in ("ul", "ol"):
                    sub, _, _ = self._items(child, depth + 1)
                    children.extend(sub)
                elif tag == "br":
                    parts.append(" ")
                else:
                    if tag in BLOCK_TAGS:
                        parts.append(" ")
                    self._li_text(child, parts, children, depth + 1)
            if child.tail:
                parts.append(child.tail)

    def _data_table(self, el: etree._Element) -> bool:
        """Emit a table of short cells as one block; False for a layout table."""
        rows = []
        for tr in el.iter("tr"):
            cells = []
            for cell in tr:
                if cell.tag not in ("td", "th"):
                    continue
                if any(sub.tag in ("p", "div", "table", "ul", "ol") for sub in cell.iter()):
                    return False
                cells.append(" ".join(" ".join(cell.itertext()).split()))
            if any(cells):
                rows.append(cells)
        self.flush()
        if not rows:
            return True
        flat = " ".join(" ".join(r) for r in rows).lower()
        if BACA_JUGA.match(flat) or is_boiler_line(flat):
            return True
        self.blocks.append({"type": "table", "rows": rows})
        return True


def _teaser_box(el: etree._Element) -> bool:
    """A box named "teaser" that is mostly link text points to another story;
    one without links is the article's own lead (many CMSs call it a teaser)."""
    names = el.get("class")
    if not names or "teaser" not in names.lower():
        return False
    text = " ".join(" ".join(el.itertext()).split())
    linked = sum(len(" ".join(" ".join(a.itertext()).split())) for a in el.iter("a"))
    return bool(text) and linked >= TEASER_LINKED * len(text)


def _is_card(a: etree._Element) -> bool:
    """A link wrapping a headline or a block (a teaser card: picture, title,
    summary) points to another story; a link inside prose wraps words only."""
    return any(isinstance(c.tag, str) and c.tag in _CARD_PARTS for c in a.iter())


_CARD_PARTS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "figure", "ul"})


def _owner_list(el: etree._Element) -> etree._Element | None:
    parent = el.getparent()
    while parent is not None and parent.tag not in ("ul", "ol"):
        parent = parent.getparent()
    return parent


def walk_roots(
    roots: list[etree._Element], base_url: str, prose: dict[etree._Element, int] | None = None
) -> Walk:
    """Walk the container roots in order (the roots themselves are never skipped).

    `prose` (characters of prose under each element) lets the walk keep a
    boilerplate-named box that holds over half the container's prose.
    """
    w = Walk(base_url)
    if prose:
        w.prose = prose
        w.guard = max(1, sum(prose.get(r, 0) for r in roots) // 2)
    try:
        for root in roots:
            w.flush()
            w.add(root.text, False, False)
            for child in root:
                if isinstance(child.tag, str):
                    w.walk(child, 1)
                if child.tail:
                    w.add(child.tail, False, False)
                if len(w.blocks) >= MAX_BLOCKS:
                    raise _Full
            w.flush()
    except _Full:
        logger.info("body of %s cut at %d blocks", base_url, len(w.blocks))
    return w


class _Full(Exception):
    """The walk has emitted as many blocks as a record may hold."""

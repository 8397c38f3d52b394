"""Related-article links: inline "Baca juga" lines and "Artikel Terkait"-style boxes."""

from __future__ import annotations

import logging
import re

from lxml import etree

from scraper.extract.boilerplate import names_of
from scraper.extract.links import absolute, split
from scraper.extract.survey import Survey
from scraper.extract.xpaths import (
    ALSO_LIKE_TITLE,
    BACA_JUGA,
    BACA_LABEL,
    FEED_TITLE,
    NON_ARTICLE_PATH,
    RELATED_TITLE,
)
from scraper.items import Related

logger = logging.getLogger(__name__)

#: Short visible strings: candidates for a box title or a "Baca juga" label.
_TEXT_PARENTS_SKIPPED = frozenset({"script", "style", "noscript", "title", "option", "textarea"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BOX_TAGS = frozenset(
    {"p", "div", "li", "td", "table", "section", "aside", "ul", "ol", "span", "dl"}
)
#: More links than this and a "box" is a whole page region, not a related box.
MAX_BOX_LINKS = 40
#: "tags-terkait", "profil-terkait": related tags or people, not articles.
_TAG_BOX = re.compile(r"tag|topi[ck]|profil|keyword|kata[_-]?kunci")
#: Most stories an "other news" box picked for one article holds.
MAX_OTHER_NEWS = 12
#: Most links an inline "Baca juga" carries.
MAX_INLINE = 3
#: How many siblings after a title may hold its box's items.
MAX_SIBLINGS = 12
#: How far above a title or label the box may start.
MAX_CLIMB = 4


def _key(url: str) -> str:
    p = split(url)
    host = (p.hostname or "").removeprefix("www.").removeprefix("m.")
    return f"{host}{p.path.rstrip('/')}"


def _anchors_after(
    box: etree._Element, label: etree._Element | None, skip: etree._Element | None = None
) -> list[etree._Element]:
    """Anchors of a box that follow its title (never inside it), up to the next box's title."""
    out: list[etree._Element] = []
    started = label is None
    inside = set(skip.iter()) if skip is not None else set()
    for el in box.iter(etree.Element):
        if el is label:
            started = True
            continue
        if not started or el in inside:
            continue
        if el.tag in _HEADINGS and out and next(el.iterdescendants("a"), None) is None:
            break  # the next box's title
        if el.tag == "a" and el.get("href"):
            out.append(el)
    return out


def _siblings_after(block: etree._Element) -> list[etree._Element]:
    """Anchors in the siblings after a title that holds no link itself."""
    out: list[etree._Element] = []
    sib = block.getnext()
    for _ in range(MAX_SIBLINGS):
        if sib is None:
            break
        if isinstance(sib.tag, str):
            anchors = [a for a in sib.iter("a") if a.get("href")]
            if not anchors and (sib.text or "").strip():
                break  # a new title: the box is over
            out.extend(anchors)
            if len(out) > MAX_BOX_LINKS:
                return []
        sib = sib.getnext()
    return out


def _box(label: etree._Element) -> tuple[etree._Element | None, list[etree._Element]]:
    """The box a title or label heads, and its anchors after the label."""
    # A linked title ("More Stories") is itself a link: look past it.
    lifted = False
    while label.getparent() is not None and label.tag in ("a", "span", "strong", "b", "font"):
        if label.tag == "a" or label.getparent().tag == "a":
            label = label.getparent()
            lifted = True
        else:
            break
    block = label
    while block.tag not in _BOX_TAGS and block.tag not in _HEADINGS:
        parent = block.getparent()
        if parent is None:
            break
        block = parent
    # The label's own text may open its block ("Baca juga: <a>"): then every
    # link of the block is the box's; a title element's own link is not.
    own = _anchors_after(block, None if block is label else label, label if lifted else None)
    if own:
        return (block, own) if len(own) <= MAX_BOX_LINKS else (None, [])
    anchors = _siblings_after(block)
    if anchors:
        return block.getparent(), anchors
    box: etree._Element | None = block.getparent()
    for _ in range(MAX_CLIMB):
        if box is None:
            break
        anchors = _anchors_after(box, label, label)
        if anchors:
            return (box, anchors) if len(anchors) <= MAX_BOX_LINKS else (None, [])
        box = box.getparent()
    return None, []


def find_related(url: str, survey: Survey) -> list[Related]:
    """Related links: boxes found by their title or label first, then boxes named by
    class, each in page order; every URL once."""
    page_key = _key(url)
    # Mirrors serve the same story under another host: match on the path too.
    page_path = page_key.partition("/")[2]
    # (box, kind, anchors, titled by a "Terkait"-style title)
    found: list[tuple[etree._Element, str, list[etree._Element], bool]] = []
    # Anchors of most-read/latest feeds, resolved only if a box needs checking.
    feed_anchors: list[etree._Element] = []
    for box in survey.feeds:
        anchors = [a for a in box.iter("a") if a.get("href")]
        if len(anchors) <= MAX_BOX_LINKS:
            feed_anchors.extend(anchors)
    for el, low in survey.labels:
        label = " ".join(low.split())
        if BACA_JUGA.match(label) or ((m := BACA_LABEL.match(label)) and m.end() == len(label)):
            box, anchors = _box(el)
            # One to three links next to the label are the writer's own picks;
            # a bigger "Baca juga" box may be a most-read feed in disguise.
            kind, titled = "baca_juga", len(anchors) <= MAX_INLINE
        elif RELATED_TITLE.match(label) and not FEED_TITLE.search(label):
            if _is_tab(el):
                continue  # tabbed widgets switch between site-wide feeds
            box, anchors = _box(el)
            kind = "also_like" if ALSO_LIKE_TITLE.search(label) else "terkait"
            titled = True
            if "lainnya" in label and len({a.get("href") for a in anchors}) > MAX_OTHER_NEWS:
                continue  # "Berita Lainnya" this long is the site's latest-news feed
        elif FEED_TITLE.search(label) and len(label) < 40:
            feed_anchors.extend(_box(el)[1])
            continue
        else:
            continue
        if box is not None:
            found.append((box, kind, anchors, titled))
    for box in survey.related:
        names = names_of(box).lower()
        if _TAG_BOX.search(names):
            continue
        kind = "baca_juga" if ("baca" in names or "linksisip" in names) else "terkait"
        anchors = [a for a in box.iter("a") if a.get("href")]
        if (
            0 < len(anchors) <= MAX_BOX_LINKS
            and not _feed_titled(box)
            and _untitled_or_related(box)
        ):
            found.append((box, kind, anchors, False))
    out: list[Related] = []
    seen: set[str] = set()
    feeds: set[str] | None = None
    for _box_el, kind, anchors, titled in found:
        items = _items(anchors, url)
        keys = {_key(r["url"]) for r in items}
        # A box linking to this very article, or repeating a most-read feed,
        # is a site-wide feed, not links chosen for this story.
        if page_key in keys or page_path in {k.partition("/")[2] for k in keys}:
            continue
        if not titled and keys and feed_anchors:
            if feeds is None:
                feeds = {_key(absolute(url, a.get("href", "")) or "") for a in feed_anchors}
            if len(keys & feeds) >= 0.8 * len(keys):
                continue
        for item in items:
            k = _key(item["url"])
            if k not in seen:
                seen.add(k)
                item["kind"] = kind
                out.append(item)
    return out


def _is_tab(el: etree._Element) -> bool:
    """A title that is a link to another section of the same page: a widget's tab."""
    for node in (el, el.getparent()):
        if node is not None and node.tag == "a":
            href = node.get("href") or ""
            return len(href) > 1 and href.startswith("#")
    return False


def _untitled_or_related(box: etree._Element) -> bool:
    """A named box is related unless the title just above it says otherwise
    ("Forum", "Blog" boxes reuse the related-box class)."""
    prev = box.getprevious()
    if prev is None or not isinstance(prev.tag, str):
        return True
    title = " ".join(" ".join(prev.itertext()).split())
    if not title or len(title) > 40:
        return True
    title = title.lower()
    return bool(RELATED_TITLE.match(title) or BACA_JUGA.match(title))


def _feed_titled(box: etree._Element) -> bool:
    """Whether the box's own title (its first text) names a site-wide feed."""
    for text in box.itertext():
        text = text.strip()
        if text:
            return len(text) <= 40 and bool(FEED_TITLE.search(text.lower()))
    return False


def _items(anchors: list[etree._Element], url: str) -> list[Related]:
    items: list[Related] = []
    for a in anchors:
        target = absolute(url, a.get("href", ""))
        if not target:
            continue
        path = split(target).path
        if NON_ARTICLE_PATH.search(path.lower()):
            continue
        title = " ".join(" ".join(a.itertext()).split()) or (a.get("title") or "").strip()
        if not title or RELATED_TITLE.match(title.lower()):
            continue  # an image-only link, or the box title linking to an index
        items.append({"title": title, "url": target, "kind": ""})
    return items

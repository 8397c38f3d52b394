"""Find the element(s) holding the article body: known class names, then text density."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from lxml import etree

from scraper.extract.boilerplate import CONTENT, boiler_reason, name_flags, names_of
from scraper.extract.scoring import MIN_PARA, Stats, link_text, measure
from scraper.extract.survey import Survey

logger = logging.getLogger(__name__)

_CANDIDATE_TAGS = frozenset(
    {"div", "article", "section", "main", "td", "span", "font", "center", "body", "blockquote"}
)
#: Below this much prose a body-named element is a teaser or an empty shell.
MIN_HINTED_PROSE = 140
#: Share of a body-named element's prose a body-named element inside it must hold.
INNER_SHARE = 0.9
#: Share of a hinted candidate's prose another element must beat to win instead.
HINT_MARGIN = 3.0
#: Candidates ranked by paragraph score whose link density is checked.
TOP_CANDIDATES = 8
#: Below this share of the prose the unfiltered winner holds, the filtered
#: winner is a sidebar scrap and the story sits in a misnamed box.
FALLBACK_SHARE = 0.3
#: Share of a hinted wrapper's prose a block inside it must hold to replace it.
TIGHTER_SHARE = 0.6
#: Share of a wrapper's prose one child must hold for the body to be that child.
NARROW_SHARE = 0.95
#: A sibling of the winner with this much prose and few links continues the story.
MIN_SIBLING_PROSE = 80
#: Levels above the container searched for the repeated item it belongs to.
REPEAT_LEVELS = 3
#: A repeated item with more link text than this share is a teaser card.
REPEAT_DENSITY = 0.3
#: Least prose of a repeated item, as a share of the container's.
REPEAT_SHARE = 0.15
#: How much more prose than the repeated items their wrappers may hold.
LEAD_SLACK = 1.1
#: How much more prose than its counterpart of the container an item may hold
#: and still be walked whole.
ITEM_SLACK = 1.25
#: Least prose, as a share of the body first found, of the article under the
#: page's own headline for it to replace that body.
OWN_SHARE = 0.25
_DIGITS = re.compile(r"\d+")


def _final(el: etree._Element, st: Stats) -> float:
    """A candidate's paragraph score, raised for body-like names, lowered for
    boilerplate names, scaled down by its link density."""
    base = st.score.get(el, 0.0)
    names = names_of(el)
    bonus = 0.0
    if names and name_flags(names) & CONTENT:
        bonus = 0.25 * base + 5
    elif boiler_reason(el):
        bonus = -0.5 * base - 5
    return (base + bonus) * (1.0 - _density(el, st))


@dataclass
class Container:
    """The element(s) to walk, whether a body-like name chose them, their prose."""

    roots: list[etree._Element]
    hinted: bool
    prose: int
    stats: Stats


def _hinted_candidates(st: Stats) -> list[etree._Element]:
    """Elements holding prose and named like an article body."""
    out = []
    for el in st.prose:
        if el.tag not in _CANDIDATE_TAGS:
            continue
        if el.get("itemprop") == "articleBody":
            out.append(el)
            continue
        names = names_of(el)
        if names and name_flags(names) & CONTENT:
            out.append(el)
    return out


def _hinted(candidates: list[etree._Element], st: Stats) -> etree._Element | None:
    """The best element named like an article body, if it holds real prose."""
    best, best_prose = None, 0
    for el in candidates:
        pr = st.prose.get(el, 0)
        if pr > best_prose:
            best, best_prose = el, pr
    if best is None:
        return None
    # Prefer the innermost hinted element that still holds nearly all of it:
    # an outer "article-content" often also wraps title, byline and share bar.
    for el in candidates:
        if (
            el is not best
            and st.prose.get(el, 0) >= INNER_SHARE * best_prose
            and _contains(best, el)
        ):
            best = el
    return best


def find_container(found: Survey, title: str | None = None) -> Container | None:
    """The article's body element(s), or None when the page has no prose at all.

    `title` is the page's headline: when the page holds several articles (a
    next story appended below), the body is the one under that headline.
    """
    best = _best_container(found)
    if best is None:
        return None
    if title:
        best = _own_article(best, found, title)
    return _repeated(best)


def _own_article(found: Container, page: Survey, title: str) -> Container:
    """The body of the article headed by the page's title, when the page
    carries more than one article, each under its own <h1>."""
    heads = [h for h in page.tagged["h1"] if h.tag == "h1"]
    if len(heads) < 2:
        return found
    want = _fold(title)
    st = found.stats
    # The headline may be printed twice (a "latest news" widget and the
    # article): the copy heading the most prose is the article's.
    units = [(h, _unit(h, heads)) for h in heads if _fold(" ".join(h.itertext())) == want]
    if not units:
        return found
    own, unit = max(units, key=lambda p: st.prose.get(p[1], 0) if p[1] is not None else -1)
    if unit is None or _contains(unit, found.roots[0]):
        return found
    # Only a body inside another headline's article is that article's body
    # (other <h1>s may be teaser cards inside this one), and an appended
    # article opens with its headline: an <h1> after the body does not head it.
    body = found.roots[0]
    theirs = ((h, _unit(h, heads)) for h in heads if h is not own)
    if not any(u is not None and _contains(u, body) and _first(u, h, body) for h, u in theirs):
        return found
    inside = [
        el
        for el in st.score
        if el.tag in _CANDIDATE_TAGS and el is not unit and _contains(unit, el)
    ]
    inside.append(unit)
    best = max(inside, key=lambda el: _final(el, st))
    if st.prose.get(best, 0) < OWN_SHARE * found.prose:
        return found  # a headline over no story of its own: keep the body found
    logger.debug("page holds several articles: the body is the one under its title")
    roots = _with_siblings(best, st) if best is not unit else [best]
    return Container(roots, found.hinted, sum(st.prose.get(r, 0) for r in roots), st)


def _unit(head: etree._Element, heads: list[etree._Element]) -> etree._Element | None:
    """The largest element around a headline that holds no other <h1>: its article."""
    others = [h for h in heads if h is not head]
    unit = None
    node = head.getparent()
    while node is not None and node.tag not in ("body", "html"):
        if any(_contains(node, h) for h in others):
            break
        unit = node
        node = node.getparent()
    return unit


def _first(unit: etree._Element, a: etree._Element, b: etree._Element) -> bool:
    """Whether `a` comes before `b` inside `unit` (document order)."""
    for el in unit.iter():
        if el is a:
            return True
        if el is b:
            return False
    return False


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _best_container(found: Survey) -> Container | None:
    """The best-scoring body element (and the siblings continuing it)."""
    st = measure(found)
    top = _top(st)
    st_all = Stats(st.prose, st.links, score=st.score_all, anchors=st.anchors)
    top_all = _top(st_all)
    if top_all is not None and (
        top is None or st.prose.get(top, 0) < FALLBACK_SHARE * st.prose.get(top_all, 0)
    ):
        top, st = top_all, st_all
    hinted = _hinted(_hinted_candidates(st), st)
    if hinted is not None:
        hinted = _narrow(hinted, st)
    if hinted is not None and st.prose.get(hinted, 0) >= MIN_HINTED_PROSE:
        hinted_prose = st.prose.get(hinted, 0)
        if (
            top is not None
            and top is not hinted
            and not _has_own_text(hinted)
            and _contains(hinted, top)
        ):
            # A page-wide wrapper named like a body ("paywall", "post-content
            # main-wrapper") around a tighter block holding most of its prose.
            roots = _with_siblings(top, st)
            prose = sum(st.prose.get(r, 0) for r in roots)
            if prose >= TIGHTER_SHARE * hinted_prose:
                return Container(roots, True, prose, st)
            return Container([hinted], True, hinted_prose, st)
        top_prose = st.prose.get(top, 0) if top is not None else 0
        if top_prose < HINT_MARGIN * hinted_prose:
            return Container([hinted], True, hinted_prose, st)
    if top is None:
        return None
    roots = _with_siblings(top, st)
    return Container(roots, False, sum(st.prose.get(r, 0) for r in roots), st)


def _signature(el: etree._Element) -> tuple[str, str]:
    """Tag and class with digits dropped: what repeated items of one kind share."""
    return el.tag, _DIGITS.sub("", el.get("class") or "")


def _repeated(found: Container) -> Container:
    """Widen a container to the repeated items it is one of.

    Slideshows (one box per slide), story stacks and bodies cut into parts by
    in-story ads repeat one wrapper per item; the best-scoring item is only a
    part. From the container up a few levels, the first wrapper with siblings
    of the same tag and class that also hold prose marks the items: each
    item's counterpart of the container joins it, in page order.
    """
    if len(found.roots) != 1:
        return found
    st = found.stats
    el = found.roots[0]
    path: list[tuple[str, str]] = []
    for _ in range(REPEAT_LEVELS + 1):
        parent = el.getparent()
        if parent is None or el.tag in ("body", "html"):
            break
        sig = _signature(el)
        path.insert(0, sig)
        items = [
            sib
            for sib in parent
            if sib is not el and isinstance(sib.tag, str) and _signature(sib) == sig
        ]
        if items and _has_h1(el) and all(_has_h1(i) for i in items):
            # Each under its own <h1>: separate articles (a next story
            # appended below), not parts of one.
            return found
        if items:
            # A short box of the same component (a newsletter plug, a note
            # about the publisher) is not one of the story's parts.
            least = max(MIN_SIBLING_PROSE, REPEAT_SHARE * st.prose.get(found.roots[0], 0))
            roots = []
            for sib in parent:
                part = found.roots[0] if sib is el else _follow(sib, path[1:])
                if sib is not el and (
                    part is None
                    or st.prose.get(part, 0) < least
                    or _density(part, st) >= REPEAT_DENSITY
                ):
                    continue
                if part is not None:
                    # The whole item when it holds no more prose than its
                    # counterpart: its headline and pictures belong to it too.
                    whole = st.prose.get(sib, 0) <= ITEM_SLACK * st.prose.get(part, 0)
                    roots.append(sib if whole else part)
            if len(roots) > 1:
                roots = _lead(parent, st, sum(st.prose.get(r, 0) for r in roots)) + roots
                prose = sum(st.prose.get(r, 0) for r in roots)
                return Container(roots, found.hinted, prose, st)
        el = parent
    return found


def _has_h1(el: etree._Element) -> bool:
    return next(el.iter("h1"), None) is not None


def _lead(group: etree._Element, st: Stats, prose: int) -> list[etree._Element]:
    """The prose written before a run of repeated items (a slideshow's or live
    blog's introduction): earlier siblings of the items' outermost wrapper
    that hold prose and few links."""
    while (up := group.getparent()) is not None and up.tag not in ("body", "html"):
        if st.prose.get(up, 0) > LEAD_SLACK * prose:
            break
        group = up
    parent = group.getparent()
    if parent is None:
        return []
    lead = []
    for sib in parent:
        if sib is group:
            break
        if (
            isinstance(sib.tag, str)
            and st.prose.get(sib, 0) >= MIN_SIBLING_PROSE
            and not boiler_reason(sib)
            and _density(sib, st) < 0.25
        ):
            lead.append(sib)
    return lead


def _follow(item: etree._Element, path: list[tuple[str, str]]) -> etree._Element | None:
    """The element below `item` reached by the same tags and classes as the container."""
    el = item
    for sig in path:
        el = next((c for c in el if isinstance(c.tag, str) and _signature(c) == sig), None)
        if el is None:
            return None
    return el


def _narrow(el: etree._Element, st: Stats) -> etree._Element:
    """Descend into the one child holding (nearly) all of a wrapper's prose:
    the wrapper also carries captions, teasers and link lists beside it."""
    total = st.prose.get(el, 0)
    while total:
        inner = next((c for c in el if st.prose.get(c, 0) >= NARROW_SHARE * total), None)
        if inner is None or inner.tag not in _CANDIDATE_TAGS or _has_own_text(el):
            return el
        el = inner
    return el


def _has_own_text(el: etree._Element) -> bool:
    """Whether text sits straight in the element (a lead written before a wrapper)."""
    if el.text and len(el.text.strip()) >= MIN_PARA:
        return True
    return any(c.tail and len(c.tail.strip()) >= MIN_PARA for c in el)


def _top(st: Stats) -> etree._Element | None:
    """The best-scoring candidate; link density is read only for the leaders."""
    raw = sorted(
        (el for el in st.score if el.tag in _CANDIDATE_TAGS), key=st.score.__getitem__, reverse=True
    )
    ranked = sorted(((_final(el, st), el) for el in raw[:TOP_CANDIDATES]), key=lambda p: p[0])
    return ranked[-1][1] if ranked and ranked[-1][0] > 0 else None


def _contains(outer: etree._Element, inner: etree._Element) -> bool:
    el: etree._Element | None = inner
    while el is not None:
        if el is outer:
            return True
        el = el.getparent()
    return False


def _with_siblings(top: etree._Element, st: Stats) -> list[etree._Element]:
    """The top candidate plus siblings that continue its prose (split bodies)."""
    parent = top.getparent()
    if parent is None or top.tag == "body":
        return [top]
    threshold = max(10.0, 0.2 * _final(top, st))
    roots = []
    for sib in parent:
        if sib is top:
            roots.append(sib)
            continue
        if not isinstance(sib.tag, str) or sib not in st.prose or boiler_reason(sib):
            continue
        if _final(sib, st) >= threshold or (
            st.prose.get(sib, 0) >= MIN_SIBLING_PROSE and _density(sib, st) < 0.25
        ):
            roots.append(sib)
    return roots


def _density(el: etree._Element, st: Stats) -> float:
    """Link text against link text plus prose: 1.0 for a menu, ~0 for a story."""
    lk = st.links.get(el)
    if lk is None:
        lk = st.links[el] = link_text(el, st.anchors)
    total = lk + st.prose.get(el, 0)
    return lk / total if total else 1.0

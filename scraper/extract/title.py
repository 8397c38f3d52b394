"""The headline: the visible heading that matches the page's declared title, site name removed."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from lxml import etree

from scraper.extract.parse import text_of

_WORD = re.compile(r"\w+", re.UNICODE)
_SEPARATORS = re.compile(r"\s+[|\-–—:»·•/]\s+|\s*::\s*|\s*\|\s*|:\s+(?=[A-Z])")
_DOMAIN = re.compile(r"\w\.(?:com|co\.id|id|net|org|co|tv|news|info|web\.id|or\.id|go\.id)\b", re.I)
_TAG_RANK = {"h1": 0, "h2": 1, "h3": 3}
#: The best key a candidate can have: an unlinked h1 exactly matching a declared title.
_UNBEATABLE = (False, -3, False, 0)


_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def clean_text(text: str | None) -> str:
    """Whitespace (including no-break spaces) collapsed and trimmed; soft hyphens and
    zero-width characters (hyphenation hints, not text) dropped."""
    text = text or ""
    if not text.isascii():  # the invisible characters are all non-ASCII: skip the common case
        text = text.translate(_INVISIBLE)
    return " ".join(text.split())


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def site_names(meta_site: str | None, publisher: str | None, url: str) -> set[str]:
    """Normalised spellings of the site's own name: og:site_name, publisher, host labels."""
    names = {n for n in (_norm(meta_site or ""), _norm(publisher or "")) if n}
    try:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        host = ""
    for label in host.split("."):
        if len(label) > 3 and label not in ("com", "news", "www"):
            names.add(label)
    return {n for n in names | {n.replace(" ", "") for n in names} if n}


def _site_like(segment: str, names: set[str]) -> bool:
    if _DOMAIN.search(segment):
        return True
    norm = _norm(segment)
    squashed = norm.replace(" ", "")
    if not norm:
        return True
    for name in names:
        if squashed == name or norm == name or (len(name) > 4 and name in squashed):
            return True
    return False


def strip_site_name(title: str, names: set[str]) -> str:
    """Drop leading/trailing segments that name the site (" - Kompas.com", "Okezone | ")."""
    title = clean_text(title)
    parts = _SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    seps = _SEPARATORS.findall(title)
    start, end = 0, len(parts)
    while end - start > 1 and _site_like(parts[end - 1], names):
        end -= 1
    while end - start > 1 and _site_like(parts[start], names):
        start += 1
    if (start, end) == (0, len(parts)):
        return title
    out = parts[start]
    for i in range(start + 1, end):
        out += seps[i - 1] + parts[i]
    return clean_text(out)


_NOT_PART = frozenset({"meta", "script", "style", "br", "link", "noscript", "template"})
_ENDS_WITH_MARK = re.compile(r"[:|\-–—.?!»·•/]$")
_STARTS_WITH_MARK = re.compile(r"^[:|\-–—»·•/]")


def headline_text(el: etree._Element) -> str:
    """The heading's text; a kicker (topline) span inside it is kept apart by ": ".

    `<h1><span>Kicker</span> <span>Headline</span></h1>` reads "Kicker Headline" as one
    string, gluing a topic label onto the headline. When the heading is made only of child
    elements, the first a short label with no separator of its own, the two are joined
    with ": " (the kicker is kept, since many outlets' own titles include it that way).
    """
    whole = clean_text(text_of(el))
    if clean_text(el.text) or len(el) < 2:
        return whole
    parts = []
    for child in el:
        if not isinstance(child.tag, str) or child.tag in _NOT_PART:
            if clean_text(child.tail):
                return whole
            continue
        if clean_text(child.tail):
            return whole  # text between the parts: the page wrote its own separator
        text = clean_text(text_of(child))
        if text:
            parts.append(text)
    if len(parts) != 2:
        return whole
    kicker, rest = parts
    if (
        len(kicker.split()) > 8
        or len(kicker) >= len(rest)
        or _ENDS_WITH_MARK.search(kicker)
        or _STARTS_WITH_MARK.search(rest)
    ):
        return whole
    return f"{kicker}: {rest}"


def _match(cand: str, ref: str) -> int:
    if not cand or not ref:
        return 0
    if cand == ref:
        return 3
    shorter, longer = sorted((cand, ref), key=len)
    if f" {shorter} " in f" {longer} " and len(shorter) >= 0.6 * len(longer):
        return 2
    a, b = set(cand.split()), set(ref.split())
    if len(a & b) >= 0.8 * len(a | b):
        return 1
    return 0


def _is_link(el: etree._Element) -> bool:
    if el.tag == "a":
        return True
    parent = el.getparent()
    for _ in range(2):
        if parent is None:
            break
        if parent.tag == "a":
            return True
        parent = parent.getparent()
    return False


_WIDGET_TAGS = frozenset({"aside", "nav", "footer"})
_WIDGET_CLASS = re.compile(
    r"widget|sidebar|side-bar|latest|terkini|terbaru|popular|populer|trending|ticker|slider|"
    r"carousel|marquee|headline-list|most-read",
    re.I,
)


def _in_widget(el: etree._Element) -> bool:
    """Inside an aside/nav/footer or a box classed as a widget, sidebar or latest-news list."""
    for depth, anc in enumerate(el.iterancestors()):
        if depth > 12 or anc.tag in ("body", "html"):
            break
        if anc.tag in _WIDGET_TAGS:
            return True
        if _WIDGET_CLASS.search(f"{anc.get('class') or ''} {anc.get('id') or ''}"):
            return True
    return False


def _best(
    candidates: list[etree._Element], refs: list[str]
) -> tuple[tuple[bool, int, bool, int, int], etree._Element, str] | None:
    best = None
    for order, el in enumerate(candidates):
        text = headline_text(el)
        if not text or len(text) > 300:
            continue
        norm = _norm(text)
        score = max((_match(norm, ref) for ref in refs), default=0)
        if not score:
            continue
        # A headline inside a link is usually a teaser for another (or this) page in a list.
        # A copy of the headline in a "latest news" widget, sidebar or ticker loses to the
        # one in the article, whatever their order: the date and byline are read around it.
        key = (_is_link(el), -score, _in_widget(el), _TAG_RANK.get(el.tag, 2), order)
        if best is None or key < best[0]:
            best = (key, el, text)
            if key[:4] == _UNBEATABLE:
                break  # a later candidate could only tie, and ties go to the first
    return best


_STYLED = ("div", "p", "span", "strong", "b", "header")


def _styled_headlines(tree: etree._Element, refs: list[str]) -> list[etree._Element]:
    """Headlines shown in a styled block instead of a heading tag (`<div class="big">`):
    short elements whose whole text is exactly a declared title. Asked only when no
    heading or title-classed element matches."""
    wanted = set(refs)
    out = []
    for el in tree.iter(_STYLED):
        if len(el) > 3 or not el.text or not el.text.strip():
            continue
        first = _norm(el.text)
        if not first or not any(w.startswith(first) for w in wanted):
            continue  # its own text does not open a title: skip reading the whole subtree
        text = clean_text(text_of(el))
        if text and len(text) <= 300 and _norm(text) in wanted:
            out.append(el)
    return out


def find_title(
    tree: etree._Element,
    refs: list[str],
    names: set[str],
    headings: list[etree._Element],
    more: Callable[[], list[etree._Element]],
) -> tuple[str | None, etree._Element | None]:
    """The headline text and its element; falls back to the cleaned declared title.

    `headings` (h1-h3) are tried first; `more` (title-classed elements, costlier to find)
    only when no heading matches outside a link.
    """
    cleaned_refs = []
    for ref in refs:
        if ref:
            cleaned_refs.append(_norm(ref))
            cleaned_refs.append(_norm(strip_site_name(ref, names)))
    cleaned_refs = [r for r in dict.fromkeys(cleaned_refs) if r]
    best = _best(headings, cleaned_refs)
    if best is None or best[0][0] or best[0][2]:
        other = _best(more(), cleaned_refs)
        if other is not None and (best is None or other[0][:4] < best[0][:4]):
            best = other
    if best is None:
        # Only titles that lost little to site-name stripping: a short leftover ("Topic" of
        # "Topic: Headline") would find the topic label instead of the headline.
        whole = [
            _norm(strip_site_name(r, names))
            for r in refs
            if r and len(strip_site_name(r, names)) >= 0.6 * len(clean_text(r))
        ]
        best = _best(_styled_headlines(tree, [w for w in whole if w]), cleaned_refs)
    if best is not None:
        return best[2], best[1]
    # The visible headline wins over a different declared one (a shorter social title): the
    # page's only <h1>, when it reads as a headline rather than a logo or a section name.
    h1s = [h for h in headings if h.tag == "h1" and not _is_link(h)]
    if len(h1s) == 1:
        text = headline_text(h1s[0])
        if len(text.split()) >= 4 and len(text) <= 300 and not _site_like(text, names):
            return text, h1s[0]
    for ref in refs:
        if ref and clean_text(ref):
            return strip_site_name(ref, names), None
    # No declared title at all: the first non-empty h1 is the best guess, and its position
    # still guides the date and byline search.
    for h in headings:
        text = headline_text(h) if h.tag == "h1" else ""
        if text and len(text) <= 300:
            return text, h
    return None, None

"""Decide which subtrees and lines inside an article container are not prose."""

from __future__ import annotations

import re

from lxml import etree

from scraper.extract.xpaths import (
    BACA_JUGA,
    BOILER_COMPOUND,
    BOILER_LINE,
    BOILER_TOKENS,
    CONTENT_HINT,
    EDITOR_CODE_LINE,
    FEED_NAME,
    HIDDEN_STYLE,
    RELATED_NAME,
    SKIP_TAGS,
)

_SPLIT = re.compile(r"[\s_\-]+")
_TAXONOMY = re.compile(
    r"^(?:tag|category|categories|format|status|type|postid|post_type|has|author|label|"
    r"[a-z_]+_(?:category|rating|tag|type))-"
)
#: Whole class words (not split) that hide an element on every screen.
_HIDDEN_CLASSES = frozenset(
    {"hidden", "d-none", "sr-only", "screen-reader-text", "hide", "invisible"}
)
#: Longest line the line patterns are tried on: a real paragraph that happens to
#: start with "Foto:" is prose, a 200-character credit line is not likely.
MAX_BOILER_LINE = 220
_DRESSING = " -–—•|·*:[](){}<>«»/~=_"


def names_of(el: etree._Element) -> str:
    """The element's class and id, as one string."""
    cls = el.get("class")
    ident = el.get("id")
    if cls and ident:
        return f"{cls} {ident}"
    return cls or ident or ""


def boiler_reason(el: etree._Element) -> str | None:
    """Why this subtree is boilerplate (a short code), or None when it may hold prose."""
    tag = el.tag
    if not isinstance(tag, str):
        return "node"
    if tag in SKIP_TAGS:
        return tag
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return "hidden"
    style = el.get("style")
    if style and HIDDEN_STYLE.search(style.lower()):
        return "hidden"
    if el.get("itemprop") in ("relatedLink", "comment", "author"):
        return "related"
    names = names_of(el)
    if not names:
        return None
    flags = name_flags(names)
    if flags & CONTENT:
        # A body wrapper ("post-content ads-free") is never boilerplate itself.
        return None
    if flags & HIDDEN:
        return "hidden"
    if flags & (BOILER | RELATED):
        return "class"
    return None


CONTENT, RELATED, BOILER, HIDDEN, FEED = 1, 2, 4, 8, 16
NAME_FLAGS: dict[str, int] = {}
_WORDS: dict[str, int] = {}
#: Class names repeat within and across pages of a site, so their verdicts are
#: cached; the cap keeps a long crawl of ever-new names from growing it forever.
_FLAGS_CAP = 50_000


def name_flags(names: str) -> int:
    """What a class/id string says about its element: a mask of CONTENT, RELATED,
    BOILER, HIDDEN and FEED, from the verdicts on each of its words."""
    flags = NAME_FLAGS.get(names)
    if flags is not None:
        return flags
    flags = 0
    for word in names.lower().split():
        f = _WORDS.get(word)
        if f is None:
            f = _WORDS[word] = _word_flags(word)
        flags |= f
    if flags & RELATED:
        flags &= ~CONTENT  # "artikel-terkait" is a related box, not the article
    if len(NAME_FLAGS) >= _FLAGS_CAP:
        NAME_FLAGS.clear()
        _WORDS.clear()
    NAME_FLAGS[names] = flags
    return flags


def _word_flags(word: str) -> int:
    flags = 0
    if RELATED_NAME.search(word):
        flags |= RELATED
    elif CONTENT_HINT.search(word):
        flags |= CONTENT
    if FEED_NAME.search(word):
        flags |= FEED
    if word in _HIDDEN_CLASSES:
        flags |= HIDDEN
    # "tag-software", "category-news": taxonomy labels a CMS puts on the post
    # itself, not names of boxes.
    if BOILER_COMPOUND.search(word) or (
        not _TAXONOMY.match(word) and BOILER_TOKENS.intersection(_SPLIT.split(word))
    ):
        flags |= BOILER
    return flags


def is_boiler_line(text: str) -> bool:
    """A whole (lower-cased) line that is a label, credit, prompt or ad marker, not prose."""
    if len(text) > MAX_BOILER_LINE:
        return False
    if BOILER_LINE.match(text) or EDITOR_CODE_LINE.match(text) or BACA_JUGA.match(text):
        return True
    # "- Advertisement -", "[ IKLAN ]": the same labels dressed in punctuation.
    core = text.strip(_DRESSING)
    return core != text and bool(core) and bool(BOILER_LINE.match(core))

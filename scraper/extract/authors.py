"""Authors and agency: bylines from JSON-LD, microdata, labelled credits and byline markup.

Editors are never authors. A credit naming only a news agency, the outlet itself or one of
its desks ("dpa", "BBC News", "Newsdesk Staff") is the record's `agency`, not an author.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

from lxml import etree

from scraper.extract.credits import (
    EDITOR_LABELS,
    LABEL,
    PHOTO_LABELS,
    PHOTOGRAPHER_LABELS,
    ROLE_PREFIX,
    ROLE_WORDS,
    clean_names,
    name_key,
    outlet_only,
    split_credit,
)
from scraper.extract.jsonld import text_values, types_of
from scraper.extract.parse import text_of
from scraper.extract.scan import Scan
from scraper.extract.title import clean_text

_MAX_CREDITS = 40
_MAX_ELEMENTS = 20_000  # a news page has ~1-3k elements; past this is generated filler
_NO_CREDIT_TAGS = frozenset({"script", "style", "a", "title", "noscript", "template"})
_MID_SEPARATOR = re.compile(r"\s[·|•]\s*(?=\S+\s*:|oleh\b|by\b)", re.I)
_LEAD = " \t\r\n\xa0:-–—•|()[]*"
_LABEL_STARTS = frozenset(
    {
        "di",
        "wr",
        "po",
        "pe",
        "re",
        "wa",
        "ju",
        "ko",
        "ol",
        "by",
        "au",
        "fo",
        "ed",
        "vo",
        "pa",
        "ph",
        "im",
        "bi",
    }
)


def _value_after(owner: etree._Element, is_tail: bool) -> str:
    """The credit's value when the label stands alone: the next element's text."""
    if not is_tail and (tail := clean_text(owner.tail).lstrip(":： ")) and len(tail) <= 120:
        return tail  # "<b>Penulis</b> Name": the name is the label's tail
    nxt = []
    if is_tail:
        nxt.append(owner.getnext())
        parent = owner.getparent()
        if parent is not None:
            nxt.append(parent.getnext())
    else:
        if len(owner):
            nxt.append(owner[0])
        nxt.append(owner.getnext())
    if owner.getparent() is not None and not len(owner):
        nxt.append(owner.getparent().getnext())  # <td>Penulis</td><td>: Name</td>
    for el in nxt:
        if el is not None and isinstance(el.tag, str):
            text = clean_text(text_of(el)).lstrip(":： ")
            if text and len(text) <= 120:
                return text
    return ""


def _credit_texts(
    scope: etree._Element, headline: etree._Element | None = None
) -> Iterator[tuple[str, etree._Element, bool]]:
    """(text, owner, is_tail) of the short texts of `scope` that may hold a credit: opening
    with a label's first letters, or holding a separator a credit may follow. A plain-string
    test, as the label regex costs ~10x more and nearly always fails; bounded on giant pages.
    The headline is never a credit ("FOTO: Ponsel Baru Dirilis" is a title)."""
    starts, lead = _LABEL_STARTS, _LEAD
    inside = set(headline.iter()) if headline is not None else set()
    for el in islice(scope.iter(), _MAX_ELEMENTS):
        text = el.text
        if (
            text
            and len(text) <= 160
            and el.tag not in _NO_CREDIT_TAGS
            and (
                text.lstrip(lead)[:2].lower() in starts or "·" in text or "|" in text or "•" in text
            )
            and el not in inside  # checked last: few texts get this far
        ):
            yield text, el, False
        text = el.tail
        if (
            text
            and len(text) <= 160
            and el is not scope
            and (
                text.lstrip(lead)[:2].lower() in starts or "·" in text or "|" in text or "•" in text
            )
            and (el is headline or el not in inside)  # the headline's own tail is outside it
        ):
            yield text, el, True


# Class words of boxes listing other stories; matched at a word start ("vcard" is a byline).
_TEASER_BOX = re.compile(
    r"(?<![a-z])(?:related|teaser|terkait|lainnya|more|card|sidebar|side-col|aside|popular|"
    r"populer|latest|terbaru|recommend|rekomendasi)",
    re.I,
)


def _teaser_byline(owner: etree._Element, scope: etree._Element) -> bool:
    """A credit inside a list item that links a headline, or a related/teaser/sidebar box:
    the byline of another story listed on the page."""
    for anc in owner.iterancestors():
        if anc is scope:
            return False
        if anc.tag == "aside" or _TEASER_BOX.search(
            f"{anc.get('class') or ''} {anc.get('id') or ''}"
        ):
            return True
        if anc.tag == "li" and any(
            len(clean_text(text_of(a))) > 30 for a in anc.iterdescendants("a")
        ):
            return True  # a list item linking a headline: another story's teaser
    return False


def labelled_credits(
    scope: etree._Element, headline: etree._Element | None = None
) -> dict[str, list[str]]:
    """Credits introduced by a label ("Penulis:", "Oleh", "Editor:"), grouped writer/photo/editor."""
    found: dict[str, list[str]] = {"writer": [], "photo": [], "editor": []}
    hits = 0
    for hit, owner, is_tail in _credit_texts(scope, headline):
        if hit.lstrip(_LEAD)[:2].lower() in _LABEL_STARTS:
            m = LABEL.match(hit)
        else:
            # "Selasa, 20 Jan 2026 19:45 WIB · Oleh: Name": a credit after a separator.
            m = LABEL.match(_MID_SEPARATOR.split(hit, maxsplit=1)[-1])
        if not m or _teaser_byline(owner, scope):
            continue
        if m.group("label").lower() in ("kontributor", "wartawan", "reporter", "jurnalis"):
            # "Kontributor Lhokseumawe, Name" is a role and place before a name, not a label.
            m = LABEL.match(ROLE_PREFIX.sub("", hit.lstrip(":： ")))
            if not m:
                continue
        label = m.group("label").lower()
        rest = m.group("rest").strip()
        value = rest if rest.strip(":： ") else _value_after(owner, is_tail)
        if not value:
            continue
        if label in ("red", "foto") and not (m.group("colon") or value.startswith(":")):
            continue
        if label in PHOTO_LABELS and label not in PHOTOGRAPHER_LABELS:
            continue
        group = (
            "editor" if label in EDITOR_LABELS else "photo" if label in PHOTO_LABELS else "writer"
        )
        found[group].append(value)
        hits += 1
        if hits >= _MAX_CREDITS:  # a page of hundreds of "Oleh ..." lines is a listing anyway
            break
    return found


def itemprop_authors(elements: list[etree._Element]) -> list[str]:
    """Texts of itemprop=author/creator elements (their itemprop=name when nested)."""
    out = []
    for el in elements:
        if el.tag == "a" and el.get("rel") == "author" and el.get("itemprop") is None:
            continue
        names = el.xpath(".//*[@itemprop='name']")
        text = (names[0].get("content") or text_of(names[0])) if names else text_of(el)
        out.append(text)
    return out


def rel_authors(elements: list[etree._Element]) -> list[str]:
    return [text_of(a) for a in elements if a.tag == "a" and a.get("rel") == "author"]


def byline_class_texts(elements: list[etree._Element]) -> list[str]:
    """Texts of byline-classed elements, role words ("Jurnalis") dropped from their pieces."""
    out = []
    inner = set(elements)
    for el in elements:
        # A byline box holding a byline-classed name element: the inner one is the credit.
        if any(d in inner for d in el.iterdescendants()):
            continue
        pieces = [clean_text(t) for t in el.itertext()]
        pieces = [p for p in pieces if p and p.casefold().strip(" :") not in ROLE_WORDS]
        text = clean_text(" ".join(pieces))
        if text and len(text) <= 120:
            out.append(text)
    return out


_META_AUTHOR = ("author", "dtk:author", "article:author", "parsely-author", "sailthru.author")


def _credit_scope(tree: etree._Element, headline: etree._Element | None) -> etree._Element:
    """Where labelled credits are looked for: around the headline, not in sidebars."""
    if headline is None:
        return tree
    scope = headline
    for _ in range(4):
        parent = scope.getparent()
        if parent is None:
            break
        scope = parent
        if parent.tag in ("body", "html"):
            break
    return scope


_ORG_TYPES = frozenset({"organization", "newsmediaorganization", "corporation", "newsagency"})


def _jsonld_credits(value: Any) -> tuple[list[str], list[str]]:
    """JSON-LD author names split into (any, organisations): an Organization is never a person."""
    names, orgs = [], []
    for item in value if isinstance(value, list) else [value]:
        got = text_values(item)
        names += got
        if isinstance(item, dict) and any(t in _ORG_TYPES for t in types_of(item)):
            orgs += got
    return names, orgs


def find_authors(
    tree: etree._Element,
    meta: dict[str, str],
    node: dict[str, Any] | None,
    keywords: list[str],
    site_keys: set[str],
    found: Scan,
    headline: etree._Element | None,
) -> tuple[list[str], list[str]]:
    """(authors, agency) from the first source that credits anyone, editors removed.

    A source whose credit names only agencies, the outlet or a desk ends the search: the
    page says who it credits, and later, weaker sources would only guess a person.
    """
    site_keys = {k for k in map(name_key, site_keys) if k}
    scope = _credit_scope(tree, headline)
    credits = labelled_credits(scope, headline)
    editors = {name_key(n) for raw in credits["editor"] for n in clean_names(raw)}
    editors |= {name_key(k.split(":", 1)[1]) for k in keywords if k.lower().startswith("editor:")}
    editors |= {name_key(meta[k]) for k in ("editor", "dtk:editor") if meta.get(k)}
    ld_names, ld_orgs = _jsonld_credits(node.get("author")) if node else ([], [])
    org_keys = {name_key(o) for o in ld_orgs}
    # Most trusted first; later ones are only queried when earlier ones are empty. JSON-LD or
    # <meta name=author> naming the outlet itself is often a CMS default ("example.com
    # developer", the publisher as author), so the outlet there does not end the search; a
    # news agency or a desk does.
    sources: list[tuple[Callable[[], list[str]], bool]] = [
        (lambda: ld_names, False),
        (lambda: itemprop_authors(found.author_props), True),
        (lambda: credits["writer"], True),
        (lambda: [meta.get(k, "") for k in _META_AUTHOR], False),
        (lambda: rel_authors(found.author_props), True),
        (
            lambda: byline_class_texts([b for b in found.bylines if not _teaser_byline(b, tree)]),
            True,
        ),
        (lambda: text_values(node.get("creator")) if node else [], True),
        # A photo story's credited photographer ("Fotografer: Name") when no writer is named.
        (lambda: credits["photo"], True),
    ]
    fallback: list[str] = []
    for source, decisive in sources:
        names: dict[str, str] = {}
        agencies: dict[str, str] = {}
        for raw in source():
            if name_key(raw) in org_keys:
                agencies.setdefault(name_key(raw), clean_text(raw))
                continue
            people, orgs = split_credit(raw, site_keys=site_keys)
            for name in people:
                key = name_key(name)
                if key not in editors:
                    names.setdefault(key, name)
            for org in orgs:
                agencies.setdefault(name_key(org), org)
        if names:
            return list(names.values()), list(agencies.values())
        if agencies and (decisive or any(not outlet_only(a, site_keys) for a in agencies)):
            found_agencies = {name_key(a): a for a in fallback} | agencies
            return [], list(found_agencies.values())
        fallback += [a for a in agencies.values() if a not in fallback]
    return [], fallback

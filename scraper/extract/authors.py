"""Authors: bylines from JSON-LD, microdata, labelled credits and byline markup; never editors."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from lxml import etree

from scraper.extract.jsonld import text_values
from scraper.extract.parse import text_of
from scraper.extract.scan import Scan
from scraper.extract.title import clean_text

_WORDS = (
    "penulis", "pewarta", "reporter", "wartawan", "jurnalis", "oleh", "by", "author",
    "fotografer", "editor", "redaktur", "red", "penyunting", "kontributor", "ditulis",
)  # fmt: skip
# A closing bold line in capitals ("<strong>DINI TEJA</strong>") signs many Indonesian stories.
_BOLD = frozenset({"strong", "b"})
_CAPS_NAME = re.compile(r"^[A-Z][A-Z.'\-]*(?: [A-Z][A-Z.'\-]*){1,3}$")
_NOT_SIGNOFF = frozenset({"baca juga", "lihat juga", "simak juga", "advertisement", "iklan"})
_LABEL = re.compile(
    r"^[\s\W]*(?P<label>ditulis oleh|written by|posted by|penulis|pewarta|reporter|wartawan|"
    r"jurnalis|kontributor|oleh|by|author|fotografer|foto|editor|redaktur|penyunting|red)"
    r"(?![\w])\s*(?P<colon>[:：])?\s*(?P<rest>.*)$",
    re.I | re.S,
)
_MAX_CREDITS = 40
_MAX_ELEMENTS = 20_000  # a news page has ~1-3k elements; past this is generated filler
_NO_CREDIT_TAGS = frozenset({"script", "style", "a", "title", "noscript", "template"})
_MID_SEPARATOR = re.compile(r"\s[·|•]\s*(?=\S+\s*:|oleh\b|by\b)", re.I)
_LEAD = " \t\r\n\xa0:-–—•|()[]*"
_LABEL_STARTS = frozenset(
    {"di", "wr", "po", "pe", "re", "wa", "ju", "ko", "ol", "by", "au", "fo", "ed"}
)
_WRITER = frozenset(
    {"ditulis oleh", "written by", "posted by", "penulis", "pewarta", "reporter", "wartawan",
     "jurnalis", "kontributor", "oleh", "by", "author"}
)  # fmt: skip
_PHOTO = frozenset({"fotografer", "foto"})
_EDITOR = frozenset({"editor", "redaktur", "penyunting", "red"})
_CUT = re.compile(
    r"\s*(?:\||•|·|\n|\b(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|"
    r"editor|sumber|redaktur|penyunting|diperbarui|diterbitkan|updated|"
    r"published|posted|on \d|pada)\b|,?\s*\d{1,2}[\s/.-]+\w+[\s/.-]+\d{2,4}|\d{1,2}:\d{2}).*$",
    re.I | re.S,
)
_SUFFIX = re.compile(r"\s+[-–—]\s+\S+(?:\s\S+)?\s*$")
_ROLE_PREFIX = re.compile(
    r"^(?:kontributor|koresponden|wartawan|reporter|jurnalis|penulis)\s+[^,]{1,40},\s*", re.I
)
_SPLIT = re.compile(r"\s*(?:,|;|&|\bdan\b|\band\b|\bserta\b)\s*", re.I)
_ROLE_WORDS = frozenset(w for w in _WORDS if len(w) > 3) | {"jurnalis", "penulis", "by", "oleh"}
GENERIC = frozenset(
    {"admin", "administrator", "redaksi", "tim redaksi", "redaksi online", "staff", "staf",
     "editor", "editorial", "webmaster", "anonymous", "anonim", "guest", "tamu", "unknown",
     "team", "tim", "humas", "contributor", "kontributor", "reporter", "penulis", "newsroom",
     "desk", "wire", "rilis", "press release", "siaran pers", "user", "the editors",
     "facebook", "twitter", "instagram", "youtube", "google", "whatsapp", "tiktok", "linkedin",
     "line", "telegram", "email", "share", "bagikan",
     # news agencies credited instead of a writer
     "antara", "reuters", "ap", "afp", "xinhua", "bernama", "associated press", "kyodo"}
)  # fmt: skip
# "Name (Antara)", "Name (ant)", "Name/Kompas.com": the agency or site after a writer.
_AFTER_NAME = re.compile(r"\s*(?:\([^()]{1,30}\)|/\s*[\w.-]*[A-Za-z][\w.-]*)\s*$")
# "Tim Redaksi", "Tim CNN Indonesia": a team, unless "Tim" is a given name ("Tim Hardwick").
_TEAM_WORDS = frozenset(
    {"redaksi", "liputan", "riset", "data", "editor", "penulis", "kreatif", "publikasi",
     "humas", "jurnalis", "wartawan", "peliput", "media", "konten", "digital", "news"}
)  # fmt: skip
_NOT_NAME = re.compile(r"https?:|www\.|@|\.(?:com|id|net|org|co)\b|\d|[<>{}=/\\]", re.I)
_LEAD_BY = re.compile(r"^(?:[A-Z][a-z]+\s+){1,2}by\s+", re.S)  # "Analysis by Name", "Story by"
# Degrees after a name ("Name, MS, RD", "BSc"); only checked after a first name is found.
_CREDENTIAL = re.compile(
    r"^(?:[A-Z]{2,5}|[A-Z][a-z]?[A-Z][a-z]?|Ph\.?D\.?|M\.?D\.?)(?: \(\w+\)?)?$"
)
_ROLE_INSIDE = re.compile(
    r"\b(?:writer|staff|correspondent|contributing|contributor|columnist|stories|content|"
    r"video|kontributor|koresponden|wartawan)\b",
    re.I,
)


def _key(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def clean_names(raw: str, *, site_keys: Iterable[str] = ()) -> list[str]:
    """Split one credit into names: strip labels, site suffixes, roles; drop non-names."""
    text = _ROLE_PREFIX.sub("", clean_text(raw).lstrip(":： "))
    m = _LABEL.match(text)
    while m and m.group("label").lower() in _WRITER | _PHOTO:
        text = _ROLE_PREFIX.sub("", m.group("rest").lstrip(":： "))
        m = _LABEL.match(text)
    text = _LEAD_BY.sub("", _CUT.sub("", text))
    text = _AFTER_NAME.sub("", _SUFFIX.sub("", text))
    text = _ROLE_PREFIX.sub("", text).strip(" -–—:|,.")
    names = []
    for part in _SPLIT.split(text):
        part = part.strip(" -–—:|,.()")
        if (names and _CREDENTIAL.match(part)) or _ROLE_INSIDE.search(part):
            continue  # "MS", "RD", "PhD"; "AP Sports Writer", "Contributing Writer"
        if valid_name(part, site_keys):
            names.append(part)
    return names


_GENERIC_KEYS = frozenset(_key(g) for g in GENERIC)


def valid_name(name: str, site_keys: Iterable[str] = ()) -> bool:
    """A person's name: short, no URL/digits, not a generic account or the site itself."""
    if not 2 <= len(name) <= 60 or len(name.split()) > 6 or _NOT_NAME.search(name):
        return False
    key = _key(name)
    if not key or key in _GENERIC_KEYS:
        return False
    if any(key == s or (len(s) > 4 and s in key) for s in site_keys):
        return False
    if name[0].islower():
        return False  # prose after "by"/"oleh" ("then", "karena itu"), or "the Register"
    words = name.split()
    first = words[0].casefold()
    if first == "the" or (first == "tim" and _is_team(words[1:])):
        return False
    return first not in _ROLE_WORDS


def _is_team(rest: list[str]) -> bool:
    return len(rest) != 1 or not rest[0].istitle() or rest[0].casefold() in _TEAM_WORDS


def _value_after(owner: etree._Element, is_tail: bool) -> str:
    """The credit's value when the label stands alone: the next element's text."""
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


def _credit_texts(scope: etree._Element) -> Iterator[tuple[str, etree._Element, bool]]:
    """(text, owner, is_tail) of the short texts of `scope` that may hold a credit: opening
    with a label's first letters, or holding a separator a credit may follow. A plain-string
    test, as the label regex costs ~10x more and nearly always fails; bounded on giant pages."""
    starts, lead = _LABEL_STARTS, _LEAD
    for el in islice(scope.iter(), _MAX_ELEMENTS):
        text = el.text
        if (
            text
            and len(text) <= 160
            and el.tag not in _NO_CREDIT_TAGS
            and (
                text.lstrip(lead)[:2].lower() in starts or "·" in text or "|" in text or "•" in text
            )
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
        ):
            yield text, el, True


def labelled_credits(scope: etree._Element) -> dict[str, list[str]]:
    """Credits introduced by a label ("Penulis:", "Oleh", "Editor:"), grouped writer/photo/editor."""
    found: dict[str, list[str]] = {"writer": [], "photo": [], "editor": []}
    hits = 0
    for hit, owner, is_tail in _credit_texts(scope):
        if hit.lstrip(_LEAD)[:2].lower() in _LABEL_STARTS:
            m = _LABEL.match(hit)
        else:
            # "Selasa, 20 Jan 2026 19:45 WIB · Oleh: Name": a credit after a separator.
            m = _LABEL.match(_MID_SEPARATOR.split(hit, maxsplit=1)[-1])
        if not m:
            continue
        if m.group("label").lower() in ("kontributor", "wartawan", "reporter", "jurnalis"):
            # "Kontributor Lhokseumawe, Name" is a role and place before a name, not a label.
            m = _LABEL.match(_ROLE_PREFIX.sub("", hit.lstrip(":： ")))
            if not m:
                continue
        label = m.group("label").lower()
        rest = m.group("rest").strip()
        value = rest if rest.strip(":： ") else _value_after(owner, is_tail)
        if not value:
            continue
        if label in ("red", "foto") and not (m.group("colon") or value.startswith(":")):
            continue
        group = "editor" if label in _EDITOR else "photo" if label in _PHOTO else "writer"
        found[group].append(value)
        hits += 1
        if hits >= _MAX_CREDITS:  # a page of hundreds of "Oleh ..." lines is a listing anyway
            break
    return found


def _closing_bolds(scope: etree._Element) -> Iterator[etree._Element]:
    """Bold elements that end the last <p> among its siblings.

    A sibling scan that stops at the next <p>: the XPath spelling of this
    (`p[not(following-sibling::p)]`) re-reads every later sibling for each <p>,
    quadratic on pages of thousands of paragraphs.
    """
    for p in scope.iterdescendants("p"):
        if len(p) and p[-1].tag in _BOLD and next(p.itersiblings("p"), None) is None:
            yield p[-1]


def signoff_names(scope: etree._Element) -> list[str]:
    """A capitalised bold name closing the story's last paragraph, when there is exactly one."""
    found = []
    for el in _closing_bolds(scope):
        text = clean_text(text_of(el))
        if (el.tail or "").strip() or not _CAPS_NAME.match(text):
            continue
        if text.casefold() not in _NOT_SIGNOFF:
            found.append(text)
    return found if len(found) == 1 else []


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
        pieces = [p for p in pieces if p and p.casefold().strip(" :") not in _ROLE_WORDS]
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


def find_authors(
    tree: etree._Element,
    meta: dict[str, str],
    node: dict[str, Any] | None,
    keywords: list[str],
    site_keys: set[str],
    found: Scan,
    headline: etree._Element | None,
) -> list[str]:
    """Names from the first source that yields any, editors and site names removed."""
    scope = _credit_scope(tree, headline)
    credits = labelled_credits(scope)
    editors = {_key(n) for raw in credits["editor"] for n in clean_names(raw)}
    editors |= {_key(k.split(":", 1)[1]) for k in keywords if k.lower().startswith("editor:")}
    editors |= {_key(meta[k]) for k in ("editor", "dtk:editor") if meta.get(k)}
    # Most trusted first; later ones are only queried when earlier ones are empty.
    sources: list[Callable[[], list[str]]] = [
        lambda: text_values(node.get("author")) if node else [],
        lambda: itemprop_authors(found.author_props),
        lambda: credits["writer"],
        lambda: [meta.get(k, "") for k in _META_AUTHOR],
        lambda: rel_authors(found.author_props),
        lambda: byline_class_texts(found.bylines),
        lambda: text_values(node.get("creator")) if node else [],
        lambda: credits["photo"],
        lambda: signoff_names(scope) if headline is not None else [],
    ]
    for source in sources:
        names: dict[str, str] = {}
        for raw in source():
            for name in clean_names(raw, site_keys=site_keys):
                key = _key(name)
                if key not in editors:
                    names.setdefault(key, name)
        if names:
            return list(names.values())
    return []

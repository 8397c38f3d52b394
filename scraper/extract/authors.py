"""Authors and agency: bylines from JSON-LD, microdata, labelled credits and byline markup.

Editors are never authors. A credit naming only a news agency, the outlet itself or one of
its desks ("dpa", "BBC News", "MND Staff") is the record's `agency`, not an author.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from lxml import etree

from scraper.extract.jsonld import text_values, types_of
from scraper.extract.parse import text_of
from scraper.extract.scan import Scan
from scraper.extract.title import clean_text

_WORDS = (
    "penulis", "pewarta", "reporter", "wartawan", "jurnalis", "oleh", "by", "author",
    "fotografer", "editor", "redaktur", "red", "penyunting", "kontributor", "ditulis",
)  # fmt: skip
# "Oleh-oleh" and "By-election" are words, not labels: a label is followed by neither a
# letter nor a hyphen.
_LABEL = re.compile(
    r"^[\s\W]*(?P<label>ditulis oleh|written by|posted by|penulis|pewarta|reporter|wartawan|"
    r"jurnalis|kontributor|oleh|by|von|par|por|autorin/autor|autor/autorin|autorin|autor|author|fotografer|foto|photo|image|bild|editor|redaktur|"
    r"penyunting|red)"
    r"(?![\w-])\s*(?P<colon>[:：])?\s*(?P<rest>.*)$",
    re.I | re.S,
)
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
_WRITER = frozenset(
    {"ditulis oleh", "written by", "posted by", "penulis", "pewarta", "reporter", "wartawan",
     "jurnalis", "kontributor", "oleh", "by", "von", "par", "por", "author", "autor", "autorin",
     "autorin/autor", "autor/autorin"}
)  # fmt: skip
_PHOTO = frozenset({"fotografer", "foto", "photo", "image", "bild"})
# Only a photographer named by role may stand in for a missing writer; "Foto:" / "Image:"
# credit a picture (often an agency's), never the story.
_PHOTOGRAPHER = frozenset({"fotografer"})
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
# Conjunctions only between two names: "Dan Smith" is a name, not "and Smith".
_SPLIT = re.compile(r"\s*[,;&]\s*|(?<=\S)\s+(?:dan|and|und|serta)\s+(?=\S)", re.I)
_ROLE_WORDS = frozenset(w for w in _WORDS if len(w) > 3) | {
    "jurnalis", "penulis", "by", "oleh", "von", "par", "por"
}  # fmt: skip
GENERIC = frozenset(
    {"admin", "administrator", "redaksi", "tim redaksi", "redaksi online", "staff", "staf",
     "editor", "editorial", "webmaster", "anonymous", "anonim", "guest", "tamu", "unknown",
     "team", "tim", "humas", "contributor", "kontributor", "reporter", "penulis", "newsroom",
     "desk", "wire", "rilis", "press release", "siaran pers", "user", "the editors",
     "facebook", "twitter", "instagram", "youtube", "google", "whatsapp", "tiktok", "linkedin",
     "line", "telegram", "email", "share", "bagikan"}
)  # fmt: skip
#: News agencies: credited instead of a writer, they are the record's `agency`.
AGENCIES = frozenset(
    {"antara", "reuters", "ap", "afp", "xinhua", "bernama", "associated press", "kyodo",
     "kyodo news", "dpa", "sid", "apa", "kna", "epd", "ansa", "efe", "anp", "tass", "ria novosti",
     "yonhap", "upi", "aap", "pa", "pa media", "belga", "ctk", "čtk", "pap", "mti", "sda",
     "keystone-sda", "jiji", "jiji press", "afp-jiji", "dapd", "ddp", "agencies", "agenturen",
     "wires", "agence france-presse", "agence france presse", "deutsche presse-agentur"}
)  # fmt: skip
# "BR24 Redaktion", "MND Staff", "Redaksi Tekno": an outlet's desk, credited as a whole.
_DESK = re.compile(
    r"^(?:(?:tim\s+)?redaksi|redaktion|newsdesk|desk)\b|\b(?:staff|redaktion|redaksi|newsroom|"
    r"desk|editorial team|team|agencies|agenturen)$",
    re.I,
)
# Interface strings that byline boxes hold beside the name ("Follow", "View author
# publications", "Sie haben einen Fehler gefunden?"); a question or exclamation is never a name.
_INTERFACE = re.compile(
    r"[?!]|\b(?:follow|folgen|abonnieren|subscribe|view|publications|profile|profil|mehr|more|"
    r"themen|bearbeiten|abbruch|cancel|teilen|share|kontakt|contact|e-?mail|newsletter|"
    r"ikuti|lihat)\b",
    re.I,
)
# "LightRocket via Getty Images": a stock photo credit.
_PHOTO_CREDIT = re.compile(r"\bvia\b|\b(?:getty|shutterstock|imago|istock|alamy)\b", re.I)
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


# "Quelle: sid", "Sumber: Antara", "Source: Reuters": the story's source, an agency.
_SOURCE_LABEL = re.compile(r"^[\s\W]*(?:quelle|source|sumber)\s*[:：]\s*", re.I)


def _parts(raw: str) -> tuple[str, list[str], bool]:
    """The credit's label (writer/photo or ""), its pieces, and whether it names a source."""
    text = _ROLE_PREFIX.sub("", clean_text(raw).lstrip(":： "))
    source = _SOURCE_LABEL.match(text)
    if source:
        text = text[source.end() :]
    label = ""
    m = _LABEL.match(text)
    while m and m.group("label").lower() in _WRITER | _PHOTO:
        label = "photo" if m.group("label").lower() in _PHOTO else label or "writer"
        text = _ROLE_PREFIX.sub("", m.group("rest").lstrip(":： "))
        m = _LABEL.match(text)
    text = _LEAD_BY.sub("", _CUT.sub("", text))
    text = _AFTER_NAME.sub("", _SUFFIX.sub("", text))
    text = _ROLE_PREFIX.sub("", text).strip(" -–—:|,.")
    return label, [p.strip(" -–—:|,.()") for p in _SPLIT.split(text)], bool(source)


def is_agency(name: str, site_keys: Iterable[str] = ()) -> bool:
    """A news agency, the outlet itself, or one of its desks: not a person."""
    key = _key(name)
    if not key or len(name) > 60:
        return False
    if key in _AGENCY_KEYS or _DESK.search(name.strip()):
        return True
    return any(key == s or (len(s) > 4 and s in key) for s in site_keys)


def _outlet_only(name: str, site_keys: Iterable[str]) -> bool:
    """The outlet's own name, neither a news agency nor a desk of it."""
    key = _key(name)
    return key not in _AGENCY_KEYS and not _DESK.search(name.strip())


def split_credit(raw: str, *, site_keys: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """One credit as (people, agencies): labels, site suffixes and roles stripped; photo
    credits, interface strings and non-names dropped."""
    label, parts, source = _parts(raw)
    if label == "photo" or _PHOTO_CREDIT.search(raw):
        return [], []
    site_keys = tuple(site_keys)
    whole = " ".join(p for p in parts if p)
    if whole and is_agency(whole, site_keys) and not any(valid_name(p) for p in parts[1:]):
        # "Le Figaro et AFP", "BR24 Redaktion": one credit for the outlet or an agency.
        return [], [whole]
    names: list[str] = []
    agencies: list[str] = []
    for part in parts:
        if not part or _INTERFACE.search(part):
            continue
        if source or is_agency(part, site_keys):
            agencies.append(part)
            continue
        if (names and _CREDENTIAL.match(part)) or _ROLE_INSIDE.search(part):
            continue  # "MS", "RD", "PhD"; "AP Sports Writer", "Contributing Writer"
        if valid_name(part, site_keys):
            names.append(part)
    return names, agencies


def clean_names(raw: str, *, site_keys: Iterable[str] = ()) -> list[str]:
    """The people one credit names (see `split_credit`)."""
    return split_credit(raw, site_keys=site_keys)[0]


_GENERIC_KEYS = frozenset(_key(g) for g in GENERIC)
_AGENCY_KEYS = frozenset(_key(a) for a in AGENCIES)


def valid_name(name: str, site_keys: Iterable[str] = ()) -> bool:
    """A person's name: short, no URL/digits, not a generic account or the site itself."""
    if not 2 <= len(name) <= 60 or len(name.split()) > 6 or _NOT_NAME.search(name):
        return False
    key = _key(name)
    if not key or key in _GENERIC_KEYS or key in _AGENCY_KEYS:
        return False
    if any(key == s or (len(s) > 4 and s in key) for s in site_keys):
        return False
    if name[0].islower():
        return False  # prose after "by"/"oleh" ("then", "karena itu"), or "the Register"
    words = name.split()
    if any(w[0].islower() and w.casefold() not in _PARTICLES for w in words[1:]):
        return False  # a phrase ("Von Iron Man zu Doctor Doom"), not a capitalised name
    first = words[0].casefold()
    if first == "the" or (first == "tim" and _is_team(words[1:])):
        return False
    return first not in _ROLE_WORDS


# Lower-case words a personal name may hold ("Ursula von der Leyen", "Ahmad bin Ali").
_PARTICLES = frozenset(
    {"von", "van", "der", "den", "de", "del", "della", "da", "di", "du", "dos", "das", "la", "le",
     "bin", "binti", "al", "el", "ter", "ten", "y", "e", "af"}
)  # fmt: skip


def _is_team(rest: list[str]) -> bool:
    return len(rest) != 1 or not rest[0].istitle() or rest[0].casefold() in _TEAM_WORDS


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
            m = _LABEL.match(hit)
        else:
            # "Selasa, 20 Jan 2026 19:45 WIB · Oleh: Name": a credit after a separator.
            m = _LABEL.match(_MID_SEPARATOR.split(hit, maxsplit=1)[-1])
        if not m or _teaser_byline(owner, scope):
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
        if label in _PHOTO and label not in _PHOTOGRAPHER:
            continue
        group = "editor" if label in _EDITOR else "photo" if label in _PHOTO else "writer"
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
    site_keys = {k for k in map(_key, site_keys) if k}
    scope = _credit_scope(tree, headline)
    credits = labelled_credits(scope, headline)
    editors = {_key(n) for raw in credits["editor"] for n in clean_names(raw)}
    editors |= {_key(k.split(":", 1)[1]) for k in keywords if k.lower().startswith("editor:")}
    editors |= {_key(meta[k]) for k in ("editor", "dtk:editor") if meta.get(k)}
    ld_names, ld_orgs = _jsonld_credits(node.get("author")) if node else ([], [])
    org_keys = {_key(o) for o in ld_orgs}
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
            if _key(raw) in org_keys:
                agencies.setdefault(_key(raw), clean_text(raw))
                continue
            people, orgs = split_credit(raw, site_keys=site_keys)
            for name in people:
                key = _key(name)
                if key not in editors:
                    names.setdefault(key, name)
            for org in orgs:
                agencies.setdefault(_key(org), org)
        if names:
            return list(names.values()), list(agencies.values())
        if agencies and (decisive or any(not _outlet_only(a, site_keys) for a in agencies)):
            found_agencies = {_key(a): a for a in fallback} | agencies
            return [], list(found_agencies.values())
        fallback += [a for a in agencies.values() if a not in fallback]
    return [], fallback

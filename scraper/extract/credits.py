"""One credit string read into people and agencies.

"Penulis: A dan B", "Von X und Y", "Quelle: dpa": labels, roles, site suffixes and
conjunctions are understood; interface strings, photo credits and non-names are dropped.
Finding credits on the page is `authors.py`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from scraper.extract.title import clean_text

_WORDS = (
    "penulis", "pewarta", "reporter", "wartawan", "jurnalis", "oleh", "by", "author",
    "fotografer", "editor", "redaktur", "red", "penyunting", "kontributor", "ditulis",
)  # fmt: skip
# "Oleh-oleh" and "By-election" are words, not labels: a label is followed by neither a
# letter nor a hyphen.
LABEL = re.compile(
    r"^[\s\W]*(?P<label>ditulis oleh|written by|posted by|penulis|pewarta|reporter|wartawan|"
    r"jurnalis|kontributor|oleh|by|von|par|por|autorin/autor|autor/autorin|autorin|autor|author|fotografer|foto|photo|image|bild|editor|redaktur|"
    r"penyunting|red)"
    r"(?![\w-])\s*(?P<colon>[:：])?\s*(?P<rest>.*)$",
    re.I | re.S,
)
WRITER_LABELS = frozenset(
    {"ditulis oleh", "written by", "posted by", "penulis", "pewarta", "reporter", "wartawan",
     "jurnalis", "kontributor", "oleh", "by", "von", "par", "por", "author", "autor", "autorin",
     "autorin/autor", "autor/autorin"}
)  # fmt: skip
PHOTO_LABELS = frozenset({"fotografer", "foto", "photo", "image", "bild"})
# Only a photographer named by role may stand in for a missing writer; "Foto:" / "Image:"
# credit a picture (often an agency's), never the story.
PHOTOGRAPHER_LABELS = frozenset({"fotografer"})
EDITOR_LABELS = frozenset({"editor", "redaktur", "penyunting", "red"})
_CUT = re.compile(
    r"\s*(?:\||•|·|\n|\b(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|"
    r"editor|sumber|redaktur|penyunting|diperbarui|diterbitkan|updated|"
    r"published|posted|on \d|pada)\b|,?\s*\d{1,2}[\s/.-]+\w+[\s/.-]+\d{2,4}|\d{1,2}:\d{2}).*$",
    re.I | re.S,
)
_SUFFIX = re.compile(r"\s+[-–—]\s+\S+(?:\s\S+)?\s*$")
ROLE_PREFIX = re.compile(
    r"^(?:kontributor|koresponden|wartawan|reporter|jurnalis|penulis)\s+[^,]{1,40},\s*", re.I
)
# Conjunctions only between two names: "Dan Smith" is a name, not "and Smith".
_SPLIT = re.compile(r"\s*[,;&]\s*|(?<=\S)\s+(?:dan|and|und|serta)\s+(?=\S)", re.I)
ROLE_WORDS = frozenset(w for w in _WORDS if len(w) > 3) | {
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
# "Kabar Redaktion", "Newsdesk Staff", "Redaksi Tekno": an outlet's desk, credited as a whole.
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
_LEAD_BY = re.compile(r"^(?:[A-Z][a-z]+\s+){1,2}by\s+", re.S)  # "Analysis by Name", "Reporting by"
# Degrees after a name ("Name, MS, RD", "BSc"); only checked after a first name is found.
_CREDENTIAL = re.compile(
    r"^(?:[A-Z]{2,5}|[A-Z][a-z]?[A-Z][a-z]?|Ph\.?D\.?|M\.?D\.?)(?: \(\w+\)?)?$"
)
_ROLE_INSIDE = re.compile(
    r"\b(?:writer|staff|correspondent|contributing|contributor|columnist|stories|content|"
    r"video|kontributor|koresponden|wartawan)\b",
    re.I,
)


def name_key(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


# "Quelle: dpa", "Sumber: Antara", "Source: Reuters": the story's source, an agency.
_SOURCE_LABEL = re.compile(r"^[\s\W]*(?:quelle|source|sumber)\s*[:：]\s*", re.I)


def _parts(raw: str) -> tuple[str, list[str], bool]:
    """The credit's label (writer/photo or ""), its pieces, and whether it names a source."""
    text = ROLE_PREFIX.sub("", clean_text(raw).lstrip(":： "))
    source = _SOURCE_LABEL.match(text)
    if source:
        text = text[source.end() :]
    label = ""
    m = LABEL.match(text)
    while m and m.group("label").lower() in WRITER_LABELS | PHOTO_LABELS:
        label = "photo" if m.group("label").lower() in PHOTO_LABELS else label or "writer"
        text = ROLE_PREFIX.sub("", m.group("rest").lstrip(":： "))
        m = LABEL.match(text)
    text = _LEAD_BY.sub("", _CUT.sub("", text))
    text = _AFTER_NAME.sub("", _SUFFIX.sub("", text))
    text = ROLE_PREFIX.sub("", text).strip(" -–—:|,.")
    return label, [p.strip(" -–—:|,.()") for p in _SPLIT.split(text)], bool(source)


def is_agency(name: str, site_keys: Iterable[str] = ()) -> bool:
    """A news agency, the outlet itself, or one of its desks: not a person."""
    key = name_key(name)
    if not key or len(name) > 60:
        return False
    if key in _AGENCY_KEYS or _DESK.search(name.strip()):
        return True
    return any(key == s or (len(s) > 4 and s in key) for s in site_keys)


def outlet_only(name: str, site_keys: Iterable[str]) -> bool:
    """The outlet's own name, neither a news agency nor a desk of it."""
    key = name_key(name)
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
        # "Harian Kota et AFP", "Kabar Redaktion": one credit for the outlet or an agency.
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
            continue  # "MS", "RD", "PhD"; "Contributing Writer"
        if valid_name(part, site_keys):
            names.append(part)
    return names, agencies


def clean_names(raw: str, *, site_keys: Iterable[str] = ()) -> list[str]:
    """The people one credit names (see `split_credit`)."""
    return split_credit(raw, site_keys=site_keys)[0]


_GENERIC_KEYS = frozenset(name_key(g) for g in GENERIC)
_AGENCY_KEYS = frozenset(name_key(a) for a in AGENCIES)


def valid_name(name: str, site_keys: Iterable[str] = ()) -> bool:
    """A person's name: short, no URL/digits, not a generic account or the site itself."""
    if not 2 <= len(name) <= 60 or len(name.split()) > 6 or _NOT_NAME.search(name):
        return False
    key = name_key(name)
    if not key or key in _GENERIC_KEYS or key in _AGENCY_KEYS:
        return False
    if any(key == s or (len(s) > 4 and s in key) for s in site_keys):
        return False
    if name[0].islower():
        return False  # prose after "by"/"oleh" ("then", "karena itu"), or "the Register"
    words = name.split()
    if any(w[0].islower() and w.casefold() not in _PARTICLES for w in words[1:]):
        return False  # a phrase ("Von Kopf bis Fuss"), not a capitalised name
    first = words[0].casefold()
    if first == "the" or (first == "tim" and _is_team(words[1:])):
        return False
    return first not in ROLE_WORDS


# Lower-case words a personal name may hold ("Ursula von der Leyen", "Ahmad bin Ali").
_PARTICLES = frozenset(
    {"von", "van", "der", "den", "de", "del", "della", "da", "di", "du", "dos", "das", "la", "le",
     "bin", "binti", "al", "el", "ter", "ten", "y", "e", "af"}
)  # fmt: skip


def _is_team(rest: list[str]) -> bool:
    return len(rest) != 1 or not rest[0].istitle() or rest[0].casefold() in _TEAM_WORDS

"""What an element's class or id says for the metadata readers: breadcrumb, byline, date."""

from __future__ import annotations

BREAD, BYLINE, DATE, COMMENT = 1, 2, 4, 8

# Case-sensitive substrings, as the themes spell them ("breadcrumb", "BreadCrumb",
# "post-author", "td-post-date", "tgl-terbit").
_CLASS_WORDS = (
    (BREAD, ("bread", "Bread", "crumb")),
    (BYLINE, ("author", "Author", "byline", "penulis", "reporter", "writer")),
    (DATE, ("date", "Date", "time", "tgl", "tanggal", "publish", "posted", "waktu", "schedule")),
)
_ID_WORDS = ((BREAD, ("bread", "crumb")), (BYLINE, ("author",)))

#: Verdicts per class or id string: they repeat within and across a site's pages.
CLASS_MARKS: dict[str, int] = {}
ID_MARKS: dict[str, int] = {}
#: Past this many distinct strings a cache starts over, so a long crawl stays bounded.
_CAP = 50_000


def _marks(value: str, table: tuple[tuple[int, tuple[str, ...]], ...]) -> int:
    mark = 0
    for bit, words in table:
        if any(w in value for w in words):
            mark |= bit
    return mark


def class_marks(cls: str) -> int:
    """Marks of a class attribute; COMMENT flags comment boxes, whose bylines are commenters."""
    mark = CLASS_MARKS.get(cls)
    if mark is None:
        mark = _marks(cls, _CLASS_WORDS)
        if "comment" in cls.lower():
            mark |= COMMENT
        if len(CLASS_MARKS) >= _CAP:
            CLASS_MARKS.clear()
        CLASS_MARKS[cls] = mark
    return mark


def id_marks(ident: str) -> int:
    """Marks of an id attribute."""
    mark = ID_MARKS.get(ident)
    if mark is None:
        mark = _marks(ident, _ID_WORDS)
        if len(ID_MARKS) >= _CAP:
            ID_MARKS.clear()
        ID_MARKS[ident] = mark
    return mark

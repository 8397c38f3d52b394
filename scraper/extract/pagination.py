"""The later pages of an article split over several URLs ("Halaman 2", /2/, ?page=2)."""

from __future__ import annotations

from lxml import etree

from scraper.extract.links import absolute, split
from scraper.extract.xpaths import PAGE_LINK_TEXT, PAGE_PATH, PAGE_QUERY

#: How many levels above the container pagination links may sit.
MAX_CLIMB = 2


def _page_number(url: str, article_path: str) -> int | None:
    """The page number a URL names when it is a page of this article."""
    p = split(url)
    path = p.path.rstrip("/")
    q = PAGE_QUERY.search(p.query.lower())
    if q and path == article_path:
        return int(q.group(1))
    m = PAGE_PATH.search(path)
    if m and path[: m.start()].rstrip("/") == article_path:
        return int(m.group(1))
    return None


def find_next_pages(roots: list[etree._Element], url: str) -> list[str]:
    """Absolute URLs of this article's pages after the current one, in page order."""
    if not roots:
        return []
    here = split(url)
    current_path = here.path.rstrip("/")
    base_path = current_path
    m = PAGE_PATH.search(current_path)
    if m:
        # On page 2 itself, the article's path is the part before "/2".
        base_path = current_path[: m.start()].rstrip("/")
    current = _page_number(url, base_path) or 1
    scope = roots[0]
    for _ in range(MAX_CLIMB):
        parent = scope.getparent()
        if parent is None or parent.tag == "body":
            break
        scope = parent
    pages: dict[int, str] = {}
    for a in scope.iter("a"):
        href = a.get("href")
        if not href:
            continue
        # Most anchors hold bare text: read it without walking a subtree.
        text = " ".join((" ".join(a.itertext()) if len(a) else a.text or "").split())
        if not PAGE_LINK_TEXT.match(text.lower()) and a.get("rel") != "next":
            continue
        target = absolute(url, href)
        if not target or split(target).hostname != here.hostname:
            continue
        n = _page_number(target, base_path)
        if n is not None and n > current and n not in pages:
            pages[n] = target.split("#", 1)[0]
    return [pages[n] for n in sorted(pages)]

"""Demo articles as data: a small front-matter text format parsed into blocks."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from importlib import resources
from typing import Any

logger = logging.getLogger(__name__)

#: Demo times are written as WIB wall-clock time, the way Indonesian sites show them.
WIB = timezone(timedelta(hours=7), "WIB")

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_NESTED = re.compile(r"^\s{2,}(?:\d+\.|-)\s+")
_ORDERED = re.compile(r"^\d+\.\s+")


@dataclass
class Post:
    """One article: front matter plus body blocks (kinds: h2 h3 pseudo p list quote baca)."""

    slug: str
    title: str
    theme: str
    category: str
    tags: list[str]
    authors: list[str]
    published: datetime
    description: str
    related: list[str] = field(default_factory=list)
    blocks: list[dict[str, Any]] = field(default_factory=list)


def inline_text(text: str) -> str:
    """Body text as a reader sees it: link markup reduced to the link text."""
    return _BOLD.sub(r"\1", _LINK.sub(r"\1", text))


def _parse_list(lines: list[str]) -> dict[str, Any]:
    """Top-level `- ` or `1. ` items; indented items become the previous item's children."""
    ordered = bool(_ORDERED.match(lines[0]))
    items: list[dict[str, Any]] = []
    for line in lines:
        if _NESTED.match(line) and items:
            text = _NESTED.sub("", line).strip()
            items[-1]["children"].append({"text": text, "children": []})
            # The nested list's own type, needed only to render it (<ol> or <ul>).
            items[-1]["children_ordered"] = bool(_ORDERED.match(line.strip()))
        else:
            text = re.sub(r"^(?:-|\d+\.)\s+", "", line).strip()
            items.append({"text": text, "children": []})
    return {"kind": "list", "ordered": ordered, "items": items}


def _parse_block(chunk: str) -> dict[str, Any]:
    lines = chunk.splitlines()
    first = lines[0]
    if first.startswith("### "):
        return {"kind": "h3", "text": first[4:].strip()}
    if first.startswith("## "):
        return {"kind": "h2", "text": first[3:].strip()}
    if first.startswith("**") and first.rstrip().endswith("**") and len(lines) == 1:
        return {"kind": "pseudo", "text": first.strip().strip("*").strip()}
    if first.startswith("@baca "):
        return {"kind": "baca", "slug": first.split(None, 1)[1].strip()}
    if first.startswith("> "):
        return {"kind": "quote", "text": " ".join(line[2:].strip() for line in lines)}
    if first.startswith("- ") or _ORDERED.match(first):
        return _parse_list(lines)
    return {"kind": "p", "text": " ".join(line.strip() for line in lines)}


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def parse_post(text: str) -> Post:
    """Parse one article file: `key: value` lines, a `---` line, then the body.

    Body blocks are separated by blank lines: `## ` and `### ` headings, a lone
    `**bold line**` (a pseudo heading), `- ` or `1. ` list items (indented items
    nest under the one before), `> ` quotes, `@baca <slug>` (an inline "Baca
    juga" link to another demo article) and plain paragraphs, in which
    `[text](url)` and `**bold**` work. Times are WIB wall-clock times.
    """
    head, _, body = text.partition("\n---\n")
    meta: dict[str, str] = {}
    for line in head.strip().splitlines():
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip()
    blocks = [_parse_block(chunk) for chunk in re.split(r"\n\s*\n", body.strip()) if chunk.strip()]
    return Post(
        slug=meta["slug"],
        title=meta["title"],
        theme=meta.get("theme", "news"),
        category=meta["category"],
        tags=_split(meta.get("tags", "")),
        authors=_split(meta.get("authors", "")),
        published=datetime.fromisoformat(meta["published"]).replace(tzinfo=WIB),
        description=meta.get("description", ""),
        related=_split(meta.get("related", "")),
        blocks=blocks,
    )


def load_posts() -> list[Post]:
    """Every bundled demo article, newest first."""
    folder = resources.files("scraper.demo").joinpath("content")
    posts = [
        parse_post(entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".txt")
    ]
    logger.debug("loaded %s demo articles", len(posts))
    return sorted(posts, key=lambda p: p.published, reverse=True)

"""HTML pieces shared by the demo themes: inline markup, Indonesian dates, body blocks."""

from __future__ import annotations

import html
import re
import zlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from scraper.demo.content import Post

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

CATEGORIES = {"berita-viral": "Berita Viral", "gadget": "Gadget", "aplikasi": "Aplikasi"}

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def inline_html(text: str, base: str) -> str:
    """`[text](url)` and `**bold**` to HTML; site-relative URLs made absolute."""
    out = esc(text)

    def link(match: re.Match[str]) -> str:
        href = match.group(2)
        href = base + href if href.startswith("/") else href
        rel = "" if href.startswith(base) else ' rel="noopener" target="_blank"'
        return f'<a href="{href}"{rel}>{match.group(1)}</a>'

    out = _LINK.sub(link, out)
    return _BOLD.sub(r"<strong>\1</strong>", out)


def long_date(when: datetime) -> str:
    """'Kamis, 19 November 2026' — the shape Indonesian WordPress themes print."""
    return f"{DAYS[when.weekday()]}, {when.day} {MONTHS[when.month - 1]} {when.year}"


def short_date(when: datetime) -> str:
    """'19 Nov 2026 09:15 WIB'."""
    return f"{when.day} {MONTHS[when.month - 1][:3]} {when.year} {when:%H:%M} WIB"


def category_name(slug: str) -> str:
    return CATEGORIES.get(slug, slug.replace("-", " ").title())


def post_id(slug: str) -> int:
    """A stable WordPress-like post number (the hash must not change between runs)."""
    return zlib.crc32(slug.encode()) % 9000 + 100


def tag_slug(tag: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", tag.lower()).strip("-")


def _list_html(block: dict[str, Any], base: str) -> str:
    tag = "ol" if block["ordered"] else "ul"
    parts = [f'<{tag} class="wp-block-list">']
    for item in block["items"]:
        inner = inline_html(item["text"], base)
        if item["children"]:
            sub = "ol" if item.get("children_ordered") else "ul"
            kids = "".join(f"<li>{inline_html(c['text'], base)}</li>" for c in item["children"])
            inner += f"\n<{sub}>{kids}</{sub}>"
        parts.append(f"<li>{inner}</li>")
    parts.append(f"</{tag}>")
    return "\n".join(parts)


def body_html(
    post: Post,
    base: str,
    titles: dict[str, str],
    baca: Callable[[str, str], str],
    ad: str = "",
) -> str:
    """The article body; `baca(url, title)` renders an inline related link in theme style."""
    out: list[str] = []
    for index, block in enumerate(post.blocks):
        kind = block["kind"]
        if kind in ("h2", "h3"):
            out.append(f'<{kind} class="wp-block-heading">{esc(block["text"])}</{kind}>')
        elif kind == "pseudo":
            out.append(f"<p><strong>{esc(block['text'])}</strong></p>")
        elif kind == "p":
            out.append(f"<p>{inline_html(block['text'], base)}</p>")
        elif kind == "quote":
            out.append(
                f'<blockquote class="wp-block-quote"><p>{esc(block["text"])}</p></blockquote>'
            )
        elif kind == "list":
            out.append(_list_html(block, base))
        elif kind == "baca":
            out.append(baca(f"{base}/{block['slug']}/", titles.get(block["slug"], block["slug"])))
        if index == 1 and ad:
            out.append(ad)
    return "\n".join(out)


def page(head: str, body_class: str, body: str, lang: str = "id-ID") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="UTF-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'{head}\n</head>\n<body class="{body_class}">\n{body}\n</body>\n</html>\n'
    )

"""Turn page bytes or text into an lxml tree, whatever the page throws at us."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def decode(data: bytes) -> str:
    """Decode page bytes: BOM, then declared charset, then UTF-8, then a detector."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "ignore")
        try:
            text = data.decode(name)
            # A page declaring a single-byte charset but sending UTF-8 decodes
            # "fine" into mojibake; prefer UTF-8 when it decodes cleanly.
            if name.lower() not in ("utf-8", "utf8"):
                try:
                    return data.decode("utf-8")
                except UnicodeDecodeError:
                    return text
            return text
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from bs4.dammit import UnicodeDammit  # only for pages that are not UTF-8

        guess = UnicodeDammit(data[:200_000], ["utf-8", "windows-1252", "iso-8859-1"])
        return data.decode(guess.original_encoding or "windows-1252", "replace")


def parse_html(html: str | bytes) -> lxml.html.HtmlElement | None:
    """Parse a page; None for an empty or non-HTML document."""
    text = decode(html) if isinstance(html, bytes) else html
    text = _XML_DECL.sub("", text, count=1).replace("\x00", "")
    if not text.strip():
        return None
    try:
        parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=False)
        tree = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        return None
    return tree if tree is not None and len(tree) else None

"""Turn page bytes or text into an lxml tree, whatever the page throws at us."""

from __future__ import annotations

import re
import threading

from lxml import etree

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_XML_DECL_BYTES = re.compile(rb"^\s*<\?xml[^>]*\?>", re.I)
_BOM = b"\xef\xbb\xbf"
_INVALID_ENCODING = etree.ErrorTypes.ERR_INVALID_ENCODING

# Plain etree elements, not lxml.html's HtmlElement: lxml.html picks each
# element's Python class through a Python-level lookup, paid on every element
# the extractor touches, and nothing here needs the HtmlElement helpers.
# No id hash table either (collect_ids): nothing looks elements up by id.
_OPTIONS = {"remove_comments": True, "remove_pis": True, "huge_tree": False, "collect_ids": False}
# One pair of parsers per thread: a parser is not to be shared across threads,
# and parse_html reads its error log after parsing.
_local = threading.local()


def _parsers() -> tuple[etree.HTMLParser, etree.HTMLParser]:
    """(text parser, UTF-8 bytes parser) of this thread."""
    parsers = getattr(_local, "parsers", None)
    if parsers is None:
        # UTF-8 bytes go to libxml2 as they are: decoding them to str only for
        # lxml to encode them back costs ~10% of the parse.
        parsers = _local.parsers = (
            etree.HTMLParser(**_OPTIONS),
            etree.HTMLParser(encoding="utf-8", **_OPTIONS),
        )
    return parsers


#: An element's whole text, as lxml.html's `text_content()` computes it.
text_of = etree.XPath("string()", smart_strings=False)


def decode(data: bytes) -> str:
    """Decode page bytes: BOM, then declared charset, then UTF-8, then a detector."""
    if data.startswith(_BOM):
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


def _parse(source: str | bytes, parser: etree.HTMLParser) -> etree._Element | None:
    if not source or source.isspace():
        return None
    try:
        tree = etree.fromstring(source, parser)
    except (etree.LxmlError, ValueError):
        return None
    return tree if tree is not None and len(tree) else None


def _not_utf8(parser: etree.HTMLParser) -> bool:
    """Whether the last parse met bytes that are not UTF-8 (libxml2 put U+FFFD for them)."""
    return any(e.type == _INVALID_ENCODING for e in parser.error_log)


def parse_html(html: str | bytes) -> etree._Element | None:
    """Parse a page; None for an empty or non-HTML document."""
    text_parser, utf8_parser = _parsers()
    if isinstance(html, bytes):
        # Most pages are UTF-8, which `decode` always prefers: parse the bytes as UTF-8
        # and fall back to decoding only when libxml2 reports bytes that are not.
        raw = html[3:] if html.startswith(_BOM) else html
        raw = _XML_DECL_BYTES.sub(b"", raw, count=1)
        if b"\x00" in raw:
            raw = raw.replace(b"\x00", b"")
        if not raw or raw.isspace():
            return None
        tree = _parse(raw, utf8_parser)
        if not _not_utf8(utf8_parser):
            return tree
        html = decode(html)
    text = _XML_DECL.sub("", html, count=1).replace("\x00", "")
    return _parse(text, text_parser)

"""The article text a page carries in its scripts: JSON-LD `articleBody`, app state.

Pages rendered by JavaScript frameworks may ship the story only as data (a
JSON-LD `articleBody`, a `__NEXT_DATA__`-style state object, streamed
framework chunks holding the body's HTML as a string). When the markup holds
far less than that data, the body extractor uses it instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from scraper.extract.jsonld import article_node, parse_jsonld

#: A JSON string literal long enough to hold an article's HTML (escapes included).
_LITERAL = re.compile(r'"((?:[^"\\]|\\.){400,})"')
#: HTML a body is written in: paragraphs or line breaks.
_BODY_HTML = re.compile(r"<(?:p|br)[\s/>]", re.I)
_TAG = re.compile(r"<[^>]+>")
#: Scripts read for state: longer ones are bundles, not page data.
MAX_SCRIPT = 2_000_000
#: Fewest words a structured body must have to be considered at all.
MIN_STRUCTURED_WORDS = 40


@dataclass
class Structured:
    """What the page's JSON says about its body."""

    #: Plain text of JSON-LD `articleBody` ("" when absent).
    text: str = ""
    #: JSON-LD `wordCount`, when the page states one.
    word_count: int | None = None


def from_jsonld(scripts: Iterable[etree._Element]) -> Structured:
    """`articleBody` and `wordCount` of the page's article node."""
    # The metadata reader parsed these blocks already; most pages state no
    # body, and a substring test spares parsing them twice.
    scripts = [s for s in scripts if s.text and ("articleBody" in s.text or "wordCount" in s.text)]
    if not scripts:
        return Structured()
    node = article_node(parse_jsonld(scripts))
    if node is None:
        return Structured()
    body = node.get("articleBody")
    text = ""
    if isinstance(body, str) and body.strip():
        # Some CMSs put the body's HTML in articleBody: keep its paragraph breaks.
        text = _TAG.sub("\n", body) if "<" in body else body
        text = "\n\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    count = node.get("wordCount")
    try:
        words = int(count) if count is not None else None
    except (TypeError, ValueError):
        words = None
    return Structured(text=text, word_count=words if words and words > 0 else None)


def state_html(scripts: Iterable[etree._Element]) -> str | None:
    """The longest HTML string (one with paragraphs) held in the page's script data.

    Framework state (`__NEXT_DATA__`, streamed chunks, query caches) stores the
    body's HTML as a JSON string; JSON-LD blocks are read by `from_jsonld`.
    """
    best: str | None = None
    for script in scripts:
        kind = (script.get("type") or "").lower()
        if "ld+json" in kind:
            continue
        text = script.text or ""
        if len(text) < 400 or len(text) > MAX_SCRIPT:
            continue
        for found in _strings(text):
            if (best is None or len(found) > len(best)) and _BODY_HTML.search(found):
                best = found
    return best


def _strings(text: str) -> Iterable[str]:
    """Long string values in a script, decoded; a string holding JSON is opened too."""
    for match in _LITERAL.finditer(text):
        value = _decode(match.group(1))
        if value is None:
            continue
        yield value
        # Streamed chunks double-encode: a string whose content is JSON again.
        if '\\"' in match.group(1):
            for inner in _LITERAL.finditer(value):
                decoded = _decode(inner.group(1))
                if decoded is not None:
                    yield decoded


def _decode(literal: str) -> str | None:
    try:
        value: Any = json.loads(f'"{literal}"')
    except ValueError:
        return None
    return value if isinstance(value, str) else None

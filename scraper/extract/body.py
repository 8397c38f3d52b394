"""The article body: clean text, ordered blocks, headings, lists, links, related links."""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from lxml import etree

from scraper.extract.blocks import Walk, walk_roots
from scraper.extract.content import Container, find_container
from scraper.extract.links import body_links
from scraper.extract.pagination import find_next_pages
from scraper.extract.related import find_related
from scraper.extract.structured import MIN_STRUCTURED_WORDS, from_jsonld, state_html
from scraper.extract.survey import Survey, survey
from scraper.extract.xpaths import EDITOR_CODE, NUMBERED
from scraper.items import Heading, Link, ListBlock, Related

logger = logging.getLogger(__name__)

#: A container with less prose than this is a teaser, not an article body.
MIN_CONTAINER_PROSE = 200
#: Consecutive all-link lines that make a link list, not prose.
LINK_RUN = 3
#: Fewest words of each line in such a run.
LINK_RUN_WORDS = 3
#: Below this many words, a body sharing no word with the title and the
#: description is suspect.
SUSPECT_WORDS = 80
#: Ancestors of a container that missed most of the story tried in turn.
SECOND_LOOK_LEVELS = 4
#: Share of the structured body's words an ancestor must hold to be the body,
#: and share of its own words that must be the structured body's.
SECOND_LOOK_RECALL = 0.85
SECOND_LOOK_PRECISION = 0.7
_WORD = re.compile(r"\w+")
#: How many times the markup's words the script data must hold to be the body.
STRUCTURED_GAIN = 2.0
#: Below this many words from the markup, script state is searched for the body.
MIN_MARKUP_WORDS = 60


@dataclass
class Body:
    body_text: str = ""
    blocks: list[dict[str, Any]] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    lists: list[ListBlock] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    container_found: bool = False
    #: Where the body came from: "container" (the element holding the article),
    #: "fallback" (the best of weak candidates: little prose, no body-like
    #: name; or a wider element chosen because the container held far less
    #: than the page's JSON-LD articleBody), "structured" (the page's script
    #: data), None (no body).
    body_source: str | None = None

    @cached_property
    def word_count(self) -> int:
        """Words of the body text (split once: classify and the record both need it)."""
        return len(self.body_text.split())


def extract_body(
    tree: etree._Element,
    url: str,
    *,
    title: str | None = None,
    page: Survey | None = None,
    description: str | None = None,
) -> Body:
    """Find the article container and walk it into blocks, text and links.

    `page` is the page's survey when the caller already made it for the metadata.
    When the page's script data (JSON-LD `articleBody`, app state) holds far
    more text than the markup gave, that text is the body instead.
    """
    found = page or survey(tree)
    related = find_related(url, found)
    container = find_container(found, title)
    if container is None:
        logger.debug("%s: no prose container", url)
        body = Body(related=related)
    else:
        logger.debug(
            "%s: container <%s class=%r> (+%d roots), named=%s, prose=%d",
            url,
            container.roots[0].tag,
            container.roots[0].get("class"),
            len(container.roots) - 1,
            container.hinted,
            container.prose,
        )
        walk = walk_roots(container.roots, url, container.stats.prose)
        found_it = container.hinted or container.prose >= MIN_CONTAINER_PROSE
        body = _body(walk, url, title, related, "container" if found_it else "fallback")
        body.next_pages = find_next_pages(container.roots, url)
        body.container_found = found_it
        if not container.hinted and _off_topic(body, title, description):
            # A short unnamed block sharing no word with the headline or the
            # description is a teaser of another story (a sidebar box), not
            # this page's body: no body beats a wrong one.
            logger.debug("%s: %d-word block is about another story", url, body.word_count)
            body = Body(related=related)
    return _structured(body, found, url, title, container)


def _body(walk: Walk, url: str, title: str | None, related: list[Related], source: str) -> Body:
    blocks = _tidy(walk.blocks, title)
    return Body(
        body_text=_text(blocks),
        blocks=blocks,
        headings=[
            {"level": b["level"], "text": b["text"]} for b in blocks if b["type"] == "heading"
        ],
        lists=[
            {"ordered": b["ordered"], "items": b["items"]} for b in blocks if b["type"] == "list"
        ],
        links=body_links(walk.links, url, {r["url"] for r in related}),
        related=related,
        body_source=source if blocks else None,
    )


def _structured(
    body: Body, found: Survey, url: str, title: str | None, container: Container | None
) -> Body:
    """The script data's text when the markup gave far less of it."""
    scripts = found.tagged["script"]
    if not scripts:
        return body
    have = body.word_count
    data = from_jsonld(scripts)
    if data.text:
        words = len(data.text.split())
        if words >= MIN_STRUCTURED_WORDS and words > STRUCTURED_GAIN * have:
            # The container missed most of the story: a wider element of the
            # page may hold it, with its headings, lists and links.
            wider = _second_look(container, url, title, body.related, data.text)
            if wider is not None:
                return _replace(body, wider)
            walk = Walk(url)
            walk.blocks = [{"type": "paragraph", "text": p} for p in data.text.split("\n\n")]
            return _replace(body, _body(walk, url, title, body.related, "structured"))
    if have >= MIN_MARKUP_WORDS:
        return body
    # The markup is (nearly) empty: the story may be app state only.
    html = state_html(scripts)
    if html is None:
        return body
    holder = etree.fromstring(f"<div>{html}</div>", etree.HTMLParser()).find(".//div")
    if holder is None:
        return body
    got = _body(walk_roots([holder], url), url, title, body.related, "structured")
    if got.word_count >= MIN_STRUCTURED_WORDS and got.word_count > STRUCTURED_GAIN * have:
        return _replace(body, got)
    return body


def _off_topic(body: Body, title: str | None, description: str | None) -> bool:
    """Whether a short body shares no word with the page's title and description."""
    if body.word_count >= SUSPECT_WORDS or not title:
        return False
    topic = {w for w in _WORD.findall(f"{title} {description or ''}".casefold()) if len(w) >= 4}
    if len(topic) < 3:
        return False  # too little to judge by (or a script without spaces)
    return not topic.intersection(_WORD.findall(body.body_text.casefold()))


def _second_look(
    container: Container | None, url: str, title: str | None, related: list[Related], text: str
) -> Body | None:
    """The container's nearest ancestor whose text matches the structured
    body (most of its words, few others), walked as the body; None if none does."""
    if container is None:
        return None
    want = Counter(_WORD.findall(text.lower()))
    total = sum(want.values())
    node = container.roots[0].getparent()
    for _ in range(SECOND_LOOK_LEVELS):
        if node is None or node.tag in ("body", "html"):
            return None
        walk = walk_roots([node], url, container.stats.prose)
        got = _body(walk, url, title, related, "fallback")
        have = Counter(_WORD.findall(got.body_text.lower()))
        shared = sum((want & have).values())
        if shared >= SECOND_LOOK_RECALL * total:
            if shared >= SECOND_LOOK_PRECISION * sum(have.values()):
                logger.debug("second look: <%s> holds the structured body", node.tag)
                got.container_found = True
                return got
            return None  # wider still only adds more that is not the story
        node = node.getparent()
    return None


def _replace(old: Body, new: Body) -> Body:
    logger.debug("body from script data: %d words (markup %d)", new.word_count, old.word_count)
    new.container_found = True
    new.next_pages = old.next_pages
    return new


def _tidy(blocks: list[dict[str, Any]], title: str | None) -> list[dict[str, Any]]:
    """Settle pseudo headings, numbered bold runs and the closing editor code."""
    if title:
        folded = title.strip().casefold()
        blocks = [b for b in blocks if b.get("text", "").casefold() != folded]
    blocks = _numbered_runs(blocks)
    level = 3
    out: list[dict[str, Any]] = []
    for i, b in enumerate(blocks):
        if b["type"] == "heading" and not b.get("pseudo"):
            level = b["level"]
        elif b.get("pseudo"):
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            # A bold line with no prose after it closes the story (a sign-off
            # or a credit), it does not head a section.
            if following is None or following["type"] == "heading":
                b = {"type": "paragraph", "text": b["text"]}
            else:
                b = {"type": "heading", "level": level, "text": b["text"]}
        out.append(b)
    # Lines of only links after the story are link lists left in the
    # container (other posts, spam links), not its closing words.
    while out and out[-1].get("linked"):
        out.pop()
    out = _drop_link_runs(out)
    for b in out:
        b.pop("linked", None)
    # Drop the "(fyk/ash)" initials that close Indonesian news copy.
    while out and out[-1]["type"] == "paragraph":
        stripped = EDITOR_CODE.sub("", out[-1]["text"]).strip()
        if stripped == out[-1]["text"]:
            break
        if stripped:
            out[-1] = {**out[-1], "text": stripped}
            break
        out.pop()
    return out


def _drop_link_runs(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Runs of LINK_RUN or more lines that are all link text are a list of other
    stories or offers left inside the container, wherever they stand."""
    out: list[dict[str, Any]] = []
    run: list[dict[str, Any]] = []
    for b in [*blocks, {"type": "end"}]:
        # Short linked labels ("Buy now", a price) belong to product boxes
        # an article may be made of; a list of stories has headline-long lines.
        if b.get("linked") and len(b["text"].split()) >= LINK_RUN_WORDS:
            run.append(b)
            continue
        if len(run) < LINK_RUN:
            out.extend(run)
        run = []
        if b["type"] != "end":
            out.append(b)
    return out


def _numbered_runs(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Adjacent bold lines "1. …", "2. …" form an ordered list."""
    out: list[dict[str, Any]] = []
    i = 0
    while i < len(blocks):
        run = []
        j = i
        while j < len(blocks) and blocks[j].get("pseudo"):
            m = NUMBERED.match(blocks[j]["text"])
            if not m or int(m.group(1)) != len(run) + 1:
                break
            run.append(blocks[j]["text"])
            j += 1
        if len(run) >= 2:
            items = [{"text": t.split(None, 1)[1], "children": []} for t in run]
            out.append({"type": "list", "ordered": True, "items": items})
            i = j
        else:
            out.append(blocks[i])
            i += 1
    return out


def _lines(items: list[dict[str, Any]], out: list[str]) -> None:
    for item in items:
        if item["text"]:
            out.append(item["text"])
        _lines(item["children"], out)


def _text(blocks: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for b in blocks:
        if b["type"] == "list":
            _lines(b["items"], lines)
        elif b["type"] == "table":
            lines.extend(" | ".join(c for c in row if c) for row in b["rows"])
        else:
            lines.append(b["text"])
    return "\n\n".join(line for line in lines if line)

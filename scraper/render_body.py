"""An archived article's body laid out again as headings, paragraphs and lists.

The record keeps the body as paragraphs (`body_text`, list items flattened in
reading order) plus the structure of each list (`lists`) and heading
(`headings`). Each list is put back where its items' run of paragraphs is, so
numbering and nesting come back in Markdown and in the terminal.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import click

from scraper.safe_text import printable


@dataclass
class Block:
    kind: str  # heading | paragraph | list
    text: str = ""
    level: int = 0
    ordered: bool = False
    items: list[dict[str, Any]] | None = None


def _flat(items: list[dict[str, Any]], out: list[str]) -> list[str]:
    # The same order the extractor writes list items into body_text.
    for item in items:
        if item.get("text"):
            out.append(item["text"].strip())
        _flat(item.get("children") or [], out)
    return out


def blocks(record: Mapping[str, Any]) -> list[Block]:
    """The body as blocks in reading order."""
    levels = {h["text"]: h["level"] for h in record.get("headings") or []}
    lists = [lst for lst in record.get("lists") or [] if lst.get("items")]
    runs = [_flat(lst["items"], []) for lst in lists]
    paras = [p.strip() for p in (record.get("body_text") or "").split("\n\n") if p.strip()]
    out: list[Block] = []
    i = next_list = 0
    while i < len(paras):
        for j in range(next_list, len(lists)):
            run = runs[j]
            if run and paras[i : i + len(run)] == run:
                out.append(
                    Block("list", ordered=bool(lists[j].get("ordered")), items=lists[j]["items"])
                )
                i += len(run)
                next_list = j + 1
                break
        else:
            para = paras[i]
            if para in levels:
                out.append(Block("heading", para, level=int(levels[para])))
            else:
                out.append(Block("paragraph", para))
            i += 1
    return out


# -- Markdown ---------------------------------------------------------------

#: A line start CommonMark would read as structure (heading, quote, list,
#: fence, thematic break, HTML, link definition, setext underline).
_MD_START = re.compile(r"[#>+*=_~`\[|-]")
_MD_NUMBER = re.compile(r"\d{1,9}(?=[.)])")


def md_text(text: str) -> str:
    """One line of text that Markdown shows as the text itself, not as structure."""
    # "<" could open raw HTML (a <script> from the page) in a Markdown viewer.
    text = " ".join(printable(text).split()).replace("<", "\\<")
    number = _MD_NUMBER.match(text)
    if number:
        return text[: number.end()] + "\\" + text[number.end() :]
    if _MD_START.match(text):
        return "\\" + text
    return text


def _md_items(items: list[dict[str, Any]], ordered: bool, indent: int, alt: bool) -> list[str]:
    lines: list[str] = []
    for n, item in enumerate(items, 1):
        marker = (f"{n})" if alt else f"{n}.") if ordered else ("*" if alt else "-")
        text = md_text(item.get("text") or "")
        lines.append(" " * indent + marker + (f" {text}" if text else ""))
        children = item.get("children") or []
        if children:
            # The record does not say whether a nested list was numbered.
            lines += _md_items(children, False, indent + len(marker) + 1, False)
    return lines


def markdown_body(body: list[Block]) -> list[str]:
    """Markdown lines; every block ends with a blank line so none runs into the next."""
    lines: list[str] = []
    previous: Block | None = None
    alt = False
    for block in body:
        if block.kind == "heading":
            lines += ["#" * min(max(block.level, 1), 6) + " " + md_text(block.text), ""]
        elif block.kind == "list":
            # Two lists in a row with the same marker would merge into one
            # list: the second switches to the other marker (- / *, 1. / 1)).
            same = previous is not None and previous.kind == "list"
            alt = same and previous.ordered == block.ordered and not alt
            lines += [*_md_items(block.items or [], block.ordered, 0, alt), ""]
        else:
            lines += [md_text(block.text), ""]
        previous = block
    return lines


# -- terminal -----------------------------------------------------------------


def _term_items(items: list[dict[str, Any]], ordered: bool, indent: int, width: int) -> list[str]:
    lines: list[str] = []
    for n, item in enumerate(items, 1):
        marker = f"{n}." if ordered else "•"
        first = " " * indent + marker + " "
        text = " ".join(printable(item.get("text") or "").split())
        lines.append(
            textwrap.fill(text, width, initial_indent=first, subsequent_indent=" " * len(first))
            if text
            else first.rstrip()
        )
        lines += _term_items(item.get("children") or [], False, len(first), width)
    return lines


def terminal_body(body: list[Block], width: int) -> list[str]:
    """Lines for reading in a terminal: bold headings, numbered and nested lists."""
    lines: list[str] = []
    for block in body:
        if block.kind == "heading":
            text = printable(block.text)
            lines += ["", click.style(text, bold=True, underline=block.level == 2)]
        elif block.kind == "list":
            lines += [*_term_items(block.items or [], block.ordered, 2, width), ""]
        else:
            lines += [textwrap.fill(printable(block.text), width), ""]
    return lines

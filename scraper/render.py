"""Plain-text and Markdown renderings of archive records for the terminal."""

from __future__ import annotations

import csv
import json
import sys
import textwrap
from collections.abc import Iterable, Mapping
from typing import Any

import click

WIDTH = 88
HIT_FIELDS = ("id", "title", "site", "published_at", "url", "snippet", "score")


def hits(rows: Iterable[Mapping[str, Any]], *, fmt: str = "text") -> None:
    """Print search hits as text blocks, JSON lines or CSV."""
    rows = list(rows)
    if fmt == "json":
        for row in rows:
            click.echo(json.dumps(dict(row), ensure_ascii=False))
        return
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=HIT_FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        return
    if not rows:
        click.echo("No matches.")
        return
    for rank, row in enumerate(rows, 1):
        date = (row.get("published_at") or "")[:10] or "no date"
        click.echo(f"{rank}. {row.get('title')}")
        click.echo(f"   {row.get('site') or '-'} · {date} · {row.get('url')}")
        snippet = (row.get("snippet") or "").replace("\n", " ")
        if snippet:
            click.echo(textwrap.indent(textwrap.fill(snippet, WIDTH - 3), "   "))
        click.echo()


def _paragraphs(record: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Body paragraphs tagged with their role: heading level, list item or text."""
    levels = {h["text"]: h["level"] for h in record.get("headings") or []}
    items: set[str] = set()

    def walk(entries: list[dict[str, Any]]) -> None:
        for item in entries:
            items.add(item.get("text", ""))
            walk(item.get("children") or [])

    for lst in record.get("lists") or []:
        walk(lst.get("items") or [])
    out = []
    for para in (record.get("body_text") or "").split("\n\n"):
        para = para.strip()
        if not para:
            continue
        if para in levels:
            out.append((f"h{levels[para]}", para))
        elif para in items:
            out.append(("li", para))
        else:
            out.append(("p", para))
    return out


def _byline(record: Mapping[str, Any]) -> str:
    parts = [record.get("published_at") or "no date"]
    if record.get("authors"):
        parts.append(", ".join(record["authors"]))
    if record.get("site"):
        parts.append(record["site"])
    return " · ".join(parts)


def article(record: Mapping[str, Any]) -> str:
    """The article laid out for reading in a terminal."""
    lines = []
    if record.get("breadcrumbs"):
        lines.append(" > ".join(record["breadcrumbs"]))
    lines += [click.style(record.get("title") or "", bold=True), _byline(record)]
    lines += [record.get("canonical_url") or record.get("url") or "", ""]
    for role, text in _paragraphs(record):
        if role.startswith("h"):
            lines += ["", click.style(text, bold=True, underline=role == "h2")]
        elif role == "li":
            lines.append(
                textwrap.fill(text, WIDTH, initial_indent="  • ", subsequent_indent="    ")
            )
        else:
            lines += [textwrap.fill(text, WIDTH), ""]
    if record.get("related"):
        lines += ["", click.style("Related", bold=True)]
        lines += [f"  - {r.get('title') or r['url']} <{r['url']}>" for r in record["related"]]
    if record.get("duplicate_of"):
        lines += ["", f"Duplicate of {record['duplicate_of']}"]
    return "\n".join(lines).rstrip() + "\n"


def markdown(record: Mapping[str, Any]) -> str:
    """The article as Markdown, headings and lists kept as structure."""
    lines = [f"# {record.get('title') or ''}", ""]
    if record.get("breadcrumbs"):
        lines += [" › ".join(record["breadcrumbs"]), ""]
    lines += [f"*{_byline(record)}*  ", f"<{record.get('canonical_url') or record.get('url')}>", ""]
    for role, text in _paragraphs(record):
        if role.startswith("h"):
            lines += ["#" * int(role[1]) + " " + text, ""]
        elif role == "li":
            lines.append(f"- {text}")
        else:
            lines += [text, ""]
    if record.get("related"):
        lines += ["", "## Related", ""]
        lines += [f"- [{r.get('title') or r['url']}]({r['url']})" for r in record["related"]]
    return "\n".join(lines).rstrip() + "\n"


def _table(header: list[str], rows: list[list[Any]]) -> str:
    cells = [header] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
    out += [fmt.format(*row) for row in cells[1:]]
    return "\n".join(out)


def _human(key: str, value: Any) -> Any:
    """Byte counts as KB/MB; everything else as it is."""
    if not key.endswith("bytes") or not isinstance(value, int):
        return value
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return value


def stats(data: Mapping[str, Any]) -> str:
    """Archive totals, then one row per site."""
    totals = {k: v for k, v in data.items() if k != "sites"}
    head = ", ".join(f"{k.replace('_', ' ')}: {_human(k, v)}" for k, v in totals.items())
    sites = data.get("sites", [])
    if not sites:
        return f"{head}\nThe archive is empty." if head else "The archive is empty."
    header = list(sites[0].keys())
    rows = [[_human(k, s.get(k)) for k in header] for s in sites]
    return head + "\n\n" + _table(header, rows)


def sites(configured: Mapping[str, Any], archived: Mapping[str, Mapping[str, Any]]) -> str:
    """Configured sites with their start URL and what the archive holds."""
    rows = []
    for key, site in configured.items():
        held = archived.get(key, {})
        rows.append(
            [key, site.name, site.start_urls[0], held.get("articles", 0), held.get("last_seen")]
        )
    return _table(["site", "name", "start url", "articles", "last seen"], rows)


RUN_COLUMNS = ("id", "started_at", "sites", "pages", "new", "updated", "unchanged", "duplicates")


def runs(rows: list[Mapping[str, Any]]) -> str:
    """Crawl runs as a table: counts, errors by kind, and quality warnings."""
    if not rows:
        return "No crawl runs yet."
    table = []
    for row in rows:
        cells = [row.get(c) for c in RUN_COLUMNS]
        cells[1] = (cells[1] or "")[:19].replace("T", " ")
        if isinstance(cells[2], list | tuple):
            cells[2] = ",".join(cells[2])
        errors = row.get("errors") or {}
        cells.append(", ".join(f"{k}={v}" for k, v in errors.items()) or "0")
        cells.append("; ".join(row.get("warnings") or []))
        table.append(cells)
    return _table([*RUN_COLUMNS, "errors", "warnings"], table)

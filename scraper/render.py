"""Plain-text and Markdown renderings of archive records for the terminal."""

from __future__ import annotations

import csv
import sys
import textwrap
from collections.abc import Iterable, Mapping
from typing import Any

import click

from scraper.render_body import blocks, markdown_body, md_text, terminal_body
from scraper.safe_text import csv_cell, json_line, printable

WIDTH = 88
#: Characters that would end or unbalance a Markdown link destination.
_LINK_ESCAPES = str.maketrans({" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"})
HIT_FIELDS = ("id", "title", "site", "published_at", "url", "snippet", "score")


def hits(rows: Iterable[Mapping[str, Any]], *, fmt: str = "text") -> None:
    """Print search hits as text blocks, JSON lines or CSV."""
    rows = list(rows)
    if fmt == "json":
        for row in rows:
            click.echo(json_line(dict(row)))
        return
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(HIT_FIELDS)
        writer.writerows([[csv_cell(row.get(f)) for f in HIT_FIELDS] for row in rows])
        return
    if not rows:
        click.echo("No matches.")
        return
    for rank, row in enumerate(rows, 1):
        date = printable(row.get("published_at"))[:10] or "no date"
        click.echo(f"{rank}. {printable(row.get('title'))}")
        click.echo(f"   {printable(row.get('site')) or '-'} · {date} · {printable(row.get('url'))}")
        snippet = printable(row.get("snippet")).replace("\n", " ")
        if snippet:
            click.echo(textwrap.indent(textwrap.fill(snippet, WIDTH - 3), "   "))
        click.echo()


def _byline(record: Mapping[str, Any]) -> str:
    parts = [record.get("published_at") or "no date"]
    if record.get("authors"):
        parts.append(", ".join(record["authors"]))
    if record.get("agency"):  # a news agency or the outlet credited instead of a person
        parts.append(", ".join(record["agency"]))
    if record.get("site"):
        parts.append(record["site"])
    return printable(" · ".join(parts))


def article(record: Mapping[str, Any]) -> str:
    """The article laid out for reading in a terminal."""
    lines = []
    if record.get("breadcrumbs"):
        lines.append(printable(" > ".join(record["breadcrumbs"])))
    lines += [click.style(printable(record.get("title")), bold=True), _byline(record)]
    lines += [printable(record.get("canonical_url") or record.get("url")), ""]
    lines += terminal_body(blocks(record), WIDTH)
    if record.get("related"):
        lines += ["", click.style("Related", bold=True)]
        lines += [
            printable(f"  - {r.get('title') or r['url']} <{r['url']}>") for r in record["related"]
        ]
    if record.get("duplicate_of"):
        lines += ["", printable(f"Duplicate of {record['duplicate_of']}")]
    return "\n".join(lines).rstrip() + "\n"


def markdown(record: Mapping[str, Any]) -> str:
    """The article as CommonMark: headings, numbered and nested lists kept as structure."""
    lines = [f"# {md_text(record.get('title') or '')}", ""]
    if record.get("breadcrumbs"):
        lines += [md_text(" › ".join(record["breadcrumbs"])), ""]
    url = printable(record.get("canonical_url") or record.get("url")).translate(_LINK_ESCAPES)
    lines += [f"*{md_text(_byline(record))}*", "", f"<{url}>", ""]
    lines += markdown_body(blocks(record))
    if record.get("related"):
        lines += ["## Related", ""]
        for r in record["related"]:
            title = md_text(r.get("title") or r["url"]).replace("[", "\\[").replace("]", "\\]")
            link = printable(r["url"]).translate(_LINK_ESCAPES)
            lines.append(f"- [{title}]({link})")
    return "\n".join(lines).rstrip() + "\n"


def _table(header: list[str], rows: list[list[Any]]) -> str:
    cells = [header] + [["" if c is None else printable(c) for c in row] for row in rows]
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
    # Archived sites that were renamed or dropped from the sites file are still there.
    for key in sorted(set(archived) - set(configured), key=str):
        held = archived[key]
        rows.append(
            [key, "(not in the sites file)", "-", held.get("articles", 0), held.get("last_seen")]
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
        status = row.get("status") or ""
        if row.get("saved") is not None:
            status = f"{status} (saved {row['saved']})"
        cells.insert(1, status)
        errors = row.get("errors") or {}
        cells.append(", ".join(f"{k}={v}" for k, v in errors.items()) or "0")
        cells.append("; ".join(row.get("warnings") or []))
        table.append(cells)
    return _table([RUN_COLUMNS[0], "status", *RUN_COLUMNS[1:], "errors", "warnings"], table)

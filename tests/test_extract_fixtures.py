"""The extractor on project-written pages: one test per labelled field, plus a regression gate.

Each case is `tests/fixtures/extract/<name>.html` beside `<name>.json` (the fields a
careful reader labelled); adding a case adds no code. Every metric scores 0..1 per
page so the same numbers drive the per-field tests (must be 1.0) and the gate
(the mean over all pages must stay at or above the floor in `gate.json`).
"""

from __future__ import annotations

import functools
import json
import re
import statistics
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import pytest

from scraper.extract import extract

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
GATE = FIXTURES / "gate.json"
CASES = sorted(p.stem for p in FIXTURES.glob("*.html"))
ARTICLE_METRICS = (
    "title",
    "authors",
    "published_at",
    "breadcrumbs",
    "headings",
    "lists",
    "related",
    "with",
    "without",
)
#: Scored only on fixtures whose label has the key.
OPTIONAL_METRICS = ("agency",)
METRICS = ("kind", *ARTICLE_METRICS, *OPTIONAL_METRICS)


def norm(text: Any) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(text or ""))).strip()


def norm_url(url: str) -> str:
    """Scheme, `www.` and a trailing slash do not make a different link."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{parts.path.rstrip('/')}{query}"


def f1(got: list[Any], want: list[Any]) -> float:
    if not got and not want:
        return 1.0
    pool = list(got)
    hits = 0
    for item in want:
        if item in pool:
            pool.remove(item)
            hits += 1
    return 2 * hits / (len(got) + len(want))


def _list_items(lists: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Every item as (its list's type, parent item text, text): nesting and order type count."""
    out: list[tuple[Any, ...]] = []

    def walk(items: list[dict[str, Any]], ordered: bool | None, parent: str) -> None:
        for item in items or []:
            text = norm(item.get("text"))
            out.append((ordered, parent, text))
            # A child's own list type is not part of the record (ListItem has none).
            walk(item.get("children") or [], None, text)

    for block in lists or []:
        walk(block.get("items") or [], bool(block.get("ordered")), "")
    return out


def _headings(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> float:
    """F1 on headings; a bold pseudo heading is matched on its text whatever its level."""
    pool = [(h.get("level"), norm(h.get("text"))) for h in got or []]
    hits = 0
    for heading in want:
        text = norm(heading["text"])
        match = next(
            (
                g
                for g in pool
                if g[1] == text and (heading.get("pseudo") or g[0] == heading["level"])
            ),
            None,
        )
        if match:
            pool.remove(match)
            hits += 1
    total = len(got or []) + len(want)
    return 1.0 if total == 0 else 2 * hits / total


def _when(value: Any) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def _date(got: Any, want: Any) -> float:
    """Within a minute, and shown with the page's own offset (WIB, WITA, UTC...)."""
    want_at, got_at = _when(want), _when(got)
    if want_at is None:
        return float(got in (None, ""))
    if got_at is None:
        return 0.0
    same_offset = got_at.utcoffset() == want_at.utcoffset()
    return float(same_offset and abs((got_at - want_at).total_seconds()) <= 60)


def _breadcrumbs(got: list[Any], want: list[str], title: str) -> float:
    """The trail up to the article; a trailing crumb naming the article itself is fine."""
    crumbs = [norm(c) for c in got or []]
    expected = [norm(c) for c in want]
    if crumbs and expected and crumbs[-1] == norm(title) and crumbs[:-1] == expected:
        return 1.0
    return float(crumbs == expected)


def score(metric: str, record: dict[str, Any], label: dict[str, Any]) -> float:
    """One metric for one page, 0..1 (1.0 = exactly what the label says)."""
    is_article = record.get("kind") == "article"
    if metric == "kind":
        return float(record.get("kind") == label["kind"])
    if not is_article:
        return 0.0
    body = norm(record.get("body_text")).casefold()
    if metric == "title":
        return float(norm(record.get("title")) == norm(label["title"]))
    if metric in ("authors", "agency"):
        return f1(
            sorted({norm(a) for a in record.get(metric) or []}),
            sorted({norm(a) for a in label[metric]}),
        )
    if metric == "published_at":
        return _date(record.get("published_at"), label["published_at"])
    if metric == "breadcrumbs":
        return _breadcrumbs(record.get("breadcrumbs"), label["breadcrumbs"], label["title"])
    if metric == "headings":
        return _headings(record.get("headings"), label["headings"])
    if metric == "lists":
        return f1(_list_items(record.get("lists")), _list_items(label["lists"]))
    if metric == "related":
        got = sorted({norm_url(r["url"]) for r in record.get("related") or []})
        return f1(got, sorted({norm_url(u) for u in label["related"]}))
    snippets = label[metric]
    if not snippets:
        return 1.0
    present = [norm(s).casefold() in body for s in snippets]
    hits = sum(present) if metric == "with" else len(present) - sum(present)
    return hits / len(snippets)


@functools.cache
def case(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(label, extracted record as a dict) for one fixture; extraction runs once per page."""
    label = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    result = extract((FIXTURES / f"{name}.html").read_bytes(), label["url"])
    return label, result.to_dict(full=True)


def _metrics(label: dict[str, Any]) -> tuple[str, ...]:
    if label["kind"] != "article":
        return ("kind",)
    return ("kind", *ARTICLE_METRICS, *(m for m in OPTIONAL_METRICS if m in label))


def _params() -> list[Any]:
    out = []
    for name in CASES:
        label = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
        metrics = _metrics(label)
        out += [pytest.param(name, m, id=f"{name}-{m}") for m in metrics]
    return out


@pytest.mark.parametrize("name", CASES)
def test_fixture_is_labelled_from_its_page(name: str) -> None:
    """Labels name only what the page shows: every snippet is on it, every related link too."""
    label = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    assert label["kind"] in ("article", "not_article")
    if label["kind"] != "article":
        return
    assert not [m for m in ARTICLE_METRICS if m not in label], f"{name}.json lacks a field"
    page = lxml.html.fromstring((FIXTURES / f"{name}.html").read_bytes())
    text = norm(page.text_content()).casefold()
    assert not [s for s in label["with"] + label["without"] if norm(s).casefold() not in text]
    hrefs = {norm_url(a.get("href", "")) for a in page.iter("a")}
    assert not [u for u in label["related"] if norm_url(u) not in hrefs]


@pytest.mark.parametrize(("name", "metric"), _params())
def test_field(name: str, metric: str) -> None:
    label, record = case(name)
    value = score(metric, record, label)
    if metric in ("with", "without"):
        body = norm(record.get("body_text")).casefold()
        wrong = [s for s in label[metric] if (norm(s).casefold() in body) != (metric == "with")]
        assert value == 1.0, f"{metric} snippets wrong: {wrong}"
    elif metric == "kind":
        assert value == 1.0, (
            f"kind {record.get('kind')!r} ({record.get('reason')}), want {label['kind']!r}"
        )
    else:
        assert value == 1.0, f"{metric}: got {record.get(metric)!r}, want {label[metric]!r}"


def measure() -> dict[str, float]:
    """Mean score per metric over every fixture (article metrics over article pages only)."""
    values: dict[str, list[float]] = {m: [] for m in METRICS}
    for name in CASES:
        label, record = case(name)
        for metric in _metrics(label):
            values[metric].append(score(metric, record, label))
    return {m: statistics.mean(v) for m, v in values.items() if v}


def test_regression_gate() -> None:
    """Aggregate scores may rise but never fall below the recorded floors."""
    floors = json.loads(GATE.read_text(encoding="utf-8"))["floors"]
    assert set(floors) == set(METRICS), "gate.json must set a floor for every metric"
    measured = measure()
    fallen = {
        m: (round(measured[m], 3), floor) for m, floor in floors.items() if measured[m] < floor
    }
    assert not fallen, f"extraction got worse (measured, floor): {fallen}"

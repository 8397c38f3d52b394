"""Extraction benchmark: arsip beside trafilatura on each labelled corpus, quality and speed.

    .venv/bin/python bench/extract.py [--corpus ../shared/corpus] [--rounds 3] [--markdown]

For each corpus in `../shared/corpus` (aeb: body truth; id: field labels;
fundus: both) it extracts every page with arsip (as `arsip extract FILE`
does) and with trafilatura (`bare_extraction`, metadata on), scores both with
the corpus's own `eval/score.py` and prints, side by side: body F1, fields mean
(where labelled), pages whose bag-of-words body F1 is below 0.5, pages/s and
the speed ratio. Speed is one process, pages already in memory, best of
`--rounds` passes, against plain `trafilatura.extract()` (its fastest call) and
a bare lxml parse. Without the corpus, speed is measured on the project's
fixtures and the quality lines say skipped.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import corpora  # noqa: E402 - after the path set-up above

from scraper.extract import extract  # noqa: E402
from scraper.extract.files import guess_url  # noqa: E402

logger = logging.getLogger(__name__)
FIXTURES = ROOT / "tests" / "fixtures" / "extract"

Page = tuple[str, bytes, str]  # (source path, raw bytes, url)


def pages_per_second(pages: list[Page], fn: Callable[[bytes, str], object], rounds: int) -> float:
    """Best of `rounds` passes over all pages: the machine is shared, the minimum is the signal."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _source, data, url in pages:
            fn(data, url)
        best = min(best, time.perf_counter() - start)
    return len(pages) / best


def trafilatura_records(files: Iterable[str]) -> list[dict]:
    """trafilatura's output in the record's shape: body_text, title, authors, date."""
    import trafilatura

    out = []
    for path in files:
        data = corpora.read_page(path)
        doc = trafilatura.bare_extraction(
            data, url=guess_url(data, path), include_comments=False, with_metadata=True
        )
        got = doc.as_dict() if doc is not None else {}
        authors = [a.strip() for a in (got.get("author") or "").split(";") if a.strip()]
        out.append(
            {
                "source": path,
                "kind": "article" if got.get("text") else "listing",
                "title": got.get("title") or "",
                "authors": authors,
                "published_at": got.get("date"),
                "body_text": got.get("text") or "",
            }
        )
    return out


def fixture_pages() -> list[Page]:
    pages = []
    for html in sorted(FIXTURES.glob("*.html")):
        data = html.read_bytes()
        pages.append((str(html), data, guess_url(data, html)))
    return pages


def speeds(pages: list[Page], rounds: int) -> dict[str, float]:
    now = datetime.now(UTC)
    out = {
        "parse": pages_per_second(pages, lambda data, url: lxml.html.fromstring(data), rounds),
        "arsip": pages_per_second(
            pages, lambda data, url: extract(data, url, fetched_at=now), rounds
        ),
    }
    try:
        import trafilatura
    except ImportError:
        return out
    out["trafilatura"] = pages_per_second(
        pages, lambda data, url: trafilatura.extract(data, url=url, include_comments=False), rounds
    )
    return out


def _fmt(value: float | None, spec: str = ".3f") -> str:
    return "-" if value is None else format(value, spec)


def run_corpus(corpus: corpora.Corpus, score_py, rounds: int) -> dict:
    ours = corpora.score(corpus, corpora.arsip_records(corpus.files), score_py)
    try:
        theirs = corpora.score(corpus, trafilatura_records(corpus.files), score_py)
    except ImportError:
        theirs = None
    in_memory = [(f, data, guess_url(data, f)) for f, data, _url in corpora.pages(corpus)]
    speed = speeds(in_memory, rounds)
    return {
        "corpus": corpus.name,
        "pages": len(corpus.files),
        "ours": ours,
        "theirs": theirs,
        "speed": speed,
    }


def table(rows: list[dict]) -> str:
    head = (
        "| corpus | pages | extractor | body F1 | fields mean | pages < 0.5 | pages/s | ratio |\n"
        "|---|---:|---|---:|---:|---:|---:|---:|"
    )
    lines = [head]
    for row in rows:
        speed = row["speed"]
        for name, s, pps in (
            ("arsip", row["ours"], speed["arsip"]),
            ("trafilatura", row["theirs"], speed.get("trafilatura")),
        ):
            if s is None:
                continue
            below = str(len(s.below_half)) if s.per_page else "-"
            ratio = f"{speed['arsip'] / pps:.2f}x" if name == "arsip" and pps else ""
            if name == "arsip" and speed.get("trafilatura"):
                ratio = f"**{speed['arsip'] / speed['trafilatura']:.2f}x**"
            lines.append(
                f"| {row['corpus']} | {row['pages']} | {name} | {_fmt(s.body_f1)} | "
                f"{_fmt(s.fields_mean)} | {below} | {_fmt(pps, '.0f')} | {ratio} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--corpus", type=Path, default=corpora.DEFAULT_CORPUS, help="corpus folder")
    ap.add_argument("--rounds", type=int, default=3, help="timed passes (the best is kept)")
    ap.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    loaded = [c for c in (corpora.load(args.corpus, n) for n in corpora.CORPORA) if c]
    if not loaded:
        print(f"corpus: skipped ({args.corpus} not found); speed on the project's fixtures only")
        for name, pps in speeds(fixture_pages(), args.rounds).items():
            print(f"  {name:12} {pps:8.0f} pages/s")
        return 0
    score_py = corpora.scorer(args.corpus)
    rows = []
    for corpus in loaded:
        print(f"{corpus.name}: {len(corpus.files)} pages ...", file=sys.stderr, flush=True)
        rows.append(run_corpus(corpus, score_py, args.rounds))
    print(table(rows))
    print()
    for row in rows:
        s, t = row["ours"], row["theirs"]
        print(f"{row['corpus']}: bare lxml parse {row['speed']['parse']:.0f} pages/s")
        if s.fields:
            print("  arsip fields: " + ", ".join(f"{k} {v:.3f}" for k, v in s.fields.items()))
        if s.below_half:
            print(f"  arsip pages below 0.5: {', '.join(s.below_half)}")
        if t is not None and s.per_page:
            lost = [k for k in s.below_half if t.per_page.get(k, 0) > 0.8]
            print(f"  below 0.5 for arsip but above 0.8 for trafilatura: {len(lost)} {lost}")
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "corpus": r["corpus"],
                        "pages": r["pages"],
                        "speed": r["speed"],
                        **{
                            side: None
                            if r[side] is None
                            else {
                                "body_f1": r[side].body_f1,
                                "fields": r[side].fields,
                                "below_half": r[side].below_half,
                            }
                            for side in ("ours", "theirs")
                        },
                    }
                    for r in rows
                ],
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Near-duplicate threshold: false positives among distinct articles, recall on edited copies.

Bodies come from the project's own pages: the demo site, the extraction
fixtures and the unseen test site (all written for arsip). Every pair of
distinct articles within NEAR_DUPLICATE_BITS is a false positive; each article
is then copied with light edits (a syndication footer, a changed word every
N words, a dropped paragraph) to see which edits the threshold still catches.

    .venv/bin/python bench/dedupe.py
"""

from __future__ import annotations

import itertools
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scraper.clean import clean_text  # noqa: E402
from scraper.demo.site import build_site  # noqa: E402
from scraper.extract import extract  # noqa: E402
from scraper.fingerprint import NEAR_DUPLICATE_BITS, hamming, simhash  # noqa: E402
from scraper.items import Article  # noqa: E402


def bodies() -> dict[str, str]:
    pages: dict[str, bytes] = {}
    for path, (_, body) in build_site("http://127.0.0.1:1").items():
        pages[f"demo{path}"] = body
    for f in sorted((ROOT / "tests/fixtures/extract").glob("*.html")):
        pages[f"fixture/{f.name}"] = f.read_bytes()
    for f in sorted((ROOT / "tests/sites/unseen/site").rglob("index.html")):
        pages[f"unseen/{f.parent.name}"] = f.read_bytes()
    out = {}
    for name, html in pages.items():
        result = extract(html, f"http://127.0.0.1:1/{name}")
        if isinstance(result, Article) and result.word_count >= 50:
            out[name] = clean_text(result.body_text)
    return out


def edits(text: str, rng: random.Random) -> dict[str, str]:
    words = text.split(" ")
    paras = text.split("\n\n")

    def every(n: int) -> str:
        return " ".join("diubah" if i % n == n - 1 else w for i, w in enumerate(words))

    return {
        "syndication footer": text + "\n\nArtikel ini tayang pertama kali di situs mitra kami.",
        "1 word in 100 changed": every(100),
        "1 word in 30 changed": every(30),
        "last paragraph dropped": "\n\n".join(paras[:-1]) if len(paras) > 2 else text,
        "paragraphs shuffled": "\n\n".join(rng.sample(paras, len(paras))),
    }


def main() -> int:
    texts = bodies()
    hashes = {name: simhash(t) for name, t in texts.items()}
    pairs = list(itertools.combinations(hashes, 2))
    dist = [hamming(hashes[a], hashes[b]) for a, b in pairs]
    fp = sum(d <= NEAR_DUPLICATE_BITS for d in dist)
    print(f"articles: {len(texts)} (demo, fixtures, unseen site); pairs: {len(pairs)}")
    print(f"threshold: <= {NEAR_DUPLICATE_BITS} of 64 bits")
    print(f"false positives among distinct articles: {fp} ({fp / len(pairs):.2%})")
    print(f"closest distinct pair: {min(dist)} bits; median {sorted(dist)[len(dist) // 2]} bits")
    rng = random.Random(7)
    caught: dict[str, list[int]] = {}
    for text in texts.values():
        for kind, copy in edits(text, rng).items():
            caught.setdefault(kind, []).append(hamming(simhash(text), simhash(copy)))
    print("| edit | caught at threshold | median bits |")
    print("|---|---:|---:|")
    for kind, ds in caught.items():
        hit = sum(d <= NEAR_DUPLICATE_BITS for d in ds) / len(ds)
        print(f"| {kind} | {hit:.0%} | {sorted(ds)[len(ds) // 2]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

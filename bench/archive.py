"""Archive benchmark: indexing with/without stemming, search latency, JSONL export speed and memory.

    .venv/bin/python bench/archive.py --n 200000 [--db /tmp/bench.db] [--keep]

Generates a synthetic archive of N articles (~3 KB Indonesian-like bodies whose
words carry real affixes, so the stemmer has work to do), then measures:
  * indexing speed (articles/s) with and without stemming on the same sample;
  * search p50/p99 for 1-3 word queries (in-process `Archive.search`, snippets included);
  * JSONL export time against `sqlite3 -json` dumping the same columns;
  * peak RSS of the export process.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import logging
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scraper import Archive
from scraper.items import EXPORT_FIELDS, Article

logger = logging.getLogger(__name__)

ROOTS = (  # noqa: SIM905 - a word list reads best as text
    "luncur guna kembang jual beli bayar tawar pakai rilis umum ubah tambah kurang hitung "
    "ukur rekam potret simpan kirim terima baca tulis dengar lihat tonton main cari temu "
    "pilih ganti pasang bangun hubung sambung buka tutup dukung bantu kerja ajar layan atur "
    "tata kelola catat laku uji coba nilai banding saing hasil untung rugi modal tanam usaha "
    "dagang pasar harga biaya daya tahan cepat lambat besar kecil tinggi rendah kuat lemah "
    "baru lama"
).split()
PLAIN = (  # noqa: SIM905 - a word list reads best as text
    "ponsel kamera baterai layar aplikasi internet jaringan data server cloud laptop tablet "
    "prosesor memori chip sensor lensa sinyal operator pengguna pemerintah perusahaan startup "
    "investor teknologi digital keamanan privasi akun kata sandi fitur versi model seri tahun "
    "bulan minggu hari jam rupiah juta miliar persen indonesia jakarta bandung surabaya"
).split()
BRANDS = (  # noqa: SIM905 - a word list reads best as text
    "xiaomi samsung apple oppo vivo realme infinix huawei google meta gojek grab tokopedia "
    "shopee leica"
).split()
FUNCTION = (  # noqa: SIM905 - a word list reads best as text
    "yang dan di ke dari untuk dengan pada ini itu akan juga sudah bisa tidak lebih dalam oleh"
).split()
AFFIXES = ("{}", "me{}", "di{}kan", "pe{}an", "{}nya", "ber{}", "di{}", "{}an", "me{}kan", "ter{}")
SITES = [f"situs{i}" for i in range(10)]


#: Synthetic roots beside the real ones: news text has tens of thousands of
#: word forms (names, places, loanwords), not a few hundred.
SYLLABLES = [c + v for c in "bcdfghjklmnprstw" for v in "aiueo"]
SYNTHETIC_ROOTS = 5_000


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """~60,000 word forms (roots with Indonesian affixes, names, plain words)
    with Zipf weights: a few words are everywhere, most are rare, as in news."""
    made: set[str] = set()
    while len(made) < SYNTHETIC_ROOTS:
        made.add("".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))))
    roots = ROOTS + sorted(made)
    words = [a.format(r) for r in roots for a in AFFIXES] + PLAIN + BRANDS
    words = list(dict.fromkeys(words))
    rng.shuffle(words)
    weights = [1.0 / (rank + 1) for rank in range(len(words))]
    return FUNCTION + words, [0.3] * len(FUNCTION) + weights


def make_article(i: int, rng: random.Random, vocab: list[str], weights: list[float]) -> Article:
    cum = _cumulative(weights)

    def sentence(n: int) -> str:
        return " ".join(rng.choices(vocab, cum_weights=cum, k=n)).capitalize() + "."

    paragraphs = ["\n".join(sentence(rng.randint(10, 18)) for _ in range(6)) for _ in range(5)]
    body = "\n\n".join(paragraphs)
    site = SITES[i % len(SITES)]
    day = 1 + i % 700
    return Article(
        url=f"https://{site}.example/{2024 + day // 365}/{i}/artikel-{i}/",
        title=sentence(8)[:-1],
        site=site,
        description=sentence(20),
        breadcrumbs=["Home", "Tekno"],
        section=rng.choice(["Gadget", "Internet", "Bisnis"]),
        tags=rng.sample(BRANDS, 2),
        authors=[f"Penulis {i % 50}"],
        published_at=f"{2024 + day // 365}-{1 + (day % 365) // 31:02d}-{1 + day % 28:02d}T10:00:00+07:00",
        headings=[{"level": 2, "text": sentence(5)[:-1]} for _ in range(3)],
        body_text=body,
        word_count=len(body.split()),
        # Fingerprints only need to be distinct here; the real simhash costs
        # ~1 ms per article and would make generation the slowest part.
        content_hash=hashlib.sha1(body.encode()).hexdigest(),
        simhash=rng.getrandbits(64) - (1 << 63),
        fetched_at="2026-01-01T00:00:00+00:00",
    )


_CUM: dict[int, list[float]] = {}


def _cumulative(weights: list[float]) -> list[float]:
    # rng.choices re-sums 60,000 weights on every call without this.
    key = id(weights)
    if key not in _CUM:
        _CUM[key] = list(itertools.accumulate(weights))
    return _CUM[key]


def build(db: Path | str, n: int, *, stem: bool, seed: int = 1, batch: int = 500) -> float:
    """Fill a fresh archive; returns the seconds spent in save_batch (generation excluded)."""
    rng = random.Random(seed)
    vocab, weights = vocabulary(rng)
    spent = 0.0
    with Archive(db, stem=stem, keep_raw=False) as arc:
        for start in range(0, n, batch):
            articles = [
                make_article(i, rng, vocab, weights) for i in range(start, min(n, start + batch))
            ]
            t = time.perf_counter()
            arc.save_batch(articles)
            spent += time.perf_counter() - t
    return spent


KINDS = ("word", "and", "phrase", "prefix", "or", "site", "author", "since", "count")


def query_set(db: str, per_kind: int, seed: int = 2) -> dict[str, list[tuple[str, dict]]]:
    """Queries a researcher types, per kind: words drawn by their frequency in the
    text (so common and rare words both come up), phrases cut from stored
    bodies, prefixes of real words."""
    rng = random.Random(seed)
    vocab, weights = vocabulary(random.Random(1))
    content = vocab[len(FUNCTION) :]
    cum = list(itertools.accumulate(weights[len(FUNCTION) :]))

    def word() -> str:
        return rng.choices(content, cum_weights=cum)[0]

    with Archive(db, readonly=True) as arc:
        top = arc.engine.connect()
        max_id = top.exec_driver_sql("SELECT max(id) FROM articles").scalar()
        bodies = [
            top.exec_driver_sql(
                f"SELECT body_text FROM articles WHERE id = {rng.randint(1, max_id)}"
            ).scalar()
            for _ in range(per_kind)
        ]
        top.close()
    phrases = []
    for body in bodies:
        words = body.split()
        i = rng.randrange(len(words) - 2)
        phrases.append('"' + " ".join(w.strip(".,").lower() for w in words[i : i + 2]) + '"')
    out: dict[str, list[tuple[str, dict]]] = {k: [] for k in KINDS}
    for i in range(per_kind):
        w = word()
        out["word"].append((w, {}))
        out["and"].append((f"{w} {word()}", {}))
        out["phrase"].append((phrases[i], {}))
        stem = word()
        out["prefix"].append((stem[: max(4, len(stem) - 3)] + "*", {}))
        out["or"].append((f"{w} OR {word()}", {}))
        out["site"].append((word(), {"site": rng.choice(SITES)}))
        out["author"].append((word(), {"author": f"Penulis {rng.randrange(50)}"}))
        out["since"].append((word(), {"since": "2025-06-01"}))
        out["count"].append((word(), {}))
    return out


def _pct(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[max(0, int(len(times) * 0.99) - 1)]


def floor_sql(dialect: str, kind: str, filters: dict) -> str:
    """The same query as one hand-tuned SQL statement: ids and titles of the
    best 20 originals (or the count), the filter in the same statement."""
    extra = ""
    if "site" in filters:
        extra = " AND a.site = :site"
    elif "author" in filters:
        extra = (
            " AND EXISTS (SELECT 1 FROM json_each(a.authors) j WHERE lower(j.value) = lower(:author))"
            if dialect == "sqlite"
            else " AND EXISTS (SELECT 1 FROM json_array_elements_text(a.authors) j(v) "
            "WHERE lower(j.v) = lower(:author))"
        )
    elif "since" in filters:
        extra = " AND a.published_utc >= :since"
    if dialect == "sqlite":
        if kind == "count":
            return (
                "SELECT count(*) FROM articles_fts f JOIN articles a ON a.id = f.rowid "
                "WHERE articles_fts MATCH :m AND a.duplicate_of IS NULL"
            )
        return (
            "SELECT a.id, a.title FROM articles_fts f JOIN articles a ON a.id = f.rowid "
            f"WHERE articles_fts MATCH :m AND a.duplicate_of IS NULL{extra} "
            "ORDER BY f.rank LIMIT 20"
        )
    if kind == "count":
        return (
            "SELECT count(*) FROM articles_tsv t JOIN articles a ON a.id = t.article_id "
            "WHERE t.doc @@ CAST(:m AS tsquery) AND a.duplicate_of IS NULL"
        )
    return (
        "SELECT a.id, a.title FROM articles_tsv t JOIN articles a ON a.id = t.article_id "
        f"WHERE t.doc @@ CAST(:m AS tsquery) AND a.duplicate_of IS NULL{extra} "
        "ORDER BY ts_rank(t.doc, CAST(:m AS tsquery)) DESC LIMIT 20"
    )


def search_kinds(db: str, queries: dict[str, list[tuple[str, dict]]]) -> dict[str, tuple]:
    """Per kind: (our p50, our p99, floor p50, floor p99) in ms, interleaved so
    load on the machine hits both alike."""
    from datetime import datetime

    from sqlalchemy import text

    from scraper.archive import pgsearch
    from scraper.archive.query import compile_query

    results = {}
    with Archive(db, readonly=True) as arc:
        dialect = arc.engine.dialect.name
        arc.search("ponsel")  # warm the page cache and the stemmer
        with arc.engine.connect() as conn:
            for kind, items in queries.items():
                ours, floor = [], []
                for q, filters in items:
                    compiled = (
                        pgsearch.compile_query(q) if dialect == "postgresql" else compile_query(q)
                    )
                    params = {"m": compiled.match, **filters}
                    if "since" in params:
                        params["since"] = datetime(2025, 5, 31, 17, 0)  # 1 June WIB in UTC
                    sql = text(floor_sql(dialect, kind, filters))
                    t = time.perf_counter()
                    conn.execute(sql, params).all()
                    floor.append((time.perf_counter() - t) * 1000)
                    t = time.perf_counter()
                    if kind == "count":
                        arc.count(q, originals_only=True)
                    else:
                        arc.search(q, limit=20, originals_only=True, **filters)
                    ours.append((time.perf_counter() - t) * 1000)
                results[kind] = (*_pct(ours), *_pct(floor))
    return results


def print_kinds(label: str, results: dict[str, tuple]) -> None:
    print(f"{label}: search per query kind (ms; floor = one hand-tuned SQL statement)")
    print(f"  {'kind':<8} {'p50':>7} {'p99':>7}   {'floor p50':>9} {'floor p99':>9}  p99/floor")
    for kind, (p50, p99, f50, f99) in results.items():
        print(
            f"  {kind:<8} {p50:7.1f} {p99:7.1f}   {f50:9.1f} {f99:9.1f}  {p99 / max(f99, 0.01):8.2f}x"
        )


def export_jsonl(db: Path, out: Path) -> tuple[float, int]:
    """Export in a child process: (seconds, peak RSS in KB of that process)."""
    # The child times the export itself, so interpreter start-up is not counted.
    code = (
        "import sys, time; from scraper import Archive; a = Archive(sys.argv[1]); "
        "t = time.perf_counter(); a.export('jsonl', sys.argv[2]); print(time.perf_counter() - t)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(db), str(out)], check=True, capture_output=True, text=True
    )
    return float(done.stdout.strip()), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def sqlite3_json(db: Path, out: Path) -> float | None:
    if not shutil.which("sqlite3"):
        return None
    sql = f"SELECT {', '.join(EXPORT_FIELDS)} FROM articles ORDER BY id"
    t = time.perf_counter()
    with open(out, "wb") as fh:
        subprocess.run(["sqlite3", "-json", str(db), sql], stdout=fh, check=True)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="articles in the archive")
    parser.add_argument(
        "--sample", type=int, default=5_000, help="articles for the stemming comparison"
    )
    parser.add_argument("--queries", type=int, default=200, help="queries per kind")
    parser.add_argument("--db", type=Path, help="reuse/keep this archive (built if missing)")
    parser.add_argument("--postgres", metavar="URL", help="also measure search on this database")
    parser.add_argument(
        "--pg-built", action="store_true", help="the --postgres database is already filled"
    )
    parser.add_argument("--search-only", action="store_true", help="skip indexing and export")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="arsip-bench-"))
    db = args.db or tmp / "bench.db"

    # Alternate and keep the best of two: the first build also pays warm-up
    # (imports, statement caches), and the machine is shared.
    plain = stemmed = float("inf")
    for _ in range(0 if args.search_only else 2):
        for stem in (False, True):
            db_path = tmp / f"stem-{stem}.db"
            spent = build(db_path, args.sample, stem=stem)
            for leftover in tmp.glob(f"stem-{stem}.db*"):
                leftover.unlink()
            if stem:
                stemmed = min(stemmed, spent)
            else:
                plain = min(plain, spent)
    if not args.search_only:
        print(f"indexing without stemming: {args.sample / plain:,.0f} articles/s")
        print(
            f"indexing with stemming:    {args.sample / stemmed:,.0f} articles/s "
            f"({plain / stemmed:.2f}x the speed without)"
        )

    if not db.exists():
        spent = build(db, args.n, stem=True)
        print(
            f"built {args.n:,} articles in {spent:,.0f} s of save_batch ({args.n / spent:,.0f}/s)"
        )
    size = db.stat().st_size
    print(f"archive: {size / 1e6:,.0f} MB")

    queries = query_set(str(db), args.queries)
    print_kinds("SQLite", search_kinds(str(db), queries))
    if args.postgres:
        if not args.pg_built:
            spent = build(args.postgres, args.n, stem=True)
            print(f"PostgreSQL: built {args.n:,} articles in {spent:,.0f} s of save_batch")
        print_kinds("PostgreSQL", search_kinds(args.postgres, queries))
    if args.search_only:
        return

    ours, rss_kb = export_jsonl(db, tmp / "ours.jsonl")
    theirs = sqlite3_json(db, tmp / "sqlite3.json")
    print(
        f"JSONL export: {ours:.1f} s ({(tmp / 'ours.jsonl').stat().st_size / 1e6:,.0f} MB), "
        f"peak RSS {rss_kb / 1024:.0f} MB"
    )
    if theirs is None:
        print("sqlite3 -json: the sqlite3 command is not installed; no comparison")
    else:
        print(
            f"sqlite3 -json same columns: {theirs:.1f} s -> arsip at {theirs / ours:.2f}x its speed"
        )
    for name in ("ours.jsonl", "sqlite3.json"):
        (tmp / name).unlink(missing_ok=True)
    if args.db is None:
        for path in tmp.iterdir():
            path.unlink()
        os.rmdir(tmp)


if __name__ == "__main__":
    main()

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


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    words = [a.format(r) for r in ROOTS for a in AFFIXES] + PLAIN + BRANDS
    rng.shuffle(words)
    # Zipf-like weights: a few words are everywhere, most are rare, as in news text.
    weights = [1.0 / (rank + 1) for rank in range(len(words))]
    return FUNCTION + words, [8.0] * len(FUNCTION) + weights


def make_article(i: int, rng: random.Random, vocab: list[str], weights: list[float]) -> Article:
    def sentence(n: int) -> str:
        return " ".join(rng.choices(vocab, weights, k=n)).capitalize() + "."

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


def build(db: Path, n: int, *, stem: bool, seed: int = 1, batch: int = 500) -> float:
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


def search_latency(db: Path, queries: int, seed: int = 2) -> tuple[float, float, list[float]]:
    rng = random.Random(seed)
    vocab, weights = vocabulary(rng)
    content = [w for w in vocab if w not in FUNCTION]
    times = []
    with Archive(db) as arc:
        arc.search("ponsel")  # warm the page cache and the stemmer
        for _ in range(queries):
            words = rng.choices(content, weights[len(FUNCTION) :], k=rng.randint(1, 3))
            t = time.perf_counter()
            arc.search(" ".join(words), limit=20)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1], times


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
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--db", type=Path, help="reuse/keep this archive (built if missing)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="arsip-bench-"))
    db = args.db or tmp / "bench.db"

    # Alternate and keep the best of two: the first build also pays warm-up
    # (imports, statement caches), and the machine is shared.
    plain = stemmed = float("inf")
    for _ in range(2):
        for stem in (False, True):
            db_path = tmp / f"stem-{stem}.db"
            spent = build(db_path, args.sample, stem=stem)
            for leftover in tmp.glob(f"stem-{stem}.db*"):
                leftover.unlink()
            if stem:
                stemmed = min(stemmed, spent)
            else:
                plain = min(plain, spent)
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

    p50, p99, _ = search_latency(db, args.queries)
    print(f"search ({args.queries} queries of 1-3 words): p50 {p50:.1f} ms, p99 {p99:.1f} ms")

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

"""Writers benchmark: N processes writing one PostgreSQL archive at once.

    .venv/bin/python bench/writers.py [--server postgresql://postgres@127.0.0.1:5432/postgres]
                                      [--articles 2000] [--batch 50] [--writers 1 2 4]

Each writer process saves its own distinct articles (new), then saves them
again changed (a version each), in batches, into a fresh database that is
dropped afterwards. Printed per writer count: total articles/s for each phase,
with arsip's write path (every write transaction takes one advisory lock) and,
for comparison, with the lock switched off in the writer processes: the upper
bound any finer-grained locking (row locks, ON CONFLICT) could reach, and
unsafe (it loses versions and doubles originals when writers meet on the same
articles; tests/test_postgres_writers.py shows it).
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import time
import uuid

VOCABULARY = (  # noqa: SIM905 - a word list reads best as text
    "ponsel baterai kamera layar prosesor jaringan operator sinyal aplikasi data keamanan "
    "server internet harga pasar fitur sistem perangkat konsumen teknologi satelit kabel "
    "kota desa pemerintah regulasi investor layanan digital pembayaran dompet transaksi"
).split()


def _articles(writer: int, n: int, edit: int):
    from scraper.fingerprint import content_hash, simhash
    from scraper.items import Article

    out = []
    for i in range(n):
        rng = random.Random(writer * 1_000_003 + i)
        words = [rng.choice(VOCABULARY) + str(rng.randrange(400)) for _ in range(250)]
        body = " ".join(words) + (f" Ralat {edit}." if edit else "")
        out.append(
            Article(
                url=f"https://w{writer}.example/berita/{i}/",
                site=f"w{writer}",
                title=f"Berita {i} dari penulis {writer}",
                body_text=body,
                published_at="2026-01-05T09:00:00+07:00",
                word_count=len(body.split()),
                content_hash=content_hash(body),
                simhash=simhash(body),
            )
        )
    return out


def _writer(db: str, barrier, writer: int, n: int, batch: int, locked: bool, out) -> None:
    from scraper.archive import Archive, fts, store

    if not locked:
        store.serialise_writers = lambda conn: None
    phases = [_articles(writer, n, 0), _articles(writer, n, 1)]
    # Stemmed ahead, as a crawl's page workers do: the transaction only writes.
    stems = [[fts.prestem({"title": a.title, "body_text": a.body_text}) for a in p] for p in phases]
    times = []
    with Archive(db) as archive:
        for records, hints in zip(phases, stems, strict=True):
            barrier.wait()
            start = time.perf_counter()
            for i in range(0, len(records), batch):
                archive.save_batch(records[i : i + batch], stems=hints[i : i + batch])
            times.append(time.perf_counter() - start)
            barrier.wait()
    out.put((writer, times))


def run(server: str, writers: int, n: int, batch: int, locked: bool) -> tuple[float, float]:
    import psycopg

    from scraper.archive import Archive

    admin = psycopg.connect(server, autocommit=True)
    name = f"arsip_bench_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    db = server.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1) + "/" + name
    try:
        Archive(db).close()
        ctx = multiprocessing.get_context("spawn")
        barrier, out = ctx.Barrier(writers + 1), ctx.Queue()
        procs = [
            ctx.Process(target=_writer, args=(db, barrier, w, n, batch, locked, out))
            for w in range(writers)
        ]
        for p in procs:
            p.start()
        walls = []
        for _phase in range(2):
            barrier.wait()
            start = time.perf_counter()
            barrier.wait()
            walls.append(time.perf_counter() - start)
        for p in procs:
            p.join()
        if any(p.exitcode for p in procs):
            raise SystemExit("a writer failed")
        total = writers * n
        return total / walls[0], total / walls[1]
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--articles", type=int, default=2000, help="per writer")
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    print("| writers | write path | new articles/s | changed articles/s |")
    print("|---:|---|---:|---:|")
    for writers in args.writers:
        for locked in (True, False):
            new, changed = run(args.server, writers, args.articles, args.batch, locked)
            label = "advisory lock (arsip)" if locked else "no lock (unsafe bound)"
            print(f"| {writers} | {label} | {new:,.0f} | {changed:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
